"""Run the refresh job in-process (what `budget-etl refresh` does) and say how it ended."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

from dagster import DagsterEventType, DagsterInstance

from contract import errors
from contract.errors import InboxError
from ingestion.inbox import scan_inbox
from orchestration.jobs import REFRESH_JOB_NAME
from orchestration.partitions import full_range_tags, sync_report_partitions
from orchestration.resources import WarehouseResource
from publishing.fingerprint import input_fingerprint, published_fingerprint

# Dagster passes a step's exception on as its class name only.
_USER_FACING_ERRORS = {
    cls.__name__ for cls in vars(errors).values() if isinstance(cls, type) and issubclass(cls, errors.UserFacingError)
}


@dataclass
class RefreshOutcome:
    published: bool
    run_id: str
    cause: str | None = None  # one line: why nothing was published (or why the run was skipped)
    gate_failures: list[str] = field(default_factory=list)
    skipped: bool = False  # nothing changed since the published build: no run was started


def _one_line(message: str) -> str:
    """The line of an error message that says what went wrong (dbt's start with a generic header)."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    for line in lines:
        if re.search(r"\b(?:[A-Z][a-z]+ )?Error\b|\berror\b", line) and not line.startswith("The dbt CLI process"):
            return line
    return lines[0] if lines else "unknown error"


@contextmanager
def _stdout_to(path: Path | None) -> Iterator[None]:
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as log, redirect_stdout(log):
        yield


def _instance() -> DagsterInstance:
    # With DAGSTER_HOME set (as `make dev` does), CLI runs show up in the Dagster UI's run history.
    return DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else DagsterInstance.ephemeral()


def run_refresh(
    inbox: Path,
    warehouse: Path,
    *,
    allow_shrink: bool = False,
    force: bool = False,
    log_level: str = "INFO",
    output_log: Path | None = None,
    announce: Callable[[str], None] = lambda line: None,
) -> RefreshOutcome:
    """Run the refresh job over every report of ``inbox`` in this process.

    The guards (one refresh at a time, leftovers of crashed runs, free space) are the job's own
    (RefreshLockResource), whoever starts it. Skipped without a run when no report file and no code
    changed since the published build, unless ``force``.
    ``log_level``: Dagster's console logger (the CLI shows only errors unless --debug).
    ``output_log``: where the tools' own output goes (dbt prints every model and test to stdout);
    None leaves it on stdout. ``announce``: told one line when the run starts.
    """
    from orchestration.definitions import build_definitions

    if not inbox.is_dir():
        raise InboxError(f"inbox {inbox} does not exist: pass --inbox DIR or set BUDGET_INBOX")
    files = scan_inbox(inbox)
    if not files:
        return RefreshOutcome(False, "", f"no report files (.pdf, .txt) in {inbox}: nothing to publish")
    if not force and input_fingerprint(files) == published_fingerprint(warehouse):
        return RefreshOutcome(
            False,
            "",
            f"{warehouse} is up to date: no report file and no code changed since its last refresh "
            "(--force rebuilds it anyway)",
            skipped=True,
        )
    config = WarehouseResource(inbox=str(inbox), warehouse=str(warehouse), allow_shrink=allow_shrink)
    job = build_definitions(config).resolve_job_def(REFRESH_JOB_NAME)
    announce(f"refreshing {warehouse} from {inbox}")
    with _instance() as instance, _stdout_to(output_log):
        keys = sync_report_partitions(instance, files)
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            tags=full_range_tags(keys),  # one run over every report partition
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        )
    published = any(
        e.event_type == DagsterEventType.ASSET_MATERIALIZATION and e.asset_key.path == ["published_warehouse"]
        for e in result.all_events
    )
    if published:
        return RefreshOutcome(True, result.run_id)
    gate_failures: list[str] = []
    for e in result.all_events:
        if e.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = e.event_specific_data
            if not evaluation.passed:
                failures = evaluation.metadata.get("failures")
                gate_failures.extend(failures.value if failures else [])
    if gate_failures:
        cause = f"the gate failed ({len(gate_failures)} expectation(s)): {gate_failures[0]}"
        return RefreshOutcome(False, result.run_id, cause, gate_failures)
    for e in result.all_events:
        if e.event_type == DagsterEventType.STEP_FAILURE:
            error = e.event_specific_data.error
            cause = error.cause if error and error.cause else error
            message = (cause.message if cause else "").strip()
            if cause is not None and cause.cls_name in _USER_FACING_ERRORS:
                # Already one line for the user: drop the class name Dagster puts in front.
                return RefreshOutcome(False, result.run_id, message.split(": ", 1)[-1].splitlines()[0])
            return RefreshOutcome(False, result.run_id, f"step {e.step_key} failed: {_one_line(message)}")
    return RefreshOutcome(False, result.run_id, "the run ended without publishing (see the Dagster logs above)")
