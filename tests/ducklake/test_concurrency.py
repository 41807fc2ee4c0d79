"""Readers in other processes while the lake is published again and again: no read fails, each read sees one
whole version, and a reader holding a transaction keeps its snapshot until it starts a new one."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from publishing.ducklake.publish import publish_to_lake
from tests.ducklake.conftest import child, file_state, local_settings, write_settings

pytestmark = pytest.mark.slow


def test_readers_during_publishes(version_a, version_b, tmp_path):
    settings = local_settings(tmp_path / "lake")
    publish_to_lake(version_a, settings, run_id="run-a")
    config = write_settings(settings, tmp_path / "settings.json")
    stop = tmp_path / "stop"
    outs = [tmp_path / f"reader-{i}.json" for i in range(3)]
    modes = ["per-query", "per-query", "snapshot"]
    readers = [child("read", str(config), mode, str(stop), str(out)) for mode, out in zip(modes, outs, strict=True)]
    try:
        deadline = time.monotonic() + 120
        while not all(Path(f"{out}.ready").exists() for out in outs):
            assert time.monotonic() < deadline, "readers did not start"
            assert all(r.poll() is None for r in readers), "a reader died"
            time.sleep(0.1)
        for version in (version_b, version_a, version_b):
            publish_to_lake(version, settings, run_id=version.stem)
            time.sleep(0.5)
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=120)
    results = [json.loads(out.read_text()) for out in outs]
    a, b = list(file_state(version_a)), list(file_state(version_b))
    for result in results:
        assert result["failures"] == 0, result["errors"]
        assert result["reads"] > 0
        assert all(seen in (a, b) for seen in result["versions"])  # never a mix of two versions
    for result in results[:2]:
        assert result["versions"][0] == a and result["versions"][-1] == b  # saw the publishes, in order
    snapshot = results[2]
    assert snapshot["versions"] == [a]  # kept its snapshot through three publishes
    assert snapshot["after"] == b  # a new transaction sees the last publish
