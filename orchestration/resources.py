"""Dagster resources: where the inbox and the warehouse are, and the dbt project."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext
from dagster_dbt import DbtCliResource, DbtProject

from budget_etl import warehouse
from budget_etl.settings import (
    DBT_PROJECT_DIR,
    WarehouseLayout,
    inbox_from_env,
    warehouse_from_env,
)

# dbt resolves this env var in dbt_project/profiles.yml: the file a dbt build writes into.
DBT_DB_PATH_ENV = "BUDGET_DBT_DB_PATH"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def ensure_dbt_manifest() -> Path:
    """The manifest is prepared at install time (`make install` runs `dbt parse`).

    A checkout that skipped it gets it prepared once here rather than failing at import.
    """
    if not dbt_project.manifest_path.exists():
        os.environ.setdefault(DBT_DB_PATH_ENV, str(warehouse_from_env()))
        dbt_project.preparer.prepare(dbt_project)
    return dbt_project.manifest_path


class WarehouseResource(ConfigurableResource):
    """The inbox to read and the published warehouse to refresh (empty = environment/defaults)."""

    inbox: str = ""
    warehouse: str = ""
    allow_shrink: bool = False

    def inbox_path(self) -> Path:
        return Path(self.inbox).expanduser().resolve() if self.inbox else inbox_from_env()

    def layout(self) -> WarehouseLayout:
        published = Path(self.warehouse).expanduser().resolve() if self.warehouse else warehouse_from_env()
        return WarehouseLayout(published)

    def candidate_for(self, run_id: str) -> Path:
        return self.layout().candidate(run_id)


class RefreshLockResource(ConfigurableResource):
    """Holds the warehouse's refresh lock for a whole run (the job runs in one process).

    Runs started by the schedule, the sensor or the UI then exclude each other and the CLI, as
    CLI refreshes already do; leftovers of crashed runs are cleaned once the lock is held.
    Re-entrant: the CLI holds the same lock around the run it starts.
    """

    warehouse_config: WarehouseResource

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator["RefreshLockResource"]:
        layout = self.warehouse_config.layout()
        with warehouse.refresh_lock(layout):
            warehouse.remove_stale_candidates(layout)
            warehouse.check_free_space(layout)
            yield self


def dbt_resource() -> DbtCliResource:
    # The dbt installed beside this interpreter: the CLI may run without the venv on PATH.
    dbt_executable = Path(sys.executable).with_name("dbt")
    return DbtCliResource(
        project_dir=dbt_project,
        profiles_dir=str(DBT_PROJECT_DIR),
        dbt_executable=str(dbt_executable) if dbt_executable.exists() else "dbt",
    )
