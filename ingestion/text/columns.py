"""Layout C: 主管部门 / 预算单位 / 项目名称 / 绩效目标 / 绩效指标, no amount columns.

Each cell is printed as its own hard-wrapped block, blocks separated by blank lines, in column
order. One table row is therefore: department block, unit block, name block, goal block, then the
indicator block, which is recognised by its first numbered item ("1、产出指标：…") and closes the row.

Two things are told apart by column width, not by blank lines:

* a name followed by its goal without a blank line: the goal column is far wider than the
  name column, so the first wide line starts the goal. When the goal is too short to be wide, a
  name line clearly shorter than the name column's full width ends the name (a wrapped cell fills
  every line but its last);
* blocks missing at the start of a row (a department or unit cell printed once for several rows,
  as merged cells are): the row's cells are assigned from its end (goal, name, unit, department)
  and the missing ones carry over from the row above.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ingestion.model import SourceRow
from ingestion.parse.indicators import starts_with_indicator_item
from ingestion.parse.normalize import join_wrapped
from ingestion.text.detect import TableHeader
from ingestion.text.encoding import TextLine
from ingestion.text.layout import LayoutResult, PageTracker
from ingestion.vocabulary import is_header_text

# A line wider than this share of the widest line in the table belongs to a wide column.
_WIDE_SHARE = 0.6
# A name line this much narrower than the name column (display cells) is the cell's last line.
_NOT_FULL_MARGIN = 2

Block = list[TextLine]


def display_width(text: str) -> int:
    """Width in terminal cells: CJK and fullwidth characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text.strip())


@dataclass
class _Record:
    pre_blocks: list[Block]  # the blocks before the indicator block
    indicators: Block


def _records(blocks: list[Block]) -> list[_Record]:
    records: list[_Record] = []
    pending: list[Block] = []
    for block in blocks:
        if starts_with_indicator_item(block[0].text):
            records.append(_Record(pre_blocks=pending, indicators=block))
            pending = []
        else:
            pending.append(block)
    if pending:
        records.append(_Record(pre_blocks=pending, indicators=[]))
    return records


class _Widths:
    def __init__(self, body: list[TextLine], records: list[_Record]):
        widest = max((display_width(line.text) for line in body), default=0)
        self.wide = widest * _WIDE_SHARE
        # The name column's full width, learned from names printed as their own block (the
        # block right before a goal block that starts with a wide line).
        names = [
            display_width(line.text)
            for r in records
            if len(r.pre_blocks) >= 2 and self.is_wide(r.pre_blocks[-1][0])
            for line in r.pre_blocks[-2]
        ]
        self.name_column = max(names, default=None)

    def is_wide(self, line: TextLine) -> bool:
        return display_width(line.text) > self.wide

    def split_name_goal(self, block: Block) -> tuple[Block, Block]:
        """Split a block holding a name and, without a blank line, its goal."""
        for k, line in enumerate(block):
            if k > 0 and self.is_wide(line):
                return block[:k], block[k:]
        if self.name_column is not None:
            for k, line in enumerate(block[:-1]):
                if display_width(line.text) < self.name_column - _NOT_FULL_MARGIN:
                    return block[: k + 1], block[k + 1 :]
        return block, []


def _text(block: Block) -> str:
    return "\n".join(line.text for line in block)


def read_columns(lines: list[TextLine], header: TableHeader) -> LayoutResult:
    pages = PageTracker(lines, header)
    body = lines[header.last_index + 1 :]
    # Pages are assigned while blocks are built (repeated headers advance the counter), so the
    # page of each block's first line is recorded here.
    page_of: dict[int, int | None] = {}
    blocks = _blocks(body, pages, page_of)
    records = _records(blocks)
    widths = _Widths(body, records)

    rows: list[SourceRow] = []
    warnings: list[str] = []
    department: Block = []
    unit: Block = []
    for record in records:
        pre = list(record.pre_blocks)
        name: Block = []
        goal: Block = []
        if pre:
            last = pre.pop()
            if widths.is_wide(last[0]):
                goal = last
                name = pre.pop() if pre else []
            elif any(widths.is_wide(line) for line in last) or len(pre) < 3:
                name, goal = widths.split_name_goal(last)
            else:
                goal = last
                name = pre.pop()
        if len(pre) >= 2:
            department, unit = pre[0], pre[1]
            for extra in pre[2:]:
                text = join_wrapped([line.text for line in extra])
                warnings.append(f"line {extra[0].number}: unexpected text before a project name ignored: {text[:40]!r}")
        elif len(pre) == 1:
            unit = pre[0]
        first = (record.pre_blocks or [record.indicators])[0][0]
        if not name:
            warnings.append(f"line {first.number}: a row without a project name")
        rows.append(
            SourceRow(
                name=_text(name),
                amounts=None,
                goal=_text(goal),
                indicators=_text(record.indicators),
                source_page=page_of.get(first.number),
                source_row=first.number,
                department=_text(department) or None,
                budget_unit=_text(unit) or None,
            )
        )

    department_names = [join_wrapped(r.department.splitlines()) for r in rows if r.department]
    department_name = department_names[0] if department_names else None
    others = sorted(set(department_names) - {department_name})
    if others:
        warnings.append(f"主管部门 differs between rows: {department_name} and {', '.join(others)}")
    return LayoutResult(rows=rows, department_name=department_name, page_count=pages.page_count(), warnings=warnings)


def _blocks(body: list[TextLine], pages: PageTracker, page_of: dict[int, int | None]) -> list[Block]:
    blocks: list[Block] = []
    current: Block = []

    def close() -> None:
        nonlocal current
        if current:
            blocks.append(current)
        current = []

    for line in body:
        if is_header_text(line.text):
            close()
            pages.new_page()
            continue
        if not line.text.strip():
            close()
            continue
        # An indicator paragraph that follows the goal without a blank line starts its own block.
        if current and starts_with_indicator_item(line.text) and not starts_with_indicator_item(current[0].text):
            close()
        page_of[line.number] = pages.page_of(line)
        current.append(line)
    close()
    return blocks
