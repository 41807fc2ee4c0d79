"""The refresh job: the one job the nightly schedule, the sensor and `budget-etl refresh` all run."""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job, in_process_executor

REFRESH_JOB_NAME = "refresh_warehouse"

# In-process: the multiprocess executor is ~4x slower on small runs and its parallel steps would
# contend for DuckDB's single writer; extraction parallelism lives inside extracted_reports.
refresh_job = define_asset_job(
    name=REFRESH_JOB_NAME,
    selection=AssetSelection.all(),
    executor_def=in_process_executor,
    description="Read every report of the inbox, build and gate a candidate warehouse, publish it.",
    tags={"budget_etl/refresh": "true"},
)
