"""Put an earlier published version back; the current one moves aside (never deleted by this).

Every published artefact moves together: when the warehouse has a Parquet export, it is rewritten
from the restored file before the lock is released, so the DuckDB file and the Parquet files hold
the same version (its run id is in warehouse_meta, in both).
"""

from __future__ import annotations

import os
from pathlib import Path

from contract import atomic
from contract.errors import WarehouseError
from contract.files import WarehouseFiles
from publishing.connections import connect_read_only
from publishing.disk import plain_write_errors
from publishing.export import OWNER_MARK, export_parquet
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
        con = connect_read_only(path)
    except WarehouseError:
        return False
    try:
        con.execute("SELECT count(*) FROM duckdb_tables()").fetchone()
        return True
    except Exception:
        return False
    finally:
        con.close()


def rollback(files: WarehouseFiles) -> Path:
    """Put the previous published version back; returns the version that is now published.

    Repeated rollbacks walk further back. A version that is the published file itself (left by a
    publish killed between keeping and swapping) is not a previous version and is dropped; a
    version DuckDB cannot open is never published. The Parquet export follows the restored file.
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
            if (files.parquet_dir / OWNER_MARK).is_file():
                export_parquet(files.published, files.parquet_dir)
        return previous
