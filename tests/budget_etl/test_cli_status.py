"""`status`: the last attempt first (a failed one too), then what is published, then the next run."""

from __future__ import annotations

import json
from dataclasses import replace

from contract.files import WarehouseFiles
from orchestration.schedules import nightly_refresh
from publishing.attempts import FAILED, PUBLISHED, REFUSED, LastAttempt, read_attempt, record_attempt

FAILED_ATTEMPT = LastAttempt(
    run_id="run-that-failed",
    finished_at="2026-12-01T18:00:04+00:00",
    outcome=FAILED,
    cause="step budget_dbt_models failed: Runtime Error in model stg_projects",
    started_by="schedule",
    log="/var/log/budget/last-refresh.log",
    quarantined=[["bad.pdf", "bad.pdf: not a PDF (starts with <html>)"]],
)


def test_a_failed_attempt_comes_first_with_its_cause_log_and_quarantine(cli, warehouse_copy):
    record_attempt(WarehouseFiles(warehouse_copy), FAILED_ATTEMPT)
    result = cli("status", "--warehouse", warehouse_copy)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == ("last attempt: 2026-12-01T18:00:04+00:00 FAILED (run run-that-failed, started by schedule)")
    assert lines[1] == "  cause: step budget_dbt_models failed: Runtime Error in model stg_projects"
    assert lines[2] == "  log: /var/log/budget/last-refresh.log"
    assert "1 quarantined in that run:" in result.stdout and "bad.pdf: not a PDF" in result.stdout
    assert "data docs" not in result.stdout  # this run never reached the gate: no other run's docs
    published = next(line for line in lines if line.startswith("published: run "))
    assert lines.index(published) > 2
    assert "next scheduled run: " in result.stdout and "Asia/Shanghai" in result.stdout


def test_the_printed_total_is_shown_with_the_computed_one_beside_it(cli, warehouse_copy):
    result = cli("status", "--warehouse", warehouse_copy)
    row = next(line for line in result.stdout.splitlines() if "001_482cb6efc95f57e9.txt" in line)
    assert "642.39 (rows 642.38)" in row
    row = next(line for line in result.stdout.splitlines() if "003_cdfe4f5fefb7849c.txt" in line)
    assert "495.00" in row and "rows" not in row  # printed and computed agree
    assert "2025" in row  # the samples' manifest


def test_json_for_monitoring(cli, warehouse_copy):
    record_attempt(WarehouseFiles(warehouse_copy), FAILED_ATTEMPT)
    document = json.loads(cli("status", "--json", "--warehouse", warehouse_copy).stdout)
    assert document["last_attempt"]["outcome"] == "failed"
    assert document["last_attempt"]["cause"] == FAILED_ATTEMPT.cause
    assert document["next_scheduled_run"]["cron"] == nightly_refresh.cron_schedule
    assert document["next_scheduled_run"]["timezone"] == nightly_refresh.execution_timezone
    assert document["next_scheduled_run"]["at"].endswith("T02:00:00+08:00")
    assert document["published"]["projects"] == 78 and document["published"]["total_amount"] == 68820.68


def test_no_warehouse_yet_still_shows_the_attempt(cli, tmp_path):
    warehouse = tmp_path / "budget.duckdb"
    record_attempt(WarehouseFiles(warehouse), FAILED_ATTEMPT)
    result = cli("status", "--warehouse", warehouse)
    assert result.exit_code == 1
    assert result.stdout.startswith("last attempt: ") and "1 quarantined in that run:" in result.stdout
    assert result.stderr.startswith(f"error: nothing published at {warehouse} yet: fix the cause above")
    assert json.loads(cli("status", "--json", "--warehouse", warehouse).stdout)["published"] is None


def test_the_attempt_record_round_trips(tmp_path):
    files = WarehouseFiles(tmp_path / "budget.duckdb")
    assert read_attempt(files) is None
    record_attempt(files, FAILED_ATTEMPT)
    assert read_attempt(files) == FAILED_ATTEMPT


def test_reports_removed_from_the_inbox_are_named_with_the_attempt(cli, warehouse_copy):
    files = WarehouseFiles(warehouse_copy)
    record_attempt(files, replace(FAILED_ATTEMPT, outcome=PUBLISHED, cause=None, removed=["a.pdf", "b.txt"]))
    lines = cli("status", "--warehouse", warehouse_copy).stdout.splitlines()
    assert "  removed since the last publish (their files left the inbox): a.pdf, b.txt" in lines
    record_attempt(files, replace(FAILED_ATTEMPT, outcome=REFUSED, removed=["a.pdf"]))
    lines = cli("status", "--warehouse", warehouse_copy).stdout.splitlines()
    assert "  gone from the inbox since the last publish (still published): a.pdf" in lines
