"""One real refresh for the whole folder: the samples plus every bad input and a duplicate.

Tests that change a warehouse work on a private copy of it (harness.copy_warehouse).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from contract.files import WarehouseFiles
from tests.reliability import harness


@dataclass(frozen=True)
class Baseline:
    inbox: Path
    warehouse: Path
    run_id: str
    snapshot: dict


@pytest.fixture(scope="session")
def baseline(tmp_path_factory) -> Baseline:
    root = tmp_path_factory.mktemp("reliability-baseline")
    inbox = harness.make_inbox(root / "inbox")
    warehouse = root / "wh" / "budget.duckdb"
    done = harness.run(harness.refresh_args(inbox, warehouse), timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return Baseline(inbox, warehouse, harness.published_run_id(warehouse), harness.snapshot(warehouse))


@dataclass(frozen=True)
class CrashCampaign:
    inbox: Path
    warehouse: Path
    kills: list  # harness.Kill, in order
    after_published_kill: dict | None  # tables right after the kill that followed the swap
    final_rc: int
    final_err: str
    final_leftovers: list[str]
    readers: list[dict]


@pytest.fixture(scope="session")
def crash_campaign(baseline, tmp_path_factory) -> CrashCampaign:
    """kill -9 a refresh at every phase in turn (next day's inbox), then one refresh to the end.

    A reader process queries the published file throughout. No --allow-shrink: today one report was
    withdrawn from the inbox, which the gate's volume check lets leave (expectations/volume.py).
    """
    root = tmp_path_factory.mktemp("crash")
    warehouse = harness.copy_warehouse(baseline.warehouse, root / "wh")
    inbox = harness.make_changed_inbox(baseline.inbox, root / "inbox")
    readers = harness.Readers.start(warehouse, root / "readers", per_query=1, long_lived=0, pause=0.05)
    kills, after_published = [], None
    try:
        for i, phase in enumerate(harness.KILL_PHASES):
            kill = harness.kill_at(phase, inbox, warehouse, root / f"killed-{i}")
            kills.append(kill)
            if kill.published_is == "new":
                after_published = harness.snapshot(warehouse)
        final = harness.run(harness.refresh_args(inbox, warehouse), timeout=600)
    finally:
        reader_results = readers.stop()
    return CrashCampaign(
        inbox,
        warehouse,
        kills,
        after_published,
        final.returncode,
        final.stderr,
        harness.state_leftovers(WarehouseFiles(warehouse)),
        reader_results,
    )
