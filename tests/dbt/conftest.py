"""Builds the sample warehouse once per test session: dbt is slow to start, so tests share it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from contract.settings import STORAGE_COMPATIBILITY_VERSION
from orchestration.dbt_profile import DBT_DB_PATH_ENV, DBT_STORAGE_VERSION_ENV
from tests.dbt.sample_reports import write_raw_warehouse

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")


def run_dbt(args: list[str], *, workdir: Path, db_path: Path | None) -> subprocess.CompletedProcess:
    """Run the dbt CLI on the project with its own target/log dirs under ``workdir``.

    The working directory is ``workdir``, not the project: the profile must not depend on it.
    """
    env = {k: v for k, v in os.environ.items() if k != DBT_DB_PATH_ENV}
    env[DBT_STORAGE_VERSION_ENV] = STORAGE_COMPATIBILITY_VERSION  # as the Dagster dbt resource sets it
    if db_path is not None:
        env[DBT_DB_PATH_ENV] = str(db_path)
    command = [
        str(DBT),
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(workdir / "target"),
        "--log-path",
        str(workdir / "logs"),
    ]
    return subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=600)


@dataclass
class BuiltWarehouse:
    db_path: Path
    target_dir: Path
    build: subprocess.CompletedProcess

    def run_results(self) -> dict:
        return json.loads((self.target_dir / "run_results.json").read_text())


def _build(workdir: Path, command: str) -> BuiltWarehouse:
    workdir.mkdir(parents=True)
    db_path = workdir / "candidate.duckdb"
    write_raw_warehouse(db_path)
    result = run_dbt([command], workdir=workdir, db_path=db_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return BuiltWarehouse(db_path, workdir / "target", result)


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> BuiltWarehouse:
    """The sample reports built with `dbt build` (models, seeds and every data test)."""
    return _build(tmp_path_factory.mktemp("dbt") / "first", "build")


@pytest.fixture(scope="session")
def second_warehouse(tmp_path_factory) -> BuiltWarehouse:
    """The same raw data built again into another fresh file (seeds and models, tests skipped),
    to compare keys across builds."""
    workdir = tmp_path_factory.mktemp("dbt") / "second"
    workdir.mkdir(parents=True)
    db_path = workdir / "candidate.duckdb"
    write_raw_warehouse(db_path)
    result = run_dbt(["build", "--exclude-resource-type", "test"], workdir=workdir, db_path=db_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return BuiltWarehouse(db_path, workdir / "target", result)


@pytest.fixture(scope="session")
def docs(warehouse: BuiltWarehouse, tmp_path_factory) -> dict:
    """manifest.json and catalog.json of `dbt docs generate` on the built warehouse."""
    workdir = tmp_path_factory.mktemp("dbt_docs")
    result = run_dbt(["docs", "generate"], workdir=workdir, db_path=warehouse.db_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    target = workdir / "target"
    return {
        "manifest": json.loads((target / "manifest.json").read_text()),
        "catalog": json.loads((target / "catalog.json").read_text()),
    }
