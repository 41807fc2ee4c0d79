"""publishing.export_reuse: an export writes what changed since the current version and hard-links the rest;
anything it cannot trust (no fingerprint file, an unreadable one, a missing or edited file) is written."""

from __future__ import annotations

import errno
import os

import duckdb
import openpyxl
import pytest

from publishing import export_reuse
from publishing.export import current_export, export_parquet
from publishing.export_reuse import FINGERPRINTS

REPORT = "001_482cb6efc95f57e9.txt"  # a sample report, and its workbooks' name
WORKBOOK = f"{REPORT}.xlsx"


def _files(version):
    """path relative to the version folder -> (inode, content) of every file but the fingerprints."""
    return {
        str(p.relative_to(version)): (p.stat().st_ino, p.read_bytes())
        for p in version.rglob("*")
        if p.is_file() and p.name != FINGERPRINTS
    }


def _rows(workbook):
    book = openpyxl.load_workbook(workbook, read_only=True)
    try:
        return list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


def _export(warehouse, out_dir):
    export_parquet(warehouse, out_dir)
    version = current_export(out_dir).resolve()
    return version, _files(version)


def _same(before, after):
    """The files of ``after`` that are the very files (same inode) of ``before``, checked to hold the same bytes."""
    shared = {path for path in after if path in before and after[path][0] == before[path][0]}
    assert all(after[path][1] == before[path][1] for path in shared)
    return shared


def _change(warehouse, sql, *params):
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(sql, list(params))
    finally:
        con.close()


def _report_key(warehouse, source_file=REPORT):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT report_key FROM dim_reports WHERE source_file = ?", [source_file]).fetchone()[0]
    finally:
        con.close()


def test_an_unchanged_export_links_every_file_of_the_current_version(warehouse_copy, tmp_path):
    first, before = _export(warehouse_copy, tmp_path / "export")
    second, after = _export(warehouse_copy, tmp_path / "export")
    assert second != first and first.is_dir()
    assert set(after) == set(before) and len(after) > 60
    assert _same(before, after) == set(after)
    assert (second / FINGERPRINTS).is_file()


def test_a_changed_report_rewrites_its_workbook_and_its_tables_whole_files_only(warehouse_copy, tmp_path):
    out_dir = tmp_path / "export"
    _, before = _export(warehouse_copy, out_dir)
    key = _report_key(warehouse_copy)
    _change(
        warehouse_copy,
        "UPDATE fct_project_funding SET project_name = project_name || '（修订）' "
        "WHERE report_key = ? AND project_seq = 1",
        key,
    )
    _, after = _export(warehouse_copy, out_dir)
    rewritten = set(after) - _same(before, after)
    assert rewritten == {
        "fct_project_funding.parquet",
        "fct_project_funding.csv",
        f"fct_project_funding/{WORKBOOK}",
    }
    assert "（修订）".encode() in after["fct_project_funding.csv"][1]


def test_a_removed_report_s_workbooks_vanish_and_the_previous_version_keeps_them(warehouse_copy, tmp_path):
    out_dir = tmp_path / "export"
    first, before = _export(warehouse_copy, out_dir)
    key = _report_key(warehouse_copy)
    con = duckdb.connect(str(warehouse_copy))
    try:
        grained = [
            table
            for (table,) in con.execute(
                "SELECT DISTINCT table_name FROM duckdb_columns() WHERE database_name = current_database() "
                "AND schema_name = 'main' AND column_name = 'report_key' AND table_name LIKE 'fct_%'"
            ).fetchall()
        ]
        for table in grained:
            con.execute(f"DELETE FROM {table} WHERE report_key = ?", [key])
    finally:
        con.close()
    _, after = _export(warehouse_copy, out_dir)
    gone = {path for path in before if path.endswith(f"/{WORKBOOK}")}
    assert len(gone) >= 4 and not gone & set(after)
    assert all((first / path).is_file() for path in gone)
    others = {path for path in before if "/" in path and path not in gone}
    assert others <= _same(before, after)


@pytest.mark.parametrize("damage", ["missing", "not json", "wrong shape"])
def test_a_missing_or_unreadable_fingerprint_file_means_every_file_is_written(warehouse_copy, tmp_path, damage):
    first, before = _export(warehouse_copy, tmp_path / "export")
    fingerprints = first / FINGERPRINTS
    if damage == "missing":
        fingerprints.unlink()
    elif damage == "not json":
        fingerprints.write_bytes(fingerprints.read_bytes()[:100])
    else:
        fingerprints.write_text('{"format": 1, "files": []}', encoding="utf-8")
    _, after = _export(warehouse_copy, tmp_path / "export")
    assert set(after) == set(before) and _same(before, after) == set()
    assert {path: content for path, (_, content) in after.items() if path.endswith(".csv")} == {
        path: content for path, (_, content) in before.items() if path.endswith(".csv")
    }


def test_a_file_missing_or_edited_in_the_current_version_is_written_again(warehouse_copy, tmp_path):
    first, before = _export(warehouse_copy, tmp_path / "export")
    (first / "dim_departments.csv").unlink()
    edited = first / "fct_reconciliation" / WORKBOOK
    rows = _rows(edited)
    edited.write_bytes(edited.read_bytes() + b"\0")  # changed in place: size and time differ from the record
    second, after = _export(warehouse_copy, tmp_path / "export")
    assert set(after) - _same(before, after) == {"dim_departments.csv", f"fct_reconciliation/{WORKBOOK}"}
    assert after["dim_departments.csv"][1] == before["dim_departments.csv"][1]
    assert _rows(second / "fct_reconciliation" / WORKBOOK) == rows and len(rows) > 5


def test_a_new_writer_rewrites_everything(warehouse_copy, tmp_path, monkeypatch):
    _, before = _export(warehouse_copy, tmp_path / "export")
    monkeypatch.setattr(export_reuse, "writer_version", lambda: "a later format")
    _, after = _export(warehouse_copy, tmp_path / "export")
    assert set(after) == set(before) and _same(before, after) == set()


def test_without_hard_links_the_files_are_copied(warehouse_copy, tmp_path, monkeypatch):
    _, before = _export(warehouse_copy, tmp_path / "export")

    def no_links(source, target):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    _, after = _export(warehouse_copy, tmp_path / "export")
    assert _same(before, after) == set()
    assert {path: content for path, (_, content) in after.items()} == {
        path: content for path, (_, content) in before.items()
    }
    # Copies keep size and time: the export after them links them again.
    monkeypatch.undo()
    _, again = _export(warehouse_copy, tmp_path / "export")
    assert _same(after, again) == set(again)


def test_pruning_an_old_version_keeps_the_files_linked_into_the_current_one(warehouse_copy, tmp_path):
    out_dir = tmp_path / "export"
    first, before = _export(warehouse_copy, out_dir)
    _export(warehouse_copy, out_dir)
    current, after = _export(warehouse_copy, out_dir)
    assert not first.exists()
    assert _same(before, after) == set(after)  # the inode lives on, with its bytes
    assert (current / "fct_project_funding.parquet").stat().st_nlink == 2  # this version and the one before
