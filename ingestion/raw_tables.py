"""The raw tables dbt stages from: their DDL (the one definition) and the loader that fills them.

The loader writes ``ParsedReport`` objects and quarantine records into schema ``raw`` of the
candidate warehouse. dbt's sources (dbt_project/models/staging/_sources.yml) describe these same
columns; a change here is a change there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from ingestion.model import Amounts, ParsedReport
from ingestion.targets import parse_target

RAW_SCHEMA = "raw"

_AMOUNT_DDL = "{p}total DECIMAL(18,2), {p}fiscal DECIMAL(18,2), {p}special_account DECIMAL(18,2), {p}other DECIMAL(18,2)"

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
        {_AMOUNT_DDL.format(p='declared_')},
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
        {_AMOUNT_DDL.format(p='declared_')},
        source_page INTEGER,
        source_row INTEGER
    """,
    "projects": f"""
        file_sha256 VARCHAR NOT NULL,
        project_seq INTEGER NOT NULL,       -- 1..n in printed order within the report
        budget_unit_name VARCHAR NOT NULL,
        project_name VARCHAR NOT NULL,
        {_AMOUNT_DDL.format(p='')},
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
        {_TARGET_DDL.format(p='period')},
        {_TARGET_DDL.format(p='annual')},
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


def insert_report(
    con,
    report: ParsedReport,
    *,
    parser_version: str,
    archive_path: str | None = None,
    stale_reason: str | None = None,
    extracted_at: datetime | None = None,
) -> None:
    """Append one parsed report to the raw tables (the caller owns the transaction).

    ``stale_reason`` marks a last good version kept because today's file could not be loaded.
    """
    extracted_at = extracted_at or datetime.now(timezone.utc)
    sha = report.file_sha256
    con.execute(
        f"INSERT INTO {RAW_SCHEMA}.reports VALUES ({', '.join(['?'] * 16)})",
        [report.source_file, sha, report.layout, report.department_name, report.fiscal_year,
         report.page_count, *_amounts(report.declared_total), list(report.warnings),
         archive_path, stale_reason is not None, stale_reason, parser_version, extracted_at],
    )
    if report.budget_units:
        con.executemany(
            f"INSERT INTO {RAW_SCHEMA}.budget_units VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [[sha, i, u.name, *_amounts(u.declared), u.source_page, u.source_row]
             for i, u in enumerate(report.budget_units, start=1)],
        )
    if report.projects:
        con.executemany(
            f"INSERT INTO {RAW_SCHEMA}.projects VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [[sha, i, p.budget_unit, p.name, *_amounts(p.amounts), p.amounts_inferred, p.goal,
              p.source_page, p.source_row]
             for i, p in enumerate(report.projects, start=1)],
        )
    indicator_rows = [
        [sha, pi, ind.seq, ind.printed_number, ind.level1_code, ind.level1_name, ind.level2_code,
         ind.level2_name, ind.name, ind.period_target, ind.annual_target,
         *_target(ind.period_target), *_target(ind.annual_target), ind.source_page, ind.raw_text]
        for pi, p in enumerate(report.projects, start=1)
        for ind in p.indicators
    ]
    if indicator_rows:
        placeholders = ", ".join(["?"] * len(indicator_rows[0]))
        con.executemany(f"INSERT INTO {RAW_SCHEMA}.indicators VALUES ({placeholders})", indicator_rows)


def insert_quarantine(con, records: list[QuarantineRecord]) -> None:
    if records:
        con.executemany(
            f"INSERT INTO {RAW_SCHEMA}.quarantine VALUES (?, ?, ?, ?)",
            [[r.source_file, r.file_sha256, r.reason, r.quarantined_at] for r in records],
        )
