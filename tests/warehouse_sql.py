"""Reading a warehouse file in a test: the rows of one query, the file opened read-only and closed."""

from __future__ import annotations

from pathlib import Path

from publishing.connections import connect_read_only


def rows(path: Path, sql: str, parameters: list | None = None) -> list[tuple]:
    con = connect_read_only(Path(path))
    try:
        return con.execute(sql, parameters or []).fetchall()
    finally:
        con.close()
