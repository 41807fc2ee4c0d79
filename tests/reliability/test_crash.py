"""kill -9 at every phase of a refresh: the published warehouse is always whole and readable.

The campaign (conftest.crash_campaign) kills real `budget-etl refresh` processes with SIGKILL when
their files show each phase; the last test here kills a process that publishes in a tight loop,
to land kills inside publish itself (link, fsync, rename, prune) many times.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from contract.files import WarehouseFiles
from publishing.candidate import remove_stale_files
from publishing.connections import connect_read_only, read_meta
from publishing.lock import refresh_lock
from publishing.rollback import list_versions, rollback
from tests.reliability import harness

pytestmark = pytest.mark.slow


def test_every_phase_was_reached_and_killed(crash_campaign):
    assert [k.phase for k in crash_campaign.kills] == [p.name for p in harness.KILL_PHASES]
    assert all(k.reached for k in crash_campaign.kills), crash_campaign.kills


def test_published_warehouse_is_whole_and_readable_after_every_kill(crash_campaign):
    # Before the swap the old version stays (same tables, same rows); after it the new one is whole.
    # Killed once the gate record is written, the run may (rarely) have swapped already.
    outcomes = {k.phase: k.published_is for k in crash_campaign.kills}
    assert outcomes.pop(harness.GatePassed.name) in ("old", "new")
    assert outcomes == {**{p.name: "old" for p in harness.KILL_PHASES[:4]}, harness.Published.name: "new"}
    assert all(k.readable for k in crash_campaign.kills)


def test_killed_runs_leave_files_that_the_next_refresh_removes(crash_campaign):
    kills = {k.phase: k for k in crash_campaign.kills}
    dbt = kills[harness.DbtBuilding.name]
    assert any(name.endswith(".duckdb") for name in dbt.leftovers), dbt
    gate = kills[harness.GatePassed.name]
    assert any(name.endswith(".gate.json") for name in gate.leftovers), gate
    assert crash_campaign.final_rc == 0, crash_campaign.final_err[-2000:]
    assert crash_campaign.final_leftovers == []


def test_the_refresh_after_the_kills_publishes_what_the_killed_one_had_published(crash_campaign):
    # The run killed right after its swap published the next day's inbox; the final refresh of the
    # same inbox must produce the same tables: the kill cost nothing.
    assert crash_campaign.after_published_kill is not None
    assert harness.differences(harness.snapshot(crash_campaign.warehouse), crash_campaign.after_published_kill) == []


def test_a_reader_never_failed_during_the_kills(crash_campaign):
    (reader,) = crash_campaign.readers
    assert reader["failures"] == 0, reader["errors"]
    assert reader["reads"] >= 100
    assert len(reader["run_ids"]) == 3  # baseline, the version published by the killed run, the final


_PUBLISH_LOOP = """
import sys
from pathlib import Path
import duckdb
from publishing.candidate import new_database_file, remove_stale_files, seal
from publishing.connections import connect_read_only, read_meta
from publishing.lock import refresh_lock
from publishing.publish import publish
from publishing.rollback import list_versions, rollback
from contract.files import WarehouseFiles
layout = WarehouseFiles(Path(sys.argv[1]))
i = 0
while True:
    i += 1
    candidate = layout.candidate(f"loop{i}")
    new_database_file(candidate)
    con = duckdb.connect(str(candidate))
    con.execute("CREATE TABLE t AS SELECT range AS v, 'run' || $1 AS tag FROM range(20000)", [i])
    con.close()
    seal(candidate, {"run_id": f"loop{i}"})
    with refresh_lock(layout):
        remove_stale_files(layout, keep=candidate)
        publish(candidate, layout, keep_versions=3)
    print(i, flush=True)
"""


def test_kills_inside_publish_never_break_the_published_file(tmp_path):
    """20 SIGKILLs at random moments of a build-seal-publish loop; after each: readable, whole."""
    layout = WarehouseFiles(tmp_path / "budget.duckdb")
    rng = __import__("random").Random(11)
    kills = 0
    for _ in range(20):
        proc = subprocess.Popen(
            [sys.executable, "-c", _PUBLISH_LOOP, str(layout.published)],
            cwd=harness.REPO_ROOT,
            env=harness.child_env(),
            stdout=subprocess.PIPE,
            text=True,
        )
        proc.stdout.readline()  # at least one publish done in this process
        time.sleep(rng.uniform(0.0, 0.3))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        kills += 1
        con = connect_read_only(layout.published)
        try:
            run_id = read_meta(con)["run_id"]
            count, tags = con.execute("SELECT count(*), count(DISTINCT tag) FROM t").fetchone()
        finally:
            con.close()
        assert (count, tags) == (20000, 1) and run_id.startswith("loop")
        for version in list_versions(layout):
            con = duckdb.connect(str(version), read_only=True)
            assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 20000
            con.close()
        assert len(list_versions(layout)) <= 4  # keep 3, plus one left by a kill mid-publish
    with refresh_lock(layout):
        remove_stale_files(layout)
    assert harness.state_leftovers(layout) == []
    assert kills == 20
    # Rollback still works on what the kills left, and never "restores" the published file itself.
    current = os.stat(layout.published).st_ino
    restored = rollback(layout)
    assert os.stat(layout.published).st_ino != current
    assert restored.name.startswith("budget-")
