"""The words of the 项目支出绩效目标表: its title, its column titles, and the role each column plays.

Every reader (text layouts A/B/C, PDF tables, and the formats still to come) recognises the header
and maps columns to roles through this module, so a column means the same whichever form the report
came in. Titles are compared with whitespace removed and look-alike characters folded (``compact``).
Amount roles are the ``AMOUNT_COLUMNS`` of the data contract.
"""

from __future__ import annotations

import re

from ingestion.model import AMOUNT_COLUMNS
from ingestion.parse.normalize import fold_lookalikes

TABLE_TITLE = "项目支出绩效目标表"

NAME = "name"
GOAL = "goal"
INDICATORS = "indicators"
DEPARTMENT = "department"
BUDGET_UNIT = "budget_unit"
TOTAL, FISCAL, SPECIAL_ACCOUNT, OTHER = AMOUNT_COLUMNS

# Role -> the titles a column of that role is printed with, the usual title first. A header cell
# takes the first role whose title it contains, so the more specific titles come first:
# "项目名称（资金使用单位）" is the name column, "财政专户拨款" is not "财政拨款".
COLUMN_TITLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (INDICATORS, ("绩效指标",)),
    (GOAL, ("绩效目标",)),
    (NAME, ("项目名称",)),
    (DEPARTMENT, ("主管部门",)),
    (BUDGET_UNIT, ("预算单位", "资金使用单位")),
    (SPECIAL_ACCOUNT, ("财政专户",)),
    (FISCAL, ("财政拨款",)),
    (OTHER, ("其他资金",)),
    (TOTAL, ("总计", "合计")),
)
USUAL_TITLE: dict[str, str] = {role: titles[0] for role, titles in COLUMN_TITLES}
# How messages name the amount columns: their full printed titles.
AMOUNT_COLUMN_NAMES: dict[str, str] = {
    TOTAL: "总计",
    FISCAL: "财政拨款",
    SPECIAL_ACCOUNT: "财政专户拨款",
    OTHER: "其他资金",
}

# The columns without which a table is not the target table.
REQUIRED_ROLES = (NAME, GOAL, INDICATORS)
# A header names the project column and either the two main amount columns or the two target columns.
AMOUNT_HEADER_TITLES = (USUAL_TITLE[TOTAL], USUAL_TITLE[FISCAL])
TARGET_HEADER_TITLES = (USUAL_TITLE[GOAL], USUAL_TITLE[INDICATORS])
# The header of a table printing each row's department and unit instead of amounts (layout C).
UNIT_HEADER_TITLES = tuple(USUAL_TITLE[r] for r in (DEPARTMENT, BUDGET_UNIT, NAME, GOAL, INDICATORS))
# The name printed on the department's total row.
TOTAL_ROW_NAMES = ("合计", "总计")

_AMOUNT_LIKE = re.compile(r"\d[\d,]*\.\d+|\d{2,}")
# A column-number row printed under the titles: "1 2 3 4 5 6 7" or "栏次 1 2 3".
_COLUMN_NUMBER = re.compile(r"(?:栏次|\d{1,2})")


def compact(text: str) -> str:
    """Text with all whitespace removed: how column titles are compared ("财政专户 拨款")."""
    return re.sub(r"\s+", "", fold_lookalikes(text))


def is_header_text(text: str) -> bool:
    """True for a line that reads like the table's column-title row (also used for repeats)."""
    flat = compact(text)
    return USUAL_TITLE[NAME] in flat and (
        all(t in flat for t in AMOUNT_HEADER_TITLES) or all(t in flat for t in TARGET_HEADER_TITLES)
    )


def has_target_header(text: str) -> bool:
    """Whether whitespace-free page text contains the target table's header titles."""
    return all(USUAL_TITLE[role] in text for role in REQUIRED_ROLES)


def is_header_row(cells: list[str]) -> bool:
    """A row of column titles: two or more usual titles and no amount-like number."""
    joined = "".join(cells).replace(" ", "")
    hits = sum(1 for title in USUAL_TITLE.values() if title in joined)
    return hits >= 2 and not _AMOUNT_LIKE.search(joined)


def is_column_number_row(cells: list[str]) -> bool:
    """A row that only numbers the columns (three or more small numbers, or 栏次)."""
    printed = [compact(c) for c in cells if c and compact(c)]
    return len(printed) >= 3 and all(_COLUMN_NUMBER.fullmatch(c) for c in printed)


def is_total_name(name: str) -> bool:
    return compact(name) in TOTAL_ROW_NAMES


def role_of(title: str) -> str | None:
    """The role of a column printed with ``title``, or None for a column no reader uses (序号)."""
    title = title.replace(" ", "")
    for role, titles in COLUMN_TITLES:
        if any(t in title for t in titles):
            return role
    return None


def column_roles(header_rows: list[list[str]]) -> dict[str, int]:
    """Map role -> column index from the header rows (cells of a spanning title count once)."""
    n_cols = max(len(r) for r in header_rows)
    roles: dict[str, int] = {}
    for col in range(n_cols):
        title = "".join(r[col] for r in header_rows if col < len(r))
        role = role_of(title)
        if role is not None and role not in roles:
            roles[role] = col
    return roles


def has_amounts(roles: dict[str, int]) -> bool:
    return any(r in roles for r in AMOUNT_COLUMNS)
