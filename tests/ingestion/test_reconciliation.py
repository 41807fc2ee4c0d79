"""Sum checks on one report: rounding is tolerated in proportion to the figures summed."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from contract.settings import SAMPLES_DIR
from ingestion.reconciliation import mismatches, reconcile, rounding_tolerance_per_figure, tolerance_for
from ingestion.text.reader import read_text_report


def _read(name):
    return read_text_report(SAMPLES_DIR / name, source_file=name, file_sha256="0" * 64)


def test_tolerance_comes_from_the_dbt_variable():
    assert rounding_tolerance_per_figure() == Decimal("0.005")
    assert tolerance_for(13) == Decimal("0.065001")


def test_001_first_unit_is_rounding_not_an_error():
    report = _read("001_482cb6efc95f57e9.txt")
    unit_total = next(
        c
        for c in reconcile(report)
        if c.check_type == "budget_unit_subtotal_vs_projects"
        and c.subject == "广州市工商业联合会"
        and c.amount_column == "total"
    )
    assert (unit_total.declared, unit_total.computed, unit_total.figures_summed) == (
        Decimal("563.39"),
        Decimal("563.38"),
        13,
    )
    assert unit_total.is_within_tolerance
    assert mismatches(report) == []


def test_every_sample_reconciles_and_layout_c_has_nothing_to_check():
    for name in ("000_78a7ae6ba5b81e46.txt", "003_cdfe4f5fefb7849c.txt", "004_a302c5053bc31a53.txt"):
        assert mismatches(_read(name)) == [], name
    assert reconcile(_read("002_39e10e3528be362f.txt")) == []


def test_a_lost_project_is_flagged():
    report = _read("000_78a7ae6ba5b81e46.txt")
    report = replace(report, projects=report.projects[1:])  # 办公场地项目经费 14.00 missing
    bad = {(c.check_type, c.amount_column) for c in mismatches(report)}
    assert ("report_total_vs_projects", "total") in bad
    assert ("budget_unit_subtotal_vs_projects", "fiscal") in bad
