"""The nightly schedule skips a night when neither the inbox nor the code changed."""

from __future__ import annotations

from contextlib import ExitStack

from dagster import RunRequest, build_schedule_context, instance_for_test
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_START_TAG, PARTITION_NAME_TAG

from contract.files import WarehouseFiles
from ingestion.inbox import scan_inbox
from orchestration.partitions import report_files
from orchestration.resources import WarehouseResource
from orchestration.schedules import nightly_refresh
from publishing.candidate import new_database_file, seal
from publishing.fingerprint import FINGERPRINT_KEY, input_fingerprint
from publishing.publish import publish


def _publish_with_fingerprint(layout: WarehouseFiles, fingerprint: str) -> None:
    candidate = layout.candidate("r")
    new_database_file(candidate)
    seal(candidate, {FINGERPRINT_KEY: fingerprint})
    publish(candidate, layout)


def test_schedule_requests_a_run_only_when_inputs_changed(tmp_path):
    stack = ExitStack()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a_2025.txt").write_text("one", encoding="utf-8")
    layout = WarehouseFiles(tmp_path / "wh" / "budget.duckdb")
    config = WarehouseResource(inbox=str(inbox), warehouse=str(layout.published))

    instance = stack.enter_context(instance_for_test())

    def evaluate():
        with build_schedule_context(instance=instance, resources={"warehouse_config": config}) as context:
            return nightly_refresh.evaluate_tick(context)

    first = evaluate()
    assert len(first.run_requests) == 1 and isinstance(first.run_requests[0], RunRequest)
    assert instance.get_dynamic_partitions(report_files.name) == ["a_2025.txt"]
    assert not {ASSET_PARTITION_RANGE_START_TAG, PARTITION_NAME_TAG} & set(first.run_requests[0].tags)
    _publish_with_fingerprint(layout, input_fingerprint(scan_inbox(inbox)))
    unchanged = evaluate()
    assert not unchanged.run_requests and "up to date" in unchanged.skip_message
    (inbox / "a_2025.txt").write_text("two", encoding="utf-8")
    assert len(evaluate().run_requests) == 1
    stack.close()


def test_fingerprint_covers_names_contents_and_years(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    base = input_fingerprint(scan_inbox(tmp_path))
    (tmp_path / "a.txt").rename(tmp_path / "b.txt")
    renamed = input_fingerprint(scan_inbox(tmp_path))
    (tmp_path / "b.txt").rename(tmp_path / "b_2024.txt")
    with_year = input_fingerprint(scan_inbox(tmp_path))
    assert len({base, renamed, with_year}) == 3
