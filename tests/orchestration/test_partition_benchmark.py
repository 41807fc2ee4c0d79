"""benchmarks/partitions.py at a small inbox: its figures are consistent (no timing is asserted)."""

from __future__ import annotations

import json

import pytest

from benchmarks import partitions
from ingestion.inbox import scan_inbox
from orchestration.partitions import partition_key
from orchestration.sensors import inbox_digest

pytestmark = pytest.mark.slow  # two child processes import Dagster: ~20 s

N = 200


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    return out, partitions.run(out, N, repeats=1, log=lambda line: None)


def test_registration_registers_every_file_once(measured):
    _, r = measured
    reg = r["registration"]
    assert r["files"] == N and r["folders"] == N  # one folder per file below 600 files
    assert reg["registered"] == N
    assert reg["sqlite_bytes_with_n_partitions"] > 0
    for key in ("partition_changes_s", "add_dynamic_partitions_s", "add_one_key_s", "sync_all_new_s", "sync_one_new_s"):
        assert reg[key] >= 0


def test_the_cursor_is_the_digest_the_sensor_stores(measured):
    out, r = measured
    files = scan_inbox(out / f"partitions-inbox-{N}", out / f"partitions-cache-{N}.json")
    state = {partition_key(f.source_file): f.sha256 for f in files}
    assert partitions.cursor_for(files) == inbox_digest(state)
    assert r["cursor"]["bytes"] == 64 and r["cursor"]["bytes_per_file"] == pytest.approx(64 / N)
    old = json.dumps(state, sort_keys=True)  # the cursor before: every key -> sha256
    assert r["cursor"]["old_format_bytes"] == len(old.encode())
    # the tick's cursor goes through the daemon unchanged: it is in the tick row, which stays small
    assert r["tick_no_change"]["cursor_bytes_out"] == r["cursor"]["bytes"]
    assert r["cursor"]["bytes"] < r["tick_rows"]["tick_row_bytes"] < 2_000
    assert r["tick_rows"]["db_growth_per_tick_bytes"] < r["cursor"]["old_format_bytes"]


def test_the_state_file_holds_the_files_outside_dagster(measured):
    _, r = measured
    state = r["state_file"]
    # UTF-8 (the names are Chinese: the old cursor's JSON escaped them as \\uXXXX)
    assert 0 < state["bytes"] < r["cursor"]["old_format_bytes"]
    assert state["bytes_per_file"] == pytest.approx(state["bytes"] / N)
    assert state["read_s"] >= 0 and state["write_s"] >= 0


def _parts_add_up(tick):
    parts = ("scan_inbox_s", "inbox_digest_s", "registered_partitions_s", "state_read_s", "state_write_s", "rest_s")
    assert all(tick[p] >= 0 for p in parts[:-1])
    assert sum(tick[p] for p in parts) == pytest.approx(tick["tick_s"])
    assert tick["peak_rss_mb"] >= tick["rss_before_tick_mb"] > 0


def test_a_tick_with_nothing_changed_skips_without_reading_partitions(measured):
    _, r = measured
    tick = r["tick_no_change"]
    assert tick["skipped"] and tick["run_requests"] == 0
    assert tick["calls"] == {
        "scan_inbox": 1,
        "inbox_digest": 1,
        "registered_partitions": 0,
        "state_read": 0,
        "state_write": 0,
    }
    assert tick["state_bytes_after"] == r["state_file"]["bytes"]  # not rewritten
    _parts_add_up(tick)


def test_a_tick_after_one_added_file_registers_it_and_requests_one_run(measured):
    out, r = measured
    tick = r["tick_one_added"]
    assert not tick["skipped"] and tick["run_requests"] == 1 and tick["partitions_to_add"] == 1
    assert tick["calls"] == {
        "scan_inbox": 1,
        "inbox_digest": 1,
        "registered_partitions": 2,
        "state_read": 1,
        "state_write": 1,
    }
    assert tick["cursor_bytes_out"] == r["cursor"]["bytes"] == 64  # one more file, the same size
    assert tick["state_bytes_after"] > r["state_file"]["bytes"]  # the state file has the new one
    _parts_add_up(tick)
    # the added file is gone again: the inbox is reusable
    assert len(scan_inbox(out / f"partitions-inbox-{N}", out / f"partitions-cache-{N}.json")) == N


def test_the_summary_reads(measured):
    _, r = measured
    lines = partitions.summary_lines(r)
    assert lines[0].startswith(f"{N:,} files")
    assert any("tick, one file added" in line for line in lines)
