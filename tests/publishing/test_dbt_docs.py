"""publishing.dbt_docs: the manifest's descriptions become COMMENT ON, for what the file holds."""

from __future__ import annotations

import json

import duckdb

from publishing.dbt_docs import persist_descriptions


def _manifest(tmp_path, nodes: list[dict]):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"nodes": {n["name"]: n for n in nodes}}, ensure_ascii=False), encoding="utf-8")
    return path


def _node(name, schema, description, columns, resource_type="model"):
    return {
        "name": name,
        "alias": name,
        "schema": schema,
        "resource_type": resource_type,
        "description": description,
        "columns": {c: {"description": d} for c, d in columns.items()},
    }


def test_tables_views_and_columns_get_their_descriptions(tmp_path):
    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE SCHEMA staging")
    con.execute("CREATE TABLE main.fct (amount DECIMAL(18,2), note VARCHAR)")
    con.execute("CREATE VIEW staging.stg AS SELECT 1 AS seq")
    con.close()
    tricky = "总计 in 万元; 'quoted', \"double\", $budget_doc$ and $$"
    manifest = _manifest(
        tmp_path,
        [
            _node("fct", "main", "One row per project.", {"amount": tricky, "note": "", "gone": "not built"}),
            _node("stg", "staging", "A view.", {"seq": "1..n"}),
            _node("never_built", "main", "Disabled model.", {"x": "y"}),
            _node("not_null_fct_amount", "main", "a test", {}, resource_type="test"),
        ],
    )
    assert persist_descriptions(db, manifest) == 4
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'fct'").fetchone() == (
            "One row per project.",
        )
        assert con.execute("SELECT comment FROM duckdb_views() WHERE view_name = 'stg'").fetchone() == ("A view.",)
        columns = dict(
            con.execute(
                "SELECT column_name, comment FROM duckdb_columns() WHERE table_name IN ('fct', 'stg')"
            ).fetchall()
        )
    finally:
        con.close()
    assert columns == {"amount": tricky, "note": None, "seq": "1..n"}
