"""A department renamed between years: the seed department_aliases keeps its projects one project.

The two-year fixture (tests/dbt/two_year_reports.py) with its 2025 table printed under a new name,
「广州市工商业联合会（本级）」: by rule the two names are two departments (nothing is merged silently);
once a person records the rename in the seed, 工作经费 is one project across the years again.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import duckdb
import pytest

from tests.dbt.conftest import run_dbt
from tests.dbt.raw_reports import build_from_reports
from tests.dbt.two_year_reports import DEPARTMENT, REPORT_2024, REPORT_2025

RENAMED = "广州市工商业联合会（本级）"


@pytest.fixture(scope="module")
def renamed(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("renamed")
    return build_from_reports(workdir, (REPORT_2024, replace(REPORT_2025, department_name=RENAMED)))


def _rows(db_path, sql):
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.sql(sql).fetchall()


WORK_FUNDS = (
    "select fiscal_year, project_status, total_amount, previous_total_amount from main.mart_project_history "
    "where project_name like '%工作经费' order by fiscal_year, project_status"
)


def test_a_renamed_department_is_another_department_by_rule(renamed):
    assert _rows(
        renamed, "select count(distinct project_id) from main.fct_project_funding where project_name like '%工作经费'"
    ) == [(2,)]
    assert _rows(renamed, WORK_FUNDS) == [
        (2024, "first_report", Decimal("450.00"), None),
        (2025, "first_report", Decimal("500.00"), None),
    ]


def test_the_seed_carries_the_projects_across_the_rename(renamed, tmp_path):
    db_path = tmp_path / "candidate.duckdb"
    db_path.write_bytes(renamed.read_bytes())
    with duckdb.connect(str(db_path)) as con:
        con.execute(
            "insert into reference.department_aliases values (?, ?, 'test', date '2026-01-01')", [RENAMED, DEPARTMENT]
        )
    result = run_dbt(["run"], workdir=tmp_path, db_path=db_path)
    assert result.returncode == 0, result.stdout[-4000:]
    assert _rows(
        db_path, "select count(distinct project_id) from main.fct_project_funding where project_name like '%工作经费'"
    ) == [(1,)]
    assert _rows(db_path, WORK_FUNDS) == [
        (2024, "first_report", Decimal("450.00"), None),
        (2025, "continued", Decimal("500.00"), Decimal("450.00")),
    ]
    # the reports keep the department each printed
    assert _rows(db_path, "select fiscal_year, department_name from main.dim_reports order by 1") == [
        (2024, DEPARTMENT),
        (2025, RENAMED),
    ]
