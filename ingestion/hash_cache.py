"""Content hashes of inbox files, remembered by what ``stat`` says, so an unchanged inbox is not re-read.

Every refresh, sensor tick and schedule tick needs each file's sha256 (the report's identity and the
input fingerprint). Hashing reads every byte: at 100,000 files that is the whole cost of a no-op
refresh. A file whose size, modification time, change time and inode are what they were when it was
hashed has the same content, with the exception git calls "racy": a file written again within the
clock's granularity of the moment it was hashed can keep its times. Such entries (modified less than
``RACY_WINDOW_NS`` before they were recorded) are never trusted and are hashed again next time.

The change time (ctime) cannot be set by a program (``touch -d`` or ``os.utime`` move mtime only), so
a file rewritten with the same size and its old mtime restored is still hashed again.

The cache is one JSON file, replaced atomically; losing it or finding it unreadable only costs a
re-hash. Entries of files no longer in the inbox are dropped at each save.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from contract.atomic import read_versioned_files, write_versioned_files

CACHE_VERSION = 1
RACY_WINDOW_NS = 2_000_000_000  # coarse file-system clocks (FAT: 2 s) included


def _signature(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


class HashCache:
    """sha256 by relative path; ``sha256(path, key)`` hashes only what changed since it was recorded."""

    def __init__(self, file: Path | None, hasher: Callable[[Path], str]) -> None:
        self.file, self.hasher = file, hasher
        self.entries: dict[str, dict] = read_versioned_files(file, CACHE_VERSION) if file else {}
        self.seen: dict[str, dict] = {}
        self.hashed = 0  # files read this time (the rest came from the cache)

    def sha256(self, path: Path, key: str) -> str:
        stat = path.stat()
        signature = _signature(stat)
        entry = self.entries.get(key)
        trusted = (
            entry is not None
            and entry.get("stat") == signature
            and entry.get("recorded_ns", 0) - stat.st_mtime_ns >= RACY_WINDOW_NS
        )
        if trusted:
            self.seen[key] = entry
            return entry["sha256"]
        digest = self.hasher(path)
        self.hashed += 1
        self.seen[key] = {"stat": signature, "sha256": digest, "recorded_ns": time.time_ns()}
        return digest

    def save(self) -> None:
        """Keep what this scan saw (files gone from the inbox are dropped); nothing to do without a file."""
        if self.file is None or self.seen == self.entries:
            return
        try:
            write_versioned_files(self.file, CACHE_VERSION, self.seen)
        except OSError:
            pass  # a cache that cannot be written costs the next scan a re-hash, nothing else
