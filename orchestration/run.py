"""Run the refresh job in-process (what `budget-etl refresh` does) and say how it ended.

``outcome_of_run`` turns a run's events into its outcome; the CLI path here and the run status
sensor (orchestration/attempt_sensor.py, for runs started by the schedule, the sensor or the UI)
both use it and record it as the warehouse's last attempt (publishing/attempts.py).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from dagster import DagsterEvent, DagsterEventType, DagsterInstance
from dagster._utils.error import SerializableErrorInfo

from contract import errors
from contract.errors import InboxError
from contract.files import WarehouseFiles
from ingestion.inbox import REPORT_SUFFIXES, scan_inbox
from orchestration.dbt_ahead import started_ahead
from orchestration.jobs import REFRESH_JOB_NAME
from orchestration.partitions import full_range_tags, sync_report_partitions
from orchestration.resources import WarehouseResource
from orchestration.step_times import step_seconds
from publishing import attempts
from publishing.disk import check_free_space, check_writable
from publishing.fingerprint import input_fingerprint, published_fingerprint


@dataclass
class RefreshOutcome:
    published: bool
    run_id: str
    cause: str | None = None  # one line: why nothing was published (or why the run was skipped)
    gate_failures: list[str] = field(default_factory=list)
    skipped: bool = False  # nothing changed since the published build: no run was started
    data_docs: str | None = None  # the Data Docs of this run's gate, when it ran
    log: Path | None = None  # the file holding the tools' whole output of the run, if one was written
    # The contract.errors type of the cause when it is one: the message is complete, with what to do.
    error: type[errors.UserFacingError] | None = None
    removed: list[str] = field(default_factory=list)  # published reports whose files left the inbox
    quarantined: list[list[str]] = field(default_factory=list)  # [source_file, reason]: set by record_outcome
    step_seconds: dict[str, float] = field(default_factory=dict)  # each step's wall time (step_times.py)

    @property
    def user_facing(self) -> bool:
        return self.error is not None

    @property
    def outcome(self) -> str:
        if self.published:
            return attempts.PUBLISHED
        if self.skipped:
            return attempts.SKIPPED
        return attempts.REFUSED if self.gate_failures else attempts.FAILED


def _one_line(message: str) -> str:
    """The line of an error message that says what went wrong (dbt's start with a generic header)."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    for line in lines:
        if re.search(r"\b(?:[A-Z][a-z]+ )?Error\b|\berror\b", line) and not line.startswith("The dbt CLI process"):
            return line
    return lines[0] if lines else "unknown error"


def _user_facing(cls_name: str | None) -> type[errors.UserFacingError] | None:
    """Dagster passes a step's exception on by class name only: resolve it to contract.errors' types.

    (A step could raise dagster.Failure with the type in its metadata, but errors of the resources'
    set-up, the refresh lock and the disk checks, reach the run as a class name only: one way for both.)
    """
    cls = getattr(errors, cls_name or "", None)
    return cls if isinstance(cls, type) and issubclass(cls, errors.UserFacingError) else None


# Where a run's errors are: a step's, the resources' (the refresh lock, the free-space check, set up
# once per run), the run's own.
_FAILURE_EVENTS = (DagsterEventType.STEP_FAILURE, DagsterEventType.RESOURCE_INIT_FAILURE, DagsterEventType.RUN_FAILURE)


def _errors(events: list[DagsterEvent]) -> Iterator[tuple[str | None, SerializableErrorInfo]]:
    """(step key or None, error) of every failure event, in order."""
    for e in events:
        if e.event_type in _FAILURE_EVENTS:
            error = getattr(e.event_specific_data, "error", None)
            if error is not None:
                yield e.step_key, error


def _cause(error: SerializableErrorInfo) -> SerializableErrorInfo:
    """The error to show: the first user-facing one down the chain (Dagster wraps a step's error,
    a DiskProblem carries the OSError it explains), else the first that is not Dagster's wrapper."""
    chain = []
    while error is not None:
        chain.append(error)
        error = error.cause
    return next(
        (e for e in chain if _user_facing(e.cls_name)),
        next((e for e in chain if not _dagster_wrapper(e.cls_name)), chain[0]),
    )


def _dagster_wrapper(cls_name: str | None) -> bool:
    """Dagster's own errors around a step's exception (step execution, retries, resource setup)."""
    return (cls_name or "").startswith("Dagster") or cls_name == "RetryRequestedFromPolicy"


def outcome_of_run(run_id: str, events: Iterable[DagsterEvent]) -> RefreshOutcome:
    """How a refresh run ended, from its events: published, refused by the gate, or failed."""
    events = list(events)
    data_docs, removed = None, []
    for e in events:
        if e.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
            docs = e.event_specific_data.metadata.get("data_docs")
            data_docs = str(docs.value) if docs is not None and docs.value else data_docs
            removed_reports = e.event_specific_data.metadata.get("removed_reports")
            removed = list(removed_reports.value or []) if removed_reports is not None else removed
    if any(
        e.event_type == DagsterEventType.ASSET_MATERIALIZATION and e.asset_key.path == ["published_warehouse"]
        for e in events
    ):
        return RefreshOutcome(True, run_id, data_docs=data_docs, removed=removed)
    gate_failures: list[str] = []
    for e in events:
        if e.event_type == DagsterEventType.ASSET_CHECK_EVALUATION and not e.event_specific_data.passed:
            failures = e.event_specific_data.metadata.get("failures")
            gate_failures.extend(failures.value if failures else [])
    if gate_failures:
        cause = f"the gate refused the candidate ({len(gate_failures)} expectation(s) failed): {gate_failures[0]}"
        return RefreshOutcome(False, run_id, cause, gate_failures, data_docs=data_docs, removed=removed)
    for where, error in _errors(events):
        cause = _cause(error)
        message = (cause.message or "").strip()
        if error_type := _user_facing(cause.cls_name):
            # Already one line for the user: drop the class name Dagster puts in front.
            line = message.split(": ", 1)[-1].splitlines()[0]
            return RefreshOutcome(False, run_id, line, error=error_type)
        failed = f"step {where} failed" if where else "the run failed"
        return RefreshOutcome(False, run_id, f"{failed}: {_one_line(message)}")
    return RefreshOutcome(False, run_id, "the run ended without publishing (see its log)")


def record_outcome(files: WarehouseFiles, outcome: RefreshOutcome, *, started_by: str, log: Path | None) -> None:
    """Write the run's outcome as the warehouse's last attempt, with its gate's docs, its quarantine
    (also set on ``outcome``) and the reports whose files left the inbox.

    Best effort: on a read-only or full disk the run's own one-line cause already says what happened.
    """
    candidate = files.candidate(outcome.run_id)
    outcome.quarantined = attempts.quarantined_in(files.published if outcome.published else candidate)
    with suppress(OSError):
        attempts.record_attempt(
            files,
            attempts.LastAttempt(
                run_id=outcome.run_id,
                finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
                outcome=outcome.outcome,
                cause=outcome.cause,
                started_by=started_by,
                log=str(log) if log else None,
                data_docs=outcome.data_docs,
                quarantined=outcome.quarantined,
                removed=outcome.removed,
                step_seconds=outcome.step_seconds,
            ),
        )


@contextmanager
def _output_to(path: Path | None) -> Iterator[Path | None]:
    """The tools' whole output (dbt's stdout, Dagster's logs and tracebacks on stderr) into ``path``;
    yields the file actually written (a temporary one when the warehouse folder is not writable)."""
    if path is None:
        yield None
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        log = path.open("w", encoding="utf-8")
    except OSError:  # e.g. a read-only warehouse folder: the run itself will say so in one line
        log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed by the with below
            "w", encoding="utf-8", prefix="budget-etl-refresh-", suffix=".log", delete=False
        )
    with log, redirect_stdout(log), redirect_stderr(log):
        yield Path(log.name)


def next_scheduled_refresh(now: datetime | None = None) -> tuple[datetime, str, str]:
    """(next tick, cron, time zone) of the nightly schedule, read from its Dagster definition."""
    from dagster._utils.schedules import get_next_cron_tick

    from orchestration.schedules import nightly_refresh

    cron, zone = nightly_refresh.cron_schedule, nightly_refresh.execution_timezone or "UTC"
    return get_next_cron_tick(cron, now or datetime.now(UTC), zone), cron, zone


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
    ``log_level``: Dagster's console logger. ``output_log``: where the tools' whole output goes
    (dbt's models and tests, Dagster's logs and tracebacks); None leaves it on the console.
    Progress (contract.progress) still reaches the terminal. ``announce``: told one line when the
    run starts. The outcome is recorded as the warehouse's last attempt.
    """
    from orchestration.definitions import build_definitions

    if not inbox.exists():
        raise InboxError(f"inbox {inbox} does not exist: pass --inbox DIR or set BUDGET_INBOX")
    if not inbox.is_dir():
        raise InboxError(f"inbox {inbox} is a file, not a folder: pass the folder holding the reports as --inbox")
    files = scan_inbox(inbox, WarehouseFiles(warehouse).inbox_hashes)
    if not files:
        raise InboxError(
            f"no report files ({', '.join(sorted(REPORT_SUFFIXES))}) in {inbox}: nothing to refresh; "
            "add reports or pass --inbox"
        )
    if not force and input_fingerprint(files) == published_fingerprint(warehouse):
        return RefreshOutcome(
            False,
            "",
            f"{warehouse} is up to date: no report file and no code changed since its last refresh "
            "(--force rebuilds it anyway)",
            skipped=True,
        )
    # The job checks these again under its lock; checked here too so an unwritable or full warehouse
    # folder is refused in one line before Dagster starts (its start-up writes logs and pipes first).
    check_free_space(WarehouseFiles(warehouse))
    check_writable(WarehouseFiles(warehouse).directory)
    config = WarehouseResource(inbox=str(inbox), warehouse=str(warehouse), allow_shrink=allow_shrink)
    job = build_definitions(config).resolve_job_def(REFRESH_JOB_NAME)
    announce(f"refreshing {warehouse} from {inbox}")
    # The refresh's dbt imports and parses on the other core while Dagster starts and the files are read.
    with _instance() as instance, _output_to(output_log) as log, started_ahead(WarehouseFiles(warehouse)):
        keys = sync_report_partitions(instance, files)
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            tags={**full_range_tags(keys), STARTED_BY_TAG: "cli"},  # one run over every report partition
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        )
        timings = step_seconds(instance.all_logs(result.run_id))
    outcome = outcome_of_run(result.run_id, result.all_events)
    outcome.step_seconds = timings
    outcome.log = log
    record_outcome(WarehouseFiles(warehouse), outcome, started_by="cli", log=log)
    return outcome


# Runs started by the CLI carry this tag: the run status sensor leaves their record to run_refresh.
STARTED_BY_TAG = "budget_etl/started_by"
