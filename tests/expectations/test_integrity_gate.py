"""The per-report gate checks the table against itself: a cell read in part fails it, naming the check.

The damage of issue 17: an item's number lost with the damaged bytes ("、1-产出指标；11-数量指标…"),
so that its text joins the item before it, the amounts still reconcile and only the numbering shows
that indicators are missing. The damaged report is read through the real text reader.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from contract.settings import SAMPLES_DIR
from expectations.report_gate import integrity_frame, report_gate_failures
from ingestion.text.reader import read_text_report

SAMPLE = "001_482cb6efc95f57e9.txt"  # layout B, numbered indicator cells


def _read_text(path):
    return read_text_report(path, source_file=path.name, file_sha256=hashlib.sha256(path.read_bytes()).hexdigest())


def _damaged_copy(tmp_path, old: str, new: str):
    text = (SAMPLES_DIR / SAMPLE).read_text(encoding="utf-8")
    assert text.count(old) >= 1
    path = tmp_path / SAMPLE
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_sample_passes_every_integrity_check():
    frame = integrity_frame(_read_text(SAMPLES_DIR / SAMPLE))
    assert len(frame) == 17 * 3 + 1  # three checks for each of its 17 projects, one for its units
    assert frame["passed"].all()


def test_a_cell_whose_item_number_was_lost_fails_the_gate(tmp_path):
    original = _read_text(SAMPLES_DIR / SAMPLE)
    damaged = _read_text(_damaged_copy(tmp_path, "10场次。2、1-产出指标", "10场次。、1-产出指标"))
    assert sum(map(len, (p.indicators for p in damaged.projects))) == 53  # one indicator swallowed, silently
    assert [p.amounts for p in damaged.projects] == [p.amounts for p in original.projects]  # amounts reconcile
    failures = report_gate_failures(damaged, None)
    assert len(failures) == 1, failures
    assert failures[0].startswith(
        "Suite report_integrity: expect_column_values_to_be_in_set on column passed (value_set={True}) "
        f"failed on integrity checks of {SAMPLE}: 2 of 52 rows unexpected"
    )
    assert "check='numbering_gap'" in failures[0] and "item 3 follows item 1: 2 missing" in failures[0]
    assert "check='annual_markers'" in failures[0]


def test_text_before_the_first_numbered_item_fails_the_gate(tmp_path):
    report = _read_text(SAMPLES_DIR / SAMPLE)
    first = report.projects[0].indicators[0]
    cell = first.raw_text
    damaged = _read_text(_damaged_copy(tmp_path, cell, cell.replace("1、", "", 1)))
    failures = report_gate_failures(damaged, None)
    assert len(failures) == 1, failures
    assert "check='numbered_form'" in failures[0]


def test_a_unit_whose_projects_were_lost_fails_the_gate():
    name = "002_39e10e3528be362f.txt"  # layout C: no amounts, so no sum can notice the loss
    report = _read_text(SAMPLES_DIR / name)
    lost = report.budget_units[-1].name
    kept = [p for p in report.projects if p.budget_unit != lost]
    assert 0 < len(kept) < len(report.projects)
    failures = report_gate_failures(replace(report, projects=kept), None)
    assert len(failures) == 1, failures
    assert failures[0].startswith("Suite report_integrity: ")
    assert f"check='unit_without_projects', subject='unit {lost}'" in failures[0]
