"""Dagster definitions: the asset graph, the gate check, the nightly schedule and the inbox sensor."""

from __future__ import annotations

from dagster import AssetKey, RunRequest, SkipReason, build_sensor_context

from orchestration.definitions import build_definitions, defs
from orchestration.jobs import REFRESH_JOB_NAME
from orchestration.resources import WarehouseResource
from orchestration.schedules import nightly_refresh
from orchestration.sensors import describe_changes, inbox_sensor


def test_definitions_load_with_the_whole_graph():
    repo = defs.get_repository_def()
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    assert {"extracted_reports", "raw/reports", "raw/indicators", "main/fct_project_funding",
            "main/fct_performance_indicators", "candidate_warehouse", "published_warehouse"} <= keys
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
        "added": ["c"], "removed": ["a"], "changed": ["b"]}


def test_inbox_sensor_requests_a_run_only_when_files_change(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("one", encoding="utf-8")
    resources = {"warehouse_config": WarehouseResource(inbox=str(inbox), warehouse=str(tmp_path / "w.duckdb"))}

    def evaluate(cursor):
        with build_sensor_context(cursor=cursor, resources=resources, definitions=build_definitions()) as ctx:
            result = inbox_sensor(ctx)
            return result, ctx.cursor

    first, cursor = evaluate(None)
    assert isinstance(first, RunRequest) and first.tags["budget_etl/inbox_changes"] == "1 added"
    again, same_cursor = evaluate(cursor)
    assert isinstance(again, SkipReason) and same_cursor == cursor
    (inbox / "a.txt").write_text("two", encoding="utf-8")
    (inbox / "b.pdf").write_bytes(b"%PDF-1.4")
    changed, _ = evaluate(cursor)
    assert isinstance(changed, RunRequest)
    assert changed.tags["budget_etl/inbox_changes"] == "1 added, 1 changed"
    assert changed.run_key != first.run_key
