"""A sensor that keeps one partition per inbox file and starts a refresh when files change.

The sensor's cursor is constant-size: the sha256 (64 hex characters) of the inbox's canonical state,
the JSON of every partition key -> the file's sha256, keys sorted. Dagster stores the cursor with the
sensor's state and again in every tick row, skipped ticks included (one a minute, kept for days): a
cursor holding every file cost 168 bytes a file a minute (docs/scale.md). A tick whose digest equals
the cursor skips without reading anything else.

What changed (the run's ``budget_etl/inbox_changes`` tag) needs the previous per-file state: it is
kept outside Dagster, in the warehouse's state folder (``WarehouseFiles.sensor_inbox_state``), read
only on a tick that found a change and rewritten atomically only when it differs. No state file
(first tick) counts every file as added. A cursor of the old format (a JSON object of every file)
simply differs from any digest: one run, which the refresh skips as up to date if nothing changed.

The state file is written during the tick, the cursor only once Dagster stores the tick's result:
if that fails, the next tick sees a different cursor but an unchanged state file and still requests
the run (with the same run key, so Dagster starts it once), its tag saying nothing changed.
"""

import hashlib
import json
from pathlib import Path

from dagster import (
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from contract.atomic import read_versioned_files, write_versioned_files
from ingestion.inbox import scan_inbox
from orchestration.jobs import refresh_job
from orchestration.partitions import partition_changes, partition_key, report_files
from orchestration.resources import WarehouseResource

CHANGES_TAG = "budget_etl/inbox_changes"
STATE_VERSION = 1


def describe_changes(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    return {
        "added": sorted(set(after) - set(before)),
        "removed": sorted(set(before) - set(after)),
        "changed": sorted(k for k in set(before) & set(after) if before[k] != after[k]),
    }


def inbox_digest(state: dict[str, str]) -> str:
    """The sensor's cursor: sha256 hex of the canonical inbox state (its JSON, keys sorted)."""
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


EMPTY_INBOX_DIGEST = inbox_digest({})  # no cursor yet and an empty inbox: nothing to do, as before


def read_inbox_state(path: Path) -> dict[str, str]:
    """The per-file state the sensor last recorded; {} if there is none or it cannot be read."""
    return read_versioned_files(path, STATE_VERSION)


def write_inbox_state(path: Path, state: dict[str, str]) -> None:
    """Replace the recorded state atomically: readers see the old or the new."""
    write_versioned_files(path, STATE_VERSION, state)


def summarize(changes: dict[str, list[str]]) -> str:
    return ", ".join(f"{len(v)} {k}" for k, v in changes.items() if v) or "no change since the recorded state"


@sensor(
    job=refresh_job,
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
    description="Register new report files as partitions (and drop removed ones); refresh when a file is added, changed (content hash) or removed.",
)
def inbox_sensor(context: SensorEvaluationContext, warehouse_config: WarehouseResource):
    inbox = warehouse_config.inbox_path()
    warehouse_files = warehouse_config.warehouse_files()
    files = scan_inbox(inbox, warehouse_files.inbox_hashes) if inbox.is_dir() else []
    after = {partition_key(f.source_file): f.sha256 for f in files}
    digest = inbox_digest(after)
    if digest == (context.cursor or EMPTY_INBOX_DIGEST):
        return SkipReason(f"no change among {len(after)} report files")
    state_file = warehouse_files.sensor_inbox_state
    before = read_inbox_state(state_file)
    changes = describe_changes(before, after)
    if before != after:
        try:
            write_inbox_state(state_file, after)
        except OSError as exc:  # only the next change's summary suffers: the run must still start
            context.log.warning(f"could not record the inbox state in {state_file}: {exc}")
    add, delete = partition_changes(context.instance.get_dynamic_partitions(report_files.name), files)
    keys = [k for k in context.instance.get_dynamic_partitions(report_files.name) if k not in delete] + add
    context.update_cursor(digest)
    requests = []
    if keys:
        # One run over the whole inbox: unchanged reports are cache hits, and the warehouse is
        # rebuilt from every report anyway. Same inbox, same run key (Dagster starts it once).
        requests.append(RunRequest(run_key=f"inbox-{digest[:16]}", tags={CHANGES_TAG: summarize(changes)}))
    return SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[
            *([report_files.build_add_request(add)] if add else []),
            *([report_files.build_delete_request(delete)] if delete else []),
        ],
    )
