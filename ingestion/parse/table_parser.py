"""The one parser every reader shares: ``SourceRow`` cells -> ``ParsedReport``.

Readers (text layouts A/B/C, PDF tables) only cut their input into cells. Everything that gives
the cells a meaning happens here, once, so a report reads the same whichever form it came in:

* repeated column-title rows (one per page in most extracts) and column-number rows are dropped;
* the 合计 / 总计 row is the department total (``ParsedReport.declared_total``);
* a row with amounts but no goal and no indicators is a fund-using unit's subtotal row; the
  projects after it belong to that unit (a reader that prints the unit in a cell of each row,
  layout C, gives it in ``SourceRow.budget_unit`` instead);
* a row with neither name nor amounts continues the project above (a row split across a PDF page):
  its goal and indicator text are appended to that project's;
* amounts become Decimal (empty cell = 0 when the row prints amounts), indicators are parsed.

Anything doubtful is kept as printed and reported in ``ParsedReport.warnings``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ingestion.model import (
    Amounts,
    BudgetUnit,
    IndicatorCells,
    ParsedReport,
    Project,
    ReportRejected,
    SourceRow,
)
from ingestion.parse.amount_units import WAN, cell_in_wan
from ingestion.parse.amounts import (
    AmountError,
    amounts_from_cells,
    format_amounts,
    parse_amount,
    row_prints_amounts,
    sources_mismatch,
)
from ingestion.parse.execution import parse_execution
from ingestion.parse.indicator_cells import indicators_from_cells
from ingestion.parse.indicators import is_unparsed, parse_indicator_fragments
from ingestion.parse.normalize import join_wrapped, normalize_cell
from ingestion.vocabulary import TABLE_TITLE, is_column_number_row, is_header_text, is_total_name

NO_PROJECT_ROWS = f"{TABLE_TITLE} header found but no project rows"


@dataclass
class _Draft:
    first: SourceRow
    name: str
    budget_unit: str
    amounts: Amounts
    amounts_inferred: bool
    goal_parts: list[str] = field(default_factory=list)
    indicator_fragments: list[tuple[str, int | None]] = field(default_factory=list)
    indicator_items: list[IndicatorCells] | None = None  # indicators read from their own columns


def _is_title_row(row: SourceRow) -> bool:
    cells = [row.name, *(row.amounts or []), row.goal, row.indicators]
    if is_header_text(" ".join(c for c in cells if c)):
        return True
    return is_column_number_row(cells)


def _where(row: SourceRow) -> str:
    page = f"page {row.source_page}, " if row.source_page is not None else ""
    return f"{page}row {row.source_row}"


def _amounts(row: SourceRow, label: str, warnings: list[str], unit: str | None = None) -> tuple[Amounts, bool]:
    """The row's amounts in 万元 (converted from ``unit`` or a cell's own) and whether columns were assigned by position."""
    if row.amounts is None or not row_prints_amounts(row.amounts):
        return Amounts(), False
    cells = [cell_in_wan(c, unit)[0] for c in row.amounts]
    inferred = not row.amount_positions_known
    if len(cells) > 4:
        warnings.append(f"{_where(row)} {label}: {len(cells)} amounts printed, only the first 4 kept")
        cells = cells[:4]
    try:
        amounts = amounts_from_cells(cells, positions_known=not inferred)
    except AmountError as exc:
        warnings.append(f"{_where(row)} {label}: {exc}; that cell read as empty")
        kept = []
        for c in cells:
            try:
                amounts_from_cells([c], positions_known=True)
                kept.append(c)
            except AmountError:
                kept.append("")
        amounts = amounts_from_cells(kept, positions_known=not inferred)
    diff = sources_mismatch(amounts)
    if diff is not None:
        how = " (columns assigned by position: empty cells were not printed)" if inferred else ""
        warnings.append(
            f"{_where(row)} {label}: 财政拨款 + 财政专户拨款 + 其他资金 differ from 总计 by {diff} "
            f"[{format_amounts(amounts)}]{how}; kept as printed"
        )
    return amounts, inferred


def build_report(
    rows: list[SourceRow],
    *,
    source_file: str,
    file_sha256: str,
    layout: str,
    department_name: str | None,
    page_count: int | None,
    amount_unit: str | None = None,
) -> ParsedReport:
    """Interpret the rows of one 项目支出绩效目标表; raise ReportRejected when no project row is found.

    ``amount_unit``: the unit the table states ("元", "万元"...; None: 万元); amounts are converted
    to 万元 exactly, and each project keeps its cells as printed with the unit they were read in.
    """
    warnings: list[str] = []
    declared_total = Amounts()
    total_row: SourceRow | None = None
    units: dict[str, BudgetUnit] = {}
    drafts: list[_Draft] = []
    current_unit: str | None = None

    if department_name is None:
        department_name = next((normalize_cell(r.department) for r in rows if r.department), None) or None

    def unit_named(name: str, row: SourceRow) -> None:
        if name not in units:
            units[name] = BudgetUnit(
                name=name, declared=Amounts(), source_page=row.source_page, source_row=row.source_row
            )

    for row in rows:
        if _is_title_row(row):
            continue
        name = normalize_cell(row.name)
        goal = normalize_cell(row.goal)
        has_indicators = bool(normalize_cell(row.indicators)) or bool(row.indicator_items)
        prints_amounts = row_prints_amounts(row.amounts)

        if not name and not prints_amounts:
            if not goal and not has_indicators:
                continue  # an empty row
            if drafts:
                # The rest of the project above, carried over to the next page.
                drafts[-1].goal_parts.append(goal)
                drafts[-1].indicator_fragments.append((row.indicators, row.source_page))
            else:
                warnings.append(f"{_where(row)}: goal/indicator text before any project ignored")
            continue

        if is_total_name(name):
            if total_row is not None:
                warnings.append(f"{_where(row)}: a second 合计 row ignored (first at row {total_row.source_row})")
                continue
            declared_total, _ = _amounts(row, "合计", warnings, amount_unit)
            total_row = row
            continue

        unit_cell = normalize_cell(row.budget_unit) if row.budget_unit else ""
        if not unit_cell and prints_amounts and not goal and not has_indicators:
            amounts, _ = _amounts(row, name, warnings, amount_unit)
            if name in units:
                warnings.append(f"{_where(row)}: fund-using unit {name} printed twice; the later subtotal kept")
            units[name] = BudgetUnit(
                name=name, declared=amounts, source_page=row.source_page, source_row=row.source_row
            )
            current_unit = name
            continue

        if unit_cell:
            budget_unit = unit_cell
        elif current_unit is not None:
            budget_unit = current_unit
        else:
            budget_unit = department_name or ""
            if not any(d.budget_unit == budget_unit for d in drafts):
                warnings.append(
                    f"{_where(row)}: project before any fund-using unit row; assigned to "
                    f"{budget_unit or 'an unnamed unit'}"
                )
        unit_named(budget_unit, row)
        if not name:
            warnings.append(f"{_where(row)}: project row without a name")
        amounts, inferred = _amounts(row, name, warnings, amount_unit)
        drafts.append(
            _Draft(
                first=row,
                name=name,
                budget_unit=budget_unit,
                amounts=amounts,
                amounts_inferred=inferred,
                goal_parts=[goal],
                indicator_fragments=[(row.indicators, row.source_page)],
                indicator_items=row.indicator_items,
            )
        )

    if not drafts:
        raise ReportRejected(NO_PROJECT_ROWS)

    projects = [_finish(d, warnings, amount_unit) for d in drafts]
    return ParsedReport(
        source_file=source_file,
        file_sha256=file_sha256,
        layout=layout,
        department_name=department_name,
        fiscal_year=None,
        page_count=page_count,
        declared_total=declared_total,
        budget_units=list(units.values()),
        projects=projects,
        warnings=warnings,
        amount_unit=amount_unit or WAN,
    )


def _finish(draft: _Draft, warnings: list[str], amount_unit: str | None) -> Project:
    if draft.indicator_items is not None:
        indicators = indicators_from_cells(draft.indicator_items)
    else:
        indicators = parse_indicator_fragments(draft.indicator_fragments)
    for indicator in indicators:
        if draft.indicator_items is None and is_unparsed(indicator):
            warnings.append(
                f"{_where(draft.first)} {draft.name}: indicator text not in the numbered form, kept raw: "
                f"{indicator.raw_text[:40]!r}"
            )
    return Project(
        name=draft.name,
        budget_unit=draft.budget_unit,
        amounts=draft.amounts,
        goal=join_wrapped(draft.goal_parts),
        indicators=indicators,
        source_page=draft.first.source_page,
        source_row=draft.first.source_row,
        amounts_inferred=draft.amounts_inferred,
        printed_amounts=list(draft.first.amounts) if row_prints_amounts(draft.first.amounts) else None,
        amount_unit=_printed_unit(draft.first.amounts, amount_unit),
        multi_year_total=_multi_year_total(draft, warnings, amount_unit),
        execution=parse_execution(
            draft.first.execution, unit=amount_unit, label=f"{_where(draft.first)} {draft.name}", warnings=warnings
        ),
    )


def _multi_year_total(draft: _Draft, warnings: list[str], amount_unit: str | None) -> Decimal | None:
    printed = draft.first.multi_year_total
    if not printed:
        return None
    try:
        return parse_amount(cell_in_wan(printed, amount_unit)[0])
    except AmountError:
        warnings.append(f"{_where(draft.first)} {draft.name}: project total not an amount, ignored: {printed!r}")
        return None


def _printed_unit(cells: list[str] | None, table_unit: str | None) -> str | None:
    """The unit the row's amounts were printed in: a cell's own, else the table's (万元 when unstated)."""
    if not row_prints_amounts(cells):
        return None
    units = {cell_in_wan(c, table_unit)[1] for c in cells if c and c.strip()}
    units.discard(None)
    return units.pop() if len(units) == 1 else (table_unit or WAN)
