"""Table shapes without PDFs: the header decides the shape, one row per indicator reads like one row per project.

The five samples are re-printed as tab-separated text of one row per indicator (a two-row header
with parent titles, project cells on the first row only, page breaks inside projects, a title with
the year) and must read exactly as their own text does.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from ingestion.extract import with_fiscal_year
from ingestion.model import ReportRejected
from ingestion.parse.report_header import find_fiscal_year
from ingestion.parse.table_parser import build_report
from ingestion.shapes.per_indicator import IndicatorRowCollector
from ingestion.text.reader import parse_text_report, read_text_report
from ingestion.vocabulary import (
    PER_INDICATOR,
    PER_PROJECT,
    column_roles,
    has_target_header,
    table_shape,
    unknown_columns,
)

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "data" / "samples").glob("*.txt"))


@pytest.fixture(scope="module")
def sample_reports():
    return {
        p.stem: read_text_report(p, source_file=p.name, file_sha256=hashlib.sha256(p.read_bytes()).hexdigest())
        for p in SAMPLES
    }


# --------------------------------------------------------------------------- recognising the header
def test_header_decides_the_shape():
    per_project = [["项目名称（资金使用单位）", "总计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标"]]
    two_rows = [
        ["项目名称", "项目资金（元）", "", "", "", "绩效目标", "绩效指标", "", "", "", ""],
        [
            "",
            "总计",
            "财政拨款",
            "财政专户拨款",
            "其他资金",
            "",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值(长期)",
            "指标值(年度)",
        ],
    ]
    assert table_shape(column_roles(per_project)) == PER_PROJECT
    roles = column_roles(two_rows)
    assert table_shape(roles) == PER_INDICATOR
    assert (roles["total"], roles["level1"], roles["period"], roles["annual"]) == (1, 6, 9, 10)
    assert unknown_columns(two_rows) == []
    assert unknown_columns([["序号", "项目名称", "三级指标", "指标值", "备案编号"]]) == ["备案编号"]
    assert table_shape(column_roles([["项目", "预算数", "项目名称", "预算数"]])) is None


def test_title_is_not_needed_and_a_contents_page_is_not_a_table():
    assert has_target_header("项目名称总计财政拨款绩效目标绩效指标")  # no title
    assert has_target_header("项目支出名称一级指标二级指标三级指标指标值")
    assert not has_target_header("目录1.部门收支总表5.项目支出绩效目标表")
    assert not has_target_header("三公经费支出表项目名称预算数")


@pytest.mark.parametrize(
    ("lines", "year"),
    [
        (["2025年项目支出绩效目标表"], 2025),
        (["部门预算项目绩效目标表", "（2026年度）"], 2026),
        (["项目支出绩效目标表", "填报日期：2025年3月1日"], None),
        (["部门名称：广州市工商业联合会", "单位：万元"], None),
    ],
)
def test_fiscal_year_printed_in_the_title(lines, year):
    assert find_fiscal_year(lines) == year


# ------------------------------------------------------------------------- one row per indicator
ROLES = {"name": 0, "goal": 1, "level1": 2, "level2": 3, "level3": 4, "annual": 5}


def _read(pages: list[list[list[str]]], roles=ROLES):
    collector = IndicatorRowCollector()
    for number, body in enumerate(pages, start=1):
        collector.add_page(number, body, roles)
    report = build_report(
        collector.rows, source_file="t", file_sha256="x", layout="pdf", department_name="部门", page_count=len(pages)
    )
    return report, collector


def test_merged_cells_category_rows_and_page_breaks():
    page1 = [
        ["项目甲", "目标甲的前半", "产出指标", "数量指标", "人数", "4人"],
        ["", "与后半。", "", "", "次数", "2次"],
        ["", "", "", "质量指标", "合格率", "≥95"],
    ]
    page2 = [
        ["", "", "", "", "", "%"],  # the rest of the indicator row broken by the page break
        ["", "", "效益指标", "经济效益指标", "", ""],  # a category row: no indicator
        ["", "", "", "社会效益指标", "群众受益", "明显"],
    ]
    page3 = [
        ["项目甲", "目标甲的前半与后半。", "满意度指标", "服务对象满意度", "满意度", "≥90%"],  # printed again
        ["项目乙", "目标乙。", "产出指标", "时效指标", "完成时间", "12月底前"],
    ]
    report, _ = _read([page1, page2, page3])
    a, b = report.projects
    assert (a.name, a.goal, b.name) == ("项目甲", "目标甲的前半与后半。", "项目乙")
    got = [(i.level1_name, i.level2_name, i.name, i.annual_target, i.source_page) for i in a.indicators]
    assert got == [
        ("产出指标", "数量指标", "人数", "4人", 1),
        ("产出指标", "数量指标", "次数", "2次", 1),
        ("产出指标", "质量指标", "合格率", "≥95%", 1),
        ("效益指标", "社会效益指标", "群众受益", "明显", 2),
        ("满意度指标", "服务对象满意度", "满意度", "≥90%", 3),
    ]
    assert [i.seq for i in a.indicators] == [1, 2, 3, 4, 5]
    assert [(i.name, i.source_page) for i in b.indicators] == [("完成时间", 3)]
    assert report.warnings == ["page 1, row 1: project before any fund-using unit row; assigned to 部门"]


def test_integrated_system_export_columns_are_kept():
    """预算管理一体化: comparator, number and unit in their own columns, with weight and direction."""
    header = [
        [
            "项目名称",
            "年度目标",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标性质",
            "指标值",
            "度量单位",
            "权重",
            "指标方向性",
        ]
    ]
    roles = column_roles(header)
    assert unknown_columns(header) == []
    body = [["信息系统运维", "保障系统运行。", "产出指标", "质量指标", "系统可用率", "≥", "99", "%", "20", "正向"]]
    report, _ = _read([body], roles)
    (ind,) = report.projects[0].indicators
    assert (ind.annual_target, ind.comparator, ind.target_unit, ind.weight, ind.direction) == (
        "≥99%",
        "≥",
        "%",
        "20",
        "正向",
    )


# ----------------------------------------------------------------------- text: the five samples
def _grid_text(report, *, title: str | None, rows_per_page: int) -> str:
    """The report as tab-separated text of one row per indicator (two-row header, form feeds)."""
    amounts = report.layout != "C"
    head1 = (
        ["项目名称（资金使用单位）", "项目资金（万元）", "", "", ""]
        if amounts
        else ["主管部门", "预算单位", "项目名称"]
    )
    head2 = ["", "总计", "财政拨款", "财政专户拨款", "其他资金"] if amounts else ["", "", ""]
    head1 += ["绩效目标", "绩效指标", "", "", "", ""]
    head2 += ["", "一级指标", "二级指标", "三级指标", "实施周期指标值", "年度指标值"]
    n_project = len(head2) - 5

    def money(v):
        return "" if v is None or v == 0 else f"{v:,.2f}"

    def project_cells(name, amt, unit=""):
        if amounts:
            return [name, *(money(getattr(amt, k)) for k in ("total", "fiscal", "special_account", "other"))]
        return [report.department_name or unit, unit, name]

    rows = []
    if amounts and report.declared_total.total is not None:
        rows.append(project_cells("合计", report.declared_total) + [""] * 6)
    units = {u.name: u for u in report.budget_units}
    seen = set()
    for p in report.projects:
        unit = units.get(p.budget_unit)
        if amounts and unit is not None and unit.name not in seen and unit.declared.total is not None:
            rows.append(project_cells(unit.name, unit.declared) + [""] * 6)
        seen.add(p.budget_unit)
        for k, i in enumerate(p.indicators or [None]):
            first = project_cells(p.name, p.amounts, p.budget_unit) + [p.goal] if k == 0 else [""] * n_project
            cells = (
                ["", "", "", "", ""]
                if i is None
                else [i.level1_name, i.level2_name, i.name, i.period_target, i.annual_target]
            )
            rows.append(first + [c or "" for c in cells])
    lines = [title or "", f"部门名称：{report.department_name or ''}", ""]
    for start in range(0, len(rows), rows_per_page):
        if start:
            lines.append("\f")
        lines += ["\t".join(head1), "\t".join(head2)]
        lines += ["\t".join(r) for r in rows[start : start + rows_per_page]]
    return "\n".join(lines) + "\n"


def _indicator(i) -> tuple:
    return (i.level1_name, i.level2_name, i.name, i.period_target or None, i.annual_target)


@pytest.mark.parametrize("title", ["2025年项目支出绩效目标表", None])
@pytest.mark.parametrize("stem", [p.stem for p in SAMPLES])
def test_text_grid_of_each_sample_reads_like_its_text(stem, title, sample_reports):
    want = sample_reports[stem]
    text = _grid_text(want, title=title, rows_per_page=7)
    got = parse_text_report(text.encode("utf-8"), source_file="grid.txt", file_sha256="x")
    assert [(p.name, p.budget_unit, p.amounts, p.goal) for p in got.projects] == [
        (p.name, p.budget_unit, p.amounts, p.goal) for p in want.projects
    ]
    assert [[_indicator(i) for i in p.indicators] for p in got.projects] == [
        [_indicator(i) for i in p.indicators] for p in want.projects
    ]
    assert got.declared_total == want.declared_total and got.warnings == []
    assert (got.fiscal_year, got.fiscal_year_source) == ((2025, "document") if title else (None, None))


def test_text_grids_load_the_five_samples_exactly(sample_reports):
    reports = [
        parse_text_report(_grid_text(r, title=None, rows_per_page=9).encode(), source_file="g", file_sha256="x")
        for r in sample_reports.values()
    ]
    projects = [p for r in reports for p in r.projects]
    assert (len(projects), sum(len(p.indicators) for p in projects)) == (78, 368)
    assert str(sum(p.amounts.total or 0 for p in projects)) == "68820.68"


def test_text_grid_with_a_column_not_understood_is_refused(sample_reports):
    text = _grid_text(sample_reports["003_cdfe4f5fefb7849c"], title=None, rows_per_page=50)
    text = text.replace("年度指标值\n", "年度指标值\t备案编号\n", 1)
    with pytest.raises(ReportRejected, match="备案编号"):
        parse_text_report(text.encode(), source_file="g", file_sha256="x")


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_samples_without_their_title_read_the_same(path, sample_reports):
    text = path.read_bytes().decode("utf-8-sig").replace("项目支出绩效目标表（含转移支付项目）", "")
    got = parse_text_report(text.encode("utf-8"), source_file=path.name, file_sha256="x")
    want = sample_reports[path.stem]
    assert replace(got, file_sha256=want.file_sha256) == want


def test_fiscal_year_order_manifest_then_document_then_names(sample_reports, tmp_path):
    from ingestion.inbox import InboxFile

    report = replace(sample_reports["003_cdfe4f5fefb7849c"], fiscal_year=2026, fiscal_year_source="document")

    def inbox_file(year, source):
        return InboxFile(
            path=tmp_path / "x.txt", source_file="x.txt", sha256="x", fiscal_year=year, fiscal_year_source=source
        )

    assert with_fiscal_year(report, inbox_file(2024, "manifest")).fiscal_year_source == "manifest"
    assert (with_fiscal_year(report, inbox_file(2024, "file name")).fiscal_year) == 2026
    unprinted = replace(report, fiscal_year=None, fiscal_year_source=None)
    assert with_fiscal_year(unprinted, inbox_file(2024, "folder name")).fiscal_year == 2024


# ------------------------------------------------------------------------------ amounts and units
def _in_yuan(text: str) -> str:
    """Every amount of a layout-B sample re-printed in 元, the unit line saying so."""
    import re

    def yuan(match):
        return f"{Decimal(match.group(0).replace(',', '')) * 10000:,.2f}"

    out = []
    for line in text.split("\n"):
        if "\t" in line:
            cells = line.split("\t")
            cells[1:5] = [re.sub(r"^\d[\d,]*\.\d{2}$", yuan, c) for c in cells[1:5]]
            line = "\t".join(cells)
        out.append(line.replace("单位：万元", "金额单位：元"))
    return "\n".join(out)


def test_amounts_printed_in_yuan_are_converted_exactly(sample_reports):
    path = next(p for p in SAMPLES if p.stem == "004_a302c5053bc31a53")
    text = _in_yuan(path.read_bytes().decode("utf-8-sig"))
    assert "金额单位：元" in text
    got = parse_text_report(text.encode(), source_file=path.name, file_sha256="x")
    want = sample_reports[path.stem]
    assert [p.amounts for p in got.projects] == [p.amounts for p in want.projects]
    assert got.declared_total == want.declared_total and got.warnings == want.warnings
    assert got.amount_unit == "元" and want.amount_unit == "万元"
    first = got.projects[0]
    assert first.amount_unit == "元" and first.printed_amounts[0] == f"{want.projects[0].amounts.total * 10000:,.2f}"


@pytest.mark.parametrize(
    ("cell", "unit", "wan"),
    [
        ("771,325,800.00", "元", "77132.58"),
        ("250万", None, "250"),
        ("10000万元", "元", "10000"),
        ("1,234.56", "元", "0.123456"),
        ("12.00", "万元", "12.00"),
        ("2.5亿元", None, "25000.00"),
    ],
)
def test_cell_in_wan(cell, unit, wan):
    from ingestion.parse.amount_units import cell_in_wan

    assert Decimal(cell_in_wan(cell, unit)[0]) == Decimal(wan)


def test_unit_stated_above_or_in_a_column_title():
    from ingestion.parse.amount_units import stated_unit, title_unit

    assert stated_unit(["部门名称：某局", "金额单位：元"]) == "元"
    assert stated_unit(["单位 ： 万元"]) == "万元"
    assert stated_unit(["部门名称：某局"]) is None
    assert title_unit(["项目名称", "项目资金（元）总计"]) == "元"


# ------------------------------------------------------------------------- text: one form per project
@pytest.mark.parametrize("in_yuan", [False, True], ids=["wan", "yuan"])
@pytest.mark.parametrize("stem", [p.stem for p in SAMPLES])
def test_text_forms_give_one_project_per_form(stem, in_yuan, sample_reports):
    from tests.fixtures.pdf_form_generator import FORM_TITLE, form_rows
    from tests.fixtures.pdf_generator import spec_from_parsed_report

    want = sample_reports[stem]
    spec = spec_from_parsed_report(want)
    pages = []
    for unit in spec.units:
        for p in unit.projects:
            rows = form_rows(p, spec.department or unit.name, p.budget_unit or unit.name, in_yuan)
            head = [FORM_TITLE, "金额单位：元" if in_yuan else "单位：万元"]
            pages.append("\n".join(head + ["\t".join(r) for r in rows]))
    got = parse_text_report("\n\f".join(pages).encode(), source_file="forms.txt", file_sha256="x")
    assert [(p.name, p.budget_unit, p.amounts, p.goal) for p in got.projects] == [
        (p.name, p.budget_unit, p.amounts, p.goal) for p in want.projects
    ]
    assert [[_indicator(i) for i in p.indicators] for p in got.projects] == [
        [_indicator(i) for i in p.indicators] for p in want.projects
    ]
    assert (got.fiscal_year, got.amount_unit, got.warnings) == (2025, "元" if in_yuan else "万元", [])
    assert [p.source_page for p in got.projects] == list(range(1, len(want.projects) + 1))


def test_form_labels_values_under_labels_and_category_rows():
    """总体目标 | 年度目标 over their texts; label：value in one cell; a category row is no indicator."""
    text = "\n".join(
        [
            "绩效目标表",
            "（2020年度）",
            "项目名称\t农村义务教育薄弱学校改造补助资金\t项目主管部门\t青山区教育局\t项目执行单位\t化工区学校",
            "资金情况（万元）\t年度资金总额:16\t其中：财政拨款\t16",
            "总体目标\t年度目标",
            "全面改善办学条件。\t完成16所学校改造。",
            "绩效指标\t一级指标\t二级指标\t指标内容\t指标值",
            "\t产出指标\t数量指标\t学校改造覆盖率\t100%",
            "\t\t质量指标\t校舍维修改造质量合格率\t100%",
            "\t效益指标\t经济效益指标\t\t",
            "\t\t可持续影响指标\t义务教育优质均衡发展情况\t稳步提高",
        ]
    )
    report = parse_text_report(text.encode(), source_file="wuhan.txt", file_sha256="x")
    (p,) = report.projects
    assert (p.name, p.budget_unit, p.goal, str(p.amounts.total), str(p.amounts.fiscal)) == (
        "农村义务教育薄弱学校改造补助资金",
        "化工区学校",
        "完成16所学校改造。",
        "16",
        "16",
    )
    assert (report.department_name, report.fiscal_year) == ("青山区教育局", 2020)
    assert [(i.level1_name, i.level2_name, i.name, i.annual_target) for i in p.indicators] == [
        ("产出指标", "数量指标", "学校改造覆盖率", "100%"),
        ("产出指标", "质量指标", "校舍维修改造质量合格率", "100%"),
        ("效益指标", "可持续影响指标", "义务教育优质均衡发展情况", "稳步提高"),
    ]


# ------------------------------------------------------------------------------ into the warehouse
def test_year_source_units_and_indicator_columns_reach_the_marts(samples_warehouse):
    import duckdb

    with duckdb.connect(str(samples_warehouse), read_only=True) as con:
        reports = con.sql("select distinct fiscal_year, fiscal_year_source, amount_unit from dim_reports").fetchall()
        projects = con.sql(
            "select count(*), count(printed_amounts), count(multi_year_total_amount), min(amount_unit) "
            "from fct_project_funding"
        ).fetchall()[0]
        indicators = con.sql(
            "select count(*), count(source_row), count(weight), count(direction), count(target_comparator) "
            "from fct_performance_indicators"
        ).fetchall()[0]
    assert reports == [(2025, "manifest", "万元")]
    assert projects[0] == 78 and projects[1] == 65 and projects[2:] == (0, "万元")
    assert indicators == (368, 0, 0, 0, 0)  # numbered text in one cell: no row, weight or comparator of their own
