"""Where things live. The one place that knows the repository layout and the environment overrides.

BUDGET_INBOX      folder of report files (default: the bundled samples in data/samples)
BUDGET_WAREHOUSE  the published DuckDB file (default: warehouse/budget.duckdb)
BUDGET_DUCKLAKE_CATALOG, BUDGET_DUCKLAKE_DATA, BUDGET_DUCKLAKE_S3_*: the optional DuckLake backend
                  (``DuckLakeSettings``, docs/ducklake.md); unset, nothing but the file is published
Everything the pipeline writes besides the published file lives in the warehouse's folder, so that
the atomic swap (os.replace) always stays on one filesystem.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from contract.errors import WarehouseError

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


@dataclass(frozen=True)
class DuckLakeSettings:
    """Where the optional DuckLake copy of the warehouse lives (publishing.ducklake, docs/ducklake.md).

    ``catalog``: ``sqlite:<file>`` or ``postgres:<libpq connection string>``; ``data_path``: a folder or
    ``s3://bucket/prefix/``. The S3 fields matter only for an s3:// data path; an empty endpoint is AWS.
    """

    catalog: str
    data_path: str
    s3_endpoint: str = ""
    s3_region: str = "us-east-1"
    s3_url_style: str = "vhost"
    s3_use_ssl: bool = True
    s3_key_id: str = field(default="", repr=False)
    s3_secret: str = field(default="", repr=False)

    @property
    def on_s3(self) -> bool:
        return self.data_path.startswith("s3://")


def ducklake_from_env(env: dict[str, str] | None = None) -> DuckLakeSettings | None:
    """The DuckLake backend as configured by the environment; None (the default) when it is off.

    BUDGET_DUCKLAKE_CATALOG    sqlite:/srv/lake/catalog.sqlite or postgres:dbname=budget host=...
    BUDGET_DUCKLAKE_DATA       /srv/lake/data/ or s3://bucket/budget/
    BUDGET_DUCKLAKE_S3_ENDPOINT, _REGION, _URL_STYLE (vhost|path), _USE_SSL (true|false): S3-compatible storage;
    the keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
    """
    env = os.environ if env is None else env
    catalog = env.get("BUDGET_DUCKLAKE_CATALOG", "").strip()
    if not catalog:
        return None
    data_path = env.get("BUDGET_DUCKLAKE_DATA", "").strip()
    if not data_path:
        raise WarehouseError(
            "BUDGET_DUCKLAKE_CATALOG is set but BUDGET_DUCKLAKE_DATA is not: set the lake's data folder or s3:// path"
        )
    return DuckLakeSettings(
        catalog=catalog,
        data_path=data_path,
        s3_endpoint=env.get("BUDGET_DUCKLAKE_S3_ENDPOINT", ""),
        s3_region=env.get("BUDGET_DUCKLAKE_S3_REGION", "us-east-1"),
        s3_url_style=env.get("BUDGET_DUCKLAKE_S3_URL_STYLE", "vhost"),
        s3_use_ssl=env.get("BUDGET_DUCKLAKE_S3_USE_SSL", "true").lower() not in ("0", "false", "no"),
        s3_key_id=env.get("AWS_ACCESS_KEY_ID", ""),
        s3_secret=env.get("AWS_SECRET_ACCESS_KEY", ""),
    )
