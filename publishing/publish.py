"""The one step readers can observe: the sealed, gated candidate replaces the published file.

The previous published file is kept in versions/ (a hard link: free, and the old inode lives on for
readers that still have it open) so that ``rollback`` can put it back.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from contract import atomic
from contract.errors import WarehouseError
from contract.files import WarehouseFiles
from publishing.candidate import wal_of
from publishing.disk import plain_write_errors

KEEP_VERSIONS = 5


def version_stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def keep_copy(source: Path, target: Path) -> None:
    """``target`` becomes the same content as ``source``: a hard link, else an atomic copy
    (a crash mid-copy must not leave a truncated file that rollback could later publish)."""
    try:
        os.link(source, target)
    except OSError:
        atomic.write_with(target, lambda tmp: shutil.copy2(source, tmp), suffix=".duckdb")


def publish(candidate: Path, files: WarehouseFiles, *, keep_versions: int = KEEP_VERSIONS) -> Path | None:
    """Swap the sealed candidate in atomically; returns where the previous version was kept."""
    if wal_of(candidate).exists():
        # The .wal would not move with the file: the published file would lack its last writes.
        raise WarehouseError(f"refusing to publish {candidate}: it has a write-ahead log (not sealed)")
    published = files.published
    kept = None
    with plain_write_errors(published.parent):
        published.parent.mkdir(parents=True, exist_ok=True)
        if published.exists():
            files.versions_dir.mkdir(parents=True, exist_ok=True)
            kept = files.versions_dir / f"{files.stem}-{version_stamp()}.duckdb"
            keep_copy(published, kept)
        atomic.fsync_file(candidate)
        os.replace(candidate, published)
        atomic.fsync_dir(published.parent)
    prune(files.versions_dir, keep_versions)
    return kept


def prune(folder: Path, keep: int) -> None:
    """Keep the ``keep`` newest .duckdb files of ``folder`` (their names sort by time)."""
    versions = sorted(folder.glob("*.duckdb")) if folder.exists() else []
    for old in versions[: max(0, len(versions) - keep)]:
        old.unlink(missing_ok=True)
