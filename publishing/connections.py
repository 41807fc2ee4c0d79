"""Every connection the product opens on a published warehouse: read-only, closed at the engine.

A reader sees the warehouse file and nothing else: no other file, no network, no extension install,
no ATTACH of another database, and the settings cannot be changed back afterwards
(``lock_configuration``). Writers only ever open their own candidate file (publishing.candidate).
An export may be given one folder it is allowed to write into.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from contract.errors import WarehouseError, WarehouseLocked
from contract.settings import PUBLISHED_SCHEMA

META_TABLE = "warehouse_meta"

# The settings a reader's connection is closed with (also documented for BI tools in docs/bi.md).
READ_ONLY_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect_read_only(path: Path, *, writable_dir: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published file (any number may share it, across processes).

    ``writable_dir``: the one folder COPY … TO may write into (an export's staging folder).
    """
    if not path.exists():
        raise WarehouseError(f"no warehouse at {path}: run `budget-etl refresh` first")
    try:
        con = duckdb.connect(str(path), read_only=True, config=dict(READ_ONLY_CONFIG))
    except duckdb.IOException as error:
        first_line = str(error).splitlines()[0]
        if "lock" in first_line.lower():
            # Only a read-write connection (a tool opened without read-only) blocks readers.
            raise WarehouseLocked(
                f"{path} is locked by another program that opened it read-write ({first_line}): close "
                f"that connection or reopen it read-only (docs/bi.md), then try again"
            ) from None
        raise WarehouseError(f"cannot open {path}: {first_line}") from None
    if writable_dir is not None:
        con.execute(f"SET allowed_directories = [{_sql_string(str(writable_dir) + '/')}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def read_meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """What the build recorded about itself (run id, time, fingerprint, counts); {} if nothing."""
    try:
        return dict(con.execute(f"SELECT key, value FROM {PUBLISHED_SCHEMA}.{META_TABLE}").fetchall())
    except duckdb.CatalogException:
        return {}
