"""The nightly refresh, at 02:00 in the reports' own time zone, skipped when nothing changed."""

from dagster import (
    DefaultScheduleStatus,
    RunRequest,
    ScheduleEvaluationContext,
    SkipReason,
    schedule,
)

from ingestion.inbox import scan_inbox
from orchestration.jobs import refresh_job
from orchestration.partitions import sync_report_partitions
from orchestration.resources import WarehouseResource
from publishing.fingerprint import input_fingerprint, published_fingerprint


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
        return SkipReason(f"inbox {inbox} does not exist: set BUDGET_INBOX or the warehouse_config resource")
    files = scan_inbox(inbox, warehouse_config.warehouse_files().inbox_hashes)
    fingerprint = input_fingerprint(files)
    if fingerprint == published_fingerprint(warehouse_config.warehouse_files().published):
        return SkipReason("the published warehouse is up to date: no report file and no code changed")
    if not sync_report_partitions(context.instance, files):
        return SkipReason(f"no report files in {inbox}")
    return RunRequest(tags={"budget_etl/input_fingerprint": fingerprint})
