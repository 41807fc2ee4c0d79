"""benchmarks/partitions.py at a small inbox: its figures are consistent (no timing is asserted)."""

from __future__ import annotations

import json

import pytest

from benchmarks import partitions
from ingestion.inbox import scan_inbox
from orchestration.partitions import partition_key

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


def test_the_cursor_is_what_the_sensor_stores(measured):
    out, r = measured
    files = scan_inbox(out / f"partitions-inbox-{N}", out / f"partitions-cache-{N}.json")
    cursor = json.dumps({partition_key(f.source_file): f.sha256 for f in files}, sort_keys=True)
    assert r["cursor"]["bytes"] == len(cursor.encode())
    assert r["cursor"]["bytes_per_file"] == pytest.approx(len(cursor.encode()) / N)
    assert r["cursor"]["bytes_if_utf8"] < r["cursor"]["bytes"]  # the names are Chinese: \\uXXXX in JSON
    # the tick's cursor goes through the daemon unchanged: it is in the tick row
    assert r["tick_no_change"]["cursor_bytes_out"] == r["cursor"]["bytes"]
    assert r["tick_rows"]["tick_row_bytes"] > r["cursor"]["bytes"]


def _parts_add_up(tick):
    parts = ("scan_inbox_s", "registered_partitions_s", "cursor_decode_s", "cursor_encode_s", "rest_s")
    assert all(tick[p] >= 0 for p in parts[:-1])
    assert sum(tick[p] for p in parts) == pytest.approx(tick["tick_s"])
    assert tick["peak_rss_mb"] >= tick["rss_before_tick_mb"] > 0


def test_a_tick_with_nothing_changed_skips_without_reading_partitions(measured):
    _, r = measured
    tick = r["tick_no_change"]
    assert tick["skipped"] and tick["run_requests"] == 0
    assert tick["calls"] == {"scan_inbox": 1, "registered_partitions": 0, "cursor_decode": 1, "cursor_encode": 0}
    _parts_add_up(tick)


def test_a_tick_after_one_added_file_registers_it_and_requests_one_run(measured):
    out, r = measured
    tick = r["tick_one_added"]
    assert not tick["skipped"] and tick["run_requests"] == 1 and tick["partitions_to_add"] == 1
    assert tick["calls"] == {"scan_inbox": 1, "registered_partitions": 2, "cursor_decode": 1, "cursor_encode": 2}
    assert tick["cursor_bytes_out"] > r["cursor"]["bytes"]
    _parts_add_up(tick)
    # the added file is gone again: the inbox is reusable
    assert len(scan_inbox(out / f"partitions-inbox-{N}", out / f"partitions-cache-{N}.json")) == N


def test_the_summary_reads(measured):
    _, r = measured
    lines = partitions.summary_lines(r)
    assert lines[0].startswith(f"{N:,} files")
    assert any("tick, one file added" in line for line in lines)
