"""The per-report gate in front of the warehouse: real suites on the loader's own rows of real samples.

Each test reads a bundled sample with the text reader, changes what its defect needs, and asks
the gate exactly as the pipeline does (``report_gate_failures``).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from contract.settings import SAMPLES_DIR
from expectations.categories import CATEGORY_SEED, level1_codes
from expectations.report_gate import report_gate_failures
from ingestion.model import Amounts
from ingestion.text.reader import read_text_report

SAMPLE_000 = "000_78a7ae6ba5b81e46.txt"  # layout A, amounts and a 合计
SAMPLE_001 = "001_482cb6efc95f57e9.txt"  # layout B: 563.39 declared vs 563.38 summed (rounding)
SAMPLE_002 = "002_39e10e3528be362f.txt"  # layout C: no amounts at all


def _read(name: str):
    return read_text_report(SAMPLES_DIR / name, source_file=name, file_sha256=name[:3] * 21 + "0")


def _with_project(report, index: int, **changes):
    project = replace(report.projects[index], **changes)
    return replace(report, projects=[*report.projects[:index], project, *report.projects[index + 1 :]])


def test_every_sample_passes_and_the_verdict_is_cached(tmp_path):
    for name in (SAMPLE_000, SAMPLE_001, SAMPLE_002, "003_cdfe4f5fefb7849c.txt", "004_a302c5053bc31a53.txt"):
        assert report_gate_failures(_read(name), tmp_path) == [], name
    assert len(list(tmp_path.glob("*-gate-*.json"))) == 5


def test_rounding_passes_but_a_unit_subtotal_raised_by_10_quarantines_the_report():
    report = _read(SAMPLE_001)
    assert report_gate_failures(report, None) == []  # 563.39 declared vs 563.38 summed: rounding
    unit = report.budget_units[0]
    raised = replace(unit, declared=replace(unit.declared, total=unit.declared.total + 10))
    failures = report_gate_failures(replace(report, budget_units=[raised, *report.budget_units[1:]]), None)
    assert len(failures) == 1, failures
    assert failures[0].startswith(
        "Suite report_reconciliation: expect_column_values_to_be_in_set on column is_within_tolerance "
        f"(value_set={{True}}) failed on reconciliation of {SAMPLE_001}: 2 of "
    )
    # The unit's subtotal against its 13 projects, and the 合计 against the unit subtotals.
    assert "check_type='budget_unit_subtotal_vs_projects', amount_column='total'" in failures[0]
    assert "subtotal 573.39 vs its 13 projects 563.38" in failures[0]


def test_a_project_whose_total_is_not_its_sources_fails_naming_it():
    report = _read(SAMPLE_000)
    project = report.projects[0]
    broken = replace(project.amounts, fiscal=project.amounts.fiscal + Decimal("0.02"))
    failures = report_gate_failures(_with_project(report, 0, amounts=broken), None)
    assert len(failures) == 1, failures
    assert failures[0].startswith("Suite report_reconciliation:")
    assert (
        f"check_type='project_total_vs_sources', amount_column='total', description=\"project {project.name!r}"
        in (failures[0])
    )


def test_a_report_without_projects_fails():
    report = replace(_read(SAMPLE_002), projects=[])
    assert report_gate_failures(report, None) == [
        "Suite report_projects: expect_table_row_count_to_be_between (min_value=1) failed "
        f"on projects of {SAMPLE_002}: observed 0."
    ]


def test_an_empty_project_name_fails():
    failures = report_gate_failures(_with_project(_read(SAMPLE_002), 1, name="  "), None)
    assert failures == [
        "Suite report_projects: expect_column_values_to_not_match_regex on column "
        f"project_name (regex=^\\s*$) failed on projects of {SAMPLE_002}: 1 of 13 rows "
        "unexpected; e.g. [project_name='  ', project_seq=2]."
    ]


def test_a_negative_amount_fails():
    report = _read(SAMPLE_000)
    project = report.projects[0]
    total = project.amounts.total
    # Sources still add up to the total: only the sign is wrong.
    negative = Amounts(total, total + 20, Decimal("0.00"), Decimal("-20.00"))
    failures = report_gate_failures(_with_project(report, 0, amounts=negative), None)
    assert [f.split(" failed")[0] for f in failures] == [
        "Suite report_projects: expect_column_values_to_be_between on column other (min_value=0.0)",
        "Suite report_reconciliation: expect_column_values_to_be_in_set on column is_within_tolerance "
        "(value_set={True})",
    ]
    assert "e.g. [other=-20.0, project_seq=1]" in failures[0]


def test_a_duplicate_indicator_seq_fails():
    report = _read(SAMPLE_002)
    project = report.projects[0]
    indicators = [project.indicators[0], replace(project.indicators[1], seq=project.indicators[0].seq)]
    failures = report_gate_failures(_with_project(report, 0, indicators=[*indicators, *project.indicators[2:]]), None)
    assert len(failures) == 1, failures
    assert failures[0].startswith(
        "Suite report_indicators: expect_compound_columns_to_be_unique (column_list=['project_seq', "
        f"'indicator_seq']) failed on indicators of {SAMPLE_002}: 2 of "
    )


def test_an_empty_indicator_text_fails():
    report = _read(SAMPLE_002)
    project = report.projects[0]
    emptied = [replace(project.indicators[0], raw_text=""), *project.indicators[1:]]
    failures = report_gate_failures(_with_project(report, 0, indicators=emptied), None)
    assert len(failures) == 1, failures
    assert failures[0].startswith(
        "Suite report_indicators: expect_column_values_to_not_match_regex on column raw_text (regex=^\\s*$) "
        f"failed on indicators of {SAMPLE_002}: 1 of "
    )
    assert "e.g. [raw_text='', project_seq=1, indicator_seq=1]" in failures[0]


def test_committed_seed_defines_four_level1_codes():
    assert level1_codes(CATEGORY_SEED) == ["1", "2", "3", "4"]
