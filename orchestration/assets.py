"""The refresh as Dagster assets: extract -> raw tables -> dbt -> sealed candidate -> published.

Every step of one run works on that run's own candidate file (named after the run id); only
``published_warehouse`` touches the published file, with one atomic os.replace, and only after the
blocking Great Expectations check on ``candidate_warehouse`` passed.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb
from dagster import AssetExecutionContext, AssetKey, Config, MaterializeResult, MetadataValue, asset
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from budget_etl import warehouse
from budget_etl.settings import DUCKDB_WRITER_POOL
from ingestion.extract import Extraction, extract, load_cached
from ingestion.inbox import InboxFile, scan_inbox
from ingestion.raw_tables import QuarantineRecord, create_raw_tables, insert_quarantine, insert_report
from ingestion.version import parser_version
from orchestration.gate_record import read_gate_record
from orchestration.resources import DBT_DB_PATH_ENV, WarehouseResource, dbt_project, ensure_dbt_manifest

RAW_TABLES = AssetKey("raw_tables")


@dataclass(frozen=True)
class ReportOutcome:
    """What happened to one inbox file in this run (small and picklable: passed between steps)."""

    file: InboxFile
    loaded: bool
    reason: str | None  # quarantine reason, naming the file
    from_cache: bool


class ExtractConfig(Config):
    workers: int = 0  # 0: one process per core when there are enough files to pay for it


def _extract_all(files, cache_dir: Path, workers: int) -> list[Extraction]:
    if workers == 0:
        workers = (os.cpu_count() or 1) if len(files) >= 16 else 1
    if workers <= 1:
        return [extract(f, cache_dir) for f in files]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(extract, files, [cache_dir] * len(files), chunksize=4))


@asset(group_name="ingestion", description="Every report file of the inbox read into rows (cached by sha256 and parser version), or quarantined with a reason.")
def extracted_reports(context: AssetExecutionContext, config: ExtractConfig, warehouse_config: WarehouseResource) -> list[ReportOutcome]:
    inbox = warehouse_config.inbox_path()
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox {inbox} does not exist or is not a folder")
    layout = warehouse_config.layout()
    files = scan_inbox(inbox)
    context.log.info(f"{len(files)} report files in {inbox}")
    outcomes = []
    for result in _extract_all(files, layout.extracted_dir, config.workers):
        outcomes.append(ReportOutcome(result.file, result.ok, result.reason, result.from_cache))
        if result.reason:
            context.log.warning(f"quarantined {result.reason}")
    loaded = sum(o.loaded for o in outcomes)
    context.add_output_metadata({
        "files": len(outcomes),
        "loaded": loaded,
        "quarantined": len(outcomes) - loaded,
        "from_cache": sum(o.from_cache for o in outcomes),
        "parser_version": parser_version(),
        "inbox": str(inbox),
    })
    return outcomes


def _dedupe(outcomes: list[ReportOutcome]) -> tuple[list[ReportOutcome], list[ReportOutcome]]:
    """One file content is loaded once: the first name (sorted) wins, the others are reported."""
    seen: dict[str, str] = {}
    unique, duplicates = [], []
    for o in sorted(outcomes, key=lambda o: o.file.source_file):
        sha, name = o.file.sha256, o.file.source_file
        if o.loaded and sha in seen:
            reason = f"{name}: duplicate of {seen[sha]} (same sha256), loaded once"
            duplicates.append(ReportOutcome(o.file, False, reason, o.from_cache))
        else:
            if o.loaded:
                seen[sha] = name
            unique.append(o)
    return unique, duplicates


@asset(group_name="warehouse", pool=DUCKDB_WRITER_POOL, description="This run's candidate DuckDB file, created fresh, with the raw.* tables dbt stages from.")
def raw_tables(context: AssetExecutionContext, extracted_reports: list[ReportOutcome], warehouse_config: WarehouseResource) -> MaterializeResult:
    layout = warehouse_config.layout()
    candidate = layout.candidate(context.run_id)
    warehouse.create_candidate(candidate)
    unique, duplicates = _dedupe(extracted_reports)
    now = datetime.now(timezone.utc)
    quarantined = [
        QuarantineRecord(o.file.source_file, o.file.sha256, o.reason or "", now)
        for o in [*unique, *duplicates] if not o.loaded
    ]
    con = duckdb.connect(str(candidate))
    try:
        create_raw_tables(con)
        con.execute("BEGIN")
        loaded = 0
        for o in unique:
            if not o.loaded:
                continue
            cached = load_cached(layout.extracted_dir, o.file)
            if cached is None or cached.report is None:
                raise RuntimeError(f"extraction of {o.file.source_file} vanished from the cache {layout.extracted_dir}")
            insert_report(con, cached.report, parser_version=parser_version())
            loaded += 1
        insert_quarantine(con, quarantined)
        con.execute("COMMIT")
    finally:
        con.close()
    return MaterializeResult(metadata={
        "candidate": MetadataValue.path(str(candidate)),
        "reports_loaded": loaded,
        "quarantined": len(quarantined),
        "duplicates": len(duplicates),
    })


class _Translator(DagsterDbtTranslator):
    """dbt's raw.* sources are the raw_tables asset; models keep their own names."""

    def get_asset_key(self, dbt_resource_props) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return RAW_TABLES
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props) -> str | None:
        return "dbt"


@dbt_assets(manifest=ensure_dbt_manifest(), project=dbt_project, dagster_dbt_translator=_Translator(), pool=DUCKDB_WRITER_POOL)
def budget_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, warehouse_config: WarehouseResource):
    """dbt build (models, seeds and dbt tests) into this run's candidate file."""
    os.environ[DBT_DB_PATH_ENV] = str(warehouse_config.candidate_for(context.run_id))
    yield from dbt.cli(["build"], context=context).stream()


def dbt_model_keys() -> list[AssetKey]:
    return [key for key in budget_dbt_models.keys]


@asset(group_name="warehouse", deps=dbt_model_keys(), pool=DUCKDB_WRITER_POOL, description="The candidate warehouse, sealed (checkpointed, run metadata recorded) and ready for the gate.")
def candidate_warehouse(context: AssetExecutionContext, extracted_reports: list[ReportOutcome], warehouse_config: WarehouseResource) -> MaterializeResult:
    candidate = warehouse_config.candidate_for(context.run_id)
    counts = _counts(candidate)
    warehouse.seal(candidate, {
        "run_id": context.run_id,
        "refreshed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "inbox": str(warehouse_config.inbox_path()),
        "parser_version": parser_version(),
        **{k: str(v) for k, v in counts.items()},
    })
    return MaterializeResult(metadata={"candidate": MetadataValue.path(str(candidate)), **counts})


def _counts(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=False)
    try:
        return {
            table: con.execute(f"SELECT count(*) FROM main.{table}").fetchone()[0]
            for table in ("dim_reports", "fct_project_funding", "fct_performance_indicators", "quarantined_reports")
        }
    finally:
        con.close()


@asset(group_name="warehouse", deps=[candidate_warehouse], pool=DUCKDB_WRITER_POOL, description="The published warehouse file analysts and BI tools read (read-only); swapped in atomically.")
def published_warehouse(context: AssetExecutionContext, warehouse_config: WarehouseResource) -> MaterializeResult:
    layout = warehouse_config.layout()
    candidate = layout.candidate(context.run_id)
    record = read_gate_record(candidate)
    # The blocking check already stops this step on failure; this guards against a run that
    # skipped the check (e.g. a partial re-execution from the UI).
    if record is None or not record.get("passed"):
        raise RuntimeError(f"refusing to publish {candidate}: the Great Expectations gate has not passed for it")
    with warehouse.refresh_lock(layout):
        kept = warehouse.publish(candidate, layout)
        warehouse.remove_stale_candidates(layout)
    context.log.info(f"published {layout.published}")
    return MaterializeResult(metadata={
        "warehouse": MetadataValue.path(str(layout.published)),
        "previous_version": MetadataValue.path(str(kept)) if kept else None,
    })
