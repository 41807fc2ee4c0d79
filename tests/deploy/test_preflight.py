"""`make serve`'s first step (orchestration/deploy/preflight.py): one line when Postgres cannot be
reached or the connection is not configured; the real server is exercised by test_daemon.py."""

from __future__ import annotations

import subprocess
import sys

from contract.settings import REPO_ROOT
from tests.deploy.postgres import free_port


def _preflight(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "orchestration.deploy.preflight"],
        env={"PATH": "/usr/bin:/bin", **env},
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_unreachable_server_is_one_line_naming_it():
    port = free_port()  # nothing listens there
    env = {"DAGSTER_PG_HOST": "127.0.0.1", "DAGSTER_PG_PORT": str(port), "DAGSTER_PG_USER": "dagster"}
    done = _preflight({**env, "DAGSTER_PG_PASSWORD": "", "DAGSTER_PG_DB": "dagster"})
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"cannot connect to Postgres dagster@127.0.0.1:{port}/dagster" in lines[0]
    assert "docs/deployment.md" in lines[0]


def test_missing_variables_are_named():
    done = _preflight({"DAGSTER_PG_HOST": "127.0.0.1"})
    assert done.returncode == 2
    assert "set DAGSTER_PG_PORT, DAGSTER_PG_USER, DAGSTER_PG_PASSWORD, DAGSTER_PG_DB" in done.stderr
