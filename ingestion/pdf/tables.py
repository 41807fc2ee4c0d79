"""Table grids of one PDF page: ruled tables (pdfplumber's line finder) and a borderless fallback.

Both produce a ``TableGrid``: column x-edges, row bands and the text of every cell, assembled from
``page.chars`` with each character assigned to a cell by its LEFT edge (see ``chars``).

Ruled tables. pdfplumber's "lines" strategy finds a cell only where four rules meet. A row broken
across pages has no bottom rule on page n and (without a repeated header) no top rule on page
n+1, so both halves would silently vanish. The vertical rules still run down to where the text
stops: a horizontal line is added wherever a group of vertical rules starts or ends
(``explicit_horizontal_lines``), which closes those half rows.

Borderless tables. The "text" strategy of pdfplumber splits Chinese text at every glyph and is
unusable. Instead columns are the x-ranges that glyphs occupy from the header row down (a column
gap is wider than any gap inside a cell), and rows are the y-ranges separated by a gap wider than
the line gap inside a wrapped cell (cell padding). This needs a header row on the page, or the
column edges of the previous page.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from statistics import median

from pdfplumber.table import TableFinder, TableSettings

from ingestion.pdf.chars import cell_text, group_lines, line_text
from ingestion.pdf.settings import PDF_DEFAULTS
from ingestion.vocabulary import is_header_row


@dataclass
class TableGrid:
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    col_edges: list[float]  # n_columns + 1 x-positions, left to right
    rows: list[list[str]]  # the text of each cell, n_columns per row, top to bottom
    row_tops: list[float]
    ruled: bool

    @property
    def n_columns(self) -> int:
        return len(self.col_edges) - 1

    def header_index(self, search_rows: int = PDF_DEFAULTS.header_search_rows) -> int | None:
        """Index of the last header row among the first rows, None when no header row is there."""
        last = None
        for i, row in enumerate(self.rows[:search_rows]):
            if is_header_row(row):
                last = i
            elif last is not None:
                break
        return last

    def same_columns(self, other: TableGrid, tolerance: float = PDF_DEFAULTS.same_columns_tolerance) -> bool:
        return len(self.col_edges) == len(other.col_edges) and all(
            abs(a - b) <= tolerance for a, b in zip(self.col_edges, other.col_edges, strict=False)
        )


# ------------------------------------------------------------------------------------ ruled
def _cluster(values: list[float], tolerance: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tolerance:
            continue
        out.append(v)
    return out


def closing_lines(edges: list[dict]) -> list[dict]:
    """Horizontal lines where groups of vertical rules start and end (see module docstring)."""
    verticals = [e for e in edges if e["orientation"] == "v" and e["bottom"] - e["top"] >= PDF_DEFAULTS.min_rule_length]
    by_end: dict[tuple[str, int], list[dict]] = {}
    for e in verticals:
        by_end.setdefault(("top", round(e["top"])), []).append(e)
        by_end.setdefault(("bottom", round(e["bottom"])), []).append(e)
    lines = []
    for (side, _), group in by_end.items():
        if len(group) < 2:
            continue  # one rule alone does not delimit a row
        y = sum(e[side] for e in group) / len(group)
        x0 = min(e["x0"] for e in group)
        x1 = max(e["x0"] for e in group)
        lines.append({"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0})
    return lines


def _grid_from_bands(bbox, col_edges, row_bands, chars, ruled) -> TableGrid:
    """Assign chars to cells (left edge for columns, vertical middle for rows) and read cells."""
    n_cols = len(col_edges) - 1
    row_tops = [t for t, _ in row_bands]
    buckets: list[list[list[dict]]] = [[[] for _ in range(n_cols)] for _ in row_bands]
    x_min, x_max = col_edges[0] - 1.0, col_edges[-1]
    for ch in chars:
        mid = (ch["top"] + ch["bottom"]) / 2
        if not (x_min <= ch["x0"] < x_max) or not (row_bands[0][0] <= mid <= row_bands[-1][1]):
            continue
        r = bisect.bisect_right(row_tops, mid) - 1
        if r < 0 or mid > row_bands[r][1]:
            continue
        c = min(max(bisect.bisect_right(col_edges, ch["x0"] + 0.01) - 1, 0), n_cols - 1)
        buckets[r][c].append(ch)
    rows = [[cell_text(cell) for cell in row] for row in buckets]
    return TableGrid(bbox, list(col_edges), rows, row_tops, ruled)


class _RulesPage:
    """What pdfplumber's TableFinder reads of a page under the "lines" strategies: edges and bbox.

    Either source (pdfplumber's own page objects or PDFium's paths, see ``sources``) provides
    these, so both run the very same table finder.
    """

    def __init__(self, edges: list[dict], bbox: tuple[float, float, float, float]):
        self.edges = edges
        self.bbox = bbox


def find_ruled_tables(edges: list[dict], bbox: tuple[float, float, float, float], chars: list[dict]) -> list[TableGrid]:
    """Every ruled table drawn by ``edges`` on a page, with cell text read by left-edge assignment."""
    if not edges:
        return []
    settings = TableSettings.resolve(
        dict(PDF_DEFAULTS.ruled_table_finder, explicit_horizontal_lines=closing_lines(edges))
    )
    grids = []
    for table in TableFinder(_RulesPage(edges, bbox), settings).tables:
        cells = [c for c in table.cells if c is not None]
        if not cells:
            continue
        col_edges = _cluster([c[0] for c in cells] + [max(c[2] for c in cells)], 1.0)
        row_bands = sorted({(round(r.bbox[1], 2), round(r.bbox[3], 2)) for r in table.rows})
        if len(col_edges) < 2 or not row_bands:
            continue
        grids.append(_grid_from_bands(table.bbox, col_edges, row_bands, chars, ruled=True))
    return grids


# ------------------------------------------------------------------------------- borderless
def _intervals(spans: list[tuple[float, float]], min_gap: float) -> list[tuple[float, float]]:
    """Union of spans, merging spans separated by less than ``min_gap``."""
    out: list[list[float]] = []
    for a, b in sorted(spans):
        if out and a - out[-1][1] < min_gap:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def find_borderless_table(chars: list[dict], col_edges: list[float] | None = None) -> TableGrid | None:
    """The table starting at the header line (or at the top, given the previous page's columns)."""
    visible = [c for c in chars if not c["text"].isspace()]
    if not visible:
        return None
    size = median(c["size"] for c in visible)
    lines = group_lines(visible)
    start = None
    for i, line in enumerate(lines):
        if is_header_row([line_text(line)]):
            start = i
            break
    if start is None:
        if col_edges is None:
            return None
        start = 0
    body_lines = lines[start:]
    # Rows: vertical gaps wider than the line gap inside a wrapped cell. The table ends at a gap
    # far wider than any row gap (the page footer, a note under the table).
    bands = _intervals(
        [(min(c["top"] for c in ln), max(c["bottom"] for c in ln)) for ln in body_lines],
        PDF_DEFAULTS.row_gap_share * size,
    )
    cut = len(bands)
    for k in range(1, len(bands)):
        if bands[k][0] - bands[k - 1][1] > PDF_DEFAULTS.table_end_gap_share * size:
            cut = k
            break
    bands = bands[:cut]
    region = [c for c in visible if bands[0][0] <= (c["top"] + c["bottom"]) / 2 <= bands[-1][1]]
    if col_edges is None:
        cols = _intervals([(c["x0"], c["x1"]) for c in region], PDF_DEFAULTS.column_gap_share * size)
        if len(cols) < 3:
            return None
        col_edges = [a for a, _ in cols] + [cols[-1][1] + 1.0]
    bbox = (col_edges[0], bands[0][0], col_edges[-1], bands[-1][1])
    return _grid_from_bands(bbox, col_edges, bands, region, ruled=False)
