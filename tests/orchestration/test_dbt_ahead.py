"""The dbt started ahead of the dbt step: taken by the step's dbt command, or stopped and removed.

A stand-in server speaks the real wire (orchestration/dbt_wire.py) to the real ``budget-dbt``
client; the real server (dbt itself) runs in tests/publishing/test_dbt_build_link.py's refresh.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from contract.files import WarehouseFiles
from orchestration import dbt_ahead, dbt_wire
from orchestration.dbt_profile import SAVED_PARSE

CLIENT = [sys.executable, "-m", "orchestration.dbt_client"]

# Stands in for orchestration/dbt_server.py: "parses" (says whether it was given a saved parse),
# says ready, then answers one command: writes what it got into the client's stdout and exits with
# the code named in its arguments; a stop makes it answer 130.
FAKE_SERVER = """
import os, signal, socket, sys, time
from pathlib import Path
from orchestration import dbt_wire
folder, ready = Path(sys.argv[1]), os.fdopen(int(sys.argv[2]), "w")
saved = folder / "partial_parse.msgpack"
how = "partially from " + saved.read_text() if saved.exists() else "in full"
listener = socket.socket(socket.AF_UNIX)
listener.bind(str(dbt_wire.socket_path(folder)))
listener.listen(1)
ready.write(f"ready, parsed {how}\\n"); ready.close()
conn, _ = listener.accept()
command = dbt_wire.receive_command(conn)
dbt_wire.send_line(conn, os.getpid())
stopped = []
signal.signal(signal.SIGINT, lambda *_: stopped.append(1))
os.write(command.stdout_fd, f"ran {command.args} in {command.cwd} with {command.env['MARK']}\\n".encode())
if command.args[0] == "wait":
    while not stopped:
        time.sleep(0.05)
    dbt_wire.send_line(conn, 130)
elif command.args[0] == "die":
    os._exit(9)
else:
    dbt_wire.send_line(conn, int(command.args[1]))
"""


@pytest.fixture
def files(tmp_path, monkeypatch) -> WarehouseFiles:
    monkeypatch.setattr(dbt_ahead, "PARSE_DIR", tmp_path / "target")  # the install's parse: none
    yield WarehouseFiles(tmp_path / "wh" / "budget.duckdb")
    dbt_ahead.discard_all()


def _use_server(monkeypatch, source: str) -> None:
    monkeypatch.setattr(dbt_ahead, "SERVER", [sys.executable, "-c", source])


def _client(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "MARK": "the step's environment"}
    return subprocess.Popen([*CLIENT, *args], env=env, stdout=subprocess.PIPE, text=True, **kwargs)


def test_the_steps_dbt_command_runs_in_the_dbt_started_ahead(files, monkeypatch, tmp_path):
    _use_server(monkeypatch, FAKE_SERVER)
    (tmp_path / "target").mkdir()
    (tmp_path / "target" / SAVED_PARSE).write_text("the install's parse")
    assert dbt_ahead.start(files)
    assert not dbt_ahead.start(files)  # one at a time per warehouse
    folder = Path(dbt_ahead._started[files.dbt_target_dir].folder.name)
    with dbt_ahead.taken(files) as how:
        assert how.startswith("the build runs in the dbt started ahead, parsed partially from the install's parse")
        client = _client("build", "1", cwd=tmp_path)
        out, _ = client.communicate(timeout=30)
    assert client.returncode == 1  # the server's exit code, as dbt's would be
    assert out == f"ran ['build', '1'] in {tmp_path} with the step's environment\n"
    assert dbt_wire.SOCKET_ENV not in os.environ
    assert not folder.exists()
    with dbt_ahead.taken(files) as how:
        assert how == "none was started ahead of this build: dbt starts now"


def test_a_stop_reaches_the_dbt_started_ahead(files, monkeypatch, tmp_path):
    _use_server(monkeypatch, FAKE_SERVER)
    assert dbt_ahead.start(files)
    with dbt_ahead.taken(files):
        client = _client("wait", cwd=tmp_path)
        assert client.stdout.readline().startswith("ran ['wait']")
        client.send_signal(signal.SIGTERM)  # how dagster-dbt stops a build it cancels
        client.wait(timeout=30)
    assert client.returncode == 130


def test_a_dbt_started_ahead_that_dies_mid_build_fails_the_command(files, monkeypatch, tmp_path):
    _use_server(monkeypatch, FAKE_SERVER)
    assert dbt_ahead.start(files)
    with dbt_ahead.taken(files):
        client = _client("die", cwd=tmp_path, stderr=subprocess.PIPE)
        _out, err = client.communicate(timeout=30)
    assert client.returncode == dbt_wire.EXIT_ERROR
    assert "stopped before it answered" in err


def test_a_failed_parse_leaves_dbt_to_start_itself(files, monkeypatch):
    _use_server(monkeypatch, "import os, sys\nos.write(int(sys.argv[2]), b'failed: dbt parse failed: bad yaml\\n')")
    assert dbt_ahead.start(files)
    with dbt_ahead.taken(files) as how:
        assert how == "the dbt started ahead cannot build (failed: dbt parse failed: bad yaml): dbt starts now"
        assert dbt_wire.SOCKET_ENV not in os.environ
    _use_server(monkeypatch, "import sys\nsys.exit(3)")
    assert dbt_ahead.start(files)
    with dbt_ahead.taken(files) as how:
        assert "it stopped before parsing (exit 3)" in how


def test_a_dbt_no_step_took_is_stopped_and_removed(files, monkeypatch):
    _use_server(monkeypatch, "import time\ntime.sleep(60)")
    assert dbt_ahead.start(files)
    started = dbt_ahead._started[files.dbt_target_dir]
    begun = time.perf_counter()
    dbt_ahead.discard_all()
    assert time.perf_counter() - begun < 30  # killed, not waited for
    assert started.process.returncode is not None
    assert not Path(started.folder.name).exists()
    assert not dbt_ahead._started


def test_a_dbt_that_cannot_start_leaves_the_refresh_as_it_was(files, monkeypatch, tmp_path):
    monkeypatch.setattr(dbt_ahead, "SERVER", [str(tmp_path / "no-such-python")])
    assert not dbt_ahead.start(files)
    with dbt_ahead.taken(files) as how:
        assert how.startswith("none was started ahead")


def test_with_nothing_listening_the_client_is_dbts_own_command(monkeypatch, tmp_path):
    monkeypatch.setenv(dbt_wire.SOCKET_ENV, str(tmp_path / "gone.sock"))
    client = _client("--version", cwd=tmp_path)
    out, _ = client.communicate(timeout=60)
    assert client.returncode == 0
    assert "Core:" in out and "duckdb" in out
