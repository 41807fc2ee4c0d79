"""The data dictionary: from the dbt manifest to docs/warehouse.md, checked against warehouses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from budget_etl.dictionary import (
    PUBLISH_CHANGES,
    WAREHOUSE_META,
    ColumnDoc,
    TableDoc,
    describe,
    render_markdown,
    undocumented,
    write_markdown,
)
from contract.settings import DBT_PROJECT_DIR, REPO_ROOT


def _node(resource_type, name, schema, description, columns, materialized="table"):
    return {
        "unique_id": f"{resource_type}.budget_etl.{name}",
        "resource_type": resource_type,
        "name": name,
        "alias": name,
        "schema": schema,
        "description": description,
        "config": {"materialized": materialized, "enabled": True},
        "columns": {c: {"name": c, "description": d, "data_type": t} for c, t, d in columns},
    }


@pytest.fixture
def manifest(tmp_path):
    nodes = [
        _node(
            "model",
            "dim_departments",
            "main",
            "One row per department.\n  Named by a report.\n",
            [("department_key", "varchar", "md5 of the name."), ("department_name", "varchar", "Name | as printed.")],
        ),
        _node("model", "stg_reports", "staging", "Staging view.", [("report_key", "varchar", "Key.")], "view"),
        _node("model", "int_helper", "main", "Ephemeral helper.", [], "ephemeral"),
        _node("seed", "fund_sources", "reference", "Seed outside main.", [("fund_source", "varchar", "Code.")], "seed"),
        _node("seed", "published_seed", "main", "A seed published in main.", [("code", None, "Code.")], "seed"),
        {
            "unique_id": "test.budget_etl.not_null_x",
            "resource_type": "test",
            "name": "not_null_x",
            "schema": "main",
            "config": {"materialized": "test"},
            "columns": {},
        },
    ]
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"nodes": {n["unique_id"]: n for n in nodes}}), encoding="utf-8")
    return path


def test_describe_keeps_what_is_published_in_main(manifest, tmp_path):
    catalog = tmp_path / "catalog.json"
    catalog.write_text(
        json.dumps(
            {
                "nodes": {
                    "seed.budget_etl.published_seed": {
                        "columns": {"code": {"type": "VARCHAR", "index": 1}, "extra": {"type": "INTEGER", "index": 2}}
                    }
                }
            }
        )
    )
    docs = describe(manifest, catalog=catalog)
    assert [d.name for d in docs] == ["dim_departments", "publish_changes", "published_seed", "warehouse_meta"]
    assert docs[0] == TableDoc(
        "dim_departments",
        "One row per department. Named by a report.",
        [
            ColumnDoc("department_key", "varchar", "md5 of the name."),
            ColumnDoc("department_name", "varchar", "Name | as printed."),
        ],
        "model",
    )
    # Type from the catalog where the YAML has none; a column only the catalog knows is listed bare.
    assert docs[2].columns == [ColumnDoc("code", "VARCHAR", "Code."), ColumnDoc("extra", "INTEGER", "")]
    assert docs[1] is PUBLISH_CHANGES and docs[3] is WAREHOUSE_META
    assert describe(manifest, "dim_departments") == [docs[0]]
    with pytest.raises(KeyError, match="stg_reports is not a published table"):
        describe(manifest, "stg_reports")


def test_markdown(manifest, tmp_path):
    out = write_markdown(describe(manifest, "dim_departments"), tmp_path / "docs" / "warehouse.md")
    text = out.read_text(encoding="utf-8")
    assert "| [dim_departments](#dim_departments) | model | 2 | One row per department. |" in text
    assert "## dim_departments\n\nOne row per department. Named by a report.\n" in text
    assert "| `department_name` | varchar | Name \\| as printed. |" in text


def test_undocumented_names_every_gap(samples_warehouse):
    warehouse = samples_warehouse
    docs = [
        TableDoc(
            "dim_departments",
            "Departments.",
            [
                ColumnDoc("department_key", "varchar", "Key."),
                ColumnDoc("department_name", "varchar", "Name."),
                ColumnDoc("region", "varchar", "Region."),
                ColumnDoc("admin_level", "varchar", ""),
            ],
        ),
        TableDoc(
            "dim_fund_sources",
            "",
            [ColumnDoc(c, "", "x") for c in ("fund_source", "fund_source_name", "display_order")],
        ),
        WAREHOUSE_META,
    ]
    gaps = undocumented(warehouse, docs)
    assert "dim_departments.admin_level" in gaps and "dim_departments.region" not in gaps
    assert "dim_fund_sources" in gaps and "dim_fund_sources.fund_source" not in gaps
    assert "fct_reconciliation" in gaps and "fct_reconciliation.is_within_tolerance" in gaps
    assert not [g for g in gaps if g.startswith("warehouse_meta")]
    assert not [g for g in gaps if g.startswith(("raw", "stg_"))]  # other schemas are not published


# The real dbt project ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project_manifest(tmp_path_factory):
    """The manifest of the dbt project as its YAML is now (the installed one when it is fresh)."""
    installed = DBT_PROJECT_DIR / "target" / "manifest.json"
    sources = [
        p
        for pattern in ("**/*.yml", "**/*.sql", "**/*.csv")
        for p in DBT_PROJECT_DIR.glob(pattern)
        if "target" not in p.parts and "dbt_packages" not in p.parts
    ]
    if installed.exists() and installed.stat().st_mtime >= max(p.stat().st_mtime for p in sources):
        return installed
    target = tmp_path_factory.mktemp("dbt-target")
    subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "parse",
            "--quiet",
            "--profiles-dir",
            ".",
            "--target-path",
            str(target),
            "--log-path",
            str(target / "logs"),
        ],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, "BUDGET_DBT_DB_PATH": str(target / "parse.duckdb")},
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target / "manifest.json"


def test_every_published_table_and_column_of_the_project_is_described(project_manifest):
    docs = describe(project_manifest)
    gaps = [d.name for d in docs if not d.description]
    gaps += [f"{d.name}.{c.name}" for d in docs for c in d.columns if not c.description]
    assert gaps == []
    assert {
        "dim_reports",
        "fct_project_funding",
        "fct_performance_indicators",
        "quarantined_reports",
        "warehouse_meta",
    } <= {d.name for d in docs}


def test_committed_dictionary_is_up_to_date(project_manifest):
    committed = (REPO_ROOT / "docs" / "warehouse.md").read_text(encoding="utf-8")
    assert committed == render_markdown(describe(project_manifest)), (
        "docs/warehouse.md is out of date: run .venv/bin/python scripts/generate_warehouse_docs.py"
    )
