"""What a published warehouse holds, in the figures the CLI prints after a refresh and in status."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from publishing.connections import connect_read_only, read_meta


@dataclass
class WarehouseSummary:
    path: Path
    meta: dict[str, str]
    reports: int
    projects: int
    indicators: int
    total_amount: Decimal | None
    per_report: list[tuple]  # (source_file, department, layout, fiscal_year, projects, indicators, total)
    quarantined: list[tuple]  # (source_file, reason)


def summarize(path: Path) -> WarehouseSummary:
    con = connect_read_only(path)
    try:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        per_report = con.execute(
            """
            WITH p AS (SELECT report_key, count(*) AS projects, sum(total_amount) AS total
                       FROM main.fct_project_funding GROUP BY report_key),
                 i AS (SELECT report_key, count(*) AS indicators
                       FROM main.fct_performance_indicators GROUP BY report_key)
            SELECT r.source_file, r.department_name, r.layout, r.fiscal_year,
                   coalesce(p.projects, 0), coalesce(i.indicators, 0), p.total
            FROM main.dim_reports r
            LEFT JOIN p ON p.report_key = r.report_key
            LEFT JOIN i ON i.report_key = r.report_key
            ORDER BY r.source_file
            """
        ).fetchall()
        return WarehouseSummary(
            path=path,
            meta=read_meta(con),
            reports=one("SELECT count(*) FROM main.dim_reports"),
            projects=one("SELECT count(*) FROM main.fct_project_funding"),
            indicators=one("SELECT count(*) FROM main.fct_performance_indicators"),
            total_amount=one("SELECT sum(total_amount) FROM main.fct_project_funding"),
            per_report=per_report,
            quarantined=con.execute(
                "SELECT source_file, reason FROM main.quarantined_reports ORDER BY source_file"
            ).fetchall(),
        )
    finally:
        con.close()
