"""Amount cells (万元) as printed -> Decimal, and the four-column assignment rules.

Amounts are kept as Decimal from the printed text: a float would turn 67,634.30 into a binary
approximation that no longer reconciles to the cent.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ingestion.model import AMOUNT_COLUMNS, Amounts
from ingestion.parse.normalize import fold_lookalikes

# Dashes some producers print in an empty amount cell.
_EMPTY_MARKS = {"", "-", "－", "—", "–", "——"}
_NUMBER = re.compile(r"[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")

# One printed amount inside running text (layout A): a decimal number, optionally with thousands
# separators. Whole numbers are not accepted here: in running text they are far more often a count
# ("解决1个") than an amount, and the reports print amounts with two decimals.
AMOUNT_TOKEN = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+"


class AmountError(ValueError):
    """A cell that should hold an amount holds something else."""


def parse_amount(text: str | None) -> Decimal | None:
    """ "67,634.30" -> Decimal("67634.30"); "" or a dash -> None (an empty cell); else AmountError."""
    if text is None:
        return None
    cleaned = fold_lookalikes(text).replace(" ", "").replace("，", ",")
    if cleaned in _EMPTY_MARKS:
        return None
    if not _NUMBER.fullmatch(cleaned):
        raise AmountError(f"not an amount: {text!r}")
    return Decimal(cleaned.replace(",", "").replace("−", "-"))


def is_empty_amount_cell(cell: str | None) -> bool:
    return cell is None or fold_lookalikes(cell).replace(" ", "") in _EMPTY_MARKS


def row_prints_amounts(cells: list[str] | None) -> bool:
    """True when at least one amount cell of the row holds something."""
    return bool(cells) and not all(is_empty_amount_cell(c) for c in cells)


def amounts_from_cells(cells: list[str] | None, *, positions_known: bool) -> Amounts:
    """Build the four amounts of a row.

    ``positions_known``: ``cells`` holds one entry per column in AMOUNT_COLUMNS order.
    Otherwise ``cells`` holds only the printed numbers, assigned left to right (总计 first, then the
    sources in column order): the position rule for text where empty cells left no trace.
    An empty cell counts 0 when the row prints any amount; a row printing none has all None.
    Raises AmountError for a cell that is not a number, ValueError for too many cells.
    """
    if cells is None:
        return Amounts()
    if len(cells) > len(AMOUNT_COLUMNS):
        raise ValueError(f"{len(cells)} amount cells, the table has {len(AMOUNT_COLUMNS)}")
    values = [parse_amount(c) for c in cells]
    if all(v is None for v in values):
        return Amounts()
    if not positions_known:
        values = [v for v in values if v is not None]
    values += [None] * (len(AMOUNT_COLUMNS) - len(values))
    return empty_cells_as_zero(Amounts(**dict(zip(AMOUNT_COLUMNS, values, strict=True))))


def empty_cells_as_zero(amounts: Amounts) -> Amounts:
    """The one amount rule: on a row that prints any amount an empty cell is 0; a row printing none
    (layout C has no amount columns) keeps all None. Readers, the loader and reconciliation use it."""
    values = [getattr(amounts, col) for col in AMOUNT_COLUMNS]
    if all(v is None for v in values):
        return amounts
    zero = Decimal("0.00")
    return Amounts(**{col: (zero if v is None else v) for col, v in zip(AMOUNT_COLUMNS, values, strict=True)})


def sources_mismatch(amounts: Amounts) -> Decimal | None:
    """总计 minus the sum of the three sources, or None when they agree or nothing is printed."""
    if amounts.total is None:
        return None
    sources = [amounts.fiscal, amounts.special_account, amounts.other]
    diff = amounts.total - sum((s or Decimal(0)) for s in sources)
    return diff if diff != 0 else None


def format_amounts(amounts: Amounts) -> str:
    values = (amounts.total, amounts.fiscal, amounts.special_account, amounts.other)
    return " / ".join("" if v is None else f"{v}" for v in values)
