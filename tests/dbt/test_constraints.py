"""The marts' not_null, unique and accepted-values rules are contract constraints DuckDB enforces
while dbt builds the table (a row breaking one fails that model), not data tests run afterwards."""

from __future__ import annotations

import shutil

import duckdb

from tests.dbt.conftest import run_dbt

_DUCKDB_TYPES = {"not_null": "NOT NULL", "unique": "UNIQUE", "check": "CHECK"}


def _declared(manifest: dict) -> set[tuple[str, str, str]]:
    return {
        (node["name"], column, _DUCKDB_TYPES[constraint["type"]])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1] == "marts"
        for column, spec in node["columns"].items()
        for constraint in spec.get("constraints", [])
    }


def test_every_declared_constraint_is_in_the_built_tables(warehouse, docs):
    declared = _declared(docs["manifest"])
    assert len(declared) >= 90  # 85 data tests became constraints; 29 were constraints already (some both)
    con = duckdb.connect(str(warehouse.db_path), read_only=True)
    try:
        built = {
            (table, column, kind)
            for table, columns, kind in con.execute(
                "SELECT table_name, constraint_column_names, constraint_type FROM duckdb_constraints() "
                "WHERE schema_name = 'main' AND constraint_type IN ('NOT NULL', 'UNIQUE', 'CHECK')"
            ).fetchall()
            for column in columns
        }
    finally:
        con.close()
    assert declared - built == set()


def test_a_row_breaking_a_constraint_fails_the_model(warehouse, tmp_path):
    """A layout outside the accepted ones reaches dim_reports: its CHECK stops the build and names it."""
    db_path = tmp_path / "broken.duckdb"
    shutil.copy(warehouse.db_path, db_path)
    con = duckdb.connect(str(db_path))
    try:
        con.execute("UPDATE raw.reports SET layout = 'scanned' WHERE rowid = (SELECT min(rowid) FROM raw.reports)")
    finally:
        con.close()
    # int_reports is a table (dbt_project.yml): rebuilt from raw first, as a refresh does.
    result = run_dbt(["run", "--select", "int_reports", "dim_reports"], workdir=tmp_path, db_path=db_path)
    assert result.returncode != 0
    assert "Constraint Error" in result.stdout and "dim_reports" in result.stdout, result.stdout[-3000:]
