"""Files of the current export that are still right are hard-linked into the next version, not written again.

At 1,000 reports, writing every file of the export again after one changed report took 136 s of a
236 s refresh (docs/scale.md). Each file of a version folder has a fingerprint of what it was
written from: the rows of its table, or of its group in that table (their count and the sum of a
hash of every row, one DuckDB query per table), the columns and their types, for the office files
the Chinese labels and descriptions they carry, and how it was written (the versions of DuckDB and
openpyxl and the source of the modules writing the files, so that a change of format rewrites every
file once without anyone remembering to bump a number).

A version folder records the fingerprints of its files in FINGERPRINTS, written after its last
file: a folder left half-written is never trusted. A file of the new version whose fingerprint is
recorded in the current version, and whose file there still has the size and modification time
recorded, is hard-linked from there (copied where the file system has no hard links), so removing
an old version removes names, never data a kept version still shows. A fingerprint file that is
missing or unreadable, an unknown fingerprint, a file missing or changed since: the file is written.
"""

from __future__ import annotations

import errno
import hashlib
import importlib.util
import json
import os
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import openpyxl

from publishing.sql_text import quote_identifier

FINGERPRINTS = ".fingerprints.json"
_RECORD_FORMAT = 1
# The modules whose code decides what a file of the export holds.
WRITER_MODULES = ("publishing.export", "publishing.office_export", "publishing.grouped_workbooks")
# Hard links impossible here (another file system, one without links, too many links): copy instead.
_COPY_INSTEAD = {errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP}
_ROW_HASH_SUM = "sum(hash(*COLUMNS(*)))"


@dataclass(frozen=True)
class Content:
    """What the rows of a table (or of one report in it) are: their count and the sum of their hashes."""

    rows: int
    row_hash_sum: int | None


def table_content(con: duckdb.DuckDBPyConnection, table: str) -> Content:
    rows, total = con.execute(f"SELECT count(*), {_ROW_HASH_SUM} FROM main.{quote_identifier(table)}").fetchone()
    return Content(rows, total)


def group_contents(con: duckdb.DuckDBPyConnection, table: str, key_column: str) -> dict[str | None, Content]:
    """The content of each group's rows in table (a report's, a department's), by the value of key_column."""
    key = quote_identifier(key_column)
    rows = con.execute(
        f"SELECT {key}, count(*), {_ROW_HASH_SUM} FROM main.{quote_identifier(table)} GROUP BY {key}"
    ).fetchall()
    return {value: Content(count, total) for value, count, total in rows}


@lru_cache(maxsize=1)
def writer_version() -> str:
    digest = hashlib.sha256(f"duckdb {duckdb.__version__}\0openpyxl {openpyxl.__version__}\0".encode())
    for module in WRITER_MODULES:
        digest.update(Path(importlib.util.find_spec(module).origin).read_bytes())
    return digest.hexdigest()


def fingerprint(*parts: object) -> str:
    """A file's fingerprint: everything its content follows from (JSON-able parts, dataclasses as text)."""
    text = json.dumps([writer_version(), *parts], ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


class Reuse:
    """The files of one new version folder (``staging``): linked from ``current`` where still right."""

    def __init__(self, current: Path | None, staging: Path) -> None:
        self._current = current
        self._staging = staging
        self._recorded = _recorded(current) if current is not None else {}
        self._by_fingerprint = {entry["fingerprint"]: path for path, entry in self._recorded.items()}
        self._files: dict[str, str] = {}
        self.linked: list[str] = []

    def link(self, path: str, digest: str) -> bool:
        """Record that ``path`` (relative to the folder) has fingerprint ``digest``; link it from the
        current version when that has a file with this fingerprint, unchanged. False: write it."""
        self._files[path] = digest
        old = self._by_fingerprint.get(digest)
        if old is None:
            return False
        source, target = self._current / old, self._staging / path
        entry = self._recorded[old]
        try:
            stat = source.stat()
            if (stat.st_size, stat.st_mtime_ns) != (entry["size"], entry["mtime_ns"]):
                return False
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)
            except OSError as error:
                if error.errno not in _COPY_INSTEAD:
                    raise
                shutil.copy2(source, target)
        except FileNotFoundError:
            return False
        self.linked.append(path)
        return True

    def save(self) -> None:
        """Write the fingerprint file of the new version: after its last file, before it is swapped in."""
        files = {}
        for path, digest in sorted(self._files.items()):
            stat = (self._staging / path).stat()
            files[path] = {"fingerprint": digest, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        text = json.dumps({"format": _RECORD_FORMAT, "files": files}, ensure_ascii=False, indent=0)
        (self._staging / FINGERPRINTS).write_text(text, encoding="utf-8")


def _recorded(folder: Path) -> dict[str, dict]:
    """path -> {fingerprint, size, mtime_ns} recorded in a version folder; {} when there is none to trust."""
    try:
        record = json.loads((folder / FINGERPRINTS).read_text(encoding="utf-8"))
        if record["format"] != _RECORD_FORMAT:
            return {}
        files = record["files"]
        for path, entry in files.items():
            inside = not (Path(path).is_absolute() or ".." in Path(path).parts)
            if not (inside and {"fingerprint", "size", "mtime_ns"} <= entry.keys()):
                return {}
        return files
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
