"""The dbt workflow for developing models: dbt against a copy of the published warehouse.

`cd dbt_project && dbt docs generate` alone fails (profiles.yml needs BUDGET_DBT_DB_PATH);
scripts/dbt_dev.py (`make dbt ARGS=...`) sets it to a copy, never to the published file.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
import sys

from contract.settings import REPO_ROOT

SCRIPT = REPO_ROOT / "scripts" / "dbt_dev.py"


def test_docs_generate_runs_against_a_copy_of_the_published_warehouse(warehouse_copy, tmp_path):
    before = hashlib.sha256(warehouse_copy.read_bytes()).hexdigest()
    dev_db = tmp_path / "dev" / "dev.duckdb"
    target = tmp_path / "target"
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--warehouse", str(warehouse_copy), "--db", str(dev_db)]
        + ["docs", "generate", "--target-path", str(target), "--log-path", str(tmp_path / "logs")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert dev_db.exists() and f"copied {warehouse_copy}" in run.stderr
    assert (target / "index.html").exists()
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    assert "model.budget_etl.fct_project_funding" in catalog["nodes"]
    assert hashlib.sha256(warehouse_copy.read_bytes()).hexdigest() == before  # the published file untouched


def test_a_missing_published_warehouse_is_one_line(tmp_path):
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--warehouse", str(tmp_path / "none.duckdb"), "build"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0
    assert "none.duckdb does not exist: run `make run`" in run.stderr


def test_builds_are_full_refreshes_so_an_edited_incremental_model_is_rebuilt_whole():
    spec = importlib.util.spec_from_file_location("dbt_dev", SCRIPT)
    dbt_dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dbt_dev)
    with_full_refresh = dbt_dev.with_full_refresh
    assert with_full_refresh(["build", "--select", "int_indicators"]) == [
        "build",
        "--select",
        "int_indicators",
        "--full-refresh",
    ]
    assert with_full_refresh(["run", "--full-refresh"]) == ["run", "--full-refresh"]
    assert with_full_refresh(["test"]) == ["test"]
