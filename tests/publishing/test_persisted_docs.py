"""Every description of the dbt YAML is in the published file itself (publishing.dbt_docs -> COMMENT ON),
so DBeaver, Superset and Metabase show it: checked on the file the real publish path produced."""

from __future__ import annotations

import duckdb

from publishing.office_export import column_labels


def _comments(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = dict(
            con.execute(
                "SELECT table_name, comment FROM duckdb_tables() "
                "WHERE database_name = current_database() AND schema_name = 'main'"
            ).fetchall()
        )
        columns = {
            (table, column): comment
            for table, column, comment in con.execute(
                "SELECT table_name, column_name, comment FROM duckdb_columns() "
                "WHERE database_name = current_database() AND schema_name = 'main'"
            ).fetchall()
        }
        return tables, columns
    finally:
        con.close()


def test_table_and_column_descriptions_survive_into_the_published_file(samples_warehouse):
    tables, columns = _comments(samples_warehouse)
    described = column_labels()  # the manifest's tables with their columns' descriptions
    assert set(described) <= set(tables)
    for table, docs in described.items():
        assert (tables[table] or "").strip(), f"{table} has no COMMENT"
        for doc in docs:
            assert " ".join((columns[(table, doc.name)] or "").split()) == doc.description, f"{table}.{doc.name}"
    assert columns[("fct_project_funding", "total_amount")].startswith("总计")
