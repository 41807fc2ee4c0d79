"""Parquet copies of the published marts, for tools that read files rather than DuckDB databases, and the same
tables as .csv and .xlsx with Chinese headers for people who open them in Excel (publishing.office_export).

An export folder is created and owned by the product (marked by ``OWNER_MARK``):

    <stem>_parquet/.budget-etl-export     the mark: this folder is an export of budget-etl
    <stem>_parquet/current -> v-<stamp>   symlink, swapped atomically (rename(2) inside this folder)
    <stem>_parquet/v-<stamp>/             <table>.parquet for every table of schema main;
                                          <table>.csv for those the dbt project describes, and
                                          <table>.xlsx, or for a large table grouped by report or
                                          department the folder <table>/ of one workbook per report
                                          or department (publishing.grouped_workbooks);
                                          .fingerprints.json, written last (publishing.export_reuse)

Readers use ``<stem>_parquet/current/<table>.parquet``: they see the whole previous export or the
whole new one, never a mix. A file whose content did not change since the current version is
hard-linked from it instead of written again, so an export after one changed report writes that
report's files, its department's workbooks and the whole-table files it is part of, little else. The previous version folder
is kept for readers that still have it open and removed at the next export (a linked file lives on
in the versions that still name it); nothing else is ever moved or deleted. A folder the product
did not create is used only when it is empty, or with ``force`` (then only the mark, ``current``
and ``v-*`` folders are added beside what is there); it is never renamed or removed. The layout of
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
from publishing.background_copies import BackgroundCopies
from publishing.connections import connect_read_only
from publishing.export_reuse import Reuse, fingerprint, table_content
from publishing.grouped_workbooks import grouped_tables
from publishing.office_export import DBT_MANIFEST, column_labels, table_columns
from publishing.office_files import write_office_files
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
    describes to <table>.csv and <table>.xlsx (or <table>/<group>.xlsx) with their Chinese headers; files
    the current version holds unchanged are linked from it. Returns the Parquet files of the new version.
    ``office_workers``: processes writing the workbooks (0: publishing.office_files decides)."""
    out_dir = Path(out_dir).absolute()
    con = connect_read_only(Path(warehouse))  # fails before anything is created when there is no warehouse
    con.close()
    if not Path(manifest).is_file():
        raise ExportError(f"no dbt manifest at {manifest} (the Chinese column headers): run `make install` first")
    labels = column_labels(manifest)
    grouped = grouped_tables(manifest)
    claim_export_dir(out_dir, warehouse, force=force)
    previous = _current_version(out_dir)
    staging = out_dir / f"v-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}"
    staging.mkdir()
    try:
        reuse = Reuse(previous, staging)
        con = connect_read_only(Path(warehouse), writable_dir=staging)
        try:
            tables = published_tables(con)
            contents = {table: table_content(con, table) for table in tables}
            with BackgroundCopies(con) as copies:  # the COPY statements, while the workbooks are written
                for table in tables:
                    path = f"{table}.parquet"
                    if not reuse.link(path, fingerprint("parquet", table, table_columns(con, table), contents[table])):
                        copies.run(_write_parquet, table, staging / path)
                described = {table: labels[table] for table in tables if table in labels}
                write_office_files(
                    con,
                    Path(warehouse),
                    described,
                    contents,
                    grouped,
                    staging,
                    reuse,
                    workers=office_workers,
                    copy=copies.run,
                )
        finally:
            con.close()
        reuse.save()  # last: a version folder without it is never trusted
        _fsync_tree(staging, linked=set(reuse.linked))
        _swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _prune(out_dir)
    return [current_export(out_dir) / f"{table}.parquet" for table in tables]


def _write_parquet(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> None:
    # COPY ... TO writes only into the staging folder (allowed_directories).
    con.execute(
        f"COPY (SELECT * FROM {PUBLISHED_SCHEMA}.{quote_identifier(table)}) "
        f"TO {string_literal(str(path))} (FORMAT parquet, COMPRESSION zstd)"
    )


def _current_version(out_dir: Path) -> Path | None:
    """The version folder ``current`` points at, if it is one of this export's."""
    link = current_export(out_dir)
    if not link.is_symlink():
        return None
    target = link.resolve()
    return target if target.parent == out_dir.resolve() and _VERSION_NAME.match(target.name) else None


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


def _fsync_tree(directory: Path, *, linked: set[str]) -> None:
    """Flush the files written into directory and every folder's entries; a linked file (``linked``, paths
    relative to directory) already is on disk (an fsync each would cost a journal commit: 9 s for 4,000)."""
    for folder, _, files in os.walk(directory):
        for name in files:
            path = os.path.join(folder, name)
            if os.path.relpath(path, directory) not in linked:
                with open(path, "rb") as fh:
                    os.fsync(fh.fileno())
        fsync_dir(Path(folder))
