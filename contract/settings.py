"""Where things live. The one place that knows the repository layout and the environment overrides.

BUDGET_INBOX      folder of report files (default: the bundled samples in data/samples)
BUDGET_WAREHOUSE  the published DuckDB file (default: warehouse/budget.duckdb)
Everything the pipeline writes besides the published file lives in the warehouse's folder, so that
the atomic swap (os.replace) always stays on one filesystem.
"""

from __future__ import annotations

import os
from pathlib import Path

# The one place that derives a path from this file's location.
REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES_DIR = REPO_ROOT / "data" / "samples"
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DEFAULT_WAREHOUSE = REPO_ROOT / "warehouse" / "budget.duckdb"
DBT_SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
DBT_SOURCES_YML = DBT_PROJECT_DIR / "models" / "staging" / "_sources.yml"
GX_DIR = REPO_ROOT / "expectations" / "gx"
GX_SUITES_DIR = GX_DIR / "expectations"

# DuckDB 1.4 is what most BI drivers (JDBC, duckdb-engine wheels pinned by Superset/Metabase) bundle;
# files written with this storage version stay readable by them.
STORAGE_COMPATIBILITY_VERSION = "v1.4.0"

# The schema analysts query, and the schema the loader writes for dbt to stage.
PUBLISHED_SCHEMA = "main"
RAW_SCHEMA = "raw"

# dbt's threads in a refresh: models and data tests that do not depend on each other run side by
# side, so one node's Python work (compiling, logging) overlaps another's query. One per core, at
# most 4 (DuckDB already spreads each query over the cores); the environment variable overrides it,
# and passes the value on to dbt_project/profiles.yml.
DBT_THREADS = min(os.cpu_count() or 1, 4)
DBT_THREADS_ENV = "BUDGET_DBT_THREADS"


def dbt_threads() -> int:
    value = os.environ.get(DBT_THREADS_ENV, "")
    return int(value) if value.isdigit() and int(value) > 0 else DBT_THREADS


# Every step that writes a DuckDB file runs in this Dagster pool (DuckDB allows one writer).
DUCKDB_WRITER_POOL = "duckdb_writer"


def inbox_from_env() -> Path:
    return Path(os.environ.get("BUDGET_INBOX") or SAMPLES_DIR).expanduser().resolve()


def warehouse_from_env() -> Path:
    return Path(os.environ.get("BUDGET_WAREHOUSE") or DEFAULT_WAREHOUSE).expanduser().resolve()
