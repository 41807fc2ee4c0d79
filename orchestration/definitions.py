"""Everything `dagster dev` shows: assets, the gate check, the refresh job, schedule and sensor."""

from __future__ import annotations

from dagster import Definitions

from orchestration.assets import (
    candidate_warehouse,
    extracted_reports,
    parquet_export,
    published_warehouse,
    raw_tables,
    report_files_spec,
)
from orchestration.attempt_sensor import ATTEMPT_SENSORS
from orchestration.checks import warehouse_gate
from orchestration.dbt_assets import budget_dbt_models
from orchestration.jobs import refresh_job
from orchestration.resources import RefreshLockResource, WarehouseResource, dbt_resource
from orchestration.schedules import nightly_refresh
from orchestration.sensors import inbox_sensor


def build_definitions(warehouse_config: WarehouseResource | None = None) -> Definitions:
    config = warehouse_config or WarehouseResource()
    return Definitions(
        assets=[
            extracted_reports,
            report_files_spec,
            raw_tables,
            budget_dbt_models,
            candidate_warehouse,
            published_warehouse,
            parquet_export,
        ],
        asset_checks=[warehouse_gate],
        jobs=[refresh_job],
        schedules=[nightly_refresh],
        sensors=[inbox_sensor, *ATTEMPT_SENSORS],
        resources={
            "warehouse_config": config,
            "refresh_lock": RefreshLockResource(warehouse_config=config),
            "dbt": dbt_resource(),
        },
    )


defs = build_definitions()
