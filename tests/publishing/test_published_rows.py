"""Raw rows copied from the published warehouse are the rows a full load from the cache writes.

The samples, published by the real pipeline, then the next night's inbox: report 000 unchanged (copied),
001 edited, 003 removed, a duplicate of 000 under another name, 002 replaced by garbage (its last good
version kept, stale), 004 unchanged but given another year by the manifest (so not copied: the year
is the manifest's), and a new file. The candidate is built three times from the same outcomes: copying
what it can from the published file, from the cache alone (a published file whose raw tables have a
column more is not copied from), and in a candidate that started as a copy of the published file
(what a refresh does when the same code built it), keeping what it would copy and deleting the rest.
All three must hold exactly the same raw rows.
"""

from __future__ import annotations

import random
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from contract.files import WarehouseFiles
from ingestion.inbox import scan_inbox
from ingestion.raw_tables import create_raw_tables, raw_columns
from publishing.candidate import copy_database_file
from publishing.collect import collect_outcomes
from publishing.loading import load_candidate
from publishing.published_rows import attach_published
from tests.publishing.changed_inbox import EDITED, REMOVED, next_inbox

UNCHANGED = "000_78a7ae6ba5b81e46.txt"
FAILING = "002_39e10e3528be362f.txt"
NEW_YEAR = "004_a302c5053bc31a53.txt"
DUPLICATE = "zz_copy_of_000.txt"
LOAD_TIME = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _next_night(root: Path) -> Path:
    inbox = next_inbox(root / "inbox")  # 001 edited, 003 removed, 000_2024.txt added
    shutil.copy2(inbox / UNCHANGED, inbox / DUPLICATE)
    (inbox / FAILING).write_bytes(random.Random(3).randbytes(4096))
    manifest = inbox / "manifest.csv"
    text = manifest.read_text(encoding="utf-8")
    assert f"{NEW_YEAR},2025" in text
    manifest.write_text(text.replace(f"{NEW_YEAR},2025", f"{NEW_YEAR},2024"), encoding="utf-8")
    return inbox


def _warehouse(samples_warehouse: Path, folder: Path) -> WarehouseFiles:
    """A copy of the published samples with their state folder (archive, extraction cache)."""
    shutil.copytree(samples_warehouse.parent, folder)
    return WarehouseFiles(folder / samples_warehouse.name)


def _build(warehouse: WarehouseFiles, inbox: Path, candidate: Path, *, from_published: bool = False):
    outcomes = collect_outcomes(scan_inbox(inbox), warehouse)
    if from_published:
        copy_database_file(warehouse.published, candidate)
    return load_candidate(candidate, outcomes, warehouse, now=LOAD_TIME, from_published=from_published)


@pytest.fixture(scope="module")
def both_ways(samples_warehouse, tmp_path_factory):
    root = tmp_path_factory.mktemp("published-rows")
    inbox = _next_night(root)
    copying = _warehouse(samples_warehouse, root / "copying")
    keeping = _warehouse(samples_warehouse, root / "keeping")
    from_cache = _warehouse(samples_warehouse, root / "from-cache")
    con = duckdb.connect(str(from_cache.published))
    con.execute("ALTER TABLE raw.reports ADD COLUMN added_later INTEGER")  # today's raw schema differs
    con.close()
    built = {}
    for name, warehouse in (("copying", copying), ("keeping", keeping), ("from_cache", from_cache)):
        candidate = root / f"{name}.duckdb"
        built[name] = (_build(warehouse, inbox, candidate, from_published=name == "keeping"), candidate)
    return built


@pytest.mark.parametrize("way", ["copying", "keeping"])
def test_a_report_published_as_it_would_load_is_copied_and_no_other(both_ways, way):
    (copying, candidate), (from_cache, _) = both_ways[way], both_ways["from_cache"]
    assert copying.copied == 1  # 000 alone: 001 and the new file are new content, 004's year changed
    assert from_cache.copied == 0
    for stats in (copying, from_cache):
        assert (stats.loaded, stats.stale, stats.duplicates) == (4, 1, 1)
    con = duckdb.connect(str(candidate), read_only=True)
    try:
        rows = con.execute(
            "SELECT source_file, fiscal_year, is_stale, extracted_at FROM raw.reports ORDER BY source_file"
        ).fetchall()
    finally:
        con.close()
    assert [r[0] for r in rows] == sorted(["000_2024.txt", UNCHANGED, EDITED, FAILING, NEW_YEAR])
    assert REMOVED not in [r[0] for r in rows]
    assert {r[0]: r[1] for r in rows}[NEW_YEAR] == 2024
    assert {r[0]: r[2] for r in rows}[FAILING] is True
    assert {r[3] for r in rows} == {LOAD_TIME}  # the copied row too: the load time is the run's


@pytest.mark.parametrize("way", ["copying", "keeping"])
def test_copied_raw_tables_equal_a_full_load_from_the_cache(both_ways, way):
    (_, copied), (_, loaded) = both_ways[way], both_ways["from_cache"]
    con = duckdb.connect()
    con.execute(f"ATTACH '{copied}' AS copied (READ_ONLY)")
    con.execute(f"ATTACH '{loaded}' AS loaded (READ_ONLY)")
    for table in raw_columns():
        counts = [con.execute(f"SELECT count(*) FROM {db}.raw.{table}").fetchone()[0] for db in ("copied", "loaded")]
        assert counts[0] == counts[1], table
        for one, other in (("copied", "loaded"), ("loaded", "copied")):
            extra = con.execute(
                f"SELECT count(*) FROM (SELECT * FROM {one}.raw.{table} EXCEPT ALL SELECT * FROM {other}.raw.{table})"
            ).fetchone()[0]
            assert extra == 0, f"raw.{table}: {extra} rows of {one} not in {other}"
    # Not an empty comparison: every report table has rows, the copied report's included.
    for table in ("reports", "budget_units", "projects", "indicators", "reconciliation_checks", "quarantine"):
        assert con.execute(f"SELECT count(*) FROM copied.raw.{table}").fetchone()[0] > 0, table
    sha = con.execute("SELECT file_sha256 FROM copied.raw.reports WHERE source_file = ?", [UNCHANGED]).fetchone()[0]
    assert con.execute("SELECT count(*) FROM copied.raw.indicators WHERE file_sha256 = ?", [sha]).fetchone()[0] == 40


def test_a_published_file_that_cannot_be_read_is_not_copied_from(tmp_path):
    con = duckdb.connect(str(tmp_path / "candidate.duckdb"))
    create_raw_tables(con)
    assert not attach_published(con, tmp_path / "missing.duckdb")
    (tmp_path / "garbage.duckdb").write_bytes(b"not a database" * 100)
    assert not attach_published(con, tmp_path / "garbage.duckdb")
    con.close()
