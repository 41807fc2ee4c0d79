"""Sum checks on one report: rounding is tolerated in proportion to the figures summed."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from contract.settings import DBT_PROJECT_DIR, SAMPLES_DIR
from ingestion.reconciliation import TOLERANCE_PER_FIGURE, mismatches, reconcile, tolerance_for
from ingestion.text.reader import read_text_report


def _read(name):
    return read_text_report(SAMPLES_DIR / name, source_file=name, file_sha256="0" * 64)


def test_tolerance_is_half_a_cent_per_figure_summed():
    assert Decimal("0.005") == TOLERANCE_PER_FIGURE
    assert tolerance_for(13) == Decimal("0.065001")


def test_the_dbt_project_defines_no_tolerance_of_its_own():
    project = (DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8")
    models = "\n".join(p.read_text(encoding="utf-8") for p in (DBT_PROJECT_DIR / "models").rglob("*.sql"))
    assert "tolerance" not in project
    assert "0.005" not in models and "abs(" not in models.lower()


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


def test_units_are_matched_by_name_without_spaces_and_repeated_subtotal_rows_are_one_unit():
    report = _read("001_482cb6efc95f57e9.txt")
    first = report.budget_units[0]
    spaced = replace(first, name=" ".join(first.name))  # 广 州 市 ...: stray spaces of text extraction
    half = replace(first.declared, total=first.declared.total / 2, fiscal=first.declared.fiscal / 2)
    report = replace(report, budget_units=[replace(spaced, declared=half), replace(first, declared=half)])
    units = [c for c in reconcile(report) if c.check_type == "budget_unit_subtotal_vs_projects"]
    assert {c.unit_seq for c in units} == {1}
    total = next(c for c in units if c.amount_column == "total")
    assert (total.declared, total.figures_summed, total.is_within_tolerance) == (first.declared.total, 13, True)


def test_checks_name_the_project_and_unit_rows_they_check():
    report = _read("000_78a7ae6ba5b81e46.txt")
    checks = reconcile(report)
    projects = [c for c in checks if c.check_type == "project_total_vs_sources"]
    assert [c.project_seq for c in projects] == list(range(1, len(report.projects) + 1))
    assert all(c.unit_seq is None for c in projects)
    assert all(c.project_seq is None for c in checks if c.check_type != "project_total_vs_sources")
