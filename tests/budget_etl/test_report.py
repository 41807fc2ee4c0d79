"""The static HTML report of the samples warehouse: self-contained, printed totals, readable anywhere."""

from __future__ import annotations

import base64
import hashlib
import html
import io
import re

import duckdb
import pytest
from fontTools.ttLib import TTFont

from budget_etl.html_report import render_report
from budget_etl.html_report.svg_charts import text_width


def _marks(document: str) -> list[tuple[str, str, str]]:
    return re.findall(
        r'<rect class="mark"[^>]*data-label="([^"]*)" data-series="([^"]*)" data-value="([^"]*)"', document
    )


@pytest.fixture(scope="module")
def samples_report(samples_warehouse, tmp_path_factory) -> str:
    out = render_report(samples_warehouse, tmp_path_factory.mktemp("report") / "report.html")
    return out.read_text(encoding="utf-8")


def test_report_is_one_self_contained_file(samples_warehouse, tmp_path):
    out = render_report(samples_warehouse, tmp_path / "out" / "report.html")
    assert out == tmp_path / "out" / "report.html"
    document = out.read_text(encoding="utf-8")
    assert not re.search(r"https?:", document)  # nothing to fetch: works offline
    assert not re.search(r"<(script|link|img|iframe)\b", document)
    assert '<meta charset="utf-8">' in document
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]  # no temp file left behind


def test_amounts_are_the_printed_totals_with_the_computed_sum_where_they_differ(samples_report):
    # Report 001 prints 合计 642.39; its 17 projects sum to 642.38.
    assert ">642.39 (projects sum to 642.38)</text>" in samples_report
    assert "<td>642.39 (projects sum to 642.38)</td>" in samples_report
    assert "总计, as printed (万元)</dt><dd>68,820.69 (projects sum to 68,820.68)</dd>" in samples_report
    assert ">495.00</text>" in samples_report and ">67,634.30</text>" in samples_report  # equal: one figure
    assert ">642.38</text>" not in samples_report
    # The bars themselves are the projects by fund source.
    assert ("广州市工商业联合会", "财政拨款", "642.38") in _marks(samples_report)
    # The layout that prints no amounts is named, not charted.
    assert "Reports without amounts, not in the chart: 广州市花都区工商业联合会." in samples_report


def test_report_figures(samples_report):
    assert samples_report.count('<svg class="chart"') == 4
    assert "<dt>projects</dt><dd>78</dd>" in samples_report
    assert "<dt>indicators</dt><dd>368</dd>" in samples_report
    assert ">n = 368</text>" in samples_report
    overall = [series for label, series, _ in _marks(samples_report) if label == "All departments"]
    assert overall[:3] == ["产出指标", "效益指标", "满意度指标"]
    assert "checks in <code>fct_reconciliation</code> fall outside the tolerance." in samples_report
    assert "No file was quarantined" in samples_report
    assert "Not available" not in samples_report


def _embedded_font(document: str) -> TTFont:
    data = re.search(r"src: url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", document).group(1)
    return TTFont(io.BytesIO(base64.b64decode(data)))


def test_the_embedded_font_has_a_glyph_for_every_character_of_the_page(samples_report):
    font = _embedded_font(samples_report)
    cmap = font.getBestCmap()
    page_text = html.unescape(re.sub(r"<[^>]+>", " ", samples_report.split("</style>", 1)[1]))
    characters = {ch for ch in page_text if ord(ch) > 0x20}
    assert {"项", "绩", "效", "万", "元"} <= characters
    assert sorted(ch for ch in characters if ord(ch) not in cmap) == []
    assert font["name"].getDebugName(1) == "Noto Sans CJK SC"
    assert len(base64.b64encode(font.reader.file.getvalue())) < 400_000  # a subset, not the 19 MB font
    assert 'font-family: "budget-etl Noto Sans CJK SC", "Noto Sans CJK SC"' in samples_report


def test_text_from_the_warehouse_is_escaped(warehouse_copy, tmp_path):
    con = duckdb.connect(str(warehouse_copy))
    con.execute(
        "INSERT INTO main.quarantined_reports (source_file, file_sha256, reason, quarantined_at) "
        "VALUES ('x.pdf', repeat('c', 64), '<b>bad</b> & \"odd\"', now())"
    )
    con.close()
    document = render_report(warehouse_copy, tmp_path / "report.html").read_text(encoding="utf-8")
    assert '&lt;b&gt;bad&lt;/b&gt; &amp; "odd"' in document and "<b>bad</b>" not in document
    assert "1 file was not published" in document


def test_warehouse_is_read_not_written(samples_warehouse, tmp_path):
    before = hashlib.sha256(samples_warehouse.read_bytes()).hexdigest(), samples_warehouse.stat().st_mtime_ns
    render_report(samples_warehouse, tmp_path / "report.html")
    after = hashlib.sha256(samples_warehouse.read_bytes()).hexdigest(), samples_warehouse.stat().st_mtime_ns
    assert after == before
    assert not samples_warehouse.with_name(samples_warehouse.name + ".wal").exists()


def test_several_fiscal_years_are_kept_apart(warehouse_copy, tmp_path):
    con = duckdb.connect(str(warehouse_copy))
    con.execute("UPDATE main.dim_reports SET fiscal_year = 2025")
    con.execute("UPDATE main.dim_reports SET fiscal_year = 2024 WHERE source_file LIKE '003_%'")
    con.close()
    document = render_report(warehouse_copy, tmp_path / "report.html").read_text(encoding="utf-8")
    labels = {label for label, _, _ in _marks(document)}
    assert "广州市白云区人民政府办公室 (2024)" in labels and "广州市工商业联合会 (2025)" in labels


def test_text_width_counts_cjk_as_full_width():
    assert text_width("部门", 10) == 20
    assert text_width("ab", 10) == 12
