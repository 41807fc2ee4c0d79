"""Every loaded source file is kept by content hash, so nothing is lost when upstream replaces or
deletes it, and a report that fails today can be served from its last good version."""

from __future__ import annotations

import shutil
from pathlib import Path

from contract import atomic


def archived_path(archive_dir: Path, sha256: str, suffix: str) -> Path:
    return archive_dir / sha256[:2] / f"{sha256}{suffix.lower()}"


def find_archived(archive_dir: Path, sha256: str) -> Path | None:
    folder = archive_dir / sha256[:2]
    matches = sorted(folder.glob(f"{sha256}.*")) if folder.is_dir() else []
    return matches[0] if matches else None


def archive_file(source: Path, sha256: str, archive_dir: Path) -> Path:
    """Copy ``source`` into the archive once (content-addressed: a second copy is a no-op)."""
    target = archived_path(archive_dir, sha256, source.suffix)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_with(target, lambda tmp: shutil.copyfile(source, tmp))
    return target
