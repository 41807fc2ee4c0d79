"""The raw tables dbt stages from, and the loader that fills them.

Their columns are defined once, in dbt's sources (dbt_project/models/staging/_sources.yml: each
column's ``data_type``, and ``constraints: [{type: not_null}]`` where the loader always fills it);
the DDL here is generated from that file, so dbt's description of raw.* is the table itself.
The loader writes ``ParsedReport`` objects, their reconciliation checks and quarantine records into
schema raw of the candidate warehouse. Amounts go in through ``empty_cells_as_zero``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache

from contract.settings import DBT_SOURCES_YML, RAW_SCHEMA
from ingestion.model import Amounts, ParsedReport
from ingestion.parse.amounts import empty_cells_as_zero
from ingestion.parse.execution import actual_columns, execution_columns
from ingestion.parse.targets import parse_target
from ingestion.reconciliation import reconcile


@dataclass(frozen=True)
class RawColumn:
    name: str
    data_type: str
    not_null: bool

    @property
    def ddl(self) -> str:
        return f"{self.name} {self.data_type.upper()}" + (" NOT NULL" if self.not_null else "")


@lru_cache(maxsize=1)
def raw_columns() -> dict[str, tuple[RawColumn, ...]]:
    """Columns of every raw table, in order, as dbt's source ``raw`` declares them."""
    import yaml  # a dependency of dbt

    sources = yaml.safe_load(DBT_SOURCES_YML.read_text(encoding="utf-8"))["sources"]
    (raw,) = [s for s in sources if s.get("schema", s["name"]) == RAW_SCHEMA]
    return {
        table["name"]: tuple(
            RawColumn(
                column["name"],
                column["data_type"],
                any(c.get("type") == "not_null" for c in column.get("constraints", ())),
            )
            for column in table["columns"]
        )
        for table in raw["tables"]
    }


def raw_table_ddl(table: str) -> str:
    return f"CREATE OR REPLACE TABLE {RAW_SCHEMA}.{table} ({', '.join(c.ddl for c in raw_columns()[table])})"


# The one raw table whose rows are files, not reports: every other table holds a loaded report's rows,
# keyed by its file_sha256.
QUARANTINE_TABLE = "quarantine"


@dataclass
class QuarantineRecord:
    source_file: str
    file_sha256: str | None
    reason: str
    quarantined_at: datetime


def create_raw_tables(con) -> None:
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    for table in raw_columns():
        con.execute(raw_table_ddl(table))


_AMOUNT_COLUMNS = ("total", "fiscal", "special_account", "other")


def _amounts(a: Amounts, prefix: str = "") -> dict:
    a = empty_cells_as_zero(a)
    return {f"{prefix}{c}": getattr(a, c) for c in _AMOUNT_COLUMNS}


def _target(prefix: str, text: str | None) -> dict:
    t = parse_target(text)
    return {
        f"{prefix}_target_operator": t.operator,
        f"{prefix}_target_low": t.low,
        f"{prefix}_target_high": t.high,
        f"{prefix}_target_unit": t.unit,
        f"{prefix}_is_quantitative": t.is_quantitative,
    }


def _part(report: ParsedReport, page: int | None) -> str | None:
    """The sheet or table a row of a spreadsheet, web page or Word document is in (``ParsedReport.source_parts``)."""
    parts = report.source_parts
    return parts[page - 1] if parts and page is not None and 0 < page <= len(parts) else None


class RawRows:
    """Rows for the raw tables, collected report by report and written with one insert per table.

    DuckDB runs ``executemany`` one statement per row (~0.6 ms a row): a thousand reports would
    spend minutes there. One ``INSERT ... SELECT`` from a DataFrame per table takes milliseconds.
    Rows are dicts keyed by column name; ``write`` refuses a row whose names differ from the
    table's. Values go in as Python objects (Decimal as text) and DuckDB casts them to the
    table's types, so amounts stay exact.
    """

    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = {table: [] for table in raw_columns()}

    def add_report(
        self,
        report: ParsedReport,
        *,
        parser_version: str,
        archive_path: str | None = None,
        stale_reason: str | None = None,
        extracted_at: datetime | None = None,
    ) -> None:
        """``stale_reason`` marks a last good version kept because today's file could not be loaded."""
        extracted_at = extracted_at or datetime.now(UTC)
        sha = report.file_sha256
        self.rows["reports"].append(
            {
                "source_file": report.source_file,
                "file_sha256": sha,
                "layout": report.layout,
                "department_name": report.department_name,
                "fiscal_year": report.fiscal_year,
                "page_count": report.page_count,
                "pdf_engine": report.pdf_engine,
                "pdf_engine_reason": report.pdf_engine_reason,
                "fiscal_year_source": report.fiscal_year_source,
                "amount_unit": report.amount_unit,
                **_amounts(report.declared_total, "declared_"),
                "warnings": list(report.warnings),
                "archive_path": archive_path,
                "is_stale": stale_reason is not None,
                "stale_reason": stale_reason,
                "parser_version": parser_version,
                "extracted_at": extracted_at,
                "report_kind": report.report_kind,
            }
        )
        self.rows["budget_units"] += [
            {
                "file_sha256": sha,
                "unit_seq": i,
                "budget_unit_name": u.name,
                **_amounts(u.declared, "declared_"),
                "source_page": u.source_page,
                "source_row": u.source_row,
                "source_part": _part(report, u.source_page),
            }
            for i, u in enumerate(report.budget_units, start=1)
        ]
        self.rows["projects"] += [
            {
                "file_sha256": sha,
                "project_seq": i,
                "budget_unit_name": p.budget_unit,
                "project_name": p.name,
                **_amounts(p.amounts),
                "amounts_inferred": p.amounts_inferred,
                "goal": p.goal,
                "source_page": p.source_page,
                "source_row": p.source_row,
                "multi_year_total": p.multi_year_total,
                "amount_unit": p.amount_unit,
                "printed_amounts": "|".join(p.printed_amounts) if p.printed_amounts else None,
                "source_part": _part(report, p.source_page),
                **execution_columns(p.execution),
            }
            for i, p in enumerate(report.projects, start=1)
        ]
        self.rows["indicators"] += [
            {
                "file_sha256": sha,
                "project_seq": pi,
                "indicator_seq": ind.seq,
                "printed_number": ind.printed_number,
                "level1_code": ind.level1_code,
                "level1_name": ind.level1_name,
                "level2_code": ind.level2_code,
                "level2_name": ind.level2_name,
                "indicator_name": ind.name,
                "period_target": ind.period_target,
                "annual_target": ind.annual_target,
                **_target("period", ind.period_target),
                **_target("annual", ind.annual_target),
                "source_page": ind.source_page,
                "raw_text": ind.raw_text,
                "source_row": ind.source_row,
                "weight": ind.weight,
                "direction": ind.direction,
                "target_comparator": ind.comparator,
                "target_measure_unit": ind.target_unit,
                "source_part": _part(report, ind.source_page),
                "actual_value": ind.actual_value,
                "score_weight": ind.score_weight,
                "score": ind.score,
                "deviation_reason": ind.deviation_reason,
                **actual_columns(ind.actual_value),
            }
            for pi, p in enumerate(report.projects, start=1)
            for ind in p.indicators
        ]
        self.rows["reconciliation_checks"] += [
            {
                "file_sha256": sha,
                "check_seq": i,
                "check_type": c.check_type,
                "subject": c.subject,
                "unit_seq": c.unit_seq,
                "project_seq": c.project_seq,
                "amount_column": c.amount_column,
                "declared": c.declared,
                "computed": c.computed,
                "difference": c.difference,
                "figures_summed": c.figures_summed,
                "tolerance": c.tolerance,
                "is_within_tolerance": c.is_within_tolerance,
                "description": c.describe(),
                "source_page": c.source_page,
            }
            for i, c in enumerate(reconcile(report), start=1)
        ]

    def add_quarantine(self, records: list[QuarantineRecord]) -> None:
        self.rows[QUARANTINE_TABLE] += [
            {
                "source_file": r.source_file,
                "file_sha256": r.file_sha256,
                "reason": r.reason,
                "quarantined_at": r.quarantined_at,
            }
            for r in records
        ]

    def write(self, con) -> None:
        """Append everything collected (the caller owns the transaction), then forget it."""
        import pandas as pd

        for table, rows in self.rows.items():
            if not rows:
                continue
            columns = raw_columns()[table]
            names = [c.name for c in columns]
            if wrong := [row for row in rows if row.keys() != set(names)]:
                raise ValueError(f"raw.{table} row with columns {sorted(wrong[0])}, the table has {sorted(names)}")
            frame = pd.DataFrame([[_plain(row[n]) for n in names] for row in rows], columns=names, dtype=object)
            casts = ", ".join(f'CAST(frame."{c.name}" AS {c.data_type.upper()})' for c in columns)
            con.register("raw_rows_frame", frame)
            try:
                con.execute(f"INSERT INTO {RAW_SCHEMA}.{table} SELECT {casts} FROM raw_rows_frame AS frame")
            finally:
                con.unregister("raw_rows_frame")
            rows.clear()


def _plain(value):
    """Decimal as text (cast exactly by DuckDB), everything else as is."""
    return str(value) if isinstance(value, Decimal) else value


def insert_report(con, report: ParsedReport, **options) -> None:
    """Append one parsed report (options as RawRows.add_report); for many reports use RawRows."""
    rows = RawRows()
    rows.add_report(report, **options)
    rows.write(con)


def insert_quarantine(con, records: list[QuarantineRecord]) -> None:
    rows = RawRows()
    rows.add_quarantine(records)
    rows.write(con)
