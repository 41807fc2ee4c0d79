"""Readers during a refresh, a second refresh refused, the same inbox twice, rollback.

One real refresh (the baseline's inbox again, on a copy of the baseline warehouse) runs while three
reader processes query the published file: two open a new read-only connection per query (as
Superset does), one keeps a single connection open. While it runs (held half-way), a second refresh
of the same warehouse is started and must refuse. The tests below read what that run observed.
"""

from __future__ import annotations

import os
import re
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from contract.files import WarehouseFiles
from tests.reliability import harness

pytestmark = pytest.mark.slow


@dataclass
class Observed:
    warehouse: Path
    refresh_rc: int
    refresh_err: str
    second_rc: int
    second_err: str
    second_seconds: float
    second_while_running: bool
    readers: list[dict]
    new_run_id: str


@pytest.fixture(scope="module")
def observed(baseline, tmp_path_factory) -> Observed:
    root = tmp_path_factory.mktemp("concurrency")
    warehouse = harness.copy_warehouse(baseline.warehouse, root / "wh")
    layout = WarehouseFiles(warehouse)
    readers = harness.Readers.start(warehouse, root / "readers", per_query=2, long_lived=1, pause=0.02)
    refresh = harness.start(harness.refresh_args(baseline.inbox, warehouse), root / "refresh")
    try:
        # Once the candidate exists the first refresh holds the lock and is half-way. It is stopped
        # there (SIGSTOP to its process group) while the second one starts: a refresh of the samples
        # can end before another command has even imported its libraries.
        assert harness.wait_until(lambda: list(layout.state_dir.glob("candidate-*.duckdb")), timeout=300), (
            "the refresh never created its candidate"
        )
        os.killpg(refresh.pid, signal.SIGSTOP)
        try:
            started = time.monotonic()
            second = harness.run(harness.refresh_args(baseline.inbox, warehouse), timeout=300)
            second_seconds = time.monotonic() - started
            second_while_running = refresh.poll() is None
        finally:
            os.killpg(refresh.pid, signal.SIGCONT)
        refresh.wait(timeout=600)
        time.sleep(1.0)  # let every reader see the new version at least once
    finally:
        results = readers.stop()
        harness.kill_group(refresh)
    return Observed(
        warehouse=warehouse,
        refresh_rc=refresh.returncode,
        refresh_err=Path(f"{root / 'refresh'}.err").read_text(errors="replace"),
        second_rc=second.returncode,
        second_err=second.stderr,
        second_seconds=second_seconds,
        second_while_running=second_while_running,
        readers=results,
        new_run_id=harness.published_run_id(warehouse),
    )


def test_the_refresh_under_load_publishes(observed, baseline):
    assert observed.refresh_rc == 0, observed.refresh_err[-2000:]
    assert observed.new_run_id != baseline.run_id


def test_per_query_readers_never_fail_and_switch_once(observed, baseline):
    per_query = [r for r in observed.readers if r["mode"] == "per-query"]
    assert len(per_query) == 2
    for result in per_query:
        assert result["failures"] == 0, result["errors"]
        assert result["reads"] >= 50
        # The old version until the swap, the new one after it: nothing in between, no going back.
        assert result["run_ids"] == [baseline.run_id, observed.new_run_id]


def test_long_lived_reader_keeps_its_snapshot_and_sees_new_data_after_reconnecting(observed, baseline):
    (result,) = [r for r in observed.readers if r["mode"] == "long-lived"]
    assert result["failures"] == 0, result["errors"]
    assert result["reads"] >= 50
    assert result["run_ids"] == [baseline.run_id]
    assert result["after_reconnect"] == observed.new_run_id


def test_second_refresh_is_refused_with_one_clear_line(observed):
    assert observed.second_while_running
    assert observed.second_rc != 0
    lines = [line for line in observed.second_err.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert re.fullmatch(
        rf"error: another refresh of {re.escape(str(observed.warehouse))} is running "
        r"\(pid \d+ since [0-9T:+-]+\); wait for it to finish",
        lines[0],
    ), lines[0]


def test_same_inbox_twice_gives_identical_tables(observed, baseline):
    again = harness.snapshot(observed.warehouse)
    assert {
        "main.dim_reports",
        "main.fct_project_funding",
        "main.fct_performance_indicators",
        "main.quarantined_reports",
        "raw.reports",
    } <= set(again)
    assert sum(len(rows) for rows in again.values()) > 1000
    assert harness.differences(again, baseline.snapshot) == []


def test_rollback_restores_the_previous_version(observed, baseline):
    """Runs last in this module: it changes the warehouse the tests above read."""
    layout = WarehouseFiles(observed.warehouse)
    versions_before = harness.run(harness.cli("status", "--warehouse", str(observed.warehouse)))
    assert versions_before.returncode == 0
    assert len(list(layout.versions_dir.glob("*.duckdb"))) == 1  # the baseline, kept when the refresh published
    done = harness.run(harness.cli("rollback", "--warehouse", str(observed.warehouse)))
    assert done.returncode == 0, done.stderr
    assert "restored" in done.stdout
    assert harness.published_run_id(observed.warehouse) == baseline.run_id
    assert harness.differences(harness.snapshot(observed.warehouse), baseline.snapshot) == []
    assert list(layout.versions_dir.glob("*.duckdb")) == []
    (aside,) = (layout.state_dir / "rolled_back").glob("*.duckdb")
    assert harness.published_run_id(aside) == observed.new_run_id  # moved aside, not deleted
    again = harness.run(harness.cli("rollback", "--warehouse", str(observed.warehouse)))
    assert again.returncode == 1
    assert again.stderr.strip().startswith("error: no earlier version of")
