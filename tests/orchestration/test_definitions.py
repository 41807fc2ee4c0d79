"""Dagster definitions: the asset graph, the gate check, the nightly schedule and the inbox sensor."""

from __future__ import annotations

from dagster import AssetKey, DagsterInstance, SensorResult, SkipReason, build_sensor_context
from dagster._core.definitions.dynamic_partitions_request import AddDynamicPartitionsRequest
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_START_TAG, PARTITION_NAME_TAG

from ingestion.version import parser_version
from orchestration.assets import REPORT_FILES_KEY
from orchestration.definitions import build_definitions, defs
from orchestration.jobs import REFRESH_JOB_NAME
from orchestration.partitions import report_files
from orchestration.resources import WarehouseResource
from orchestration.schedules import nightly_refresh
from orchestration.sensors import describe_changes, inbox_sensor


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


def test_inbox_sensor_keeps_partitions_and_requests_runs_on_change(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("one", encoding="utf-8")
    (inbox / "odd...name.txt").write_text("three", encoding="utf-8")
    resources = {"warehouse_config": WarehouseResource(inbox=str(inbox), warehouse=str(tmp_path / "w.duckdb"))}
    instance = DagsterInstance.ephemeral()

    def evaluate(cursor):
        with build_sensor_context(
            cursor=cursor, resources=resources, instance=instance, definitions=build_definitions()
        ) as ctx:
            result = inbox_sensor(ctx)
            if isinstance(result, SensorResult):  # apply what the daemon would apply
                for request in result.dynamic_partitions_requests or []:
                    if isinstance(request, AddDynamicPartitionsRequest):
                        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
                    else:
                        for key in request.partition_keys:
                            instance.delete_dynamic_partition(request.partitions_def_name, key)
            return result, ctx.cursor

    first, cursor = evaluate(None)
    assert isinstance(first, SensorResult) and len(first.run_requests) == 1
    assert first.run_requests[0].tags["budget_etl/inbox_changes"] == "2 added"
    assert instance.get_dynamic_partitions(report_files.name) == ["a.txt", "odd…name.txt"]
    # A plain run of the (unpartitioned) refresh job: it reads the whole inbox.
    assert not {ASSET_PARTITION_RANGE_START_TAG, PARTITION_NAME_TAG} & set(first.run_requests[0].tags)
    again, same_cursor = evaluate(cursor)
    assert isinstance(again, SkipReason) and same_cursor == cursor
    (inbox / "a.txt").write_text("two", encoding="utf-8")
    (inbox / "odd...name.txt").unlink()
    (inbox / "b.pdf").write_bytes(b"%PDF-1.4")
    changed, _ = evaluate(cursor)
    assert changed.run_requests[0].tags["budget_etl/inbox_changes"] == "1 added, 1 removed, 1 changed"
    assert changed.run_requests[0].run_key != first.run_requests[0].run_key
    assert instance.get_dynamic_partitions(report_files.name) == ["a.txt", "b.pdf"]


def test_report_files_are_partitions_of_a_record_the_extraction_writes():
    graph = defs.get_repository_def().asset_graph
    record = graph.get(REPORT_FILES_KEY)
    assert record.partitions_def == report_files
    assert not record.is_executable  # recorded by extracted_reports, never launched on its own
    assert record.parent_keys == {AssetKey("extracted_reports")}
    extraction = graph.get(AssetKey("extracted_reports"))
    assert extraction.partitions_def is None
    assert extraction.code_version == parser_version()
