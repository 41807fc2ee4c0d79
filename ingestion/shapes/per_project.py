"""One row per project -> one ``SourceRow`` per row, from the target table's grids, page by page.

Numbering rule: ``source_page`` is the 1-based page a row starts on (a PDF page; a spreadsheet's
sheet or a web page's table, by position); ``source_row`` counts the rows handed to the parser,
1-based, across all pages of the target table, after header rows (repeated on every page) are
dropped and the two halves of a row broken by a page break are joined. So the n-th printed row of
the table (合计, unit rows and projects alike) has source_row n. A source that numbers its own
rows (a sheet's row numbers, a web table's rows) gives them instead (``row_numbers``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingestion.model import AMOUNT_COLUMNS, SourceRow
from ingestion.parse.normalize import join_wrapped
from ingestion.vocabulary import BUDGET_UNIT, DEPARTMENT, GOAL, INDICATORS, NAME, has_amounts, is_header_row


def _is_rest_of_row_above(get, roles: dict[str, int]) -> bool:
    """Whether the first row after a page break is the lower half of the last row before it.

    Producers break a tall row at the page end, each cell at its own line (top-, middle- or
    bottom-aligned), so either half may hold a fragment of any cell. The lower half is recognized
    by a cell that every real row prints being empty: the name; in a table with amount columns
    all of the amounts (合计, unit and project rows all print their 总计); the 主管部门 and 预算单位
    cells where the table has them.
    """
    if not get(NAME):
        return True
    if has_amounts(roles) and not any(get(r) for r in AMOUNT_COLUMNS):
        return True
    return any(role in roles and not get(role) for role in (DEPARTMENT, BUDGET_UNIT))


def _append_rest(prev: SourceRow, get) -> None:
    """Join the lower half of a page-broken row to its upper half, cell by cell."""
    prev.name = join_wrapped([prev.name, get(NAME)])
    prev.goal = join_wrapped([prev.goal, get(GOAL)])
    prev.indicators = join_wrapped([prev.indicators, get(INDICATORS)])
    if prev.department is not None or get(DEPARTMENT):
        prev.department = join_wrapped([prev.department or "", get(DEPARTMENT)]) or None
    if prev.budget_unit is not None or get(BUDGET_UNIT):
        prev.budget_unit = join_wrapped([prev.budget_unit or "", get(BUDGET_UNIT)]) or None


@dataclass
class RowCollector:
    rows: list[SourceRow] = field(default_factory=list)

    def add_page(
        self,
        page_number: int,
        body: list[list[str]],
        roles: dict[str, int],
        *,
        row_numbers: list[int] | None = None,
        continues: list[bool] | None = None,
    ) -> None:
        """Add one page's body rows (header rows already removed or dropped here).

        ``row_numbers``: each body row's number in its source (else rows are counted);
        ``continues``: for each row, whether it continues the row above (its name cell is the
        lower part of a merged cell), as the first row of a page may.
        """
        first_on_page = True
        for index, cells in enumerate(body):
            if not any(cells) or is_header_row(cells):
                continue
            get = lambda role: cells[roles[role]] if role in roles and roles[role] < len(cells) else ""  # noqa: E731, B023 (called in this iteration)
            merged_into_above = bool(continues and continues[index])
            if self.rows and (merged_into_above or (first_on_page and _is_rest_of_row_above(get, roles))):
                _append_rest(self.rows[-1], get)
                first_on_page = False
                continue
            first_on_page = False
            self.rows.append(
                SourceRow(
                    name=get(NAME),
                    amounts=[get(r) for r in AMOUNT_COLUMNS] if has_amounts(roles) else None,
                    goal=get(GOAL),
                    indicators=get(INDICATORS),
                    source_page=page_number,
                    source_row=row_numbers[index] if row_numbers else len(self.rows) + 1,
                    amount_positions_known=True,
                    department=get(DEPARTMENT) or None if DEPARTMENT in roles else None,
                    budget_unit=get(BUDGET_UNIT) or None if BUDGET_UNIT in roles else None,
                )
            )
