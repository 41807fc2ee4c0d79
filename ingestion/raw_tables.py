"""The raw tables dbt stages from: their DDL (the one definition) and the loader that fills them.

The loader writes ``ParsedReport`` objects and quarantine records into schema ``raw`` of the
candidate warehouse. dbt's sources (dbt_project/models/staging/_sources.yml) describe these same
columns; a change here is a change there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from ingestion.model import Amounts, ParsedReport
from ingestion.parse.targets import parse_target

RAW_SCHEMA = "raw"

_AMOUNT_DDL = (
    "{p}total DECIMAL(18,2), {p}fiscal DECIMAL(18,2), {p}special_account DECIMAL(18,2), {p}other DECIMAL(18,2)"
)

_TARGET_DDL = (
    "{p}_target_operator VARCHAR, {p}_target_low DOUBLE, {p}_target_high DOUBLE, "
    "{p}_target_unit VARCHAR, {p}_is_quantitative BOOLEAN"
)

RAW_DDL: dict[str, str] = {
    "reports": f"""
        source_file VARCHAR NOT NULL,       -- path relative to the inbox, '/' separated
        file_sha256 VARCHAR NOT NULL,
        layout VARCHAR NOT NULL,            -- A, B, C (text extracts) or pdf
        department_name VARCHAR,
        fiscal_year INTEGER,
        page_count INTEGER,
        {_AMOUNT_DDL.format(p="declared_")},
        warnings VARCHAR[],
        archive_path VARCHAR,               -- the loaded bytes, kept by sha256 under the state folder
        is_stale BOOLEAN NOT NULL,          -- true: today's file failed, this is the last good version
        stale_reason VARCHAR,               -- why today's file was not loaded (when is_stale)
        parser_version VARCHAR NOT NULL,
        extracted_at TIMESTAMP WITH TIME ZONE NOT NULL
    """,
    "budget_units": f"""
        file_sha256 VARCHAR NOT NULL,
        unit_seq INTEGER NOT NULL,          -- 1..n in printed order within the report
        budget_unit_name VARCHAR NOT NULL,
        {_AMOUNT_DDL.format(p="declared_")},
        source_page INTEGER,
        source_row INTEGER
    """,
    "projects": f"""
        file_sha256 VARCHAR NOT NULL,
        project_seq INTEGER NOT NULL,       -- 1..n in printed order within the report
        budget_unit_name VARCHAR NOT NULL,
        project_name VARCHAR NOT NULL,
        {_AMOUNT_DDL.format(p="")},
        amounts_inferred BOOLEAN NOT NULL,
        goal VARCHAR,
        source_page INTEGER,
        source_row INTEGER NOT NULL
    """,
    "indicators": f"""
        file_sha256 VARCHAR NOT NULL,
        project_seq INTEGER NOT NULL,
        indicator_seq INTEGER NOT NULL,     -- 1..n in printed order within the project
        printed_number VARCHAR,
        level1_code VARCHAR,
        level1_name VARCHAR,
        level2_code VARCHAR,
        level2_name VARCHAR,
        indicator_name VARCHAR,
        period_target VARCHAR,
        annual_target VARCHAR,
        {_TARGET_DDL.format(p="period")},
        {_TARGET_DDL.format(p="annual")},
        source_page INTEGER,
        raw_text VARCHAR NOT NULL
    """,
    "quarantine": """
        source_file VARCHAR NOT NULL,
        file_sha256 VARCHAR,
        reason VARCHAR NOT NULL,
        quarantined_at TIMESTAMP WITH TIME ZONE NOT NULL
    """,
}


@dataclass
class QuarantineRecord:
    source_file: str
    file_sha256: str | None
    reason: str
    quarantined_at: datetime


def create_raw_tables(con) -> None:
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    for table, columns in RAW_DDL.items():
        con.execute(f"CREATE OR REPLACE TABLE {RAW_SCHEMA}.{table} ({columns})")


def _amounts(a: Amounts) -> list:
    return [a.total, a.fiscal, a.special_account, a.other]


def _target(text: str | None) -> list:
    t = parse_target(text)
    return [t.operator, t.low, t.high, t.unit, t.is_quantitative]


class RawRows:
    """Rows for the raw tables, collected report by report and written with one insert per table.

    DuckDB runs ``executemany`` one statement per row (~0.6 ms a row): a thousand reports would
    spend minutes there. One ``INSERT ... SELECT`` from a DataFrame per table takes milliseconds.
    Values go in as Python objects (Decimal as text) and DuckDB casts them to the table's types,
    so amounts stay exact.
    """

    def __init__(self) -> None:
        self.rows: dict[str, list[list]] = {table: [] for table in RAW_DDL}

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
            [
                report.source_file,
                sha,
                report.layout,
                report.department_name,
                report.fiscal_year,
                report.page_count,
                *_amounts(report.declared_total),
                list(report.warnings),
                archive_path,
                stale_reason is not None,
                stale_reason,
                parser_version,
                extracted_at,
            ]
        )
        self.rows["budget_units"] += [
            [sha, i, u.name, *_amounts(u.declared), u.source_page, u.source_row]
            for i, u in enumerate(report.budget_units, start=1)
        ]
        self.rows["projects"] += [
            [
                sha,
                i,
                p.budget_unit,
                p.name,
                *_amounts(p.amounts),
                p.amounts_inferred,
                p.goal,
                p.source_page,
                p.source_row,
            ]
            for i, p in enumerate(report.projects, start=1)
        ]
        self.rows["indicators"] += [
            [
                sha,
                pi,
                ind.seq,
                ind.printed_number,
                ind.level1_code,
                ind.level1_name,
                ind.level2_code,
                ind.level2_name,
                ind.name,
                ind.period_target,
                ind.annual_target,
                *_target(ind.period_target),
                *_target(ind.annual_target),
                ind.source_page,
                ind.raw_text,
            ]
            for pi, p in enumerate(report.projects, start=1)
            for ind in p.indicators
        ]

    def add_quarantine(self, records: list[QuarantineRecord]) -> None:
        self.rows["quarantine"] += [[r.source_file, r.file_sha256, r.reason, r.quarantined_at] for r in records]

    def write(self, con) -> None:
        """Append everything collected (the caller owns the transaction), then forget it."""
        import pandas as pd

        for table, rows in self.rows.items():
            if not rows:
                continue
            columns = _columns(con, table)
            frame = pd.DataFrame(
                [[_plain(v) for v in row] for row in rows], columns=[n for n, _ in columns], dtype=object
            )
            casts = ", ".join(f'CAST(frame."{name}" AS {type_})' for name, type_ in columns)
            con.register("raw_rows_frame", frame)
            try:
                con.execute(f"INSERT INTO {RAW_SCHEMA}.{table} SELECT {casts} FROM raw_rows_frame AS frame")
            finally:
                con.unregister("raw_rows_frame")
            rows.clear()


def _plain(value):
    """Decimal as text (cast exactly by DuckDB), everything else as is."""
    return str(value) if isinstance(value, Decimal) else value


def _columns(con, table: str) -> list[tuple[str, str]]:
    """(name, type) of a raw table as created from RAW_DDL, in column order."""
    return con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [RAW_SCHEMA, table],
    ).fetchall()


def insert_report(con, report: ParsedReport, **options) -> None:
    """Append one parsed report (options as RawRows.add_report); for many reports use RawRows."""
    rows = RawRows()
    rows.add_report(report, **options)
    rows.write(con)


def insert_quarantine(con, records: list[QuarantineRecord]) -> None:
    rows = RawRows()
    rows.add_quarantine(records)
    rows.write(con)
