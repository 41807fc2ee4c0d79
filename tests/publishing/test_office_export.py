"""The .xlsx and .csv export: a Chinese header for every published column (one source, the dbt YAML
meta.label_zh), files Excel opens right, exact values, and tables too long for one sheet split.
Per-report and per-department workbooks: tests/publishing/test_grouped_workbooks.py; what is linked:
test_export_reuse.py."""

from __future__ import annotations

import csv
import re
from datetime import UTC
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


def _csv_text(path):
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    return data[3:].decode("utf-8")


def test_csv_written_by_duckdb_has_one_header_line_rows_ending_in_a_newline_and_no_blank_line(warehouse_copy):
    out_dir = WarehouseFiles(warehouse_copy).parquet_dir
    export_parquet(warehouse_copy, out_dir)
    text = _csv_text(current_export(out_dir) / "dim_departments.csv")
    lines = text.split("\n")
    assert lines[0] == "主管部门键,主管部门,地区,行政层级"
    assert text.endswith("\n") and not text.endswith("\n\n")
    con = duckdb.connect(str(warehouse_copy), read_only=True)
    try:
        departments = con.execute("SELECT count(*) FROM dim_departments").fetchone()[0]
        extracted = con.execute("SELECT source_file, extracted_at FROM dim_reports ORDER BY source_file").fetchall()
    finally:
        con.close()
    assert len(lines) == departments + 2  # the header, the rows, the empty text after the last newline
    # An empty table: the BOM and the header row only.
    assert _csv_text(current_export(out_dir) / "quarantined_reports.csv") == "来源文件,文件SHA-256,原因,隔离时间\n"
    # Times as Excel reads them: to the second, in UTC, no offset.
    with open(current_export(out_dir) / "dim_reports.csv", encoding="utf-8-sig", newline="") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda row: row["来源文件"])
    label = {c.name: c.label_zh for c in column_labels()["dim_reports"]}["extracted_at"]
    times = [row[label] for row in rows]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", t) for t in times), times
    assert times == [at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") for _, at in extracted]


def test_csv_values_text_nulls_and_booleans_as_before(warehouse_copy, tmp_path):
    """The same fields the Python csv module wrote: NULL empty, true/false, decimals with their scale,
    text with commas, quotes and line breaks quoted and read back whole."""
    con = duckdb.connect(str(warehouse_copy))
    try:
        con.execute(
            "UPDATE fct_project_funding SET project_name = '名称,带\"引号\"\n和换行' "
            "WHERE project_key = (SELECT min(project_key) FROM fct_project_funding)"
        )
        expected = con.execute(
            "SELECT project_key, project_name, has_amounts, total_amount FROM fct_project_funding ORDER BY project_key"
        ).fetchall()
    finally:
        con.close()
    export_parquet(warehouse_copy, tmp_path / "export")
    with open(current_export(tmp_path / "export") / "fct_project_funding.csv", encoding="utf-8-sig", newline="") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda row: row["项目键"])
    got = [(r["项目键"], r["项目名称"], r["列有金额"], r["总计（万元）"]) for r in rows]
    assert got == [
        (key, name, "true" if has else "false", "" if total is None else f"{total:.2f}")
        for key, name, has, total in expected
    ]
    assert got[0][1] == '名称,带"引号"\n和换行'


def _project_sheets(folder):
    """The data sheets of fct_project_funding's per-report workbooks, and one workbook's column notes."""
    workbooks = [openpyxl.load_workbook(path) for path in sorted((folder / "fct_project_funding").iterdir())]
    assert len(workbooks) == 5 and all(w.sheetnames == [DATA_SHEET, COLUMNS_SHEET] for w in workbooks)
    return [w[DATA_SHEET] for w in workbooks], workbooks[0][COLUMNS_SHEET]


def test_xlsx_has_frozen_chinese_header_amounts_as_numbers_and_column_notes(warehouse_copy):
    out_dir = WarehouseFiles(warehouse_copy).parquet_dir
    export_parquet(warehouse_copy, out_dir)
    sheets, notes_sheet = _project_sheets(current_export(out_dir))
    cells = []
    for sheet in sheets:
        assert sheet.freeze_panes == "A2"
        header = [c.value for c in sheet[1]]
        total = header.index("总计（万元）") + 1
        cells += [sheet.cell(row=r, column=total) for r in range(2, sheet.max_row + 1)]
    assert len(cells) == 78
    amounts = [c for c in cells if c.value is not None]  # layout C prints no amounts
    assert len(amounts) > 50
    assert all(isinstance(c.value, int | float) and c.number_format == "#,##0.00" for c in amounts)
    assert round(sum(Decimal(str(c.value)) for c in amounts), 2) == Decimal("68820.68")
    sheet = max(sheets, key=lambda s: s.max_row)
    name_column = openpyxl.utils.get_column_letter(header.index("项目名称") + 1)
    assert sheet.column_dimensions[name_column].width > sheet.column_dimensions["E"].width  # sized to content
    notes = [[c.value for c in row] for row in notes_sheet.iter_rows()]
    assert notes[0] == ["中文列名", "列名", "说明"]
    assert ["项目名称", "project_name"] in [row[:2] for row in notes]
    times = openpyxl.load_workbook(current_export(out_dir) / "quarantined_reports.xlsx")  # a TIMESTAMPTZ column
    assert [c.value for c in times[DATA_SHEET][1]][:1] == ["来源文件"]
    reports = openpyxl.load_workbook(current_export(out_dir) / "dim_reports.xlsx")  # one row per report: one workbook
    assert reports[DATA_SHEET].max_row == 6


def test_a_table_longer_than_a_sheet_continues_on_numbered_sheets_with_the_header(warehouse_copy, monkeypatch):
    monkeypatch.setattr(office_export, "EXCEL_MAX_ROWS", 11)  # 10 data rows per sheet
    out_dir = WarehouseFiles(warehouse_copy).parquet_dir
    export_parquet(warehouse_copy, out_dir)
    # A whole-table workbook: 35 aliases on four sheets.
    workbook = openpyxl.load_workbook(current_export(out_dir) / "dim_indicator_category_aliases.xlsx")
    sheets = [DATA_SHEET, f"{DATA_SHEET} (2)", f"{DATA_SHEET} (3)", f"{DATA_SHEET} (4)"]
    assert workbook.sheetnames == [*sheets, COLUMNS_SHEET]
    assert [workbook[s].max_row for s in sheets] == [11, 11, 11, 6]
    # A report's workbook: report 004's 33 projects on four sheets, each with the header.
    workbook = openpyxl.load_workbook(current_export(out_dir) / "fct_project_funding" / "004_a302c5053bc31a53.txt.xlsx")
    assert workbook.sheetnames == [*sheets, COLUMNS_SHEET]
    assert [workbook[s].max_row for s in sheets] == [11, 11, 11, 4]
    assert all(workbook[s]["G1"].value == "项目名称" for s in sheets)
