"""The lake's data on S3-compatible storage: moto's S3 server on 127.0.0.1 (started on a free port, stopped after),
httpfs loaded from its wheel. Publish, a reader keeping its snapshot, a kill mid-publish, rollback."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from contract.settings import DuckLakeSettings
from publishing.ducklake.lake import connect_lake
from publishing.ducklake.publish import publish_to_lake
from publishing.ducklake.versions import rollback_lake
from tests.ducklake.child import QUERY
from tests.ducklake.conftest import SAMPLES, child, file_state, lake_state, write_settings

pytestmark = pytest.mark.slow

boto3 = pytest.importorskip("boto3")
BUCKET = "budget-lake"
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3_endpoint(tmp_path):
    port = free_port()
    log = open(tmp_path / "moto.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "moto server did not start"
                time.sleep(0.2)
        client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", **KEYS)
        client.create_bucket(Bucket=BUCKET)
        yield f"127.0.0.1:{port}", client
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def s3_settings(tmp_path: Path, endpoint: str) -> DuckLakeSettings:
    return DuckLakeSettings(
        catalog=f"sqlite:{tmp_path / 'catalog.sqlite'}",
        data_path=f"s3://{BUCKET}/lake/",
        s3_endpoint=endpoint,
        s3_url_style="path",
        s3_use_ssl=False,
        s3_key_id=KEYS["aws_access_key_id"],
        s3_secret=KEYS["aws_secret_access_key"],
    )


def parquet_keys(client) -> list[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix="lake/")
    return [o["Key"] for page in pages for o in page.get("Contents", []) if o["Key"].endswith(".parquet")]


def test_the_lake_on_s3(s3_endpoint, version_a, version_b, tmp_path):
    endpoint, client = s3_endpoint
    settings = s3_settings(tmp_path, endpoint)
    a = publish_to_lake(version_a, settings, run_id="run-a")
    assert lake_state(settings) == file_state(version_a)
    assert lake_state(settings)[1:] == SAMPLES
    assert len(parquet_keys(client)) >= 20  # the tables are Parquet objects in the bucket
    assert not list(tmp_path.rglob("*.parquet"))  # and nothing on the local disk

    reader = connect_lake(settings)  # closed at the engine: only the lake's s3:// prefix is readable
    try:
        with pytest.raises(duckdb.Error, match="disabled by configuration"):
            reader.execute(f"SELECT * FROM read_parquet('s3://{BUCKET}/elsewhere/x.parquet')")
        reader.execute("BEGIN")
        assert reader.execute(QUERY).fetchone()[1:] == SAMPLES
        publish_to_lake(version_b, settings, run_id="run-b")
        assert reader.execute(QUERY).fetchone()[1:] == SAMPLES  # kept its snapshot during the publish
        reader.execute("COMMIT")
        assert tuple(reader.execute(QUERY).fetchone()) == file_state(version_b)
    finally:
        reader.close()

    rollback_lake(settings, to_snapshot=a)
    assert lake_state(settings)[1:] == SAMPLES

    # A publish killed just before its commit: the published snapshot stays, readable.
    config = write_settings(settings, tmp_path / "settings.json")
    proc = child("publish", str(config), str(version_b), "run-killed", "before_commit")
    deadline = time.monotonic() + 180
    while not Path(f"{config}.before_commit").exists():
        assert proc.poll() is None and time.monotonic() < deadline, "publisher did not reach its commit"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert lake_state(settings)[1:] == SAMPLES
    publish_to_lake(version_b, settings, run_id="run-b2")
    assert lake_state(settings) == file_state(version_b)
