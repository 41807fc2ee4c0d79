"""The data dictionary of the published warehouse, from the dbt project's own descriptions.

The YAML files of dbt_project/ describe every model, seed and column once; dbt compiles them into
target/manifest.json. describe() reads that manifest and keeps what a BI user can query: the
relations dbt builds into the published schema (main). write_markdown() renders docs/warehouse.md.
undocumented() compares the docs with an actual warehouse file, so a table or column added without
a description is caught by a test rather than by a puzzled analyst.

Regenerate docs/warehouse.md after changing the dbt YAML (see scripts/generate_warehouse_docs.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import duckdb

from publishing.change_feed import CHANGES_TABLE
from publishing.change_feed import COLUMNS as FEED_COLUMNS
from publishing.change_feed import TABLE_DESCRIPTION as FEED_DESCRIPTION

PUBLISHED_SCHEMA = "main"
# Resource types that become relations (tables or views) in the database.
RELATION_TYPES = ("model", "seed", "snapshot")


class ColumnDoc(NamedTuple):
    name: str
    data_type: str
    description: str


@dataclass(frozen=True)
class TableDoc:
    name: str
    description: str
    columns: list[ColumnDoc] = field(default_factory=list)
    kind: str = "model"  # model, seed, snapshot, or "pipeline" for tables the publish step writes


# warehouse_meta is written by the publish step (budget_etl.warehouse.seal), not by dbt, so it is
# described here, next to the code that knows it.
WAREHOUSE_META = TableDoc(
    name="warehouse_meta",
    kind="pipeline",
    description=(
        "Facts about this published file as a key/value list, written when the refresh sealed it: "
        "refreshed_at (UTC time of the refresh, ISO 8601), run_id (the Dagster run that built it), "
        "inbox (the folder the reports were read from), parser_version (version of the extraction "
        "code), and the row counts of the main marts under their table names (dim_reports, "
        "fct_project_funding, ...); previous_run_id (the run of the version this one replaced, '' for a "
        "first publish: what publish_changes compares with) and, when that version could not be opened, "
        "change_feed_unavailable (why). Compare refreshed_at or run_id to tell whether a long-lived "
        "connection still reads an older snapshot."
    ),
    columns=[
        ColumnDoc(
            "key",
            "VARCHAR",
            "Name of the fact (refreshed_at, run_id, previous_run_id, inbox, parser_version, or a table name for "
            "its row count); unique.",
        ),
        ColumnDoc("value", "VARCHAR", "The fact as text; JSON when the value is not a string."),
    ],
)
# publish_changes, the change feed, is written by the publish step too (publishing/change_feed.py, which
# holds its descriptions, also stored in the file as COMMENTs and used as the export's headers).
PUBLISH_CHANGES = TableDoc(
    name=CHANGES_TABLE,
    kind="pipeline",
    description=FEED_DESCRIPTION,
    columns=[ColumnDoc(c.name, c.data_type, c.description) for c in FEED_COLUMNS],
)
PIPELINE_TABLES = (PUBLISH_CHANGES, WAREHOUSE_META)


def describe(manifest: Path, table: str | None = None, *, catalog: Path | None = None) -> list[TableDoc]:
    """Docs of the relations published in schema main (sorted by name), or of one of them.

    Column types come from the YAML (data_type, required by the enforced contracts of the marts);
    when a column has none and a catalog.json from `dbt docs generate` is given, from the catalog.
    Raises KeyError for a table that is not published.
    """
    nodes = json.loads(Path(manifest).read_text(encoding="utf-8"))["nodes"].values()
    catalog_types = _catalog_types(catalog) if catalog else {}
    docs = [_table_doc(node, catalog_types.get(node["unique_id"], {})) for node in nodes if _is_published(node)]
    docs += [d for d in PIPELINE_TABLES if d.name not in {x.name for x in docs}]
    docs.sort(key=lambda d: d.name)
    if table is None:
        return docs
    found = [d for d in docs if d.name == table]
    if not found:
        raise KeyError(f"{table} is not a published table; published: {', '.join(d.name for d in docs)}")
    return found


def _is_published(node: dict) -> bool:
    return (
        node.get("resource_type") in RELATION_TYPES
        and node.get("schema") == PUBLISHED_SCHEMA
        and node.get("config", {}).get("materialized") != "ephemeral"
        and node.get("config", {}).get("enabled", True)
    )


def _table_doc(node: dict, catalog_columns: dict[str, tuple[int, str]]) -> TableDoc:
    name = node.get("alias") or node["name"]
    columns = [
        ColumnDoc(
            c["name"],
            c.get("data_type") or catalog_columns.get(c["name"].lower(), (0, ""))[1],
            _clean(c.get("description", "")),
        )
        for c in node.get("columns", {}).values()
    ]
    # Columns the catalog knows but the YAML does not: listed (undescribed) so the gap is visible.
    declared = {c.name.lower() for c in columns}
    for column, (_, data_type) in sorted(catalog_columns.items(), key=lambda kv: kv[1][0]):
        if column not in declared:
            columns.append(ColumnDoc(column, data_type, ""))
    return TableDoc(
        name=name, description=_clean(node.get("description", "")), columns=columns, kind=node["resource_type"]
    )


def _catalog_types(catalog: Path) -> dict[str, dict[str, tuple[int, str]]]:
    data = json.loads(Path(catalog).read_text(encoding="utf-8"))
    out: dict[str, dict[str, tuple[int, str]]] = {}
    for section in ("nodes", "sources"):
        for unique_id, entry in data.get(section, {}).items():
            out[unique_id] = {
                name.lower(): (col.get("index", 0), col.get("type", ""))
                for name, col in entry.get("columns", {}).items()
            }
    return out


def _clean(text: str) -> str:
    """YAML folded blocks leave trailing newlines and runs of spaces; one paragraph per description."""
    return " ".join((text or "").split())


# Markdown ----------------------------------------------------------------------------------------


def write_markdown(docs: Sequence[TableDoc], out: Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_markdown(docs), encoding="utf-8")
    return out


def render_markdown(docs: Sequence[TableDoc]) -> str:
    lines = [
        "# Warehouse data dictionary",
        "",
        "<!-- Generated by budget_etl.dictionary from the dbt project's YAML descriptions: do not edit by hand.",
        "     Regenerate with: .venv/bin/python scripts/generate_warehouse_docs.py -->",
        "",
        "Every table an analyst can query in the published warehouse (`warehouse/budget.duckdb`, schema",
        "`main`; the same tables as Parquet files in `warehouse/budget_parquet/current/`). Amounts are in 万元 as printed",
        "in the reports. Connection recipes for BI tools: [bi.md](bi.md).",
        "",
        "| table | kind | columns | description |",
        "| --- | --- | ---: | --- |",
    ]
    for d in docs:
        lines.append(
            f"| [{d.name}](#{_anchor(d.name)}) | {d.kind} | {len(d.columns)} | {_md_cell(_first_sentence(d.description))} |"
        )
    for d in docs:
        lines += [
            "",
            f"## {d.name}",
            "",
            d.description or "*(no description)*",
            "",
            "| column | type | description |",
            "| --- | --- | --- |",
        ]
        lines += [
            f"| `{c.name}` | {_md_cell(c.data_type or '?')} | {_md_cell(c.description) or '*(no description)*'} |"
            for c in d.columns
        ]
    return "\n".join(lines) + "\n"


def _anchor(name: str) -> str:
    return name.lower().replace(" ", "-")


def _first_sentence(text: str) -> str:
    for end in (". ", "。"):
        if end in text:
            return text.split(end, 1)[0] + end.strip()
    return text


def _md_cell(text: str) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


# Checking docs against a warehouse ---------------------------------------------------------------


def undocumented(warehouse: Path, docs: Sequence[TableDoc]) -> list[str]:
    """What in the warehouse's schema main lacks a description: "table" or "table.column" entries."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            """
            SELECT table_name, column_name FROM duckdb_columns()
            WHERE database_name = current_database() AND schema_name = ?
            ORDER BY table_name, column_index
            """,
            [PUBLISHED_SCHEMA],
        ).fetchall()
    finally:
        con.close()
    by_name = {d.name: d for d in docs}
    gaps: list[str] = []
    for table, column in rows:
        doc = by_name.get(table)
        if (doc is None or not doc.description.strip()) and table not in gaps:
            gaps.append(table)
        described = {c.name.lower() for c in doc.columns if c.description.strip()} if doc else set()
        if column.lower() not in described:
            gaps.append(f"{table}.{column}")
    return gaps
