"""The shared table parser, on rows shaped like those a PDF table reader produces."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingestion.model import Amounts, ReportRejected, SourceRow
from ingestion.parse.amounts import AmountError, amounts_from_cells, parse_amount
from ingestion.parse.table_parser import NO_PROJECT_ROWS, build_report

D = Decimal
IND = "1、1-产出指标；11-数量指标；服务人数；实施周期指标值:3人；年度指标值:3人。"


def row(name, amounts, goal="", indicators="", page=1, line=1, known=True, **cells):
    return SourceRow(
        name=name,
        amounts=amounts,
        goal=goal,
        indicators=indicators,
        source_page=page,
        source_row=line,
        amount_positions_known=known,
        **cells,
    )


def build(rows, layout="pdf", department="广州市某局"):
    return build_report(
        rows, source_file="x.pdf", file_sha256="abc", layout=layout, department_name=department, page_count=2
    )


def test_parse_amount():
    assert parse_amount("67,634.30") == D("67634.30")
    assert parse_amount(" 0.30 ") == D("0.30")
    assert parse_amount("") is None
    assert parse_amount("—") is None
    with pytest.raises(AmountError):
        parse_amount("12.3万")


def test_amounts_by_column_and_by_position():
    assert amounts_from_cells(["1,000.00", "800.00", "", "200.00"], positions_known=True) == Amounts(
        D("1000.00"), D("800.00"), D("0.00"), D("200.00")
    )
    assert amounts_from_cells(["", "", "", ""], positions_known=True) == Amounts()
    assert amounts_from_cells(["49.00", "49.00"], positions_known=False) == Amounts(
        D("49.00"), D("49.00"), D("0.00"), D("0.00")
    )


def test_hierarchy_header_repeats_and_page_split_continuation():
    header = row(
        "项目名称（资金使用单位）", ["总计", "财政拨款", "财政专户\n拨款", "其他资金"], "绩效目标", "绩效指标", line=1
    )
    rows = [
        header,
        row("合计", ["642.39", "642.39", "", ""], line=2),
        row("广州市工商业联合会", ["563.39", "563.39", "", ""], line=3),
        row(
            "工作\n经费", ["12.00", "12.00", "", ""], "为加强和密切与港澳", IND + "2、2-效益指标；22-社会效益；", line=4
        ),
        # page 2 repeats the header, then the rest of the row above arrives with empty name and amounts
        row(
            "项目名称（资金使用单位）",
            ["总计", "财政拨款", "财政专户拨款", "其他资金"],
            "绩效目标",
            "绩效指标",
            page=2,
            line=5,
        ),
        row("", ["", "", "", ""], "联系，拓展市场。", "搭建平台；实施周期指标值:1个；年度指标值:1个。", page=2, line=6),
        row("广州市民营企业投诉中心", ["79.00", "79.00", "", ""], page=2, line=7),
        row(
            "法律顾问服务",
            ["4.00", "4.00", "", ""],
            "保障",
            "1、1-产出指标；11-数量指标；服务年限；实施周期指标值:1年；年度指标值:1年。",
            page=2,
            line=8,
        ),
    ]
    report = build(rows)
    assert report.declared_total == Amounts(D("642.39"), D("642.39"), D("0.00"), D("0.00"))
    assert [(u.name, u.declared.total, u.source_page, u.source_row) for u in report.budget_units] == [
        ("广州市工商业联合会", D("563.39"), 1, 3),
        ("广州市民营企业投诉中心", D("79.00"), 2, 7),
    ]
    work, lawyer = report.projects
    assert (work.name, work.budget_unit, work.source_page, work.source_row) == ("工作经费", "广州市工商业联合会", 1, 4)
    assert work.goal == "为加强和密切与港澳联系，拓展市场。"
    assert [(i.seq, i.name, i.annual_target, i.source_page) for i in work.indicators] == [
        (1, "服务人数", "3人", 1),
        (2, "搭建平台", "1个", 1),
    ]
    assert work.indicators[1].level2_name == "社会效益"
    assert (lawyer.budget_unit, lawyer.amounts.total, lawyer.amounts_inferred) == (
        "广州市民营企业投诉中心",
        D("4.00"),
        False,
    )
    assert report.warnings == []
    assert (report.layout, report.department_name, report.page_count, report.fiscal_year) == (
        "pdf",
        "广州市某局",
        2,
        None,
    )


def test_positional_amounts_are_flagged_and_mismatch_warned():
    rows = [
        row("合计", ["10.00", "6.00", "4.00"], known=False, line=1),
        row("某单位", ["10.00", "6.00", "4.00"], known=False, line=2),
        row("项目甲", ["10.00", "6.00", "3.00"], "目标", IND, known=False, line=3),
    ]
    report = build(rows)
    [project] = report.projects
    assert project.amounts == Amounts(D("10.00"), D("6.00"), D("3.00"), D("0.00"))
    assert project.amounts_inferred is True
    assert report.warnings == [
        "page 1, row 3 项目甲: 财政拨款 + 财政专户拨款 + 其他资金 differ from 总计 by 1.00 "
        "[10.00 / 6.00 / 3.00 / 0.00] (columns assigned by position: empty cells were not printed); kept as printed"
    ]


def test_unit_cells_of_layout_c_and_missing_amounts():
    rows = [
        row(
            "项目甲",
            None,
            "目标甲",
            IND,
            page=None,
            line=6,
            department="广州市花都区工商业联合\n会",
            budget_unit="广州市花都区工商业联合\n会",
        ),
        row(
            "项目乙",
            None,
            "目标乙",
            IND,
            page=None,
            line=20,
            department="广州市花都区工商业联合会",
            budget_unit="广州市花都区非公有制经\n济组织服务中心",
        ),
    ]
    report = build_report(rows, source_file="c.txt", file_sha256="s", layout="C", department_name=None, page_count=None)
    assert report.department_name == "广州市花都区工商业联合会"
    assert [(u.name, u.declared, u.source_row) for u in report.budget_units] == [
        ("广州市花都区工商业联合会", Amounts(), 6),
        ("广州市花都区非公有制经济组织服务中心", Amounts(), 20),
    ]
    assert [(p.name, p.budget_unit, p.amounts) for p in report.projects] == [
        ("项目甲", "广州市花都区工商业联合会", Amounts()),
        ("项目乙", "广州市花都区非公有制经济组织服务中心", Amounts()),
    ]
    assert report.declared_total == Amounts()


def test_project_before_any_unit_row_goes_to_the_department():
    report = build([row("项目甲", ["1.00", "1.00", "", ""], "目标", IND)])
    assert report.projects[0].budget_unit == "广州市某局"
    assert [u.name for u in report.budget_units] == ["广州市某局"]
    assert report.warnings == ["page 1, row 1: project before any fund-using unit row; assigned to 广州市某局"]


def test_column_number_rows_and_empty_rows_are_dropped():
    rows = [
        row("栏次", ["1", "2", "3", "4"], "5", "6"),
        row("", ["", "", "", ""]),
        row("某单位", ["1.00", "1.00", "", ""]),
        row("项目甲", ["1.00", "1.00", "", ""], "目标", IND),
    ]
    report = build(rows)
    assert [p.name for p in report.projects] == ["项目甲"]
    assert [u.name for u in report.budget_units] == ["某单位"]


def test_bad_amount_cell_is_warned_and_read_as_empty():
    report = build(
        [row("某单位", ["1.00", "1.00", "", ""]), row("项目甲", ["1.00", "一万", "", ""], "目标", IND, line=9)]
    )
    assert report.projects[0].amounts == Amounts(D("1.00"), D("0.00"), D("0.00"), D("0.00"))
    assert report.warnings[0] == "page 1, row 9 项目甲: not an amount: '一万'; that cell read as empty"


def test_no_project_rows_is_rejected():
    with pytest.raises(ReportRejected) as info:
        build([row("合计", ["1.00", "1.00", "", ""]), row("某单位", ["1.00", "1.00", "", ""])])
    assert info.value.reason == NO_PROJECT_ROWS == "项目支出绩效目标表 header found but no project rows"
