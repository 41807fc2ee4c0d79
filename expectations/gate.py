"""The warehouse gate, on the candidate warehouse before publishing (the per-report gate, run
before loading, is expectations.report_gate).

Both gates return a plain ``GateResult``; a gate never raises for bad data (a missing table, a defect in
a column): it fails with one sentence per failed expectation. It raises only for misuse (no
candidate file) or for an environment problem it cannot word (GX itself failing).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from expectations import data_docs, frames, volume
from expectations.categories import CATEGORY_SEED, CategorySeedError, level1_codes
from expectations.context import new_context
from expectations.messages import failure_sentence

if TYPE_CHECKING:  # pragma: no cover
    import duckdb

STRUCTURE_SUITE = "structure"
COUNTED_TABLES = ("dim_reports", "fct_project_funding", "fct_performance_indicators")
_DATASOURCE = "candidate"


@dataclass
class GateResult:
    passed: bool
    failures: list[str]  # one human sentence per failed expectation, naming it
    statistics: dict[str, Any] = field(default_factory=dict)
    docs_index: Path | None = None


def result_format(index_columns: tuple[str, ...]) -> dict[str, Any]:
    fmt: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": 10}
    if index_columns:
        fmt["unexpected_index_column_names"] = list(index_columns)
    return fmt


# --------------------------------------------------------------------------------------------------
# Warehouse gate


def validate_warehouse(
    candidate: Path,
    *,
    published: Path | None = None,
    allow_shrink: bool = False,
    run_name: str | None = None,
    docs_dir: Path | None = None,
    categories_seed: Path = CATEGORY_SEED,
    build_docs: bool = True,
) -> GateResult:
    """Validate the candidate DuckDB warehouse; ``passed`` False blocks the publish.

    ``published`` is the warehouse currently published: the volume suite compares the candidate
    with it report by report (expectations/volume.py; skipped when it does not exist or
    ``allow_shrink``, the comparison is then still in ``statistics``). Data Docs go to ``docs_dir`` (default ``<candidate dir>/data_docs``);
    ``build_docs=False`` skips them (``docs_index`` is then None), for quick checks.
    """
    import duckdb

    started = time.perf_counter()
    candidate = Path(candidate)
    if not candidate.is_file():
        raise FileNotFoundError(f"candidate warehouse {candidate} does not exist")
    docs_dir = Path(docs_dir) if docs_dir is not None else candidate.parent / "data_docs"
    context = new_context(docs_dir if build_docs else None)
    gx_ready = time.perf_counter()

    failures: list[str] = []
    parameters: dict[str, Any] = dict(volume.PARAMETERS)
    try:
        parameters["level1_codes"] = level1_codes(categories_seed)
    except CategorySeedError as err:
        parameters["level1_codes"] = []
        failures.append(
            f"Suite fct_performance_indicators: expect_column_values_to_be_in_set on column "
            f"level1_code cannot know the allowed codes: {err}."
        )

    con = duckdb.connect(str(candidate), read_only=True)
    try:
        plan = _plan_warehouse(con, context, candidate, published, allow_shrink)
    finally:
        con.close()
    load_seconds = time.perf_counter() - gx_ready

    run_id = _run_id(run_name)
    datasource = context.data_sources.add_pandas(_DATASOURCE)
    rows: list[data_docs.DocsRow] = []
    validations: list[dict[str, Any]] = []
    for frame in plan.frames:
        result = _validate_stored(context, datasource, frame, parameters, run_id)
        sentences = [failure_sentence(frame.suite, frame.name, r) for r in result.results if not r.success]
        if frame.suite == STRUCTURE_SUITE and plan.structure_failures:
            # The information_schema check words missing tables and columns better than a set diff.
            sentences = plan.structure_failures
        failures.extend(sentences)
        stats = result.statistics
        rows.append(
            data_docs.DocsRow(
                frame.suite,
                frame.name,
                len(frame.data),
                stats["evaluated_expectations"],
                stats["unsuccessful_expectations"],
                result.success,
            )
        )
        validations.append(
            {
                "suite": frame.suite,
                "frame": frame.name,
                "rows": len(frame.data),
                "evaluated": stats["evaluated_expectations"],
                "failed": stats["unsuccessful_expectations"],
                "success": bool(result.success),
            }
        )

    title = f"budget-etl warehouse gate: {candidate.name}" + (f" ({run_name})" if run_name else "")
    docs_index = (
        data_docs.build(context, docs_dir, rows, failures, title=title, notes=plan.skipped) if build_docs else None
    )
    statistics = {
        "candidate": str(candidate),
        "published": str(published) if published is not None else None,
        "row_counts": plan.row_counts,
        "validations": validations,
        "skipped": plan.skipped,
        # Published reports whose files left the inbox (they leave the warehouse), and every change.
        "removed_reports": plan.comparison.removed if plan.comparison else [],
        "report_changes": {c.published.source_file: c.change for c in plan.comparison.changes}
        if plan.comparison
        else {},
        "level1_codes": parameters["level1_codes"],
        "evaluated_expectations": sum(v["evaluated"] for v in validations),
        "failed_expectations": sum(v["failed"] for v in validations),
        "gx_setup_seconds": round(gx_ready - started, 3),
        "load_seconds": round(load_seconds, 3),
        "seconds": round(time.perf_counter() - started, 3),
    }
    return GateResult(passed=not failures, failures=failures, statistics=statistics, docs_index=docs_index)


@dataclass
class _Plan:
    frames: list[frames.Frame]
    structure_failures: list[str]
    skipped: dict[str, str]
    row_counts: dict[str, int | None]
    comparison: volume.Comparison | None  # None when there is no published warehouse to compare with


def _contract(context: Any) -> dict[str, list[str]]:
    """Contract columns per table, from the structure suite's ``table.column`` value set."""
    suite = context.suites.get(STRUCTURE_SUITE)
    contract: dict[str, list[str]] = {}
    for expectation in suite.expectations:
        for item in getattr(expectation, "value_set", None) or []:
            table, _, column = str(item).partition(".")
            contract.setdefault(table, []).append(column)
    return contract


def _plan_warehouse(
    con: duckdb.DuckDBPyConnection, context: Any, candidate: Path, published: Path | None, allow_shrink: bool
) -> _Plan:
    """Read every frame the suites need; decide what cannot be validated and why."""
    columns = frames.warehouse_columns(con)
    existing: dict[str, set[str]] = {}
    for table, column in zip(columns["table_name"], columns["column_name"], strict=False):
        existing.setdefault(table, set()).add(column)

    structure_failures = []
    head = f"Suite {STRUCTURE_SUITE}: expect_column_distinct_values_to_contain_set on column table_column failed"
    for table, wanted in _contract(context).items():
        if table not in existing:
            structure_failures.append(f"{head}: table {frames.SCHEMA}.{table} does not exist.")
        elif missing := [c for c in wanted if c not in existing[table]]:
            structure_failures.append(
                f"{head}: table {frames.SCHEMA}.{table} lacks contract column(s) {', '.join(missing)}."
            )

    def unavailable(needs: dict[str, tuple[str, ...]]) -> str | None:
        for table, cols in needs.items():
            if table not in existing:
                return f"table {frames.SCHEMA}.{table} does not exist"
            if missing := [c for c in cols if c not in existing[table]]:
                return f"table {frames.SCHEMA}.{table} lacks {', '.join(missing)}"
        return None

    plan_frames = [frames.Frame(STRUCTURE_SUITE, "warehouse_columns", columns[["table_column"]], ())]
    skipped: dict[str, str] = {}
    for suite, spec in frames.TABLE_FRAMES.items():
        if reason := unavailable({spec.table: spec.required}):
            skipped[suite] = reason
        else:
            plan_frames.append(frames.table_frame(con, suite, spec))

    references = []
    for ref in frames.REFERENCES:
        if reason := unavailable(ref.needs()):
            skipped[f"referential_integrity {ref.label}"] = reason
        else:
            references.append(ref)
    plan_frames.append(frames.orphans_frame(con, references))

    if reason := unavailable(frames.RECONCILIATION_NEEDS):
        skipped["reconciliation"] = reason
    else:
        plan_frames.append(frames.reconciliation_frame(con))

    row_counts = frames.row_counts(con, COUNTED_TABLES)
    comparison, reason = _compare_with_published(con, existing, candidate, published)
    if comparison is None:
        skipped[volume.SUITE] = reason or ""
    elif allow_shrink:
        skipped[volume.SUITE] = "allow_shrink: reports that lost rows or left the inbox are accepted for this run"
    else:
        plan_frames.extend(volume.frames(comparison))
    return _Plan(plan_frames, structure_failures, skipped, row_counts, comparison)


def _compare_with_published(
    con: duckdb.DuckDBPyConnection, existing: dict[str, set[str]], candidate: Path, published: Path | None
) -> tuple[volume.Comparison | None, str | None]:
    """The candidate's reports against the published ones (expectations/volume.py), or why not."""
    if published is None or not Path(published).is_file():
        return None, "no published warehouse to compare with"
    if Path(published).resolve() == candidate.resolve():
        return None, "the published warehouse is the candidate itself"
    if reason := volume.missing_needs(existing, volume.CANDIDATE_NEEDS):
        return None, f"the candidate cannot be compared: {reason}"
    before, reason = volume.read_published(Path(published))
    if before is None:
        return None, reason
    return volume.compare(before, volume.read_reports(con), volume.read_quarantined(con)), None


def _run_id(run_name: str | None) -> Any:
    from great_expectations.core.run_identifier import RunIdentifier

    return RunIdentifier(run_name=run_name, run_time=datetime.now(UTC))


def _validate_stored(
    context: Any, datasource: Any, frame: frames.Frame, parameters: dict[str, Any], run_id: Any
) -> Any:
    """Validate through a ValidationDefinition so the result lands in the store Data Docs render."""
    import great_expectations as gx

    asset = datasource.add_dataframe_asset(name=frame.name)
    batch_definition = asset.add_batch_definition_whole_dataframe(f"{frame.name}_whole")
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(
            name=f"{frame.suite}:{frame.name}", data=batch_definition, suite=context.suites.get(frame.suite)
        )
    )
    return definition.run(
        batch_parameters={"dataframe": frame.data},
        expectation_parameters=parameters,
        result_format=result_format(frame.index_columns),
        run_id=run_id,
    )
