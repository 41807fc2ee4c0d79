"""The data contract between the readers of each layout, the shared table parser and the loader.

Every reader (text layouts A/B/C, PDF tables) turns its input into ``SourceRow`` cells; one shared
parser (``ingestion.parse.table_parser``) turns those cells into a ``ParsedReport``. The loader writes a
``ParsedReport`` into the raw tables that dbt stages. Nothing downstream knows which layout a row
came from except through ``ParsedReport.layout``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# What a report is: a target table (项目支出绩效目标表), or a self-evaluation (项目支出绩效自评表).
TARGETS_KIND = "targets"
SELF_EVALUATION_KIND = "self_evaluation"
# Column order of the amount cells, as printed in the table (总计 = 财政拨款 + 财政专户拨款 + 其他资金).
AMOUNT_COLUMNS: tuple[str, ...] = ("total", "fiscal", "special_account", "other")


class ReportRejected(Exception):
    """A report that cannot be read. ``reason`` is one specific sentence a user can act on."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ReportTooSlow(ReportRejected):
    """A report that took longer than its time limit: no other engine may retry it (the time is spent)."""


@dataclass
class SourceRow:
    """One row of the target table as a reader sees it, before any interpretation.

    ``amounts`` holds the raw text of the amount cells in ``AMOUNT_COLUMNS`` order. A reader that
    knows the column of every cell (tab-separated text, PDF tables) gives four entries, "" for an
    empty cell. A reader that lost the empty cells (wrapped text, layout A) gives only the printed
    numbers, in order, and sets ``amount_positions_known`` to False. ``amounts`` is None when the
    layout has no amount columns at all (layout C).
    """

    name: str
    amounts: list[str] | None
    goal: str
    indicators: str
    source_page: int | None
    source_row: int
    amount_positions_known: bool = True
    department: str | None = None  # 主管部门 cell, where the layout prints one (layout C)
    budget_unit: str | None = None  # 预算单位 cell, where the layout prints one (layout C)
    # The project's indicators read from their own columns (a table printing one row per indicator);
    # None when they are numbered text in ``indicators`` (one row per project).
    indicator_items: list[IndicatorCells] | None = None
    multi_year_total: str | None = None  # a form's whole-project amount (项目总额), as printed
    # A self-evaluation's budget and execution cells (年初预算数, 全年预算数, 全年执行数, 执行率) as printed.
    execution: PrintedExecution | None = None


@dataclass
class PrintedExecution:
    """A self-evaluation's project budget and what was spent, as printed ("" for a cell printed empty)."""

    budget_initial: str = ""
    budget_full_year: str = ""
    executed: str = ""
    execution_rate: str = ""
    score: str = ""  # the project's 得分 (forms print it beside the budget)


@dataclass
class Execution:
    """A self-evaluation's project budget and spending in 万元; the execution rate in percent, as printed."""

    printed: PrintedExecution
    budget_initial: Decimal | None = None
    budget_full_year: Decimal | None = None
    executed: Decimal | None = None
    execution_rate: Decimal | None = None
    score: Decimal | None = None


@dataclass
class IndicatorCells:
    """One indicator as a table printing one row per indicator gives it: the text of its cells.

    Level cells merged down over several rows (or printed only on the first one) are already filled
    in by the shape reader. ``comparator`` / ``value`` / ``unit`` are the 预算管理一体化 export's own
    columns (指标性质 ≥/=/≤, 指标值, 度量单位); other tables print the whole target in ``annual``.
    """

    level1: str = ""
    level2: str = ""
    level3: str = ""
    period: str = ""  # 实施周期指标值 / 指标值(长期)
    annual: str = ""  # 年度指标值 / 指标值(年度) / 指标值
    comparator: str = ""
    unit: str = ""
    weight: str = ""
    direction: str = ""
    source_page: int | None = None
    source_row: int | None = None
    # A self-evaluation's columns; None where the table prints no such column (a target table).
    actual: str | None = None  # 实际完成值
    score_weight: str | None = None  # 分值
    score: str | None = None  # 得分
    deviation_reason: str | None = None  # 偏差原因分析及改进措施


@dataclass
class Amounts:
    """The four funding figures of a row, in 万元. None where the report prints no amounts."""

    total: Decimal | None = None
    fiscal: Decimal | None = None
    special_account: Decimal | None = None
    other: Decimal | None = None


@dataclass
class Indicator:
    seq: int  # 1..n within its project, in printed order: the stable identity of the indicator
    printed_number: str | None  # the number as printed ("1"), which may repeat or restart
    level1_code: str | None  # as printed ("1"), None when uncoded
    level1_name: str | None  # as printed ("产出指标")
    level2_code: str | None
    level2_name: str | None
    name: str | None  # the level-3 indicator; None when the report omits it
    period_target: str | None  # 实施周期指标值, None when the layout has none
    annual_target: str | None  # 年度指标值; "" when printed empty
    source_page: int | None
    raw_text: str  # the whole item as printed (normalized whitespace), for audit
    source_row: int | None = None  # the table row it was printed on, where it has a row of its own
    weight: str | None = None  # 权重, where the table prints it
    direction: str | None = None  # 指标方向性 (正向/反向...), where the table prints it
    comparator: str | None = None  # 指标性质 (≥ = ≤), where the table prints it in its own column
    target_unit: str | None = None  # 度量单位, where the table prints it in its own column
    # Read from a numbered 绩效指标 text cell ("1、1-产出指标；…"), where the numbering can be checked.
    numbered_text: bool = False
    # A self-evaluation's result columns (None in a target table, "" for a cell printed empty).
    actual_value: str | None = None  # 实际完成值
    score_weight: str | None = None  # 分值
    score: str | None = None  # 得分
    deviation_reason: str | None = None  # 偏差原因分析及改进措施


@dataclass
class Project:
    name: str
    budget_unit: str  # the fund-using unit (资金使用单位 / 预算单位) it belongs to
    amounts: Amounts
    goal: str
    indicators: list[Indicator]
    source_page: int | None
    source_row: int
    amounts_inferred: bool = False  # amount columns assigned by position rule, not read from cells
    printed_amounts: list[str] | None = None  # the amount cells as printed, before conversion to 万元
    amount_unit: str | None = None  # the unit they were printed in ("万元", "元"...); amounts are 万元
    multi_year_total: Decimal | None = None  # the whole project's amount over its years, in 万元 (forms)
    execution: Execution | None = None  # a self-evaluation's budget and spending; None in a target table


@dataclass
class BudgetUnit:
    """A fund-using unit with the subtotal the report declares for it (None when not printed)."""

    name: str
    declared: Amounts
    source_page: int | None
    source_row: int | None


@dataclass
class ParsedReport:
    source_file: str  # path relative to the inbox
    file_sha256: str
    layout: str  # "A", "B", "C" (text), "pdf", or the grid formats "xlsx", "xls", "html", "docx"
    department_name: str | None
    fiscal_year: int | None
    page_count: int | None
    declared_total: Amounts  # the 合计 row; all None when not printed
    budget_units: list[BudgetUnit]
    projects: list[Project]
    warnings: list[str] = field(default_factory=list)
    amount_unit: str | None = None  # the unit the table states (万元 when it states none); amounts are 万元
    fiscal_year_source: str | None = None  # "document" (printed in the title), "manifest", "file name", "folder name"
    pdf_engine: str | None = None  # PDFs: which engine's reading this is, "pdfium" or "pdfplumber"
    pdf_engine_reason: str | None = None  # PDFs read by pdfplumber: why the PDFium reading was not used
    # Spreadsheets, web pages, Word documents: the names of the file's parts (sheets, "table 2") in
    # order; a row's source_page is its part's position (1-based) in this list. None for other formats.
    source_parts: list[str] | None = None

    @property
    def report_kind(self) -> str:
        """'self_evaluation' when the table prints results (实际完成值) or spending (全年执行数), else 'targets'."""
        evaluated = any(p.execution is not None for p in self.projects) or any(
            i.actual_value is not None for p in self.projects for i in p.indicators
        )
        return SELF_EVALUATION_KIND if evaluated else TARGETS_KIND
