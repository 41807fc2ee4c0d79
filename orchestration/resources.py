"""Dagster resources: where the inbox and the warehouse are, and the dbt project."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

from dagster import ConfigurableResource, InitResourceContext
from dagster_dbt import DbtCliResource, DbtProject
from packaging.version import Version

from contract.files import WarehouseFiles
from contract.settings import DBT_PROJECT_DIR, inbox_from_env, warehouse_from_env
from orchestration.dbt_profile import dbt_executable, prepare_manifest, profile_settings
from publishing.candidate import remove_stale_files
from publishing.disk import check_free_space
from publishing.lock import refresh_lock

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def ensure_dbt_manifest() -> Path:
    """The manifest is prepared at install time (`make install`: ``dbt_profile.prepare_manifest``).

    A checkout that skipped it gets it prepared once here rather than failing at import.
    """
    if not dbt_project.manifest_path.exists():
        prepare_manifest()
    return dbt_project.manifest_path


class WarehouseResource(ConfigurableResource):
    """The inbox to read and the published warehouse to refresh (empty = environment/defaults)."""

    inbox: str = ""
    warehouse: str = ""
    allow_shrink: bool = False

    def inbox_path(self) -> Path:
        return Path(self.inbox).expanduser().resolve() if self.inbox else inbox_from_env()

    def warehouse_files(self) -> WarehouseFiles:
        published = Path(self.warehouse).expanduser().resolve() if self.warehouse else warehouse_from_env()
        return WarehouseFiles(published)

    def candidate_for(self, run_id: str) -> Path:
        return self.warehouse_files().candidate(run_id)


class RefreshLockResource(ConfigurableResource):
    """Holds the warehouse's refresh lock for a whole run (the job runs in one process).

    Runs started by the schedule, the sensor or the UI then exclude each other and the CLI, as
    CLI refreshes already do; leftovers of crashed runs are cleaned once the lock is held.
    """

    warehouse_config: WarehouseResource

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator[RefreshLockResource]:
        warehouse_files = self.warehouse_config.warehouse_files()
        with refresh_lock(warehouse_files):
            remove_stale_files(warehouse_files)
            check_free_space(warehouse_files)
            yield self


class BudgetDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource without two costs per command that this project never uses.

    Before each dbt command dagster-dbt runs ``dbt --version`` in a subprocess and builds a dbt
    adapter in this process (profile, project, macros): seconds of every refresh, for
    ``fetch_row_counts`` / ``fetch_column_metadata`` only, which the dbt asset does not call. The
    version is read from the installed dbt-core (the dbt beside this interpreter) and no adapter is
    built. Both names are dagster-dbt's own (pinned <0.30); tests/orchestration fails if they go.
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None


def dbt_resource() -> DbtCliResource:
    os.environ.update(profile_settings())
    return BudgetDbtCliResource(
        project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=dbt_executable()
    )
