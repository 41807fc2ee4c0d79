"""The unit amounts are printed in, and their exact conversion to the warehouse's 万元.

A table states its unit above it ("单位：万元", "金额单位：元"), in an amount column's title
("项目资金（元）", "年度资金总额（万元）") or in the cell itself ("250万", "10000万元"); a cell's
own unit wins over the table's. Conversion is Decimal arithmetic, never float: 771,325,800.00 元
is exactly 77,132.58 万元. The printed text and its unit are kept beside the number (lineage).
"""

from __future__ import annotations

import re
from decimal import Decimal

from ingestion.parse.normalize import fold_lookalikes

WAN = "万元"
# How many 万元 one unit is.
_PER_WAN: dict[str, Decimal] = {
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
    "万元": Decimal(1),
    "万": Decimal(1),
    "亿元": Decimal(10000),
    "亿": Decimal(10000),
}
_UNIT = "亿元|万元|千元|元|亿|万"
# "单位：万元", "金额单位:元", "单位（万元）"
_STATEMENT = re.compile(rf"(?:金额)?单位\s*[:：(（]\s*(?P<unit>{_UNIT})")
# "项目资金（元）", "总计(万元)": a unit in brackets inside a column title.
_TITLE_UNIT = re.compile(rf"[(（]\s*(?P<unit>{_UNIT})\s*[)）]")
_CELL_UNIT = re.compile(rf"^(?P<number>.*?\d)\s*(?P<unit>{_UNIT})\s*$")


def canonical(unit: str) -> str:
    return {"万": "万元", "亿": "亿元"}.get(unit, unit)


def stated_unit(lines: list[str]) -> str | None:
    """The unit a line above the table states ("单位：万元"), or None when none is printed."""
    for line in lines:
        match = _STATEMENT.search(re.sub(r"\s+", "", fold_lookalikes(line)))
        if match:
            return canonical(match.group("unit"))
    return None


def title_unit(titles: list[str]) -> str | None:
    """The unit printed in an amount column's title ("项目资金（元）"), or None."""
    for title in titles:
        match = _TITLE_UNIT.search(re.sub(r"\s+", "", fold_lookalikes(title)))
        if match:
            return canonical(match.group("unit"))
    return None


def cell_in_wan(cell: str, unit: str | None) -> tuple[str, str | None]:
    """(the cell's amount as text in 万元, the unit it was printed in); text that is no number is returned as is.

    ``unit`` is the table's unit (None: 万元, the reports' usual unit); a unit printed in the cell wins.
    """
    text = fold_lookalikes(cell or "").strip()
    match = _CELL_UNIT.match(text)
    if match:
        text, unit = match.group("number").strip(), canonical(match.group("unit"))
    factor = _PER_WAN.get(unit or WAN, Decimal(1))
    if factor == 1:
        return (text if match else cell), unit
    plain = text.replace(",", "").replace("，", "").replace(" ", "")
    try:
        value = Decimal(plain)
    except ArithmeticError:
        return cell, unit
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", plain):
        return cell, unit
    return _plain(value * factor), unit


def _plain(value: Decimal) -> str:
    """A Decimal as fixed-point text with at least two decimals ("77132.58", "0.0125")."""
    text = format(value.normalize(), "f")
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"
