"""Write-audit-publish mechanics: candidate format, atomic swap, versions, the refresh lock."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from contract.errors import RefreshInProgress, WarehouseError
from contract.files import WarehouseFiles
from publishing.candidate import new_database_file, remove_stale_files, seal
from publishing.connections import connect_read_only, read_meta
from publishing.lock import refresh_lock
from publishing.publish import publish
from publishing.rollback import rollback


def _build(path, value):
    new_database_file(path)
    con = duckdb.connect(str(path))
    con.execute(f"CREATE TABLE t AS SELECT {value} AS v")
    con.close()
    seal(path, {"run_id": f"run{value}"})


def test_candidate_is_readable_by_duckdb_1_4_clients(tmp_path):
    path = tmp_path / "c.duckdb"
    _build(path, 1)
    con = duckdb.connect(str(path), read_only=True)
    tags = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = 'c'").fetchone()[0]
    con.close()
    assert tags["storage_version"].startswith("v1.4.0")
    assert not (tmp_path / "c.duckdb.wal").exists()


def test_publish_swaps_atomically_and_keeps_previous_version(tmp_path):
    layout = WarehouseFiles(tmp_path / "wh" / "budget.duckdb")
    first, second = layout.candidate("r1"), layout.candidate("r2")
    _build(first, 1)
    assert publish(first, layout) is None
    reader = connect_read_only(layout.published)  # a long-lived reader during the swap
    _build(second, 2)
    kept = publish(second, layout)
    assert reader.execute("SELECT v FROM t").fetchone()[0] == 1  # still sees its snapshot
    reader.close()
    con = connect_read_only(layout.published)
    assert con.execute("SELECT v FROM t").fetchone()[0] == 2
    assert read_meta(con) == {"run_id": "run2"}
    con.close()
    old = duckdb.connect(str(kept), read_only=True)
    assert old.execute("SELECT v FROM t").fetchone()[0] == 1
    old.close()
    assert not first.exists() and not second.exists()


def test_versions_are_pruned(tmp_path):
    layout = WarehouseFiles(tmp_path / "budget.duckdb")
    for i in range(4):
        c = layout.candidate(f"r{i}")
        _build(c, i)
        publish(c, layout, keep_versions=2)
    assert len(list(layout.versions_dir.glob("*.duckdb"))) == 2


def test_missing_warehouse_is_a_clear_error(tmp_path):
    with pytest.raises(WarehouseError, match="run `budget-etl refresh` first"):
        connect_read_only(tmp_path / "none.duckdb")


def test_second_refresh_is_refused_while_one_holds_the_lock(tmp_path):
    layout = WarehouseFiles(tmp_path / "budget.duckdb")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path\n"
            "from publishing.lock import refresh_lock\nfrom contract.files import WarehouseFiles\n"
            f"with refresh_lock(WarehouseFiles(Path({str(layout.published)!r}))):\n"
            "    print('locked', flush=True); time.sleep(30)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(RefreshInProgress, match="another refresh .* is running"), refresh_lock(layout):
            pass
    finally:
        holder.kill()
        holder.wait()
    with refresh_lock(layout):  # released when its holder died
        pass


def test_stale_candidates_are_removed(tmp_path):
    layout = WarehouseFiles(tmp_path / "budget.duckdb")
    stale = layout.candidate("crashed")
    _build(stale, 1)
    (stale.parent / (stale.name + ".wal")).write_bytes(b"junk")
    removed = remove_stale_files(layout)
    assert not stale.exists() and len(removed) == 2


def test_rollback_restores_the_previous_version(tmp_path):
    layout = WarehouseFiles(tmp_path / "budget.duckdb")
    for i in (1, 2):
        c = layout.candidate(f"r{i}")
        _build(c, i)
        publish(c, layout)
    rollback(layout)
    con = connect_read_only(layout.published)
    assert con.execute("SELECT v FROM t").fetchone()[0] == 1
    con.close()
    with pytest.raises(WarehouseError, match="nothing to roll back to"):
        rollback(layout)


def test_a_read_write_holder_is_named_in_one_line(tmp_path):
    """A BI tool that opened the file read-write (another process) blocks readers: say so plainly."""
    path = tmp_path / "budget.duckdb"
    _build(path, 1)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; con = duckdb.connect({str(path)!r}); print('open', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(WarehouseError, match="locked by another program that opened it read-write"):
            connect_read_only(path)
    finally:
        holder.kill()
        holder.wait()
