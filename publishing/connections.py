"""Every connection the product opens on a published warehouse: read-only, closed at the engine.

A reader sees the warehouse file and nothing else: no other file, no network, no extension install,
no ATTACH of another database, and the settings cannot be changed back afterwards
(``lock_configuration``). Writers only ever open their own candidate file (publishing.candidate).
An export may be given one folder it is allowed to write into.

User SQL (`budget-etl query`) is also checked by statement type before it runs: only one read
statement, so that a refusal is one clear line rather than whatever the engine says.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from contract.errors import QueryRefused, WarehouseError, WarehouseLocked
from contract.settings import PUBLISHED_SCHEMA
from publishing.sql_text import string_literal

META_TABLE = "warehouse_meta"

# The settings a reader's connection is closed with (also documented for BI tools in docs/bi.md).
READ_ONLY_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
# Set once the file is open, then locked: no file but the warehouse, no network, no extension.
CLOSED_SETTINGS = ("SET enable_external_access = false", "SET lock_configuration = true")

# SELECT covers WITH, FROM, VALUES, DESCRIBE, SHOW and SUMMARIZE; EXPLAIN shows a plan.
READ_STATEMENT_TYPES = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})


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
    except duckdb.Error as error:
        raise WarehouseError(f"cannot open {path} as a DuckDB warehouse: {str(error).splitlines()[0]}") from None
    if writable_dir is not None:
        con.execute(f"SET allowed_directories = [{string_literal(str(writable_dir) + '/')}]")
    for setting in CLOSED_SETTINGS:
        con.execute(setting)
    return con


def read_statement(sql: str) -> str:
    """``sql`` if it is exactly one read statement; else QueryRefused saying what is allowed."""
    if not sql.strip():
        raise QueryRefused('no SQL given: pass a query, e.g. budget-etl query "SHOW TABLES"')
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as error:
        raise QueryRefused(f"query failed: {str(error).splitlines()[0]}") from None
    if len(statements) != 1:
        raise QueryRefused(f"{len(statements)} statements given: `query` runs one statement at a time")
    kind = statements[0].type
    if kind not in READ_STATEMENT_TYPES:
        raise QueryRefused(
            f"refused: `query` only reads (SELECT, WITH, FROM, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN), "
            f"not {kind.name}; the warehouse is changed only by `budget-etl refresh`"
        )
    return sql


def read_meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """What the build recorded about itself (run id, time, fingerprint, counts); {} if nothing."""
    try:
        return dict(con.execute(f"SELECT key, value FROM {PUBLISHED_SCHEMA}.{META_TABLE}").fetchall())
    except duckdb.CatalogException:
        return {}


def read_published_meta(path: Path) -> dict[str, str]:
    """``read_meta`` of the file at ``path``, opened read-only; {} when there is none or it cannot be
    read (what it would vouch for is then rebuilt, not trusted)."""
    if not path.exists():
        return {}
    try:
        con = connect_read_only(path)
    except Exception:
        return {}
    try:
        return read_meta(con)
    finally:
        con.close()
