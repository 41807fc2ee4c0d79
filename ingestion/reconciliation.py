"""Do a report's figures add up? The same checks as the fct_reconciliation mart, on one report.

Published figures are rounded to 0.01 万元, so a sum of n printed figures may drift from the
printed total by up to 0.005 per figure: the tolerance scales with the number of figures summed
(001's first unit: 563.39 declared, 563.38 summed over 13 projects, is rounding, not an error).
The per-figure tolerance is a dbt variable (dbt_project.yml: ``rounding_tolerance_per_figure``),
read here so that the mart, the per-report gate and the PDF reader's self-checks share one rule.

An empty amount cell is 0 on a row that prints any amount; a row that prints none (layout C) is
not checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from ingestion.model import AMOUNT_COLUMNS, Amounts, ParsedReport

_DBT_PROJECT_FILE = Path(__file__).resolve().parents[1] / "dbt_project" / "dbt_project.yml"
_EPSILON = Decimal("0.000001")


@lru_cache(maxsize=1)
def rounding_tolerance_per_figure() -> Decimal:
    import yaml  # dbt's own dependency

    config = yaml.safe_load(_DBT_PROJECT_FILE.read_text(encoding="utf-8"))
    return Decimal(str(config["vars"]["rounding_tolerance_per_figure"]))


def tolerance_for(figures_summed: int) -> Decimal:
    return rounding_tolerance_per_figure() * figures_summed + _EPSILON


@dataclass(frozen=True)
class Check:
    check_type: str  # as in fct_reconciliation.check_type
    subject: str  # the unit or project checked, or the department for the 合计 row
    amount_column: str
    declared: Decimal
    computed: Decimal
    figures_summed: int
    source_page: int | None

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


def _value(a: Amounts, column: str) -> Decimal:
    return getattr(a, column) or Decimal(0)


def reconcile(report: ParsedReport) -> list[Check]:
    checks: list[Check] = []
    priced = [p for p in report.projects if _printed(p.amounts)]
    for p in priced:
        sources = sum((_value(p.amounts, c) for c in AMOUNT_COLUMNS[1:]), Decimal(0))
        checks.append(
            Check("project_total_vs_sources", p.name, "total", _value(p.amounts, "total"), sources, 3, p.source_page)
        )
    units = [u for u in report.budget_units if _printed(u.declared)]
    for u in units:
        members = [p for p in priced if p.budget_unit == u.name]
        for c in AMOUNT_COLUMNS:
            checks.append(
                Check(
                    "budget_unit_subtotal_vs_projects",
                    u.name,
                    c,
                    _value(u.declared, c),
                    sum((_value(p.amounts, c) for p in members), Decimal(0)),
                    len(members),
                    u.source_page,
                )
            )
    if _printed(report.declared_total):
        subject = report.department_name or report.source_file
        for c in AMOUNT_COLUMNS:
            declared = _value(report.declared_total, c)
            checks.append(
                Check(
                    "report_total_vs_projects",
                    subject,
                    c,
                    declared,
                    sum((_value(p.amounts, c) for p in priced), Decimal(0)),
                    len(priced),
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
                        sum((_value(u.declared, c) for u in units), Decimal(0)),
                        len(units),
                        None,
                    )
                )
    return checks


def mismatches(report: ParsedReport) -> list[Check]:
    return [c for c in reconcile(report) if not c.is_within_tolerance]
