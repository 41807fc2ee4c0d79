"""The scaled deployment profile, for real: orchestration/deploy/dagster.yaml against a live Postgres.

Two code locations (gRPC code servers, as on separate machines), one warehouse each, both watching
an inbox, their extraction caches one shared folder. A report is dropped into the inboxes, then
`dagster-daemon run` starts: each location's inbox sensor requests a refresh, the queued run
coordinator starts both (different code locations run side by side), each run publishes its
warehouse. Everything Dagster records (runs, events, sensor cursors, daemon heartbeats) is in
Postgres. docs/deployment.md describes the profile.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg2
import pytest
import yaml
from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter

from contract.files import WarehouseFiles
from contract.settings import REPO_ROOT, SAMPLES_DIR
from ingestion.version import parser_version
from tests.deploy.postgres import Cluster, free_port, wait_for

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
DEPLOY_INSTANCE = REPO_ROOT / "orchestration" / "deploy" / "dagster.yaml"
REPORT = SAMPLES_DIR / "000_78a7ae6ba5b81e46.txt"
LOCATIONS = ("warehouse_a", "warehouse_b")
JOB = "refresh_warehouse"
FINISHED = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}


@dataclass
class Deployment:
    cluster: Cluster
    root: Path
    cache: Path
    warehouses: dict[str, Path]
    runs: dict[str, object]  # code location -> its RunRecord
    instance: DagsterInstance
    heartbeats: set[str]


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        # Its own process group: stopping it stops the run workers and dbt it started too.
        return subprocess.Popen(
            [str(c) for c in command], env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop_all(processes: list[subprocess.Popen]) -> None:
    """SIGTERM to every process group at once, then SIGKILL to whatever is left after 20 seconds."""
    running = [p for p in processes if p.poll() is None]
    for process in running:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    for process in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _serving(port: int, process: subprocess.Popen, log: Path) -> bool:
    if process.poll() is not None:
        raise RuntimeError(f"code server exited ({process.returncode}):\n{_tail(log)}")
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""


def _failure_messages(instance: DagsterInstance, run_id: str) -> list[str]:
    return [
        entry.dagster_event.message or ""
        for entry in instance.all_logs(run_id)
        if entry.dagster_event
        and entry.dagster_event.event_type in (DagsterEventType.STEP_FAILURE, DagsterEventType.RUN_FAILURE)
    ]


@pytest.fixture(scope="module")
def deployment(postgres: Cluster, tmp_path_factory) -> Deployment:
    root = tmp_path_factory.mktemp("deploy")
    home = root / "dagster_home"
    home.mkdir()
    shutil.copy(DEPLOY_INSTANCE, home / "dagster.yaml")
    cache = root / "shared-extraction-cache"
    cache.mkdir()
    env = {**os.environ, **postgres.env(), "DAGSTER_HOME": str(home)}
    processes: list[subprocess.Popen] = []
    instance: DagsterInstance | None = None
    with pytest.MonkeyPatch.context() as mp:
        for key, value in {**postgres.env(), "DAGSTER_HOME": str(home)}.items():
            mp.setenv(key, value)
        try:
            warehouses, servers = {}, []
            for name in LOCATIONS:
                inbox = root / name / "inbox"
                inbox.mkdir(parents=True)
                warehouse = root / name / "warehouse" / "budget.duckdb"
                files = WarehouseFiles(warehouse)
                files.state_dir.mkdir(parents=True)
                # The operator's one step for a shared cache: the warehouse's cache folder is a link.
                files.extracted_dir.symlink_to(cache, target_is_directory=True)
                port, log = free_port(), root / f"{name}-code-server.log"
                location_env = {**env, "BUDGET_INBOX": str(inbox), "BUDGET_WAREHOUSE": str(warehouse)}
                command = [BIN / "dagster", "api", "grpc", "-m", "orchestration.definitions"]
                command += ["-h", "127.0.0.1", "-p", str(port), "--location-name", name]
                processes.append(_start(command, location_env, log))
                servers.append((name, port, processes[-1], log))
                warehouses[name] = warehouse
            workspace = root / "workspace.yaml"
            workspace.write_text(
                yaml.safe_dump(
                    {
                        "load_from": [
                            {"grpc_server": {"host": "127.0.0.1", "port": port, "location_name": name}}
                            for name, port, _, _ in servers
                        ]
                    }
                )
            )
            for name, port, process, log in servers:
                wait_for(lambda p=port, pr=process, lg=log: _serving(p, pr, lg), 120, f"code server {name}")
            # The report arrives in both inboxes; the sensors' first ticks see it (their cursors in
            # Postgres are empty).
            for name in LOCATIONS:
                shutil.copy(REPORT, root / name / "inbox" / REPORT.name)
            daemon_log = root / "daemon.log"
            processes.append(_start([BIN / "dagster-daemon", "run", "-w", workspace], env, daemon_log))

            instance = DagsterInstance.get()

            def finished_runs():
                if processes[-1].poll() is not None:
                    raise RuntimeError(f"dagster-daemon exited ({processes[-1].returncode}):\n{_tail(daemon_log)}")
                records = instance.get_run_records(RunsFilter(job_name=JOB))
                return records if len(records) >= 2 and all(r.dagster_run.status in FINISHED for r in records) else None

            try:
                records = wait_for(finished_runs, 300, "the sensors' two refresh runs to finish", interval=2)
            except TimeoutError as timeout:
                raise AssertionError(f"{timeout}\ndaemon log:\n{_tail(daemon_log)}") from None
            heartbeats = set(instance.get_daemon_heartbeats())
            runs = {r.dagster_run.tags["dagster/code_location"]: r for r in records}
            yield Deployment(postgres, root, cache, warehouses, runs, instance, heartbeats)
        finally:
            if instance is not None:
                instance.dispose()
            _stop_all(processes)


def test_storage_is_postgres_and_daemon_runs_scheduler_sensors_and_queue(deployment: Deployment):
    instance = deployment.instance
    assert type(instance.run_storage).__name__ == "PostgresRunStorage"
    assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
    assert type(instance.schedule_storage).__name__ == "PostgresScheduleStorage"
    assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
    # The nightly schedule and the inbox sensor are the daemon's: its scheduler, sensor and
    # queue loops report to Postgres.
    assert {"SCHEDULER", "SENSOR", "QUEUED_RUN_COORDINATOR"} <= deployment.heartbeats
    c = deployment.cluster
    with psycopg2.connect(host=c.host, port=c.port, user=c.user, dbname=c.db) as con, con.cursor() as cur:
        cur.execute("SELECT count(*) FROM runs WHERE pipeline_name = %s", (JOB,))
        assert cur.fetchone()[0] == 2
    # Each location's inbox sensor keeps its cursor (the inbox it last saw) in Postgres.
    sensors = [s for s in instance.all_instigator_state() if s.instigator_name == "inbox_sensor"]
    assert len(sensors) == len(LOCATIONS) and all(s.instigator_data.cursor for s in sensors), sensors


def test_the_inbox_sensor_run_publishes_the_dropped_report(deployment: Deployment):
    assert set(deployment.runs) == set(LOCATIONS)
    for name, record in deployment.runs.items():
        run = record.dagster_run
        assert run.tags.get("dagster/sensor_name") == "inbox_sensor", run.tags
        assert run.status == DagsterRunStatus.SUCCESS, (name, _failure_messages(deployment.instance, run.run_id))
        # Queued by the coordinator, then started by the daemon.
        assert deployment.instance.all_logs(run.run_id, of_type=DagsterEventType.RUN_ENQUEUED)
        con = duckdb.connect(str(deployment.warehouses[name]), read_only=True)
        try:
            assert con.execute("SELECT source_file FROM dim_reports").fetchall() == [(REPORT.name,)]
            assert con.execute("SELECT count(*) FROM fct_project_funding").fetchone()[0] > 0
        finally:
            con.close()


def test_runs_of_two_warehouses_run_at_once_sharing_the_extraction_cache(deployment: Deployment):
    a, b = (deployment.runs[name] for name in LOCATIONS)
    # The coordinator limits runs per code location, not per instance: both ran at the same time.
    assert a.start_time < b.end_time and b.start_time < a.end_time, (a.start_time, a.end_time, b.start_time, b.end_time)
    # Both warehouses' caches are the one folder: a single entry for the report's content (written
    # atomically, whichever run wrote last), no temporary file left behind.
    entries = sorted(p.name for p in deployment.cache.iterdir())
    assert len([e for e in entries if e.endswith(f"-{parser_version()}.json")]) == 1, entries
    assert not [e for e in entries if e.startswith(".tmp-")], entries
    for name in LOCATIONS:
        extracted = WarehouseFiles(deployment.warehouses[name]).extracted_dir
        assert extracted.is_symlink() and extracted.resolve() == deployment.cache.resolve()


def test_make_serve_preflight_reaches_the_server(postgres: Cluster):
    done = subprocess.run(
        [sys.executable, "-m", "orchestration.deploy.preflight"],
        env={**os.environ, **postgres.env()},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert f"Dagster instance in Postgres dagster@127.0.0.1:{postgres.port}/dagster" in done.stdout
