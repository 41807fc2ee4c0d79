"""A full disk or an unwritable folder, said plainly, and refused before a build starts.

A build writes a file about as large as the published one, plus DuckDB's write-ahead log and
temporary blocks while dbt rebuilds tables; below ``MIN_FREE_BYTES`` (or twice the published size)
a refresh would most likely die half-way, so it is refused before it writes anything.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from contract.errors import DiskProblem, WarehouseError
from contract.files import WarehouseFiles

MIN_FREE_BYTES = 32 * 1024 * 1024
FREE_SPACE_FACTOR = 2.0

# errno values meaning "this disk cannot take the write", whatever layer reports them.
_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}
# DuckDB gives these conditions only as text inside an IOException or TransactionException.
_DISK_FULL_TEXTS = ("No space left on device", "File too large", "Disk quota exceeded")
_READ_ONLY_TEXTS = ("Read-only file system", "Permission denied")


def disk_full_message(where: Path, detail: str) -> str:
    return (
        f"the disk holding {where} is full ({detail}): nothing was published and the previous "
        f"warehouse is untouched; free some space there (or move the warehouse with --warehouse) "
        f"and run the refresh again"
    )


def read_only_message(where: Path, detail: str) -> str:
    return (
        f"cannot write in {where} ({detail}): nothing was published and the previous warehouse "
        f"is untouched; make that folder writable for this user (or point --warehouse at a "
        f"writable folder) and run the refresh again"
    )


def explain_write_error(error: BaseException, where: Path) -> DiskProblem | None:
    """A DiskProblem for a full or read-only disk, or None when ``error`` is something else."""
    if isinstance(error, OSError):
        detail = error.strerror or str(error)
        if error.errno in _DISK_FULL_ERRNOS:
            return DiskProblem(disk_full_message(where, detail))
        if error.errno in _READ_ONLY_ERRNOS:
            return DiskProblem(read_only_message(where, detail))
        return None
    if isinstance(error, duckdb.Error):  # IOException, or TransactionException at commit (DuckDB 2.0)
        text = str(error)
        for needle in _DISK_FULL_TEXTS:
            if needle in text:
                return DiskProblem(disk_full_message(where, needle))
        for needle in _READ_ONLY_TEXTS:
            if needle in text:
                return DiskProblem(read_only_message(where, needle))
    return None


@contextmanager
def plain_write_errors(where: Path) -> Iterator[None]:
    """Turn a disk-full or read-only failure inside the block into a one-line DiskProblem."""
    try:
        yield
    except WarehouseError:
        raise
    except (OSError, duckdb.Error) as error:
        explained = explain_write_error(error, where)
        if explained is None:
            raise
        raise explained from error


def require_free_space(folder: Path, published_size: int) -> None:
    """Refuse a build the disk holding ``folder`` cannot hold (the message says how much is missing)."""
    free = shutil.disk_usage(folder).free
    needed = max(MIN_FREE_BYTES, int(published_size * FREE_SPACE_FACTOR))
    if free < needed:
        raise DiskProblem(
            disk_full_message(folder, f"{free / 2**20:.1f} MiB free, a refresh needs about {needed / 2**20:.0f} MiB")
        )


def check_writable(directory: Path) -> None:
    """Create and remove a probe file: the only test that also holds for root and read-only mounts."""
    with plain_write_errors(directory):
        fd, probe = tempfile.mkstemp(dir=directory, prefix=".write-probe-")
        os.close(fd)
        os.unlink(probe)


def check_free_space(files: WarehouseFiles) -> None:
    """Refuse to start a refresh whose build the disk cannot hold, before any work."""
    with plain_write_errors(files.directory):
        files.state_dir.mkdir(parents=True, exist_ok=True)
    published_size = files.published.stat().st_size if files.published.exists() else 0
    require_free_space(files.state_dir, published_size)
