"""A file decided before is not read nor deserialised again: its recorded verdict gives its outcome.

Decided again when what the outcome depends on changes: the per-report suites (their version keys
the verdict, as it keys the gate's own), or the extraction it stands for is gone.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from contract.files import WarehouseFiles
from ingestion.extract import cache_path
from ingestion.inbox import scan_inbox
from publishing import collect, verdicts
from publishing.collect import collect_outcomes
from tests.orchestration.extraction import NOT_A_REPORT, SAMPLES, small_inbox


@pytest.fixture
def decided(tmp_path):
    """An inbox of two samples and a file that is no report, each decided once."""
    inbox = small_inbox(tmp_path / "inbox")
    warehouse = WarehouseFiles(tmp_path / "warehouse" / "budget.duckdb")
    first = collect_outcomes(scan_inbox(inbox), warehouse)
    assert [(o.file.source_file, o.loaded, o.from_cache) for o in first] == [
        (SAMPLES[0], True, False),
        (SAMPLES[1], True, False),
        (NOT_A_REPORT, False, False),
    ]
    return inbox, warehouse, first


def _reading_counted(monkeypatch) -> list[str]:
    """The files whose extraction is deserialised or read from here on."""
    read: list[str] = []
    real_cached, real_extract = collect.load_cached, collect.extract

    def load_cached(cache_dir, file):
        read.append(file.source_file)
        return real_cached(cache_dir, file)

    def extract(file, cache_dir=None):
        read.append(file.source_file)
        return real_extract(file, cache_dir)

    monkeypatch.setattr(collect, "load_cached", load_cached)
    monkeypatch.setattr(collect, "extract", extract)
    return read


def test_a_decided_file_costs_no_reading_and_keeps_its_outcome(decided, monkeypatch):
    inbox, warehouse, first = decided
    read = _reading_counted(monkeypatch)
    again = collect_outcomes(scan_inbox(inbox), warehouse)
    assert read == []
    assert again == [replace(o, from_cache=True) for o in first]
    assert "no 项目支出绩效目标表 found" in again[2].reason


def test_the_reason_names_the_file_where_it_is_now(decided, monkeypatch):
    inbox, warehouse, first = decided
    (inbox / NOT_A_REPORT).rename(inbox / "renamed.txt")
    read = _reading_counted(monkeypatch)
    again = {o.file.source_file: o for o in collect_outcomes(scan_inbox(inbox), warehouse)}
    assert read == []
    assert again["renamed.txt"].reason == first[2].reason.replace(NOT_A_REPORT, "renamed.txt")
    assert again["renamed.txt"].reason.startswith("renamed.txt: ")


def test_other_report_suites_decide_again(decided, monkeypatch):
    inbox, warehouse, first = decided
    monkeypatch.setattr(verdicts, "suites_version", lambda: "other-suites")
    read = _reading_counted(monkeypatch)
    again = collect_outcomes(scan_inbox(inbox), warehouse)
    assert sorted(read) == sorted([*SAMPLES, NOT_A_REPORT])
    assert [(o.loaded, o.reason) for o in again] == [(o.loaded, o.reason) for o in first]


def test_a_removed_extraction_is_read_again(decided, monkeypatch):
    inbox, warehouse, first = decided
    cache_path(warehouse.extracted_dir, first[0].file).unlink()
    read = _reading_counted(monkeypatch)
    again = collect_outcomes(scan_inbox(inbox), warehouse)
    assert set(read) == {SAMPLES[0]}  # looked up in the cache, then read
    assert again[0].loaded and not again[0].from_cache
