"""Facts about what a candidate was loaded from (input fingerprint, inbox), kept inside the candidate
itself between the load step and the seal, so they describe exactly the files that were loaded."""

from __future__ import annotations

from pathlib import Path

import duckdb

_TABLE = "raw.load_info"


def record_load_info(candidate: Path, info: dict[str, str]) -> None:
    con = duckdb.connect(str(candidate))
    try:
        con.execute(f"CREATE OR REPLACE TABLE {_TABLE} (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.executemany(f"INSERT INTO {_TABLE} VALUES (?, ?)", list(info.items()))
    finally:
        con.close()


def read_load_info(candidate: Path) -> dict[str, str]:
    con = duckdb.connect(str(candidate), read_only=True)
    try:
        return dict(con.execute(f"SELECT key, value FROM {_TABLE}").fetchall())
    finally:
        con.close()
