"""One project across years: identity rule, history mart, uncertain matches, the confirmed-match seed, target changes."""

from __future__ import annotations

import shutil
from decimal import Decimal

import duckdb
import pytest

from tests.dbt.conftest import run_dbt
from tests.dbt.two_year_reports import DEPARTMENT, UNIT, write_two_year_warehouse


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("history")
    db_path = workdir / "candidate.duckdb"
    write_two_year_warehouse(db_path)
    result = run_dbt(["build"], workdir=workdir, db_path=db_path)
    assert result.returncode == 0, result.stdout[-4000:]
    return db_path


def _rows(db_path, sql, params=()):
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _history(db_path):
    return {
        (year, name): (status, total, previous, change, pct)
        for year, name, status, total, previous, change, pct in _rows(
            db_path,
            "select fiscal_year, project_name, project_status, total_amount, previous_total_amount, change_amount,"
            " change_pct from main.mart_project_history",
        )
    }


def test_names_that_differ_by_a_year_a_space_or_a_tag_are_one_project(two_years):
    rows = _rows(
        two_years,
        "select fiscal_year, project_name, project_id, match_rule, match_confidence from intermediate.int_project_identity",
    )
    ids = {(year, name): project_id for year, name, project_id, _, _ in rows}
    assert ids[(2024, "2024年工作经费")] == ids[(2025, "工作经费")]
    assert ids[(2024, "购置 经费(重安排)")] == ids[(2025, "购置经费")]
    confidence = {(year, name): (rule, conf) for year, name, _, rule, conf in rows}
    assert confidence[(2024, "2024年工作经费")] == ("exact", Decimal("1.00"))
    assert confidence[(2025, "工作经费")] == ("normalised", Decimal("0.90"))


def test_two_projects_of_one_report_never_share_an_id_even_when_the_rule_makes_them_equal(two_years):
    rows = _rows(
        two_years,
        "select project_name, project_id from intermediate.int_project_identity where project_name like '档案整理经费%'",
    )
    assert len(rows) == 2
    assert len({project_id for _, project_id in rows}) == 2
    per_report = _rows(
        two_years,
        "select count(*), count(distinct project_id) from intermediate.int_project_identity group by report_key",
    )
    assert all(total == distinct for total, distinct in per_report)


def test_history_gives_the_change_and_new_continued_discontinued_projects(two_years):
    history = _history(two_years)
    assert history[(2025, "工作经费")] == (
        "continued",
        Decimal("500.00"),
        Decimal("450.00"),
        Decimal("50.00"),
        Decimal("11.11"),
    )
    assert history[(2025, "购置经费")] == (
        "continued",
        Decimal("63.38"),
        Decimal("63.38"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert history[(2025, "宣传经费")] == (
        "discontinued",
        Decimal("0.00"),
        Decimal("20.00"),
        Decimal("-20.00"),
        Decimal("-100.00"),
    )
    assert history[(2025, "数字化平台建设")] == ("new", Decimal("40.00"), None, None, None)
    assert history[(2024, "2024年工作经费")] == ("first_report", Decimal("450.00"), None, None, None)
    assert len([key for key in history if key[0] == 2025]) == 8
    assert sum(total for (year, _), (_, total, *_rest) in history.items() if year == 2025) == Decimal("644.38")


def test_alike_names_are_listed_for_a_person_not_merged(two_years):
    assert _rows(
        two_years,
        "select name_a, fiscal_year_a, name_b, fiscal_year_b, similarity, reason from main.mart_project_match_candidates",
    ) == [("会员培训专项经费", 2024, "会员培训经费", 2025, Decimal("0.75"), "edit_distance")]
    history = _history(two_years)
    assert history[(2025, "会员培训专项经费")][0] == "discontinued"
    assert history[(2025, "会员培训经费")][0] == "new"


def test_changed_targets_are_listed_and_whitespace_is_no_change(two_years):
    assert _rows(
        two_years,
        "select project_name, indicator_name, previous_annual_target, annual_target, change_kind, previous_target_low,"
        " target_low from main.mart_indicator_target_changes",
    ) == [("工作经费", "因公出国(境)次数", "大于等于2批次", "大于等于1批次", "number", 2.0, 1.0)]


def test_the_confirmed_match_seed_merges_same_and_separates_different(two_years, tmp_path):
    db_path = tmp_path / "candidate.duckdb"
    shutil.copy(two_years, db_path)
    con = duckdb.connect(str(db_path))
    try:
        con.execute("delete from reference.confirmed_project_matches")
        con.executemany(
            "insert into reference.confirmed_project_matches values (?, ?, ?, ?, ?, 'test', date '2026-01-01')",
            [
                (DEPARTMENT, UNIT, "会员培训专项经费", "会员培训经费", "same"),
                (DEPARTMENT, UNIT, "购置 经费(重安排)", "购置经费", "different"),
            ],
        )
    finally:
        con.close()
    result = run_dbt(["run"], workdir=tmp_path, db_path=db_path)
    assert result.returncode == 0, result.stdout[-4000:]
    history = _history(db_path)
    assert history[(2025, "会员培训经费")] == (
        "continued",
        Decimal("30.00"),
        Decimal("25.00"),
        Decimal("5.00"),
        Decimal("20.00"),
    )
    assert (2025, "会员培训专项经费") not in history
    assert history[(2025, "购置经费")][0] == "new"
    assert history[(2025, "购置 经费(重安排)")] == (
        "discontinued",
        Decimal("0.00"),
        Decimal("63.38"),
        Decimal("-63.38"),
        Decimal("-100.00"),
    )
    assert _rows(db_path, "select count(*) from main.mart_project_match_candidates") == [(0,)]
    assert _rows(
        db_path,
        "select match_rule, match_confidence from intermediate.int_project_identity where project_name = '会员培训经费'",
    ) == [("confirmed", Decimal("1.00"))]
