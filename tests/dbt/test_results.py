"""Self-evaluation facts and attainment marts, built by dbt from a target table and its self-evaluation.

The raw warehouse holds sample 000 (广州市白云区工商业联合会, 2025 targets) and the fixture
self-evaluation of two of its projects (tests/fixtures/self_evaluation_generator.py); every figure
below follows from the fixture and the documented attainment rule.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingestion.text.reader import parse_text_report
from tests.dbt.raw_reports import build_from_reports
from tests.fixtures.self_evaluation_generator import EXPECTED_ATTAINMENT, EXPECTED_EXECUTION, self_evaluation_text

SAMPLE_000 = Path(__file__).resolve().parents[2] / "data" / "samples" / "000_78a7ae6ba5b81e46.txt"


@pytest.fixture(scope="module")
def results_warehouse(tmp_path_factory) -> Path:
    workdir = tmp_path_factory.mktemp("results")
    targets = parse_text_report(SAMPLE_000.read_bytes(), source_file=SAMPLE_000.name, file_sha256="t" * 64)
    targets = replace(targets, fiscal_year=2025, fiscal_year_source="manifest")
    evaluation = parse_text_report(self_evaluation_text().encode("utf-8"), source_file="se.txt", file_sha256="s" * 64)
    db_path = build_from_reports(workdir, (targets, evaluation))
    return db_path


def _rows(db_path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.sql(sql).fetchall()


def test_each_indicator_of_the_self_evaluation_has_its_result_and_lineage(results_warehouse):
    rows = _rows(
        results_warehouse,
        "select fiscal_year, indicator_name, annual_target, actual_value, score_weight_points, score_points, "
        "source_page, source_row from fct_indicator_results order by project_key, indicator_seq",
    )
    assert len(rows) == 8 and {r[0] for r in rows} == {2025}
    assert ("帮扶地区数", "≥1个", "0个", Decimal("10.0000"), Decimal("0.0000"), 1, 6) in [r[1:] for r in rows]


def test_executed_amounts_per_project(results_warehouse):
    rows = _rows(
        results_warehouse,
        "select project_name, budget_initial_amount, budget_full_year_amount, executed_amount, execution_rate, "
        "computed_execution_rate, fiscal_year from fct_project_execution",
    )
    assert {r[0]: tuple(r[1:6]) for r in rows} == EXPECTED_EXECUTION
    assert {r[6] for r in rows} == {2025}


def test_attainment_per_indicator_follows_the_rule(results_warehouse):
    rows = _rows(results_warehouse, "select project_name, indicator_name, attainment from mart_target_attainment")
    assert {(r[0], r[1]): r[2] for r in rows} == EXPECTED_ATTAINMENT
    basis = _rows(
        results_warehouse,
        "select indicator_name, attainment_basis, result_number, is_full_score from mart_target_attainment "
        "where indicator_name in ('费用支付及时率', '租赁场地面积', '帮助帮扶对象解决问题') order by indicator_name",
    )
    assert basis == [
        ("帮助帮扶对象解决问题", "units differ or no number target", 2.0, True),
        ("租赁场地面积", "result wording", None, False),
        ("费用支付及时率", "number", 100.0, True),
    ]


def test_the_self_evaluation_finds_its_project_in_the_target_table(results_warehouse):
    rows = _rows(
        results_warehouse,
        "select attainment.project_name, count(*), count(attainment.target_table_annual_target), "
        "count(distinct funding.project_key) from mart_target_attainment as attainment "
        "left join fct_project_funding as funding on funding.project_key = attainment.target_project_key "
        "group by 1 order by 1",
    )
    assert rows == [("办公场地项目经费", 3, 3, 1), ("扶贫工作经费", 5, 5, 1)]


def test_attainment_per_department_and_category(results_warehouse):
    assert _rows(
        results_warehouse,
        "select department_name, fiscal_year, indicator_count, met_count, not_met_count, not_comparable_count, "
        "attainment_rate, score_weight_total, score_total from mart_attainment_by_department",
    ) == [("广州市白云区工商业联合会", 2025, 8, 3, 2, 3, Decimal("0.6000"), Decimal("80.0000"), Decimal("63.0000"))]
    by_level1 = _rows(
        results_warehouse,
        "select level1_name, sum(indicator_count), sum(met_count), sum(not_met_count) "
        "from mart_attainment_by_category group by 1 order by 1",
    )
    assert by_level1 == [("产出指标", 4, 1, 2), ("效益指标", 4, 2, 0)]
