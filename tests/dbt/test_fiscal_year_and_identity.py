"""A target table and its self-evaluation of one department and year: one project, its targets, results and attainment.

The raw warehouse holds sample 000 (广州市白云区工商业联合会) as its 2024 target table and the fixture
self-evaluation (tests/fixtures/self_evaluation_generator.py) as its 2024 self-evaluation, with the
project names printed a little differently, as the year-end tables do: 「2024年办公场地项目经费」 and
「扶贫 工作经费(重安排)」, and one indicator name with a stray space (「帮扶 地区数」). Every fact carries the
fiscal year and the project_id; the self-evaluation's rows stay out of the target facts and the
indicator-quality marts; the attainment mart pairs each result with its target row by project_id.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingestion.text.reader import parse_text_report
from tests.dbt.raw_reports import build_from_reports
from tests.fixtures.self_evaluation_generator import BAIYUN_FEDERATION_2025, self_evaluation_text

SAMPLE_000 = Path(__file__).resolve().parents[2] / "data" / "samples" / "000_78a7ae6ba5b81e46.txt"
TARGETS_FILE, EVALUATION_FILE = "2024/targets.txt", "2024/self_evaluation.txt"
RENAMED_PROJECTS = {"办公场地项目经费": "2024年办公场地项目经费", "扶贫工作经费": "扶贫 工作经费(重安排)"}
RENAMED_INDICATORS = {"帮扶地区数": "帮扶 地区数"}
FACTS = (
    "fct_project_funding",
    "fct_performance_indicators",
    "fct_funding_by_source",
    "fct_indicator_results",
    "fct_project_execution",
    "mart_target_attainment",
)


def _evaluation_2024():
    """The fixture self-evaluation titled 2024, its names printed as RENAMED_* (set after reading: the text
    reader drops spaces inside a cell, the grid readers keep them)."""
    text = self_evaluation_text(BAIYUN_FEDERATION_2025).replace("2025年", "2024年")
    report = parse_text_report(text.encode("utf-8"), source_file=EVALUATION_FILE, file_sha256="e" * 64)
    projects = [
        replace(
            project,
            name=RENAMED_PROJECTS[project.name],
            indicators=[replace(i, name=RENAMED_INDICATORS.get(i.name, i.name)) for i in project.indicators],
        )
        for project in report.projects
    ]
    return replace(report, projects=projects)


@pytest.fixture(scope="module")
def one_year(tmp_path_factory):
    """(db path, the parsed target table) of the built warehouse."""
    workdir = tmp_path_factory.mktemp("one_year")
    targets = parse_text_report(SAMPLE_000.read_bytes(), source_file=TARGETS_FILE, file_sha256="t" * 64)
    targets = replace(targets, fiscal_year=2024, fiscal_year_source="manifest")
    evaluation = _evaluation_2024()
    assert evaluation.fiscal_year == 2024  # from the title 「2024年项目支出绩效自评表」
    db_path = build_from_reports(workdir, (targets, evaluation))
    return db_path, targets


def _rows(db_path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.sql(sql).fetchall()


def test_dim_reports_says_which_report_is_the_self_evaluation(one_year):
    db_path, _ = one_year
    assert _rows(db_path, "select source_file, report_kind, fiscal_year from dim_reports order by 1") == [
        (EVALUATION_FILE, "self_evaluation", 2024),
        (TARGETS_FILE, "targets", 2024),
    ]


def test_every_fact_carries_the_fiscal_year_and_the_project_id(one_year):
    db_path, _ = one_year
    for table in (*FACTS, "fct_reconciliation"):
        years, rows, without_id = _rows(
            db_path, f"select list(distinct fiscal_year), count(*), count(*) - count(project_id) from main.{table}"
        )[0]
        assert years == [2024] and rows > 0, table
        if table != "fct_reconciliation":
            assert without_id == 0, table
    # a reconciliation check of a project carries its project_id; a 合计 or subtotal check has none
    assert _rows(
        db_path,
        "select count(*) from main.fct_reconciliation where (project_key is null) <> (project_id is null)",
    ) == [(0,)]


def test_the_self_evaluation_does_not_inflate_the_target_facts_or_the_quality_marts(one_year):
    db_path, targets = one_year
    projects = len(targets.projects)
    indicators = sum(len(p.indicators) for p in targets.projects)
    with_amounts = sum(1 for p in targets.projects if p.amounts is not None)
    assert (projects, indicators) == (9, 40)
    assert _rows(
        db_path,
        "select (select count(*) from fct_project_funding), (select count(*) from fct_performance_indicators), "
        "(select count(*) from fct_funding_by_source), "
        "(select sum(total_amount) from fct_project_funding) = (select declared_total_amount from dim_reports "
        "where report_kind = 'targets')",
    ) == [(projects, indicators, 3 * with_amounts, True)]
    for table in ("fct_project_funding", "fct_performance_indicators", "fct_funding_by_source"):
        assert _rows(
            db_path,
            f"select count(*) from {table} join dim_reports using (report_key) where report_kind <> 'targets'",
        ) == [(0,)], table
    assert _rows(
        db_path,
        "select dim_reports.source_file, q.fiscal_year, q.project_count, q.indicator_count "
        "from mart_indicator_quality_by_report q "
        "join dim_reports using (report_key)",
    ) == [(TARGETS_FILE, 2024, projects, indicators)]
    assert _rows(
        db_path, "select report_count, project_count, indicator_count from mart_indicator_quality_by_department"
    ) == [(1, projects, indicators)]
    # the self-evaluation's 8 indicators and 2 projects are in its own facts
    assert _rows(
        db_path, "select (select count(*) from fct_indicator_results), (select count(*) from fct_project_execution)"
    ) == [(8, 2)]


def test_one_project_across_the_target_table_and_its_self_evaluation(one_year):
    db_path, _ = one_year
    rows = _rows(
        db_path,
        "select funding.project_name, execution.project_name, identity.match_rule, identity.match_confidence, "
        "funding.total_amount, execution.executed_amount "
        "from fct_project_execution as execution "
        "join fct_project_funding as funding using (project_id) "
        "join intermediate.int_project_identity as identity on identity.project_key = execution.project_key "
        "order by 1",
    )
    assert rows == [
        (
            "办公场地项目经费",
            "2024年办公场地项目经费",
            "normalised",
            Decimal("0.90"),
            Decimal("14.00"),
            Decimal("13.500000"),
        ),
        ("扶贫工作经费", "扶贫 工作经费(重安排)", "normalised", Decimal("0.90"), Decimal("0.30"), Decimal("0.300000")),
    ]
    history = _rows(
        db_path,
        "select project_name, printed_project_count, total_amount from mart_project_history "
        "where project_id in (select project_id from fct_project_execution) order by 1",
    )
    assert history == [("办公场地项目经费", 1, Decimal("14.00")), ("扶贫工作经费", 1, Decimal("0.30"))]
    assert _rows(db_path, "select count(*) from mart_indicator_target_changes") == [(0,)]


def test_each_result_pairs_with_its_target_row_by_project_id(one_year):
    db_path, _ = one_year
    rows = _rows(
        db_path,
        "select attainment.project_name, attainment.indicator_name, attainment.target, "
        "attainment.target_table_annual_target, target.indicator_name, attainment.result, attainment.attainment "
        "from mart_target_attainment as attainment "
        "join fct_project_funding as funding on funding.project_key = attainment.target_project_key "
        "join fct_performance_indicators as target on target.indicator_key = attainment.target_indicator_key "
        "where funding.project_id = attainment.project_id and target.project_key = funding.project_key "
        "order by attainment.project_name, attainment.indicator_name",
    )
    office, poverty = "2024年办公场地项目经费", "扶贫 工作经费(重安排)"
    # the target as the self-evaluation prints it, and as the target table printed it (target_table_annual_target)
    assert rows == [
        (office, "加强社会责任意识", "单位员工主动节约用水用电，社会责任意识加强",
         "单位员工主动节约用水用电，社会责任意识加强", "加强社会责任意识", "达成预期指标", "met"),
        (office, "租赁场地面积", "达标", "达标", "租赁场地面积", "未达标", "not met"),
        (office, "费用支付及时率", "100%", "100%", "费用支付及时率", "100%", "met"),
        (poverty, "巩固拓展脱贫攻坚成果", "助力乡村建设", "通过对口帮扶，增加脱贫户收入，助力乡村建设",
         "巩固拓展脱贫攻坚成果", "效果明显", "not comparable"),
        (poverty, "帮助帮扶对象解决问题", "解决1个实际问题", "反映帮助结对帮扶对象解决问题情况：解决1个实际问题",
         "帮助帮扶对象解决问题", "2", "not comparable"),
        (poverty, "帮扶 地区数", "≥1个", "≥1个", "帮扶地区数", "0个", "not met"),
        (poverty, "开展切实可行且富有成效的帮扶工作", "切实可行且富有成效",
         "切实可行且富有成效，得满分；切实可行且成效不明显，部分得分；不切实可行，不得分",
         "开展切实可行且富有成效的帮扶工作", "部分得分", "not comparable"),
        (poverty, "强化社会发动", "为贫困人口提供就业岗位",
         "商协会、企业、社会机构有筹集帮扶资金（物资）、或为贫困人口提供就业岗位、或为其解决其他实际问题，得满分；"
         "赴对口帮扶地区但没有为其解决实际问题，部分得分；以上均无，不得分", "强化社会发动", "达成预期指标", "met"),
    ]  # fmt: skip
    assert _rows(
        db_path,
        "select department_name, fiscal_year, indicator_count, met_count, not_met_count, not_comparable_count, "
        "attainment_rate from mart_attainment_by_department",
    ) == [("广州市白云区工商业联合会", 2024, 8, 3, 2, 3, Decimal("0.6000"))]
