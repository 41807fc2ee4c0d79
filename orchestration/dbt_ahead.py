"""Start the refresh's dbt as the refresh begins, so its build starts parsed and imported.

The dbt step used to start dbt when it got there: seconds of Python and dbt's import, the adapter
and the saved parse before the first model, and on a warehouse's first build a whole parse, about
8 s of one core on the critical path. None of it depends on the data. So the refresh starts one dbt
process (orchestration/dbt_server.py) as it begins, on the other core beside the pipeline's
start-up, extraction and the per-report gate. It parses, partially from the saved parse that
`make install` prepared (one for every warehouse: orchestration/dbt_profile.py), and waits; the dbt
step takes it (``taken``): dagster-dbt's dbt command (``budget-dbt``, orchestration/dbt_client.py)
hands its build to it, and it builds with the warehouse's own profile.

The process works in a private temporary folder (its socket too: no other user can connect), never
the warehouse's: it starts before the refresh holds the warehouse's lock, and a refresh that stops
before dbt leaves nothing behind. Only
a refresh run in this process (the CLI's, ``orchestration.run.run_refresh``) starts one; a run
whose steps are separate processes (the daemon's) finds none, and its dbt command is dbt's own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from contract.files import WarehouseFiles
from contract.settings import DBT_PROJECT_DIR
from orchestration import dbt_wire
from orchestration.dbt_profile import PARSE_DIR, SAVED_PARSE, parse_env

# The dbt process started ahead, given its folder and the descriptor it says "ready" on.
SERVER = [sys.executable, "-m", "orchestration.dbt_server"]
# How long a dbt that was taken may take to exit before it is killed (it exits once it answered).
_EXIT_GRACE_SECONDS = 1.0


@dataclass
class _Started:
    process: subprocess.Popen
    folder: tempfile.TemporaryDirectory
    ready: int  # the pipe on which it says "ready, parsed ..." or "failed: why"

    def wait_until_parsed(self) -> str:
        """What it said once parsed ("ready, parsed partially", or "in full: why"), or why it cannot build."""
        with os.fdopen(self.ready, "rb") as pipe:
            self.ready = -1
            said = pipe.readline().decode(errors="replace").strip()
        return said or f"it stopped before parsing (exit {self.process.wait()})"

    def discard(self, grace: float = 0.0) -> None:
        """Stop the process (after ``grace`` seconds to exit by itself) and remove its folder."""
        if self.ready >= 0:
            os.close(self.ready)
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.folder.cleanup()


# The dbt processes started by this process, by the dbt target folder they are for.
_started: dict[Path, _Started] = {}


def start(files: WarehouseFiles) -> bool:
    """Start the dbt for ``files``' next build unless one is under way; returns whether one was
    started. Never fails a refresh: this only saves time."""
    target = files.dbt_target_dir
    if target in _started:
        return False
    try:
        folder = tempfile.TemporaryDirectory(prefix="budget-dbt-ahead-")
        if (PARSE_DIR / SAVED_PARSE).exists():  # a partial parse: seconds less
            shutil.copyfile(PARSE_DIR / SAVED_PARSE, Path(folder.name) / SAVED_PARSE)
    except OSError:  # no writable temporary folder: the step's dbt starts as it would without this
        return False
    read_end, write_end = os.pipe()
    try:
        process = subprocess.Popen(
            [*SERVER, folder.name, str(write_end)],
            pass_fds=(write_end,),
            cwd=DBT_PROJECT_DIR,  # as dagster-dbt runs dbt: the saved parse holds the project's paths
            env={**os.environ, **parse_env(), "PYTHONUNBUFFERED": "1"},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        os.close(read_end)
        folder.cleanup()
        return False
    finally:
        os.close(write_end)
    _started[target] = _Started(process, folder, read_end)
    return True


@contextmanager
def taken(files: WarehouseFiles) -> Iterator[str]:
    """While the block runs, dbt commands (``budget-dbt``) run in the dbt started for ``files``,
    once it has parsed; yields what happened, for the step's log. The process is gone when the
    block ends."""
    started = _started.pop(files.dbt_target_dir, None)
    if started is None:
        yield "none was started ahead of this build: dbt starts now"
        return
    try:
        waited = time.perf_counter()
        said = started.wait_until_parsed()
        waited = time.perf_counter() - waited
        if not said.startswith("ready, "):
            yield f"the dbt started ahead cannot build ({said}): dbt starts now"
            return
        os.environ[dbt_wire.SOCKET_ENV] = str(dbt_wire.socket_path(Path(started.folder.name)))
        try:
            parsed = said.removeprefix("ready, ")
            yield f"the build runs in the dbt started ahead, {parsed} (waited {waited:.1f} s for it)"
        finally:
            os.environ.pop(dbt_wire.SOCKET_ENV, None)
    finally:
        started.discard(grace=_EXIT_GRACE_SECONDS)


@contextmanager
def started_ahead(files: WarehouseFiles) -> Iterator[None]:
    """A dbt for ``files``' next build while the block runs (``start``: none if one is under way);
    when the block ends, every one its dbt step did not take is stopped and removed. The CLI opens
    one before it loads the pipeline, run_refresh one around the job."""
    start(files)
    try:
        yield
    finally:
        discard_all()


def discard_all() -> None:
    """Stop and remove every dbt not taken (the refresh ended before its dbt step)."""
    while _started:
        _started.popitem()[1].discard()
