"""``budget-dbt``: the dbt executable dagster-dbt runs for the refresh's dbt step.

When the step names a dbt started ahead of it (orchestration/dbt_server.py) in its environment,
this hands the command over to that process and exits with its exit code, without importing dbt:
the build starts with the project already parsed. A stop (SIGINT, SIGTERM: how dagster-dbt cancels
a build) is passed on to it. Otherwise, or when nothing answers on that socket, this is dbt's own
command line, in this process.
"""

from __future__ import annotations

import os
import signal
import socket
import sys

from orchestration import dbt_wire


def _forward(path: str, args: list[str]) -> int | None:
    """Run ``args`` in the dbt listening at ``path``; None when none is listening there."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
    except OSError:
        conn.close()
        return None
    server: list[int] = []  # its process id, once it said it
    stopped: list[int] = []

    def stop(signum: int, _frame) -> None:  # a stop before the server said who it is waits for that
        stopped.append(signum)
        if server:
            os.kill(server[0], signal.SIGINT)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)
    with conn, conn.makefile("rb") as replies:
        dbt_wire.send_command(conn, args)
        pid = dbt_wire.read_line(replies)
        if pid is not None:
            server.append(pid)
            if stopped:
                os.kill(pid, signal.SIGINT)
        code = dbt_wire.read_line(replies)
    if code is None:
        print(f"budget-dbt: the dbt started ahead (pid {pid}) stopped before it answered", file=sys.stderr)
        return dbt_wire.EXIT_ERROR
    return code


def main() -> None:
    path = os.environ.get(dbt_wire.SOCKET_ENV)
    if path:
        code = _forward(path, sys.argv[1:])
        if code is not None:
            sys.exit(code)
    from dbt.cli.main import cli

    sys.exit(cli())


if __name__ == "__main__":
    main()
