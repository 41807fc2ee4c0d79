"""Parquet export: complete, main schema only, swapped atomically inside a folder the product owns,
and never moving or deleting a folder (or file) it did not create."""

from __future__ import annotations

import hashlib
import os
import shutil
from decimal import Decimal

import duckdb
import pytest

from contract.errors import ExportError, WarehouseError
from contract.files import WarehouseFiles
from publishing.export import OWNER_MARK, current_export, export_parquet
from publishing.export_reuse import FINGERPRINTS

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
    "mart_indicator_quality_by_department",
    "mart_indicator_quality_by_report",
    "quarantined_reports",
    "warehouse_meta",
]


def _read(path, sql="SELECT count(*) FROM read_parquet(?)"):
    con = duckdb.connect()
    try:
        return con.execute(sql, [str(path)]).fetchall()
    finally:
        con.close()


def _tree(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_every_main_table_is_exported_and_nothing_else(warehouse_copy):
    out_dir = WarehouseFiles(warehouse_copy).parquet_dir
    written = export_parquet(warehouse_copy, out_dir)
    names = sorted(p.name for p in current_export(out_dir).iterdir() if p.suffix == ".parquet")
    assert [p.name for p in written] == names
    assert set(MAIN_TABLES) <= {n.removesuffix(".parquet") for n in names}
    assert not [n for n in names if n.startswith(("stg_", "int_", "raw"))]
    # Beside them: a .csv of every described table, one workbook per table or a folder of one per report,
    # and the fingerprints of the files, written last.
    version = current_export(out_dir)
    assert (version / "fct_project_funding.csv").is_file() and (version / "dim_reports.xlsx").is_file()
    assert (
        not (version / "fct_project_funding.xlsx").exists()
        and len(list((version / "fct_project_funding").iterdir())) == 5
    )
    assert (version / FINGERPRINTS).is_file()
    assert _read(current_export(out_dir) / "fct_project_funding.parquet") == [(78,)]
    # Types survive: amounts stay exact decimals.
    assert _read(
        current_export(out_dir) / "fct_project_funding.parquet",
        "SELECT sum(total_amount), typeof(sum(total_amount)) FROM read_parquet(?)",
    )[0][0] == Decimal("68820.68")


def test_a_new_export_replaces_the_old_one_atomically_and_leaves_no_leftovers(warehouse_copy):
    out_dir = WarehouseFiles(warehouse_copy).parquet_dir
    export_parquet(warehouse_copy, out_dir)
    first = current_export(out_dir).resolve()
    export_parquet(warehouse_copy, out_dir)
    assert current_export(out_dir).is_symlink() and current_export(out_dir).resolve() != first
    assert first.is_dir()  # the previous export stays for readers that still hold it open
    export_parquet(warehouse_copy, out_dir)
    versions = [p for p in out_dir.iterdir() if p.name.startswith("v-")]
    assert len(versions) == 2 and not first.exists()
    assert sorted(p.name for p in out_dir.iterdir() if not p.name.startswith("v-")) == [OWNER_MARK, "current"]
    # Nothing beside the export in the warehouse folder: no hidden copies, no links.
    assert sorted(p.name for p in warehouse_copy.parent.iterdir()) == ["budget.duckdb", "budget_parquet"]


def test_a_folder_it_did_not_create_is_refused_and_left_as_it_was(warehouse_copy, tmp_path):
    mine = tmp_path / "my-work"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match="not empty and was not created by budget-etl"):
        export_parquet(warehouse_copy, mine)
    assert _tree(mine) == ["notes.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_force_adds_the_export_beside_the_folder_s_files(warehouse_copy, tmp_path):
    mine = tmp_path / "my-work"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    export_parquet(warehouse_copy, mine, force=True)
    export_parquet(warehouse_copy, mine, force=True)
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (current_export(mine) / "dim_reports.parquet").exists()


def test_the_warehouse_folder_itself_is_refused(warehouse_copy):
    before = _tree(warehouse_copy.parent)
    with pytest.raises(ExportError, match="warehouse's own folder"):
        export_parquet(warehouse_copy, warehouse_copy.parent, force=True)
    assert _tree(warehouse_copy.parent) == before


def test_the_working_folder_is_refused(warehouse_copy, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    (work / "report.docx").write_bytes(b"x")
    monkeypatch.chdir(work)
    with pytest.raises(ExportError):
        export_parquet(warehouse_copy, os.curdir)
    assert _tree(work) == ["report.docx"]


def test_a_symlink_or_file_at_the_path_is_refused(warehouse_copy, tmp_path):
    target = tmp_path / "elsewhere"
    target.mkdir()
    link = tmp_path / "link"
    link.symlink_to(target, target_is_directory=True)
    with pytest.raises(ExportError, match="not a folder"):
        export_parquet(warehouse_copy, link)
    assert link.is_symlink() and list(target.iterdir()) == []


def test_an_empty_folder_is_adopted(warehouse_copy, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    export_parquet(warehouse_copy, empty)
    assert (empty / OWNER_MARK).is_file() and (current_export(empty) / "dim_reports.parquet").exists()


def test_a_failed_export_leaves_the_previous_one_untouched(warehouse_copy, tmp_path):
    out_dir = tmp_path / "export"
    export_parquet(warehouse_copy, out_dir)
    before = _tree(out_dir)
    with pytest.raises(WarehouseError, match="run `budget-etl refresh` first"):
        export_parquet(tmp_path / "missing.duckdb", out_dir)
    assert _tree(out_dir) == before
    assert not (tmp_path / "never").exists()
    with pytest.raises(WarehouseError):
        export_parquet(tmp_path / "missing.duckdb", tmp_path / "never")
    assert not (tmp_path / "never").exists()


def test_export_leaves_the_warehouse_file_unchanged(warehouse_copy, tmp_path):
    before = hashlib.sha256(warehouse_copy.read_bytes()).hexdigest(), warehouse_copy.stat().st_mtime_ns
    export_parquet(warehouse_copy, tmp_path / "export")
    assert (hashlib.sha256(warehouse_copy.read_bytes()).hexdigest(), warehouse_copy.stat().st_mtime_ns) == before
    assert not warehouse_copy.with_name("budget.duckdb.wal").exists()


def test_the_export_folder_can_move_as_a_whole(warehouse_copy, tmp_path):
    export_parquet(warehouse_copy, tmp_path / "export")
    shutil.move(tmp_path / "export", tmp_path / "moved")
    assert _read(current_export(tmp_path / "moved") / "dim_reports.parquet") == [(5,)]


def test_the_symlink_layout_of_earlier_releases_is_replaced_and_nothing_else_goes(warehouse_copy):
    out_dir = WarehouseFiles(warehouse_copy).parquet_dir
    parent = out_dir.parent
    old = parent / ".budget_parquet-20261101T020000123456Z"
    old.mkdir()
    (old / "dim_reports.parquet").write_bytes(b"old")
    out_dir.symlink_to(old.name, target_is_directory=True)
    legacy = parent / ".budget_parquet-legacy-20261101T020000123456Z"  # a user's folder moved aside back then
    legacy.mkdir()
    export_parquet(warehouse_copy, out_dir)
    assert out_dir.is_dir() and not out_dir.is_symlink() and (out_dir / OWNER_MARK).is_file()
    assert not old.exists() and legacy.is_dir()
    assert _read(current_export(out_dir) / "dim_reports.parquet") == [(5,)]
