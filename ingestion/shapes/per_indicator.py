"""One row per indicator -> one ``SourceRow`` per project, its indicators as ``IndicatorCells``.

How producers print this shape, and how it is read:

* the project's cells (name, fund-using unit, amounts, goal) are merged down over its indicator
  rows, or printed only on its first row: a row with a name starts a project (or a unit / 合计
  row, which prints amounts and no indicator), a row without one belongs to the project above;
  text of a merged cell that spills into the rows below (a long goal) is joined back;
* the project continues across a page break: the next page's first rows print no name, or repeat
  it (the same name as the project above, at the top of a page, is the same project);
* 一级指标 / 二级指标 cells are merged down too: an empty level cell repeats the one above, within
  the project; a new 一级指标 clears the 二级指标 it carried;
* an indicator row broken by a page break: the first row of a page with targets but no level
  cells completes the indicator above.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingestion.model import AMOUNT_COLUMNS, IndicatorCells, PrintedExecution, SourceRow
from ingestion.parse.normalize import join_wrapped, normalize_cell
from ingestion.vocabulary import (
    ACTUAL_VALUE,
    ANNUAL_TARGET,
    BUDGET_FULL_YEAR,
    BUDGET_INITIAL,
    BUDGET_UNIT,
    COMPARATOR,
    DEPARTMENT,
    DEVIATION_REASON,
    DIRECTION,
    EXECUTED,
    EXECUTION_RATE,
    EXECUTION_ROLES,
    GOAL,
    LEVEL1,
    LEVEL2,
    LEVEL3,
    MEASURE_UNIT,
    NAME,
    PERIOD_TARGET,
    SCORE,
    SCORE_WEIGHT,
    WEIGHT,
    has_amounts,
    is_column_number_row,
    is_header_row,
)

_RESULT_FIELDS = (
    ("actual", ACTUAL_VALUE),
    ("score_weight", SCORE_WEIGHT),
    ("score", SCORE),
    ("deviation_reason", DEVIATION_REASON),
)


def _cells_of(get, roles: dict[str, int] | None = None) -> IndicatorCells:
    """The indicator cells of a row; a self-evaluation's result cells only where ``roles`` has their columns."""
    cells = IndicatorCells(
        level1=get(LEVEL1),
        level2=get(LEVEL2),
        level3=get(LEVEL3),
        period=get(PERIOD_TARGET),
        annual=get(ANNUAL_TARGET),
        comparator=get(COMPARATOR),
        unit=get(MEASURE_UNIT),
        weight=get(WEIGHT),
        direction=get(DIRECTION),
    )
    for attr, role in _RESULT_FIELDS:
        if roles is not None and role in roles:
            setattr(cells, attr, get(role))
    return cells


def _printed_execution(get, roles: dict[str, int]) -> PrintedExecution | None:
    """A self-evaluation's budget and execution cells of a project row; None without such columns."""
    if not any(r in roles for r in EXECUTION_ROLES):
        return None
    return PrintedExecution(
        budget_initial=get(BUDGET_INITIAL),
        budget_full_year=get(BUDGET_FULL_YEAR),
        executed=get(EXECUTED),
        execution_rate=get(EXECUTION_RATE),
    )


def _printed(cells: IndicatorCells) -> bool:
    return any(
        normalize_cell(getattr(cells, f))
        for f in ("level1", "level2", "level3", "period", "annual", "comparator", "unit", "weight", "direction")
    ) or any(normalize_cell(getattr(cells, f) or "") for f, _ in _RESULT_FIELDS)


def _complete(above: IndicatorCells, rest: IndicatorCells) -> None:
    """Join the lower half of an indicator row broken by a page break to its upper half."""
    for f in ("level3", "period", "annual", "comparator", "unit", "weight", "direction"):
        setattr(above, f, join_wrapped([getattr(above, f), getattr(rest, f)]))
    for f, _ in _RESULT_FIELDS:
        if getattr(above, f) is not None:
            setattr(above, f, join_wrapped([getattr(above, f), getattr(rest, f) or ""]))


@dataclass
class IndicatorRowCollector:
    """Collects body rows page by page (the interface of the per-project collectors)."""

    rows: list[SourceRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _printed_rows: int = 0

    def add_page(
        self,
        page_number: int | None,
        body: list[list[str]],
        roles: dict[str, int],
        starts: list[bool] | None = None,
        *,
        row_numbers: list[int] | None = None,
    ) -> None:
        """Add one page's body rows (header and column-number rows are skipped here).

        ``starts``: for each row, whether a rule across the project columns is drawn above it (a
        ruled PDF grid); then a project starts at a rule, whichever of its rows prints the name.
        ``row_numbers``: each body row's number in its source (a sheet's row); else rows are counted.
        """
        first_on_page = True
        kept = [
            (i, cells)
            for i, cells in enumerate(body)
            if any(c.strip() for c in cells) and not is_header_row(cells) and not is_column_number_row(cells)
        ]
        for pos, (index, cells) in enumerate(kept):
            self._printed_rows = row_numbers[index] if row_numbers else self._printed_rows + 1
            get = lambda role, cells=cells: cells[roles[role]] if role in roles and roles[role] < len(cells) else ""  # noqa: E731
            rule = starts[index] if starts is not None and index < len(starts) else None
            if rule is not None and NAME in roles:
                if first_on_page and self.rows:  # a page starts under a rule: a new name in its first merged cell tells
                    rule = self._names_another_project(kept[pos:], starts, roles)
                rule = rule or not self.rows
                self._add_ruled_row(get, roles, page_number, new_project=rule, first_on_page=first_on_page)
            else:
                self._add_row(get, roles, page_number, first_on_page)
            first_on_page = False

    def _names_another_project(self, rows, starts: list[bool], roles: dict[str, int]) -> bool:
        """Whether the rows down to the next rule print a project name other than the current one's."""
        current = normalize_cell(self.rows[-1].name)
        for k, (index, cells) in enumerate(rows):
            if k and starts[index]:
                break
            name = normalize_cell(cells[roles[NAME]]) if roles[NAME] < len(cells) else ""
            if name and name != current and not current.endswith(name):
                return True
        return False

    def _add_ruled_row(
        self, get, roles: dict[str, int], page: int | None, *, new_project: bool, first_on_page: bool = False
    ) -> None:
        """A row whose project is told by the rules: merged text anywhere in the project's rows."""
        item = _cells_of(get, roles)
        item.source_page, item.source_row = page, self._printed_rows
        if new_project:
            self.rows.append(self._project_row(get, roles, page))
        else:
            current = self.rows[-1]
            if not (first_on_page and normalize_cell(get(NAME)) == normalize_cell(current.name)):  # not repeated
                current.name = join_wrapped([current.name, get(NAME)])
            if not (first_on_page and normalize_cell(get(GOAL)) == normalize_cell(current.goal)):
                current.goal = join_wrapped([current.goal, get(GOAL)])
            if current.amounts is not None and not any(c.strip() for c in current.amounts):
                current.amounts = [get(r) for r in AMOUNT_COLUMNS]
            for role, attr in ((DEPARTMENT, "department"), (BUDGET_UNIT, "budget_unit")):
                printed, before = normalize_cell(get(role)), getattr(current, attr) or ""
                if role in roles and printed and not (first_on_page and printed == normalize_cell(before)):
                    setattr(current, attr, join_wrapped([before, get(role)]))
        if self.rows[-1].indicator_items is not None:
            rest = first_on_page and not new_project
            add_indicator(self.rows[-1].indicator_items, item, rest_of_row_above=rest)

    def _project_row(self, get, roles: dict[str, int], page: int | None) -> SourceRow:
        return SourceRow(
            name=get(NAME),
            amounts=[get(r) for r in AMOUNT_COLUMNS] if has_amounts(roles) else None,
            goal=get(GOAL),
            indicators="",
            source_page=page,
            source_row=self._printed_rows,
            department=get(DEPARTMENT) or None if DEPARTMENT in roles else None,
            budget_unit=get(BUDGET_UNIT) or None if BUDGET_UNIT in roles else None,
            indicator_items=[],
            execution=_printed_execution(get, roles),
        )

    def _add_row(self, get, roles: dict[str, int], page: int | None, first_on_page: bool) -> None:
        name = normalize_cell(get(NAME))
        item = _cells_of(get, roles)
        item.source_page, item.source_row = page, self._printed_rows
        current = self.rows[-1] if self.rows else None
        repeated = first_on_page and current is not None and name and name == normalize_cell(current.name)
        if name and not repeated:
            current = self._project_row(get, roles, page)
            self.rows.append(current)
        elif current is None:
            self.warnings.append(f"page {page}, row {item.source_row}: indicator row before any project ignored")
            return
        elif normalize_cell(get(GOAL)) and not (repeated and normalize_cell(get(GOAL)) == normalize_cell(current.goal)):
            current.goal = join_wrapped([current.goal, get(GOAL)])  # a merged goal cell spilling down
        add_indicator(current.indicator_items, item, rest_of_row_above=first_on_page and not name)


def indicator_cells(get, roles: dict[str, int] | None = None) -> IndicatorCells:
    """The indicator cells of a row (``get(role)`` -> the cell's text; result cells where ``roles`` has them)."""
    return _cells_of(get, roles)


def add_indicator(items: list[IndicatorCells], item: IndicatorCells, *, rest_of_row_above: bool) -> None:
    """Add one indicator row to its project's: level cells merged down are filled from the row above;
    with ``rest_of_row_above`` (the first row of a page) a row without level cells completes the one above."""
    if not _printed(item):
        return
    above = items[-1] if items else None
    no_levels = not (normalize_cell(item.level1) or normalize_cell(item.level2) or normalize_cell(item.level3))
    if rest_of_row_above and above is not None and no_levels:
        _complete(above, item)
        return
    if above is not None and not normalize_cell(item.level1):
        item.level1 = above.level1
        if not normalize_cell(item.level2):
            item.level2 = above.level2
    items.append(item)
