"""How the dbt that dagster-dbt starts hands its command to the dbt started ahead of the step.

Two processes speak it, and neither imports Dagster or dbt to do so: the dbt started ahead
(orchestration/dbt_server.py) listens on a Unix socket; the ``budget-dbt`` executable that
dagster-dbt runs (orchestration/dbt_client.py) connects when the step names that socket in its
environment. One exchange per connection:

- the client sends its standard output and error as file descriptors (SCM_RIGHTS), then its
  command line, environment and working folder as one JSON document, and closes its side;
- the server answers its process id (the client forwards a stop to it), and when the command has
  run, its exit code, as dbt's own command line would have exited (0, 1 a failed node, 2 an error).
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

# The step names the socket in this environment variable while it runs its build.
SOCKET_ENV = "BUDGET_DBT_AHEAD_SOCKET"
# The socket's name in the folder of the dbt started ahead.
SOCKET_NAME = "dbt.sock"
# dbt's exit codes (dbt.cli.exceptions): the client exits as dbt's own command line would.
EXIT_SUCCESS, EXIT_FAILED_NODE, EXIT_ERROR = 0, 1, 2

_FDS_MARKER = b"F"


@dataclass
class Command:
    """A dbt command line as the client was started with it."""

    args: list[str]
    env: dict[str, str]
    cwd: str
    stdout_fd: int
    stderr_fd: int


def send_command(conn: socket.socket, args: list[str]) -> None:
    """Hand this process's dbt command, output and environment over ``conn``."""
    socket.send_fds(conn, [_FDS_MARKER], [1, 2])
    conn.sendall(json.dumps({"args": args, "env": dict(os.environ), "cwd": os.getcwd()}).encode())
    conn.shutdown(socket.SHUT_WR)


def receive_command(conn: socket.socket) -> Command:
    """The command a client sent over ``conn``; its descriptors are now this process's to close."""
    marker, fds, _flags, _addr = socket.recv_fds(conn, len(_FDS_MARKER), 2)
    if marker != _FDS_MARKER or len(fds) != 2:
        for fd in fds:
            os.close(fd)
        raise ConnectionError("the dbt client sent no output descriptors")
    chunks = []
    while chunk := conn.recv(1 << 16):
        chunks.append(chunk)
    body = json.loads(b"".join(chunks))
    return Command(body["args"], body["env"], body["cwd"], fds[0], fds[1])


def send_line(conn: socket.socket, value: int) -> None:
    conn.sendall(f"{value}\n".encode())


def read_line(reader) -> int | None:
    """The next number the other side sent, or None when it closed the connection first."""
    line = reader.readline()
    return int(line) if line.strip() else None


def socket_path(folder: Path) -> Path:
    return folder / SOCKET_NAME
