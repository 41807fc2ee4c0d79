"""Where a target table's header is, and what its columns are: the rule every grid-shaped reader shares.

A header is a run of consecutive column-title rows (``ingestion.vocabulary.is_header_row``); the
table is the target table when those titles give a target shape (``table_shape``). A titled column
no role is known for refuses the table: a column is never dropped silently. PDF pages
(``ingestion.pdf.locate``) and spreadsheet, web and Word tables (``ingestion.grid.reader``) locate
their tables through these functions.
"""

from __future__ import annotations

from ingestion.model import ReportRejected
from ingestion.vocabulary import TABLE_TITLE, column_roles, is_header_row, table_shape, unknown_columns


def header_end(rows: list[list[str]], first: int = 0, search_rows: int | None = None) -> int | None:
    """Index of the last row of the first header run starting at or after ``first`` (within ``search_rows``)."""
    stop = len(rows) if search_rows is None else min(len(rows), first + search_rows)
    last = None
    for i in range(first, stop):
        if is_header_row(rows[i]):
            last = i
        elif last is not None:
            break
    return last


def header_start(rows: list[list[str]], end: int) -> int:
    start = end
    while start > 0 and is_header_row(rows[start - 1]):
        start -= 1
    return start


def target_roles(header_rows: list[list[str]], where: str) -> dict[str, int] | None:
    """The columns' roles when ``header_rows`` head a target table; None for another table.

    Raises ReportRejected naming the columns no role is known for (``where``: "page 3", "sheet 表1").
    """
    roles = column_roles(header_rows)
    if table_shape(roles) is None:
        return None
    unknown = unknown_columns(header_rows)
    if unknown:
        raise ReportRejected(
            f"{TABLE_TITLE} has a column the reader does not understand: {'、'.join(unknown)} ({where})"
        )
    return roles
