"""publishing.office_files: a pool of processes writes the same office files as one process."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from contract.errors import ExportError
from publishing.connections import connect_read_only
from publishing.export import current_export, export_parquet
from publishing.office_export import column_labels
from publishing.office_files import write_all_office_files


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
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    office = [name for name in names if name.endswith((".csv", ".xlsx"))]
    assert "fct_performance_indicators.xlsx" in office and len(office) >= 40
    for name in office:
        if name.endswith(".csv"):
            assert (first / name).read_bytes() == (second / name).read_bytes(), name
        else:
            assert _sheets(first / name) == _sheets(second / name), name


def test_a_worker_failure_names_the_table(warehouse_copy, tmp_path, monkeypatch):
    import publishing.office_files as office_files

    monkeypatch.setattr(office_files, "_cells", lambda con, table: 1)  # sizes only; the workers find the table missing
    labels = {"dim_reports": column_labels()["dim_reports"], "no_such_table": []}
    con = connect_read_only(warehouse_copy)
    try:
        with pytest.raises(ExportError, match="no_such_table"):
            write_all_office_files(con, warehouse_copy, labels, tmp_path, workers=2)
    finally:
        con.close()
    assert (tmp_path / "dim_reports.xlsx").exists()
