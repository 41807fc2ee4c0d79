"""Arithmetic checks that catch a mis-read PDF page (a lost row, a number read into the wrong cell).

They only warn: published figures are rounded, and a real report can be inconsistent. Tolerance is
0.005 万元 per figure summed (each printed figure is rounded to 0.01).
"""

from __future__ import annotations

from decimal import Decimal

from ingestion.model import Amounts, ParsedReport

_ROUNDING = Decimal("0.005")
_FIELDS = ("total", "fiscal", "special_account", "other")


def _sum(values) -> Decimal:
    return sum((v or Decimal(0) for v in values), Decimal(0))


def _has_any(a: Amounts) -> bool:
    return any(getattr(a, f) is not None for f in _FIELDS)


def sum_warnings(report: ParsedReport) -> list[str]:
    """Warnings for totals that do not add up, beyond rounding tolerance."""
    out: list[str] = []
    for p in report.projects:
        a = p.amounts
        if a.total is None or not _has_any(a):
            continue
        parts = _sum([a.fiscal, a.special_account, a.other])
        if abs(a.total - parts) > _ROUNDING * 3:
            out.append(f"project {p.name!r} (page {p.source_page}): 总计 {a.total} != "
                       f"财政拨款+财政专户拨款+其他资金 {parts}")
    for unit in report.budget_units:
        if not _has_any(unit.declared):
            continue
        projects = [p for p in report.projects if p.budget_unit == unit.name]
        for f in _FIELDS:
            declared = getattr(unit.declared, f)
            if declared is None and f != "total":
                declared = Decimal(0)
            if declared is None:
                continue
            got = _sum(getattr(p.amounts, f) for p in projects)
            if abs(declared - got) > _ROUNDING * max(len(projects), 1):
                out.append(f"unit {unit.name!r} (page {unit.source_page}): declared {f} {declared} "
                           f"!= sum of its {len(projects)} projects {got}")
    total = report.declared_total
    if _has_any(total) and report.budget_units:
        units = [u for u in report.budget_units if _has_any(u.declared)]
        for f in _FIELDS:
            declared = getattr(total, f) or Decimal(0)
            if units:
                got, n = _sum(getattr(u.declared, f) for u in units), len(units)
            else:
                got, n = _sum(getattr(p.amounts, f) for p in report.projects), len(report.projects)
            if abs(declared - got) > _ROUNDING * max(n, 1):
                out.append(f"合计 {f} {declared} != sum of {'unit subtotals' if units else 'projects'} {got}")
    return out
