"""benchmarks/report.py on made-up results: the samples' rows and their verdict against the target."""

from __future__ import annotations

from benchmarks import report


def _refresh(wall: float, steps: dict[str, float], returncode: int = 0) -> dict:
    return {
        "wall_s": wall,
        "returncode": returncode,
        "peak_process_mb": 300,
        "peak_tree_mb": 500,
        "step_seconds": steps,
    }


def _samples(first: float, *rebuilds: float) -> dict:
    steps = {"raw_tables": 0.5, "budget_dbt_models": 8.0}
    samples = {"samples, first refresh of a new warehouse": _refresh(first, steps)}
    for i, wall in enumerate(rebuilds, 1):
        samples[f"samples, rebuild {i} of the same warehouse"] = _refresh(wall, steps)
    return {"samples": samples}


def _verdict(results: dict):
    return next(v for v in report.verdicts(results) if v[0].startswith("The samples' refresh"))


def test_the_target_holds_only_when_the_first_refresh_and_the_best_rebuild_are_within_it():
    assert _verdict(_samples(19.0, 25.0, 15.0))[1] is True
    assert _verdict(_samples(21.0, 15.0))[1] is False
    assert _verdict(_samples(19.0, 22.0, 23.0))[1] is False


def test_the_verdict_names_the_best_rebuild_and_the_time_outside_the_steps():
    _, _, text = _verdict(_samples(19.0, 25.0, 15.0))
    assert "the best of 2 rebuilds of the same warehouse 15.0 s" in text
    assert "budget_dbt_models 8.0; outside the steps 6.5" in text


def test_no_verdict_without_a_successful_first_refresh():
    results = _samples(19.0, 15.0)
    results["samples"]["samples, first refresh of a new warehouse"]["returncode"] = 1
    assert not [v for v in report.verdicts(results) if v[0].startswith("The samples' refresh")]


def test_each_samples_refresh_has_a_row_and_a_row_of_steps():
    rows = dict(report.table_rows(_samples(19.0, 15.0)))
    assert rows["refresh: samples, rebuild 1 of the same warehouse"].startswith("15.0 s wall")
    assert rows["refresh: samples, first refresh of a new warehouse, seconds per step"] == (
        "raw_tables 0.5, budget_dbt_models 8.0; outside the steps 10.5"
    )


def _one_changed_file(full: float, changed: float, returncode: int = 0) -> dict:
    return {
        "refresh": {
            "full refresh, 1,000 reports": _refresh(full, {"extracted_reports": full - 10, "budget_dbt_models": 6.0}),
            "refresh after one changed file, 1,000 reports": _refresh(changed, {"budget_dbt_models": 6.0}, returncode),
        }
    }


def _changed_verdict(results: dict):
    return [v for v in report.verdicts(results) if v[0].startswith("One changed file within 5%")]


def test_one_changed_file_holds_at_5_percent_of_a_full_refresh_or_less():
    assert _changed_verdict(_one_changed_file(400.0, 20.0))[0][1] is True
    (verdict,) = _changed_verdict(_one_changed_file(400.0, 20.4))
    assert verdict[1] is False
    assert "20.4 s against a full refresh of 400.0 s: 5.1%" in verdict[2]
    assert "One changed file: budget_dbt_models 6.0; outside the steps 14.4." in verdict[2]


def test_no_changed_file_verdict_when_a_refresh_failed():
    assert _changed_verdict(_one_changed_file(400.0, 20.0, returncode=1)) == []
