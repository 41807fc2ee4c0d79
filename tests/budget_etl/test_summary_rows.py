"""The per-report table after a refresh stays readable at scale: at most SUMMARY_ROWS rows, the reports this
version changed first, then those with warnings, and a line saying how many more there are."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from budget_etl.cli import status
from budget_etl.i18n import speaking
from budget_etl.summary import ReportFigures, WarehouseSummary


def _summary(reports: int, *, changed: set[str] = frozenset(), warnings: set[str] = frozenset()) -> WarehouseSummary:
    names = [f"report_{i:04d}.pdf" for i in range(reports)]
    figures = [
        ReportFigures(n, "某局", "pdf", 2025, 3, 9, None, Decimal("1.00"), warning_count=int(n in warnings))
        for n in names
    ]
    return WarehouseSummary(
        Path("w.duckdb"), {}, reports, 3 * reports, 9 * reports, Decimal(reports), figures, [], frozenset(changed)
    )


def test_a_small_warehouse_lists_every_report():
    summary = _summary(status.SUMMARY_ROWS)
    assert status.shown_reports(summary) == summary.per_report


def test_a_large_one_lists_changed_reports_then_warnings_in_file_order():
    summary = _summary(1000, changed={"report_0900.pdf", "report_0500.pdf"}, warnings={"report_0700.pdf"})
    shown = [r.source_file for r in status.shown_reports(summary, limit=4)]
    assert shown == ["report_0000.pdf", "report_0500.pdf", "report_0700.pdf", "report_0900.pdf"]


def test_the_hidden_reports_are_counted_under_the_table(capsys):
    with speaking("en"):
        status.print_summary(_summary(100, changed={"report_0042.pdf"}), title="t")
    printed = capsys.readouterr().out
    assert "70 more reports not listed" in printed
    assert "report_0042.pdf" in printed and "report_0099.pdf" not in printed
    assert "100 reports, 300 projects, 900 indicators" in printed
