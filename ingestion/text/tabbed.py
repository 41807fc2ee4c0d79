"""Layout B: one table row a line, cells separated by tabs.

Columns are located by their titles in the header row (so a report that orders or names them a
little differently, e.g. "财政专户 拨款", still maps). Page breaks show as a blank-line run and/or a
repeated header row between two table rows; they number the pages 1, 2, ... unless the text has
form feeds, which then give the pages. A cell that held a line break arrives split over two
lines: a line that would leave the row short of cells continues the row above.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingestion.model import SourceRow
from ingestion.text.detect import TableHeader, is_header_text
from ingestion.text.encoding import TextLine
from ingestion.text.layout import LayoutResult

# Column titles, matched on the title with whitespace removed. 财政拨款 must not catch
# 财政专户拨款, hence exact titles first and a prefix for 财政专户 (some print 财政专户资金).
_NAME_TITLE = "项目名称"
_AMOUNT_TITLES = (("总计", "合计"), ("财政拨款",), ("财政专户拨款", "财政专户"), ("其他资金",))
_GOAL_TITLE = "绩效目标"
_INDICATORS_TITLE = "绩效指标"


@dataclass
class _RawRow:
    first_line: TextLine
    cells: list[str]
    blank_before: bool
    header_before: bool


def _column_index(cells: tuple[str, ...], titles: tuple[str, ...]) -> int | None:
    """Index of the column titled one of ``titles``: an exact title first, else a prefix."""
    for title in titles:
        if title in cells:
            return cells.index(title)
    exact_titles = {t for group in _AMOUNT_TITLES for t in group}
    for title in titles:
        for i, cell in enumerate(cells):
            if cell.startswith(title) and cell not in exact_titles:
                return i
    return None


def _collect_rows(body: list[TextLine], ncols: int) -> list[_RawRow]:
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
    name_i = next((i for i, c in enumerate(cells) if _NAME_TITLE in c), 0)
    amount_i = [_column_index(cells, titles) for titles in _AMOUNT_TITLES]
    goal_i = next((i for i, c in enumerate(cells) if _GOAL_TITLE in c), None)
    indicators_i = next((i for i, c in enumerate(cells) if _INDICATORS_TITLE in c), None)
    warnings: list[str] = []
    missing = [t[0] for t, i in zip(_AMOUNT_TITLES, amount_i, strict=False) if i is None]
    if missing:
        warnings.append(f"header has no column {'/'.join(missing)}: those amounts read as empty")

    raw_rows = _collect_rows(lines[header.last_index + 1 :], ncols)
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
