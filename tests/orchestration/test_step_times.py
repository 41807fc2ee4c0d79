"""Each refresh records how long its steps took (the last attempt), so `make bench` shows where time goes."""

from __future__ import annotations

from contract.files import WarehouseFiles
from publishing.attempts import read_attempt

PIPELINE = ["extracted_reports", "raw_tables", "budget_dbt_models", "candidate_warehouse", "published_warehouse"]


def test_the_last_attempt_holds_each_step_in_the_order_it_ran(samples_warehouse):
    seconds = read_attempt(WarehouseFiles(samples_warehouse)).step_seconds
    assert list(seconds)[0] == "startup"
    ran = [step for step in seconds if step in PIPELINE]
    assert ran == PIPELINE  # every step of the pipeline, in order
    assert all(value >= 0 for value in seconds.values())
    assert seconds["budget_dbt_models"] > 1  # dbt builds ~40 models and runs ~170 tests: never instant
