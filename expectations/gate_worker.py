"""The gates in a process started ahead, so that importing Great Expectations overlaps start-up.

The first report a refresh validates pays for importing GX and loading the report suites: about 4 s
of one core, on the critical path between extraction and the load (the rest of the run is Python
in the same process, so a thread cannot overlap it). A refresh from the command line starts one
worker process as it begins, before the pipeline loads: it imports GX and builds the report
validator on the other core while Dagster loads, and ``expectations.report_gate`` then validates in
it. The worker is forked while the command has loaded little (no threads yet). The whole-warehouse
gate (orchestration/checks.py) validates in it too, reading the candidate read-only once dbt is done:
the refresh's own process then never imports GX, which used to take seconds of CPU from dbt's build
on a two-core machine. A refresh with nothing new to validate per report (a rebuild) still needs the
worker for the warehouse gate. The worker is killed when the refresh ends.

Without a worker (the daemon's runs, tests, a worker that died) the gate validates in-process, as
it always did: this only moves where the work happens.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import TypeVar

T = TypeVar("T")


def _serve(conn: Connection, refresh_end: Connection) -> None:
    """The worker: build the report validator, then run what it is sent, one call at a time."""
    refresh_end.close()  # so that the refresh closing its end is an end of file here
    from expectations.report_gate import prepare_report_validator

    prepare_report_validator()
    while True:
        try:
            function, args, kwargs = conn.recv()
        except EOFError:  # the refresh is gone
            return
        try:
            conn.send((True, function(*args, **kwargs)))
        except BaseException as error:  # raised again in the refresh, where it belongs
            conn.send((False, error))


class _Worker:
    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")  # forked early: no threads to copy yet
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, self.conn), name="report-gate", daemon=True)
        self.process.start()
        child.close()
        self.lock = threading.Lock()

    def call(self, function, args, kwargs):
        with self.lock:
            self.conn.send((function, args, kwargs))
            ok, value = self.conn.recv()
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        self.conn.close()
        # Killed: a refresh that validated nothing does not wait for GX's import, and a handler for
        # SIGTERM the command installed before the fork cannot keep it alive.
        self.process.kill()
        self.process.join()


_worker: _Worker | None = None


def start() -> bool:
    """Start the worker (unless one runs); returns whether one was started."""
    global _worker
    if _worker is not None:
        return False
    try:
        _worker = _Worker()
    except OSError:  # no process to be had: the gate validates in-process
        return False
    return True


def call(function: Callable[..., T], *args, **kwargs) -> T:
    """``function(*args, **kwargs)`` in the worker when one runs, else here; here too when the worker
    died. The function, its arguments and its result cross a pipe: module-level and picklable."""
    global _worker
    if _worker is not None:
        try:
            return _worker.call(function, args, kwargs)
        except (EOFError, OSError):  # it died (killed, out of memory): the gate goes on in-process
            _worker = None
    return function(*args, **kwargs)


def import_ahead() -> None:
    """Have GX imported where the gates will run: nothing to do with a worker (it imports as it
    starts), else on a thread of this process (expectations.context.import_in_background)."""
    if _worker is None:
        from expectations.context import import_in_background

        import_in_background()


def stop() -> None:
    global _worker
    if _worker is not None:
        _worker.stop()
        _worker = None


@contextmanager
def started_ahead() -> Iterator[None]:
    """A worker for the per-report gate while the block runs (the CLI's refresh)."""
    start()
    try:
        yield
    finally:
        stop()
