"""Read a workbook (.xlsx, .xls) into grid tables, one per sheet, and the report from them.

Every sheet is searched for the table (``ingestion.grid.reader``), in the workbook's order; other
sheets (收支总表, 三公经费, notes) are other statements. A merged range's value (stored in its
top-left cell) is carried over the whole range. Cells are written as the sheet shows them
(``cells``); formulas give the value the spreadsheet program last computed and stored (a formula
never computed, as some generators write, reads as empty).

Hidden rows and columns are read as data, like visible ones: hiding is how a sheet is shown, not
what it holds (producers hide helper or empty columns to fit a page; a hidden project row is
still a project of the budget). Dropping them would change the totals silently; reading them
keeps every printed sum checkable (``ingestion.reconciliation``), and a hidden column whose title
no role is known for refuses the table like a visible one.

Lineage: ``source_page`` is the sheet's position (1-based), ``source_row`` the sheet's row number
as the spreadsheet program shows it, ``source_part`` the sheet's name.
"""

from __future__ import annotations

from pathlib import Path

from ingestion.excel.cells import cell_text
from ingestion.grid.reader import read_grid_report
from ingestion.grid.table import GridTable
from ingestion.model import ParsedReport, ReportRejected

_MAX_ROWS = 100_000  # rows read from one sheet: far more than any budget table


def _table(index: int, name: str, texts: list[list[str]], merged: list[tuple[int, int, int, int]]) -> GridTable:
    """A sheet's grid; ``merged``: 0-based (first row, first column, last row, last column) inclusive."""
    while texts and not any(t.strip() for t in texts[-1]):
        texts.pop()
    width = max((len(r) for r in texts), default=0)
    rows = [r + [""] * (width - len(r)) for r in texts]
    spanned: set[tuple[int, int]] = set()
    for r0, c0, r1, c1 in merged:
        if r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < width else ""
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                if (r, c) != (r0, c0):
                    rows[r][c] = value
                    spanned.add((r, c))
    return GridTable(name, index + 1, rows, list(range(1, len(rows) + 1)), spanned)


def xlsx_tables(path: Path) -> tuple[list[GridTable], list[str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged parts (zip, XML, styles)
        raise ReportRejected(f"unreadable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        tables = []
        for index, sheet in enumerate(book.worksheets):
            texts = [
                [cell_text(c.value, c.number_format) for c in row]
                for row in sheet.iter_rows(min_row=1, min_col=1, max_row=min(sheet.max_row, _MAX_ROWS))
            ]
            merged = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in sheet.merged_cells.ranges]
            tables.append(_table(index, sheet.title, texts, merged))
        return tables, [s.title for s in book.worksheets]
    finally:
        book.close()


def xls_tables(path: Path) -> tuple[list[GridTable], list[str]]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception as exc:  # xlrd raises many types on damaged records (XLRDError, struct.error, IndexError...)
        raise ReportRejected(f"unreadable .xls workbook ({type(exc).__name__}: {exc})") from None
    try:
        tables = []
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            texts = [
                [_xls_text(book, sheet.cell(r, c)) for c in range(sheet.ncols)]
                for r in range(min(sheet.nrows, _MAX_ROWS))
            ]
            merged = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
            tables.append(_table(index, sheet.name, texts, merged))
            book.unload_sheet(index)
        return tables, list(book.sheet_names())
    finally:
        book.release_resources()


def _xls_text(book, cell) -> str:
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    xf = book.xf_list[cell.xf_index] if cell.xf_index is not None else None
    number_format = book.format_map[xf.format_key].format_str if xf is not None else "General"
    if cell.ctype == xlrd.XL_CELL_DATE:
        return cell_text(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode), number_format)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    return cell_text(cell.value, number_format)


def read_workbook_report(path: Path, *, kind: str, source_file: str, file_sha256: str) -> ParsedReport:
    """``kind``: "xlsx" or "xls" (by content, ``ingestion.sniff``)."""
    tables, parts = xlsx_tables(path) if kind == "xlsx" else xls_tables(path)
    return read_grid_report(tables, parts=parts, layout=kind, source_file=source_file, file_sha256=file_sha256)
