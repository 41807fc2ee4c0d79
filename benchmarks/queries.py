"""Latency of typical BI queries on the marts, each run N times on one read-only connection."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from benchmarks.measure import latency_stats

QUERIES = {
    "funding_by_department": """
        SELECT d.department_name, count(*) AS projects, sum(f.total_amount) AS total
        FROM main.fct_project_funding f JOIN main.dim_departments d USING (department_key)
        GROUP BY ALL ORDER BY total DESC NULLS LAST""",
    "funding_by_source": """
        SELECT s.fund_source_name, sum(f.amount) AS amount, count(DISTINCT f.project_key) AS projects
        FROM main.fct_funding_by_source f JOIN main.dim_fund_sources s USING (fund_source)
        GROUP BY ALL ORDER BY amount DESC NULLS LAST""",
    "indicator_quality_by_department": """
        SELECT d.department_name, q.*
        FROM main.mart_indicator_quality_by_department q JOIN main.dim_departments d USING (department_key)
        ORDER BY q.project_count DESC""",
    "indicators_by_category": """
        SELECT level1_name, level2_name, count(*) AS indicators, avg(is_quantified::INT) AS quantified_share
        FROM main.fct_performance_indicators GROUP BY ALL ORDER BY indicators DESC""",
    "top_projects": """
        SELECT f.project_name, f.budget_unit_name, f.total_amount, f.indicator_count
        FROM main.fct_project_funding f ORDER BY f.total_amount DESC NULLS LAST LIMIT 20""",
}


def run(database: Path, *, repeats: int) -> dict:
    con = duckdb.connect(str(database), read_only=True)
    try:
        sizes = {
            t: con.execute(f"SELECT count(*) FROM main.{t}").fetchone()[0]
            for t in ("fct_project_funding", "fct_performance_indicators")
        }
        out: dict = {"database": str(database), "rows": sizes, "queries": {}}
        for name, sql in QUERIES.items():
            samples = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                con.execute(sql).fetchall()
                samples.append(time.perf_counter() - t0)
            out["queries"][name] = latency_stats(samples)
        return out
    finally:
        con.close()
