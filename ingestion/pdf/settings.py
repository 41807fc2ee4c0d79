"""Every default of the PDF reader, stated once (cf. pdfplumber's ``TableSettings``).

Limits bound what one report may cost; tolerances are in PDF points (1/72 inch) unless a field says
it is a share of the font size. Modules read ``PDF_DEFAULTS``; ``read_pdf_report`` takes the limits
as keywords whose defaults come from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _ruled_table_finder() -> dict[str, Any]:
    # pdfplumber's TableFinder under the "lines" strategies: rules closer than 3 pt are one rule.
    return {
        "vertical_strategy": "lines",
        "horizontal_strategy": "lines",
        "snap_tolerance": 3,
        "join_tolerance": 3,
        "intersection_tolerance": 3,
        "edge_min_length": 3,
    }


@dataclass(frozen=True)
class PdfSettings:
    # Limits: a report beyond them is rejected with its reason.
    max_pages: int = 400
    timeout_s: float = 120.0
    # Characters: two copies of a glyph this close are one glyph drawn twice (simulated bold).
    double_char_tolerance: float = 1.0
    # Characters: a gap wider than this share of the font size between two glyphs is a word break.
    word_gap_share: float = 0.25
    # PDFium boxes (media/crop, baselines) equal within this are the same (floats in the file).
    box_tolerance: float = 0.01
    # Ruled tables: pdfplumber's TableFinder settings, and the shortest vertical edge that is a rule.
    ruled_table_finder: dict[str, Any] = field(default_factory=_ruled_table_finder)
    min_rule_length: float = 3.0
    # Column edges of two tables this close are the same columns (a table continued on the next page).
    same_columns_tolerance: float = 2.0
    # The header row is searched among the first rows of a grid.
    header_search_rows: int = 4
    # Borderless tables, as shares of the median font size: a wider vertical gap separates rows,
    # a wider horizontal gap separates columns, a much wider vertical gap ends the table.
    row_gap_share: float = 0.45
    column_gap_share: float = 0.6
    table_end_gap_share: float = 4.0


PDF_DEFAULTS = PdfSettings()
