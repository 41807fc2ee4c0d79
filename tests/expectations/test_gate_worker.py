"""The gates' worker started ahead: same verdicts as in-process, and never in the way."""

from __future__ import annotations

import os
import signal
import time
from dataclasses import replace

import pytest

from contract.settings import SAMPLES_DIR
from expectations import gate_worker
from expectations.gate import validate_warehouse
from expectations.report_gate import report_gate_failures
from ingestion.text.reader import read_text_report
from tests.expectations.conftest import break_warehouse

SAMPLE = "001_482cb6efc95f57e9.txt"


@pytest.fixture
def worker():
    assert gate_worker.start()
    assert not gate_worker.start()  # one at a time
    yield gate_worker._worker
    gate_worker.stop()


def _pid() -> int:
    return os.getpid()


def _fail(message: str) -> None:
    raise ValueError(message)


def _pid_and(*args, **kwargs) -> tuple:
    return os.getpid(), args, kwargs


def test_without_a_worker_calls_run_here():
    assert gate_worker._worker is None
    assert gate_worker.call(_pid) == os.getpid()


def test_calls_run_in_the_worker_and_its_errors_are_raised_here(worker):
    assert gate_worker.call(_pid) == worker.process.pid != os.getpid()
    with pytest.raises(ValueError, match="a suite is missing"):
        gate_worker.call(_fail, "a suite is missing")
    assert gate_worker.call(_pid) == worker.process.pid  # still there after an error
    assert gate_worker.call(_pid_and, 1, shrink=True) == (worker.process.pid, (1,), {"shrink": True})


def test_the_worker_gives_the_in_process_verdicts(worker):
    report = read_text_report(SAMPLES_DIR / SAMPLE, source_file=SAMPLE, file_sha256="1" * 64)
    unit = report.budget_units[0]
    raised = replace(unit, declared=replace(unit.declared, total=unit.declared.total + 10))
    broken = replace(report, budget_units=[raised, *report.budget_units[1:]])
    in_worker = [report_gate_failures(r, None) for r in (report, broken)]
    gate_worker.stop()
    assert in_worker == [report_gate_failures(r, None) for r in (report, broken)]
    assert in_worker[0] == [] and len(in_worker[1]) == 1


def test_the_warehouse_gate_in_the_worker_gives_the_in_process_verdict(worker, warehouse_copy):
    """The refresh's warehouse gate runs there (orchestration/checks.py), reading the candidate read-only."""
    break_warehouse(
        warehouse_copy,
        "UPDATE fct_project_funding SET other_amount = -1 WHERE project_key = (SELECT min(project_key) FROM fct_project_funding)",
    )
    in_worker = gate_worker.call(validate_warehouse, warehouse_copy, build_docs=False)
    gate_worker.stop()
    here = validate_warehouse(warehouse_copy, build_docs=False)
    assert not in_worker.passed and in_worker.failures == here.failures
    assert in_worker.statistics["row_counts"] == here.statistics["row_counts"]


def test_a_dead_worker_leaves_the_gate_in_process(worker):
    worker.process.kill()
    worker.process.join()
    assert gate_worker.call(_pid) == os.getpid()
    assert gate_worker._worker is None


def test_stopping_does_not_wait_for_the_import():
    previous = signal.signal(signal.SIGTERM, lambda *_: None)  # a handler the worker inherits
    try:
        assert gate_worker.start()
    finally:
        signal.signal(signal.SIGTERM, previous)
    begun = time.perf_counter()
    gate_worker.stop()  # right away: the worker is still importing Great Expectations
    assert time.perf_counter() - begun < 3
    assert gate_worker._worker is None


def test_a_worker_whose_refresh_is_gone_ends(worker):
    gate_worker.call(_pid)  # imported and waiting for work
    worker.conn.close()  # as when the refresh's process dies
    worker.process.join(timeout=30)
    assert worker.process.exitcode == 0
