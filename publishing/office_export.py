"""The published tables as the files journalists and finance staff open: .csv and .xlsx with Chinese headers.

Written by publishing.export beside the Parquet files, into the same version folder, so they are
swapped in with them (publishing.office_files decides what is written and what is linked from the
current version). The Chinese header of a column has one source: ``meta: {label_zh: …}`` of the
column in the dbt YAML, read from the compiled manifest (tests/publishing/test_office_export.py fails
when a published column lacks it); the change feed (publish_changes, written by the publish step) labels
its columns in publishing/change_feed.py. warehouse_meta, also written by the publish step, stays Parquet only.

- CSV: the whole table in one file, written by DuckDB: UTF-8 with a byte-order mark, so Excel opens
  the Chinese text right; a header row of the Chinese labels; NULL as an empty field; booleans
  true/false; amounts as printed by DuckDB (1234.50); times to the second, in UTC.
- XLSX: one workbook per table (a folder of files named like the Parquet ones, no sheet-name limit
  of 31 characters, each file small enough to mail), or for a large table grouped by report or
  department one workbook per report or department in the folder <table>/
  (publishing.grouped_workbooks). Sheet one holds the data under a
  frozen header row of the Chinese labels, columns sized to their content, amounts (DECIMAL) as
  numbers formatted with their decimals; sheet 「列说明」 lists every column: Chinese label, column
  name, description. A sheet holds at most 1,048,576 rows: more continue on sheets 「数据 (2)」,
  「数据 (3)」…, each with the header row; the CSV always holds the table whole.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
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
from publishing.sql_text import quote_identifier, string_literal

DBT_MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
EXCEL_MAX_ROWS = 1_048_576  # rows of one worksheet, the header row included
DATA_SHEET = "数据"
COLUMNS_SHEET = "列说明"
CSV_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
BOM = "\ufeff"  # first in every CSV: Excel then reads it as UTF-8
_FETCH_ROWS = 10_000
SAMPLE_ROWS = 200  # rows looked at to size the columns
_MAX_WIDTH = 60
_EXCEL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EXCEL_MAX_TEXT = 32_767
_DECIMAL_SCALE = re.compile(r"^DECIMAL\(\d+,(\d+)\)$")


@dataclass(frozen=True)
class ColumnLabel:
    name: str
    label_zh: str
    description: str


def published_nodes(manifest: Path = DBT_MANIFEST) -> dict[str, dict]:
    """The manifest's node of every table the dbt project publishes (models and seeds of schema main), by table."""
    nodes = json.loads(Path(manifest).read_text(encoding="utf-8"))["nodes"].values()
    return {
        node.get("alias") or node["name"]: node
        for node in nodes
        if node.get("resource_type") in ("model", "seed") and node.get("schema") == "main"
    }


def column_labels(manifest: Path = DBT_MANIFEST) -> dict[str, list[ColumnLabel]]:
    """Per published table (schema main) of the dbt project, its columns with their Chinese labels, in YAML order.
    A column without a label keeps its name as its header."""
    tables = {
        table: [
            ColumnLabel(name, _label(column) or name, " ".join((column.get("description") or "").split()))
            for name, column in node.get("columns", {}).items()
        ]
        for table, node in published_nodes(manifest).items()
    }
    tables[CHANGES_TABLE] = [ColumnLabel(c.name, c.label_zh, c.description) for c in FEED_COLUMNS]
    return tables


def _label(column: dict) -> str | None:
    return column.get("meta", {}).get("label_zh") or column.get("config", {}).get("meta", {}).get("label_zh")


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """(name, type) of every column of table (schema main), in table order."""
    return con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()


def in_table_order(columns: list[tuple[str, str]], labels: list[ColumnLabel]) -> list[ColumnLabel]:
    """The label of every column of the table, in table order; a column the YAML lacks keeps its name."""
    by_name = {label.name: label for label in labels}
    return [by_name.get(name, ColumnLabel(name, name, "")) for name, _ in columns]


def write_csv(
    con: duckdb.DuckDBPyConnection, table: str, labels: list[ColumnLabel], path: Path, *, has_rows: bool
) -> None:
    """<path>: table (schema main) as CSV written by DuckDB, after a BOM and the row of Chinese labels.

    DuckDB's CSV writer refuses HEADER together with PREFIX/SUFFIX, and with a PREFIX/SUFFIX it ends the
    last row with the SUFFIX instead of a newline: the BOM and the header row go in as the PREFIX, the
    final newline as the SUFFIX. An empty table (PREFIX + SUFFIX would leave a blank line) is written here.
    NULL is an empty field, an empty text a quoted one (""); booleans true/false; numbers and amounts as
    DuckDB prints them (1234.50); times to the second, those with a time zone in UTC (the workbooks hold them
    in UTC too).
    """
    columns = table_columns(con, table)
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow([c.label_zh for c in in_table_order(columns, labels)])
    if not has_rows:
        path.write_text(header.getvalue(), encoding="utf-8-sig")
        return
    select = ", ".join(_csv_expression(name, data_type) for name, data_type in columns)
    con.execute(
        f"COPY (SELECT {select} FROM main.{quote_identifier(table)}) TO {string_literal(str(path))} "
        f"(FORMAT csv, HEADER false, PREFIX {string_literal(BOM + header.getvalue())}, SUFFIX {string_literal(chr(10))})"
    )


def _csv_expression(name: str, data_type: str) -> str:
    """Times as Excel reads them: "2026-12-02 17:12:41" is a time to Excel, one with an offset ("+00:00", what
    str(datetime) wrote before) is text; times with a time zone in UTC, as in the workbooks."""
    column = quote_identifier(name)
    if data_type == "TIMESTAMP WITH TIME ZONE":
        column = f"({column} AT TIME ZONE 'UTC')"
    elif not data_type.startswith("TIMESTAMP"):
        return column
    return f"strftime({column}, '{CSV_TIME_FORMAT}')"


def write_table_workbook(con: duckdb.DuckDBPyConnection, table: str, labels: list[ColumnLabel], path: Path) -> None:
    """<path>: the whole of table (schema main) as one workbook."""
    columns = table_columns(con, table)
    ordered = in_table_order(columns, labels)
    select = f"SELECT {', '.join(quote_identifier(c.name) for c in ordered)} FROM main.{quote_identifier(table)}"
    sample = con.execute(f"{select} LIMIT {SAMPLE_ROWS}").fetchall()
    write_workbook(path, ordered, [data_type for _, data_type in columns], sample, fetch_rows(con.execute(select)))


def fetch_rows(cursor: duckdb.DuckDBPyConnection) -> Iterator[tuple]:
    """The rows of an executed query, fetched _FETCH_ROWS at a time."""
    while batch := cursor.fetchmany(_FETCH_ROWS):
        yield from batch


def write_workbook(
    path: Path, columns: list[ColumnLabel], types: list[str], sample: list[tuple], rows: Iterable[tuple]
) -> None:
    """<path>: rows on sheet 「数据」 (continued on numbered sheets beyond EXCEL_MAX_ROWS) under the Chinese
    labels, columns sized to the ``sample`` rows, and sheet 「列说明」."""
    formats = [_number_format(t) for t in types]
    widths = [
        min(_MAX_WIDTH, max([_width(c.label_zh)] + [_width(_excel_value(row[i])) for row in sample]) + 2)
        for i, c in enumerate(columns)
    ]
    workbook = Workbook(write_only=True)
    sheet_number, rows_on_sheet, sheet = 0, EXCEL_MAX_ROWS, None
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
    if text.isascii():  # most cells: keys, numbers, codes
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
