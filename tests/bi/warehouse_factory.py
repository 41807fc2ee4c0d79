"""Small published-shaped warehouses built with SQL, for the BI tests (no pipeline run needed).

Same schemas, table and column names as the dbt marts, in the DuckDB 1.4 storage format, plus a
raw table and a staging view that must NOT be exported. The figures are chosen so that every total
the tests assert can be checked by hand:

  广州市工商业联合会 (2025):       项目A 100.50 fiscal + 项目B 70.00 fiscal / 9.00 special = 179.50
  广州市白云区人民政府办公室 (2025): 政府雇员工资经费 1,200.00 fiscal + 60.25 other            = 1,260.25
  fund sources: fiscal 1,370.50, special_account 9.00, other 60.25; total 1,439.75
  indicators: dept 1: 4 (3 quantified), dept 2: 2 (1 quantified)
  level-1 mix: 产出 3, 效益 1, 满意度 1, unclassified 1
  reconciliation: 1 of 3 rows outside tolerance; quarantine: 1 file
"""

from __future__ import annotations

from pathlib import Path

import duckdb

OPTIONAL_MARTS = ("fct_funding_by_source", "fct_reconciliation", "dim_fund_sources", "dim_indicator_categories")

SQL = r"""
CREATE SCHEMA raw;
CREATE TABLE raw.reports (source_file VARCHAR, body VARCHAR);
INSERT INTO raw.reports VALUES ('001.txt', 'raw text');
CREATE SCHEMA staging;
CREATE VIEW staging.stg_reports AS SELECT * FROM raw.reports;

CREATE TABLE main.dim_departments (department_key VARCHAR, department_name VARCHAR, region VARCHAR, admin_level VARCHAR);
INSERT INTO main.dim_departments VALUES
  ('d1', '广州市工商业联合会', '广州市', 'city'),
  ('d2', '广州市白云区人民政府办公室', '广州市白云区', 'district');

CREATE TABLE main.dim_reports (report_key VARCHAR, source_file VARCHAR, file_sha256 VARCHAR, layout VARCHAR,
  department_key VARCHAR, department_name VARCHAR, fiscal_year INTEGER, page_count INTEGER);
INSERT INTO main.dim_reports VALUES
  ('r1', '001_482cb6efc95f57e9.txt', repeat('a', 64), 'B', 'd1', '广州市工商业联合会', 2025, NULL),
  ('r2', '003_cdfe4f5fefb7849c.pdf', repeat('b', 64), 'A', 'd2', '广州市白云区人民政府办公室', 2025, 4);

CREATE TABLE main.dim_budget_units (budget_unit_key VARCHAR, department_key VARCHAR, budget_unit_name VARCHAR);
INSERT INTO main.dim_budget_units VALUES
  ('u1', 'd1', '广州市工商业联合会'), ('u2', 'd1', '广州市民营企业投诉中心'), ('u3', 'd2', '广州市白云区人民政府办公室');

CREATE TABLE main.dim_fund_sources (fund_source VARCHAR, fund_source_name VARCHAR, display_order INTEGER);
INSERT INTO main.dim_fund_sources VALUES ('fiscal', '财政拨款', 1), ('special_account', '财政专户拨款', 2), ('other', '其他资金', 3);

CREATE TABLE main.dim_indicator_categories (category_code VARCHAR, category_name VARCHAR, category_level INTEGER, parent_code VARCHAR);
INSERT INTO main.dim_indicator_categories VALUES
  ('1', '产出指标', 1, NULL), ('2', '效益指标', 1, NULL), ('3', '满意度指标', 1, NULL), ('4', '成本指标', 1, NULL),
  ('11', '数量指标', 2, '1'), ('22', '社会效益指标', 2, '2'), ('31', '服务对象满意度指标', 2, '3');

CREATE TABLE main.fct_project_funding (project_key VARCHAR, report_key VARCHAR, department_key VARCHAR,
  budget_unit_key VARCHAR, project_name VARCHAR, total_amount DECIMAL(18,2), fiscal_amount DECIMAL(18,2),
  special_account_amount DECIMAL(18,2), other_amount DECIMAL(18,2), goal VARCHAR, source_page INTEGER, source_row INTEGER);
INSERT INTO main.fct_project_funding VALUES
  ('p1', 'r1', 'd1', 'u1', '项目A', 100.50, 100.50, 0, 0, '完成年度工作', NULL, 5),
  ('p2', 'r1', 'd1', 'u2', '项目B', 79.00, 70.00, 9.00, 0, '维护企业权益', NULL, 9),
  ('p3', 'r2', 'd2', 'u3', '政府雇员工资经费', 1260.25, 1200.00, 0, 60.25, '保障雇员工资', 2, 3);

CREATE TABLE main.fct_funding_by_source (project_key VARCHAR, fund_source VARCHAR, amount DECIMAL(18,2));
INSERT INTO main.fct_funding_by_source
  SELECT project_key, 'fiscal', fiscal_amount FROM main.fct_project_funding UNION ALL
  SELECT project_key, 'special_account', special_account_amount FROM main.fct_project_funding UNION ALL
  SELECT project_key, 'other', other_amount FROM main.fct_project_funding;

CREATE TABLE main.fct_performance_indicators (indicator_key VARCHAR, project_key VARCHAR, report_key VARCHAR,
  indicator_seq INTEGER, level1_code VARCHAR, level2_code VARCHAR, indicator_name VARCHAR, period_target VARCHAR,
  annual_target VARCHAR, annual_is_quantitative BOOLEAN, is_quantified BOOLEAN, category_flag VARCHAR,
  source_page INTEGER);
INSERT INTO main.fct_performance_indicators VALUES
  ('i1', 'p1', 'r1', 1, '1', '11', '服务企业数量', '≥90家', '≥90家', true, true, NULL, NULL),
  ('i2', 'p1', 'r1', 2, '1', '11', '活动场次', '≧2次', '≧2次', true, true, NULL, NULL),
  ('i3', 'p1', 'r1', 3, '3', '31', '服务对象满意度', '≥90%', '≥90%', true, true, NULL, NULL),
  ('i4', 'p2', 'r1', 1, NULL, NULL, '工作效果', '良好', '良好', false, false, 'unknown_category', NULL),
  ('i5', 'p3', 'r2', 1, '1', '11', '雇员人数', '19人', '19人', true, true, NULL, 2),
  ('i6', 'p3', 'r2', 2, '2', '22', '社会效益', '有则得满分', '有则得满分', false, false, NULL, 2);

CREATE TABLE main.fct_reconciliation (report_key VARCHAR, budget_unit_key VARCHAR, check_level VARCHAR,
  declared_total DECIMAL(18,2), computed_total DECIMAL(18,2), difference DECIMAL(18,2), is_within_tolerance BOOLEAN);
INSERT INTO main.fct_reconciliation VALUES
  ('r1', 'u1', 'budget_unit', 100.51, 100.50, 0.01, true),
  ('r1', NULL, 'department', 200.00, 179.50, 20.50, false),
  ('r2', NULL, 'department', 1260.25, 1260.25, 0.00, true);

CREATE TABLE main.quarantined_reports (source_file VARCHAR, file_sha256 VARCHAR, reason VARCHAR, quarantined_at TIMESTAMP);
INSERT INTO main.quarantined_reports VALUES
  ('shanghai_putuo_2025.pdf', repeat('c', 64), 'shanghai_putuo_2025.pdf: no 项目支出绩效目标表 found in 12 pages', TIMESTAMP '2025-11-21 08:00:00');

CREATE TABLE main.warehouse_meta (key VARCHAR PRIMARY KEY, value VARCHAR);
INSERT INTO main.warehouse_meta VALUES ('refreshed_at', '2025-11-21T08:00:00+00:00'), ('run_id', 'run-42');
"""


def build_warehouse(path: Path, *, without: tuple[str, ...] = ()) -> Path:
    """A sealed warehouse at path; `without` drops optional marts, like an older published file."""
    con = duckdb.connect(str(path), config={"storage_compatibility_version": "v1.4.0"})
    try:
        con.execute(SQL)
        for table in without:
            con.execute(f"DROP TABLE main.{table}")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path
