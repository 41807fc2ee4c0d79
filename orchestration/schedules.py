"""The nightly refresh, at 02:00 in the reports' own time zone, skipped when nothing changed."""

from dagster import DefaultScheduleStatus, RunRequest, ScheduleEvaluationContext, SkipReason, schedule

from budget_etl.fingerprint import input_fingerprint, published_fingerprint
from ingestion.inbox import scan_inbox
from orchestration.jobs import refresh_job
from orchestration.resources import WarehouseResource


@schedule(
    name="nightly_refresh",
    job=refresh_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=DefaultScheduleStatus.RUNNING,
    description="Refresh the warehouse every night at 02:00 Asia/Shanghai, unless neither the inbox nor the code changed since the last publish.",
)
def nightly_refresh(context: ScheduleEvaluationContext, warehouse_config: WarehouseResource):
    inbox = warehouse_config.inbox_path()
    if not inbox.is_dir():
        return RunRequest()  # let the run fail loudly with its one-line cause
    fingerprint = input_fingerprint(scan_inbox(inbox))
    if fingerprint == published_fingerprint(warehouse_config.layout().published):
        return SkipReason("the published warehouse is up to date: no report file and no code changed")
    return RunRequest(tags={"budget_etl/input_fingerprint": fingerprint})
