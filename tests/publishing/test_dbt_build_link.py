"""dbt builds each run's candidate through one unchanging path (a hard link), so its profile, and so
its saved parse, stay valid from one refresh to the next."""

from __future__ import annotations

import json
import os
import shutil

import duckdb
import pytest

from contract.errors import WarehouseError
from contract.files import WarehouseFiles
from contract.settings import DBT_THREADS, DBT_THREADS_ENV, SAMPLES_DIR, dbt_threads
from orchestration.run import run_refresh
from publishing.candidate import (
    link_dbt_build,
    new_database_file,
    remove_stale_files,
    unlink_dbt_build,
    wal_of,
)


@pytest.fixture
def layout(tmp_path) -> WarehouseFiles:
    return WarehouseFiles(tmp_path / "budget.duckdb")


def test_what_dbt_writes_through_the_link_is_in_the_candidate(layout):
    candidate = layout.candidate("run1")
    new_database_file(candidate)
    link = link_dbt_build(layout, candidate)
    assert link == layout.dbt_build_link and os.path.samefile(link, candidate)
    con = duckdb.connect(str(link))
    con.execute("CREATE TABLE t AS SELECT 42 AS v")
    con.close()
    unlink_dbt_build(layout)
    assert not link.exists()
    con = duckdb.connect(str(candidate), read_only=True)
    assert con.execute("SELECT v FROM t").fetchall() == [(42,)]
    con.close()


def test_the_next_run_relinks_and_drops_a_log_a_killed_dbt_left(layout):
    first, second = layout.candidate("run1"), layout.candidate("run2")
    new_database_file(first)
    new_database_file(second)
    link_dbt_build(layout, first)
    wal_of(layout.dbt_build_link).write_bytes(b"writes meant for run1")
    link_dbt_build(layout, second)
    assert os.path.samefile(layout.dbt_build_link, second)
    assert not os.path.samefile(layout.dbt_build_link, first)
    assert not wal_of(layout.dbt_build_link).exists()


def test_a_log_left_beside_the_link_stops_the_seal_step(layout):
    candidate = layout.candidate("run1")
    new_database_file(candidate)
    link_dbt_build(layout, candidate)
    wal_of(layout.dbt_build_link).write_bytes(b"unreplayed writes")
    with pytest.raises(WarehouseError, match="write-ahead log"):
        unlink_dbt_build(layout)


def test_stale_file_cleanup_removes_the_link_and_its_log(layout):
    candidate = layout.candidate("run1")
    new_database_file(candidate)
    link_dbt_build(layout, candidate)
    wal_of(layout.dbt_build_link).write_bytes(b"x")
    removed = remove_stale_files(layout)
    assert {layout.dbt_build_link, wal_of(layout.dbt_build_link), candidate} <= set(removed)
    assert sorted(p.name for p in layout.state_dir.iterdir()) == []


def _dbt_log_events(files: WarehouseFiles) -> list[dict]:
    return [json.loads(line)["info"] for line in (files.dbt_target_dir / "dbt.log").read_text().splitlines() if line]


@pytest.mark.slow
def test_every_refresh_builds_in_the_dbt_started_ahead_which_parses_partially(tmp_path):
    """The refresh's dbt is started ahead of its step (orchestration/dbt_ahead.py): it parses from
    the saved parse `make install` prepared (one for every warehouse, a new one included), and the
    build runs in it without parsing again."""
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLES_DIR, inbox)
    files = WarehouseFiles(tmp_path / "wh" / "budget.duckdb")
    for run in range(2):
        if run:  # dbt appends to its log: keep only this run's
            (files.dbt_target_dir / "dbt.log").unlink()
        refresh_log = tmp_path / f"refresh-{run}.log"
        outcome = run_refresh(inbox, files.published, force=True, output_log=refresh_log)
        assert outcome.published, outcome.cause
        assert not files.dbt_build_link.exists()
        events = _dbt_log_events(files)
        assert {"UnableToPartialParse", "PartialParsingEnabled"}.isdisjoint(e["name"] for e in events), run
        assert {e["level"] for e in events} <= {"info", "warn"}, run  # the file log without every SQL line
        assert sum(e["name"] == "LogModelResult" for e in events) > 30, run
    for run in range(2):
        assert (
            "dbt: the build runs in the dbt started ahead, parsed partially"
            in (tmp_path / f"refresh-{run}.log").read_text()
        )
    con = duckdb.connect(str(files.published), read_only=True)
    assert con.execute("SELECT count(*) FROM main.fct_project_funding").fetchone()[0] == 78
    con.close()


def test_dbt_threads_one_per_core_unless_the_environment_says(monkeypatch):
    monkeypatch.delenv(DBT_THREADS_ENV, raising=False)
    assert dbt_threads() == DBT_THREADS == min(os.cpu_count() or 1, 4)
    monkeypatch.setenv(DBT_THREADS_ENV, "3")
    assert dbt_threads() == 3
    for unusable in ("0", "-2", "many", ""):
        monkeypatch.setenv(DBT_THREADS_ENV, unusable)
        assert dbt_threads() == DBT_THREADS
