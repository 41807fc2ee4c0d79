"""Put an earlier published version back; the current one moves aside (never deleted by this)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from contract import atomic
from contract.errors import WarehouseError
from contract.files import WarehouseFiles
from publishing.disk import plain_write_errors
from publishing.lock import refresh_lock
from publishing.publish import KEEP_VERSIONS, prune, version_stamp


def list_versions(files: WarehouseFiles) -> list[Path]:
    """Kept earlier published files, newest first."""
    if not files.versions_dir.exists():
        return []
    return sorted(files.versions_dir.glob("*.duckdb"), reverse=True)


def _is_published_file(version: Path, files: WarehouseFiles) -> bool:
    try:
        return files.published.exists() and os.path.samefile(version, files.published)
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


def rollback(files: WarehouseFiles) -> Path:
    """Put the previous published version back; returns the version that is now published.

    Repeated rollbacks walk further back. A version that is the published file itself (left by a
    publish killed between keeping and swapping) is not a previous version and is dropped; a
    version DuckDB cannot open is never published.
    """
    with refresh_lock(files):
        previous = None
        for version in list_versions(files):
            if _is_published_file(version, files):
                version.unlink()
                continue
            if not _readable_warehouse(version):
                raise WarehouseError(
                    f"kept version {version} cannot be opened by DuckDB: remove it and roll back again"
                )
            previous = version
            break
        if previous is None:
            raise WarehouseError(f"no earlier version of {files.published} is kept: nothing to roll back to")
        with plain_write_errors(files.directory):
            if files.published.exists():
                files.rolled_back_dir.mkdir(parents=True, exist_ok=True)
                os.link(files.published, files.rolled_back_dir / f"{files.stem}-{version_stamp()}.duckdb")
                prune(files.rolled_back_dir, KEEP_VERSIONS)
            os.replace(previous, files.published)
            atomic.fsync_dir(files.directory)
        return previous
