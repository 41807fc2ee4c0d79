"""Parquet copies of the published marts, for tools that read files rather than DuckDB databases, and the same
tables as .xlsx and .csv with Chinese headers for people who open them in Excel (publishing.office_export).

An export folder is created and owned by the product (marked by ``OWNER_MARK``):

    <stem>_parquet/.budget-etl-export     the mark: this folder is an export of budget-etl
    <stem>_parquet/current -> v-<stamp>   symlink, swapped atomically (rename(2) inside this folder)
    <stem>_parquet/v-<stamp>/             <table>.parquet for every table of schema main, and
                                          <table>.xlsx, <table>.csv for those the dbt project describes

Readers use ``<stem>_parquet/current/<table>.parquet``: they see the whole previous export or the
whole new one, never a mix. The previous version folder is kept for readers that still have it open
and removed at the next export; nothing else is ever moved or deleted. A folder the product did not
create is used only when it is empty, or with ``force`` (then only the mark, ``current`` and
``v-*`` folders are added beside what is there); it is never renamed or removed. The layout of
earlier releases (``<name>`` a symlink to ``.<name>-<stamp>/`` beside it) is replaced once.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from contract.atomic import fsync_dir
from contract.errors import ExportError
from publishing.connections import connect_read_only
from publishing.office_export import DBT_MANIFEST, column_labels
from publishing.office_files import write_all_office_files
from publishing.sql_text import quote_identifier, string_literal

PUBLISHED_SCHEMA = "main"
OWNER_MARK = ".budget-etl-export"
CURRENT = "current"
# The current export and the one before it; older version folders are removed.
KEEP_EXPORTS = 2
_VERSION_NAME = re.compile(r"^v-\d{8}T\d{12}Z$")


def published_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Base tables of schema main of the opened database (marts, seeds published there, meta)."""
    rows = con.execute(
        """
        SELECT table_name FROM duckdb_tables()
        WHERE database_name = current_database() AND schema_name = ? AND NOT temporary
        ORDER BY table_name
        """,
        [PUBLISHED_SCHEMA],
    ).fetchall()
    return [name for (name,) in rows]


def current_export(out_dir: Path) -> Path:
    """Where readers find the tables of the export in ``out_dir``."""
    return Path(out_dir) / CURRENT


def _retire_symlink_layout(out_dir: Path) -> None:
    """Exports of earlier releases: ``out_dir`` a symlink to a sibling ``.<name>-<stamp>`` folder,
    both created by the product. The link and those folders go; anything else stays."""
    old_folder = re.compile(rf"^\.{re.escape(out_dir.name)}-\d{{8}}T\d{{12}}Z$")
    if not (out_dir.is_symlink() and old_folder.match(os.readlink(out_dir))):
        return
    out_dir.unlink()
    for folder in out_dir.parent.iterdir():
        if old_folder.match(folder.name) and folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)


def claim_export_dir(out_dir: Path, warehouse: Path, *, force: bool = False) -> None:
    """Make sure ``out_dir`` is an export folder of the product, or refuse without touching it."""
    _retire_symlink_layout(out_dir)
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise ExportError(f"{out_dir} exists and is not a folder: choose another --out-dir")
    if (out_dir / OWNER_MARK).is_file():
        return
    if out_dir.exists():
        if Path(warehouse).resolve().parent == out_dir.resolve():
            raise ExportError(f"{out_dir} is the warehouse's own folder: export to a folder of its own")
        if any(out_dir.iterdir()) and not force:
            raise ExportError(
                f"{out_dir} is not empty and was not created by budget-etl: choose a new or empty folder "
                "(--force adds the export beside its files, moving nothing)"
            )
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / OWNER_MARK).write_text(f"Parquet export of {warehouse}, written by budget-etl\n", encoding="utf-8")


def export_parquet(
    warehouse: Path, out_dir: Path, *, force: bool = False, manifest: Path = DBT_MANIFEST, office_workers: int = 0
) -> list[Path]:
    """Write every table of schema main to out_dir/current/<table>.parquet, and the tables the dbt manifest
    describes to <table>.xlsx and <table>.csv with their Chinese headers; returns the Parquet files written.
    ``office_workers``: processes writing the office files (0: publishing.office_files decides)."""
    out_dir = Path(out_dir).absolute()
    con = connect_read_only(Path(warehouse))  # fails before anything is created when there is no warehouse
    con.close()
    if not Path(manifest).is_file():
        raise ExportError(f"no dbt manifest at {manifest} (the Chinese column headers): run `make install` first")
    labels = column_labels(manifest)
    claim_export_dir(out_dir, warehouse, force=force)
    staging = out_dir / f"v-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}"
    staging.mkdir()
    try:
        con = connect_read_only(Path(warehouse), writable_dir=staging)
        try:
            tables = published_tables(con)
            for table in tables:
                # COPY ... TO writes only into the staging folder (allowed_directories).
                con.execute(
                    f"COPY (SELECT * FROM {PUBLISHED_SCHEMA}.{quote_identifier(table)}) "
                    f"TO {string_literal(str(staging / f'{table}.parquet'))} (FORMAT parquet, COMPRESSION zstd)"
                )
            described = {table: labels[table] for table in tables if table in labels}
            write_all_office_files(con, Path(warehouse), described, staging, workers=office_workers)
        finally:
            con.close()
        _fsync_tree(staging)
        _swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _prune(out_dir)
    return [current_export(out_dir) / f"{table}.parquet" for table in tables]


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Point out_dir/current at staging with one atomic rename of a symlink."""
    link_tmp = out_dir / f".{CURRENT}.link-{os.getpid()}"
    link_tmp.unlink(missing_ok=True)
    link_tmp.symlink_to(staging.name, target_is_directory=True)  # relative: the folder can move as a whole
    try:
        os.replace(link_tmp, current_export(out_dir))
    except BaseException:
        link_tmp.unlink(missing_ok=True)
        raise
    fsync_dir(out_dir)


def _prune(out_dir: Path) -> None:
    """Remove version folders of this export beyond the newest KEEP_EXPORTS (never the current one)."""
    current = current_export(out_dir).resolve()
    versions = sorted(p for p in out_dir.iterdir() if _VERSION_NAME.match(p.name) and not p.is_symlink())
    for old in versions[: max(0, len(versions) - KEEP_EXPORTS)]:
        if old.resolve() != current:
            shutil.rmtree(old, ignore_errors=True)


def _fsync_tree(directory: Path) -> None:
    for path in directory.iterdir():
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
    fsync_dir(directory)
