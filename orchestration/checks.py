"""Asset checks. The warehouse gate is blocking: a failure stops the publish step."""

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    MetadataValue,
    asset_check,
)

from expectations import gate_worker
from expectations.gate_record import write_gate_record
from orchestration.assets import candidate_warehouse
from orchestration.resources import RefreshLockResource, WarehouseResource


@asset_check(
    asset=candidate_warehouse,
    blocking=True,
    description="Great Expectations suites on the candidate warehouse: structure, keys, referential integrity, values, reconciliation, and volume against the published warehouse report by report (rows lost by an unchanged file or half the reports gone block; a withdrawn report leaves).",
)
def warehouse_gate(
    context: AssetCheckExecutionContext, warehouse_config: WarehouseResource, refresh_lock: RefreshLockResource
) -> AssetCheckResult:
    # Imports great_expectations where it runs: slow, so lazily.
    from expectations.gate import validate_warehouse

    warehouse_files = warehouse_config.warehouse_files()
    run_id = context.run.run_id
    candidate = warehouse_files.candidate(run_id)
    # In the gate's worker when the CLI started one (expectations/gate_worker.py), else here.
    result = gate_worker.call(
        validate_warehouse,
        candidate,
        published=warehouse_files.published if warehouse_files.published.exists() else None,
        allow_shrink=warehouse_config.allow_shrink,
        run_name=run_id,
        docs_dir=warehouse_files.docs_dir,
    )
    docs = str(result.docs_index) if result.docs_index else None
    write_gate_record(candidate, passed=result.passed, failures=result.failures, docs_index=docs)
    for failure in result.failures:
        context.log.error(f"gate: {failure}")
    return AssetCheckResult(
        passed=result.passed,
        severity=AssetCheckSeverity.ERROR,
        metadata={
            "failures": MetadataValue.json(result.failures),
            "failed_expectations": len(result.failures),
            # Published reports whose files left the inbox: they leave the warehouse (status lists them).
            "removed_reports": MetadataValue.json(result.statistics.get("removed_reports", [])),
            "data_docs": MetadataValue.path(docs) if docs else None,
        },
    )
