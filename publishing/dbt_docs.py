"""The dbt YAML's descriptions written into a built warehouse as COMMENT ON, in one batch.

DBeaver, Superset and Metabase show a table's and a column's comment; the published file must carry
every description of the dbt project (tests/publishing/test_persisted_docs.py). dbt's own
``persist_docs`` writes the same comments, but renders a Jinja macro and runs statements per model
and per column: 2 to 3 s of every refresh of the samples (measured, docs/scale.md), more than the
models' SQL. Here the descriptions come from the manifest (where dbt has already rendered the doc
blocks) and are written on one connection after ``dbt build``: a few milliseconds.

A relation the manifest names but the build did not make (a disabled or ephemeral model, a model of
another selection) is skipped; so is a described column the relation does not have.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from publishing.sql_text import quote_identifier, string_literal

_DOCUMENTED = ("model", "seed")


def comment_statements(manifest: Path, relations: dict[tuple[str, str], tuple[str, set[str]]]) -> list[str]:
    """COMMENT ON statements for the manifest's models and seeds found in ``relations``.

    ``relations``: (schema, name) -> (kind, column names), kind "TABLE" or "VIEW".
    """
    nodes = json.loads(Path(manifest).read_text(encoding="utf-8"))["nodes"].values()
    statements = []
    for node in nodes:
        if node.get("resource_type") not in _DOCUMENTED:
            continue
        key = (node["schema"], node.get("alias") or node["name"])
        if key not in relations:
            continue
        kind, columns = relations[key]
        relation = f"{quote_identifier(key[0])}.{quote_identifier(key[1])}"
        if (node.get("description") or "").strip():
            statements.append(f"COMMENT ON {kind} {relation} IS {string_literal(node['description'])}")
        for name, column in node.get("columns", {}).items():
            if name in columns and (column.get("description") or "").strip():
                statements.append(
                    f"COMMENT ON COLUMN {relation}.{quote_identifier(name)} IS {string_literal(column['description'])}"
                )
    return statements


def _relations(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple[str, set[str]]]:
    found: dict[tuple[str, str], tuple[str, set[str]]] = {}
    rows = con.execute(
        "SELECT c.schema_name, c.table_name, c.column_name, "
        "CASE WHEN v.view_name IS NULL THEN 'TABLE' ELSE 'VIEW' END "
        "FROM duckdb_columns() c LEFT JOIN duckdb_views() v "
        "ON v.database_name = c.database_name AND v.schema_name = c.schema_name AND v.view_name = c.table_name "
        "WHERE c.database_name = current_database()"
    ).fetchall()
    for schema, table, column, kind in rows:
        found.setdefault((schema, table), (kind, set()))[1].add(column)
    return found


def persist_descriptions(database: Path, manifest: Path) -> int:
    """Write the manifest's descriptions into ``database`` as comments; the number of comments written."""
    con = duckdb.connect(str(database))
    try:
        statements = comment_statements(manifest, _relations(con))
        con.execute("BEGIN")
        for statement in statements:
            con.execute(statement)
        con.execute("COMMIT")
        return len(statements)
    finally:
        con.close()
