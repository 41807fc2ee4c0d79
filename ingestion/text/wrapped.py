"""Layout A: the table as wrapped text, one printed line per line, cells run together.

What the text shows of the table:

* a project row starts with an indent; its amounts follow the name on the same line, or on a
  later line when the name wraps ("    对民营企业进行教育服务管" / "理经费" / "1.44 1.44");
* the 合计 row and fund-using-unit rows are not indented and end with their amounts;
* after a project's name come its goal paragraph and then its indicator paragraph, which starts
  with a numbered indicator item ("1、1-产出指标…"): that is how the two are told apart, since
  blank lines are unreliable (some extracts put one between every wrapped line);
* empty amount cells leave no trace, so only the printed numbers are passed on, in order, with
  ``amount_positions_known=False``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingestion.model import SourceRow
from ingestion.parse.amounts import AMOUNT_TOKEN
from ingestion.parse.indicators import starts_with_indicator_item
from ingestion.text.detect import TableHeader
from ingestion.text.encoding import TextLine
from ingestion.text.layout import LayoutResult, PageTracker
from ingestion.vocabulary import is_header_text

# Up to four amounts at the end of a line, separated from the text before them by whitespace
# (so "年度指标值:53.75" at the end of a wrapped indicator line is not an amount).
_AMOUNT_TAIL = re.compile(rf"^(?P<head>.*?)(?:^|\s+)(?P<nums>{AMOUNT_TOKEN}(?:\s+{AMOUNT_TOKEN}){{0,3}})\s*$")
# How many lines a wrapped project name may take before its amounts appear.
_MAX_NAME_LINES = 4
# Page furniture some extracts keep: "第 2 页", "- 2 -", "第2页，共5页".
_PAGE_MARKER = re.compile(r"^\s*(?:第\s*\d+\s*页.*|-\s*\d+\s*-)\s*$")


def is_indented(text: str) -> bool:
    """A project row: the line starts with at least two spaces (or a tab / ideographic space)."""
    stripped = text.lstrip(" \t\u3000")
    return bool(stripped) and (text.startswith(("  ", "\t", "\u3000")))


def split_amount_tail(text: str) -> tuple[str, list[str] | None]:
    """("扶贫工作经费", ["0.30", "0.30"]) from "扶贫工作经费 0.30 0.30"; (text, None) without amounts."""
    match = _AMOUNT_TAIL.match(text.strip())
    if not match:
        return text.strip(), None
    return match.group("head").strip(), match.group("nums").split()


@dataclass
class _Row:
    first_line: TextLine
    page: int | None
    name_parts: list[str]
    amounts: list[str] | None
    goal_lines: list[str] = field(default_factory=list)
    indicator_lines: list[str] = field(default_factory=list)

    def to_source_row(self) -> SourceRow:
        return SourceRow(
            name="\n".join(self.name_parts),
            amounts=self.amounts,
            goal="\n".join(self.goal_lines),
            indicators="\n".join(self.indicator_lines),
            source_page=self.page,
            source_row=self.first_line.number,
            amount_positions_known=False,
        )


def _name_wrap_end(body: list[TextLine], start: int) -> int | None:
    """Index of the line that carries the amounts of a project whose name wrapped, if any."""
    for j in range(start, min(start + _MAX_NAME_LINES, len(body))):
        text = body[j].text
        if is_indented(text) or is_header_text(text) or starts_with_indicator_item(text):
            return None
        if split_amount_tail(text)[1] is not None:
            return j
    return None


def read_wrapped(lines: list[TextLine], header: TableHeader) -> LayoutResult:
    pages = PageTracker(lines, header)
    body = [line for line in lines[header.last_index + 1 :] if line.text.strip()]
    rows: list[SourceRow] = []
    warnings: list[str] = []
    current: _Row | None = None

    def flush() -> None:
        nonlocal current
        if current is not None:
            rows.append(current.to_source_row())
            current = None

    i = 0
    while i < len(body):
        line = body[i]
        text = line.text
        if is_header_text(text):
            flush()
            pages.new_page()
            i += 1
            continue
        if _PAGE_MARKER.match(text):
            i += 1
            continue
        if is_indented(text):
            flush()
            head, nums = split_amount_tail(text)
            current = _Row(first_line=line, page=pages.page_of(line), name_parts=[head], amounts=nums)
            i += 1
            if nums is None:
                end = _name_wrap_end(body, i)
                if end is not None:
                    for j in range(i, end + 1):
                        part, nums = split_amount_tail(body[j].text)
                        if part:
                            current.name_parts.append(part)
                    current.amounts = nums
                    i = end + 1
            continue
        head, nums = split_amount_tail(text)
        if nums is not None and head:
            # Not indented, text then amounts: the 合计 row or a fund-using unit's subtotal row.
            flush()
            rows.append(
                SourceRow(
                    name=head,
                    amounts=nums,
                    goal="",
                    indicators="",
                    source_page=pages.page_of(line),
                    source_row=line.number,
                    amount_positions_known=False,
                )
            )
        elif current is None:
            warnings.append(f"line {line.number}: text outside any table row ignored: {text.strip()[:40]!r}")
        elif nums is not None:
            warnings.append(f"line {line.number}: amounts {' '.join(nums)} with no row to belong to ignored")
        elif current.indicator_lines or starts_with_indicator_item(text):
            current.indicator_lines.append(text)
        else:
            current.goal_lines.append(text)
        i += 1
    flush()
    return LayoutResult(rows=rows, department_name=None, page_count=pages.page_count(), warnings=warnings)
