"""What dbt's profile (dbt_project/profiles.yml) is given, and the dbt that runs with it.

dbt keeps its saved parse only while the profile renders the same, so whoever runs dbt for the
refresh (the dbt step, and the dbt started ahead of it: orchestration/dbt_ahead.py) takes
the profile's environment from here. No Dagster import: the CLI starts that dbt before it loads
the pipeline's definitions.

Parsing needs no database, only a profile, and what a parse records of the profile is the
database's name (the file's stem) and schema, the same for every warehouse: each builds through a
link of the same name (contract.files.DBT_BUILD_LINK_NAME). So every parse renders one profile,
``parse_env``, whichever warehouse it is for, and one saved parse serves them all:
``prepare_manifest`` writes it with the manifest into dbt_project/target at install (``make
install``), and each refresh's dbt started ahead parses from it, partially.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from contract.files import DBT_BUILD_LINK_NAME
from contract.settings import DBT_PROJECT_DIR, DBT_THREADS_ENV, STORAGE_COMPATIBILITY_VERSION, dbt_threads

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


# The folder of dbt's own parse of the project: the manifest Dagster reads and the saved parse.
PARSE_DIR = DBT_PROJECT_DIR / "target"
# dbt's saved parse, in its target folder.
SAVED_PARSE = "partial_parse.msgpack"


def parse_env() -> dict[str, str]:
    """The profile every parse renders: a path named as every build link (never opened: a parse
    does not connect), one thread, the storage version."""
    return {
        DBT_THREADS_ENV: "1",
        DBT_STORAGE_VERSION_ENV: STORAGE_COMPATIBILITY_VERSION,
        DBT_DB_PATH_ENV: str(PARSE_DIR / DBT_BUILD_LINK_NAME),
    }


def prepare_manifest() -> Path:
    """Parse the project into PARSE_DIR (manifest.json and the saved parse); returns the manifest."""
    command = [dbt_executable(), "parse", "--quiet", "--profiles-dir", str(DBT_PROJECT_DIR)]
    command += ["--target-path", str(PARSE_DIR)]
    subprocess.run(command, cwd=DBT_PROJECT_DIR, env={**os.environ, **parse_env()}, check=True)
    return PARSE_DIR / "manifest.json"


def dbt_executable() -> str:
    """The dbt command dagster-dbt runs, installed beside this interpreter (the CLI may run without
    the venv on PATH): ``budget-dbt`` (orchestration/dbt_client.py), dbt's own where it is missing."""
    for name in ("budget-dbt", "dbt"):
        beside = Path(sys.executable).with_name(name)
        if beside.exists():
            return str(beside)
    return "dbt"


if __name__ == "__main__":  # `make install`
    prepare_manifest()
