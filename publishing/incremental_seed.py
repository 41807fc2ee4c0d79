"""Give dbt's incremental models their previous rows, so a refresh rebuilds only the reports that changed.

Every run builds into a candidate file of its own (write-audit-publish), where an incremental model
(``materialized: incremental`` in the dbt project, e.g. int_indicators) would find nothing and be
built whole. When the published warehouse was built by this very code (warehouse_meta
``code_version``, recorded by the seal), the candidate starts as a copy of it
(publishing/candidate.py; publishing/loading.py keeps the raw rows that stay and deletes the
others): the incremental tables are there, and each model deletes the rows of reports whose version
is gone and computes only the reports with a new one (see the model's SQL).

Only a published version built by the same code is trusted: a change to a model, a seed, the parser
or anything else of the code starts from an empty file and builds the tables whole, as does a
published file that cannot be read.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from publishing.connections import read_published_meta
from publishing.fingerprint import code_version
from publishing.sql_text import quote_identifier

CODE_VERSION_KEY = "code_version"


def incremental_relations(manifest: Path) -> list[tuple[str, str]]:
    """(schema, table) of every incremental model of the dbt project, from its compiled manifest."""
    return sorted(
        _relation(node)
        for node in _nodes(manifest)
        if node.get("resource_type") == "model" and node.get("config", {}).get("materialized") == "incremental"
    )


def published_by_this_code(published: Path) -> bool:
    """Whether the published warehouse was built by this very code (its ``code_version``): False when
    there is none, it cannot be read, or another code built it."""
    return read_published_meta(published).get(CODE_VERSION_KEY) == code_version()


def prepare_candidate(candidate: Path, manifest: Path) -> tuple[bool, str]:
    """Before ``dbt build``: in a candidate that started as a copy of the published file, drop every dbt
    relation but the incremental ones, so that dbt creates them as in an empty file rather than
    renaming each old one aside and dropping it (slower: B14 in docs/scale.md). Returns whether the
    candidate started as such a copy (its incremental tables there), and how the incremental models
    will be built, in a sentence for the run's log."""
    nodes = _nodes(manifest)
    incremental = incremental_relations(manifest)
    if not incremental:
        return False, "the dbt project has no incremental model"
    con = duckdb.connect(str(candidate))
    try:
        present = {
            (schema, name): kind
            for schema, name, kind in con.execute(
                "SELECT schema_name, table_name, 'TABLE' FROM duckdb_tables() WHERE database_name = current_database() "
                "UNION ALL SELECT schema_name, view_name, 'VIEW' FROM duckdb_views() "
                "WHERE database_name = current_database() AND NOT internal"
            ).fetchall()
        }
        names = ", ".join(f"{schema}.{name}" for schema, name in incremental)
        if not set(incremental) <= set(present):
            return False, f"{names} built whole: the candidate did not start from a published file built by this code"
        rebuilt = {_relation(n) for n in nodes if n["resource_type"] in ("model", "seed")} - set(incremental)
        for schema, name in sorted(rebuilt & set(present)):
            con.execute(f"DROP {present[schema, name]} {quote_identifier(schema)}.{quote_identifier(name)}")
    finally:
        con.close()
    return (
        True,
        f"{names} kept from the published warehouse (the candidate started as its copy): only changed reports are computed",
    )


def _nodes(manifest: Path) -> list[dict]:
    return list(json.loads(Path(manifest).read_text(encoding="utf-8"))["nodes"].values())


def _relation(node: dict) -> tuple[str, str]:
    return node["schema"], node.get("alias") or node["name"]
