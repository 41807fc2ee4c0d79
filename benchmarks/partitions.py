"""One Dagster partition per inbox file, at 10,000 and 100,000 files: what registering them and a sensor tick cost.

Measured, for each inbox size N, against a Dagster instance on a fresh DAGSTER_HOME with the default
sqlite storage (what `budget-etl refresh` uses when DAGSTER_HOME is set, orchestration/run.py):

- registration: ``partition_changes`` and ``instance.add_dynamic_partitions`` for N new keys, reading
  them back, ``sync_report_partitions`` end to end into an empty instance, then one new key (and one
  new file through ``sync_report_partitions``) into an instance already holding N;
- one ``inbox_sensor`` tick (``build_sensor_context`` with the instance, the cursor, the resources)
  over the N files when nothing changed (warm stat cache) and when one file was added, its time split
  into ``scan_inbox``, the inbox digest (the cursor), reading the registered partitions, reading and
  writing the sensor's state file and the rest, with the peak RSS of the tick (a child process per
  case: VmHWM reset before the tick);
- the cursor (64 hex characters: the sha256 of the inbox's key -> sha256 JSON) against what the old
  cursor, that JSON itself, would have been; the sensor's state file (the per-file state, in the
  warehouse's state folder, ``WarehouseFiles.sensor_inbox_state``): its bytes, read and write time;
- what the daemon writes per tick: Dagster stores the cursor with the sensor's state and with every
  tick row, skipped ticks included; the bytes of one tick row and what a tick adds to the
  instance's schedules database.

Files are tiny (a few hundred bytes): the count is what matters. Their names are like a collection's
(year / department / 2025年项目支出绩效目标表-000123.pdf, 600 folders); they are built once under
benchmarks/out/ (gitignored) and reused, as is the stat cache of the inbox.

    python -m benchmarks.partitions [--sizes 10000 100000] [--quick]

Prints the figures and writes benchmarks/out/partitions.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import corpus
from benchmarks.measure import machine
from benchmarks.partition_setup import (
    FILE_BYTES,
    cursor_for,
    file_name,
    folder_bytes,
    make_inbox,
    new_instance,
    old_cursor_for,
    reset_peak,
    rss_mb,
    state_for,
    timed,
)
from benchmarks.sensor_tick import tick, tick_rows

SIZES = (10_000, 100_000)
QUICK_SIZES = (1_000,)
RESULTS = corpus.OUT_DIR / "partitions.json"
SENSOR_INTERVAL_S = 60  # inbox_sensor's minimum_interval_seconds
_REPEATS = 3


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


# ---------------------------------------------------------------------------------------------
# (a) registration


def registration(work: Path, files: list) -> dict:
    from ingestion.inbox import InboxFile
    from orchestration.partitions import partition_changes, report_files, sync_report_partitions

    name = report_files.name
    result: dict = {}
    instance = new_instance(work / "home-add")
    with instance:
        result["partition_changes_s"], (add, delete) = timed(partition_changes, [], files)
        assert len(add) == len(files) and not delete
        reset_peak()
        rss_before = rss_mb()
        result["add_dynamic_partitions_s"], _ = timed(instance.add_dynamic_partitions, name, add)
        result["add_dynamic_partitions_peak_rss_mb"] = rss_mb("VmHWM")
        result["rss_before_add_mb"] = rss_before
        result["get_dynamic_partitions_s"], keys = timed(instance.get_dynamic_partitions, name)
        result["registered"] = len(keys)
        result["add_one_key_s"], _ = timed(instance.add_dynamic_partitions, name, ["extra/one-more.pdf"])
        result["delete_one_key_s"], _ = timed(instance.delete_dynamic_partition, name, "extra/one-more.pdf")
    result["sqlite_bytes_with_n_partitions"] = folder_bytes(work / "home-add")

    instance = new_instance(work / "home-sync")
    with instance:
        result["sync_all_new_s"], keys = timed(sync_report_partitions, instance, files)
        assert len(keys) == len(files)
        extra = InboxFile(Path("/nonexistent"), "extra/新增报告.pdf", "0" * 64, None, None)
        result["sync_one_new_s"], keys = timed(sync_report_partitions, instance, [*files, extra])
        assert len(keys) == len(files) + 1
        result["sync_no_change_s"], _ = timed(sync_report_partitions, instance, [*files, extra])
    return result


# ---------------------------------------------------------------------------------------------


def run(out: Path, n: int, repeats: int = _REPEATS, log=log) -> dict:
    from contract.files import WarehouseFiles
    from ingestion.inbox import scan_inbox
    from orchestration.sensors import inbox_digest, read_inbox_state, write_inbox_state

    inbox = out / f"partitions-inbox-{n}"
    log(f"partitions, {n:,} files: inbox (built once) ...")
    built_s, _ = timed(make_inbox, inbox, n)
    cache = out / f"partitions-cache-{n}.json"
    fill_s = None
    if not cache.exists():
        log(f"partitions, {n:,} files: filling the stat cache ...")
        fill_s, _ = timed(scan_inbox, inbox, cache)
    scan_s, files = timed(scan_inbox, inbox, cache)
    assert len(files) == n, f"{inbox} holds {len(files)} report files, not {n}"
    result: dict = {
        "files": n,
        "folders": len({f.source_file.rsplit("/", 1)[0] for f in files}),
        "inbox_built_s": built_s,
        "cache_filled_s": fill_s,
        "scan_warm_s": scan_s,
        "stat_cache_bytes": cache.stat().st_size,
    }
    with tempfile.TemporaryDirectory(prefix=f"partitions-{n}-", dir=out) as tmp:
        work = Path(tmp)
        log(f"partitions, {n:,} files: registering {n:,} partitions in a fresh instance ...")
        result["registration"] = registration(work, files)

        state = state_for(files)
        digest_s, cursor = timed(inbox_digest, state)
        assert cursor == cursor_for(files)
        cursor_file = work / "cursor.txt"
        cursor_file.write_text(cursor, encoding="utf-8")
        old_cursor = old_cursor_for(files)
        result["cursor"] = {
            "bytes": len(cursor.encode()),
            "bytes_per_file": len(cursor.encode()) / n,
            "digest_s": digest_s,
            "old_format_bytes": len(old_cursor.encode()),  # what the cursor was: the state as JSON
            "old_format_bytes_per_file": len(old_cursor.encode()) / n,
        }
        warehouse = work / "warehouse.duckdb"
        state_file = WarehouseFiles(warehouse).sensor_inbox_state
        write_s, _ = timed(write_inbox_state, state_file, state)
        read_s, read_back = timed(read_inbox_state, state_file)
        assert read_back == state
        state_copy = work / "state-before.json"
        shutil.copy2(state_file, state_copy)
        result["state_file"] = {
            "bytes": state_file.stat().st_size,
            "bytes_per_file": state_file.stat().st_size / n,
            "write_s": write_s,
            "read_s": read_s,
        }
        spec = {
            "inbox": str(inbox),
            "cache": str(cache),
            "warehouse": str(warehouse),
            "home": str(work / "home-add"),  # holds exactly the N keys
            "cursor_file": str(cursor_file),
            "state_copy": str(state_copy),
            "repeats": repeats,
        }
        log(f"partitions, {n:,} files: sensor tick, nothing changed (x{repeats}) ...")
        result["tick_no_change"] = tick(spec)
        added = inbox / file_name(0).rsplit("/", 1)[0] / "2025年新增报告.pdf"
        cache_copy = work / "cache-before.json"
        shutil.copy2(cache, cache_copy)
        try:
            added.write_bytes(b"%PDF-1.4 a new report\n" + b"y" * FILE_BYTES)
            log(f"partitions, {n:,} files: sensor tick, one file added (x{repeats}) ...")
            result["tick_one_added"] = tick({**spec, "cache_copy": str(cache_copy)})
        finally:
            added.unlink(missing_ok=True)
            shutil.copy2(cache_copy, cache)
        log(f"partitions, {n:,} files: tick rows with the cursor in the schedules database ...")
        result["tick_rows"] = tick_rows(work / "home-ticks", cursor)
    return result


def summary_lines(r: dict) -> list[str]:
    n, reg, c, st = r["files"], r["registration"], r["cursor"], r["state_file"]
    lines = [
        f"{n:,} files ({r['folders']} folders): warm scan_inbox {r['scan_warm_s']:.2f} s, "
        f"stat cache {r['stat_cache_bytes'] / 1e6:.1f} MB",
        f"  partition_changes, {n:,} new keys: {reg['partition_changes_s']:.3f} s",
        f"  add_dynamic_partitions, {n:,} keys into a fresh instance: {reg['add_dynamic_partitions_s']:.2f} s "
        f"(peak RSS {reg['add_dynamic_partitions_peak_rss_mb']:.0f} MB)",
        f"  get_dynamic_partitions, {reg['registered']:,} keys: {reg['get_dynamic_partitions_s']:.3f} s",
        f"  add 1 key to an instance holding {n:,}: {reg['add_one_key_s'] * 1000:.1f} ms; "
        f"delete 1: {reg['delete_one_key_s'] * 1000:.1f} ms",
        f"  sync_report_partitions: {n:,} new {reg['sync_all_new_s']:.2f} s; one new file "
        f"{reg['sync_one_new_s']:.3f} s; no change {reg['sync_no_change_s']:.3f} s",
        f"  instance sqlite files with {n:,} partitions: {reg['sqlite_bytes_with_n_partitions'] / 1e6:.1f} MB",
        f"  cursor: {c['bytes']} bytes (the old format: {c['old_format_bytes'] / 1e6:.2f} MB, "
        f"{c['old_format_bytes_per_file']:.0f} B a file); digest {c['digest_s'] * 1000:.0f} ms",
        f"  sensor state file: {st['bytes'] / 1e6:.2f} MB ({st['bytes_per_file']:.0f} B a file); "
        f"write {st['write_s'] * 1000:.0f} ms, read {st['read_s'] * 1000:.0f} ms",
    ]
    for label, key in (("nothing changed", "tick_no_change"), ("one file added", "tick_one_added")):
        t = r[key]
        lines.append(
            f"  tick, {label}: {t['tick_s']:.2f} s (fastest of {len(t['tick_s_all'])}; slowest "
            f"{max(t['tick_s_all']):.2f} s; CPU {t['tick_cpu_s']:.2f} s) = scan_inbox {t['scan_inbox_s']:.2f} + digest "
            f"{t['inbox_digest_s']:.2f} + partitions {t['registered_partitions_s']:.2f} + state file read "
            f"{t['state_read_s']:.2f} + write {t['state_write_s']:.2f} + rest {t['rest_s']:.2f}; "
            f"cursor out {t['cursor_bytes_out']} B; peak RSS {t['peak_rss_mb']:.0f} MB "
            f"({t['rss_before_tick_mb']:.0f} MB before the tick)"
        )
    tr = r["tick_rows"]
    lines.append(
        f"  daemon's tick row with the cursor: {tr['tick_row_bytes']:,} bytes, written in "
        f"{tr['write_s'] * 1000:.1f} ms; schedules.db +{tr['db_growth_per_tick_bytes'] / 1e3:.1f} kB a tick"
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", help=f"inbox sizes (default {' '.join(map(str, SIZES))})")
    parser.add_argument("--quick", action="store_true", help=f"a smoke test: {QUICK_SIZES[0]:,} files, one tick each")
    args = parser.parse_args(argv)
    sizes = args.sizes or (QUICK_SIZES if args.quick else SIZES)
    out = corpus.OUT_DIR
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict = {
        "quick": args.quick,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "sensor_interval_s": SENSOR_INTERVAL_S,
        "sizes": {},
    }
    for n in sizes:
        results["sizes"][str(n)] = run(out, n, repeats=1 if args.quick else _REPEATS)
        for line in summary_lines(results["sizes"][str(n)]):
            print(line, flush=True)
    results["total_wall_s"] = time.perf_counter() - started
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"wrote {RESULTS.relative_to(corpus.ROOT)} in {results['total_wall_s'] / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
