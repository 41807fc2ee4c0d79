"""Hand-made parsed reports for the dbt tests: small, but with every quirk the marts must handle.

Amounts are in 万元. Each report exercises something specific:

* REPORT_B (layout B, a city department): two fund-using units; the first declares 563.39 while
  its projects sum to 563.38 (rounded figures, within tolerance); a project funded from all three
  sources; coded indicators with a level-2 code in the level-1 slot, a legacy 14 成本指标, an
  unknown code, a repeated item number and a period/annual disagreement.
* REPORT_C (layout C, a district department): no amounts; uncoded categories, a level-2 name in
  the level-1 slot, a restarted numbering, an empty target and a prose target.
* REPORT_A (layout A, a district government office): declared 100.00 over projects summing to
  99.00 and a project whose sources miss its 总计 by 1.00 (beyond tolerance).
* REPORT_COUNTY (pdf, a county under a province, no projects) and REPORT_COMMUNITY (a city-level
  body whose name contains 社区, which is no district).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ingestion.model import Amounts, BudgetUnit, Indicator, ParsedReport, Project
from ingestion.raw_tables import QuarantineRecord
from tests.dbt.raw_reports import EXTRACTED_AT, write_raw_reports

SHA_B = "b" * 64
SHA_C = "c" * 64
SHA_A = "a" * 64
SHA_COUNTY = "d" * 64
SHA_COMMUNITY = "e" * 64


def _amounts(total=None, fiscal=None, special=None, other=None) -> Amounts:
    def dec(value):
        return None if value is None else Decimal(value)

    return Amounts(dec(total), dec(fiscal), dec(special), dec(other))


def _coded(seq, number, l1, l2, name, period, annual, page=1) -> Indicator:
    (c1, n1), (c2, n2) = l1, l2
    return Indicator(
        seq=seq,
        printed_number=number,
        level1_code=c1,
        level1_name=n1,
        level2_code=c2,
        level2_name=n2,
        name=name,
        period_target=period,
        annual_target=annual,
        source_page=page,
        raw_text=f"{number}、{c1}-{n1}；{c2}-{n2}；{name}；实施周期指标值:{period}；年度指标值:{annual}。",
    )


def _uncoded(seq, number, l1_name, name, annual, page=1) -> Indicator:
    return Indicator(
        seq=seq,
        printed_number=number,
        level1_code=None,
        level1_name=l1_name,
        level2_code=None,
        level2_name=None,
        name=name,
        period_target=None,
        annual_target=annual,
        source_page=page,
        raw_text=f"{number}、{l1_name}：{name}，年度指标值：{annual}。",
    )


REPORT_B = ParsedReport(
    source_file="2025/guangzhou/001_city.txt",
    file_sha256=SHA_B,
    layout="B",
    department_name="广州市工商业联合会",
    fiscal_year=2025,
    page_count=3,
    declared_total=_amounts("642.39", "638.39", "4.00", None),
    budget_units=[
        BudgetUnit("广州市工商业联合会", _amounts("563.39", "563.39"), 1, 2),
        BudgetUnit("广州市民营企业投诉中心", _amounts("79.00", "75.00", "4.00"), 2, 6),
    ],
    projects=[
        Project(
            name="工作经费",
            budget_unit="广州市工商业联合会",
            amounts=_amounts("500.00", "500.00"),
            goal="加强对外交流。",
            source_page=1,
            source_row=3,
            indicators=[
                _coded(
                    1,
                    "1",
                    ("1", "产出指标"),
                    ("11", "数量指标"),
                    "因公出国（境）次数",
                    "大于等于1批次",
                    "大于等于1批次",
                ),
                _coded(2, "2", ("21", "经济效益"), ("21", "经济效益"), "促进成果转化", "促进", "促进"),
                _coded(3, "3", ("1", "产出指标"), ("14", "成本指标"), "年度投入", "不超过500万元", "不超过500万元"),
                _coded(4, "3", ("9", "其他指标"), ("91", "其他"), "其他事项", "完成", "完成"),
            ],
        ),
        Project(
            name="购置经费",
            budget_unit="广州市工商业联合会",
            amounts=_amounts("63.38", "63.38"),
            goal="更新办公设备。",
            source_page=1,
            source_row=4,
            indicators=[
                _coded(1, "1", ("2", "效益指标"), ("22", "社会效益"), "举办活动", "≥10场次", "≥5场次"),
                _coded(2, "2", ("3", "满意度指标"), ("31", "服务对象满意度"), "满意度", "≥90%", "≥90%"),
            ],
        ),
        Project(
            name="业务用房服务管理费",
            budget_unit="广州市民营企业投诉中心",
            amounts=_amounts("79.00", "75.00", "4.00", None),  # 其他资金 printed empty: 0
            goal="保障运转。",
            source_page=2,
            source_row=7,
            indicators=[
                _coded(
                    1, "1", ("4", "成本指标"), ("41", "经济成本指标"), "年度投入", "不超79万元", "不超79万元", page=2
                ),
            ],
        ),
    ],
)

REPORT_C = ParsedReport(
    source_file="2025/huadu/002_district.txt",
    file_sha256=SHA_C,
    layout="C",
    department_name="广州市花都区工商业联合会",
    fiscal_year=2025,
    page_count=None,
    declared_total=Amounts(),
    budget_units=[],
    projects=[
        Project(
            name="慰问经费",
            budget_unit="广州市花都区工商业联合会",
            amounts=Amounts(),
            goal="慰问党员。",
            source_page=None,
            source_row=1,
            indicators=[
                _uncoded(1, "1", "产出指标", "慰问党员人数", "4人", page=None),
                _uncoded(2, "2", "社会效益", "充分发挥作用", "良好", page=None),
                _uncoded(3, "1", "满意度指标", "受益党员满意度", "", page=None),
            ],
        ),
    ],
)

REPORT_A = ParsedReport(
    source_file="2025/baiyun/003_office.txt",
    file_sha256=SHA_A,
    layout="A",
    department_name="广州市白云区人民政府办公室",
    fiscal_year=2025,
    page_count=1,
    declared_total=_amounts("100.00", "100.00"),
    budget_units=[BudgetUnit("广州市白云区人民政府办公室", _amounts("100.00", "100.00"), 1, 1)],
    projects=[
        Project(
            name="政府雇员工资经费",
            budget_unit="广州市白云区人民政府办公室",
            amounts=_amounts("99.00", "90.00", None, "8.00"),
            goal="保障工资发放。",
            source_page=1,
            source_row=2,
            amounts_inferred=True,
            indicators=[],
        ),
    ],
)

REPORT_COUNTY = ParsedReport(
    source_file="2025/liannan/county.pdf",
    file_sha256=SHA_COUNTY,
    layout="pdf",
    department_name="广东省连南瑶族自治县财政局",
    fiscal_year=2024,
    page_count=20,
    declared_total=Amounts(),
    budget_units=[],
    projects=[],
    warnings=["没有找到项目支出绩效目标表。"],
)

REPORT_COMMUNITY = ParsedReport(
    source_file="2025/guangzhou/community.txt",
    file_sha256=SHA_COMMUNITY,
    layout="B",
    department_name="广州市社区服务 中心",  # a stray space, as text extraction leaves them
    fiscal_year=2025,
    page_count=1,
    declared_total=Amounts(),
    budget_units=[],
    projects=[],
)

ALL_REPORTS = [REPORT_B, REPORT_C, REPORT_A, REPORT_COUNTY, REPORT_COMMUNITY]

QUARANTINED = QuarantineRecord(
    source_file="2025/broken/empty.pdf",
    file_sha256="f" * 64,
    reason="The PDF has no text layer: it is a scan.",
    quarantined_at=EXTRACTED_AT,
)


def write_raw_warehouse(path: Path) -> None:
    """Create a candidate DuckDB file at ``path`` holding the sample reports in schema raw."""
    write_raw_reports(path, ALL_REPORTS, [QUARANTINED])
