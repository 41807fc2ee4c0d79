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
# The columns of a table printing one row per indicator (see ``ingestion.model.IndicatorCells``).
LEVEL1 = "level1"
LEVEL2 = "level2"
LEVEL3 = "level3"
PERIOD_TARGET = "period"
ANNUAL_TARGET = "annual"
COMPARATOR = "comparator"
MEASURE_UNIT = "unit"
WEIGHT = "weight"
DIRECTION = "direction"
# A self-evaluation (项目支出绩效自评表) prints, per indicator, what was achieved and its score, and
# per project its budget and what was spent (see ``ingestion.model.Execution``).
ACTUAL_VALUE = "actual"
SCORE_WEIGHT = "score_weight"
SCORE = "score"
DEVIATION_REASON = "deviation_reason"
BUDGET_INITIAL = "budget_initial"
BUDGET_FULL_YEAR = "budget_full_year"
EXECUTED = "executed"
EXECUTION_RATE = "execution_rate"
EXECUTION_ROLES = (BUDGET_INITIAL, BUDGET_FULL_YEAR, EXECUTED, EXECUTION_RATE)
INDICATOR_CELL_ROLES = (
    LEVEL1,
    LEVEL2,
    LEVEL3,
    PERIOD_TARGET,
    ANNUAL_TARGET,
    COMPARATOR,
    MEASURE_UNIT,
    WEIGHT,
    DIRECTION,
    ACTUAL_VALUE,
    SCORE_WEIGHT,
    SCORE,
    DEVIATION_REASON,
)
# Columns printed for the reader's eye only: known, and read by nobody.
ROW_NUMBER = "row_number"

# Role -> the titles a column of that role is printed with, the usual title first. A header cell
# takes the first role whose title it contains, so the more specific titles come first:
# "项目名称（资金使用单位）" is the name column, "财政专户拨款" is not "财政拨款".
COLUMN_TITLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (ACTUAL_VALUE, ("实际完成值", "实际完成指标值", "全年实际值", "实际值")),
    (DEVIATION_REASON, ("偏差原因",)),
    (SCORE_WEIGHT, ("分值",)),
    (SCORE, ("得分",)),
    (BUDGET_INITIAL, ("年初预算数",)),
    (BUDGET_FULL_YEAR, ("全年预算数",)),
    (EXECUTED, ("全年执行数", "执行数")),
    (EXECUTION_RATE, ("执行率",)),
    (LEVEL1, ("一级指标",)),
    (LEVEL2, ("二级指标",)),
    (LEVEL3, ("三级指标", "指标名称", "指标内容")),
    (COMPARATOR, ("指标性质",)),
    (MEASURE_UNIT, ("度量单位", "计量单位")),
    (WEIGHT, ("权重",)),
    (DIRECTION, ("指标方向",)),
    (PERIOD_TARGET, ("实施周期指标值", "指标值(长期)", "长期指标值")),
    (ANNUAL_TARGET, ("年度指标值", "指标值(年度)", "指标值")),
    (INDICATORS, ("绩效指标",)),
    (GOAL, ("绩效目标", "年度目标")),
    (NAME, ("项目名称", "项目支出名称")),
    (DEPARTMENT, ("主管部门",)),
    (BUDGET_UNIT, ("预算单位", "资金使用单位", "单位名称")),
    (SPECIAL_ACCOUNT, ("财政专户",)),
    (FISCAL, ("财政拨款",)),
    (OTHER, ("其他资金",)),
    (TOTAL, ("总计", "合计", "预算数")),
    (ROW_NUMBER, ("序号",)),
)
USUAL_TITLE: dict[str, str] = {role: titles[0] for role, titles in COLUMN_TITLES}
# How messages name the amount columns: their full printed titles.
AMOUNT_COLUMN_NAMES: dict[str, str] = {
    TOTAL: "总计",
    FISCAL: "财政拨款",
    SPECIAL_ACCOUNT: "财政专户拨款",
    OTHER: "其他资金",
}

# The columns without which a table is not the target table: its project and its indicators,
# as numbered text in one cell (``REQUIRED_ROLES``, one row per project) or in their own columns.
REQUIRED_ROLES = (NAME, GOAL, INDICATORS)
PER_PROJECT = "per_project"
PER_INDICATOR = "per_indicator"
# Titles that only a header prints (never an indicator's text, unlike 年度指标值): with the usual
# titles they make a header row recognisable whatever its shape.
_HEADER_ONLY_TITLES = (
    *(USUAL_TITLE[r] for r in (NAME, GOAL, INDICATORS, DEPARTMENT, BUDGET_UNIT, *AMOUNT_COLUMNS)),
    *("一级指标", "二级指标", "三级指标", "指标性质", "度量单位", "指标方向", "项目资金"),
)
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


def _names_project(flat: str) -> bool:
    return any(t in flat for t in _titles(NAME))


def _titles(role: str) -> tuple[str, ...]:
    return next(titles for r, titles in COLUMN_TITLES if r == role)


def has_target_header(text: str) -> bool:
    """Whether whitespace-free page text contains a target table's header titles (any shape).

    The title of the table is not needed: the header row identifies it. A table of contents naming
    the table prints no header; other statements (收支总表, 三公经费…) print no indicator column.
    """
    text = fold_lookalikes(text)
    if not _names_project(text):
        return False
    if USUAL_TITLE[GOAL] in text and USUAL_TITLE[INDICATORS] in text:
        return True
    return any(t in text for t in _titles(LEVEL3)) and any(t in text for t in _titles(ANNUAL_TARGET))


def is_header_row(cells: list[str]) -> bool:
    """A row of column titles: two or more usual titles and no amount-like number."""
    joined = compact("".join(cells))
    hits = sum(1 for title in _HEADER_ONLY_TITLES if title in joined)
    return hits >= 2 and not _AMOUNT_LIKE.search(joined)


def is_column_number_row(cells: list[str]) -> bool:
    """A row that only numbers the columns (three or more small numbers, or 栏次)."""
    printed = [compact(c) for c in cells if c and compact(c)]
    return len(printed) >= 3 and all(_COLUMN_NUMBER.fullmatch(c) for c in printed)


def is_total_name(name: str) -> bool:
    return compact(name) in TOTAL_ROW_NAMES


def role_of(title: str) -> str | None:
    """The role of a column printed with ``title``, or None for a column no reader knows."""
    title = compact(title).replace("（", "(").replace("）", ")")
    for role, titles in COLUMN_TITLES:
        if any(t in title for t in titles):
            return role
    return None


def column_title(header_rows: list[list[str]], col: int) -> str:
    """The printed title of column ``col``: its cells in the header rows, top to bottom."""
    return "".join(r[col] for r in header_rows if col < len(r))


def _column_role(header_rows: list[list[str]], col: int) -> str | None:
    # A two-row header prints a parent title (项目资金, 绩效指标) over several columns: the lowest
    # cell names the column when it has a role of its own; otherwise the whole title (a title
    # wrapped over two rows, "财政专户" over "拨款").
    lowest = next((r[col] for r in reversed(header_rows) if col < len(r) and compact(r[col])), "")
    return role_of(lowest) or role_of(column_title(header_rows, col))


def column_roles(header_rows: list[list[str]]) -> dict[str, int]:
    """Map role -> column index from the header rows (cells of a spanning title count once)."""
    n_cols = max(len(r) for r in header_rows)
    roles: dict[str, int] = {}
    for col in range(n_cols):
        role = _column_role(header_rows, col)
        if role is not None and role not in roles:
            roles[role] = col
    return roles


def unknown_columns(header_rows: list[list[str]]) -> list[str]:
    """The printed titles of the columns no role is known for (never dropped silently)."""
    n_cols = max(len(r) for r in header_rows)
    titles = [compact(column_title(header_rows, col)) for col in range(n_cols)]
    return [t for col, t in enumerate(titles) if t and _column_role(header_rows, col) is None]


def table_shape(roles: dict[str, int]) -> str | None:
    """Which shape a header with these roles has: PER_PROJECT, PER_INDICATOR, or None (not the table)."""
    if NAME not in roles:
        return None
    if LEVEL3 in roles and (ANNUAL_TARGET in roles or PERIOD_TARGET in roles):
        return PER_INDICATOR
    if all(r in roles for r in REQUIRED_ROLES):
        return PER_PROJECT
    return None


def has_amounts(roles: dict[str, int]) -> bool:
    return any(r in roles for r in AMOUNT_COLUMNS)


# ------------------------------------------------------------------ one form per project (申报表)
MULTI_YEAR_TOTAL = "multi_year_total"
LONG_GOAL = "long_goal"
ACHIEVED = "achieved"  # a self-evaluation form's 实际完成情况 beside its 预期目标 (recognized, not kept yet)
# Label -> the titles it is printed with in a form's label cells. The budget year's amount is the
# project's total; the whole project's (several years) is its multi-year total. Checked in order:
# "年度资金总额" is the year's amount before "资金总额" is the multi-year one.
FORM_LABELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (NAME, ("项目名称", "项目支出名称")),
    (DEPARTMENT, ("主管部门", "项目主管部门")),
    (BUDGET_UNIT, ("实施单位", "项目执行单位", "执行单位", "预算部门", "项目单位", "预算单位")),
    (TOTAL, ("年度资金总额", "年度资金申请总额", "当年资金总额", "年度本级预算金额", "本年度资金", "年度预算数")),
    (MULTI_YEAR_TOTAL, ("项目资金总额", "项目总额", "资金总额", "总额")),
    (SPECIAL_ACCOUNT, ("财政专户拨款", "财政专户")),
    (FISCAL, ("财政拨款",)),
    (OTHER, ("其他资金",)),
    (LONG_GOAL, ("总体目标", "长期目标", "实施周期目标")),
    (GOAL, ("年度目标", "年度绩效目标", "预期目标")),
    (ACHIEVED, ("实际完成情况",)),
)
_LABEL_PREFIX = re.compile(r"^(?:其中|[一二三四五六七八九十]+、|\d+[.、])[:：]?")
_LABEL_SUFFIX = re.compile(r"[(（][^)）]*[)）]$|[:：]$")
# A label cell is short: the title and a few characters of decoration ("（万元）", "：").
_LABEL_SLACK = 6


def form_label(cell: str) -> tuple[str | None, str]:
    """(label role, the value printed in the same cell after a colon, or "") of a form cell; (None, "") for no label."""
    flat = _LABEL_PREFIX.sub("", compact(cell))
    head, sep, value = (
        (re.split(r"([:：])", flat, maxsplit=1) + ["", ""])[:3] if re.search(r"[:：]", flat) else [flat, "", ""]
    )
    head = _LABEL_SUFFIX.sub("", _LABEL_SUFFIX.sub("", head))
    for role, titles in FORM_LABELS:
        for title in titles:
            if head.startswith(title) and len(head) <= len(title) + _LABEL_SLACK:
                return role, value if sep else ""
    return None, ""


def is_form_text(flat: str) -> bool:
    """Whether whitespace-free page text reads like a project's form: a name label, a goal label, an indicator grid."""
    flat = fold_lookalikes(flat)
    goal = any(t in flat for t in ("年度目标", "总体目标", "长期目标", "年度绩效目标"))
    grid = "一级指标" in flat and "二级指标" in flat
    return _names_project(flat) and goal and grid and not all(t in flat for t in AMOUNT_HEADER_TITLES)


def is_indicator_header(cells: list[str]) -> bool:
    """The column-title row of a form's indicator grid (一级指标 … 指标值)."""
    roles = column_roles([cells])
    return (
        LEVEL1 in roles and (LEVEL3 in roles or LEVEL2 in roles) and (ANNUAL_TARGET in roles or PERIOD_TARGET in roles)
    )
