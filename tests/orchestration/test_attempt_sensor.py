"""Runs started inside Dagster (schedule, sensor, UI) are recorded as the last attempt too."""

from __future__ import annotations

from dagster import DagsterEventType, DagsterInstance, build_run_status_sensor_context

from contract.files import WarehouseFiles
from orchestration.attempt_sensor import record_refresh_failure, started_by
from orchestration.definitions import build_definitions
from orchestration.jobs import REFRESH_JOB_NAME
from orchestration.resources import WarehouseResource
from publishing.attempts import FAILED, read_attempt


def test_a_failed_scheduled_run_becomes_the_last_attempt(tmp_path):
    warehouse = tmp_path / "warehouse" / "budget.duckdb"
    config = WarehouseResource(inbox=str(tmp_path / "gone"), warehouse=str(warehouse))
    job = build_definitions(config).resolve_job_def(REFRESH_JOB_NAME)
    instance = DagsterInstance.ephemeral()
    result = job.execute_in_process(
        instance=instance, raise_on_error=False, tags={"dagster/schedule_name": "nightly_refresh"}
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type == DagsterEventType.RUN_FAILURE)
    context = build_run_status_sensor_context(
        sensor_name="record_refresh_failure",
        dagster_event=failure,
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        resources={"warehouse_config": config},
    )
    record_refresh_failure(context)
    attempt = read_attempt(WarehouseFiles(warehouse))
    assert attempt is not None and attempt.run_id == result.run_id
    assert attempt.outcome == FAILED and attempt.started_by == "schedule"
    assert "gone" in attempt.cause and "\n" not in attempt.cause


def test_who_started_a_run():
    assert started_by({"budget_etl/started_by": "cli"}) == "cli"
    assert started_by({"dagster/sensor_name": "inbox_sensor"}) == "sensor"
    assert started_by({}) == "ui"


def test_a_run_refused_at_resource_setup_has_the_user_facing_line_as_its_cause(tmp_path):
    """The refresh lock and the disk checks run as the job's resources: their errors are the cause."""
    from contract.settings import SAMPLES_DIR
    from orchestration.run import run_refresh
    from publishing.lock import refresh_lock

    warehouse = tmp_path / "warehouse" / "budget.duckdb"
    files = WarehouseFiles(warehouse)
    with refresh_lock(files):
        outcome = run_refresh(SAMPLES_DIR, warehouse, output_log=files.refresh_log)
    assert not outcome.published and outcome.user_facing
    assert outcome.cause.startswith(f"another refresh of {warehouse} is running (pid ")
    attempt = read_attempt(files)
    assert attempt.outcome == FAILED and attempt.cause == outcome.cause and attempt.log == str(files.refresh_log)
