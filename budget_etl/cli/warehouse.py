"""The commands that write: `refresh`, `rollback`, `export`, `report`.

A refresh prints progress and, when nothing was published, one line with the cause and the log
file that holds the tools' whole output (Dagster, dbt, tracebacks); --debug shows it all instead.
When no file could be loaded, every quarantined file follows that line with its reason; when it
published, the reports whose files left the inbox (and so the warehouse) are named.
"""

from __future__ import annotations

from pathlib import Path

import typer

from budget_etl.cli.collection import long_lived_imports
from budget_etl.cli.console import (
    DebugOption,
    InboxOption,
    WarehouseOption,
    fail,
    flag,
    print_line,
    resolve_paths,
    resolve_warehouse,
)
from budget_etl.cli.status import LangOption, print_summary, removed_line
from budget_etl.i18n import UnknownLanguage, speaking, t
from budget_etl.progress import RefreshProgress
from contract.errors import NothingLoaded, UserFacingError
from contract.files import WarehouseFiles
from contract.progress import reporting
from expectations import gate_worker
from orchestration import dbt_ahead


def refresh(
    inbox: Path | None = InboxOption,
    warehouse: Path | None = WarehouseOption,
    allow_shrink: bool = flag(
        "--allow-shrink", "Publish even if many reports or rows disappeared since the last publish."
    ),
    force: bool = flag("--force", "Rebuild even when no report file and no code changed."),
    lang: str | None = LangOption,
    debug: bool = DebugOption,
) -> None:
    """Run the refresh job (the same one the nightly schedule runs) in-process and publish."""
    try:
        with speaking(lang):
            _refresh(inbox, warehouse, allow_shrink, force, debug)
    except UnknownLanguage as error:
        fail(str(error), debug)


def _refresh(inbox: Path | None, warehouse: Path | None, allow_shrink: bool, force: bool, debug: bool) -> None:
    inbox_path, warehouse_path = resolve_paths(inbox, warehouse)
    # The refresh's dbt and the per-report gate's worker start now, importing dbt and Great
    # Expectations on the other core while the pipeline's modules load (seconds); the dbt step builds
    # in the one, the gate validates in the other, and both are stopped when the refresh ends.
    with gate_worker.started_ahead(), dbt_ahead.started_ahead(WarehouseFiles(warehouse_path)):
        with long_lived_imports():
            import orchestration.definitions  # noqa: F401 - run_refresh's definitions, loaded here without collections
            from orchestration.run import run_refresh
        refresh_log = WarehouseFiles(warehouse_path).refresh_log
        had_warehouse = warehouse_path.exists()
        try:
            with reporting(RefreshProgress()):
                outcome = run_refresh(
                    inbox_path,
                    warehouse_path,
                    allow_shrink=allow_shrink,
                    force=force,
                    log_level="DEBUG" if debug else "INFO",
                    output_log=None if debug else refresh_log,
                    announce=print_line,  # stdout: stderr holds errors only
                )
        except UserFacingError as error:
            fail(str(error), debug)
        except OSError as error:
            fail(
                f"{error.strerror or error} ({error.filename or warehouse_path}): check that the warehouse "
                "folder is writable and has free space",
                debug,
            )
    if outcome.skipped:
        print_line(outcome.cause or "")
        return
    if not outcome.published:
        if outcome.error is NothingLoaded:  # every file quarantined: each with its reason
            fail(outcome.cause or "", details=[reason for _source_file, reason in outcome.quarantined])
        if outcome.user_facing:  # says what happened, that nothing was published, and what to do
            fail(outcome.cause or "", debug)
        untouched = "the published warehouse is untouched" if had_warehouse else "no warehouse was published"
        log = f" (full log: {outcome.log})" if outcome.log else ""
        fail(f"nothing published ({untouched}): {outcome.cause}{log}")
    from budget_etl.summary import summarize

    print_summary(summarize(warehouse_path), title=t("summary.title", path=warehouse_path))
    if outcome.removed:
        print_line(removed_line(outcome.removed))


def rollback(
    warehouse: Path | None = WarehouseOption, lang: str | None = LangOption, debug: bool = DebugOption
) -> None:
    """Restore the previously published warehouse, its Parquet export and its HTML report together
    (the report and the summary in the language asked for); with the DuckLake configured, the lake's
    previous published version too (docs/ducklake.md)."""
    try:
        with speaking(lang):
            _rollback(warehouse, debug)
    except UnknownLanguage as error:
        fail(str(error), debug)


def _rollback(warehouse: Path | None, debug: bool) -> None:
    from budget_etl.summary import summarize
    from publishing.rollback import rollback as rollback_to_previous

    warehouse_path = resolve_warehouse(warehouse)
    files = WarehouseFiles(warehouse_path)
    try:
        restored = rollback_to_previous(files)
        print_line(f"restored {warehouse_path} from {restored.name}")
        if files.report_html.exists():
            from budget_etl.html_report import render_report

            render_report(warehouse_path, files.report_html)
            print_line(f"rewrote {files.report_html} from the restored version")
        _rollback_lake(files)
        summary = summarize(warehouse_path)
    except UserFacingError as error:
        fail(str(error), debug)
    print_summary(summary, title=t("summary.title", path=warehouse_path))


def _rollback_lake(files: WarehouseFiles) -> None:
    """When the DuckLake backend is on, publish its previous version again too (under the refresh lock)."""
    from contract.settings import ducklake_from_env

    lake = ducklake_from_env()
    if lake is None:
        return
    from publishing.ducklake.versions import rollback_lake
    from publishing.lock import refresh_lock

    with refresh_lock(files):
        version = rollback_lake(lake)
    print_line(
        f"rolled the DuckLake back: snapshot {version.snapshot_id} publishes snapshot {version.restored} "
        f"again (run {version.run_id})"
    )


def report(
    output: Path | None = typer.Option(
        None, "--out", help="HTML file to write [default: <warehouse>_report.html beside the warehouse]."
    ),
    warehouse: Path | None = WarehouseOption,
    lang: str | None = LangOption,
    debug: bool = DebugOption,
) -> None:
    """Write a self-contained HTML report: funding, indicator quality, reconciliation, quarantine."""
    from budget_etl.html_report import render_report

    warehouse_path = resolve_warehouse(warehouse)
    target = output.expanduser().resolve() if output else WarehouseFiles(warehouse_path).report_html
    try:
        with speaking(lang):
            path = render_report(warehouse_path, target)
    except UserFacingError as error:
        fail(str(error), debug)
    except OSError as error:
        fail(f"cannot write {target}: {error.strerror or error}", debug)
    print_line(f"wrote {path}")


def export(
    out_dir: Path | None = typer.Option(
        None, "--out-dir", help="Export folder [default: <warehouse>_parquet/ beside the warehouse]."
    ),
    force: bool = flag("--force", "Use a non-empty folder budget-etl did not create (adds to it, moves nothing)."),
    warehouse: Path | None = WarehouseOption,
    debug: bool = DebugOption,
) -> None:
    """Export every published table to Parquet, and as .csv and .xlsx with Chinese headers (the facts: a folder of
    one workbook per report; large tables by department, such as mart_project_history: one per department), in
    <folder>/current/; unchanged files are linked from the last export (each refresh also does this)."""
    from publishing.export import current_export, export_parquet

    warehouse_path = resolve_warehouse(warehouse)
    target = out_dir.expanduser().absolute() if out_dir else WarehouseFiles(warehouse_path).parquet_dir
    try:
        files = export_parquet(warehouse_path, target, force=force)
    except UserFacingError as error:
        fail(str(error), debug)
    except OSError as error:
        fail(f"cannot write {target}: {error.strerror or error}", debug)
    print_line(
        f"exported {len(files)} tables (.parquet; .csv and .xlsx with Chinese headers) to {current_export(target)}"
    )
