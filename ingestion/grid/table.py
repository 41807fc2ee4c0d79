"""A table of any format as a grid of cell texts, with its spans filled and each row's lineage.

Spans (merged cells of a spreadsheet, rowspan/colspan of HTML, merged Word cells) carry their
value over their whole range, so every row has every column and a header's parent title stands
over each of its columns. ``spanned`` remembers which cells only continue a span: a reader that
needs the table as a printer shows it (a merged project cell printed once, as in a PDF) blanks
them (``printed_once``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class GridTable:
    part: str  # how lineage names the table: the sheet name, "table 3" of a web page or document
    page: int  # 1-based position of the part in its file: the source_page of the table's rows
    rows: list[list[str]]  # rectangular: every row has every column
    row_numbers: list[int]  # each row's 1-based number in its part (the sheet's row, the table's row)
    spanned: set[tuple[int, int]] = field(default_factory=set)  # (row, column) continuing a span
    above: list[str] = field(default_factory=list)  # text printed before the table (title, 单位)

    def printed_once(self, start: int = 0) -> list[list[str]]:
        """Rows from ``start`` with the cells that continue a span left empty."""
        return [
            ["" if (i, j) in self.spanned else text for j, text in enumerate(row)]
            for i, row in enumerate(self.rows[start:], start=start)
        ]


class GridBuilder:
    """Places cells with their spans; an HTML row's next cell goes to the first free column."""

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], str] = {}
        self._spanned: set[tuple[int, int]] = set()
        self.n_rows = 0
        self.n_columns = 0

    def free_column(self, row: int, column: int) -> int:
        while (row, column) in self._cells:
            column += 1
        return column

    def put(self, row: int, column: int, text: str, rowspan: int = 1, colspan: int = 1) -> None:
        for r in range(row, row + max(rowspan, 1)):
            for c in range(column, column + max(colspan, 1)):
                if (r, c) in self._cells and (r, c) != (row, column):
                    continue  # overlapping spans (broken HTML): the first cell placed keeps its place
                self._cells[r, c] = text
                if (r, c) != (row, column):
                    self._spanned.add((r, c))
        self.n_rows = max(self.n_rows, row + max(rowspan, 1))
        self.n_columns = max(self.n_columns, column + max(colspan, 1))

    def rows(self, n_rows: int | None = None) -> list[list[str]]:
        n_rows = self.n_rows if n_rows is None else n_rows
        return [[self._cells.get((r, c), "") for c in range(self.n_columns)] for r in range(n_rows)]

    @property
    def spanned(self) -> set[tuple[int, int]]:
        return set(self._spanned)
