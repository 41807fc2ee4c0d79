"""Do a report's figures add up? The one reconciliation rule of the project.

Published figures are rounded to 0.01 万元, so a sum of n printed figures may drift from the
printed total by up to 0.005 per figure: the tolerance scales with the number of figures summed
(001's first unit: 563.39 declared, 563.38 summed over 13 projects, is rounding, not an error).

Everything that reconciles uses these checks and nothing else: the PDF reader's self-checks, the
loader (which writes them per report into raw.reconciliation_checks), the fct_reconciliation mart
(which only attaches keys to those rows) and both Great Expectations gates (which read them).

Amounts go through ``empty_cells_as_zero`` (an empty cell is 0 on a row that prints any amount);
a row that prints none (layout C) is not checked. Units are matched to their projects by name
without whitespace (text extraction leaves stray spaces inside names); two subtotal rows naming
the same unit are one unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ingestion.model import AMOUNT_COLUMNS, Amounts, ParsedReport
from ingestion.parse.amounts import empty_cells_as_zero

# The one definition of the rounding tolerance: 0.005 万元 per printed figure summed.
TOLERANCE_PER_FIGURE = Decimal("0.005")
# Keeps a difference of exactly n x 0.005 inside the tolerance.
_EPSILON = Decimal("0.000001")

CHECK_TYPES = (
    "report_total_vs_projects",
    "report_total_vs_budget_units",
    "budget_unit_subtotal_vs_projects",
    "project_total_vs_sources",
)


def tolerance_for(figures_summed: int) -> Decimal:
    return TOLERANCE_PER_FIGURE * figures_summed + _EPSILON


@dataclass(frozen=True)
class Check:
    check_type: str  # one of CHECK_TYPES
    subject: str  # the unit or project checked, or the department (else the file) for the 合计 row
    amount_column: str
    declared: Decimal
    computed: Decimal
    figures_summed: int
    source_page: int | None
    unit_seq: int | None = None  # budget_unit_subtotal_vs_projects: the unit's first subtotal row (1..n)
    project_seq: int | None = None  # project_total_vs_sources: the project (1..n in printed order)

    @property
    def difference(self) -> Decimal:
        return self.declared - self.computed

    @property
    def tolerance(self) -> Decimal:
        return tolerance_for(self.figures_summed)

    @property
    def is_within_tolerance(self) -> bool:
        return abs(self.difference) <= self.tolerance

    def describe(self) -> str:
        """One sentence a reader of the report can check against the printed table."""
        page = f" (page {self.source_page})" if self.source_page else ""
        column = _COLUMN_NAMES[self.amount_column]
        what = {
            "project_total_vs_sources": f"project {self.subject!r}{page}: 总计 {self.declared} vs "
            f"财政拨款 + 财政专户拨款 + 其他资金 {self.computed}",
            "budget_unit_subtotal_vs_projects": f"unit {self.subject!r}{page} {column}: subtotal {self.declared} "
            f"vs its {self.figures_summed} projects {self.computed}",
            "report_total_vs_projects": f"合计 {column}: {self.declared} vs its {self.figures_summed} projects "
            f"{self.computed}",
            "report_total_vs_budget_units": f"合计 {column}: {self.declared} vs its {self.figures_summed} unit "
            f"subtotals {self.computed}",
        }[self.check_type]
        return f"{what} (difference {self.difference}, tolerance {self.tolerance.normalize()})"


_COLUMN_NAMES = {"total": "总计", "fiscal": "财政拨款", "special_account": "财政专户拨款", "other": "其他资金"}


def _printed(a: Amounts) -> bool:
    return any(getattr(a, c) is not None for c in AMOUNT_COLUMNS)


def _sum(amounts: list[Amounts], column: str) -> Decimal:
    return sum((getattr(a, column) for a in amounts), Decimal(0))


def _unit_key(name: str) -> str:
    return "".join(name.split())


def reconcile(report: ParsedReport) -> list[Check]:
    checks: list[Check] = []
    # (project_seq, project, its amounts) of the projects that print amounts
    priced = [
        (seq, p, empty_cells_as_zero(p.amounts))
        for seq, p in enumerate(report.projects, start=1)
        if _printed(p.amounts)
    ]
    for seq, p, a in priced:
        sources = sum((getattr(a, c) for c in AMOUNT_COLUMNS[1:]), Decimal(0))
        checks.append(Check("project_total_vs_sources", p.name, "total", a.total, sources, 3, p.source_page, None, seq))

    # (unit_seq, unit, its declared amounts) of the subtotal rows that print amounts
    units = [
        (seq, u, empty_cells_as_zero(u.declared))
        for seq, u in enumerate(report.budget_units, start=1)
        if _printed(u.declared)
    ]
    by_name: dict[str, list] = {}
    for unit in units:
        by_name.setdefault(_unit_key(unit[1].name), []).append(unit)
    for key, rows in by_name.items():
        first_seq, first, _ = rows[0]
        members = [a for _, p, a in priced if _unit_key(p.budget_unit) == key]
        for c in AMOUNT_COLUMNS:
            checks.append(
                Check(
                    "budget_unit_subtotal_vs_projects",
                    first.name,
                    c,
                    _sum([a for _, _, a in rows], c),
                    _sum(members, c),
                    len(members),
                    first.source_page,
                    first_seq,
                )
            )

    if _printed(report.declared_total):
        declared_total = empty_cells_as_zero(report.declared_total)
        subject = report.department_name or report.source_file
        project_amounts = [a for _, _, a in priced]
        unit_amounts = [a for _, _, a in units]
        for c in AMOUNT_COLUMNS:
            declared = getattr(declared_total, c)
            checks.append(
                Check(
                    "report_total_vs_projects",
                    subject,
                    c,
                    declared,
                    _sum(project_amounts, c),
                    len(project_amounts),
                    None,
                )
            )
            if units:
                checks.append(
                    Check(
                        "report_total_vs_budget_units",
                        subject,
                        c,
                        declared,
                        _sum(unit_amounts, c),
                        len(unit_amounts),
                        None,
                    )
                )
    return checks


def mismatches(report: ParsedReport) -> list[Check]:
    return [c for c in reconcile(report) if not c.is_within_tolerance]
