"""Wall time and peak memory of a command and all its descendants, read from /proc (no psutil).

Two peaks are reported, both sampled every ``interval`` seconds over the command's process tree
(process pools and the dbt subprocess included): the largest single process (the kernel's
high-water mark VmHWM of each process; not ru_maxrss, which a child inherits from the parent that
forked it) and the largest sum of RSS over the whole tree.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measured:
    wall_s: float
    returncode: int
    peak_process_mb: float
    peak_tree_mb: float
    stdout: str
    stderr: str


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


def _hwm_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def tree_memory(root: int) -> tuple[int, int]:
    """(sum of resident bytes, largest VmHWM in bytes) over ``root`` and its descendants."""
    children = _children_map()
    total, hwm, stack = 0, 0, [root]
    while stack:
        pid = stack.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
            hwm = max(hwm, _hwm_kb(pid) * 1024)
        except (OSError, IndexError, ValueError):
            pass
        stack.extend(children.get(pid, ()))
    return total, hwm


def run_measured(
    cmd: list[str], *, env: dict | None = None, cwd: Path | None = None, interval: float = 0.2, timeout_s: float = 3600
) -> Measured:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_tree = peak_process = 0
    done = threading.Event()

    def sample():
        nonlocal peak_tree, peak_process
        while not done.is_set():
            total, hwm = tree_memory(proc.pid)
            peak_tree, peak_process = max(peak_tree, total), max(peak_process, hwm)
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out_chunks: dict[str, str] = {}
    readers = [
        threading.Thread(target=lambda n=n, s=s: out_chunks.__setitem__(n, s.read()), daemon=True)
        for n, s in (("out", proc.stdout), ("err", proc.stderr))
    ]
    for r in readers:
        r.start()
    deadline = time.monotonic() + timeout_s
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
        time.sleep(0.05)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    for r in readers:
        r.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        wall,
        proc.returncode,
        peak_process / 2**20,
        peak_tree / 2**20,
        out_chunks.get("out", ""),
        out_chunks.get("err", ""),
    )


def latency_stats(samples_s: list[float]) -> dict:
    ordered = sorted(samples_s)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {
        "runs": len(ordered),
        "median_ms": statistics.median(ordered) * 1000,
        "p95_ms": p95 * 1000,
        "max_ms": ordered[-1] * 1000,
    }


def machine() -> dict:
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {"nproc": os.cpu_count(), "memory_gib": round(mem_kb / 2**20, 1), "cpu": cpu}
