"""The two gates: per report before loading, and on the candidate warehouse before publishing.

Both return a plain ``GateResult``; a gate never raises for bad data (a missing table, a defect in
a column): it fails with one sentence per failed expectation. It raises only for misuse (no
candidate file) or for an environment problem it cannot word (GX itself failing).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from expectations import data_docs, frames
from expectations.categories import CATEGORY_SEED, CategorySeedError, level1_codes
from expectations.context import new_context
from expectations.messages import failure_sentence

if TYPE_CHECKING:  # pragma: no cover
    import duckdb
    import pandas as pd

STRUCTURE_SUITE = "structure"
COUNTED_TABLES = ("dim_reports", "fct_project_funding", "fct_performance_indicators")
# Tables validated when present but not part of the contract (their columns are not fixed here).
OPTIONAL_TABLES = ("dim_indicator_categories",)
_DATASOURCE = "candidate"


@dataclass
class GateResult:
    passed: bool
    failures: list[str]  # one human sentence per failed expectation, naming it
    statistics: dict[str, Any] = field(default_factory=dict)
    docs_index: Path | None = None


def _result_format(index_columns: tuple[str, ...]) -> dict[str, Any]:
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

    ``published`` is the warehouse currently published (volume check, skipped when it does not
    exist or ``allow_shrink``). Data Docs go to ``docs_dir`` (default ``<candidate dir>/data_docs``);
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
    parameters: dict[str, Any] = {}
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
        "reconciliation_source": plan.reconciliation_source,
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
    reconciliation_source: str | None


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
        if spec.table in OPTIONAL_TABLES and spec.table not in existing:
            skipped[suite] = f"optional table {frames.SCHEMA}.{spec.table} is not built"
        elif reason := unavailable({spec.table: spec.required}):
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

    reconciliation_source = None
    if marts := frames.reconciliation_marts(columns):
        reconciliation_source = "mart(s) " + ", ".join(marts)
        plan_frames += [frames.reconciliation_mart_frame(con, m, columns) for m in marts]
    elif reason := unavailable(
        {
            "dim_reports": ("report_key", "source_file"),
            "fct_project_funding": ("report_key", "project_key", "total_amount"),
        }
    ):
        skipped["reconciliation"] = reason
    else:
        has_declared = "declared_total_amount" in existing["dim_reports"]
        reconciliation_source = (
            "dim_reports.declared_total_amount vs sum of project totals"
            if has_declared
            else "none: no reconciliation mart and no dim_reports.declared_total_amount"
        )
        plan_frames.append(frames.declared_total_frame(con, has_declared))

    row_counts = frames.row_counts(con, COUNTED_TABLES)
    if published is None or not Path(published).is_file():
        skipped["volume"] = "no published warehouse to compare with"
    elif Path(published).resolve() == candidate.resolve():
        skipped["volume"] = "the published warehouse is the candidate itself"
    elif allow_shrink:
        skipped["volume"] = "allow_shrink: a drop in reports or projects is accepted for this run"
    else:
        before = frames.published_counts(Path(published))
        if before.get("dim_reports") is None or before.get("fct_project_funding") is None:
            skipped["volume"] = "the published warehouse has no dim_reports or fct_project_funding"
        else:
            plan_frames.append(frames.volume_frame(row_counts, before))
    return _Plan(plan_frames, structure_failures, skipped, row_counts, reconciliation_source)


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
        result_format=_result_format(frame.index_columns),
        run_id=run_id,
    )


# --------------------------------------------------------------------------------------------------
# Per-report gate

_REPORT_LOCK = threading.Lock()  # one shared GX context; GX objects are not thread-safe


@dataclass
class _ReportValidator:
    batch_definitions: dict[str, Any]
    suites: dict[str, Any]


@lru_cache(maxsize=1)
def _report_validator() -> _ReportValidator:
    """Built once per process: importing GX and loading suites is the slow part of this gate."""
    context = new_context(None)
    datasource = context.data_sources.add_pandas("report")
    names = {
        "report_projects": "projects",
        "report_indicators": "indicators",
        "report_reconciliation": "reconciliation",
    }
    return _ReportValidator(
        batch_definitions={
            suite: datasource.add_dataframe_asset(name=asset).add_batch_definition_whole_dataframe(f"{asset}_whole")
            for suite, asset in names.items()
        },
        suites={suite: context.suites.get(suite) for suite in names},
    )


def validate_report_frames(
    projects: pd.DataFrame, indicators: pd.DataFrame, *, source_file: str, reconciliation: pd.DataFrame | None = None
) -> GateResult:
    """Gate one parsed report (columns of raw.projects / raw.indicators) before it is loaded.

    ``reconciliation``: the report's sum checks (ingestion.reconciliation.reconcile as a frame with
    an is_within_tolerance column), validated when given.
    """
    started = time.perf_counter()
    report_frames = [frames.report_projects_frame(projects), frames.report_indicators_frame(indicators)]
    if reconciliation is not None and len(reconciliation):
        report_frames.append(frames.report_reconciliation_frame(reconciliation))
    failures: list[str] = []
    evaluated = 0
    with _REPORT_LOCK:
        validator = _report_validator()
        for frame in report_frames:
            batch = validator.batch_definitions[frame.suite].get_batch(batch_parameters={"dataframe": frame.data})
            result = batch.validate(validator.suites[frame.suite], result_format=_result_format(frame.index_columns))
            evaluated += result.statistics["evaluated_expectations"]
            failures += [
                failure_sentence(frame.suite, f"{frame.name} of {source_file}", r)
                for r in result.results
                if not r.success
            ]
    statistics = {
        "source_file": source_file,
        "projects": len(projects),
        "indicators": len(indicators),
        "evaluated_expectations": evaluated,
        "seconds": round(time.perf_counter() - started, 3),
    }
    return GateResult(passed=not failures, failures=failures, statistics=statistics, docs_index=None)
