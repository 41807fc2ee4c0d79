"""What the extraction tests share: a small inbox and one run of the extraction step alone."""

from __future__ import annotations

import shutil
from pathlib import Path

from dagster import DagsterInstance, materialize

from contract.settings import SAMPLES_DIR
from orchestration.assets import extracted_reports, report_files_spec
from orchestration.resources import RefreshLockResource, WarehouseResource

SAMPLES = ["000_78a7ae6ba5b81e46.txt", "002_39e10e3528be362f.txt"]
NOT_A_REPORT = "not_a_report.txt"


def small_inbox(folder: Path) -> Path:
    """Two bundled samples and a text file without a target table (quarantined)."""
    folder.mkdir(parents=True)
    for name in SAMPLES:
        shutil.copy2(SAMPLES_DIR / name, folder / name)
    (folder / NOT_A_REPORT).write_text("no table in here", encoding="utf-8")
    return folder


def run_extraction(config: WarehouseResource, instance: DagsterInstance):
    """The extraction step materialized alone (with the report_files record it writes)."""
    result = materialize(
        [extracted_reports, report_files_spec],
        selection=[extracted_reports.key],
        instance=instance,
        resources={"warehouse_config": config, "refresh_lock": RefreshLockResource(warehouse_config=config)},
    )
    assert result.success
    return result
