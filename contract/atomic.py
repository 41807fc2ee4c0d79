"""One way to replace a file: write a temporary file in the same folder, fsync it, rename it over
the target, fsync the folder; on any failure the temporary file is removed.

Readers of the target see the old content or the new one, never a part. Temporary files start with
``TMP_PREFIX`` so the stale-file cleanup after a crash (``publishing.candidate``) finds them.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

TMP_PREFIX = ".tmp-"
FILE_MODE = 0o644


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (the directory entry itself is flushed)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


@contextmanager
def atomic_path(target: Path, *, suffix: str = "") -> Iterator[Path]:
    """A temporary path beside ``target``; when the block ends without error, its file replaces
    ``target`` (fsynced, renamed, folder fsynced). On error the temporary file is removed."""
    target = Path(target)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=TMP_PREFIX, suffix=suffix)
    os.close(fd)
    tmp = Path(name)
    os.chmod(tmp, FILE_MODE)  # mkstemp makes 0600: others reading the warehouse folder need to read it
    try:
        yield tmp
        fsync_file(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)


def write_bytes(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text(target: Path, text: str) -> None:
    write_bytes(target, text.encode("utf-8"))


def read_versioned_files(path: Path, version: int) -> dict:
    """The ``files`` mapping of a state file written by ``write_versioned_files`` with this ``version``;
    {} when the file is missing, unreadable, of another version or not of that shape (a state file is
    a cache: losing it costs work, never a failure)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != version:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def write_versioned_files(path: Path, version: int, files: dict) -> None:
    """Replace ``path`` atomically with ``{"version": version, "files": files}`` (its folder made)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, json.dumps({"version": version, "files": files}, sort_keys=True, ensure_ascii=False))


def write_with(target: Path, writer: Callable[[Path], None], *, suffix: str = "") -> None:
    """``writer(tmp)`` fills the temporary file (e.g. shutil.copy2); then it replaces ``target``."""
    with atomic_path(target, suffix=suffix) as tmp:
        writer(tmp)
