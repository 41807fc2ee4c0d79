"""Write-audit-publish for the DuckDB warehouse.

A refresh builds a candidate file inside the warehouse's state folder, seals it (checkpoint, no
write-ahead log left), lets the gate validate it, then swaps it in with os.replace: readers see the
old file or the new one, never a half-built one. Readers only ever open the published file
read-only. The previous published file is kept (hard link) for rollback.

What a crash (kill -9, power loss) can leave behind, and who cleans it:
- a candidate file, its .wal and its .gate.json: removed by the next refresh
  (remove_stale_candidates, called under the refresh lock);
- a half-written temporary file in the archive, the extraction cache or versions/: same;
- a version hard link of the still-published file (killed between link and swap): harmless,
  rollback skips a version that is the published file itself.
The published file itself is only ever replaced whole, by one rename.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import duckdb

from budget_etl.settings import STORAGE_COMPATIBILITY_VERSION, WarehouseLayout

META_TABLE = "warehouse_meta"
KEEP_VERSIONS = 5

# A build writes a file about as large as the published one, plus DuckDB's write-ahead log and
# temporary blocks while dbt rebuilds tables; below this much free space a refresh would most
# likely die half-way, so it is refused before it starts writing.
MIN_FREE_BYTES = 32 * 1024 * 1024
FREE_SPACE_FACTOR = 2.0

# errno values meaning "this disk cannot take the write", whatever layer reports them.
_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}
# DuckDB reports the same conditions as text inside duckdb.IOException.
_DISK_FULL_TEXTS = ("No space left on device", "File too large", "Disk quota exceeded")
_READ_ONLY_TEXTS = ("Read-only file system", "Permission denied")


class WarehouseError(Exception):
    """A problem the user can act on; the message is one line saying what and what to do."""


class RefreshInProgress(WarehouseError):
    pass


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published file (any number may share it, across processes)."""
    if not path.exists():
        raise WarehouseError(f"no warehouse at {path}: run `budget-etl refresh` first")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            # Only a read-write connection (a tool opened without read-only) blocks readers.
            holder = str(error).split("(PID", 1)
            who = f" (PID{holder[1].split(')')[0]})" if len(holder) > 1 else ""
            raise WarehouseError(
                f"{path} is locked by another program that opened it read-write{who}: close that "
                f"connection or reopen it read-only (docs/bi.md), then try again") from None
        raise WarehouseError(f"cannot open {path}: {str(error).splitlines()[0]}") from None


# --- disk errors, said plainly ------------------------------------------------------------------


def disk_full_message(where: Path, detail: str) -> str:
    return (f"the disk holding {where} is full ({detail}): nothing was published and the previous "
            f"warehouse is untouched; free some space there (or move the warehouse with --warehouse) "
            f"and run the refresh again")


def read_only_message(where: Path, detail: str) -> str:
    return (f"cannot write in {where} ({detail}): nothing was published and the previous warehouse "
            f"is untouched; make that folder writable for this user (or point --warehouse at a "
            f"writable folder) and run the refresh again")


def explain_write_error(error: BaseException, where: Path) -> WarehouseError | None:
    """A WarehouseError for a full or read-only disk, or None when ``error`` is something else."""
    if isinstance(error, OSError):
        detail = error.strerror or str(error)
        if error.errno in _DISK_FULL_ERRNOS:
            return WarehouseError(disk_full_message(where, detail))
        if error.errno in _READ_ONLY_ERRNOS:
            return WarehouseError(read_only_message(where, detail))
        return None
    if isinstance(error, duckdb.Error):
        text = str(error)
        for needle in _DISK_FULL_TEXTS:
            if needle in text:
                return WarehouseError(disk_full_message(where, needle))
        for needle in _READ_ONLY_TEXTS:
            if needle in text:
                return WarehouseError(read_only_message(where, needle))
    return None


@contextmanager
def plain_write_errors(where: Path) -> Iterator[None]:
    """Turn a disk-full or read-only failure inside the block into a one-line WarehouseError."""
    try:
        yield
    except WarehouseError:
        raise
    except (OSError, duckdb.Error) as error:
        explained = explain_write_error(error, where)
        if explained is None:
            raise
        raise explained from error


def required_free_bytes(layout: WarehouseLayout) -> int:
    published = layout.published.stat().st_size if layout.published.exists() else 0
    return max(MIN_FREE_BYTES, int(published * FREE_SPACE_FACTOR))


def check_free_space(layout: WarehouseLayout) -> None:
    """Refuse to start a build that the disk cannot hold (the message says how much is missing)."""
    with plain_write_errors(layout.directory):
        layout.state_dir.mkdir(parents=True, exist_ok=True)
    published = layout.published.stat().st_size if layout.published.exists() else 0
    _require_free_space(layout.state_dir, published)


def _require_free_space(folder: Path, published_size: int) -> None:
    free = shutil.disk_usage(folder).free
    needed = max(MIN_FREE_BYTES, int(published_size * FREE_SPACE_FACTOR))
    if free < needed:
        raise WarehouseError(disk_full_message(
            folder, f"{free / 2**20:.1f} MiB free, a refresh needs about {needed / 2**20:.0f} MiB"))


def check_writable(directory: Path) -> None:
    """Create and remove a probe file: the only test that also holds for root and read-only mounts."""
    with plain_write_errors(directory):
        fd, probe = tempfile.mkstemp(dir=directory, prefix=".write-probe-")
        os.close(fd)
        os.unlink(probe)


# --- building, sealing, publishing --------------------------------------------------------------


def create_candidate(path: Path) -> None:
    """A new empty DuckDB file in the storage format DuckDB 1.4 clients can open.

    Refuses (WarehouseError) when the disk lacks room for a build: better than dying half-way.
    """
    with plain_write_errors(path.parent):
        path.parent.mkdir(parents=True, exist_ok=True)
        _require_free_space(path.parent, _published_size_beside(path.parent))
        for stale in (path, _wal(path)):
            stale.unlink(missing_ok=True)
        con = duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY_VERSION})
        con.close()


def _published_size_beside(state_dir: Path) -> int:
    """Size of the published file whose state folder is ``state_dir`` (``<dir>/.<stem>``), 0 if none."""
    if not state_dir.name.startswith("."):
        return 0
    sizes = [p.stat().st_size for p in state_dir.parent.glob(f"{state_dir.name[1:]}.*")
             if p.is_file() and not p.name.endswith(".wal")]
    return max(sizes, default=0)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def seal(path: Path, meta: dict) -> None:
    """Record what this build is and leave a single self-contained file (no .wal beside it)."""
    with plain_write_errors(path.parent):
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
    if _wal(path).exists():
        raise WarehouseError(f"candidate {path} still has a write-ahead log after checkpoint")


def read_meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    try:
        return dict(con.execute(f"SELECT key, value FROM main.{META_TABLE}").fetchall())
    except duckdb.CatalogException:
        return {}


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (the directory entry itself is flushed)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def _keep_copy(source: Path, target: Path) -> None:
    """``target`` becomes the same content as ``source``: a hard link, else a copy renamed in whole
    (a crash mid-copy must not leave a truncated file that rollback could later publish)."""
    try:
        os.link(source, target)  # free and instant; the old inode lives on for open readers
        return
    except OSError:
        pass
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".duckdb")
    os.close(fd)
    try:
        shutil.copy2(source, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def publish(candidate: Path, layout: WarehouseLayout, *, keep_versions: int = KEEP_VERSIONS) -> Path | None:
    """Swap the sealed candidate in atomically; returns where the previous version was kept."""
    if _wal(candidate).exists():
        # The .wal would not move with the file: the published file would lack its last writes.
        raise WarehouseError(f"refusing to publish {candidate}: it has a write-ahead log (not sealed)")
    published = layout.published
    kept = None
    with plain_write_errors(published.parent):
        published.parent.mkdir(parents=True, exist_ok=True)
        if published.exists():
            layout.versions_dir.mkdir(parents=True, exist_ok=True)
            kept = layout.versions_dir / f"{published.stem}-{_stamp()}.duckdb"
            _keep_copy(published, kept)
        with open(candidate, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(candidate, published)  # the one step readers can observe
        fsync_dir(published.parent)
    prune_versions(layout, keep_versions)
    return kept


def prune_versions(layout: WarehouseLayout, keep: int) -> None:
    versions = sorted(layout.versions_dir.glob("*.duckdb")) if layout.versions_dir.exists() else []
    for old in versions[: max(0, len(versions) - keep)]:
        old.unlink(missing_ok=True)


def remove_stale_candidates(layout: WarehouseLayout, keep: Path | None = None) -> list[Path]:
    """Everything a crashed or failed refresh can leave (only call while holding the lock):
    candidates with their .wal and .gate.json, and half-written temporary files (``.tmp-*``) in the
    archive, the extraction cache and versions/."""
    removed: list[Path] = []
    if not layout.state_dir.exists():
        return removed
    keep_names = {keep.name, keep.name + ".wal", keep.name + ".gate.json"} if keep is not None else set()
    for path in layout.state_dir.glob("candidate-*"):
        if path.name not in keep_names and path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    for folder in (layout.archive_dir, layout.extracted_dir, layout.versions_dir):
        if folder.exists():
            for path in folder.rglob(".tmp-*"):
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


# --- the refresh lock ---------------------------------------------------------------------------

# Locks this process holds: the CLI takes the lock for a whole run and the publish step takes it
# again inside that run (flock would refuse a second open file description in the same process).
_held_locks: set[Path] = set()


@contextmanager
def refresh_lock(layout: WarehouseLayout) -> Iterator[None]:
    """One refresh at a time per warehouse; a second one is refused with who holds the lock.

    Taking the lock also proves the warehouse folder is writable (publish and rollback rename in
    it): a read-only folder is refused here, in one clear line, before any work starts.
    """
    key = layout.lock_file.resolve()
    if key in _held_locks:
        yield
        return
    with plain_write_errors(layout.directory):
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
        check_writable(layout.directory)
        with plain_write_errors(layout.state_dir):
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


# --- versions and rollback ----------------------------------------------------------------------


def list_versions(layout: WarehouseLayout) -> list[Path]:
    """Kept earlier published files, newest first."""
    if not layout.versions_dir.exists():
        return []
    return sorted(layout.versions_dir.glob("*.duckdb"), reverse=True)


def _is_published_file(version: Path, layout: WarehouseLayout) -> bool:
    try:
        return layout.published.exists() and os.path.samefile(version, layout.published)
    except OSError:
        return False


def _readable_warehouse(path: Path) -> bool:
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return False
    try:
        con.execute("SELECT count(*) FROM duckdb_tables()").fetchone()
        return True
    except duckdb.Error:
        return False
    finally:
        con.close()


def rollback(layout: WarehouseLayout) -> Path:
    """Put the previous published version back; the current one moves aside (not deleted).

    Returns the version that is now published. Repeated rollbacks walk further back. A version that
    is the published file itself (left by a publish killed between keeping and swapping) is not a
    previous version and is dropped; a version DuckDB cannot open is never published.
    """
    with refresh_lock(layout):
        previous = None
        for version in list_versions(layout):
            if _is_published_file(version, layout):
                version.unlink()
                continue
            if not _readable_warehouse(version):
                raise WarehouseError(f"kept version {version} cannot be opened by DuckDB: remove it and roll back again")
            previous = version
            break
        if previous is None:
            raise WarehouseError(f"no earlier version of {layout.published} is kept: nothing to roll back to")
        with plain_write_errors(layout.directory):
            if layout.published.exists():
                aside = layout.state_dir / "rolled_back"
                aside.mkdir(parents=True, exist_ok=True)
                os.link(layout.published, aside / f"{layout.published.stem}-{_stamp()}.duckdb")
                _prune(aside, KEEP_VERSIONS)
            os.replace(previous, layout.published)
            fsync_dir(layout.published.parent)
        return previous


def _prune(folder: Path, keep: int) -> None:
    files = sorted(folder.glob("*.duckdb"))
    for old in files[: max(0, len(files) - keep)]:
        old.unlink(missing_ok=True)
