"""The export's COPY statements on their own thread: all ended when the block is left, failures raised."""

from __future__ import annotations

import threading
import time

import duckdb
import pytest

from publishing.background_copies import BackgroundCopies, run_here


@pytest.fixture
def con(tmp_path):
    path = tmp_path / "w.duckdb"
    writer = duckdb.connect(str(path))
    writer.execute("CREATE TABLE t AS SELECT range AS n FROM range(1000)")
    writer.close()
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def _copy_csv(cursor, path, seen):
    seen.append(threading.current_thread().name)
    cursor.execute(f"COPY (SELECT * FROM t) TO '{path}' (FORMAT csv)")


def _fail(cursor, message):
    raise ValueError(message)


def _slow(cursor, ended):
    time.sleep(0.3)
    ended.append(True)


def test_copies_run_on_their_thread_and_have_ended_when_the_block_is_left(con, tmp_path):
    seen: list[str] = []
    with BackgroundCopies(con) as copies:
        for i in range(3):
            copies.run(_copy_csv, tmp_path / f"{i}.csv", seen)
    assert [(tmp_path / f"{i}.csv").read_text().count("\n") for i in range(3)] == [1001] * 3
    assert len(seen) == 3 and all(name.startswith("export-copies") for name in seen)


def test_a_failed_copy_is_raised_when_the_block_is_left(con, tmp_path):
    with pytest.raises(ValueError, match="disk full"), BackgroundCopies(con) as copies:
        copies.run(_fail, "disk full")
        copies.run(_copy_csv, tmp_path / "after.csv", [])
    assert (tmp_path / "after.csv").exists()  # the others still ran: the caller removes the folder


def test_an_error_in_the_block_waits_for_the_running_copy_and_drops_the_rest(con, tmp_path):
    ended: list[bool] = []
    with pytest.raises(RuntimeError, match="workbook"), BackgroundCopies(con) as copies:
        copies.run(_slow, ended)
        copies.run(_copy_csv, tmp_path / "dropped.csv", [])
        time.sleep(0.05)  # the slow copy has begun
        raise RuntimeError("a workbook failed")
    assert ended == [True]  # nothing writes into the folder once the block is left
    assert not (tmp_path / "dropped.csv").exists()


def test_run_here_calls_in_this_thread(con, tmp_path):
    seen: list[str] = []
    run_here(con)(_copy_csv, tmp_path / "here.csv", seen)
    assert seen == [threading.current_thread().name]
