"""Two years of one department's target tables, as parsed, for the project-identity and history marts.

The 2024 table prints the names a little differently from 2025, as real ones do: 「2024年」 inside a name,
a stray space and a 「(重安排)」 tag. Between the years: 工作经费 rises 450.00 → 500.00, 购置经费 stays
63.38, 宣传经费 is dropped, 数字化平台建设 is added, and 会员培训专项经费 becomes 会员培训经费 (alike, but
not equal under the rule: an uncertain match). The 2025 table also prints 档案整理经费 and
档案整理经费(2025年) side by side: two projects of one report, which must keep two project ids.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ingestion.model import Amounts, BudgetUnit, Indicator, ParsedReport, Project
from tests.dbt.raw_reports import write_raw_reports

DEPARTMENT = "广州市工商业联合会"
UNIT = "广州市工商业联合会"


def _indicator(seq: int, name: str, annual: str) -> Indicator:
    return Indicator(
        seq=seq,
        printed_number=str(seq),
        level1_code="1",
        level1_name="产出指标",
        level2_code="11",
        level2_name="数量指标",
        name=name,
        period_target=annual,
        annual_target=annual,
        source_page=1,
        raw_text=f"{seq}、1-产出指标；11-数量指标；{name}；年度指标值:{annual}。",
    )


def _project(row: int, name: str, total: str, indicators: list[Indicator]) -> Project:
    amount = Decimal(total)
    return Project(
        name=name,
        budget_unit=UNIT,
        amounts=Amounts(amount, amount, Decimal(0), Decimal(0)),
        goal="保障运转。",
        indicators=indicators,
        source_page=1,
        source_row=row,
    )


def _report(year: int, sha: str, projects: list[Project]) -> ParsedReport:
    total = sum((p.amounts.total for p in projects), Decimal(0))
    return ParsedReport(
        source_file=f"{year}/gzgsl.txt",
        file_sha256=sha,
        layout="B",
        department_name=DEPARTMENT,
        fiscal_year=year,
        page_count=1,
        declared_total=Amounts(total, total, Decimal(0), Decimal(0)),
        budget_units=[BudgetUnit(UNIT, Amounts(total, total, Decimal(0), Decimal(0)), 1, 1)],
        projects=projects,
        fiscal_year_source="manifest",
    )


REPORT_2024 = _report(
    2024,
    "1" * 64,
    [
        _project(2, "2024年工作经费", "450.00", [_indicator(1, "因公出国（境）次数", "大于等于2批次")]),
        _project(3, "购置 经费(重安排)", "63.38", [_indicator(1, "购置设备数量", "10台")]),
        _project(4, "宣传经费", "20.00", [_indicator(1, "宣传次数", "5次")]),
        _project(5, "会员培训专项经费", "25.00", [_indicator(1, "培训人次", "100人次")]),
    ],
)

REPORT_2025 = _report(
    2025,
    "2" * 64,
    [
        _project(2, "工作经费", "500.00", [_indicator(1, "因公出国(境)次数", "大于等于1批次")]),
        _project(3, "购置经费", "63.38", [_indicator(1, "购置设备数量", "10 台")]),
        _project(4, "会员培训经费", "30.00", [_indicator(1, "培训人次", "120人次")]),
        _project(5, "数字化平台建设", "40.00", [_indicator(1, "上线系统", "1个")]),
        _project(6, "档案整理经费", "5.00", [_indicator(1, "整理卷数", "100卷")]),
        _project(7, "档案整理经费(2025年)", "6.00", [_indicator(1, "整理卷数", "200卷")]),
    ],
)


def write_two_year_warehouse(path: Path) -> None:
    """Create a candidate DuckDB file at ``path`` holding both years in schema raw."""
    write_raw_reports(path, (REPORT_2024, REPORT_2025))
