"""The published tables as the files journalists and finance staff open: .xlsx and .csv with Chinese headers.

Written by publishing.export beside the Parquet files, into the same version folder, so they are
swapped in with them. The Chinese header of a column has one source: ``meta: {label_zh: …}`` of the
column in the dbt YAML, read from the compiled manifest (tests/publishing/test_office_export.py fails
when a published column lacks it); the change feed (publish_changes, written by the publish step) labels
its columns in publishing/change_feed.py. warehouse_meta, also written by the publish step, stays Parquet only.

- CSV: UTF-8 with a byte-order mark, so Excel opens the Chinese text right; a header row of the
  Chinese labels.
- XLSX: one workbook per table (a folder of files named like the Parquet ones, no sheet-name limit
  of 31 characters, each file small enough to mail). Sheet one holds the data under a frozen header
  row of the Chinese labels, columns sized to their content, amounts (DECIMAL) as numbers formatted
  with their decimals; sheet 「列说明」 lists every column: Chinese label, column name, description.
  A sheet holds at most 1,048,576 rows: a larger table continues on sheets 「数据 (2)」, 「数据 (3)」…,
  each with the header row; the CSV always holds it whole.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from contract.settings import DBT_PROJECT_DIR
from publishing.change_feed import CHANGES_TABLE
from publishing.change_feed import COLUMNS as FEED_COLUMNS
from publishing.sql_text import quote_identifier

DBT_MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
EXCEL_MAX_ROWS = 1_048_576  # rows of one worksheet, the header row included
DATA_SHEET = "数据"
COLUMNS_SHEET = "列说明"
_FETCH_ROWS = 10_000
_MAX_WIDTH = 60
_SAMPLE_ROWS = 200  # rows looked at to size the columns
_EXCEL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EXCEL_MAX_TEXT = 32_767
_DECIMAL_SCALE = re.compile(r"^DECIMAL\(\d+,(\d+)\)$")


@dataclass(frozen=True)
class ColumnLabel:
    name: str
    label_zh: str
    description: str


def column_labels(manifest: Path = DBT_MANIFEST) -> dict[str, list[ColumnLabel]]:
    """Per published table (schema main) of the dbt project, its columns with their Chinese labels, in YAML order.
    A column without a label keeps its name as its header."""
    nodes = json.loads(Path(manifest).read_text(encoding="utf-8"))["nodes"].values()
    tables: dict[str, list[ColumnLabel]] = {}
    for node in nodes:
        if node.get("resource_type") not in ("model", "seed") or node.get("schema") != "main":
            continue
        tables[node.get("alias") or node["name"]] = [
            ColumnLabel(name, _label(column) or name, " ".join((column.get("description") or "").split()))
            for name, column in node.get("columns", {}).items()
        ]
    tables[CHANGES_TABLE] = [ColumnLabel(c.name, c.label_zh, c.description) for c in FEED_COLUMNS]
    return tables


def _label(column: dict) -> str | None:
    return column.get("meta", {}).get("label_zh") or column.get("config", {}).get("meta", {}).get("label_zh")


def write_office_files(con: duckdb.DuckDBPyConnection, table: str, labels: list[ColumnLabel], folder: Path) -> None:
    """<folder>/<table>.csv and <folder>/<table>.xlsx of table (schema main), headed by the Chinese labels."""
    columns = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()
    by_name = {label.name: label for label in labels}
    ordered = [by_name.get(name, ColumnLabel(name, name, "")) for name, _ in columns]
    select = f"SELECT {', '.join(quote_identifier(c.name) for c in ordered)} FROM main.{quote_identifier(table)}"
    _write_csv(con, select, ordered, folder / f"{table}.csv")
    _write_xlsx(con, select, ordered, [data_type for _, data_type in columns], folder / f"{table}.xlsx")


def _write_csv(con: duckdb.DuckDBPyConnection, select: str, columns: list[ColumnLabel], path: Path) -> None:
    cursor = con.execute(select)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.label_zh for c in columns])
        while rows := cursor.fetchmany(_FETCH_ROWS):
            writer.writerows([_csv_value(v) for v in row] for row in rows)


def _csv_value(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _write_xlsx(
    con: duckdb.DuckDBPyConnection, select: str, columns: list[ColumnLabel], types: list[str], path: Path
) -> None:
    formats = [_number_format(t) for t in types]
    sample = con.execute(f"{select} LIMIT {_SAMPLE_ROWS}").fetchall()
    widths = [
        min(_MAX_WIDTH, max([_width(c.label_zh)] + [_width(_excel_value(row[i])) for row in sample]) + 2)
        for i, c in enumerate(columns)
    ]
    workbook = Workbook(write_only=True)
    cursor = con.execute(select)
    sheet_number, rows_on_sheet, sheet = 0, EXCEL_MAX_ROWS, None
    while rows := cursor.fetchmany(_FETCH_ROWS):
        for row in rows:
            if rows_on_sheet == EXCEL_MAX_ROWS:
                sheet_number += 1
                sheet = _data_sheet(workbook, sheet_number, columns, widths)
                rows_on_sheet = 1
            sheet.append([_cell(sheet, value, fmt) for value, fmt in zip(row, formats, strict=True)])
            rows_on_sheet += 1
    if sheet is None:
        _data_sheet(workbook, 1, columns, widths)
    describe = workbook.create_sheet(COLUMNS_SHEET)
    for letter, width in zip("ABC", (24, 36, 100), strict=True):
        describe.column_dimensions[letter].width = width
    describe.freeze_panes = "A2"
    describe.append(_header_cells(describe, ["中文列名", "列名", "说明"]))
    for c in columns:
        describe.append([c.label_zh, c.name, _excel_value(c.description)])
    workbook.save(path)


def _data_sheet(workbook: Workbook, number: int, columns: list[ColumnLabel], widths: list[int]):
    sheet = workbook.create_sheet(DATA_SHEET if number == 1 else f"{DATA_SHEET} ({number})")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(_header_cells(sheet, [c.label_zh for c in columns]))
    return sheet


def _header_cells(sheet, labels: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for label in labels:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _cell(sheet, value: object, number_format: str | None) -> object:
    value = _excel_value(value)
    if number_format is None or value is None:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def _excel_value(value: object) -> object:
    """What a cell can hold: naive UTC times (Excel has no time zones), text without control characters."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, str):
        return _EXCEL_ILLEGAL.sub("", value)[:_EXCEL_MAX_TEXT]
    return value


def _number_format(data_type: str) -> str | None:
    """Amounts and shares (DECIMAL(p,s)) as numbers showing their s decimals, amounts with thousands separators."""
    match = _DECIMAL_SCALE.match(data_type)
    if not match:
        return None
    scale = int(match.group(1))
    return "#,##0" + ("." + "0" * scale if scale else "")


def _width(value: object) -> int:
    """Display width in Excel's character units: a CJK character counts twice."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
