"""Which inbox files' outcomes the refresh must record again (as ``report_files`` partitions).

The extraction step records each file's outcome so the Dagster UI tells what happened to every
report. Recording all of them each night cost ~10 s at 1,000 files (one event each, written to the
instance's event log) to say again what the instance already shows. Only a file whose outcome
(content, loaded or not, quarantine reason) differs from the one last recorded for it is recorded.

What was last recorded is kept in the warehouse's state folder (``WarehouseFiles.recorded_outcomes``)
under the name of the Dagster instance it was recorded in: refreshes recording into another instance
(the UI's, after command-line runs) start from nothing there. A file that left the inbox is
forgotten, so it is recorded again if it comes back (its partition was deleted meanwhile).
"""

from __future__ import annotations

from pathlib import Path

from contract.atomic import read_versioned_files, write_versioned_files
from publishing.loading import ReportOutcome

VERSION = 1


def _recorded(outcome: ReportOutcome) -> list:
    """What a recorded outcome is compared by (as JSON gives it back)."""
    return [outcome.file.sha256, outcome.loaded, outcome.reason]


def unrecorded(outcomes: list[ReportOutcome], path: Path, instance: str) -> list[ReportOutcome]:
    """The outcomes not recorded as they are now in ``instance`` (by this file's account)."""
    last = read_versioned_files(path, VERSION).get(instance)
    last = last if isinstance(last, dict) else {}
    return [o for o in outcomes if last.get(o.file.source_file) != _recorded(o)]


def remember_recorded(outcomes: list[ReportOutcome], path: Path, instance: str) -> None:
    """``outcomes`` (every file of the inbox) are now recorded in ``instance``: keep them, atomically."""
    write_versioned_files(path, VERSION, {instance: {o.file.source_file: _recorded(o) for o in outcomes}})
