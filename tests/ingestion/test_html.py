"""Web pages: the five samples saved as pages read exactly as their text, and the page-level details.

The generated pages are GBK-encoded (characters outside GBK as numeric entities), with a
navigation bar laid out as a table, a header, another statement's table before the target table,
the target cut in two tables that repeat the header, rowspan/colspan, ``<br>`` in cells, ``&ge;``
and ``&nbsp;``, and a footer.
"""

from __future__ import annotations

from decimal import Decimal

import lxml.html
import pytest

from ingestion.html.charset import decode_page
from ingestion.html.reader import page_tables, read_html_report, shown_text
from ingestion.model import ReportRejected
from tests.fixtures.office_generator import save_report
from tests.fixtures.pdf_generator import spec_from_parsed_report
from tests.ingestion.conftest import SAMPLE_STEMS, _indicator, assert_reads_like, sha256

SHAPES = ["per_project", "per_indicator"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory, sample_reports):
    out = tmp_path_factory.mktemp("pages")
    return {
        (stem, shape): save_report(spec_from_parsed_report(report), out / f"{stem}.{shape}.html", shape)
        for stem, report in sample_reports.items()
        for shape in [*SHAPES, "forms"]
    }


def _read(path):
    return read_html_report(path, source_file=path.name, file_sha256=sha256(path))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_page_reads_like_text(stem, shape, pages, sample_reports):
    path = pages[stem, shape]
    assert b'charset=gbk"' in path.read_bytes()[:300]
    path.read_bytes().decode("gbk")  # really GBK, not UTF-8
    report = _read(path)
    assert_reads_like(report, sample_reports[stem], indicator_rows=shape == "per_indicator")
    assert report.layout == "html"
    assert (report.fiscal_year, report.fiscal_year_source) == (2025, "document")
    # navigation, the other statement, then the target table in two parts
    assert report.source_parts == ["table 1", "table 2", "table 3", "table 4"]
    pages_used = {p.source_page for p in report.projects}
    assert pages_used <= {3, 4} and 3 in pages_used
    assert len(sample_reports[stem].projects) < 3 or pages_used == {3, 4}


@pytest.mark.parametrize("shape", SHAPES)
def test_pages_load_the_five_samples_exactly(shape, pages):
    projects = [p for stem in SAMPLE_STEMS for p in _read(pages[stem, shape]).projects]
    assert len(projects) == 78
    assert sum(len(p.indicators) for p in projects) == 368
    assert sum(p.amounts.total or Decimal(0) for p in projects) == Decimal("68820.68")


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_forms_one_table_per_project(stem, pages, sample_reports):
    want = sample_reports[stem]
    report = _read(pages[stem, "forms"])
    assert [(p.name, p.budget_unit, p.amounts, p.goal) for p in report.projects] == [
        (p.name, p.budget_unit, p.amounts, p.goal) for p in want.projects
    ]
    assert [[_indicator(i) for i in p.indicators] for p in report.projects] == [
        [_indicator(i) for i in p.indicators] for p in want.projects
    ]


@pytest.mark.parametrize("shape", SHAPES)
def test_table_cut_without_repeating_its_header_continues(shape, tmp_path, sample_reports):
    from tests.fixtures.office_generator import report_tables
    from tests.fixtures.web_generator import write_html

    stem = "004_a302c5053bc31a53"
    (table,) = [t for t in report_tables(spec_from_parsed_report(sample_reports[stem]), shape) if t.header_rows[1]]
    path = write_html([table], tmp_path / "cut.html", repeat_header=False)
    report = _read(path)
    assert_reads_like(report, sample_reports[stem], indicator_rows=shape == "per_indicator")
    assert {p.source_page for p in report.projects} == {3, 4}  # after the navigation and the other statement


def test_spans_fill_their_range_and_are_remembered():
    page = """<table><tr><th rowspan="2">项目名称</th><th colspan="2">项目资金</th></tr>
    <tr><th>总计</th><th>财政拨款</th></tr><tr><td colspan="3">合计</td></tr></table>"""
    (table,) = page_tables(page.encode())
    assert table.rows == [
        ["项目名称", "项目资金", "项目资金"],
        ["项目名称", "总计", "财政拨款"],
        ["合计", "合计", "合计"],
    ]
    assert table.spanned == {(0, 2), (1, 0), (2, 1), (2, 2)}
    assert table.printed_once(1) == [["", "总计", "财政拨款"], ["合计", "", ""]]


def test_cell_text_as_a_browser_shows_it():
    cell = lxml.html.fragment_fromstring(
        "<td> 完成&nbsp;率&ge;95%<br>质量 &amp; 效益<p>第三行</p><table><tr><td>内表</td></tr></table>\n  尾 </td>"
    )
    assert shown_text(cell) == "完成 率≥95%\n质量 & 效益\n第三行\n尾"


def test_nested_layout_table_is_a_table_of_its_own():
    page = "<table><tr><td>布局<table><tr><td>内</td></tr></table></td></tr></table>"
    outer, inner = page_tables(page.encode())
    assert (outer.rows, inner.rows) == ([["布局"]], [["内"]])


@pytest.mark.parametrize(
    ("data", "charset"),
    [
        ('<meta charset="gb2312"><p>项目</p>'.encode("gbk"), "gb18030"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=GBK"><p>项目</p>'.encode("gbk"), "gb18030"),
        ("<p>项目名称</p>".encode("gb18030"), "gb18030"),  # undeclared, not UTF-8: detected
        ("<p>项目名称</p>".encode(), "utf-8"),
        ('<meta charset="utf-8"><p>项目</p>'.encode("gbk"), "gb18030"),  # declaration lies: bytes win
        (b"\xef\xbb\xbf<p>" + "项目".encode(), "utf-8-sig"),
    ],
)
def test_charset_declared_or_detected(data, charset):
    text, used = decode_page(data)
    assert "项目" in text and used == charset


def test_page_without_the_table_is_refused(tmp_path):
    path = tmp_path / "news.html"
    path.write_text("<html><body><table><tr><td>首页</td><td>新闻</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(ReportRejected, match="no 项目支出绩效目标表 found"):
        _read(path)
