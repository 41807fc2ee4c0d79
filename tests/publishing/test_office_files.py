"""publishing.office_files: a pool of processes writes the same office files as one process, and only the
workbooks left to write count towards the pool."""

from __future__ import annotations

import duckdb
import pytest
from openpyxl import load_workbook

from contract.errors import ExportError
from publishing import office_files
from publishing.connections import connect_read_only
from publishing.export import current_export, export_parquet
from publishing.office_export import column_labels
from publishing.office_files import WorkbookJob, write_workbooks


def _sheets(path):
    workbook = load_workbook(path, read_only=True)
    try:
        return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook}
    finally:
        workbook.close()


def test_two_processes_write_what_one_writes(warehouse_copy, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    export_parquet(warehouse_copy, one, office_workers=1)
    export_parquet(warehouse_copy, two, office_workers=2)
    first, second = current_export(one), current_export(two)
    names = sorted(str(p.relative_to(first)) for p in first.rglob("*"))
    assert names == sorted(str(p.relative_to(second)) for p in second.rglob("*"))
    office = [name for name in names if name.endswith((".csv", ".xlsx"))]
    assert "fct_performance_indicators/004_a302c5053bc31a53.txt.xlsx" in office and len(office) >= 50
    for name in office:
        if name.endswith(".csv"):
            assert (first / name).read_bytes() == (second / name).read_bytes(), name
        else:
            assert _sheets(first / name) == _sheets(second / name), name


def test_a_worker_failure_names_the_table(warehouse_copy, tmp_path):
    jobs = [
        WorkbookJob("dim_reports", column_labels()["dim_reports"], None, {None: "dim_reports.xlsx"}, 1),
        WorkbookJob("no_such_table", [], None, {None: "no_such_table.xlsx"}, 1),
    ]
    con = connect_read_only(warehouse_copy)
    try:
        with pytest.raises(ExportError, match="no_such_table"):
            write_workbooks(con, warehouse_copy, jobs, tmp_path, workers=2)
    finally:
        con.close()
    assert (tmp_path / "dim_reports.xlsx").exists()


def test_only_the_changed_report_s_workbook_is_left_to_write(warehouse_copy, tmp_path, monkeypatch):
    out_dir = tmp_path / "export"
    export_parquet(warehouse_copy, out_dir)
    con = duckdb.connect(str(warehouse_copy))
    try:
        key = con.execute("SELECT report_key FROM dim_reports WHERE source_file LIKE '001_%'").fetchone()[0]
        con.execute("UPDATE fct_project_funding SET goal = goal || '。' WHERE report_key = ?", [key])
        rows = con.execute("SELECT count(*) FROM fct_project_funding WHERE report_key = ?", [key]).fetchone()[0]
        width = len(con.execute("SELECT * FROM fct_project_funding LIMIT 0").description)
    finally:
        con.close()
    jobs = []
    real = office_files.write_workbooks

    def spy(con, warehouse, todo, folder, **options):
        jobs.extend(todo)
        return real(con, warehouse, todo, folder, **options)

    monkeypatch.setattr(office_files, "write_workbooks", spy)
    export_parquet(warehouse_copy, out_dir)
    assert [(job.table, list(job.paths.values()), job.cells) for job in jobs] == [
        ("fct_project_funding", ["fct_project_funding/001_482cb6efc95f57e9.txt.xlsx"], rows * width)
    ]
    sheet = _sheets(current_export(out_dir) / "fct_project_funding" / "001_482cb6efc95f57e9.txt.xlsx")["数据"]
    goal = sheet[0].index("绩效目标")
    assert len(sheet) == rows + 1 and all(row[goal] is None or row[goal].endswith("。") for row in sheet[1:])
