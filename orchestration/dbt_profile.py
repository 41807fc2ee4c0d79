"""What dbt's profile (dbt_project/profiles.yml) is given, and the dbt that runs with it.

dbt keeps its saved parse only while the profile renders the same, so whoever runs dbt for the
refresh (the dbt step, and the parse started ahead of it: orchestration/dbt_parse_ahead.py) takes
the profile's environment from here. No Dagster import: the CLI starts that parse before it loads
the pipeline's definitions.
"""

from __future__ import annotations

import sys
from pathlib import Path

from contract.settings import DBT_THREADS_ENV, STORAGE_COMPATIBILITY_VERSION, dbt_threads

# dbt resolves this env var in dbt_project/profiles.yml: the file a dbt build writes into.
DBT_DB_PATH_ENV = "BUDGET_DBT_DB_PATH"
# ... and this one the storage version of a file dbt creates (the value is contract.settings').
DBT_STORAGE_VERSION_ENV = "BUDGET_DUCKDB_STORAGE_VERSION"


def profile_settings() -> dict[str, str]:
    """The profile's variables that do not depend on the warehouse: threads and storage version."""
    return {DBT_THREADS_ENV: str(dbt_threads()), DBT_STORAGE_VERSION_ENV: STORAGE_COMPATIBILITY_VERSION}


def profile_env(build_link: Path) -> dict[str, str]:
    """Every variable the profile reads, for a dbt that builds through ``build_link``
    (contract.files.WarehouseFiles.dbt_build_link)."""
    return {**profile_settings(), DBT_DB_PATH_ENV: str(build_link)}


def dbt_executable() -> str:
    """The dbt installed beside this interpreter: the CLI may run without the venv on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else "dbt"
