"""The DuckLake backend on a local folder with a SQLite catalog: publish, readers, rollback, extensions."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from contract.errors import WarehouseError
from contract.settings import ducklake_from_env
from publishing.ducklake.extensions import WHEELS, extension_file
from publishing.ducklake.lake import connect_lake
from publishing.ducklake.publish import publish_to_lake
from publishing.ducklake.versions import published_versions, rollback_lake
from tests.ducklake.child import QUERY
from tests.ducklake.conftest import SAMPLES, file_state, lake_env, lake_state, local_settings

pytestmark = pytest.mark.slow


def test_the_refresh_publishes_the_gated_build_to_the_lake(lake_refresh):
    state = lake_state(lake_refresh.settings)
    assert state == (lake_refresh.run_id, *SAMPLES)
    assert state == file_state(lake_refresh.warehouse)
    con = connect_lake(lake_refresh.settings)
    try:
        versions = published_versions(con)
        schemas = {
            s
            for (s,) in con.execute("SELECT schema_name FROM duckdb_schemas() WHERE database_name = 'lake'").fetchall()
        }
        comment = con.execute(
            "SELECT comment FROM duckdb_tables() WHERE database_name = 'lake' AND table_name = 'fct_project_funding'"
        ).fetchone()[0]
    finally:
        con.close()
    assert [(v.kind, v.run_id) for v in versions] == [("publish", lake_refresh.run_id)]
    assert not any(s.startswith("candidate_") for s in schemas)
    assert comment.startswith("One row per project")  # the dbt descriptions, as in the file
    # The data is Parquet in the data folder (nothing inlined into the catalog).
    assert len(list(Path(lake_refresh.settings.data_path).rglob("*.parquet"))) >= 20


def test_publish_and_rollback_through_snapshots(version_a, version_b, tmp_path):
    settings = local_settings(tmp_path / "lake")
    a = publish_to_lake(version_a, settings, run_id="run-a")
    b = publish_to_lake(version_b, settings, run_id="run-b")
    assert lake_state(settings) == file_state(version_b)
    assert lake_state(settings)[2] < 78
    assert lake_state(settings, snapshot=a)[1:] == SAMPLES  # time travel to the earlier publish

    restored = rollback_lake(settings)
    assert (restored.kind, restored.restored) == ("rollback", a)
    assert lake_state(settings) == file_state(version_a)
    assert lake_state(settings)[1:] == SAMPLES
    with pytest.raises(WarehouseError, match="nothing to roll back to"):
        rollback_lake(settings)  # walks back: nothing was published before a
    assert lake_state(settings)[1:] == SAMPLES

    rollback_lake(settings, to_snapshot=b)
    assert lake_state(settings) == file_state(version_b)
    with pytest.raises(WarehouseError, match="not a published version"):
        rollback_lake(settings, to_snapshot=0)


def test_a_reader_keeps_its_snapshot_during_a_publish(version_a, version_b, tmp_path):
    settings = local_settings(tmp_path / "lake")
    a = publish_to_lake(version_a, settings, run_id="run-a")
    reader = connect_lake(settings)
    pinned = connect_lake(settings, snapshot=a)
    try:
        reader.execute("BEGIN")
        assert reader.execute(QUERY).fetchone()[1:] == SAMPLES
        publish_to_lake(version_b, settings, run_id="run-b")
        assert reader.execute(QUERY).fetchone()[1:] == SAMPLES  # its transaction keeps the snapshot
        assert pinned.execute(QUERY).fetchone()[1:] == SAMPLES  # a reader pinned to a snapshot stays there
        reader.execute("COMMIT")
        assert tuple(reader.execute(QUERY).fetchone()) == file_state(version_b)  # the next one sees the publish
    finally:
        reader.close()
        pinned.close()
    assert lake_state(settings) == file_state(version_b)


def test_readers_cannot_write(version_a, tmp_path):
    settings = local_settings(tmp_path / "lake")
    publish_to_lake(version_a, settings, run_id="run-a")
    con = connect_lake(settings)
    try:
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM fct_project_funding")
    finally:
        con.close()
    assert lake_state(settings)[1:] == SAMPLES


def test_no_lake_yet_is_one_line(tmp_path):
    with pytest.raises(WarehouseError, match="no DuckLake catalog at"):
        connect_lake(local_settings(tmp_path / "none"))


def test_extensions_load_from_the_wheels_never_the_network(version_a, tmp_path):
    for name in WHEELS:
        assert "site-packages" in str(extension_file(name)) and extension_file(name).is_file()
    settings = local_settings(tmp_path / "lake")
    publish_to_lake(version_a, settings, run_id="run-a")
    # The writer's connection: a reader's may not even list the extension folder (closed at the engine).
    con = connect_lake(settings, read_only=False)
    try:
        assert con.execute("SELECT current_setting('autoinstall_known_extensions')").fetchone()[0] is False
        loaded = dict(con.execute("SELECT extension_name, loaded FROM duckdb_extensions()").fetchall())
    finally:
        con.close()
    assert loaded["ducklake"] and loaded["sqlite_scanner"]
    assert not loaded.get("httpfs")  # a local lake needs no network extension


def test_settings_from_the_environment(tmp_path):
    assert ducklake_from_env({}) is None
    settings = ducklake_from_env(lake_env(local_settings(tmp_path)) | {"BUDGET_DUCKLAKE_S3_USE_SSL": "false"})
    assert settings.catalog.startswith("sqlite:") and not settings.on_s3 and not settings.s3_use_ssl
    with pytest.raises(WarehouseError, match="BUDGET_DUCKLAKE_DATA"):
        ducklake_from_env({"BUDGET_DUCKLAKE_CATALOG": "sqlite:/x.sqlite"})


def test_cli_rollback_rolls_the_lake_back_with_the_file(version_a, version_b, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from budget_etl.cli import app
    from contract.files import WarehouseFiles

    files = WarehouseFiles(tmp_path / "wh" / "budget.duckdb")
    files.versions_dir.mkdir(parents=True)
    shutil.copy2(version_a, files.published)
    shutil.copy2(version_b, files.versions_dir / "budget-20260101T000000000000Z.duckdb")
    settings = local_settings(tmp_path / "lake")
    b = publish_to_lake(version_b, settings, run_id="run-b")
    publish_to_lake(version_a, settings, run_id="run-a")
    monkeypatch.setenv("BUDGET_DUCKLAKE_CATALOG", settings.catalog)
    monkeypatch.setenv("BUDGET_DUCKLAKE_DATA", settings.data_path)
    result = CliRunner().invoke(app, ["rollback", "--warehouse", str(files.published)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"publishes snapshot {b} again (run run-b)" in result.stdout
    assert file_state(files.published) == file_state(version_b) == lake_state(settings)


def test_readers_are_closed_at_the_engine(version_a, tmp_path):
    settings = local_settings(tmp_path / "lake")
    publish_to_lake(version_a, settings, run_id="run-a")
    outside = tmp_path / "outside.csv"
    outside.write_text("a\n1\n")
    con = connect_lake(settings)
    try:
        with pytest.raises(duckdb.Error, match="disabled by configuration"):
            con.execute(f"SELECT * FROM read_csv('{outside}')")
        with pytest.raises(duckdb.Error):
            con.execute("SET enable_external_access = true")
        assert con.execute(QUERY).fetchone()[1:] == SAMPLES
    finally:
        con.close()
