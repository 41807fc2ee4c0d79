"""Indicators printed in their own columns (one row per indicator) -> ``Indicator``.

The numbered-text form (``indicators``) has to find each field by its anchors; here every field has
its cell, so nothing is parsed but a category code printed with its name ("1-产出指标"). A row with
a level-3 name but no target, or a target but no level-3 name, is still an indicator; a row that
only names a category (empty 三级指标 and empty value, as forms print under 经济效益指标) is not.
The 预算管理一体化 export prints the comparator and the unit apart from the number: the target is
their printed concatenation ("≥" "95" "%" -> "≥95%"), and both are kept as printed beside it.
"""

from __future__ import annotations

import re

from ingestion.model import Indicator, IndicatorCells
from ingestion.parse.normalize import normalize_cell

_CODED = re.compile(r"^(\d{1,3})\s*[-－—–.、]\s*(\S.*)$")


def _level(text: str) -> tuple[str | None, str | None]:
    """(code, name) of a level cell as printed: "1-产出指标" -> ("1", "产出指标")."""
    text = normalize_cell(text)
    if not text:
        return None, None
    match = _CODED.match(text)
    if match:
        return match.group(1), match.group(2)
    return None, text


def is_indicator(cells: IndicatorCells) -> bool:
    """False for a category row: no level-3 name and no target printed."""
    return bool(normalize_cell(cells.level3) or normalize_cell(cells.annual) or normalize_cell(cells.period))


def _annual_target(cells: IndicatorCells) -> str:
    text = normalize_cell(cells.annual)
    if not text:
        return ""
    return normalize_cell(cells.comparator) + text + normalize_cell(cells.unit)


def indicator_from_cells(cells: IndicatorCells, seq: int) -> Indicator:
    code1, name1 = _level(cells.level1)
    code2, name2 = _level(cells.level2)
    printed = [cells.level1, cells.level2, cells.level3, cells.period, cells.comparator, cells.annual, cells.unit]
    return Indicator(
        seq=seq,
        printed_number=None,
        level1_code=code1,
        level1_name=name1,
        level2_code=code2,
        level2_name=name2,
        name=normalize_cell(cells.level3) or None,
        period_target=normalize_cell(cells.period) or None,
        annual_target=_annual_target(cells),
        source_page=cells.source_page,
        raw_text=" | ".join(normalize_cell(p) for p in printed if normalize_cell(p)),
        source_row=cells.source_row,
        weight=normalize_cell(cells.weight) or None,
        direction=normalize_cell(cells.direction) or None,
        comparator=normalize_cell(cells.comparator) or None,
        target_unit=normalize_cell(cells.unit) or None,
        **{f: _result(getattr(cells, c)) for f, c in _RESULT_CELLS},
    )


# Indicator field <- IndicatorCells field, for a self-evaluation's result columns.
_RESULT_CELLS = (
    ("actual_value", "actual"),
    ("score_weight", "score_weight"),
    ("score", "score"),
    ("deviation_reason", "deviation_reason"),
)


def _result(cell: str | None) -> str | None:
    """A result cell: None where the table has no such column, the normalized text (maybe "") where it has."""
    return None if cell is None else normalize_cell(cell)


def indicators_from_cells(items: list[IndicatorCells]) -> list[Indicator]:
    """The project's indicators, numbered 1..n in printed order; category rows are left out."""
    kept = [c for c in items if is_indicator(c)]
    return [indicator_from_cells(c, seq) for seq, c in enumerate(kept, start=1)]
