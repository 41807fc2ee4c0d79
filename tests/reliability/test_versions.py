"""Kept versions and rollback on what crashes leave behind (real DuckDB files, no pipeline)."""

from __future__ import annotations

import os

import duckdb
import pytest

from contract.errors import WarehouseError
from contract.files import WarehouseFiles
from publishing.candidate import new_database_file, seal
from publishing.connections import connect_read_only
from publishing.publish import KEEP_VERSIONS, publish
from publishing.rollback import list_versions, rollback


def _publish(layout: WarehouseFiles, value: int, keep: int = KEEP_VERSIONS) -> None:
    candidate = layout.candidate(f"r{value}")
    new_database_file(candidate)
    con = duckdb.connect(str(candidate))
    con.execute(f"CREATE TABLE t AS SELECT {value} AS v")
    con.close()
    seal(candidate, {"run_id": f"r{value}"})
    publish(candidate, layout, keep_versions=keep)


def _published_value(layout: WarehouseFiles) -> int:
    con = connect_read_only(layout.published)
    try:
        return con.execute("SELECT v FROM t").fetchone()[0]
    finally:
        con.close()


def test_the_last_five_versions_are_kept_and_rollback_walks_back_through_them(tmp_path):
    layout = WarehouseFiles(tmp_path / "budget.duckdb")
    for value in range(1, 9):
        _publish(layout, value)
    assert len(list_versions(layout)) == 5  # 3..7 (8 is published)
    restored = [(rollback(layout), _published_value(layout))[1] for _ in range(5)]
    assert restored == [7, 6, 5, 4, 3]
    with pytest.raises(WarehouseError, match="nothing to roll back to"):
        rollback(layout)
    assert len(list((layout.state_dir / "rolled_back").glob("*.duckdb"))) == KEEP_VERSIONS


def test_rollback_skips_a_version_that_is_the_published_file_itself(tmp_path):
    """A publish killed between keeping the old file and swapping leaves a link to the current one."""
    layout = WarehouseFiles(tmp_path / "budget.duckdb")
    _publish(layout, 1)
    _publish(layout, 2)
    os.link(layout.published, layout.versions_dir / "budget-99991231T000000000000Z.duckdb")  # sorts newest
    rollback(layout)
    assert _published_value(layout) == 1
    assert list_versions(layout) == []


def test_rollback_never_publishes_a_version_duckdb_cannot_open(tmp_path):
    layout = WarehouseFiles(tmp_path / "budget.duckdb")
    _publish(layout, 1)
    _publish(layout, 2)
    (kept,) = list_versions(layout)
    os.unlink(kept)
    kept.write_bytes(b"DUCK" * 100)  # a version cut short (e.g. a copy interrupted on another filesystem)
    with pytest.raises(WarehouseError, match=f"kept version {kept} cannot be opened by DuckDB"):
        rollback(layout)
    assert _published_value(layout) == 2


def test_publish_refuses_a_candidate_that_still_has_a_write_ahead_log(tmp_path):
    layout = WarehouseFiles(tmp_path / "budget.duckdb")
    _publish(layout, 1)
    candidate = layout.candidate("unsealed")
    new_database_file(candidate)
    candidate.with_name(candidate.name + ".wal").write_bytes(b"x")
    with pytest.raises(WarehouseError, match="has a write-ahead log"):
        publish(candidate, layout)
    assert _published_value(layout) == 1
