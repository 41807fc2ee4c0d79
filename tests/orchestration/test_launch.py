"""Launching the refresh from the Dagster UI: no partition to choose, a plain launch reads everything.

The Launchpad used to offer the report partitions and fail without one ("Cannot access
partition_key for a non-partitioned run"). The job is not partitioned now; the per-report
partitions are a record that the extraction writes for every file it reads.
"""

from __future__ import annotations

from dagster import DagsterInstance

from orchestration.assets import REPORT_FILES_KEY
from orchestration.definitions import defs
from orchestration.jobs import REFRESH_JOB_NAME
from orchestration.partitions import report_files
from orchestration.resources import WarehouseResource
from tests.orchestration.extraction import SAMPLES, run_extraction, small_inbox


def test_the_refresh_job_offers_no_partition_to_choose():
    job = defs.resolve_job_def(REFRESH_JOB_NAME)
    assert job.partitions_def is None
    assert REPORT_FILES_KEY not in job.asset_layer.executable_asset_keys


def test_a_plain_launch_reads_every_report_and_records_each_as_a_partition(tmp_path):
    inbox = small_inbox(tmp_path / "inbox")
    config = WarehouseResource(inbox=str(inbox), warehouse=str(tmp_path / "warehouse" / "budget.duckdb"))
    instance = DagsterInstance.ephemeral()
    result = run_extraction(config, instance)
    metadata = result.asset_materializations_for_node("extracted_reports")[-1].metadata
    assert (metadata["files"].value, metadata["loaded"].value, metadata["quarantined"].value) == (3, 2, 1)
    # The files became partitions, each recorded with its outcome.
    assert instance.get_dynamic_partitions(report_files.name) == [*SAMPLES, "not_a_report.txt"]
    assert instance.get_materialized_partitions(REPORT_FILES_KEY) == {*SAMPLES, "not_a_report.txt"}
    records = {
        m.partition: m.metadata
        for m in result.asset_materializations_for_node("extracted_reports")
        if m.asset_key == REPORT_FILES_KEY
    }
    assert records["not_a_report.txt"]["loaded"].value is False
    assert "no 项目支出绩效目标表 found" in records["not_a_report.txt"]["quarantine_reason"].value
    assert records[SAMPLES[0]]["loaded"].value is True
