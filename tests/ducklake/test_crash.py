"""A publish killed (SIGKILL) at any moment leaves the last published snapshot intact and readable; the next
publish removes what it left (staging schema, unreferenced Parquet files) and succeeds."""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

import pytest

from publishing.ducklake.publish import publish_to_lake
from tests.ducklake.conftest import SAMPLES, child, file_state, lake_state, local_settings, write_settings

pytestmark = pytest.mark.slow


def catalog_files(settings) -> int:
    """Parquet files the catalog knows (live, of earlier snapshots, or scheduled for deletion)."""
    con = sqlite3.connect(settings.catalog.removeprefix("sqlite:"))
    try:
        return sum(
            con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("ducklake_data_file", "ducklake_delete_file", "ducklake_files_scheduled_for_deletion")
        )
    finally:
        con.close()


def disk_files(settings) -> int:
    return len(list(Path(settings.data_path).rglob("*.parquet")))


def staging_schemas(settings) -> list[str]:
    con = sqlite3.connect(settings.catalog.removeprefix("sqlite:"))
    try:
        return [
            s
            for (s,) in con.execute(
                "SELECT schema_name FROM ducklake_schema WHERE end_snapshot IS NULL AND schema_name LIKE 'candidate%'"
            )
        ]
    finally:
        con.close()


def wait_for(path: Path, proc, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, f"publisher exited ({proc.returncode}) before {path.name}"
        assert time.monotonic() < deadline, f"no {path.name} after {timeout}s"
        time.sleep(0.05)


@pytest.mark.parametrize("step", ["staged", "audited", "before_commit"])
def test_a_kill_mid_publish_leaves_the_last_published_snapshot(step, version_a, version_b, tmp_path):
    settings = local_settings(tmp_path / "lake")
    publish_to_lake(version_a, settings, run_id="run-a")
    config = write_settings(settings, tmp_path / "settings.json")
    proc = child("publish", str(config), str(version_b), "run-b", step)
    wait_for(Path(f"{config}.{step}"), proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    assert lake_state(settings) == file_state(version_a)  # the last published snapshot, readable
    assert lake_state(settings)[1:] == SAMPLES
    if step != "staged":
        assert staging_schemas(settings)  # the dead run's staging schema is still there ...
    if step == "before_commit":
        assert disk_files(settings) > catalog_files(settings)  # ... with the dead transaction's Parquet files

    publish_to_lake(version_b, settings, run_id="run-b")
    assert lake_state(settings) == file_state(version_b)
    assert staging_schemas(settings) == []
    assert disk_files(settings) == catalog_files(settings)  # nothing unreferenced is left


def test_kills_at_random_moments_leave_one_whole_version(version_a, version_b, tmp_path):
    settings = local_settings(tmp_path / "lake")
    publish_to_lake(version_a, settings, run_id="run-a")
    config = write_settings(settings, tmp_path / "settings.json")
    whole = {file_state(version_a), file_state(version_b)}
    for delay in (0.8, 1.6, 2.4, 3.2):
        proc = child("publish", str(config), str(version_b), f"run-{delay}")
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert lake_state(settings) in whole
    publish_to_lake(version_a, settings, run_id="run-final")
    assert lake_state(settings) == file_state(version_a)
    assert disk_files(settings) == catalog_files(settings)
