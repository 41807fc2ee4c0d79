"""Record the last attempt of runs the CLI did not start (schedule, inbox sensor, Dagster UI).

`budget-etl refresh` records its own run's outcome (orchestration/run.py); a run started inside
`dagster dev` ends here instead, through a run status sensor on success and on failure, so that
`budget-etl status` shows last night's failed run too. Both use ``outcome_of_run``.
"""

from __future__ import annotations

from dagster import DagsterRunStatus, DefaultSensorStatus, RunStatusSensorContext, run_status_sensor

from orchestration.jobs import refresh_job
from orchestration.resources import WarehouseResource
from orchestration.run import STARTED_BY_TAG, outcome_of_run, record_outcome
from orchestration.step_times import step_seconds


def started_by(tags: dict[str, str]) -> str:
    if STARTED_BY_TAG in tags:
        return tags[STARTED_BY_TAG]
    if "dagster/schedule_name" in tags:
        return "schedule"
    if "dagster/sensor_name" in tags:
        return "sensor"
    return "ui"


def _record(context: RunStatusSensorContext, warehouse_config: WarehouseResource) -> None:
    run = context.dagster_run
    if run.tags.get(STARTED_BY_TAG) == "cli":
        return  # run_refresh records it, with the log file it wrote
    entries = context.instance.all_logs(run.run_id)
    outcome = outcome_of_run(run.run_id, [entry.dagster_event for entry in entries if entry.dagster_event])
    outcome.step_seconds = step_seconds(entries)
    record_outcome(
        warehouse_config.warehouse_files(),
        outcome,
        started_by=started_by(dict(run.tags)),
        log=None,
    )


def _attempt_sensor(status: DagsterRunStatus, name: str, ended: str):
    """One sensor per run status (a run status sensor watches one status): both record the attempt."""

    @run_status_sensor(
        name=name,
        run_status=status,
        monitored_jobs=[refresh_job],
        default_status=DefaultSensorStatus.RUNNING,
        description=f"Records {ended} refresh as the warehouse's last attempt (budget-etl status).",
    )
    def record_attempt(context: RunStatusSensorContext, warehouse_config: WarehouseResource) -> None:
        _record(context, warehouse_config)

    return record_attempt


record_refresh_success = _attempt_sensor(DagsterRunStatus.SUCCESS, "record_refresh_success", "a finished")
record_refresh_failure = _attempt_sensor(DagsterRunStatus.FAILURE, "record_refresh_failure", "a failed or refused")

ATTEMPT_SENSORS = [record_refresh_success, record_refresh_failure]
