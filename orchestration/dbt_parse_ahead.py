"""Parse the dbt project for a warehouse's first build while the refresh reads its files.

dbt reuses its saved parse (``partial_parse.msgpack`` in the warehouse's dbt target folder) only
while the profile renders as it did when the parse was saved, and the profile names the
warehouse's own build link (contract.files.WarehouseFiles.dbt_build_link). So the first build of a
warehouse, or one whose saved parse was lost, parses the whole project itself: about 8 s of one
core on the critical path, after extraction. Nothing in a parse depends on the data, so the refresh
starts ``dbt parse`` with that same profile in a subprocess as it begins (on the other core,
beside the pipeline's start-up, extraction and the per-report gate), and the dbt step moves the
saved parse into place before it builds: dbt then logs "no changes found, skipping parsing".

The parse writes into a private temporary folder, never the warehouse's: it starts before the
refresh holds the warehouse's lock, and a refresh that stops before dbt leaves nothing behind.
Only a refresh run in this process (the CLI's, ``orchestration.run.run_refresh``) starts one; a
run whose steps are separate processes (the daemon's) finds none and lets dbt parse as before.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from contract import atomic
from contract.files import WarehouseFiles
from contract.settings import DBT_PROJECT_DIR
from orchestration.dbt_profile import dbt_executable, profile_env

# dbt's saved parse, in its target folder.
SAVED_PARSE = "partial_parse.msgpack"


@dataclass
class _Parse:
    process: subprocess.Popen
    folder: tempfile.TemporaryDirectory

    def discard(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.folder.cleanup()


# The parses started by this process, by the dbt target folder they are for.
_started: dict[Path, _Parse] = {}


def start(files: WarehouseFiles) -> bool:
    """Start parsing for ``files``' next dbt build unless it has a saved parse (or one is under way);
    returns whether a parse was started. Never fails a refresh: this only saves time."""
    target = files.dbt_target_dir
    if (target / SAVED_PARSE).exists() or target in _started:
        return False
    try:
        folder = tempfile.TemporaryDirectory(prefix="budget-dbt-parse-")
    except OSError:  # no writable temporary folder: the build parses, as it would without this
        return False
    args = [dbt_executable(), "parse", "--profiles-dir", str(DBT_PROJECT_DIR), "--no-write-json", "--quiet"]
    args += ["--target-path", folder.name, "--log-path", folder.name]
    try:
        process = subprocess.Popen(
            args,
            cwd=DBT_PROJECT_DIR,  # as dagster-dbt runs dbt: the saved parse holds the project's paths
            env={**os.environ, **profile_env(files.dbt_build_link)},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:  # dbt cannot be started here: the dbt step will say so itself
        folder.cleanup()
        return False
    _started[target] = _Parse(process, folder)
    return True


def adopt(files: WarehouseFiles) -> str:
    """Wait for the parse started for ``files`` and move its saved parse into the dbt target folder
    (unless one appeared there meanwhile); returns what happened, for the step's log."""
    parse = _started.pop(files.dbt_target_dir, None)
    if parse is None:
        return "no parse was started ahead of this build"
    try:
        waited = time.perf_counter()
        returncode = parse.process.wait()
        waited = time.perf_counter() - waited
        saved = Path(parse.folder.name) / SAVED_PARSE
        if returncode != 0 or not saved.exists():
            return f"the parse started ahead failed (exit {returncode}): dbt parses the project itself"
        target = files.dbt_target_dir / SAVED_PARSE
        if target.exists():
            return "dbt's target folder has a saved parse already: kept"
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_with(target, lambda tmp: shutil.copyfile(saved, tmp))
        return f"using the parse started ahead of this build (waited {waited:.1f} s for it)"
    finally:
        parse.discard()


@contextmanager
def parsing_ahead(files: WarehouseFiles) -> Iterator[None]:
    """A parse for ``files``' next dbt build while the block runs (``start``: none if one is under
    way or not needed); when the block ends, every parse its dbt step did not take is stopped and
    removed. The CLI opens one before it loads the pipeline, run_refresh one around the job."""
    start(files)
    try:
        yield
    finally:
        discard_all()


def discard_all() -> None:
    """Stop and remove every parse not adopted (the refresh ended before its dbt step)."""
    while _started:
        _started.popitem()[1].discard()
