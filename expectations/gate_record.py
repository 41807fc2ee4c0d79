"""The gate's verdict on one candidate file, written beside it by the check, read by the publisher.

Publishing refuses a candidate without a passing record for exactly that file, so that nothing
reaches the published warehouse without passing the gate, however the run was started.
"""

from __future__ import annotations

import json
from pathlib import Path


def gate_record_path(candidate: Path) -> Path:
    return candidate.with_name(candidate.name + ".gate.json")


def write_gate_record(candidate: Path, *, passed: bool, failures: list[str], docs_index: str | None) -> None:
    stat = candidate.stat()
    record = {
        "passed": passed,
        "failures": failures,
        "docs_index": docs_index,
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
    }
    gate_record_path(candidate).write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")


def read_gate_record(candidate: Path) -> dict | None:
    """The record, or None when missing or when the candidate changed after it was validated."""
    try:
        record = json.loads(gate_record_path(candidate).read_text(encoding="utf-8"))
        stat = candidate.stat()
    except (OSError, ValueError):
        return None
    if (record.get("size"), record.get("mtime_ns")) != (stat.st_size, stat.st_mtime_ns):
        return None
    return record
