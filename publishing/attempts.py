"""The last refresh attempt of a warehouse, whatever its outcome, for `status` and monitoring.

A refused or failed run leaves the published warehouse untouched, so the warehouse alone cannot say
that last night's run failed. Every run (CLI, schedule, sensor, UI) therefore ends by writing one
``LastAttempt`` as JSON in the warehouse's state folder (atomically: a reader sees the previous
attempt or this one).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from contract import atomic
from contract.errors import UserFacingError
from contract.files import WarehouseFiles
from publishing.connections import connect_read_only

PUBLISHED = "published"
SKIPPED = "skipped"  # nothing changed since the published build: no run was started
REFUSED = "refused"  # the gate refused the candidate: nothing published
FAILED = "failed"  # a step failed: nothing published


@dataclass(frozen=True)
class LastAttempt:
    """How the last refresh of one warehouse ended."""

    run_id: str
    finished_at: str  # ISO 8601, UTC
    outcome: str  # PUBLISHED, SKIPPED, REFUSED or FAILED
    cause: str | None  # one line: why nothing was published
    started_by: str  # "cli", "schedule", "sensor" or "ui"
    log: str | None = None  # the tools' full output of that run, when written to a file
    data_docs: str | None = None  # the Great Expectations Data Docs of that run's gate
    quarantined: list[list[str]] = field(default_factory=list)  # [source_file, reason] of that run
    # Published reports whose files were gone from that run's inbox (expectations/volume.py): they
    # leave the warehouse when the run publishes.
    removed: list[str] = field(default_factory=list)
    # Wall seconds of each step of that run, in the order they ran (orchestration/step_times.py).
    step_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def published(self) -> bool:
        return self.outcome == PUBLISHED


def attempt_path(files: WarehouseFiles) -> Path:
    return files.state_dir / "last-attempt.json"


def record_attempt(files: WarehouseFiles, attempt: LastAttempt) -> None:
    files.state_dir.mkdir(parents=True, exist_ok=True)
    atomic.write_text(attempt_path(files), json.dumps(asdict(attempt), ensure_ascii=False, indent=1))


def read_attempt(files: WarehouseFiles) -> LastAttempt | None:
    """The last attempt, or None when no run recorded one (or the record is unreadable)."""
    try:
        data = json.loads(attempt_path(files).read_text(encoding="utf-8"))
        return LastAttempt(**data)
    except (OSError, ValueError, TypeError):
        return None


def quarantined_in(database: Path) -> list[list[str]]:
    """[source_file, reason] of every file a run quarantined, from the raw tables of its candidate
    (or of the published file, which is the candidate once published)."""
    try:
        con = connect_read_only(database)
    except UserFacingError:  # no such file, or not a DuckDB file: nothing to report
        return []
    try:
        rows = con.execute("SELECT source_file, reason FROM raw.quarantine ORDER BY source_file").fetchall()
        return [[source_file, reason] for source_file, reason in rows]
    except duckdb.Error:
        return []
    finally:
        con.close()
