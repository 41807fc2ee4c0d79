"""Self-evaluations (项目支出绩效自评表) in the one-row-per-indicator shape (text, workbook, PDF) and as forms.

Every format reads through the existing shape reader into the same projects: budget and spending
in 万元, each indicator's result, points, score and deviation reason, the result parsed by the
parser of the targets; the report is recorded as a self-evaluation. A target table stays 'targets'.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingestion.excel.reader import read_workbook_report
from ingestion.model import SELF_EVALUATION_KIND, TARGETS_KIND, PrintedExecution
from ingestion.parse.execution import parse_execution, parse_rate
from ingestion.pdf.reader import read_pdf_report
from ingestion.raw_tables import create_raw_tables, insert_report
from ingestion.serialization import report_from_json, report_to_json
from ingestion.text.reader import parse_text_report
from ingestion.vocabulary import ACTUAL_VALUE, BUDGET_FULL_YEAR, EXECUTED, SCORE, SCORE_WEIGHT, role_of
from tests.fixtures.self_evaluation_generator import (
    BAIYUN_FEDERATION_2025,
    DEPARTMENT,
    EXPECTED_EXECUTION,
    self_evaluation_text,
    write_self_evaluation,
)

SAMPLE_000 = Path(__file__).resolve().parents[2] / "data" / "samples" / "000_78a7ae6ba5b81e46.txt"


def _read(fmt: str, tmp_path: Path):
    if fmt == "txt":
        return parse_text_report(self_evaluation_text().encode("utf-8"), source_file="se.txt", file_sha256="s")
    path = write_self_evaluation(tmp_path / f"se.{fmt}")
    if fmt == "pdf":
        return read_pdf_report(path, source_file="se.pdf", file_sha256="s")
    return read_workbook_report(path, kind="xlsx", source_file="se.xlsx", file_sha256="s")


def test_result_titles_have_their_roles():
    assert [role_of(t) for t in ("实际完成值", "分值", "得分", "全年预算数", "全年执行数")] == [
        ACTUAL_VALUE,
        SCORE_WEIGHT,
        SCORE,
        BUDGET_FULL_YEAR,
        EXECUTED,
    ]


@pytest.mark.parametrize("fmt", ["txt", "xlsx", "pdf"])
def test_self_evaluation_reads_projects_spending_and_results(fmt, tmp_path):
    report = _read(fmt, tmp_path)
    assert report.report_kind == SELF_EVALUATION_KIND
    assert (report.department_name, report.fiscal_year, report.warnings) == (DEPARTMENT, 2025, [])
    assert [p.name for p in report.projects] == ["办公场地项目经费", "扶贫工作经费"]
    got = {
        p.name: (
            p.execution.budget_initial,
            p.execution.budget_full_year,
            p.execution.executed,
            p.execution.execution_rate,
        )
        for p in report.projects
    }
    assert got == {name: want[:4] for name, want in EXPECTED_EXECUTION.items()}
    indicators = [i for p in report.projects for i in p.indicators]
    want = [i for p in BAIYUN_FEDERATION_2025 for i in p.indicators]
    assert [(i.name, i.annual_target, i.actual_value, i.score_weight, i.score) for i in indicators] == [
        (w.name, w.target, w.actual, w.weight, w.score) for w in want
    ]
    assert [i.deviation_reason for i in indicators if i.deviation_reason] == [
        "场地缩减，下年度重新核定面积",
        "帮扶地区调整，下年度落实",
    ]
    assert all(p.amounts.total is None for p in report.projects)  # no target-table amounts


def test_self_evaluation_survives_the_cache_and_lands_in_raw(tmp_path):
    report = _read("txt", tmp_path)
    assert report_from_json(report_to_json(report)) == report
    con = duckdb.connect()
    create_raw_tables(con)
    insert_report(con, report, parser_version="test")
    assert con.sql("select report_kind from raw.reports").fetchall() == [(SELF_EVALUATION_KIND,)]
    assert con.sql(
        "select project_name, executed, execution_rate, printed_execution from raw.projects order by project_seq"
    ).fetchall() == [
        ("办公场地项目经费", Decimal("13.500000"), Decimal("96.4300"), "14.00|14.00|13.50|96.43%"),
        ("扶贫工作经费", Decimal("0.300000"), Decimal("100.0000"), "0.30|0.30|0.30|100%"),
    ]
    rows = con.sql(
        "select indicator_name, actual_value, actual_operator, actual_low, actual_unit, score_weight, score "
        "from raw.indicators where project_seq = 2 order by indicator_seq"
    ).fetchall()
    assert rows[2] == ("帮扶地区数", "0个", "=", 0.0, "个", "10", "0")
    assert rows[4] == ("帮助帮扶对象解决问题", "2", "=", 2.0, None, "10", "10")


def test_a_target_table_is_targets_with_no_results():
    report = parse_text_report(SAMPLE_000.read_bytes(), source_file=SAMPLE_000.name, file_sha256="t")
    assert report.report_kind == TARGETS_KIND
    assert all(p.execution is None for p in report.projects)
    assert all(i.actual_value is None and i.score is None for p in report.projects for i in p.indicators)


@pytest.mark.parametrize(
    ("printed", "percent"),
    [("99.97%", Decimal("99.97")), ("99.97", Decimal("99.97")), ("0.9997", Decimal("99.97")), ("100%", Decimal("100"))],
)
def test_execution_rate_in_percent(printed, percent):
    assert parse_rate(printed) == percent


def test_amounts_in_yuan_are_converted_and_a_bad_cell_is_warned():
    warnings: list[str] = []
    printed = PrintedExecution("140,000.00", "140000", "abc", "九成")
    got = parse_execution(printed, unit="元", label="p", warnings=warnings)
    assert (got.budget_initial, got.budget_full_year, got.executed, got.execution_rate) == (
        Decimal("14.00"),
        Decimal("14.00"),
        None,
        None,
    )
    assert warnings == ["p 全年执行数: 'abc' is no amount; read as empty", "p: 执行率 '九成' is no rate; read as empty"]


# 池州 棠溪镇 2022 (../shared/other-regions/chizhou_tangxi_2022_selfeval.txt), its form cleaned into cells.
CHIZHOU_FORM = "\n".join(
    [
        "项目支出绩效自评表",
        "（2022年度）",
        "项目名称\t委托业务项目\t主管部门\t池州市贵池区棠溪镇人民政府\t实施单位\t池州市贵池区棠溪镇人民政府",
        "项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
        "\t年度资金总额\t90\t89.974\t89.974\t10\t99.97%\t10",
        "\t其中：本年财政拨款\t90\t89.974\t89.974",
        "年度总体目标\t预期目标\t实际完成情况",
        "\t本项目共申请预算资金90万元。\t本项目共完成预算资金89.97万元。",
        "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施",
        "\t产出指标\t数量指标\t基建工程委托业务项目数量\t≥50个\t50\t8\t8\t",
        "\t\t质量指标\t委托业务报告合格率\t≥100百分比\t100\t8\t8\t",
        "\t\t成本指标\t项目总成本\t≤90万元\t90\t8\t8\t",
        "\t效益指标\t社会效益指标\t对维护基建市场公平的影响程度\t效果明显\t达成预期指标\t10\t10\t",
    ]
)


def test_a_form_self_evaluation_reads_its_budget_goal_and_indicator_results():
    report = parse_text_report(CHIZHOU_FORM.encode("utf-8"), source_file="chizhou.txt", file_sha256="c")
    assert (report.report_kind, report.fiscal_year, report.department_name) == (
        SELF_EVALUATION_KIND,
        2022,
        "池州市贵池区棠溪镇人民政府",
    )
    (project,) = report.projects
    assert (project.goal, project.amounts.total, report.warnings) == ("本项目共申请预算资金90万元。", None, [])
    execution = project.execution
    assert (
        execution.budget_initial,
        execution.budget_full_year,
        execution.executed,
        execution.execution_rate,
        execution.score,
    ) == (Decimal("90"), Decimal("89.974"), Decimal("89.974"), Decimal("99.97"), Decimal("10"))
    assert [(i.level2_name, i.annual_target, i.actual_value, i.score_weight, i.score) for i in project.indicators] == [
        ("数量指标", "≥50个", "50", "8", "8"),
        ("质量指标", "≥100百分比", "100", "8", "8"),
        ("成本指标", "≤90万元", "90", "8", "8"),
        ("社会效益指标", "效果明显", "达成预期指标", "10", "10"),
    ]
