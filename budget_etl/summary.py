"""What a published warehouse holds, in the figures the CLI prints after a refresh and in status.

Per report it gives both totals: the 合计 the document prints (what a reader checks against the
PDF) and the sum of its project rows (what the warehouse adds up); published figures are rounded,
so the two may differ by a few 0.01 万元 and the CLI shows the computed one beside the printed one.
It also counts each report's warnings (dim_reports.warning_count: what the reader handled but a
person should know), so that they are seen per report instead of buried in a text column.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from publishing.connections import connect_read_only, read_meta


@dataclass(frozen=True)
class ReportFigures:
    source_file: str
    department: str | None
    layout: str
    fiscal_year: int | None
    projects: int
    indicators: int
    printed_total: Decimal | None  # the document's 合计 row (总计 column); None when it prints no amounts
    computed_total: Decimal | None  # the sum of its projects' 总计
    warning_count: int = 0  # dim_reports.warning_count
    warnings: tuple[str, ...] = ()  # the warnings themselves, one sentence each


@dataclass
class WarehouseSummary:
    path: Path
    meta: dict[str, str]
    reports: int
    projects: int
    indicators: int
    total_amount: Decimal | None  # sum of every project's 总计
    per_report: list[ReportFigures]
    quarantined: list[tuple]  # (source_file, reason)


def summarize(path: Path) -> WarehouseSummary:
    con = connect_read_only(path)
    try:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        rows = con.execute(
            """
            WITH p AS (SELECT report_key, count(*) AS projects, sum(total_amount) AS total
                       FROM main.fct_project_funding GROUP BY report_key),
                 i AS (SELECT report_key, count(*) AS indicators
                       FROM main.fct_performance_indicators GROUP BY report_key),
                 printed AS (SELECT report_key, declared_amount FROM main.fct_reconciliation
                             WHERE check_type = 'report_total_vs_projects' AND amount_column = 'total')
            SELECT r.source_file, r.department_name, r.layout, r.fiscal_year,
                   coalesce(p.projects, 0), coalesce(i.indicators, 0), printed.declared_amount, p.total,
                   coalesce(r.warning_count, 0), coalesce(r.warnings_text, '')
            FROM main.dim_reports r
            LEFT JOIN p ON p.report_key = r.report_key
            LEFT JOIN i ON i.report_key = r.report_key
            LEFT JOIN printed ON printed.report_key = r.report_key
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
            per_report=[ReportFigures(*row[:-1], tuple(filter(None, row[-1].split("\n")))) for row in rows],
            quarantined=con.execute(
                "SELECT source_file, reason FROM main.quarantined_reports ORDER BY source_file"
            ).fetchall(),
        )
    finally:
        con.close()
