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

from publishing.change_feed import CHANGES_TABLE
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
    report_kind: str = "targets"  # dim_reports.report_kind: a self-evaluation counts its results


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
    # Reports this version added or re-published (its change feed, publishing/change_feed.py).
    changed_files: frozenset[str] = frozenset()


# A self-evaluation's projects and indicators are in the result facts (dim_reports.report_kind); a
# version published before they existed has only the target facts.
_RESULT_FACTS = {"projects": "fct_project_execution", "indicators": "fct_indicator_results"}


def _counts(target_table: str, result_table: str, existing: set[str]) -> str:
    """Per report_key, its rows: the target table's, plus the result table's where the version has it."""
    parts = [f"SELECT report_key FROM main.{target_table}"]
    if result_table in existing:
        parts.append(f"SELECT report_key FROM main.{result_table}")
    return f"SELECT report_key, count(*) AS n FROM ({' UNION ALL '.join(parts)}) GROUP BY report_key"


def summarize(path: Path) -> WarehouseSummary:
    con = connect_read_only(path)
    try:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        existing = {
            r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()
        }
        kind = "r.report_kind" if "report_kind" in _columns(con, "dim_reports") else "'targets'"
        rows = con.execute(
            f"""
            WITH p AS ({_counts("fct_project_funding", _RESULT_FACTS["projects"], existing)}),
                 i AS ({_counts("fct_performance_indicators", _RESULT_FACTS["indicators"], existing)}),
                 total AS (SELECT report_key, sum(total_amount) AS total FROM main.fct_project_funding
                           GROUP BY report_key),
                 printed AS (SELECT report_key, declared_amount FROM main.fct_reconciliation
                             WHERE check_type = 'report_total_vs_projects' AND amount_column = 'total')
            SELECT r.source_file, r.department_name, r.layout, r.fiscal_year,
                   coalesce(p.n, 0), coalesce(i.n, 0), printed.declared_amount, total.total,
                   coalesce(r.warning_count, 0), coalesce(r.warnings_text, ''), {kind}
            FROM main.dim_reports r
            LEFT JOIN p ON p.report_key = r.report_key
            LEFT JOIN i ON i.report_key = r.report_key
            LEFT JOIN total ON total.report_key = r.report_key
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
            per_report=[
                ReportFigures(*row[:-3], row[-3], tuple(filter(None, row[-2].split("\n"))), row[-1]) for row in rows
            ],
            quarantined=con.execute(
                "SELECT source_file, reason FROM main.quarantined_reports ORDER BY source_file"
            ).fetchall(),
            changed_files=_changed_files(con, existing),
        )
    finally:
        con.close()


def _changed_files(con, existing: set[str]) -> frozenset[str]:
    if CHANGES_TABLE not in existing:  # a version published before the change feed
        return frozenset()
    rows = con.execute(
        f"SELECT DISTINCT entity_key FROM main.{CHANGES_TABLE} "
        "WHERE entity = 'report' AND change_kind IN ('added', 'changed')"
    ).fetchall()
    return frozenset(source_file for (source_file,) in rows)


def _columns(con, table: str) -> set[str]:
    return {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ?", [table]
        ).fetchall()
    }
