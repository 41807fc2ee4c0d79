"""The lines above the table: title, department name and fiscal year (the amount unit: ``amount_units``).

Shared by the text readers and the PDF reader, which see the same printed header lines.
"""

from __future__ import annotations

import re

from ingestion.parse.normalize import fold_lookalikes, squeeze_spaces

# "部门名称：广州市白云区工商业联合会(部门) 单位：万元" and variants (单位名称, no colon space).
_DEPARTMENT_LABEL = re.compile(r"(?:部门|单位)名称\s*[:：]\s*(?P<value>.*)")
# A trailing "单位：万元" / "金额单位：元" printed on the same line as the name.
_UNIT_SUFFIX = re.compile(r"\s*(?:金额)?单位\s*[:：]\s*\S*\s*$")
# "(部门)" / "（部门）" / "(单位)": the level marker printed after the name.
_LEVEL_MARKER = re.compile(r"\s*[(（]\s*(?:部门|单位)\s*[)）]\s*")


def extract_department_name(line: str) -> str | None:
    """Department name from a "部门名称：…" line, without "(部门)" and "单位：万元"; else None."""
    text = fold_lookalikes(line).strip()
    match = _DEPARTMENT_LABEL.search(text)
    if not match:
        return None
    value = _UNIT_SUFFIX.sub("", match.group("value"))
    value = _LEVEL_MARKER.sub("", value)
    value = squeeze_spaces(value)
    return value or None


def find_department_name(lines: list[str]) -> str | None:
    """The first department name printed in ``lines`` (the lines above the table header)."""
    for line in lines:
        name = extract_department_name(line)
        if name:
            return name
    return None


# "2025年项目支出绩效目标表", "（2026年度）", "2025年度部门预算": a year printed in a title line.
_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?:度)?")


def find_fiscal_year(lines: list[str]) -> int | None:
    """The fiscal year a title above the table prints ("2025年…表", "（2026年度）"), else None.

    Only lines that read as a title count: they name a 表 or print the year as "N年度". A date
    ("2025年3月1日") in a note does not.
    """
    for line in lines:
        text = squeeze_spaces(fold_lookalikes(line))
        for match in _TITLE_YEAR.finditer(text):
            rest = text[match.end() :]
            if match.group(0).endswith("年度") or ("表" in rest and not re.match(r"\s*\d{1,2}\s*月", rest)):
                return int(match.group(1))
    return None
