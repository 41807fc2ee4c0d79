"""The dbt parse started ahead of a warehouse's first build: taken over, or stopped and removed."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from contract.files import WarehouseFiles
from orchestration import dbt_parse_ahead
from orchestration.dbt_parse_ahead import SAVED_PARSE

# Stands in for dbt: writes a saved parse into the folder after --target-path, as `dbt parse` does.
FAKE_DBT = f"""#!{sys.executable}
import sys
from pathlib import Path
target = Path(sys.argv[sys.argv.index("--target-path") + 1])
(target / "{SAVED_PARSE}").write_bytes(b"parsed for " + sys.argv[1].encode())
"""


@pytest.fixture
def files(tmp_path) -> WarehouseFiles:
    yield WarehouseFiles(tmp_path / "wh" / "budget.duckdb")
    dbt_parse_ahead.discard_all()


def _use_dbt(monkeypatch, tmp_path: Path, script: str) -> None:
    path = tmp_path / "dbt"
    path.write_text(script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(dbt_parse_ahead, "dbt_executable", lambda: str(path))


def test_the_build_takes_the_parse_and_its_folder_goes(files, monkeypatch, tmp_path):
    _use_dbt(monkeypatch, tmp_path, FAKE_DBT)
    assert dbt_parse_ahead.start(files)
    folder = Path(dbt_parse_ahead._started[files.dbt_target_dir].folder.name)
    assert not dbt_parse_ahead.start(files)  # one at a time per warehouse
    assert dbt_parse_ahead.adopt(files).startswith("using the parse started ahead")
    assert (files.dbt_target_dir / SAVED_PARSE).read_bytes() == b"parsed for parse"
    assert not folder.exists()
    assert dbt_parse_ahead.adopt(files) == "no parse was started ahead of this build"


def test_a_warehouse_with_a_saved_parse_starts_none(files, monkeypatch, tmp_path):
    _use_dbt(monkeypatch, tmp_path, FAKE_DBT)
    files.dbt_target_dir.mkdir(parents=True)
    (files.dbt_target_dir / SAVED_PARSE).write_bytes(b"dbt's own")
    assert not dbt_parse_ahead.start(files)


def test_a_saved_parse_that_appeared_meanwhile_is_kept(files, monkeypatch, tmp_path):
    _use_dbt(monkeypatch, tmp_path, FAKE_DBT)
    assert dbt_parse_ahead.start(files)
    files.dbt_target_dir.mkdir(parents=True)
    (files.dbt_target_dir / SAVED_PARSE).write_bytes(b"dbt's own")
    assert "kept" in dbt_parse_ahead.adopt(files)
    assert (files.dbt_target_dir / SAVED_PARSE).read_bytes() == b"dbt's own"


def test_a_failed_parse_leaves_dbt_to_parse_itself(files, monkeypatch, tmp_path):
    _use_dbt(monkeypatch, tmp_path, f"#!{sys.executable}\nimport sys\nsys.exit(2)\n")
    assert dbt_parse_ahead.start(files)
    assert "failed (exit 2)" in dbt_parse_ahead.adopt(files)
    assert not (files.dbt_target_dir / SAVED_PARSE).exists()


def test_a_parse_no_build_took_is_stopped_and_removed(files, monkeypatch, tmp_path):
    _use_dbt(monkeypatch, tmp_path, f"#!{sys.executable}\nimport time\ntime.sleep(60)\n")
    assert dbt_parse_ahead.start(files)
    parse = dbt_parse_ahead._started[files.dbt_target_dir]
    dbt_parse_ahead.discard_all()
    assert parse.process.returncode is not None  # killed, not left running for a minute
    assert not Path(parse.folder.name).exists()
    assert not dbt_parse_ahead._started


def test_a_dbt_that_cannot_start_leaves_the_refresh_as_it_was(files, monkeypatch, tmp_path):
    monkeypatch.setattr(dbt_parse_ahead, "dbt_executable", lambda: str(tmp_path / "no-such-dbt"))
    assert not dbt_parse_ahead.start(files)
    assert dbt_parse_ahead.adopt(files) == "no parse was started ahead of this build"
