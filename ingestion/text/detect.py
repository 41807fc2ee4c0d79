"""Find the table header of a text extract and tell its layout from the header's shape.

The layout is decided by content only (never by file name):

* B: the header is one line of tab-separated cells, with amount columns;
* A: the header is one line of space-separated column titles with 总计 / 财政拨款 columns;
* C: the header names 主管部门 / 预算单位 / 项目名称 / 绩效目标 / 绩效指标 and has no amount columns.

A header wrapped over two or three lines is also recognised (its lines are joined).
"""

from __future__ import annotations

from dataclasses import dataclass

from ingestion.text.encoding import TextLine
from ingestion.vocabulary import (
    AMOUNT_HEADER_TITLES,
    BUDGET_UNIT,
    DEPARTMENT,
    NAME,
    UNIT_HEADER_TITLES,
    USUAL_TITLE,
    compact,
    is_header_text,
)

LAYOUT_WRAPPED = "A"
LAYOUT_TABBED = "B"
LAYOUT_COLUMNS = "C"

_MAX_HEADER_LINES = 3


@dataclass(frozen=True)
class TableHeader:
    layout: str | None  # None: a header was found but its shape is not one we can read
    first_index: int  # index in the line list of the header's first line
    last_index: int  # index of its last line (== first_index for a one-line header)
    cells: tuple[str, ...]  # the header's column titles (spaces removed)


def _layout_of(lines: list[str]) -> tuple[str | None, tuple[str, ...]]:
    joined = " ".join(lines)
    flat = compact(joined)
    if len(lines) == 1 and joined.count("\t") >= 4:
        cells = tuple(compact(c) for c in joined.split("\t"))
        return (LAYOUT_TABBED if any(t in cells for t in AMOUNT_HEADER_TITLES) else None), cells
    cells = tuple(compact(c) for c in joined.split() if c.strip())
    if all(t in flat for t in AMOUNT_HEADER_TITLES) and "\t" not in joined:
        return LAYOUT_WRAPPED, cells
    if all(t in flat for t in UNIT_HEADER_TITLES) and not any(t in flat for t in AMOUNT_HEADER_TITLES):
        return LAYOUT_COLUMNS, cells
    return None, cells


def find_table_header(lines: list[TextLine]) -> TableHeader | None:
    """The first header of the table, or None when the text holds no such header."""
    non_blank = [i for i, line in enumerate(lines) if line.text.strip()]
    for pos, index in enumerate(non_blank):
        if USUAL_TITLE[NAME] not in compact(lines[index].text) and not _starts_header(lines[index].text):
            continue
        # Try the shortest header first; a wrapped header needs its following lines.
        for size in range(1, _MAX_HEADER_LINES + 1):
            window = non_blank[pos : pos + size]
            if len(window) < size:
                break
            texts = [lines[i].text for i in window]
            if not is_header_text(" ".join(texts)):
                continue
            layout, cells = _layout_of(texts)
            return TableHeader(layout=layout, first_index=window[0], last_index=window[-1], cells=cells)
    return None


def _starts_header(text: str) -> bool:
    # A wrapped header may put 项目名称 on its second line after the 主管部门 / 预算单位 titles.
    flat = compact(text)
    return flat.startswith((USUAL_TITLE[DEPARTMENT], USUAL_TITLE[BUDGET_UNIT]))
