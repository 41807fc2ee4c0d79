"""How a pipeline step reports progress to whoever owns the terminal, without knowing who that is.

The CLI owns the terminal; the extraction runs inside a Dagster step executed in-process (same
thread). Dagster config and resources must be serialisable, so the reporter travels in a context
variable instead: the CLI wraps the run in ``with reporting(RefreshProgress()):`` and the step
calls ``current()`` and reports to it. Outside such a block (dagster dev, the schedule) current()
is a reporter that does nothing, so the step never needs to check.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol


class ProgressReporter(Protocol):
    def start(self, total_files: int) -> None: ...

    def advance(self, source_file: str, pages: int | None = None, note: str | None = None) -> None: ...

    def finish(self) -> None: ...


class _NoProgress:
    def start(self, total_files: int) -> None:
        pass

    def advance(self, source_file: str, pages: int | None = None, note: str | None = None) -> None:
        pass

    def finish(self) -> None:
        pass


NO_PROGRESS: ProgressReporter = _NoProgress()

_current: ContextVar[ProgressReporter] = ContextVar("budget_etl_refresh_progress")


def current() -> ProgressReporter:
    return _current.get(NO_PROGRESS)


@contextmanager
def reporting(progress: ProgressReporter) -> Iterator[ProgressReporter]:
    """Make ``progress`` the reporter of the steps run inside the block; finish it at the end."""
    token = _current.set(progress)
    try:
        yield progress
    finally:
        progress.finish()
        _current.reset(token)
