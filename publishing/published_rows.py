"""Copy the raw rows of unchanged reports from the published warehouse into the candidate.

Every run builds its candidate from nothing, with every report of the inbox. For a report already
published as it would be loaded now, re-parsing its cached extraction and inserting its rows from
Python (~25 s for 1,000 reports) gives the same rows the published file already holds; one
``INSERT … SELECT`` a table from the published file, attached read-only, copies them in well under a
second. Only new and changed reports, stale ones and the quarantine come from the extraction cache.

A published report is copied only when every value a fresh load would take from outside its
extraction is the same: its name (source_file), its content (file_sha256), the parser's code
(parser_version), its archive path, its fiscal year and where that year came from (a manifest entry
can change without the file), and it is not a stale version kept after a failure. Its content must
also be that of no other published report (rows of other tables are keyed by file_sha256 alone), and
the cached extraction a fresh load would read must be older than the published file: the one its
rows were loaded from, not one made since (a lost cache, a file read again).
The load time (``extracted_at``) is the run's, as for a fresh load. A published file that is missing,
unreadable, or whose raw tables differ from today's (a column added) is not used at all.

A candidate that started as a copy of the published file (publishing.candidate.create_candidate)
holds those rows already: ``keep_only`` deletes the others rather than ``copy_reports`` copying these.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from contract.settings import RAW_SCHEMA
from ingestion.extract import cache_path, loaded_fiscal_year
from ingestion.inbox import InboxFile
from ingestion.raw_tables import QUARANTINE_TABLE, raw_columns
from ingestion.version import parser_version
from publishing.sql_text import quote_identifier, string_literal

PUBLISHED = "published_warehouse"  # the name the published file is attached under
_LOAD_TIME = "extracted_at"  # written as the run's load time, as RawRows.add_report does


@dataclass(frozen=True)
class WouldLoad:
    """A report a fresh load would write from its extraction, with what it takes from elsewhere."""

    file: InboxFile  # its name, content and fiscal year (ingestion.extract.loaded_fiscal_year)
    archive_path: str | None  # as recorded in the warehouse (publishing.loading.warehouse_relative)


def attach_published(con: duckdb.DuckDBPyConnection, published: Path) -> bool:
    """Attach the published file read-only to ``con`` when its raw tables can be copied from."""
    if not published.exists():
        return False
    try:
        con.execute(f"ATTACH {string_literal(str(published))} AS {PUBLISHED} (READ_ONLY)")
    except duckdb.Error:
        return False  # unreadable: everything comes from the cache
    if _raw_schema(con, PUBLISHED) != _raw_schema(con, _current_database(con)):
        con.execute(f"DETACH {PUBLISHED}")
        return False
    return True


def _current_database(con) -> str:
    return con.execute("SELECT current_database()").fetchone()[0]


def _raw_schema(con, database: str) -> list[tuple]:
    return con.execute(
        "SELECT table_name, column_index, column_name, data_type, is_nullable FROM duckdb_columns() "
        "WHERE database_name = ? AND schema_name = ? AND table_name IN (SELECT unnest(?::VARCHAR[])) "
        "ORDER BY table_name, column_index",
        [database, RAW_SCHEMA, list(raw_columns())],
    ).fetchall()


def copyable(
    con: duckdb.DuckDBPyConnection, reports: list[WouldLoad], published: Path, cache_dir: Path
) -> list[WouldLoad]:
    """The reports whose published raw rows are the rows a fresh load would write."""
    published_at = published.stat().st_mtime
    rows = con.execute(
        f"SELECT source_file, file_sha256, parser_version, archive_path, fiscal_year, fiscal_year_source, is_stale "
        f"FROM {PUBLISHED}.{RAW_SCHEMA}.reports"
    ).fetchall()
    versions = Counter(row[1] for row in rows)
    by_name = {row[0]: row for row in rows}
    same = []
    for r in reports:
        row = by_name.get(r.file.source_file)
        if row is None or versions[r.file.sha256] != 1:
            continue
        _, sha, version, archive_path, year, year_source, is_stale = row
        # A year read from the document stays unless a manifest now names one; any other came from the file.
        same_year = loaded_fiscal_year(year, year_source, r.file) == (year, year_source)
        same_row = (sha, version, archive_path, is_stale) == (r.file.sha256, parser_version(), r.archive_path, False)
        if same_row and same_year and _extracted_before(cache_dir, r.file, published_at):
            same.append(r)
    return same


def _extracted_before(cache_dir: Path, file: InboxFile, published_at: float) -> bool:
    """Whether the cached extraction a fresh load would read was there before the published file was
    written, so that the published rows were loaded from it. An extraction made since (the cache was
    lost, or a report read again) is loaded: its rows are not known to be the published ones."""
    try:
        return cache_path(cache_dir, file).stat().st_mtime < published_at
    except OSError:
        return False


def keep_only(con: duckdb.DuckDBPyConnection, reports: list[WouldLoad], load_time: datetime) -> None:
    """In a candidate that is a copy of the published file: delete the raw rows of every report but
    ``reports`` (``copyable`` ones) and the whole quarantine, and give the rows kept the run's load
    time. What is left is what ``copy_reports`` writes into empty tables, without reading it again."""
    kept = [r.file.sha256 for r in reports]
    for table, columns in raw_columns().items():
        if table == QUARANTINE_TABLE:
            con.execute(f"DELETE FROM {RAW_SCHEMA}.{table}")
            continue
        con.execute(
            f"DELETE FROM {RAW_SCHEMA}.{table} WHERE file_sha256 NOT IN (SELECT unnest($kept::VARCHAR[]))",
            {"kept": kept},
        )
        if any(c.name == _LOAD_TIME for c in columns):
            con.execute(f"UPDATE {RAW_SCHEMA}.{table} SET {_LOAD_TIME} = $load_time", {"load_time": load_time})


def copy_reports(con: duckdb.DuckDBPyConnection, reports: list[WouldLoad], load_time: datetime) -> None:
    """Append the published raw rows of ``reports`` (``copyable`` ones): one INSERT … SELECT a table."""
    copied = [r.file.sha256 for r in reports]
    for table, columns in raw_columns().items():
        if table == QUARANTINE_TABLE:
            continue
        names = ", ".join(quote_identifier(c.name) for c in columns)
        values = ", ".join("$load_time" if c.name == _LOAD_TIME else quote_identifier(c.name) for c in columns)
        parameters = {"copied": copied, **({"load_time": load_time} if "$load_time" in values else {})}
        con.execute(
            f"INSERT INTO {RAW_SCHEMA}.{table} ({names}) SELECT {values} FROM {PUBLISHED}.{RAW_SCHEMA}.{table} "
            "WHERE file_sha256 IN (SELECT unnest($copied::VARCHAR[]))",
            parameters,
        )
