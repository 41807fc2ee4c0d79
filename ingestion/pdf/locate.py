"""Where the target table is on a PDF page: its grid, the rows under its header, the columns' roles.

A page starts the table when it holds a grid whose header row (found by its column titles, not by
the table's title) has the columns of a target-table shape (``ingestion.vocabulary.table_shape``).
A page continues it when it repeats that header, or, without a header, draws a ruled table with
the same column rules (or, borderless, has text in the previous page's columns). The header's
rule (roles, shape, unknown columns refused) is the one every grid-shaped reader shares
(``ingestion.grid.header``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingestion.grid.header import target_roles
from ingestion.pdf.chars import group_lines, line_text
from ingestion.pdf.sources import SourcePage
from ingestion.pdf.tables import TableGrid, find_borderless_table, find_ruled_tables
from ingestion.vocabulary import is_indicator_header


@dataclass
class TableState:
    """What the previous target page established: its grid (for column matching) and roles."""

    grid: TableGrid | None = None
    roles: dict[str, int] = field(default_factory=dict)


def _header_grid(grids: list[TableGrid]) -> tuple[TableGrid, int] | None:
    for grid in grids:
        idx = grid.header_index()
        if idx is not None:
            return grid, idx
    return None


def page_table(
    page: SourcePage, chars, state: TableState, starts_table: bool, number: int
) -> tuple[TableGrid, list[list[str]], dict[str, int]] | None:
    """The target-table grid on this page: (grid, body rows, column roles), or None."""
    ruled = find_ruled_tables(page.edges(), page.bbox, chars)
    found = _header_grid(ruled)
    if found is None and not starts_table and state.grid is not None and state.grid.ruled:
        same = [g for g in ruled if g.same_columns(state.grid)]
        if same:
            grid = max(same, key=lambda g: len(g.rows))
            return grid, grid.rows, state.roles
    if found is None:
        borderless = find_borderless_table(chars)
        if borderless is not None and borderless.header_index() is not None:
            found = (borderless, borderless.header_index())
        elif not starts_table and state.grid is not None and not state.grid.ruled:
            grid = find_borderless_table(chars, col_edges=state.grid.col_edges)
            if grid is not None:
                return grid, grid.rows, state.roles
    if found is None:
        return None
    grid, header_end = found
    roles = target_roles(grid.rows[: header_end + 1], f"page {number}")
    if roles is None:
        return None
    return grid, grid.rows[header_end + 1 :], roles


def lines_above(chars: list[dict], y: float) -> list[str]:
    return [line_text(ln) for ln in group_lines([c for c in chars if c["bottom"] <= y + 0.5])]


def form_rows(page: SourcePage, chars) -> tuple[list[list[str]], float]:
    """The rows of every ruled table on a page holding forms, top to bottom, and the top of the first."""
    grids = sorted(find_ruled_tables(page.edges(), page.bbox, chars), key=lambda g: g.bbox[1])
    rows = [row for grid in grids for row in grid.rows]
    return rows, (grids[0].bbox[1] if grids else page.bbox[3])


# What a page may print above a form's continued grid: its number ("-3-", "第3页", "3/12"), nothing else.
_PAGE_MARK = re.compile(r"[-—–\s]*(?:第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+(?:\s*/\s*\d+)?)?[-—–\s]*")


def form_continuation(page: SourcePage, chars, width: int) -> list[list[str]] | None:
    """The rows of a form's indicator grid going on from the page before, or None.

    A page continues the form when its ruled table starts the page (only a page number above it)
    and repeats the grid's header row or has the grid's ``width`` cells in every row: a new statement has its own title above it, a new
    form its labels (``is_form_text``), a different table other columns.
    """
    rows, top = form_rows(page, chars)
    if not rows or not (is_indicator_header(rows[0]) or all(len(r) == width for r in rows)):
        return None
    if not all(_PAGE_MARK.fullmatch(line.strip()) for line in lines_above(chars, top)):
        return None
    return rows


def rules_above(page: SourcePage, grid: TableGrid, body: list[list[str]], column: int) -> list[bool] | None:
    """For each body row, whether a rule crosses ``column`` at its top; None for a borderless grid.

    In a table of one row per indicator the project's cells are merged down over its rows: the
    rules across the project columns are where projects start, wherever the producer printed the
    merged text (top, middle or bottom of the merged cell).
    """
    if not grid.ruled or column >= grid.n_columns:
        return None
    x0, x1 = grid.col_edges[column], grid.col_edges[column + 1]
    ys = [e["top"] for e in page.edges() if e["orientation"] == "h" and e["x0"] <= x0 + 1.0 and e["x1"] >= x1 - 1.0]
    tops = grid.row_tops[len(grid.rows) - len(body) :]
    return [any(abs(y - top) <= 1.0 for y in ys) for top in tops]
