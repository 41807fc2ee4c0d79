"""Tab-separated text of a table printing one row per indicator (the shape, not a new layout).

The header is one or two tab-separated lines (a parent title row, 项目资金 / 绩效指标 over their
columns, then the columns' own titles); the shape is told by the columns' roles
(``ingestion.vocabulary.table_shape``), and the rows are read by the same shape reader as a PDF's
(``ingestion.shapes.per_indicator``). Pages are counted as in layout B: a form feed, or a blank
line run / a repeated header between two rows. The report's layout stays "B" (tab-separated text).
"""

from __future__ import annotations

from dataclasses import dataclass

from ingestion.shapes.per_indicator import IndicatorRowCollector
from ingestion.text.encoding import TextLine
from ingestion.text.layout import LayoutResult
from ingestion.text.tabbed import collect_tab_rows
from ingestion.vocabulary import PER_INDICATOR, column_roles, is_header_row, table_shape, unknown_columns

_MAX_HEADER_LINES = 2


@dataclass(frozen=True)
class GridHeader:
    first_index: int
    last_index: int
    rows: list[list[str]]  # the header's cells, line by line
    roles: dict[str, int]
    unknown: list[str]  # titles of columns no role is known for


def find_grid_header(lines: list[TextLine]) -> GridHeader | None:
    """The first tab-separated header whose columns are those of one row per indicator."""
    non_blank = [i for i, line in enumerate(lines) if "\t" in line.text and line.text.strip()]
    for pos, index in enumerate(non_blank):
        if not is_header_row(lines[index].text.split("\t")):
            continue
        window = [index]
        nxt = non_blank[pos + 1] if pos + 1 < len(non_blank) else None
        if nxt is not None and nxt == index + 1 and is_header_row(lines[nxt].text.split("\t")):
            window.append(nxt)
        rows = [lines[i].text.split("\t") for i in window[:_MAX_HEADER_LINES]]
        roles = column_roles(rows)
        if table_shape(roles) == PER_INDICATOR:
            return GridHeader(window[0], window[-1], rows, roles, unknown_columns(rows))
    return None


def read_grid(lines: list[TextLine], header: GridHeader) -> LayoutResult:
    ncols = max(len(r) for r in header.rows)
    raw_rows = collect_tab_rows(lines[header.last_index + 1 :], ncols)
    form_feeds = any(line.page is not None for line in lines)
    collector = IndicatorRowCollector()
    page, pages = 1, []
    for raw in raw_rows:
        if not form_feeds and (raw.header_before or raw.blank_before) and pages:
            page += 1
        number = raw.first_line.page if form_feeds else page
        if not pages or pages[-1][0] != number:
            pages.append((number, []))
        pages[-1][1].append(raw.cells)
    for number, body in pages:
        collector.add_page(number, body, header.roles)
    page_count = max((n for n, _ in pages if n is not None), default=None)
    return LayoutResult(rows=collector.rows, department_name=None, page_count=page_count, warnings=collector.warnings)
