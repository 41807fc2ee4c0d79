"""Parquet copies of the published marts, for tools that read files rather than DuckDB databases.

Layout after an export to warehouse/parquet:

    warehouse/parquet            -> symlink to .parquet-<UTC stamp>   (swapped atomically)
    warehouse/.parquet-<stamp>/  <table>.parquet for every table of schema main

Each export is written into a fresh hidden folder and then published by replacing the symlink with
os.replace (rename(2) is atomic), so a reader resolving warehouse/parquet/*.parquet sees the whole
previous export or the whole new one, never a mix or a half-written file. The previous folder is
kept for readers that still have it open and removed at the next export.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from contract.atomic import fsync_dir
from contract.errors import WarehouseError
from publishing.connections import connect_read_only

PUBLISHED_SCHEMA = "main"
# The current export and the one before it; older folders are removed.
KEEP_EXPORTS = 2


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


def export_parquet(warehouse: Path, out_dir: Path) -> list[Path]:
    """Write every table of schema main to out_dir/<table>.parquet; returns the files written."""
    out_dir = Path(out_dir).absolute()
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    staging = parent / f".{out_dir.name}-{stamp}"
    staging.mkdir()
    try:
        con = connect_read_only(Path(warehouse), writable_dir=staging)
        try:
            tables = published_tables(con)
            for table in tables:
                target = staging / f"{table}.parquet"
                # COPY ... TO only writes the file: allowed on a read-only connection.
                con.execute(
                    f"COPY (SELECT * FROM {PUBLISHED_SCHEMA}.{_quote(table)}) "
                    f"TO {_literal(str(target))} (FORMAT parquet, COMPRESSION zstd)"
                )
        finally:
            con.close()
        _fsync_tree(staging)
        _swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _prune(parent, out_dir.name, keep=staging)
    return [out_dir / f"{table}.parquet" for table in tables]


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Point out_dir at staging with one atomic rename of a symlink."""
    if out_dir.exists() and not out_dir.is_symlink():
        if not out_dir.is_dir():
            raise WarehouseError(f"{out_dir} exists and is not a folder: move it away, then export again")
        # A real folder (from a copy or an older layout): move it aside first; this one time there is
        # a moment without out_dir, after which every swap is atomic.
        out_dir.rename(out_dir.with_name(f".{out_dir.name}-legacy-{staging.name.rsplit('-', 1)[-1]}"))
    link_tmp = out_dir.with_name(f".{out_dir.name}.link-{os.getpid()}")
    link_tmp.unlink(missing_ok=True)
    # Relative target: the warehouse folder can be moved or mounted elsewhere as a whole.
    link_tmp.symlink_to(staging.name, target_is_directory=True)
    os.replace(link_tmp, out_dir)
    fsync_dir(out_dir.parent)


def _prune(parent: Path, name: str, keep: Path) -> None:
    exports = sorted(
        (p for p in parent.glob(f".{name}-*") if p.is_dir() and not p.is_symlink()),
        key=lambda p: p.stat().st_mtime_ns,
    )
    current = (parent / name).resolve()
    older = [p for p in exports if p.resolve() != current and p != keep]
    for old in older[: max(0, len(older) - (KEEP_EXPORTS - 1))]:
        shutil.rmtree(old, ignore_errors=True)


def _fsync_tree(directory: Path) -> None:
    for path in directory.iterdir():
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
    fsync_dir(directory)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
