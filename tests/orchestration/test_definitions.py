"""Dagster definitions: the asset graph, the gate check, the nightly schedule and the inbox sensor."""

from __future__ import annotations

import functools
import hashlib
import json

from dagster import AssetKey, DagsterInstance, SensorResult, SkipReason, build_sensor_context
from dagster._core.definitions.dynamic_partitions_request import AddDynamicPartitionsRequest
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_START_TAG, PARTITION_NAME_TAG

from contract import atomic
from ingestion.inbox import scan_inbox
from ingestion.version import parser_version
from orchestration import sensors
from orchestration.assets import REPORT_FILES_KEY
from orchestration.definitions import build_definitions, defs
from orchestration.jobs import REFRESH_JOB_NAME
from orchestration.partitions import report_files
from orchestration.resources import WarehouseResource
from orchestration.schedules import nightly_refresh
from orchestration.sensors import CHANGES_TAG, describe_changes, inbox_digest, inbox_sensor, read_inbox_state


def test_definitions_load_with_the_whole_graph():
    repo = defs.get_repository_def()
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    assert {
        "extracted_reports",
        "raw/reports",
        "raw/indicators",
        "main/fct_project_funding",
        "main/fct_performance_indicators",
        "candidate_warehouse",
        "published_warehouse",
    } <= keys
    check_keys = {c.name for c in repo.asset_graph.asset_check_keys}
    assert "warehouse_gate" in check_keys
    assert defs.resolve_job_def(REFRESH_JOB_NAME) is not None


def test_publish_sits_downstream_of_the_gated_candidate():
    graph = defs.get_repository_def().asset_graph
    parents = graph.get(AssetKey("published_warehouse")).parent_keys
    assert parents == {AssetKey("candidate_warehouse")}
    assert AssetKey(["main", "fct_project_funding"]) in graph.get(AssetKey("candidate_warehouse")).parent_keys


def test_nightly_schedule_runs_refresh_at_two_in_shanghai():
    assert nightly_refresh.cron_schedule == "0 2 * * *"
    assert nightly_refresh.execution_timezone == "Asia/Shanghai"
    assert nightly_refresh.job_name == REFRESH_JOB_NAME


def test_describe_changes():
    assert describe_changes({"a": "1", "b": "2"}, {"b": "3", "c": "4"}) == {
        "added": ["c"],
        "removed": ["a"],
        "changed": ["b"],
    }


class _Sensor:
    """inbox_sensor over ``tmp_path/inbox`` against an ephemeral instance, applying the partition
    requests of each tick as the daemon would."""

    def __init__(self, tmp_path):
        self.inbox = tmp_path / "inbox"
        self.inbox.mkdir()
        self.resource = WarehouseResource(inbox=str(self.inbox), warehouse=str(tmp_path / "w.duckdb"))
        self.state_file = self.resource.warehouse_files().sensor_inbox_state
        self.instance = DagsterInstance.ephemeral()
        self.definitions = build_definitions()

    def write(self, name, text):
        path = self.inbox / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def state(self):
        return {f.source_file: f.sha256 for f in scan_inbox(self.inbox)}  # names are their own keys here

    def __call__(self, cursor):
        with build_sensor_context(
            cursor=cursor,
            resources={"warehouse_config": self.resource},
            instance=self.instance,
            definitions=self.definitions,
        ) as ctx:
            result = inbox_sensor(ctx)
            if isinstance(result, SensorResult):
                for request in result.dynamic_partitions_requests or []:
                    if isinstance(request, AddDynamicPartitionsRequest):
                        self.instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
                    else:
                        for key in request.partition_keys:
                            self.instance.delete_dynamic_partition(request.partitions_def_name, key)
            return result, ctx.cursor


def _summary(result):
    assert isinstance(result, SensorResult) and len(result.run_requests) == 1, result
    return result.run_requests[0].tags[CHANGES_TAG]


def test_inbox_sensor_keeps_partitions_and_requests_runs_on_change(tmp_path):
    evaluate = _Sensor(tmp_path)
    evaluate.write("a.txt", "one")
    evaluate.write("odd...name.txt", "three")
    instance = evaluate.instance

    first, cursor = evaluate(None)
    assert isinstance(first, SensorResult) and len(first.run_requests) == 1
    assert first.run_requests[0].tags["budget_etl/inbox_changes"] == "2 added"
    assert instance.get_dynamic_partitions(report_files.name) == ["a.txt", "odd…name.txt"]
    # A plain run of the (unpartitioned) refresh job: it reads the whole inbox.
    assert not {ASSET_PARTITION_RANGE_START_TAG, PARTITION_NAME_TAG} & set(first.run_requests[0].tags)
    # The cursor is the digest of the state; the state itself is in the warehouse's state folder.
    state = {"a.txt": evaluate.state()["a.txt"], "odd…name.txt": evaluate.state()["odd...name.txt"]}
    assert cursor == inbox_digest(state) and read_inbox_state(evaluate.state_file) == state
    assert first.run_requests[0].run_key == f"inbox-{cursor[:16]}"
    again, same_cursor = evaluate(cursor)
    assert isinstance(again, SkipReason) and same_cursor == cursor
    (evaluate.inbox / "a.txt").write_text("two", encoding="utf-8")
    (evaluate.inbox / "odd...name.txt").unlink()
    (evaluate.inbox / "b.pdf").write_bytes(b"%PDF-1.4")
    changed, _ = evaluate(cursor)
    assert changed.run_requests[0].tags["budget_etl/inbox_changes"] == "1 added, 1 removed, 1 changed"
    assert changed.run_requests[0].run_key != first.run_requests[0].run_key
    assert instance.get_dynamic_partitions(report_files.name) == ["a.txt", "b.pdf"]


def test_an_empty_inbox_on_the_first_tick_skips_as_before(tmp_path):
    evaluate = _Sensor(tmp_path)
    result, cursor = evaluate(None)
    assert isinstance(result, SkipReason) and cursor is None
    assert not evaluate.state_file.exists()


def test_the_cursor_is_64_hex_characters_whatever_the_inbox_size(tmp_path):
    evaluate = _Sensor(tmp_path)
    cursors = []
    for total in (1, 10, 600):
        before = len(evaluate.state())
        for i in range(before, total):
            evaluate.write(f"{2020 + i % 6}/部门{i % 100:03d}/2025年项目支出绩效目标表-{i:06d}.txt", f"report {i}")
        result, cursor = evaluate(cursors[-1] if cursors else None)
        assert _summary(result) == f"{total - before} added"
        assert len(cursor) == 64 and set(cursor) <= set("0123456789abcdef"), cursor
        assert cursor == inbox_digest(evaluate.state())
        cursors.append(cursor)
    assert len(set(cursors)) == 3
    # the per-file state grows with the inbox, outside Dagster
    assert len(read_inbox_state(evaluate.state_file)) == 600


def test_a_cursor_of_the_old_format_counts_as_different_once(tmp_path):
    evaluate = _Sensor(tmp_path)
    evaluate.write("2025/a.txt", "one")
    evaluate.write("2025/b.txt", "two")
    old_cursor = json.dumps(evaluate.state(), sort_keys=True)  # what the previous version stored
    result, cursor = evaluate(old_cursor)
    # one run, whose refresh finds every report up to date; no state file yet: all "added"
    assert _summary(result) == "2 added"
    # the same run key the previous version gave this inbox: a run it already started is not repeated
    assert result.run_requests[0].run_key == f"inbox-{hashlib.sha256(old_cursor.encode()).hexdigest()[:16]}"
    assert cursor == inbox_digest(evaluate.state()) and len(cursor) == 64
    again, same = evaluate(cursor)
    assert isinstance(again, SkipReason) and same == cursor


def test_the_summary_counts_added_changed_and_removed_across_ticks(tmp_path):
    evaluate = _Sensor(tmp_path)
    for name in ("a.txt", "b.txt", "c.txt"):
        evaluate.write(name, name)
    result, cursor = evaluate(None)
    assert _summary(result) == "3 added"
    evaluate.write("d.txt", "d")
    evaluate.write("e.txt", "e")
    evaluate.write("a.txt", "a, again")
    result, cursor = evaluate(cursor)
    assert _summary(result) == "2 added, 1 changed"
    (evaluate.inbox / "b.txt").unlink()
    (evaluate.inbox / "c.txt").unlink()
    result, cursor = evaluate(cursor)
    assert _summary(result) == "2 removed"
    skipped, same = evaluate(cursor)
    assert isinstance(skipped, SkipReason) and same == cursor
    evaluate.write("d.txt", "d, again")
    (evaluate.inbox / "e.txt").unlink()
    evaluate.write("f.txt", "f")
    result, cursor = evaluate(cursor)
    assert _summary(result) == "1 added, 1 removed, 1 changed"
    assert evaluate.instance.get_dynamic_partitions(report_files.name) == ["a.txt", "d.txt", "f.txt"]
    assert read_inbox_state(evaluate.state_file) == evaluate.state()


def test_the_state_file_is_written_atomically_and_only_on_change(tmp_path, monkeypatch):
    # contract.atomic's writer: temporary file, fsync, rename, fsync of the folder
    assert sensors.write_versioned_files is atomic.write_versioned_files
    writes = []

    def spy(target, version, files):
        writes.append(target)
        atomic.write_versioned_files(target, version, files)

    monkeypatch.setattr(sensors, "write_versioned_files", spy)
    evaluate = _Sensor(tmp_path)
    evaluate.write("a.txt", "one")
    _, cursor = evaluate(None)
    assert writes == [evaluate.state_file]
    stat = evaluate.state_file.stat()
    for _ in range(2):  # nothing changed: the tick skips, reads and writes nothing
        skipped, cursor = evaluate(cursor)
        assert isinstance(skipped, SkipReason)
    assert len(writes) == 1
    # the cursor lost (a reset sensor) but the state recorded: one run (same key), no write
    result, lost = evaluate(None)
    assert _summary(result) == "no change since the recorded state"
    assert result.run_requests[0].run_key == f"inbox-{cursor[:16]}" and lost == cursor
    assert len(writes) == 1
    assert (evaluate.state_file.stat().st_ino, evaluate.state_file.stat().st_mtime_ns) == (
        stat.st_ino,
        stat.st_mtime_ns,
    )
    evaluate.write("b.txt", "two")
    result, cursor = evaluate(cursor)
    assert _summary(result) == "1 added" and writes == [evaluate.state_file] * 2
    assert read_inbox_state(evaluate.state_file) == evaluate.state()
    assert not [p for p in evaluate.state_file.parent.iterdir() if p.name.startswith(atomic.TMP_PREFIX)]


def test_a_state_file_that_cannot_be_written_keeps_the_old_one_and_still_requests_the_run(tmp_path, monkeypatch):
    evaluate = _Sensor(tmp_path)
    evaluate.write("a.txt", "one")
    _, cursor = evaluate(None)
    recorded = evaluate.state_file.read_bytes()

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    evaluate.write("b.txt", "two")
    result, new_cursor = evaluate(cursor)
    assert _summary(result) == "1 added" and new_cursor != cursor
    assert evaluate.state_file.read_bytes() == recorded  # the old state, whole
    assert not [p for p in evaluate.state_file.parent.iterdir() if p.name.startswith(atomic.TMP_PREFIX)]


def test_report_files_are_partitions_of_a_record_the_extraction_writes():
    graph = defs.get_repository_def().asset_graph
    record = graph.get(REPORT_FILES_KEY)
    assert record.partitions_def == report_files
    assert not record.is_executable  # recorded by extracted_reports, never launched on its own
    assert record.parent_keys == {AssetKey("extracted_reports")}
    extraction = graph.get(AssetKey("extracted_reports"))
    assert extraction.partitions_def is None
    assert extraction.code_version == parser_version()


def test_the_dbt_resource_skips_dagster_dbt_s_version_subprocess_and_adapter_with_the_same_answers():
    """BudgetDbtCliResource overrides two of dagster-dbt's own members: they must still exist there
    (an upgrade renaming them would silently bring the costs back), and the version must be the one
    the dbt executable reports."""
    import re
    import subprocess

    from dagster_dbt import DbtCliResource

    from orchestration.resources import BudgetDbtCliResource, dbt_resource

    assert isinstance(DbtCliResource.__dict__["_cli_version"], functools.cached_property)
    assert callable(DbtCliResource.__dict__["_initialize_dbt_core_adapter"])
    resource = dbt_resource()
    assert isinstance(resource, BudgetDbtCliResource)
    printed = subprocess.run([resource.dbt_executable, "--version"], capture_output=True, text=True, check=True).stdout
    assert str(resource._cli_version) == re.search(r"(\d+\.\d+\.\d+)", printed).group(1)
    assert resource._initialize_dbt_core_adapter(["build"]) is None
