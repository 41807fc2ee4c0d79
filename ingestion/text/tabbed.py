"""Layout B: one table row a line, cells separated by tabs.

Columns are located by their titles in the header row, through the one vocabulary every reader
uses (so a report that orders or names them a little differently, e.g. "财政专户 拨款", still maps). Page breaks show as a blank-line run and/or a
repeated header row between two table rows; they number the pages 1, 2, ... unless the text has
form feeds, which then give the pages. A cell that held a line break arrives split over two
lines: a line that would leave the row short of cells continues the row above.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingestion.model import AMOUNT_COLUMNS, SourceRow
from ingestion.text.detect import TableHeader
from ingestion.text.encoding import TextLine
from ingestion.text.layout import LayoutResult
from ingestion.vocabulary import AMOUNT_COLUMN_NAMES, GOAL, INDICATORS, NAME, column_roles, is_header_text


@dataclass
class _RawRow:
    first_line: TextLine
    cells: list[str]
    blank_before: bool
    header_before: bool


def collect_tab_rows(body: list[TextLine], ncols: int) -> list[_RawRow]:
    rows: list[_RawRow] = []
    blank = header = False
    previous_was_row = False
    for line in body:
        text = line.text
        if not text.strip():
            blank = blank or bool(rows)
            previous_was_row = False
            continue
        if is_header_text(text):
            header = header or bool(rows)
            previous_was_row = False
            continue
        cells = text.split("\t")
        last = rows[-1] if rows else None
        if last is not None and previous_was_row and (len(last.cells) < ncols or len(cells) == 1):
            # The row above is short of cells (or this line has no tab at all): a cell of that
            # row held a line break. Continue its last cell, then take the remaining cells.
            last.cells[-1] = last.cells[-1] + "\n" + cells[0]
            last.cells.extend(cells[1:])
            continue
        rows.append(_RawRow(first_line=line, cells=cells, blank_before=blank, header_before=header))
        blank = header = False
        previous_was_row = True
    return rows


def read_tabbed(lines: list[TextLine], header: TableHeader) -> LayoutResult:
    cells = header.cells
    ncols = len(cells)
    roles = column_roles([list(cells)])
    name_i = roles.get(NAME, 0)
    amount_i = [roles.get(column) for column in AMOUNT_COLUMNS]
    goal_i = roles.get(GOAL)
    indicators_i = roles.get(INDICATORS)
    warnings: list[str] = []
    missing = [AMOUNT_COLUMN_NAMES[column] for column, i in zip(AMOUNT_COLUMNS, amount_i, strict=True) if i is None]
    if missing:
        warnings.append(f"header has no column {'/'.join(missing)}: those amounts read as empty")

    raw_rows = collect_tab_rows(lines[header.last_index + 1 :], ncols)
    form_feeds = any(line.page is not None for line in lines)
    # Blank lines between every pair of rows are line spacing, not page breaks.
    blanks_are_spacing = len(raw_rows) > 2 and all(r.blank_before for r in raw_rows[1:])
    has_breaks = any(r.header_before or (r.blank_before and not blanks_are_spacing) for r in raw_rows)
    page = 1

    rows: list[SourceRow] = []
    for raw in raw_rows:
        if raw.header_before or (raw.blank_before and not blanks_are_spacing):
            page += 1
        row_cells = raw.cells
        if len(row_cells) > ncols:
            warnings.append(
                f"line {raw.first_line.number}: {len(row_cells)} cells for {ncols} columns; "
                "extra cells kept in the last column"
            )
            row_cells = row_cells[: ncols - 1] + ["\t".join(row_cells[ncols - 1 :])]

        def cell(index: int | None) -> str:
            return row_cells[index] if index is not None and index < len(row_cells) else ""  # noqa: B023 (called in this iteration)

        if form_feeds:
            source_page = raw.first_line.page
        else:
            source_page = page if has_breaks else None
        rows.append(
            SourceRow(
                name=cell(name_i),
                amounts=[cell(i) for i in amount_i],
                goal=cell(goal_i),
                indicators=cell(indicators_i),
                source_page=source_page,
                source_row=raw.first_line.number,
                amount_positions_known=True,
            )
        )
    if form_feeds:
        page_count = max(line.page or 0 for line in lines)
    else:
        page_count = page if has_breaks else None
    return LayoutResult(rows=rows, department_name=None, page_count=page_count, warnings=warnings)
