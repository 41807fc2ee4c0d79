"""Parquet export of the published marts: complete, main schema only, swapped in atomically."""

from __future__ import annotations

import hashlib
import os
from decimal import Decimal

import duckdb
import pytest

from contract.errors import WarehouseError
from publishing.export import export_parquet

MAIN_TABLES = [
    "dim_budget_units",
    "dim_departments",
    "dim_fund_sources",
    "dim_indicator_categories",
    "dim_reports",
    "fct_funding_by_source",
    "fct_performance_indicators",
    "fct_project_funding",
    "fct_reconciliation",
    "quarantined_reports",
    "warehouse_meta",
]


def _read(path, sql="SELECT count(*) FROM read_parquet(?)"):
    con = duckdb.connect()
    try:
        return con.execute(sql, [str(path)]).fetchall()
    finally:
        con.close()


def test_every_main_table_is_exported_and_nothing_else(published, tmp_path):
    out_dir = tmp_path / "parquet"
    written = export_parquet(published, out_dir)
    assert [p.name for p in written] == [f"{t}.parquet" for t in MAIN_TABLES]
    assert sorted(p.name for p in out_dir.iterdir()) == [f"{t}.parquet" for t in MAIN_TABLES]  # no raw/staging
    assert _read(out_dir / "fct_project_funding.parquet") == [(3,)]
    assert _read(out_dir / "fct_funding_by_source.parquet") == [(9,)]
    # Types survive: amounts stay exact decimals, Chinese text stays text.
    assert _read(
        out_dir / "fct_project_funding.parquet",
        "SELECT project_name, total_amount, typeof(total_amount) FROM read_parquet(?) WHERE project_key = 'p3'",
    ) == [("政府雇员工资经费", Decimal("1260.25"), "DECIMAL(18,2)")]
    assert _read(out_dir / "warehouse_meta.parquet", "SELECT value FROM read_parquet(?) WHERE key = 'run_id'") == [
        ("run-42",)
    ]


def test_a_new_export_replaces_the_old_one_atomically_and_prunes(published, tmp_path):
    out_dir = tmp_path / "parquet"
    export_parquet(published, out_dir)
    first_target = out_dir.resolve()
    con = duckdb.connect(str(published))
    con.execute(
        "INSERT INTO main.dim_departments VALUES ('d3', '广州市花都区工商业联合会', '广州市花都区', 'district')"
    )
    con.close()
    export_parquet(published, out_dir)
    assert out_dir.is_symlink() and out_dir.resolve() != first_target
    assert _read(out_dir / "dim_departments.parquet") == [(3,)]
    assert first_target.is_dir()  # the previous export stays for readers that still hold it open
    export_parquet(published, out_dir)
    export_parquet(published, out_dir)
    exports = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".parquet-"))
    assert len(exports) == 2 and not first_target.exists()
    assert not [p for p in tmp_path.iterdir() if ".link-" in p.name]


def test_a_plain_folder_from_an_older_layout_is_taken_over(published, tmp_path):
    out_dir = tmp_path / "parquet"
    out_dir.mkdir()
    (out_dir / "stale.parquet").write_bytes(b"old")
    export_parquet(published, out_dir)
    assert out_dir.is_symlink()
    assert not (out_dir / "stale.parquet").exists()
    assert (out_dir / "dim_reports.parquet").exists()


def test_a_failed_export_leaves_the_previous_one_untouched(published, tmp_path):
    out_dir = tmp_path / "parquet"
    export_parquet(published, out_dir)
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(WarehouseError, match="run `budget-etl refresh` first"):
        export_parquet(tmp_path / "missing.duckdb", out_dir)
    assert sorted(os.listdir(tmp_path)) == before
    assert _read(out_dir / "dim_reports.parquet") == [(2,)]


def test_export_leaves_the_warehouse_file_unchanged(published, tmp_path):
    before = hashlib.sha256(published.read_bytes()).hexdigest(), published.stat().st_mtime_ns
    export_parquet(published, tmp_path / "parquet")
    assert (hashlib.sha256(published.read_bytes()).hexdigest(), published.stat().st_mtime_ns) == before
    assert not (tmp_path / "budget.duckdb.wal").exists()
