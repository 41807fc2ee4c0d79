"""How long ``scan_inbox`` takes on a large inbox: every byte hashed, then with the stat cache warm.

A no-op refresh (and every sensor and schedule tick) scans the whole inbox; at 100,000 files hashing
is its whole cost. Files are synthetic (random bytes, ``file_kb`` each, spread over year folders as a
province's collection would be); the first scan fills the cache, the next ones read none.

    python -m benchmarks.inbox_scan [FILES] [FILE_KB]
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from benchmarks import corpus
from ingestion.inbox import scan_inbox

_FOLDERS = 100  # files per folder = files / 100: a deep tree is what real collections look like


def make_inbox(folder: Path, files: int, file_kb: int) -> Path:
    """``files`` files of ``file_kb`` KiB (built once: kept under benchmarks/out/, keyed by the sizes)."""
    done = folder / ".complete"
    if done.exists():
        return folder
    block = os.urandom(file_kb * 1024)
    for i in range(files):
        sub = folder / f"{2020 + i % 6}" / f"dept-{i % _FOLDERS:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"report-{i:06d}.pdf"
        path.write_bytes(i.to_bytes(8, "big") + block)  # distinct contents, same size
        stamp = time.time_ns() - 3_600 * 10**9  # written an hour ago: outside the racy window
        os.utime(path, ns=(stamp, stamp))
    done.touch()
    return folder


def _timed(inbox: Path, cache: Path | None) -> tuple[float, int]:
    started = time.perf_counter()
    found = scan_inbox(inbox, cache)
    return time.perf_counter() - started, len(found)


def run(out: Path, files: int, file_kb: int, log=print) -> dict:
    inbox = make_inbox(out / f"scan-inbox-{files}x{file_kb}k", files, file_kb)
    cache = out / f"scan-cache-{files}x{file_kb}k.json"
    cache.unlink(missing_ok=True)
    log(f"inbox scan: {files:,} files of {file_kb} KiB, hashing every byte ...")
    no_cache_s, count = _timed(inbox, None)
    log("inbox scan: filling the stat cache ...")
    filling_s, _ = _timed(inbox, cache)
    warm = []
    for _ in range(3):
        log("inbox scan: warm stat cache (no file changed) ...")
        warm.append(_timed(inbox, cache)[0])
    return {
        "files": count,
        "file_kb": file_kb,
        "no_cache_s": no_cache_s,
        "filling_cache_s": filling_s,
        "warm_cache_s": min(warm),
        "cache_mb": cache.stat().st_size / 1e6,
        "speedup": no_cache_s / min(warm),
    }


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    kb = int(sys.argv[2]) if len(sys.argv) > 2 else 64
    print(json.dumps(run(corpus.OUT_DIR, n, kb), indent=2))
