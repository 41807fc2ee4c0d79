"""The dbt started ahead of the refresh's dbt step: it parses the project, then runs the step's build.

A dbt command costs seconds before its first model that have nothing to do with the data: Python
and dbt's import (about 3 s), the adapter, reading the saved parse, or on a warehouse's first build
a whole parse (about 5 s). So the refresh starts this process as it begins
(orchestration/dbt_ahead.py), on the other core while Dagster loads and the files are read. It
imports dbt and parses with the profile every parse renders (partially, from the saved parse
``make install`` prepared: orchestration/dbt_profile.py), says so, and waits for one command on a
Unix socket: the step's ``dbt build``, which dagster-dbt starts as ``budget-dbt``
(orchestration/dbt_client.py) and which hands over its arguments, environment, folder and output
(orchestration/dbt_wire.py). The build then runs here with
the manifest already in memory (``dbtRunner(manifest=...)``, dbt's documented way to reuse a parse),
writing dbt's JSON log lines straight into dagster-dbt's pipe; its exit code goes back to the client,
and this process ends.

Run as ``python -m orchestration.dbt_server FOLDER READY_FD`` from the dbt project's folder, with the
parse's profile environment: it parses into FOLDER, writes "ready, parsed ..." or "failed: why" on
READY_FD, and listens on FOLDER's socket. No Dagster import.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from contract.settings import DBT_PROJECT_DIR
from orchestration import dbt_wire


def parse(folder: Path):
    """The project's manifest, parsed with this environment's profile, and how: partially (from
    the saved parse in ``folder``, where dbt leaves the new one) or in full, and why."""
    from dbt.cli.main import dbtRunner

    how = ["parsed partially"]

    def listen(event) -> None:  # dbt says why it cannot reuse a saved parse
        if event.info.name == "UnableToPartialParse":
            how[0] = f"parsed in full: {event.info.msg}"

    args = ["parse", "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(folder)]
    result = dbtRunner(callbacks=[listen]).invoke([*args, "--log-path", str(folder), "--no-write-json", "--quiet"])
    if not result.success:
        raise RuntimeError(f"dbt parse failed: {result.exception or 'see dbt.log'}")
    return result.result, how[0]


def run(manifest, command: dbt_wire.Command) -> int:
    """Run ``command`` as the client's own dbt would have: its environment, folder and output."""
    from dbt.cli.main import dbtRunner

    os.environ.clear()
    os.environ.update(command.env)
    os.chdir(command.cwd)
    sys.argv = ["dbt", *command.args]  # dbt logs its command line
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(command.stdout_fd, 1)
    os.dup2(command.stderr_fd, 2)
    os.close(command.stdout_fd)
    os.close(command.stderr_fd)
    try:
        result = dbtRunner(manifest=manifest).invoke(command.args)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    if result.success:
        return dbt_wire.EXIT_SUCCESS
    return dbt_wire.EXIT_FAILED_NODE if result.exception is None else dbt_wire.EXIT_ERROR


def serve(folder: Path, ready_fd: int) -> int:
    with os.fdopen(ready_fd, "w") as ready:
        try:
            manifest, how = parse(folder)
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(str(dbt_wire.socket_path(folder)))
            listener.listen(1)
        except Exception as error:  # whatever it is, the step's dbt starts as usual
            ready.write(f"failed: {error}\n")
            return 1
        ready.write(f"ready, {how}\n")
    conn, _ = listener.accept()
    listener.close()
    with conn:
        command = dbt_wire.receive_command(conn)
        dbt_wire.send_line(conn, os.getpid())
        dbt_wire.send_line(conn, run(manifest, command))
    return 0


if __name__ == "__main__":
    sys.exit(serve(Path(sys.argv[1]), int(sys.argv[2])))
