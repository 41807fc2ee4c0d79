"""The .xlsx and .csv export: a Chinese header for every published column (one source, the dbt YAML
meta.label_zh), files Excel opens right, exact values, and tables too long for one sheet split."""

from __future__ import annotations

import csv
from decimal import Decimal

import duckdb
import openpyxl

from contract.files import WarehouseFiles
from publishing import office_export
from publishing.export import current_export, export_parquet
from publishing.office_export import COLUMNS_SHEET, DATA_SHEET, column_labels


def _published_columns(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = 'main' AND table_name <> 'warehouse_meta'"
        ).fetchall()
    finally:
        con.close()


def test_every_published_column_has_a_chinese_label_unique_in_its_table(samples_warehouse):
    labels = column_labels()
    unlabelled = [
        f"{table}.{column}"
        for table, column in _published_columns(samples_warehouse)
        if not any(c.name == column and c.label_zh != column for c in labels.get(table, []))
    ]
    assert unlabelled == [], "add meta: {label_zh: …} to these columns in the dbt YAML"
    for table, columns in labels.items():
        headers = [c.label_zh for c in columns]
        assert len(headers) == len(set(headers)), table


def test_csv_is_utf8_with_bom_and_chinese_headers(warehouse_copy):
    out_dir = WarehouseFiles(warehouse_copy).parquet_dir
    export_parquet(warehouse_copy, out_dir)
    path = current_export(out_dir) / "fct_project_funding.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 78
    assert {"项目名称", "主管部门键", "总计（万元）", "财政拨款（万元）"} <= set(rows[0])
    assert sum(Decimal(r["总计（万元）"]) for r in rows if r["总计（万元）"]) == Decimal(
        "68820.68"
    )  # empty: no amounts
    assert {r["列有金额"] for r in rows} <= {"true", "false"}
    assert not (current_export(out_dir) / "warehouse_meta.csv").exists()  # written by the publish step, Parquet only


def test_xlsx_has_frozen_chinese_header_amounts_as_numbers_and_column_notes(warehouse_copy):
    out_dir = WarehouseFiles(warehouse_copy).parquet_dir
    export_parquet(warehouse_copy, out_dir)
    workbook = openpyxl.load_workbook(current_export(out_dir) / "fct_project_funding.xlsx")
    assert workbook.sheetnames == [DATA_SHEET, COLUMNS_SHEET]
    sheet = workbook[DATA_SHEET]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    total = header.index("总计（万元）") + 1
    cells = [sheet.cell(row=r, column=total) for r in range(2, sheet.max_row + 1)]
    assert len(cells) == 78
    amounts = [c for c in cells if c.value is not None]  # layout C prints no amounts
    assert len(amounts) > 50
    assert all(isinstance(c.value, int | float) and c.number_format == "#,##0.00" for c in amounts)
    assert round(sum(Decimal(str(c.value)) for c in amounts), 2) == Decimal("68820.68")
    name_column = openpyxl.utils.get_column_letter(header.index("项目名称") + 1)
    assert sheet.column_dimensions[name_column].width > sheet.column_dimensions["E"].width  # sized to content
    notes = [[c.value for c in row] for row in workbook[COLUMNS_SHEET].iter_rows()]
    assert notes[0] == ["中文列名", "列名", "说明"]
    assert ["项目名称", "project_name"] in [row[:2] for row in notes]
    times = openpyxl.load_workbook(current_export(out_dir) / "quarantined_reports.xlsx")  # a TIMESTAMPTZ column
    assert [c.value for c in times[DATA_SHEET][1]][:1] == ["来源文件"]


def test_a_table_longer_than_a_sheet_continues_on_numbered_sheets_with_the_header(warehouse_copy, monkeypatch):
    monkeypatch.setattr(office_export, "EXCEL_MAX_ROWS", 31)  # 30 data rows per sheet: 78 projects on three sheets
    out_dir = WarehouseFiles(warehouse_copy).parquet_dir
    export_parquet(warehouse_copy, out_dir)
    workbook = openpyxl.load_workbook(current_export(out_dir) / "fct_project_funding.xlsx")
    sheets = [DATA_SHEET, f"{DATA_SHEET} (2)", f"{DATA_SHEET} (3)"]
    assert workbook.sheetnames == [*sheets, COLUMNS_SHEET]
    assert [workbook[s].max_row for s in sheets] == [31, 31, 19]
    assert all(workbook[s]["G1"].value == "项目名称" for s in sheets)
