"""A self-evaluation's project budget and spending: printed cells -> amounts in 万元 and a rate in percent.

年初预算数, 全年预算数 and 全年执行数 follow the amount rules of the target tables (the table's unit or a
unit printed in the cell, converted exactly to 万元 by ``ingestion.parse.amount_units``; an empty cell
or a dash is NULL). 执行率 is kept in percent: "99.97%" and "99.97" are 99.97; a rate printed as a
fraction ("0.9997", below or equal to 1 with no % sign) is that fraction times 100. A cell that is no
number is NULL with a warning; the printed text is kept beside the parsed value either way. ``actual_columns`` and
``execution_columns`` give the raw tables' self-evaluation columns.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ingestion.model import Execution, PrintedExecution
from ingestion.parse.amount_units import cell_in_wan
from ingestion.parse.amounts import AmountError, parse_amount
from ingestion.parse.normalize import fold_lookalikes, normalize_cell
from ingestion.parse.targets import parse_target

_RATE = re.compile(r"(?P<number>-?\d+(?:\.\d+)?)\s*(?P<percent>[%％])?")


def parse_rate(text: str | None) -> Decimal | None:
    """An execution rate in percent ("99.97%" -> 99.97, "0.9997" -> 99.97); None when empty or no number."""
    flat = fold_lookalikes(normalize_cell(text or "")).replace(" ", "")
    match = _RATE.fullmatch(flat)
    if not match:
        return None
    try:
        value = Decimal(match.group("number"))
    except InvalidOperation:
        return None
    if not match.group("percent") and value <= 1 and "." in match.group("number"):
        value *= 100
    return value


def _amount(cell: str, unit: str | None, label: str, warnings: list[str]) -> Decimal | None:
    text, _ = cell_in_wan(normalize_cell(cell), unit)
    try:
        return parse_amount(text)
    except AmountError:
        warnings.append(f"{label}: {normalize_cell(cell)!r} is no amount; read as empty")
        return None


def parse_execution(
    printed: PrintedExecution | None, *, unit: str | None, label: str, warnings: list[str]
) -> Execution | None:
    """The parsed budget and spending of one project (``unit``: the table's amount unit); None when not printed."""
    if printed is None:
        return None
    amounts = [
        _amount(printed.budget_initial, unit, f"{label} 年初预算数", warnings),
        _amount(printed.budget_full_year, unit, f"{label} 全年预算数", warnings),
        _amount(printed.executed, unit, f"{label} 全年执行数", warnings),
    ]
    rate = parse_rate(printed.execution_rate)
    if rate is None and normalize_cell(printed.execution_rate):
        warnings.append(f"{label}: 执行率 {normalize_cell(printed.execution_rate)!r} is no rate; read as empty")
    score = _amount(printed.score, None, f"{label} 得分", warnings)
    return Execution(printed, *amounts, execution_rate=rate, score=score)


# ------------------------------------------------------------------ the raw tables' columns
def actual_columns(text: str | None) -> dict:
    """A self-evaluation's 实际完成值 parsed by the parser of the targets, so both sides compare alike."""
    t = parse_target(text)
    return {
        "actual_operator": t.operator,
        "actual_low": t.low,
        "actual_high": t.high,
        "actual_unit": t.unit,
        "actual_is_quantitative": t.is_quantitative,
    }


def execution_columns(e: Execution | None) -> dict:
    """A self-evaluation's budget and spending columns of raw.projects (all NULL for a target table)."""
    printed = e.printed if e is not None else None
    return {
        "budget_initial": e.budget_initial if e else None,
        "budget_full_year": e.budget_full_year if e else None,
        "executed": e.executed if e else None,
        "execution_rate": e.execution_rate if e else None,
        "printed_execution": "|".join(
            (printed.budget_initial, printed.budget_full_year, printed.executed, printed.execution_rate)
        )
        if printed
        else None,
        "project_score": e.score if e else None,
    }
