"""Small candidate warehouses built with SQL, and one shared GX import for the session."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

CONTRACT_DDL = {
    "dim_reports": "report_key VARCHAR, source_file VARCHAR, file_sha256 VARCHAR, layout VARCHAR, "
    "department_name VARCHAR, fiscal_year INTEGER, page_count INTEGER, "
    "declared_total_amount DECIMAL(18,2)",
    "dim_departments": "department_key VARCHAR, department_name VARCHAR, region VARCHAR, admin_level VARCHAR",
    "dim_budget_units": "budget_unit_key VARCHAR, department_key VARCHAR, budget_unit_name VARCHAR",
    "fct_project_funding": "project_key VARCHAR, report_key VARCHAR, department_key VARCHAR, "
    "budget_unit_key VARCHAR, project_name VARCHAR, total_amount DECIMAL(18,2), "
    "fiscal_amount DECIMAL(18,2), special_account_amount DECIMAL(18,2), "
    "other_amount DECIMAL(18,2), goal VARCHAR, source_page INTEGER, source_row INTEGER",
    "fct_performance_indicators": "indicator_key VARCHAR, project_key VARCHAR, report_key VARCHAR, "
    "indicator_seq INTEGER, level1_code VARCHAR, level2_code VARCHAR, "
    "indicator_name VARCHAR, period_target VARCHAR, annual_target VARCHAR, "
    "source_page INTEGER",
    "quarantined_reports": "source_file VARCHAR, file_sha256 VARCHAR, reason VARCHAR, "
    "quarantined_at TIMESTAMP WITH TIME ZONE",
}

# Two reports, three projects, five indicators; 合计 of r1 = 563.39 vs projects 563.38 (rounding).
GOOD_ROWS = {
    "dim_reports": [
        "('r1', 'gz/001.txt', 'sha1', 'B', '广州市工商业联合会', 2025, 3, 563.39)",
        "('r2', 'gz/002.txt', 'sha2', 'C', '广州市花都区工商业联合会', NULL, 2, NULL)",
    ],
    "dim_departments": [
        "('d1', '广州市工商业联合会', '广州市', 'city')",
        "('d2', '广州市花都区工商业联合会', '花都区', 'district')",
    ],
    "dim_budget_units": [
        "('u1', 'd1', '广州市工商业联合会')",
        "('u2', 'd2', '广州市花都区工商业联合会')",
    ],
    "fct_project_funding": [
        "('p1', 'r1', 'd1', 'u1', '会员服务经费', 500.00, 480.00, 0, 20.00, '服务会员', 1, 5)",
        "('p2', 'r1', 'd1', 'u1', '宣传经费', 63.38, 63.38, NULL, NULL, '宣传', 1, 6)",
        "('p3', 'r2', 'd2', 'u2', '慰问经费', NULL, NULL, NULL, NULL, '慰问党员', 1, 3)",
    ],
    "fct_performance_indicators": [
        "('i1', 'p1', 'r1', 1, '1', '11', '服务企业数量', '≥100家', '≥100家', 1)",
        "('i2', 'p1', 'r1', 2, '3', '31', '满意度', '≥90%', '≥90%', 1)",
        "('i3', 'p2', 'r1', 1, '2', '22', '社会效益', '良好', '良好', 1)",
        "('i4', 'p3', 'r2', 1, NULL, NULL, '慰问党员人数', NULL, '4人', 1)",
        "('i5', 'p3', 'r2', 2, '4', '41', '成本', NULL, '', 1)",
    ],
    "quarantined_reports": [
        "('gz/bad.pdf', 'sha9', 'no 项目支出绩效目标表 in the document', TIMESTAMPTZ '2025-01-01 00:00:00+00')",
    ],
}

SEED_CSV = """category_code,category_name,category_level,parent_code
1,产出指标,1,
11,数量指标,2,1
12,质量指标,2,1
2,效益指标,1,
21,经济效益指标,2,2
22,社会效益指标,2,2
3,满意度指标,1,
31,服务对象满意度指标,2,3
4,成本指标,1,
41,经济成本指标,2,4
"""


def build_warehouse(path: Path, *, statements: tuple[str, ...] = (), drop: tuple[str, ...] = ()) -> Path:
    """The good warehouse, minus ``drop`` tables, then ``statements`` run on it (the defect)."""
    con = duckdb.connect(str(path))
    try:
        for table, ddl in CONTRACT_DDL.items():
            if table in drop:
                continue
            con.execute(f"CREATE TABLE main.{table} ({ddl})")
            if GOOD_ROWS[table]:
                con.execute(f"INSERT INTO main.{table} VALUES {', '.join(GOOD_ROWS[table])}")
        for sql in statements:
            con.execute(sql)
    finally:
        con.close()
    return path


@pytest.fixture(scope="session", autouse=True)
def _gx_imported():
    """Import great_expectations once for the whole session (it takes seconds)."""
    import great_expectations  # noqa: F401


@pytest.fixture(scope="session")
def seed(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "indicator_categories.csv"
    path.write_text(SEED_CSV, encoding="utf-8")
    return path
