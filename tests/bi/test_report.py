"""The static HTML report: self-contained, exact figures, tolerant of older warehouses."""

from __future__ import annotations

import hashlib
import re

from budget_etl.html_report import render_report, text_width
from tests.bi.warehouse_factory import OPTIONAL_MARTS, build_warehouse


def _marks(document: str) -> list[tuple[str, str, str]]:
    return re.findall(
        r'<rect class="mark"[^>]*data-label="([^"]*)" data-series="([^"]*)" data-value="([^"]*)"', document
    )


def test_report_is_one_self_contained_file(published, tmp_path):
    out = render_report(published, tmp_path / "out" / "report.html")
    assert out == tmp_path / "out" / "report.html"
    document = out.read_text(encoding="utf-8")
    assert not re.search(r"https?:", document)  # nothing to fetch: works offline
    assert not re.search(r"<(script|link|img|iframe)\b", document)
    assert re.search(r"<meta charset=\"utf-8\">", document)
    assert '"WenQuanYi Zen Hei"' in document and '"Noto Sans CJK SC"' in document
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]  # no temp file left behind


def test_report_figures(published, tmp_path):
    document = render_report(published, tmp_path / "report.html").read_text(encoding="utf-8")
    assert document.count('<svg class="chart"') == 4
    marks = _marks(document)
    assert len(marks) == 20
    # Funding by department, stacked by fund source; the note is the department's 总计.
    assert ("广州市白云区人民政府办公室", "财政拨款", "1200.0") in marks
    assert ("广州市白云区人民政府办公室", "其他资金", "60.25") in marks
    assert ("广州市工商业联合会", "财政专户拨款", "9.0") in marks
    assert ">1,260.25</text>" in document and ">179.50</text>" in document
    # Funding by source with shares of the 1,439.75 total.
    assert ">1,370.50 (95.2%)</text>" in document and ">9.00 (0.6%)</text>" in document
    # Level-1 mix over all departments: 产出 3, 效益 1, 满意度 1, unclassified 1.
    overall = [(s, v) for label, s, v in marks if label == "All departments"]
    assert overall == [("产出指标", "3.0"), ("效益指标", "1.0"), ("满意度指标", "1.0"), ("unclassified", "1.0")]
    # Quantified share per department, best first.
    assert ">75% (3 of 4)</text>" in document and ">50% (1 of 2)</text>" in document
    assert document.index("75% (3 of 4)") < document.index("50% (1 of 2)")
    # Reconciliation: the one row outside tolerance, with its file instead of surrogate keys.
    assert "1 of 3 checks in <code>fct_reconciliation</code> fall outside the tolerance." in document
    assert "<th>source_file</th><th>budget_unit_name</th><th>check_level</th>" in document
    assert '<td>001_482cb6efc95f57e9.txt</td><td class="null">—</td><td>department</td>' in document
    assert '<td class="num">20.50</td>' in document
    # Quarantine with its reason.
    assert "shanghai_putuo_2025.pdf: no 项目支出绩效目标表 found in 12 pages" in document
    assert "1 file was not published" in document
    assert "refreshed 2025-11-21T08:00:00+00:00 · run run-42" in document
    assert "total funding</dt><dd>1,439.75 万元" in document
    assert "Not available" not in document


def test_text_from_the_warehouse_is_escaped(tmp_path):
    import duckdb

    warehouse = build_warehouse(tmp_path / "budget.duckdb")
    con = duckdb.connect(str(warehouse))
    con.execute("UPDATE main.quarantined_reports SET reason = '<b>bad</b> & \"odd\"'")
    con.close()
    document = render_report(warehouse, tmp_path / "report.html").read_text(encoding="utf-8")
    assert '&lt;b&gt;bad&lt;/b&gt; &amp; "odd"' in document and "<b>bad</b>" not in document


def test_older_warehouse_without_optional_marts(tmp_path):
    warehouse = build_warehouse(tmp_path / "old.duckdb", without=OPTIONAL_MARTS)
    document = render_report(warehouse, tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Not available in this warehouse (missing: fct_funding_by_source)" in document
    assert "Not available in this warehouse (missing: a reconciliation mart)" in document
    assert "Split by fund source not available" in document
    marks = _marks(document)
    # Departments by 总计 only; level-1 names unknown without dim_indicator_categories.
    assert ("广州市白云区人民政府办公室", "总计", "1260.25") in marks
    assert ("All departments", "code 1", "3.0") in marks
    assert document.count('<svg class="chart"') == 3


def test_warehouse_is_read_not_written(published, tmp_path):
    before = hashlib.sha256(published.read_bytes()).hexdigest(), published.stat().st_mtime_ns
    render_report(published, tmp_path / "report.html")
    assert (hashlib.sha256(published.read_bytes()).hexdigest(), published.stat().st_mtime_ns) == before
    assert not published.with_name(published.name + ".wal").exists()


def test_several_fiscal_years_are_kept_apart(tmp_path):
    import duckdb

    warehouse = build_warehouse(tmp_path / "budget.duckdb")
    con = duckdb.connect(str(warehouse))
    con.execute("UPDATE main.dim_reports SET fiscal_year = 2024 WHERE report_key = 'r2'")
    con.close()
    document = render_report(warehouse, tmp_path / "report.html").read_text(encoding="utf-8")
    assert ("广州市白云区人民政府办公室 (2024)", "财政拨款", "1200.0") in _marks(document)


def test_text_width_counts_cjk_as_full_width():
    assert text_width("部门", 10) == 20
    assert text_width("ab", 10) == 12
