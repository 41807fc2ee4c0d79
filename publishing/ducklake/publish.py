"""Write-audit-publish into the DuckLake: the gated candidate file becomes the lake's published schema in one commit.

Why this shape: readers of the lake must see the last good version or the new one whole, as readers of the file
do, and a kill at any moment must leave the last published snapshot intact.

1. stage: the tables of the candidate file (the one the Great Expectations gate passed) are copied into a schema of
   their own, ``candidate_<run>``, in one commit; readers of ``main`` do not see it;
2. audit: every staged table must hold exactly what the gated file holds (row count and a checksum over every row),
   so that what the gate passed is what gets published;
3. publish: one DuckLake transaction replaces the tables of ``main`` with the staged ones (a table the candidate no
   longer has is dropped), copies the table and column comments, drops the staging schema and names the run in the
   snapshot's commit message (``publishing.ducklake.versions`` reads it). A kill before the commit leaves the
   catalog as it was; the staging schema and the Parquet files of a dead transaction are removed by the next
   publish (``clean_leftovers``).

Only one writer at a time: the refresh calls this while holding the warehouse's refresh lock.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import duckdb

from contract.errors import WarehouseError
from contract.settings import DuckLakeSettings
from publishing.ducklake.lake import (
    LAKE,
    PUBLISHED_SCHEMA,
    connect_lake,
    current_snapshot,
    literal,
    published_tables,
    quote,
)

AUTHOR = "budget-etl"
CANDIDATE_PREFIX = "candidate_"
SOURCE = "candidate_file"


def staging_schema(run_id: str) -> str:
    return CANDIDATE_PREFIX + re.sub(r"[^0-9A-Za-z_]", "_", run_id)


def table_checksum(con: duckdb.DuckDBPyConnection, qualified: str) -> tuple[int, int]:
    """Rows and the sum of every row's hash: equal for the same rows in any order."""
    rows, total = con.execute(f"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM {qualified} AS t").fetchone()
    return int(rows), int(total)


def clean_leftovers(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Staging schemas of killed or failed publishes, and Parquet files no snapshot references."""
    schemas = [
        name
        for (name,) in con.execute(
            "SELECT schema_name FROM duckdb_schemas() WHERE database_name = ? AND starts_with(schema_name, ?)",
            [LAKE, CANDIDATE_PREFIX],
        ).fetchall()
    ]
    for schema in schemas:
        _drop_schema(con, schema)
    con.execute(f"CALL ducklake_delete_orphaned_files({literal(LAKE)}, cleanup_all => true)")
    return schemas


def _drop_schema(con: duckdb.DuckDBPyConnection, schema: str) -> None:
    con.execute(f"DROP SCHEMA IF EXISTS {LAKE}.{quote(schema)} CASCADE")


def _comments(con: duckdb.DuckDBPyConnection, database: str, schema: str, table: str) -> list[str]:
    """COMMENT ON statements giving ``lake.main.<table>`` the comments of ``database.schema.table``."""
    target = f"{LAKE}.{PUBLISHED_SCHEMA}.{quote(table)}"
    statements = []
    (table_comment,) = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? AND table_name = ?",
        [database, schema, table],
    ).fetchone()
    if table_comment:
        statements.append(f"COMMENT ON TABLE {target} IS {literal(table_comment)}")
    for column, comment in con.execute(
        "SELECT column_name, comment FROM duckdb_columns() WHERE database_name = ? AND schema_name = ? "
        "AND table_name = ? AND comment IS NOT NULL AND comment <> ''",
        [database, schema, table],
    ).fetchall():
        statements.append(f"COMMENT ON COLUMN {target}.{quote(column)} IS {literal(comment)}")
    return statements


def replace_published(
    con: duckdb.DuckDBPyConnection,
    source_db: str,
    source_schema: str,
    tables: list[str],
    *,
    comments_from: tuple[str, str],
) -> None:
    """Inside the caller's transaction: ``lake.main`` gets exactly ``tables``, copied from ``source_db.source_schema``."""
    for stale in set(published_tables(con, LAKE)) - set(tables):
        con.execute(f"DROP TABLE {LAKE}.{PUBLISHED_SCHEMA}.{quote(stale)}")
    for table in tables:
        target = f"{LAKE}.{PUBLISHED_SCHEMA}.{quote(table)}"
        con.execute(f"DROP TABLE IF EXISTS {target}")
        con.execute(f"CREATE TABLE {target} AS SELECT * FROM {quote(source_db)}.{quote(source_schema)}.{quote(table)}")
        for statement in _comments(con, comments_from[0], comments_from[1], table):
            con.execute(statement)


def set_commit_message(con: duckdb.DuckDBPyConnection, message: str, info: dict) -> None:
    con.execute(
        f"CALL {LAKE}.set_commit_message({literal(AUTHOR)}, {literal(message)}, "
        f"extra_info => {literal(json.dumps(info, ensure_ascii=False))})"
    )


def publish_to_lake(
    candidate: Path,
    settings: DuckLakeSettings,
    *,
    run_id: str,
    pause: Callable[[str], None] | None = None,
) -> int:
    """Publish the gated ``candidate`` file into the lake; returns the snapshot that published it.

    ``pause(step)`` is called after "staged", "audited" and "before_commit" (tests kill the process there).
    """
    step = pause or (lambda _step: None)
    con = connect_lake(settings, read_only=False)
    try:
        clean_leftovers(con)
        con.execute(f"ATTACH {literal(str(candidate))} AS {SOURCE} (READ_ONLY)")
        tables = published_tables(con, SOURCE)
        if not tables:
            raise WarehouseError(f"refusing to publish {candidate} to the DuckLake: it has no table in schema main")
        schema = staging_schema(run_id)
        con.execute("BEGIN")
        con.execute(f"CREATE SCHEMA {LAKE}.{quote(schema)}")
        for table in tables:
            con.execute(
                f"CREATE TABLE {LAKE}.{quote(schema)}.{quote(table)} AS SELECT * FROM {SOURCE}.main.{quote(table)}"
            )
        con.execute("COMMIT")
        step("staged")
        for table in tables:
            gated = table_checksum(con, f"{SOURCE}.main.{quote(table)}")
            staged = table_checksum(con, f"{LAKE}.{quote(schema)}.{quote(table)}")
            if gated != staged:
                _drop_schema(con, schema)
                raise WarehouseError(
                    f"DuckLake staging of {table} differs from the gated candidate ({staged[0]} rows staged, "
                    f"{gated[0]} gated): nothing was published to the lake"
                )
        step("audited")
        con.execute("BEGIN")
        set_commit_message(con, f"publish {run_id}", {"kind": "publish", "run_id": run_id})
        replace_published(con, LAKE, schema, tables, comments_from=(SOURCE, "main"))
        _drop_schema(con, schema)
        step("before_commit")
        con.execute("COMMIT")
        return current_snapshot(con)
    except duckdb.Error as error:
        raise WarehouseError(
            f"publishing to the DuckLake {settings.catalog} failed, its published snapshot is unchanged: "
            f"{str(error).splitlines()[0]}"
        ) from error
    finally:
        con.close()
