"""Parsed reports into a candidate file's raw schema, then dbt over it: the marts' tests' one way to build a warehouse.

The file is created readable by DuckDB 1.4, as the production pipeline creates it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from contract.settings import STORAGE_COMPATIBILITY_VERSION
from ingestion.model import ParsedReport
from ingestion.raw_tables import create_raw_tables, insert_quarantine, insert_report

EXTRACTED_AT = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def write_raw_reports(path: Path, reports: Iterable[ParsedReport], quarantined: Iterable = ()) -> Path:
    """Create the DuckDB file at ``path`` holding ``reports`` (and quarantine entries) in schema raw."""
    con = duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY_VERSION})
    try:
        create_raw_tables(con)
        for report in reports:
            insert_report(con, report, parser_version="test", extracted_at=EXTRACTED_AT)
        if quarantined := list(quarantined):
            insert_quarantine(con, quarantined)
    finally:
        con.close()
    return path


def build_from_reports(workdir: Path, reports: Iterable[ParsedReport], dbt_args: tuple[str, ...] = ("build",)) -> Path:
    """workdir/candidate.duckdb with ``reports`` in raw, built by ``dbt <dbt_args>``; fails the test if dbt fails."""
    from tests.dbt.conftest import run_dbt  # conftest imports the sample reports, which use this module

    db_path = write_raw_reports(workdir / "candidate.duckdb", reports)
    result = run_dbt(list(dbt_args), workdir=workdir, db_path=db_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return db_path
