"""Rollback puts every published artefact back on one version: the DuckDB file and its Parquet export."""

from __future__ import annotations

import shutil

import duckdb

from contract.files import WarehouseFiles
from publishing.connections import connect_read_only, read_meta
from publishing.export import current_export, export_parquet
from publishing.publish import publish
from publishing.rollback import rollback


def _run_id_in_parquet(files: WarehouseFiles) -> str:
    con = duckdb.connect()
    try:
        path = current_export(files.parquet_dir) / "warehouse_meta.parquet"
        return con.execute("SELECT value FROM read_parquet(?) WHERE key = 'run_id'", [str(path)]).fetchone()[0]
    finally:
        con.close()


def _run_id(path) -> str:
    con = connect_read_only(path)
    try:
        return read_meta(con)["run_id"]
    finally:
        con.close()


def _publish_newer(files: WarehouseFiles, run_id: str) -> None:
    candidate = files.candidate(run_id)
    candidate.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(files.published, candidate)
    con = duckdb.connect(str(candidate))
    con.execute("UPDATE main.warehouse_meta SET value = ? WHERE key = 'run_id'", [run_id])
    con.close()
    publish(candidate, files)
    export_parquet(files.published, files.parquet_dir)  # what the refresh's parquet_export step does


def test_rollback_moves_the_parquet_export_with_the_warehouse(warehouse_copy):
    files = WarehouseFiles(warehouse_copy)
    first = _run_id(files.published)
    export_parquet(files.published, files.parquet_dir)
    _publish_newer(files, "newer-run")
    assert _run_id_in_parquet(files) == "newer-run"
    rollback(files)
    assert _run_id(files.published) == first
    assert _run_id_in_parquet(files) == first


def test_rollback_without_an_export_creates_none(warehouse_copy):
    files = WarehouseFiles(warehouse_copy)
    _publish_newer(files, "newer-run")
    shutil.rmtree(files.parquet_dir)
    rollback(files)
    assert not files.parquet_dir.exists()
