"""One ``inbox_sensor`` tick over an inbox of N files, and what the daemon stores for each tick.

The tick runs in a child process per case (``python -m benchmarks.sensor_tick SPEC_JSON``, started
by ``tick``): every case starts from the same fresh process (Dagster imported, the instance opened,
VmHWM reset just before the tick), so its peak RSS is the tick's, not what the benchmark's own
process gathered registering N partitions. Its time is split into ``scan_inbox``, the inbox digest (the cursor), reading the registered partitions, reading
and writing the sensor's state file and the rest, by wrapping what the sensor calls.

``tick_rows`` writes skipped ticks with the cursor as the daemon does: Dagster stores the cursor with
the sensor's state and with every tick row, so the row's bytes and the schedules database's growth
per tick are what the cursor's size costs.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import corpus
from benchmarks.partition_setup import new_instance, reset_peak, rss_mb


class _Split:
    """Wall time of the tick's parts, recorded by wrapping what inbox_sensor calls."""

    PARTS = ("scan_inbox", "inbox_digest", "registered_partitions", "state_read", "state_write")

    def __init__(self) -> None:
        self.seconds = {part: 0.0 for part in self.PARTS}
        self.calls = {k: 0 for k in self.seconds}

    def wrap(self, part: str, fn: Callable) -> Callable:
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[part] += time.perf_counter() - started
                self.calls[part] += 1

        return timed


def measure_ticks(spec: dict) -> dict:
    """Evaluate inbox_sensor ``spec['repeats']`` times; timings of the fastest, peak RSS over all."""
    from dagster import AddDynamicPartitionsRequest, SensorResult, SkipReason, build_sensor_context

    import orchestration.sensors as sensors
    from orchestration.resources import WarehouseResource

    inbox, cache, cache_copy = Path(spec["inbox"]), Path(spec["cache"]), spec.get("cache_copy")
    cursor = Path(spec["cursor_file"]).read_text(encoding="utf-8")
    resource = WarehouseResource(inbox=str(inbox), warehouse=spec["warehouse"])
    resources = {"warehouse_config": resource}
    state_file, state_copy = resource.warehouse_files().sensor_inbox_state, Path(spec["state_copy"])
    wrapped = {
        "scan_inbox": "scan_inbox",
        "inbox_digest": "inbox_digest",
        "state_read": "read_inbox_state",
        "state_write": "write_inbox_state",
    }
    real = {name: getattr(sensors, name) for name in wrapped.values()}
    runs = []
    with new_instance(Path(spec["home"])) as instance:
        real_get = instance.get_dynamic_partitions
        baseline_mb = rss_mb()
        peak_reset = reset_peak()
        for _ in range(spec["repeats"]):
            if cache_copy:  # every repeat sees the added file for the first time
                shutil.copy2(cache_copy, cache)
            shutil.copy2(state_copy, state_file)  # the state recorded by a tick over the N files
            split = _Split()
            for part, name in wrapped.items():
                setattr(sensors, name, split.wrap(part, real[name]))
            instance.get_dynamic_partitions = split.wrap("registered_partitions", real_get)
            try:
                with build_sensor_context(instance=instance, cursor=cursor, resources=resources) as ctx:
                    started, cpu = time.perf_counter(), time.process_time()
                    outcome = sensors.inbox_sensor(ctx)
                    total, cpu = time.perf_counter() - started, time.process_time() - cpu
                    new_cursor = ctx.cursor
            finally:
                for name, fn in real.items():
                    setattr(sensors, name, fn)
                del instance.get_dynamic_partitions
            run = {
                "tick_s": total,
                "tick_cpu_s": cpu,  # steadier than wall time on a shared machine
                **{f"{k}_s": v for k, v in split.seconds.items()},
                "calls": split.calls,
                "rest_s": total - sum(split.seconds.values()),
                "skipped": isinstance(outcome, SkipReason),
                "run_requests": len(outcome.run_requests) if isinstance(outcome, SensorResult) else 0,
                "cursor_bytes_out": len((new_cursor or "").encode()),
                "state_bytes_after": state_file.stat().st_size,
            }
            if isinstance(outcome, SensorResult):
                adds = [
                    r for r in outcome.dynamic_partitions_requests or [] if isinstance(r, AddDynamicPartitionsRequest)
                ]
                run["partitions_to_add"] = sum(len(r.partition_keys) for r in adds)
            runs.append(run)
        peak_mb = rss_mb("VmHWM")
    best = min(runs, key=lambda r: r["tick_s"])
    return {
        **best,
        "tick_s_all": [r["tick_s"] for r in runs],
        "tick_cpu_s_all": [r["tick_cpu_s"] for r in runs],
        "rss_before_tick_mb": baseline_mb,
        "peak_rss_mb": peak_mb,  # the process's peak during the ticks (imports and instance included)
        "peak_rss_above_before_mb": peak_mb - baseline_mb if peak_reset else None,
        "peak_reset": peak_reset,
    }


def tick(spec: dict) -> dict:
    """Run ``measure_ticks(spec)`` in a fresh child process and return its figures."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.sensor_tick", json.dumps(spec)],
        capture_output=True,
        text=True,
        cwd=corpus.ROOT,
    )
    if done.returncode != 0:
        raise RuntimeError(f"sensor tick failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# what the daemon stores per tick


def tick_rows(home: Path, cursor: str, ticks: int = 20) -> dict:
    """Write ``ticks`` skipped sensor ticks carrying ``cursor`` as the daemon does (create_tick, then
    update_tick with the cursor) and measure their size and the schedules database's growth."""
    from dagster._core.definitions.run_request import InstigatorType
    from dagster._core.scheduler.instigation import TickData, TickStatus
    from dagster._serdes import serialize_value

    db = home / "schedules" / "schedules.db"
    times, body_bytes = [], 0
    with new_instance(home) as instance:
        instance.get_ticks("origin", "selector")  # creates the schedules database
        before = db.stat().st_size if db.exists() else 0
        for _ in range(ticks):
            started = time.perf_counter()
            data = TickData(
                instigator_origin_id="inbox_sensor-origin",
                instigator_name="inbox_sensor",
                instigator_type=InstigatorType.SENSOR,
                status=TickStatus.STARTED,
                timestamp=time.time(),
                selector_id="inbox_sensor-selector",
            )
            created = instance.create_tick(data)
            finished = created.with_status(TickStatus.SKIPPED).with_reason("no change").with_cursor(cursor)
            instance.update_tick(finished)
            times.append(time.perf_counter() - started)
            body_bytes = len(serialize_value(finished.tick_data).encode())
        after = db.stat().st_size
    return {
        "ticks": ticks,
        "tick_row_bytes": body_bytes,
        "write_s": min(times),
        "db_growth_per_tick_bytes": (after - before) / ticks,
    }


def main(argv: list[str] | None = None) -> int:
    """The child: measure the ticks ``argv[0]`` (a JSON spec) describes, print them as one JSON line."""
    argv = sys.argv[1:] if argv is None else argv
    print(json.dumps(measure_ticks(json.loads(argv[0]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
