"""Give dbt's incremental models their previous rows, so a refresh rebuilds only the reports that changed.

Every run builds into a new candidate file (write-audit-publish), where an incremental model
(``materialized: incremental`` in the dbt project, e.g. int_indicators) would find nothing and be
built whole. Before ``dbt build``, each such table is copied from the published warehouse into the
candidate; the model then deletes the rows of reports whose version is gone and computes only the
reports with a new one (see the model's SQL).

Only a published version built by the same code is trusted (warehouse_meta ``code_version``, recorded
by the seal): a change to a model, a seed, the parser or anything else of the code builds the tables
whole, as does a published file that cannot be read.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from contract.settings import PUBLISHED_SCHEMA
from publishing.connections import META_TABLE
from publishing.fingerprint import code_version
from publishing.sql_text import quote_identifier, string_literal

CODE_VERSION_KEY = "code_version"
_PREVIOUS = "previous_version"


def incremental_relations(manifest: Path) -> list[tuple[str, str]]:
    """(schema, table) of every incremental model of the dbt project, from its compiled manifest."""
    nodes = json.loads(Path(manifest).read_text(encoding="utf-8"))["nodes"].values()
    return sorted(
        (node["schema"], node.get("alias") or node["name"])
        for node in nodes
        if node.get("resource_type") == "model" and node.get("config", {}).get("materialized") == "incremental"
    )


def seed_incremental_tables(candidate: Path, published: Path, manifest: Path) -> tuple[list[str], str]:
    """Copy the incremental tables of ``published`` into ``candidate``; returns the tables copied and why
    (a sentence for the run's log)."""
    relations = incremental_relations(manifest)
    if not relations:
        return [], "the dbt project has no incremental model"
    if not published.exists():
        return [], "no published warehouse yet: incremental models are built whole"
    con = duckdb.connect(str(candidate))
    try:
        try:
            con.execute(f"ATTACH {string_literal(str(published))} AS {_PREVIOUS} (READ_ONLY)")
        except duckdb.Error as error:
            return [], f"the published warehouse cannot be read ({error}): incremental models are built whole"
        try:
            return _copy_if_same_code(con, relations)
        finally:
            con.execute(f"DETACH {_PREVIOUS}")
    finally:
        con.close()


def _copy_if_same_code(con: duckdb.DuckDBPyConnection, relations: list[tuple[str, str]]) -> tuple[list[str], str]:
    try:
        row = con.execute(
            f"SELECT value FROM {_PREVIOUS}.{PUBLISHED_SCHEMA}.{META_TABLE} WHERE key = ?", [CODE_VERSION_KEY]
        ).fetchone()
    except duckdb.CatalogException:
        row = None
    if row is None or row[0] != code_version():
        return [], "the published warehouse was built by other code: incremental models are built whole"
    tables = {
        (schema, name)
        for schema, name in con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ?", [_PREVIOUS]
        ).fetchall()
    }
    copied = []
    for schema, name in relations:
        if (schema, name) not in tables:
            continue
        qualified = f"{quote_identifier(schema)}.{quote_identifier(name)}"
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_identifier(schema)}")
        con.execute(f"CREATE TABLE {qualified} AS SELECT * FROM {_PREVIOUS}.{qualified}")
        copied.append(f"{schema}.{name}")
    return copied, f"copied from the published warehouse: {', '.join(copied) or 'none of them'}"
