"""One real refresh with the DuckLake configured (local folder, SQLite catalog), and the versions the tests publish.

``version_a``: the published file of that refresh (the five samples, gated). ``version_b``: a copy of it without
one report (its projects and indicators) under another run id, standing in for the next day's gated build.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from contract.settings import SAMPLES_DIR, DuckLakeSettings
from publishing.ducklake.lake import connect_lake
from tests.ducklake.child import QUERY

REPO_ROOT = Path(__file__).resolve().parents[2]
# The five bundled samples: reports, projects, indicators, total 总计 in 万元 (as printed in their 合计 rows).
SAMPLES = (5, 78, 368, "68820.68")


@dataclasses.dataclass(frozen=True)
class LakeRefresh:
    warehouse: Path
    settings: DuckLakeSettings
    run_id: str


def lake_env(settings: DuckLakeSettings) -> dict[str, str]:
    return {"BUDGET_DUCKLAKE_CATALOG": settings.catalog, "BUDGET_DUCKLAKE_DATA": settings.data_path}


@pytest.fixture(scope="session")
def lake_refresh(tmp_path_factory) -> LakeRefresh:
    """The samples refreshed through the Dagster job with the lake configured: the file and the lake published."""
    from orchestration.run import run_refresh

    root = tmp_path_factory.mktemp("lake-refresh")
    inbox = root / "inbox"
    shutil.copytree(SAMPLES_DIR, inbox)
    settings = local_settings(root / "lake")
    saved = {key: os.environ.get(key) for key in lake_env(settings)}
    os.environ.update(lake_env(settings))
    try:
        outcome = run_refresh(inbox, root / "warehouse" / "budget.duckdb", force=True)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert outcome.published, outcome.cause
    warehouse = root / "warehouse" / "budget.duckdb"
    con = duckdb.connect(str(warehouse), read_only=True)
    (run_id,) = con.execute("SELECT value FROM warehouse_meta WHERE key = 'run_id'").fetchone()
    con.close()
    return LakeRefresh(warehouse, settings, run_id)


@pytest.fixture(scope="session")
def version_a(lake_refresh) -> Path:
    return lake_refresh.warehouse


@pytest.fixture(scope="session")
def version_b(version_a, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("version-b") / "candidate-b.duckdb"
    shutil.copy2(version_a, path)
    con = duckdb.connect(str(path))
    (report,) = con.execute("SELECT min(report_key) FROM dim_reports WHERE project_count > 0").fetchone()
    con.execute("DELETE FROM fct_performance_indicators WHERE report_key = ?", [report])
    con.execute("DELETE FROM fct_project_funding WHERE report_key = ?", [report])
    con.execute("DELETE FROM dim_reports WHERE report_key = ?", [report])
    con.execute("UPDATE warehouse_meta SET value = 'run-b' WHERE key = 'run_id'")
    con.execute("CHECKPOINT")
    con.close()
    return path


def local_settings(root: Path) -> DuckLakeSettings:
    return DuckLakeSettings(catalog=f"sqlite:{root / 'catalog.sqlite'}", data_path=str(root / "data"))


def file_state(path: Path) -> tuple:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return tuple(con.execute(QUERY).fetchone())
    finally:
        con.close()


def lake_state(settings: DuckLakeSettings, snapshot: int | None = None) -> tuple:
    con = connect_lake(settings, snapshot=snapshot)
    try:
        return tuple(con.execute(QUERY).fetchone())
    finally:
        con.close()


def write_settings(settings: DuckLakeSettings, path: Path) -> Path:
    path.write_text(json.dumps(dataclasses.asdict(settings)))
    return path


def child(*args: str, **popen) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen([sys.executable, "-m", "tests.ducklake.child", *args], env=env, cwd=REPO_ROOT, **popen)
