"""Workbooks (.xlsx, .xls): the five samples in both table shapes and as forms read exactly as their text.

The generator (tests/fixtures/office_generator.py) saves them with a cover sheet and another
statement around the table, a title row merged across it, merged header titles, project and level
cells merged down, amounts as numbers and as text with thousands separators, a hidden column
holding data, and a date stored as a date.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import openpyxl
import pytest

from ingestion.excel.cells import cell_text, number_text
from ingestion.excel.reader import read_workbook_report
from ingestion.model import ReportRejected
from tests.fixtures.office_generator import Table, save_report, write_xlsx
from tests.fixtures.pdf_generator import spec_from_parsed_report
from tests.ingestion.conftest import SAMPLE_STEMS, _indicator, assert_reads_like, sha256

FORMATS = ["xlsx", "xls"]
SHAPES = ["per_project", "per_indicator"]


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory, sample_reports):
    out = tmp_path_factory.mktemp("workbooks")
    return {
        (stem, shape, fmt): save_report(spec_from_parsed_report(report), out / f"{stem}.{shape}.{fmt}", shape)
        for stem, report in sample_reports.items()
        for shape in SHAPES
        for fmt in FORMATS
    }


def _read(path, kind=None):
    kind = kind or path.suffix.lstrip(".")
    return read_workbook_report(path, kind=kind, source_file=path.name, file_sha256=sha256(path))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_workbook_reads_like_text(stem, shape, fmt, workbooks, sample_reports):
    report = _read(workbooks[stem, shape, fmt])
    assert_reads_like(report, sample_reports[stem], indicator_rows=shape == "per_indicator")
    assert report.layout == fmt
    assert (report.fiscal_year, report.fiscal_year_source) == (2025, "document")  # the title row's year
    assert report.amount_unit == "万元"
    assert report.source_parts == ["封面", "项目支出绩效目标表" if shape == "per_project" else "绩效目标表", "收支总表"]
    assert {p.source_page for p in report.projects} == {2}  # the second sheet


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("shape", SHAPES)
def test_workbooks_load_the_five_samples_exactly(shape, fmt, workbooks):
    reports = [_read(workbooks[stem, shape, fmt]) for stem in SAMPLE_STEMS]
    projects = [p for r in reports for p in r.projects]
    assert len(projects) == 78
    assert sum(len(p.indicators) for p in projects) == 368
    assert sum(p.amounts.total or Decimal(0) for p in projects) == Decimal("68820.68")


def test_source_row_is_the_sheet_row(workbooks):
    path = workbooks["004_a302c5053bc31a53", "per_indicator", "xlsx"]
    sheet = openpyxl.load_workbook(path)["绩效目标表"]
    report = _read(path)
    for project in report.projects:
        assert sheet.cell(project.source_row, 1).value == project.name
        for ind in project.indicators:
            assert sheet.cell(ind.source_row, 9).value == ind.name  # 三级指标 of the indicator's own row


def test_fixture_hides_a_column_that_holds_data(workbooks, sample_reports):
    """The hidden column (财政专户拨款) is read as data: the projects that print an amount in it keep it."""
    path = workbooks["004_a302c5053bc31a53", "per_project", "xlsx"]
    sheet = openpyxl.load_workbook(path)["项目支出绩效目标表"]
    assert sheet.column_dimensions["D"].hidden and sheet.cell(3, 4).value == "财政专户拨款"
    assert isinstance(sheet.cell(5, 2).value, float) and isinstance(sheet.cell(5, 4).value, (str, type(None)))
    want = sample_reports["004_a302c5053bc31a53"]
    assert [p.amounts.special_account for p in _read(path).projects] == [
        p.amounts.special_account for p in want.projects
    ]


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_unmerged_export_repeating_project_cells_reads_like_text(stem, tmp_path, sample_reports):
    """An export that merges nothing: every indicator row repeats its project's name, amounts and goal."""
    spec = spec_from_parsed_report(sample_reports[stem])
    report = _read(save_report(spec, tmp_path / f"{stem}.xlsx", "per_indicator", merge=False))
    assert_reads_like(report, sample_reports[stem], indicator_rows=True)


@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_forms_one_sheet_per_project(stem, tmp_path, sample_reports):
    want = sample_reports[stem]
    report = _read(save_report(spec_from_parsed_report(want), tmp_path / f"{stem}.forms.xlsx", "forms"))
    assert [(p.name, p.budget_unit, p.amounts, p.goal) for p in report.projects] == [
        (p.name, p.budget_unit, p.amounts, p.goal) for p in want.projects
    ]
    assert [[_indicator(i) for i in p.indicators] for p in report.projects] == [
        [_indicator(i) for i in p.indicators] for p in want.projects
    ]
    assert [p.source_page for p in report.projects] == list(range(1, len(want.projects) + 1))
    assert (report.fiscal_year, report.fiscal_year_source) == (2025, "document")  # the first form's title


def test_workbook_without_the_table_is_refused(tmp_path):
    path = write_xlsx([Table("收支总表", [["收入", "金额"], ["拨款", Decimal("12.5")]])], tmp_path / "other.xlsx")
    with pytest.raises(ReportRejected, match="no 项目支出绩效目标表 found"):
        _read(path)


def test_unknown_column_is_refused_naming_the_sheet(tmp_path):
    rows = [
        ["项目名称", "总计", "财政拨款", "绩效目标", "绩效指标", "备用编码"],
        ["甲项目", "1.00", "1.00", "目标", "1、数量", "X"],
    ]
    path = write_xlsx([Table("表一", rows)], tmp_path / "unknown.xlsx")
    with pytest.raises(ReportRejected, match=r"备用编码 \(表一, row 1\)"):
        _read(path)


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (1234.5, "#,##0.00", "1234.50"),
        (0.1 + 0.2, "General", "0.3"),
        (1e-05, "General", "0.00001"),
        (120000000.0, "General", "120000000"),
        (0.95, "0%", "95%"),
        (0.955, "0.0%", "95.5%"),
        (42, "General", "42"),
        (3.0, '"¥"#,##0.00;[Red]-"¥"#,##0.00', "3.00"),
    ],
)
def test_numbers_read_as_the_sheet_shows_them(value, number_format, text):
    assert number_text(value, number_format) == text


def test_dates_and_text_cells():
    assert cell_text(datetime.datetime(2025, 11, 30), "yyyy年m月d日") == "2025年11月30日"
    assert cell_text(datetime.datetime(2025, 11, 1), "yyyy年m月") == "2025年11月"
    assert cell_text(datetime.datetime(2025, 3, 1), "yyyy-mm-dd") == "2025-03-01"
    assert cell_text("1,234.50") == "1,234.50"  # an amount typed as text keeps its separators
    assert cell_text("第一行\r\n第二行") == "第一行\n第二行"
    assert cell_text(None) == ""


def test_raw_rows_keep_the_sheet_name(workbooks):
    """raw.projects / raw.indicators.source_part: the sheet the row is in, beside its position (source_page)."""
    from ingestion.raw_tables import RawRows

    rows = RawRows()
    rows.add_report(_read(workbooks["003_cdfe4f5fefb7849c", "per_indicator", "xls"]), parser_version="test")
    assert {(r["source_page"], r["source_part"]) for r in rows.rows["projects"]} == {(2, "绩效目标表")}
    assert {(r["source_page"], r["source_part"]) for r in rows.rows["indicators"]} == {(2, "绩效目标表")}
    assert rows.rows["reports"][0]["layout"] == "xls"


def test_project_merged_down_over_its_indicator_lines(tmp_path):
    """One row per project whose name, amounts and goal are merged down over one line per indicator."""
    rows = [
        ["项目名称", "总计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标"],
        ["合计", Decimal("30"), Decimal("30"), "", "", "", ""],
        ["某单位", Decimal("30"), Decimal("30"), "", "", "", ""],
        [
            "甲项目",
            Decimal("10"),
            Decimal("10"),
            "",
            "",
            "完成甲",
            "1、1-产出指标；11-数量指标；培训人数；年度指标值:≥100人。",
        ],
        ["", "", "", "", "", "", "2、2-效益指标；22-社会效益；满意度；年度指标值:≥90%。"],
        [
            "乙项目",
            Decimal("20"),
            Decimal("20"),
            "",
            "",
            "完成乙",
            "1、1-产出指标；11-数量指标；场次；年度指标值:≥2场。",
        ],
    ]
    merges = [(3, c, 4, c) for c in range(6)]
    report = _read(write_xlsx([Table("表", rows, merges)], tmp_path / "merged.xlsx"))
    assert [(p.name, p.amounts.total, p.goal, len(p.indicators)) for p in report.projects] == [
        ("甲项目", Decimal("10"), "完成甲", 2),
        ("乙项目", Decimal("20"), "完成乙", 1),
    ]
    assert [p.source_row for p in report.projects] == [4, 6]
    assert report.warnings == []


def test_dates_stored_as_dates_read_as_shown(workbooks):
    from ingestion.excel.reader import xls_tables, xlsx_tables

    xlsx_cover = xlsx_tables(workbooks["000_78a7ae6ba5b81e46", "per_project", "xlsx"])[0][0]
    xls_cover = xls_tables(workbooks["000_78a7ae6ba5b81e46", "per_project", "xls"])[0][0]
    assert xlsx_cover.rows[1][:2] == ["公开日期", "2025年2月10日"]  # format yyyy年m月d日
    assert xls_cover.rows[1][:2] == ["公开日期", "2025-02-10"]  # format yyyy-mm-dd
