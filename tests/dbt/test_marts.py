"""The marts built from tests.dbt.sample_reports: exact values for every rule the models apply."""

from __future__ import annotations

import hashlib
import shutil
from decimal import Decimal

import duckdb
import pytest

from tests.dbt.sample_reports import SHA_A, SHA_B, SHA_C, SHA_COMMUNITY, SHA_COUNTY


def md5(*parts) -> str:
    return hashlib.md5("|".join("" if p is None else str(p) for p in parts).encode()).hexdigest()


def rows(warehouse, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(warehouse.db_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_build_runs_every_model_seed_and_test_without_failure(warehouse):
    results = warehouse.run_results()["results"]
    statuses = {r["status"] for r in results}
    assert statuses <= {"success", "pass"}, [r for r in results if r["status"] not in ("success", "pass")]
    tests = [r for r in results if r["unique_id"].startswith("test.")]
    assert len(tests) >= 80  # the marts' not_null, unique and accepted values are constraints (test_constraints.py)


def test_keys_are_md5_of_natural_keys(warehouse):
    assert rows(warehouse, "select report_key from main.dim_reports where file_sha256 = ?", [SHA_B]) == [(md5(SHA_B),)]
    project_key = md5(SHA_B, 1)
    assert rows(
        warehouse,
        "select project_key, project_name from main.fct_project_funding where report_key = ? and project_seq = 1",
        [md5(SHA_B)],
    ) == [(project_key, "工作经费")]
    assert rows(
        warehouse,
        "select indicator_key from main.fct_performance_indicators where project_key = ? and indicator_seq = 2",
        [project_key],
    ) == [(md5(project_key, 2),)]
    assert rows(
        warehouse, "select department_key from main.dim_departments where department_name = '广州市工商业联合会'"
    ) == [(md5("广州市工商业联合会"),)]
    assert rows(
        warehouse, "select budget_unit_key from main.dim_budget_units where budget_unit_name = '广州市民营企业投诉中心'"
    ) == [(md5("广州市工商业联合会", "广州市民营企业投诉中心"),)]


KEY_QUERIES = [
    "select report_key from main.dim_reports",
    "select department_key from main.dim_departments",
    "select budget_unit_key from main.dim_budget_units",
    "select project_key, report_key, department_key, budget_unit_key from main.fct_project_funding",
    "select indicator_key, project_key from main.fct_performance_indicators",
    "select funding_key from main.fct_funding_by_source",
    "select reconciliation_key from main.fct_reconciliation",
]


@pytest.mark.parametrize("sql", KEY_QUERIES)
def test_keys_are_identical_across_two_builds(warehouse, second_warehouse, sql):
    first = sorted(rows(warehouse, sql))
    assert first, sql
    assert first == sorted(rows(second_warehouse, sql))


def test_department_region_and_admin_level_follow_the_name(warehouse):
    assert rows(
        warehouse, "select department_name, region, admin_level from main.dim_departments order by department_name"
    ) == [
        ("广东省连南瑶族自治县财政局", "连南瑶族自治县", "县"),
        ("广州市工商业联合会", "广州市", "市"),
        ("广州市白云区人民政府办公室", "白云区", "区"),
        ("广州市社区服务中心", "广州市", "市"),  # 社区 is a community, not a district; stray space removed
        ("广州市花都区工商业联合会", "花都区", "区"),
    ]


def test_category_normalization_and_flags(warehouse):
    got = rows(
        warehouse,
        """
        select r.file_sha256, p.project_seq, i.indicator_seq, i.level1_code, i.level1_name, i.level2_code,
               i.level2_name, i.printed_level1_code, i.printed_level1_name, i.category_flag
        from main.fct_performance_indicators i
        join main.fct_project_funding p using (project_key)
        join main.dim_reports r on r.report_key = i.report_key
        order by 1, 2, 3
        """,
    )
    assert got == [
        (SHA_B, 1, 1, "1", "产出指标", "11", "数量指标", "1", "产出指标", None),
        (SHA_B, 1, 2, "2", "效益指标", "21", "经济效益指标", "21", "经济效益", "code_name_mismatch"),
        (SHA_B, 1, 3, "1", "产出指标", "14", "成本指标", "1", "产出指标", "legacy_cost_14"),
        (SHA_B, 1, 4, None, None, None, None, "9", "其他指标", "unknown_category"),
        (SHA_B, 2, 1, "2", "效益指标", "22", "社会效益指标", "2", "效益指标", None),
        (SHA_B, 2, 2, "3", "满意度指标", "31", "服务对象满意度指标", "3", "满意度指标", None),
        (SHA_B, 3, 1, "4", "成本指标", "41", "经济成本指标", "4", "成本指标", None),
        (SHA_C, 1, 1, "1", "产出指标", None, None, None, "产出指标", None),
        (SHA_C, 1, 2, "2", "效益指标", "22", "社会效益指标", None, "社会效益", "level2_as_level1"),
        (SHA_C, 1, 3, "3", "满意度指标", None, None, None, "满意度指标", None),
    ]


def test_numbering_faults_and_target_quality(warehouse):
    got = rows(
        warehouse,
        """
        select r.file_sha256, p.project_seq, i.indicator_seq, i.printed_number, i.numbering_fault,
               i.is_quantified, i.is_vague_target, i.is_empty_target, i.has_period_annual_disagreement
        from main.fct_performance_indicators i
        join main.fct_project_funding p using (project_key)
        join main.dim_reports r on r.report_key = i.report_key
        order by 1, 2, 3
        """,
    )
    assert got == [
        (SHA_B, 1, 1, "1", None, True, False, False, False),
        (SHA_B, 1, 2, "2", None, False, True, False, False),
        (SHA_B, 1, 3, "3", None, True, False, False, False),
        (SHA_B, 1, 4, "3", "repeat", False, True, False, False),
        (SHA_B, 2, 1, "1", None, True, False, False, True),  # ≥10场次 over the period, ≥5场次 this year
        (SHA_B, 2, 2, "2", None, True, False, False, False),
        (SHA_B, 3, 1, "1", None, True, False, False, False),
        (SHA_C, 1, 1, "1", None, True, False, False, False),
        (SHA_C, 1, 2, "2", None, False, True, False, False),
        (SHA_C, 1, 3, "1", "restart", False, False, True, False),
    ]


def test_project_amounts_null_without_amount_columns_and_zero_for_empty_cells(warehouse):
    got = rows(
        warehouse,
        """
        select r.layout, p.project_name, p.has_amounts, p.total_amount, p.fiscal_amount,
               p.special_account_amount, p.other_amount, p.amounts_inferred, p.indicator_count
        from main.fct_project_funding p join main.dim_reports r using (report_key)
        order by r.layout, p.project_seq
        """,
    )
    assert got == [
        ("A", "政府雇员工资经费", True, Decimal("99.00"), Decimal("90.00"), Decimal("0.00"), Decimal("8.00"), True, 0),
        ("B", "工作经费", True, Decimal("500.00"), Decimal("500.00"), Decimal("0.00"), Decimal("0.00"), False, 4),
        ("B", "购置经费", True, Decimal("63.38"), Decimal("63.38"), Decimal("0.00"), Decimal("0.00"), False, 2),
        (
            "B",
            "业务用房服务管理费",
            True,
            Decimal("79.00"),
            Decimal("75.00"),
            Decimal("4.00"),
            Decimal("0.00"),
            False,
            1,
        ),
        ("C", "慰问经费", False, None, None, None, None, False, 3),
    ]


def _reconciliation(warehouse, check_type, sha, amount_column="total"):
    return rows(
        warehouse,
        """
        select declared_amount, computed_amount, difference_amount, n_rows_summed, tolerance, is_within_tolerance
        from main.fct_reconciliation
        where check_type = ? and report_key = ? and amount_column = ?
        order by budget_unit_key, project_key
        """,
        [check_type, md5(sha), amount_column],
    )


def test_rounding_gap_of_one_cent_is_within_tolerance(warehouse):
    units = dict(
        (name, check)
        for name, *check in rows(
            warehouse,
            """
            select u.budget_unit_name, c.declared_amount, c.computed_amount, c.difference_amount,
                   c.n_rows_summed, c.tolerance, c.is_within_tolerance
            from main.fct_reconciliation c join main.dim_budget_units u using (budget_unit_key)
            where c.check_type = 'budget_unit_subtotal_vs_projects' and c.amount_column = 'total'
            """,
        )
    )
    assert units["广州市工商业联合会"] == [
        Decimal("563.39"),
        Decimal("563.38"),
        Decimal("0.01"),
        2,
        Decimal("0.010001"),
        True,
    ]
    assert units["广州市民营企业投诉中心"] == [
        Decimal("79.00"),
        Decimal("79.00"),
        Decimal("0.00"),
        1,
        Decimal("0.005001"),
        True,
    ]
    assert _reconciliation(warehouse, "report_total_vs_projects", SHA_B) == [
        (Decimal("642.39"), Decimal("642.38"), Decimal("0.01"), 3, Decimal("0.015001"), True)
    ]
    assert _reconciliation(warehouse, "report_total_vs_budget_units", SHA_B) == [
        (Decimal("642.39"), Decimal("642.39"), Decimal("0.00"), 2, Decimal("0.010001"), True)
    ]


def test_gap_of_one_yuan_is_beyond_tolerance(warehouse):
    assert _reconciliation(warehouse, "report_total_vs_projects", SHA_A) == [
        (Decimal("100.00"), Decimal("99.00"), Decimal("1.00"), 1, Decimal("0.005001"), False)
    ]
    assert _reconciliation(warehouse, "budget_unit_subtotal_vs_projects", SHA_A) == [
        (Decimal("100.00"), Decimal("99.00"), Decimal("1.00"), 1, Decimal("0.005001"), False)
    ]
    assert _reconciliation(warehouse, "project_total_vs_sources", SHA_A) == [
        (Decimal("99.00"), Decimal("98.00"), Decimal("1.00"), 3, Decimal("0.015001"), False)
    ]


def test_reports_without_amounts_have_no_reconciliation_rows(warehouse):
    assert rows(
        warehouse,
        "select count(*) from main.fct_reconciliation where report_key in (?, ?, ?)",
        [md5(SHA_C), md5(SHA_COUNTY), md5(SHA_COMMUNITY)],
    ) == [(0,)]


def test_funding_by_source_is_long_and_adds_up(warehouse):
    got = rows(
        warehouse,
        """
        select p.project_name, f.fund_source, f.amount
        from main.fct_funding_by_source f
        join main.fct_project_funding p using (project_key)
        join main.dim_fund_sources s using (fund_source)
        where p.report_key = ?
        order by p.project_seq, s.display_order
        """,
        [md5(SHA_B)],
    )
    assert got == [
        ("工作经费", "fiscal", Decimal("500.00")),
        ("工作经费", "special_account", Decimal("0.00")),
        ("工作经费", "other", Decimal("0.00")),
        ("购置经费", "fiscal", Decimal("63.38")),
        ("购置经费", "special_account", Decimal("0.00")),
        ("购置经费", "other", Decimal("0.00")),
        ("业务用房服务管理费", "fiscal", Decimal("75.00")),
        ("业务用房服务管理费", "special_account", Decimal("4.00")),
        ("业务用房服务管理费", "other", Decimal("0.00")),
    ]
    # A project of a report without amount columns has no funding rows.
    assert rows(warehouse, "select count(*) from main.fct_funding_by_source where report_key = ?", [md5(SHA_C)]) == [
        (0,)
    ]
    assert rows(
        warehouse, "select fund_source, fund_source_name from main.dim_fund_sources order by display_order"
    ) == [
        ("fiscal", "财政拨款"),
        ("special_account", "财政专户拨款"),
        ("other", "其他资金"),
    ]


def test_budget_units_include_units_named_only_on_project_rows(warehouse):
    assert sorted(
        rows(
            warehouse,
            """
        select budget_unit_name, has_declared_amounts, declared_total_amount, declared_other_amount, latest_report_key
        from main.dim_budget_units
        """,
        )
    ) == [
        ("广州市工商业联合会", True, Decimal("563.39"), Decimal("0.00"), md5(SHA_B)),
        ("广州市民营企业投诉中心", True, Decimal("79.00"), Decimal("0.00"), md5(SHA_B)),
        ("广州市白云区人民政府办公室", True, Decimal("100.00"), Decimal("0.00"), md5(SHA_A)),
        ("广州市花都区工商业联合会", False, None, None, md5(SHA_C)),
    ]


def test_indicator_quality_per_report(warehouse):
    got = rows(
        warehouse,
        """
        select project_count, indicator_count, quantified_indicator_count, quantified_share,
               indicators_per_project, projects_covering_output, projects_covering_outcome,
               projects_covering_satisfaction, projects_covering_cost, quality_dimensions_covered,
               vague_target_count, empty_target_count, period_annual_disagreement_count,
               numbering_mismatch_count, numbering_repeat_count, numbering_restart_count,
               projects_with_numbering_faults, category_flag_count
        from main.mart_indicator_quality_by_report where report_key = ?
        """,
        [md5(SHA_B)],
    )
    # Legacy 14 成本指标 counts for cost; "21-经济效益" in the level-1 slot still counts for outcome.
    assert got == [(3, 7, 5, Decimal("0.7143"), Decimal("2.33"), 1, 2, 1, 2, 4, 2, 0, 1, 1, 1, 0, 1, 3)]
    c = rows(
        warehouse,
        """
        select project_count, indicator_count, quantified_share, quality_dimensions_covered,
               vague_target_count, empty_target_count, numbering_mismatch_count, numbering_restart_count,
               category_flag_count
        from main.mart_indicator_quality_by_report where report_key = ?
        """,
        [md5(SHA_C)],
    )
    assert c == [(1, 3, Decimal("0.3333"), 3, 1, 1, 1, 1, 1)]
    # Every report has a row, also one without projects.
    assert rows(
        warehouse,
        "select project_count, indicator_count, indicators_per_project from main.mart_indicator_quality_by_report where report_key = ?",
        [md5(SHA_COUNTY)],
    ) == [(0, 0, None)]


def test_indicator_quality_per_department(warehouse):
    assert rows(
        warehouse,
        """
        select d.department_name, q.report_count, q.project_count, q.indicator_count
        from main.mart_indicator_quality_by_department q join main.dim_departments d using (department_key)
        order by d.department_name
        """,
    ) == [
        ("广东省连南瑶族自治县财政局", 1, 0, 0),
        ("广州市工商业联合会", 1, 3, 7),
        ("广州市白云区人民政府办公室", 1, 1, 0),
        ("广州市社区服务中心", 1, 0, 0),
        ("广州市花都区工商业联合会", 1, 1, 3),
    ]


def test_dim_reports_and_quarantine(warehouse):
    assert rows(
        warehouse,
        """
        select source_file, layout, fiscal_year, declared_total_amount, declared_other_amount,
               budget_unit_count, project_count, indicator_count, warning_count
        from main.dim_reports order by source_file
        """,
    ) == [
        ("2025/baiyun/003_office.txt", "A", 2025, Decimal("100.00"), Decimal("0.00"), 1, 1, 0, 0),
        ("2025/guangzhou/001_city.txt", "B", 2025, Decimal("642.39"), Decimal("0.00"), 2, 3, 7, 0),
        ("2025/guangzhou/community.txt", "B", 2025, None, None, 0, 0, 0, 0),
        ("2025/huadu/002_district.txt", "C", 2025, None, None, 1, 1, 3, 0),
        ("2025/liannan/county.pdf", "pdf", 2024, None, None, 0, 0, 0, 1),
    ]
    assert rows(warehouse, "select source_file, file_sha256, reason from main.quarantined_reports") == [
        ("2025/broken/empty.pdf", "f" * 64, "The PDF has no text layer: it is a scan.")
    ]


def test_marts_land_in_main_and_layers_in_their_schemas(warehouse):
    got = rows(
        warehouse,
        """
        select table_schema, count(*) from information_schema.tables
        where table_schema in ('main', 'staging', 'intermediate', 'reference') group by 1 order by 1
        """,
    )
    assert got == [("intermediate", 9), ("main", 21), ("reference", 5), ("staging", 9)]


def test_file_stays_readable_by_duckdb_1_4_and_survives_renaming(warehouse, tmp_path):
    published = tmp_path / "published.duckdb"
    shutil.copy(warehouse.db_path, published)
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{published}' AS pub (READ_ONLY)")
        assert con.execute(
            "select tags['storage_version'] from duckdb_databases() where database_name = 'pub'"
        ).fetchall() == [("v1.4.0+",)]
        # Views name no catalog, so they still resolve under the published file's name.
        assert con.execute("select count(*) from pub.intermediate.int_indicators").fetchall() == [(10,)]
    finally:
        con.close()
