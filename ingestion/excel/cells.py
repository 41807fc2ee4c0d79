"""A spreadsheet cell's value as the text a reader of the sheet sees, the way the table prints it.

Text is kept as typed (amounts typed as text keep their thousands separators: "1,234.50"). A number
stored as a number is written with the decimals its number format shows ("#,##0.00": 1234.5 ->
"1234.50"; no separators, which the amount parser does not need) and as a percentage where the
format is one (0.95 with "0%" -> "95%"); never in exponent form, and never with float noise
(15 significant digits, Excel's own precision). A date stored as a date is written as the format
shows it in Chinese ("yyyy年m月d日" -> "2025年11月30日") or else as an ISO date (2025-11-30).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal

_DECIMALS = re.compile(r"0\.(0+)")
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]')


def _first_section(number_format: str) -> str:
    return _QUOTED.sub("", (number_format or "").split(";")[0])


def number_text(value: float | int, number_format: str = "General") -> str:
    """A number cell's text (see module docstring)."""
    section = _first_section(number_format)
    number = Decimal(f"{value:.15g}") if isinstance(value, float) else Decimal(value)
    percent = "%" in section
    if percent:
        number *= 100
    decimals = _DECIMALS.search(section)
    if decimals:
        text = f"{number:.{len(decimals.group(1))}f}"
    else:
        text = format(number.normalize(), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return text + ("%" if percent else "")


def date_text(value: datetime | date | time, number_format: str = "") -> str:
    """A date cell's text (see module docstring)."""
    if isinstance(value, time):
        return value.isoformat(timespec="minutes")
    has_time = isinstance(value, datetime) and (value.hour or value.minute or value.second)
    day = value.date() if isinstance(value, datetime) else value
    if "年" in (number_format or ""):
        text = f"{day.year}年{day.month}月" + (f"{day.day}日" if "d" in number_format.lower() else "")
    else:
        text = day.isoformat()
    return f"{text} {value.strftime('%H:%M')}" if has_time else text


def cell_text(value: object, number_format: str = "General") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return number_text(value, number_format)
    if isinstance(value, (datetime, date, time)):
        return date_text(value, number_format)
    return str(value).replace("\r\n", "\n").replace("_x000D_", "")
