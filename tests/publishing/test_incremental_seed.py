"""dbt's incremental models start from the published version's rows only when the same code built it (the
candidate then starts as its copy), and what they build equals a whole build (publishing/incremental_seed.py,
publishing/candidate.py, int_indicators' SQL)."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from orchestration.resources import dbt_project
from orchestration.run import run_refresh
from publishing.candidate import new_database_file
from publishing.connections import META_TABLE
from publishing.incremental_seed import (
    CODE_VERSION_KEY,
    incremental_relations,
    prepare_candidate,
    published_by_this_code,
)
from tests.dbt.conftest import run_dbt
from tests.publishing.changed_inbox import ADDED, EDITED, REMOVED, next_inbox
from tests.warehouse_sql import rows as _rows

MANIFEST = dbt_project.manifest_path
_CODE = f"SELECT value FROM main.{META_TABLE} WHERE key = '{CODE_VERSION_KEY}'"


def test_the_incremental_models_come_from_the_manifest():
    assert incremental_relations(MANIFEST) == [("intermediate", "int_indicators")]


KEPT = "kept from the published version"


@pytest.fixture(scope="module")
def next_night(samples_warehouse, tmp_path_factory):
    """The samples' next inbox (a report withdrawn, one re-issued, one added) refreshed over a copy of them,
    with the tools' log kept. In the copy, the int_indicators rows of one report the next inbox leaves as it
    is say KEPT: a refresh that reuses them keeps the mark, one that rebuilds them loses it."""
    root = tmp_path_factory.mktemp("incremental")
    warehouse = root / "warehouse" / "budget.duckdb"
    warehouse.parent.mkdir()
    shutil.copy2(samples_warehouse, warehouse)
    con = duckdb.connect(str(warehouse))
    (marked,) = con.execute(
        "UPDATE intermediate.int_indicators SET raw_text = ? WHERE report_key = (SELECT min(report_key) FROM "
        "intermediate.int_reports WHERE source_file NOT IN (?, ?, ?))",
        [KEPT, ADDED, EDITED, REMOVED],
    ).fetchone()
    con.close()
    assert marked > 10
    outcome = run_refresh(next_inbox(root / "inbox"), warehouse, force=True, output_log=root / "refresh.log")
    assert outcome.published, outcome.cause
    return warehouse, (root / "refresh.log").read_text(encoding="utf-8"), marked


def test_the_next_night_starts_from_the_published_rows(next_night):
    warehouse, log, marked = next_night
    assert "incremental models: intermediate.int_indicators kept from the published warehouse" in log
    # Built by this code from these seeds: their own tests passed then and are not run again.
    assert "the seeds' data tests are skipped" in log and "--exclude resource_type:test,path:seeds" in log
    # The unchanged report's rows were not computed again (its report_version ignores the load time).
    assert _rows(warehouse, f"SELECT count(*) FROM intermediate.int_indicators WHERE raw_text = '{KEPT}'") == [
        (marked,)
    ]


def test_what_it_builds_equals_a_whole_build(next_night, tmp_path):
    warehouse, _, marked = next_night
    whole = tmp_path / "whole.duckdb"
    shutil.copy2(warehouse, whole)
    result = run_dbt(["run", "--full-refresh", "--select", "int_indicators"], workdir=tmp_path, db_path=whole)
    assert result.returncode == 0, result.stdout[-3000:]
    con = duckdb.connect(str(whole), read_only=True)
    try:
        con.execute(f"ATTACH '{warehouse}' AS incremental (READ_ONLY)")
        table = "intermediate.int_indicators"
        (count,) = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        assert con.execute(f"SELECT count(*) FROM incremental.{table}").fetchone() == (count,)
        assert count > 300
        # Equal but for the marked rows the incremental build kept (the whole build computed them again).
        for left, right in ((table, f"incremental.{table}"), (f"incremental.{table}", table)):
            assert con.execute(f"SELECT count(*) FROM (FROM {left} EXCEPT ALL FROM {right})").fetchone() == (marked,)
        assert con.execute(
            f"SELECT count(*) FROM (FROM incremental.{table} EXCEPT ALL FROM {table}) WHERE raw_text = ?", [KEPT]
        ).fetchone() == (marked,)
        # Every report of the inbox is there once, the withdrawn one gone, each with its current version.
        assert con.execute(
            f"SELECT count(*) FROM {table} i ANTI JOIN intermediate.int_reports r USING (report_version)"
        ).fetchone() == (0,)
    finally:
        con.close()


def _published(tmp_path, samples_warehouse, code: str | None):
    published = tmp_path / "published.duckdb"
    shutil.copy2(samples_warehouse, published)
    con = duckdb.connect(str(published))
    con.execute(f"DELETE FROM main.{META_TABLE} WHERE key = ?", [CODE_VERSION_KEY])
    if code is not None:
        con.execute(f"INSERT INTO main.{META_TABLE} VALUES (?, ?)", [CODE_VERSION_KEY, code])
    con.close()
    return published


@pytest.mark.parametrize("code", ["0123456789abcdef", None])
def test_a_version_built_by_other_code_is_not_trusted(samples_warehouse, tmp_path, code):
    assert not published_by_this_code(_published(tmp_path, samples_warehouse, code))


def test_a_version_built_by_the_same_code_is(samples_warehouse, tmp_path):
    assert published_by_this_code(_published(tmp_path, samples_warehouse, _rows(samples_warehouse, _CODE)[0][0]))


def test_no_published_or_an_unreadable_one_is_not_trusted(tmp_path):
    assert not published_by_this_code(tmp_path / "absent.duckdb")
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"not a database" * 100)
    assert not published_by_this_code(broken)


def test_a_copy_of_the_published_file_keeps_only_the_incremental_tables_for_dbt(samples_warehouse, tmp_path):
    empty = tmp_path / "candidate.duckdb"
    new_database_file(empty)
    from_published, why = prepare_candidate(empty, MANIFEST)
    assert not from_published and "int_indicators built whole" in why
    copy = tmp_path / "copy.duckdb"
    shutil.copy2(samples_warehouse, copy)
    from_published, why = prepare_candidate(copy, MANIFEST)
    assert from_published and "int_indicators kept from the published warehouse" in why
    left = _rows(copy, "SELECT schema_name || '.' || table_name FROM duckdb_tables() ORDER BY 1")
    views = _rows(copy, "SELECT count(*) FROM duckdb_views() WHERE NOT internal")
    # dbt builds everything else anew; the raw tables and what the seal writes stay for the loader and the seal.
    assert ("intermediate.int_indicators",) in left and ("raw.reports",) in left and views == [(0,)]
    assert not [t for (t,) in left if t.split(".")[0] in ("staging", "reference") or ".fct_" in t or ".dim_" in t]
