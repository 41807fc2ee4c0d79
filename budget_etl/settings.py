"""Where things live. The one place that knows the repository layout and the environment overrides.

BUDGET_INBOX      folder of report files (default: the bundled samples in data/samples)
BUDGET_WAREHOUSE  the published DuckDB file (default: warehouse/budget.duckdb)
Everything the pipeline writes besides the published file lives in the warehouse's folder, so that
the atomic swap (os.replace) always stays on one filesystem.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES_DIR = REPO_ROOT / "data" / "samples"
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DEFAULT_WAREHOUSE = REPO_ROOT / "warehouse" / "budget.duckdb"

# DuckDB 1.4 is what most BI drivers (JDBC, duckdb-engine wheels pinned by Superset/Metabase) bundle;
# files written with this storage version stay readable by them.
STORAGE_COMPATIBILITY_VERSION = "v1.4.0"

# Every step that writes a DuckDB file runs in this Dagster pool (DuckDB allows one writer).
DUCKDB_WRITER_POOL = "duckdb_writer"


def inbox_from_env() -> Path:
    return Path(os.environ.get("BUDGET_INBOX") or SAMPLES_DIR).expanduser().resolve()


def warehouse_from_env() -> Path:
    return Path(os.environ.get("BUDGET_WAREHOUSE") or DEFAULT_WAREHOUSE).expanduser().resolve()


@dataclass(frozen=True)
class WarehouseLayout:
    """The files around one published warehouse."""

    published: Path

    @property
    def directory(self) -> Path:
        return self.published.parent

    @property
    def state_dir(self) -> Path:
        """Working files of the pipeline, hidden next to the published file."""
        return self.directory / f".{self.published.stem}"

    def candidate(self, run_id: str) -> Path:
        return self.state_dir / f"candidate-{run_id}.duckdb"

    @property
    def extracted_dir(self) -> Path:
        """Parsed reports cached by content hash and parser version."""
        return self.state_dir / "extracted"

    @property
    def archive_dir(self) -> Path:
        """Every loaded source file, stored by sha256."""
        return self.state_dir / "archive"

    @property
    def versions_dir(self) -> Path:
        """Previously published warehouses, for rollback."""
        return self.state_dir / "versions"

    @property
    def docs_dir(self) -> Path:
        """Great Expectations Data Docs of each run."""
        return self.state_dir / "data_docs"

    @property
    def lock_file(self) -> Path:
        return self.state_dir / "refresh.lock"
