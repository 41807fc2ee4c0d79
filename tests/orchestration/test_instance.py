"""The Dagster instance `make dev` sets up: offline, named budget_etl, the user's settings kept, quiet."""

from __future__ import annotations

import shutil
import subprocess
import sys

import yaml
from dagster import DagsterInstance
from dagster._core.workspace.load_target import WorkspaceFileTarget

from contract.settings import REPO_ROOT

SHIPPED = REPO_ROOT / "orchestration" / "dagster.yaml"
WORKSPACE = REPO_ROOT / "orchestration" / "workspace.yaml"


def _instance_from(home) -> DagsterInstance:
    return DagsterInstance.from_config(str(home))


def test_the_shipped_instance_sends_nothing_and_shows_no_sign_up(tmp_path):
    shutil.copy2(SHIPPED, tmp_path / "dagster.yaml")
    with _instance_from(tmp_path) as instance:
        assert instance.telemetry_enabled is False
        assert instance.nux_enabled is False
        assert instance.get_settings("retention")["sensor"]["purge_after_days"]["skipped"] == 7
        limits = instance.run_coordinator.get_run_queue_config().tag_concurrency_limits
        assert {"key": "budget_etl/refresh", "limit": 1} in limits


def test_the_code_location_is_named_budget_etl():
    origins = WorkspaceFileTarget(paths=[str(WORKSPACE)]).create_origins()
    assert [o.location_name for o in origins] == ["budget_etl"]
    assert origins[0].loadable_target_origin.module_name == "orchestration.definitions"


def _make_dagster_home(home) -> None:
    subprocess.run(
        ["make", "--no-print-directory", "-s", "dagster-home", f"DAGSTER_HOME_DIR={home}"],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
        timeout=60,
    )


def test_make_dev_creates_dagster_yaml_once_and_never_overwrites_it(tmp_path):
    home = tmp_path / "dagster_home"
    _make_dagster_home(home)
    assert (home / "dagster.yaml").read_text(encoding="utf-8") == SHIPPED.read_text(encoding="utf-8")
    mine = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    mine["run_queue"]["max_concurrent_runs"] = 1  # the user's own setting
    (home / "dagster.yaml").write_text(yaml.safe_dump(mine), encoding="utf-8")
    _make_dagster_home(home)
    assert yaml.safe_load((home / "dagster.yaml").read_text(encoding="utf-8"))["run_queue"]["max_concurrent_runs"] == 1


def test_loading_the_definitions_prints_no_beta_warning():
    loaded = subprocess.run(
        [sys.executable, "-W", "default", "-c", "import orchestration.definitions"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert loaded.returncode == 0, loaded.stderr
    assert "BetaWarning" not in loaded.stderr and "PreviewWarning" not in loaded.stderr
