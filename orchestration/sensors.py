"""A sensor that keeps one partition per inbox file and starts a refresh when files change."""

import hashlib
import json

from dagster import (
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from ingestion.inbox import scan_inbox
from orchestration.jobs import refresh_job
from orchestration.partitions import partition_changes, partition_key, report_files
from orchestration.resources import WarehouseResource


def describe_changes(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {
        "added": sorted(set(after) - set(before)),
        "removed": sorted(set(before) - set(after)),
        "changed": sorted(k for k in set(before) & set(after) if before[k] != after[k]),
    }


@sensor(
    job=refresh_job,
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
    description="Register new report files as partitions (and drop removed ones); refresh when a file is added, changed (content hash) or removed.",
)
def inbox_sensor(context: SensorEvaluationContext, warehouse_config: WarehouseResource):
    inbox = warehouse_config.inbox_path()
    files = scan_inbox(inbox, warehouse_config.warehouse_files().inbox_hashes) if inbox.is_dir() else []
    before = json.loads(context.cursor) if context.cursor else {}
    after = {partition_key(f.source_file): f.sha256 for f in files}
    changes = describe_changes(before, after)
    if not any(changes.values()):
        return SkipReason(f"no change among {len(after)} report files")
    add, delete = partition_changes(context.instance.get_dynamic_partitions(report_files.name), files)
    keys = [k for k in context.instance.get_dynamic_partitions(report_files.name) if k not in delete] + add
    context.update_cursor(json.dumps(after, sort_keys=True))
    summary = ", ".join(f"{len(v)} {k}" for k, v in changes.items() if v)
    requests = []
    if keys:
        state_key = hashlib.sha256(json.dumps(after, sort_keys=True).encode()).hexdigest()[:16]
        # One run over the whole inbox: unchanged reports are cache hits, and the warehouse is
        # rebuilt from every report anyway.
        requests.append(RunRequest(run_key=f"inbox-{state_key}", tags={"budget_etl/inbox_changes": summary}))
    return SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[
            *([report_files.build_add_request(add)] if add else []),
            *([report_files.build_delete_request(delete)] if delete else []),
        ],
    )
