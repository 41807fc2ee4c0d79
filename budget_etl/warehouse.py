"""Write-audit-publish for the DuckDB warehouse.

A refresh builds a candidate file inside the warehouse's state folder, seals it (checkpoint, no
write-ahead log left), lets the gate validate it, then swaps it in with os.replace: readers see the
old file or the new one, never a half-built one. Readers only ever open the published file
read-only. The previous published file is kept (hard link) for rollback.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import duckdb

from budget_etl.settings import STORAGE_COMPATIBILITY_VERSION, WarehouseLayout

META_TABLE = "warehouse_meta"
KEEP_VERSIONS = 5


class WarehouseError(Exception):
    """A problem the user can act on; the message is one line saying what and what to do."""


class RefreshInProgress(WarehouseError):
    pass


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise WarehouseError(f"no warehouse at {path}: run `budget-etl refresh` first")
    return duckdb.connect(str(path), read_only=True)


def create_candidate(path: Path) -> None:
    """A new empty DuckDB file in the storage format DuckDB 1.4 clients can open."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    con = duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY_VERSION})
    con.close()


def seal(path: Path, meta: dict) -> None:
    """Record what this build is and leave a single self-contained file (no .wal beside it)."""
    con = duckdb.connect(str(path))
    try:
        con.execute(f"CREATE OR REPLACE TABLE main.{META_TABLE} (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.executemany(
            f"INSERT INTO main.{META_TABLE} VALUES (?, ?)",
            [[k, v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)] for k, v in meta.items()],
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    if path.with_name(path.name + ".wal").exists():
        raise WarehouseError(f"candidate {path} still has a write-ahead log after checkpoint")


def read_meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    try:
        return dict(con.execute(f"SELECT key, value FROM main.{META_TABLE}").fetchall())
    except duckdb.CatalogException:
        return {}


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(candidate: Path, layout: WarehouseLayout, *, keep_versions: int = KEEP_VERSIONS) -> Path | None:
    """Swap the sealed candidate in atomically; returns where the previous version was kept."""
    published = layout.published
    published.parent.mkdir(parents=True, exist_ok=True)
    kept = None
    if published.exists():
        layout.versions_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        kept = layout.versions_dir / f"{published.stem}-{stamp}.duckdb"
        try:
            os.link(published, kept)  # free and instant; the old inode lives on for open readers
        except OSError:
            shutil.copy2(published, kept)
    with open(candidate, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(candidate, published)
    _fsync_dir(published.parent)
    prune_versions(layout, keep_versions)
    return kept


def prune_versions(layout: WarehouseLayout, keep: int) -> None:
    versions = sorted(layout.versions_dir.glob("*.duckdb")) if layout.versions_dir.exists() else []
    for old in versions[: max(0, len(versions) - keep)]:
        old.unlink(missing_ok=True)


def remove_stale_candidates(layout: WarehouseLayout, keep: Path | None = None) -> list[Path]:
    """Candidates and logs left by a crashed or failed refresh (only call while holding the lock)."""
    removed = []
    if layout.state_dir.exists():
        for path in layout.state_dir.glob("candidate-*"):
            if keep is None or path.name not in (keep.name, keep.name + ".wal"):
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


# Locks this process holds: the CLI takes the lock for a whole run and the publish step takes it
# again inside that run (flock would refuse a second open file description in the same process).
_held_locks: set[Path] = set()


@contextmanager
def refresh_lock(layout: WarehouseLayout) -> Iterator[None]:
    """One refresh at a time per warehouse; a second one is refused with who holds the lock."""
    key = layout.lock_file.resolve()
    if key in _held_locks:
        yield
        return
    layout.state_dir.mkdir(parents=True, exist_ok=True)
    fh = open(layout.lock_file, "a+")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise RefreshInProgress(
                f"another refresh of {layout.published} is running ({holder}); wait for it to finish"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {datetime.now(timezone.utc).isoformat(timespec='seconds')}")
        fh.flush()
        _held_locks.add(key)
        try:
            yield
        finally:
            _held_locks.discard(key)
    finally:
        fh.close()  # closing releases the lock, also when the process is killed


def list_versions(layout: WarehouseLayout) -> list[Path]:
    """Kept earlier published files, newest first."""
    if not layout.versions_dir.exists():
        return []
    return sorted(layout.versions_dir.glob("*.duckdb"), reverse=True)


def rollback(layout: WarehouseLayout) -> Path:
    """Put the previous published version back; the current one moves aside (not deleted).

    Returns the version that is now published. Repeated rollbacks walk further back.
    """
    with refresh_lock(layout):
        versions = list_versions(layout)
        if not versions:
            raise WarehouseError(f"no earlier version of {layout.published} is kept: nothing to roll back to")
        previous = versions[0]
        if layout.published.exists():
            aside = layout.state_dir / "rolled_back"
            aside.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
            os.link(layout.published, aside / f"{layout.published.stem}-{stamp}.duckdb")
        os.replace(previous, layout.published)
        _fsync_dir(layout.published.parent)
        return previous
