"""The per-report gate in front of the warehouse: real suites, on the loader's own rows."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from contract.settings import SAMPLES_DIR
from expectations.report_gate import report_gate_failures
from ingestion.model import Amounts
from ingestion.text.reader import read_text_report


def _sample():
    path = SAMPLES_DIR / "000_78a7ae6ba5b81e46.txt"
    return read_text_report(path, source_file=path.name, file_sha256="f" * 64)


def test_a_sample_report_passes_and_the_verdict_is_cached(tmp_path):
    report = _sample()
    assert report_gate_failures(report, tmp_path) == []
    assert len(list(tmp_path.glob("*-gate-*.json"))) == 1


def test_a_report_whose_total_disagrees_with_its_sources_fails(tmp_path):
    report = _sample()
    broken = report.projects[0]
    broken = replace(broken, amounts=Amounts(Decimal("14.00"), Decimal("-3.00"), None, None))
    report = replace(report, projects=[broken, *report.projects[1:]])
    failures = report_gate_failures(report, None)
    assert failures and any("fiscal_amount" in f or "total" in f for f in failures), failures


def test_rounding_passes_but_a_real_mismatch_quarantines_the_report(tmp_path):
    path = SAMPLES_DIR / "001_482cb6efc95f57e9.txt"
    report = read_text_report(path, source_file=path.name, file_sha256="e" * 64)
    assert report_gate_failures(report, None) == []  # 563.39 declared vs 563.38 summed: rounding
    unit = report.budget_units[0]
    inflated = replace(unit, declared=replace(unit.declared, total=Decimal("573.39"), fiscal=Decimal("573.39")))
    report = replace(report, budget_units=[inflated, *report.budget_units[1:]])
    failures = report_gate_failures(report, None)
    assert len(failures) == 1 and "report_reconciliation" in failures[0], failures
    assert "budget_unit_subtotal_vs_projects" in failures[0]
