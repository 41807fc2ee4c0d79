"""One refresh at a time per warehouse: an exclusive flock on a file in its state folder.

The Dagster run holds it from start to end (orchestration's RefreshLockResource); rollback takes it
too. Closing the file releases it, also when the process is killed. Taking the lock also proves the
warehouse folder is writable (publish and rollback rename in it), so a read-only folder is refused
here in one clear line, before any work starts.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from contract.errors import RefreshInProgress
from contract.files import WarehouseFiles
from publishing.disk import check_writable, plain_write_errors


@contextmanager
def refresh_lock(files: WarehouseFiles) -> Iterator[None]:
    """Hold the warehouse's refresh lock; a second holder is refused with who holds it."""
    with plain_write_errors(files.directory):
        files.state_dir.mkdir(parents=True, exist_ok=True)
        fh = open(files.lock_file, "a+")  # noqa: SIM115 (held open for the whole block: the lock lives with it)
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise RefreshInProgress(
                f"another refresh of {files.published} is running ({holder}); wait for it to finish"
            ) from None
        check_writable(files.directory)
        with plain_write_errors(files.state_dir):
            fh.seek(0)
            fh.truncate()
            fh.write(f"pid {os.getpid()} since {datetime.now(UTC).isoformat(timespec='seconds')}")
            fh.flush()
        yield
    finally:
        fh.close()
