"""Each report's verdict (loads, or the reason it is quarantined) recorded beside its cached extraction.

Every refresh decides the outcome of every inbox file twice (the extraction step, then the load step).
For an unchanged file the answer is already known, but learning it from the cache meant deserialising
the whole extraction (thousands of Decimal amounts a report: ~5 s for every 1,000 reports, each time).
A verdict is a few bytes written once, when the outcome is first decided: a cache hit is then the
extraction's cache file existing plus this record.

The record is keyed like everything the outcome depends on: the file's content (sha256) and the
parser's code (parser_version), as the extraction cache is, and the per-report suites
(``suites_version``), as the report gate's own verdicts are; a change to any of them decides again.
It holds no file name (the cache is by content; a file's name is where it is now): the reason is
stored without it and named on reading.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from contract import atomic
from expectations.report_gate import suites_version
from ingestion.extract import cache_path
from ingestion.inbox import InboxFile
from ingestion.version import parser_version


@dataclass(frozen=True)
class Verdict:
    reason: str | None  # the quarantine reason, naming the file; None when the report loads
    projects: int  # for the progress line
    page_count: int | None


def _path(cache_dir: Path, file: InboxFile) -> Path:
    return cache_dir / f"{file.sha256}-{parser_version()}-verdict-{suites_version()}.json"


def _name_prefix(file: InboxFile) -> str:
    return f"{file.source_file}: "


def read_verdict(cache_dir: Path, file: InboxFile) -> Verdict | None:
    """The recorded verdict on this content, when its extraction is still cached; else None."""
    if not cache_path(cache_dir, file).exists():
        return None  # the extraction was removed: read the file again, decide again
    try:
        data = json.loads(_path(cache_dir, file).read_text(encoding="utf-8"))
        reason, projects, pages = data["reason"], data["projects"], data["page_count"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return Verdict(None if reason is None else _name_prefix(file) + reason, projects, pages)


def record_verdict(cache_dir: Path, verdict: Verdict, file: InboxFile) -> None:
    """Remember ``verdict`` on ``file``'s content when its extraction is cached (a reader failure is
    not: the file is read again next time, and so decided again)."""
    if not cache_path(cache_dir, file).exists():
        return
    reason = verdict.reason
    if reason is not None:
        reason = reason.removeprefix(_name_prefix(file))
    text = json.dumps(
        {"reason": reason, "projects": verdict.projects, "page_count": verdict.page_count}, ensure_ascii=False
    )
    atomic.write_text(_path(cache_dir, file), text)
