"""The refresh as Dagster assets: extract -> raw tables -> dbt -> sealed candidate -> published.

The refresh job is not partitioned: every run reads the whole inbox (each run's candidate holds every
report, the unchanged ones copied from the published file). ``report_files`` shows one partition per
inbox file, recorded by the extraction when the file's outcome changed, so the UI still tells each
file's outcome and since when. The dbt step is in orchestration/dbt_assets.py.

Every step of one run works on that run's own candidate file (named after the run id); only
``published_warehouse`` touches the published file, with one atomic os.replace, and only after the
blocking Great Expectations check on ``candidate_warehouse`` passed. When the DuckLake backend is
configured (docs/ducklake.md) it publishes the same gated candidate to the lake, in one transaction,
just before the swap.
"""

from datetime import UTC, datetime
from pathlib import Path

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetMaterialization,
    AssetSpec,
    Config,
    MaterializeResult,
    MetadataValue,
    RetryPolicy,
    asset,
    multi_asset,
)

from contract.errors import NothingLoaded
from contract.settings import DUCKDB_WRITER_POOL, ducklake_from_env
from expectations.gate_record import read_gate_record
from ingestion.inbox import scan_inbox
from ingestion.raw_tables import raw_columns
from ingestion.version import parser_version
from orchestration.dbt_assets import dbt_model_keys
from orchestration.partitions import partition_key, report_files, sync_report_partitions
from orchestration.resources import RefreshLockResource, WarehouseResource
from publishing.candidate import create_candidate, remove_stale_files, seal
from publishing.collect import collect_outcomes
from publishing.ducklake.publish import publish_to_lake
from publishing.export import export_parquet
from publishing.fingerprint import FINGERPRINT_KEY, code_version, input_fingerprint
from publishing.incremental_seed import CODE_VERSION_KEY, published_by_this_code
from publishing.load_info import read_load_info, record_load_info
from publishing.loading import ReportOutcome, load_candidate
from publishing.publish import publish
from publishing.recorded_outcomes import remember_recorded, unrecorded

# dbt's sources raw.<table> map to these keys by dagster-dbt's default ([source name, table]).
RAW_TABLE_SPECS = [
    AssetSpec(
        ["raw", table],
        group_name="warehouse",
        deps=["extracted_reports"],
        description=f"raw.{table} in this run's candidate warehouse (see ingestion/raw_tables.py).",
    )
    for table in raw_columns()
]


class ExtractConfig(Config):
    workers: int = 0  # 0: one process per core when there are enough files to pay for it


REPORT_FILES_KEY = AssetKey("report_files")

# Per-report view of the extraction: one partition per inbox file, materialized by
# extracted_reports for each file it read. Not executable itself, so the refresh job has no
# partitions: a launch from the UI, the schedule, the sensor and the CLI all read the whole inbox.
report_files_spec = AssetSpec(
    REPORT_FILES_KEY,
    partitions_def=report_files,
    deps=["extracted_reports"],
    group_name="ingestion",
    description="One partition per report file of the inbox, recorded by the refresh that first found its outcome (content, loaded or quarantined with a reason). Refresh the warehouse to update it; a single report cannot be published alone.",
)


@asset(
    group_name="ingestion",
    # A parser change makes every report stale in Dagster, as it invalidates the extraction cache.
    code_version=parser_version(),
    retry_policy=RetryPolicy(max_retries=2, delay=10),
    description="Every report file of the inbox read into rows (cached by sha256 and parser version), passed through the per-report Great Expectations suites, archived by sha256, or quarantined with a reason. Records a file as a partition of report_files when its outcome changed.",
)
def extracted_reports(
    context: AssetExecutionContext,
    config: ExtractConfig,
    warehouse_config: WarehouseResource,
    refresh_lock: RefreshLockResource,
) -> MaterializeResult:
    warehouse_files = warehouse_config.warehouse_files()
    files = scan_inbox(_existing_inbox(warehouse_config), warehouse_files.inbox_hashes)
    # Files dropped in the inbox since the sensor last looked are registered here.
    sync_report_partitions(context.instance, files)
    outcomes = collect_outcomes(files, warehouse_files, workers=config.workers, log=context.log, show_progress=True)
    recorded = _record_report_files(context, outcomes, warehouse_files.recorded_outcomes)
    loaded = sum(o.loaded for o in outcomes)
    return MaterializeResult(
        metadata={
            "files": len(outcomes),
            "loaded": loaded,
            "quarantined": len(outcomes) - loaded,
            "read_from_cache": sum(o.from_cache for o in outcomes),
            "outcomes_recorded": recorded,
            "parser_version": parser_version(),
        }
    )


def _record_report_files(context: AssetExecutionContext, outcomes: list[ReportOutcome], state: Path) -> int:
    """One ``report_files`` materialization for each file whose outcome is not recorded as it is now
    (publishing.recorded_outcomes), or whose partition has none in this instance; returns how many."""
    instance = context.instance
    # An ephemeral instance (a command-line refresh without DAGSTER_HOME) is new each run and read by no one
    # after it: recording every file into each would show no one anything, so there the state file alone
    # decides, under one name for all of them.
    name = "ephemeral" if instance.is_ephemeral else str(instance.root_directory)
    names = {o.file.source_file for o in unrecorded(outcomes, state, name)}
    if not instance.is_ephemeral:
        materialized = instance.get_materialized_partitions(REPORT_FILES_KEY)  # ~10 ms at 1,000 partitions
        names |= {o.file.source_file for o in outcomes if partition_key(o.file.source_file) not in materialized}
    changed = [o for o in outcomes if o.file.source_file in names]
    for outcome in changed:
        context.log_event(
            AssetMaterialization(
                asset_key=REPORT_FILES_KEY,
                partition=partition_key(outcome.file.source_file),
                metadata={
                    "loaded": outcome.loaded,
                    "quarantine_reason": outcome.reason or "",
                    "read_from_cache": outcome.from_cache,
                    "sha256": outcome.file.sha256,
                },
            )
        )
    remember_recorded(outcomes, state, name)
    return len(changed)


def _existing_inbox(warehouse_config: WarehouseResource) -> Path:
    inbox = warehouse_config.inbox_path()
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox {inbox} does not exist or is not a folder")
    return inbox


@multi_asset(
    specs=RAW_TABLE_SPECS,
    pool=DUCKDB_WRITER_POOL,
    description="Create this run's candidate DuckDB file and fill the raw.* tables dbt stages from, with every report of the inbox.",
)
def raw_tables(context: AssetExecutionContext, warehouse_config: WarehouseResource, refresh_lock: RefreshLockResource):
    warehouse_files = warehouse_config.warehouse_files()
    files = scan_inbox(_existing_inbox(warehouse_config), warehouse_files.inbox_hashes)
    # Every file of the inbox, again: all cache hits but for a file that arrived after the extraction step.
    outcomes = collect_outcomes(files, warehouse_files, log=context.log)
    # Built by this very code, the published file is where the candidate starts: the rows that stay are
    # kept and dbt's incremental tables are there (publishing/loading.py, publishing/incremental_seed.py).
    from_published = published_by_this_code(warehouse_files.published)
    start_from = warehouse_files.published if from_published else None
    candidate = create_candidate(warehouse_files, context.run.run_id, start_from=start_from)
    stats = load_candidate(candidate, outcomes, warehouse_files, from_published=from_published)
    if stats.loaded + stats.stale == 0:
        # Said plainly here rather than by the gate on an empty warehouse; the raw tables written
        # above keep the quarantine for the last attempt (`budget-etl status`).
        raise NothingLoaded(
            f"no report could be loaded: {stats.quarantined} file{'s' if stats.quarantined != 1 else ''} "
            "quarantined, nothing was published (`budget-etl status` lists each with its reason)"
        )
    record_load_info(
        candidate, {FINGERPRINT_KEY: input_fingerprint(files), "inbox": str(warehouse_config.inbox_path())}
    )
    metadata = {
        "candidate": MetadataValue.path(str(candidate)),
        "reports_loaded": stats.loaded,
        "stale_reports_kept": stats.stale,
        "quarantined": stats.quarantined,
        "duplicates": stats.duplicates,
        "reports_copied_from_published": stats.copied,
    }
    for spec in RAW_TABLE_SPECS:
        yield MaterializeResult(asset_key=spec.key, metadata=metadata)


@asset(
    group_name="warehouse",
    deps=dbt_model_keys(),
    pool=DUCKDB_WRITER_POOL,
    description="The candidate warehouse, sealed (checkpointed, run metadata recorded) and ready for the gate.",
)
def candidate_warehouse(
    context: AssetExecutionContext, warehouse_config: WarehouseResource, refresh_lock: RefreshLockResource
) -> MaterializeResult:
    candidate = warehouse_config.candidate_for(context.run.run_id)
    counts = _counts(candidate)
    seal(
        candidate,
        {
            **read_load_info(candidate),
            "run_id": context.run.run_id,
            "refreshed_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "parser_version": parser_version(),
            CODE_VERSION_KEY: code_version(),  # what publishing/incremental_seed.py trusts
            **{k: str(v) for k, v in counts.items()},
        },
        published=warehouse_config.warehouse_files().published,
    )
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


@asset(
    group_name="warehouse",
    deps=[candidate_warehouse],
    pool=DUCKDB_WRITER_POOL,
    description="The published warehouse file analysts and BI tools read (read-only); swapped in atomically.",
)
def published_warehouse(
    context: AssetExecutionContext, warehouse_config: WarehouseResource, refresh_lock: RefreshLockResource
) -> MaterializeResult:
    warehouse_files = warehouse_config.warehouse_files()
    candidate = warehouse_files.candidate(context.run.run_id)
    record = read_gate_record(candidate)
    # The blocking check already stops this step on failure; this guards against a run that
    # skipped the check (e.g. a partial re-execution from the UI).
    if record is None or not record.get("passed"):
        raise RuntimeError(f"refusing to publish {candidate}: the Great Expectations gate has not passed for it")
    lake = ducklake_from_env()
    lake_snapshot = None
    if lake is not None:
        # The lake first, from the same gated candidate: when it fails, the file is not published either, and a
        # run killed between the two leaves the file behind, so the next refresh is no no-op (docs/ducklake.md).
        lake_snapshot = publish_to_lake(candidate, lake, run_id=context.run.run_id)
        context.log.info(f"published to the DuckLake {lake.catalog} as snapshot {lake_snapshot}")
    kept = publish(candidate, warehouse_files)  # the run holds the refresh lock (RefreshLockResource)
    remove_stale_files(warehouse_files)
    context.log.info(f"published {warehouse_files.published}")
    return MaterializeResult(
        metadata={
            "warehouse": MetadataValue.path(str(warehouse_files.published)),
            "previous_version": MetadataValue.path(str(kept)) if kept else None,
            "ducklake_snapshot": lake_snapshot,
        }
    )


@asset(
    group_name="warehouse",
    deps=[published_warehouse],
    description="Every published table as Parquet (<warehouse>_parquet/current/, swapped in atomically) for tools that prefer files.",
)
def parquet_export(
    context: AssetExecutionContext, warehouse_config: WarehouseResource, refresh_lock: RefreshLockResource
) -> MaterializeResult:
    warehouse_files = warehouse_config.warehouse_files()
    written = export_parquet(warehouse_files.published, warehouse_files.parquet_dir)
    return MaterializeResult(
        metadata={"tables": len(written), "folder": MetadataValue.path(str(warehouse_files.parquet_dir))}
    )
