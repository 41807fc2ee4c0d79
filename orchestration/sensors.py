"""A sensor that starts a refresh when a report file is added, changed or removed in the inbox."""


import hashlib
import json

from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SkipReason, sensor

from ingestion.inbox import scan_inbox
from orchestration.jobs import refresh_job
from orchestration.resources import WarehouseResource


def inbox_state(warehouse_config: WarehouseResource) -> dict[str, str]:
    """source_file -> sha256 of every report file in the inbox."""
    inbox = warehouse_config.inbox_path()
    if not inbox.is_dir():
        return {}
    return {f.source_file: f.sha256 for f in scan_inbox(inbox)}


def describe_changes(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {
        "added": sorted(set(after) - set(before)),
        "removed": sorted(set(before) - set(after)),
        "changed": sorted(k for k in set(before) & set(after) if before[k] != after[k]),
    }


@sensor(job=refresh_job, minimum_interval_seconds=60, default_status=DefaultSensorStatus.RUNNING,
        description="Refresh when report files are added, changed (content hash) or removed.")
def inbox_sensor(context: SensorEvaluationContext, warehouse_config: WarehouseResource):
    before = json.loads(context.cursor) if context.cursor else {}
    after = inbox_state(warehouse_config)
    changes = describe_changes(before, after)
    if not any(changes.values()):
        return SkipReason(f"no change among {len(after)} report files")
    context.update_cursor(json.dumps(after, sort_keys=True))
    state_key = hashlib.sha256(json.dumps(after, sort_keys=True).encode()).hexdigest()[:16]
    summary = ", ".join(f"{len(v)} {k}" for k, v in changes.items() if v)
    return RunRequest(run_key=f"inbox-{state_key}", tags={"budget_etl/inbox_changes": summary})
