"""What the partition benchmark measures against: an inbox of N tiny files, a fresh Dagster instance,
the sensor's state and cursor for a list of files, and this process's time and memory probes.

Shared by benchmarks/partitions.py (registration, the cursor, the state file) and the child process
of benchmarks/sensor_tick.py (one sensor tick), so that both build the same inbox and instance and
read time and peak RSS the same way.

Files are tiny (a few hundred bytes): the count is what matters. Their names are like a collection's
(year / department / 2025年项目支出绩效目标表-000123.pdf, 600 folders); they are built once under
benchmarks/out/ (gitignored) and reused.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import corpus

SHIPPED_INSTANCE = corpus.ROOT / "orchestration" / "dagster.yaml"
_YEARS, _DEPARTMENTS = 6, 100  # 600 folders, as benchmarks/inbox_scan.py
FILE_BYTES = 300


def file_name(i: int) -> str:
    year = 2020 + i % _YEARS
    return f"{year}/部门{i // _YEARS % _DEPARTMENTS:03d}/{year}年项目支出绩效目标表-{i:06d}.pdf"


def make_inbox(folder: Path, files: int) -> Path:
    """``files`` tiny files of distinct content (built once, reused: keyed by the count)."""
    done = folder / ".complete"
    if done.exists():
        return folder
    stamp = time.time_ns() - 3_600 * 10**9  # written an hour ago: outside the stat cache's racy window
    pad = b"x" * FILE_BYTES
    for i in range(files):
        path = folder / file_name(i)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes((f"%PDF-1.4 report {i}\n".encode() + pad)[:FILE_BYTES])
        os.utime(path, ns=(stamp, stamp))
    done.touch()
    return folder


def new_instance(home: Path):
    """A Dagster instance on an empty DAGSTER_HOME: the shipped dagster.yaml (no storage section, so
    sqlite under the home, as `make dev` and the CLI with DAGSTER_HOME set)."""
    from dagster import DagsterInstance

    home.mkdir(parents=True, exist_ok=True)
    shutil.copy2(SHIPPED_INSTANCE, home / "dagster.yaml")
    return DagsterInstance.from_config(str(home))


def timed(fn: Callable, *args):
    started = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - started, value


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> bool:
    """Reset this process's VmHWM to its current RSS (Linux: 5 > /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def state_for(files) -> dict[str, str]:
    """The per-file state inbox_sensor records after a tick over ``files`` (its own expression)."""
    from orchestration.partitions import partition_key

    return {partition_key(f.source_file): f.sha256 for f in files}


def cursor_for(files) -> str:
    """The cursor inbox_sensor stores after a tick over ``files``: the digest of their state."""
    from orchestration.sensors import inbox_digest

    return inbox_digest(state_for(files))


def old_cursor_for(files) -> str:
    """The cursor the sensor stored before it became a digest: the state itself, as JSON."""
    return json.dumps(state_for(files), sort_keys=True)
