"""Documentation and portability of the dbt project itself."""

from __future__ import annotations

import csv
import re

import duckdb
import yaml

from contract.settings import DBT_SOURCES_YML, PUBLISHED_SCHEMA, RAW_SCHEMA, STORAGE_COMPATIBILITY_VERSION
from ingestion.raw_tables import raw_columns
from tests.dbt.conftest import PROJECT_DIR, run_dbt


def _nodes(manifest: dict, resource_type: str) -> dict:
    return {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == resource_type and node["package_name"] == "budget_etl"
    }


def test_docs_generate_describes_every_model_and_every_built_column(docs):
    models = _nodes(docs["manifest"], "model")
    assert len(models) == 39
    undocumented = [uid for uid, node in models.items() if not node["description"].strip()]
    assert undocumented == []
    missing = []
    for uid, node in models.items():
        built_columns = docs["catalog"]["nodes"][uid]["columns"]
        documented = {name.lower(): col["description"].strip() for name, col in node["columns"].items()}
        missing += [f"{uid}.{col}" for col in built_columns if not documented.get(col.lower())]
        missing += [f"{uid}.{col} (not built)" for col in documented if col not in {c.lower() for c in built_columns}]
    assert missing == []


def test_every_seed_and_source_column_is_described(docs):
    manifest = docs["manifest"]
    for node in list(_nodes(manifest, "seed").values()) + list(manifest["sources"].values()):
        assert node["description"].strip(), node["unique_id"]
        assert node["columns"], node["unique_id"]
        assert all(col["description"].strip() for col in node["columns"].values()), node["unique_id"]


def test_every_mart_enforces_its_contract(docs):
    marts = [n for n in _nodes(docs["manifest"], "model").values() if n["fqn"][1] == "marts"]
    assert len(marts) == 21
    for node in marts:
        assert node["config"]["contract"]["enforced"] is True, node["name"]
        assert node["schema"] == "main", node["name"]
        assert all(col["data_type"] for col in node["columns"].values()), node["name"]


def test_intermediate_and_mart_sql_is_portable():
    duckdb_only = re.compile(r"::|\bqualify\b|\bregexp_\w+|\blist_\w+|\btry_cast\b|\bstruct_\w+|\bexclude\s*\(", re.I)
    offenders = [
        f"{path.relative_to(PROJECT_DIR)}: {match.group(0)}"
        for layer in ("intermediate", "marts")
        for path in sorted((PROJECT_DIR / "models" / layer).glob("*.sql"))
        for match in duckdb_only.finditer(re.sub(r"--[^\n]*", "", path.read_text()))
    ]
    assert offenders == []


def test_category_alias_seed_maps_printed_names_to_frame_codes():
    with open(PROJECT_DIR / "seeds" / "indicator_category_aliases.csv", encoding="utf-8") as f:
        aliases = {row["alias_name"]: row["category_code"] for row in csv.DictReader(f)}
    with open(PROJECT_DIR / "seeds" / "indicator_categories.csv", encoding="utf-8") as f:
        codes = {row["category_code"] for row in csv.DictReader(f)}
    assert codes == {"1", "11", "12", "13", "14", "2", "21", "22", "23", "24", "3", "31", "4", "41", "42", "43"}
    assert set(aliases.values()) <= codes
    expected = {
        "数量指标": "11",
        "数量": "11",
        "社会效益": "22",
        "社会效益指标": "22",
        "经济成本指标": "41",
        "服务对象满意度": "31",
        "效益指标": "2",
        "产出指标": "1",
        "经济效益": "21",
    }
    assert {name: aliases[name] for name in expected} == expected


def test_parse_needs_no_database_and_build_demands_the_path(tmp_path):
    parsed = run_dbt(["parse"], workdir=tmp_path, db_path=None)
    assert parsed.returncode == 0, parsed.stdout[-3000:]
    assert (tmp_path / "target" / "manifest.json").exists()
    refused = run_dbt(["build"], workdir=tmp_path, db_path=None)
    assert refused.returncode != 0
    assert "BUDGET_DBT_DB_PATH is not set" in refused.stdout


def test_raw_tables_are_created_with_the_columns_dbt_declares(warehouse):
    """The loader's DDL is generated from _sources.yml: the built tables carry exactly those columns."""
    sources = yaml.safe_load(DBT_SOURCES_YML.read_text(encoding="utf-8"))["sources"]
    (raw,) = sources
    assert raw["schema"] == RAW_SCHEMA
    declared = {
        (t["name"], c["name"], c["data_type"].replace(" ", "").upper(), bool(c.get("constraints")))
        for t in raw["tables"]
        for c in t["columns"]
    }
    con = duckdb.connect(str(warehouse.db_path), read_only=True)
    try:
        built = {
            (table, column, data_type.replace(" ", ""), nullable == "NO")
            for table, column, data_type, nullable in con.execute(
                "select table_name, column_name, data_type, is_nullable from information_schema.columns "
                "where table_schema = ?",
                [RAW_SCHEMA],
            ).fetchall()
        }
    finally:
        con.close()
    assert built == declared
    assert set(raw_columns()) == {
        "reports",
        "budget_units",
        "projects",
        "indicators",
        "reconciliation_checks",
        "quarantine",
    }


def test_dbt_schemas_match_the_contract_and_the_storage_version_is_not_repeated():
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["models"]["budget_etl"]["marts"]["+schema"] == PUBLISHED_SCHEMA
    assert "vars" not in project  # the reconciliation tolerance lives in ingestion/reconciliation.py
    profiles = (PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8")
    assert STORAGE_COMPATIBILITY_VERSION not in profiles
    assert "env_var('BUDGET_DUCKDB_STORAGE_VERSION'" in profiles
