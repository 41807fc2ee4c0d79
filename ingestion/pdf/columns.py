"""What each column of the target table holds, read from its header row(s).

Columns are identified by their header text, never by position, so extra columns (序号), another
column order or a two-level header (预算金额 over the four amount columns) read the same.
"""

from __future__ import annotations

import re

from ingestion.model import AMOUNT_COLUMNS

# First match wins, so the more specific labels come first: "项目名称（资金使用单位）" is the name
# column, "财政专户拨款" is not "财政拨款".
_ROLE_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("indicators", ("绩效指标",)),
    ("goal", ("绩效目标",)),
    ("name", ("项目名称",)),
    ("department", ("主管部门",)),
    ("budget_unit", ("预算单位", "资金使用单位")),
    ("special_account", ("财政专户",)),
    ("fiscal", ("财政拨款",)),
    ("other", ("其他资金",)),
    ("total", ("总计", "合计")),
)

_HEADER_WORDS = ("项目名称", "绩效目标", "绩效指标", "主管部门", "预算单位", "总计", "财政拨款", "财政专户", "其他资金")
_NUMBER = re.compile(r"\d[\d,]*\.\d+|\d{2,}")

REQUIRED_ROLES = ("name", "goal", "indicators")


def is_header_row(cells: list[str]) -> bool:
    """A row of column labels: two or more header words and no amount-like number."""
    joined = "".join(cells).replace(" ", "")
    hits = sum(1 for w in _HEADER_WORDS if w in joined)
    return hits >= 2 and not _NUMBER.search(joined)


def has_target_header(text: str) -> bool:
    """Whether whitespace-free page text contains the target table's header labels."""
    return "项目名称" in text and "绩效目标" in text and "绩效指标" in text


def role_of(label: str) -> str | None:
    label = label.replace(" ", "")
    for role, words in _ROLE_KEYWORDS:
        if any(w in label for w in words):
            return role
    return None


def column_roles(header_rows: list[list[str]]) -> dict[str, int]:
    """Map role -> column index from the header rows (cells of a spanning label count once)."""
    n_cols = max(len(r) for r in header_rows)
    roles: dict[str, int] = {}
    for col in range(n_cols):
        label = "".join(r[col] for r in header_rows if col < len(r))
        role = role_of(label)
        if role is not None and role not in roles:
            roles[role] = col
    return roles


def has_amounts(roles: dict[str, int]) -> bool:
    return any(r in roles for r in AMOUNT_COLUMNS)
