"""One form per project (项目支出绩效目标申报表 / 审批表 / 绩效目标表) -> one ``SourceRow`` per form.

A form is label-value cells (``ingestion.vocabulary.FORM_LABELS``: 项目名称, 主管部门, 实施单位,
the funding block, 总体目标 / 年度目标), then an indicator grid whose header row names its
columns (一级指标 … 指标值), read as one row per indicator. A document may hold many forms (a
department budget prints one after each project's 项目经费情况说明): a row with a 项目名称 label
starts the next form. A value is the next non-label cell to the right of its label, or, when the
label has none (总体目标 | 年度目标 over their texts), the cell under it in the next row; "label：
value" in one cell is read too. The budget year's amount (年度资金总额…) is the project's total;
the whole project's (项目总额) is kept as its multi-year total. The project goal is the 年度目标,
else the 总体目标.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingestion.model import AMOUNT_COLUMNS, IndicatorCells, PrintedExecution, SourceRow
from ingestion.parse.normalize import join_wrapped, normalize_cell
from ingestion.shapes.per_indicator import add_indicator, indicator_cells
from ingestion.vocabulary import (
    BUDGET_FULL_YEAR,
    BUDGET_INITIAL,
    BUDGET_UNIT,
    DEPARTMENT,
    EXECUTED,
    EXECUTION_RATE,
    EXECUTION_ROLES,
    FISCAL,
    GOAL,
    LONG_GOAL,
    MULTI_YEAR_TOTAL,
    NAME,
    OTHER,
    SCORE,
    SPECIAL_ACCOUNT,
    TOTAL,
    column_roles,
    form_label,
    is_indicator_header,
)

AMOUNT_ROLES = frozenset(AMOUNT_COLUMNS)


@dataclass
class _Form:
    page: int | None
    row: int
    values: dict[str, str] = field(default_factory=dict)
    grid_roles: dict[str, int] | None = None
    grid_width: int = 0  # the cells of its indicator grid's header row
    items: list[IndicatorCells] = field(default_factory=list)
    # A self-evaluation's budget block: its header row's columns (年初预算数 … 得分), then its 年度资金总额 row.
    budget_columns: dict[str, int] | None = None
    execution: PrintedExecution | None = None

    def source_row(self) -> SourceRow:
        v = self.values
        return SourceRow(
            name=v.get(NAME, ""),
            amounts=[v.get(TOTAL, ""), v.get(FISCAL, ""), v.get(SPECIAL_ACCOUNT, ""), v.get(OTHER, "")],
            goal=v.get(GOAL) or v.get(LONG_GOAL, ""),
            indicators="",
            source_page=self.page,
            source_row=self.row,
            department=v.get(DEPARTMENT) or None,
            budget_unit=v.get(BUDGET_UNIT) or None,
            indicator_items=self.items,
            multi_year_total=v.get(MULTI_YEAR_TOTAL) or None,
            execution=self.execution,
        )


def _labels(cells: list[str]) -> list[tuple[int, str | None, str]]:
    return [(i, *form_label(c)) for i, c in enumerate(cells)]


@dataclass
class FormCollector:
    """Collects the rows of every page that holds forms, page by page; ``rows`` has one per form."""

    forms: list[_Form] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _printed_rows: int = 0
    _pending: list[tuple[str, int]] = field(default_factory=list)  # labels waiting for the next row's value

    @property
    def rows(self) -> list[SourceRow]:
        return [f.source_row() for f in self.forms if f.values.get(NAME)]

    @property
    def open_grid_width(self) -> int:
        """The width of the last form's indicator grid once it has one (its rows may go on over the
        next page, without labels or title); 0 before."""
        form = self.forms[-1] if self.forms else None
        return form.grid_width if form is not None and form.grid_roles is not None else 0

    def add_page(self, page_number: int | None, body: list[list[str]], *, row_numbers: list[int] | None = None) -> None:
        """Add one page's rows; ``row_numbers``: each row's number in its source, else rows are counted."""
        first_on_page = True
        for index, cells in enumerate(body):
            if not any(c.strip() for c in cells):
                continue
            self._printed_rows = row_numbers[index] if row_numbers else self._printed_rows + 1
            self._add_row(cells, page_number, first_on_page)
            first_on_page = False

    def _add_row(self, cells: list[str], page: int | None, first_on_page: bool) -> None:
        labels = _labels(cells)
        starts_form = any(role == NAME for _, role, _ in labels)
        form = self.forms[-1] if self.forms else None
        if starts_form and (form is None or form.values.get(NAME)):
            form = _Form(page, self._printed_rows)
            self.forms.append(form)
            self._pending = []
        if form is None:
            return
        if is_indicator_header(cells):
            form.grid_roles, form.grid_width = column_roles([cells]), len(cells)
            self._pending = []
            return
        if self._budget_block(form, cells, labels):
            return
        if form.grid_roles is not None and not any(role for _, role, _ in labels):
            roles = form.grid_roles
            item = indicator_cells(
                lambda role: cells[roles[role]] if role in roles and roles[role] < len(cells) else "", roles
            )
            item.source_page, item.source_row = page, self._printed_rows
            add_indicator(form.items, item, rest_of_row_above=first_on_page)
            return
        self._read_labels(form, cells, labels)

    def _budget_block(self, form: _Form, cells: list[str], labels) -> bool:
        """A self-evaluation's budget block: the header naming 年初预算数 / 全年执行数 …, then the 年度资金总额
        row, read under those titles; the source rows under it (其中：财政拨款…) are its breakdown, not kept."""
        if form.grid_roles is not None:
            return False
        roles = column_roles([cells])
        if sum(r in roles for r in EXECUTION_ROLES) >= 2:
            form.budget_columns = roles
            return True
        if form.budget_columns is None or not any(role in AMOUNT_ROLES for _, role, _ in labels):
            return False
        if form.execution is None and any(role == TOTAL for _, role, _ in labels):
            cols = form.budget_columns
            get = lambda role: normalize_cell(cells[cols[role]]) if role in cols and cols[role] < len(cells) else ""  # noqa: E731
            form.execution = PrintedExecution(
                get(BUDGET_INITIAL), get(BUDGET_FULL_YEAR), get(EXECUTED), get(EXECUTION_RATE), get(SCORE)
            )
        return True

    def _read_labels(self, form: _Form, cells: list[str], labels) -> None:
        if self._pending and not any(role for _, role, _ in labels):
            for role, col in self._pending:  # values printed under their labels
                if col < len(cells) and normalize_cell(cells[col]):
                    form.values.setdefault(role, normalize_cell(cells[col]))
            self._pending = []
            return
        self._pending = []
        label_cols = {i for i, role, _ in labels if role}
        for i, role, inline in labels:
            if role is None or role in form.values:
                continue
            if inline:
                form.values[role] = inline
                continue
            value = next(
                (normalize_cell(c) for j, c in enumerate(cells) if j > i and normalize_cell(c)),
                "",
            )
            right = next((j for j, c in enumerate(cells) if j > i and normalize_cell(c)), None)
            if right is not None and right not in label_cols:
                form.values[role] = join_wrapped([value])
            else:
                self._pending.append((role, i))
