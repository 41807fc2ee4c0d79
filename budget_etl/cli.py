"""`budget-etl`: refresh the warehouse, query it read-only, see what is published.

Errors a user can act on print one line (what went wrong and what to do) and exit non-zero; the
traceback only with --debug.
"""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from budget_etl.progress import RefreshProgress
from contract.errors import UserFacingError
from contract.files import WarehouseFiles
from contract.progress import reporting
from contract.settings import (
    DBT_PROJECT_DIR,
    inbox_from_env,
    warehouse_from_env,
)

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Refresh, query and inspect the budget warehouse (项目支出绩效目标表).",
)
# Piped output (cron mail, CI logs) is not cut to 80 columns: long Chinese names stay readable.
out = Console() if sys.stdout.isatty() else Console(width=160)
err = Console(stderr=True) if sys.stderr.isatty() else Console(stderr=True, width=160)

InboxOption = typer.Option(None, "--inbox", help="Folder of report files [env BUDGET_INBOX; default: bundled samples].")
WarehouseOption = typer.Option(
    None, "--warehouse", help="Published DuckDB file [env BUDGET_WAREHOUSE; default: warehouse/budget.duckdb]."
)
DebugOption = typer.Option(False, "--debug", help="Show tracebacks and Dagster's logs.")


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _fail(message: str, debug: bool) -> None:
    if debug and sys.exc_info()[1] is not None:
        raise  # re-raise the exception being handled, with its traceback
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _resolve(inbox: Path | None, warehouse: Path | None) -> tuple[Path, Path]:
    return (
        inbox.expanduser().resolve() if inbox else inbox_from_env(),
        warehouse.expanduser().resolve() if warehouse else warehouse_from_env(),
    )


@app.command()
def refresh(
    inbox: Path | None = InboxOption,
    warehouse: Path | None = WarehouseOption,
    allow_shrink: bool = typer.Option(
        False, "--allow-shrink", help="Publish even if many reports or rows disappeared since the last publish."
    ),
    force: bool = typer.Option(False, "--force", help="Rebuild even when no report file and no code changed."),
    debug: bool = DebugOption,
) -> None:
    """Run the refresh job (the same one the nightly schedule runs) in-process and publish."""
    from orchestration.run import run_refresh

    inbox_path, warehouse_path = _resolve(inbox, warehouse)
    refresh_log = WarehouseFiles(warehouse_path).refresh_log
    try:
        with reporting(RefreshProgress()):
            outcome = run_refresh(
                inbox_path,
                warehouse_path,
                allow_shrink=allow_shrink,
                force=force,
                log_level="DEBUG" if debug else "ERROR",
                output_log=None if debug else refresh_log,
                announce=lambda line: err.print(line, highlight=False),
            )
    except UserFacingError as error:
        _fail(str(error), debug)
    except OSError as error:
        _fail(
            f"{error.strerror or error} ({error.filename or warehouse_path}): check that the warehouse folder "
            "is writable and has free space",
            debug,
        )
    if outcome.skipped:
        out.print(outcome.cause, highlight=False)
        return
    if not outcome.published:
        for failure in outcome.gate_failures[1:]:
            err.print(f"  gate: {failure}", highlight=False)
        details = "" if debug else f" (tool output: {refresh_log})"
        _fail(f"nothing published, the previous warehouse is untouched: {outcome.cause}{details}", debug)
    _print_summary(warehouse_path)


def _print_summary(path: Path) -> None:
    from budget_etl.summary import summarize

    s = summarize(path)
    table = Table(title=f"Published {path}", show_lines=False)
    for column in ("report", "department", "layout", "year", "projects", "indicators", "总计 (万元)"):
        table.add_column(column, justify="right" if column in ("projects", "indicators", "总计 (万元)") else "left")
    for source_file, department, layout, year, projects, indicators, total in s.per_report:
        table.add_row(
            source_file,
            department or "",
            layout,
            str(year) if year else "—",
            str(projects),
            str(indicators),
            f"{total:,.2f}" if total is not None else "—",
        )
    out.print(table)
    total = f"{s.total_amount:,.2f} 万元" if s.total_amount is not None else "—"
    out.print(f"{s.reports} reports, {s.projects} projects, {s.indicators} indicators, total {total}")
    if s.quarantined:
        out.print(f"[yellow]{len(s.quarantined)} quarantined:[/]")
        for _source_file, reason in s.quarantined:
            out.print(f"  {reason}", highlight=False)
    else:
        out.print("0 quarantined")


@app.command()
def status(warehouse: Path | None = WarehouseOption, debug: bool = DebugOption) -> None:
    """What is published: reports, counts, last refresh, quarantined files."""

    _, warehouse_path = _resolve(None, warehouse)
    try:
        from budget_etl.summary import summarize

        s = summarize(warehouse_path)
    except UserFacingError as error:
        _fail(str(error), debug)
    out.print(f"last refresh: {s.meta.get('refreshed_at', 'unknown')} (run {s.meta.get('run_id', '?')})")
    out.print(f"inbox: {s.meta.get('inbox', 'unknown')}")
    docs = WarehouseFiles(warehouse_path).docs_dir / "index.html"
    if docs.exists():  # the latest gate run, failed or passed: where to look when a refresh was refused
        out.print(f"data docs of the last gate run: {docs.as_uri()}", highlight=False)
    _print_summary(warehouse_path)


@app.command()
def rollback(warehouse: Path | None = WarehouseOption, debug: bool = DebugOption) -> None:
    """Restore the previously published warehouse (the current one is moved aside, not deleted)."""

    from publishing.rollback import rollback as rollback_to_previous

    _, warehouse_path = _resolve(None, warehouse)
    try:
        restored = rollback_to_previous(WarehouseFiles(warehouse_path))
    except UserFacingError as error:
        _fail(str(error), debug)
    out.print(f"restored {warehouse_path} from {restored.name}")
    _print_summary(warehouse_path)


@app.command()
def query(
    sql: str = typer.Argument(..., help="SQL to run against the published warehouse (read-only)."),
    warehouse: Path | None = WarehouseOption,
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
    debug: bool = DebugOption,
) -> None:
    """Run a read-only SQL query against the published warehouse."""
    import duckdb

    from publishing.connections import connect_read_only

    _, warehouse_path = _resolve(None, warehouse)
    try:
        con = connect_read_only(warehouse_path)
        try:
            cursor = con.execute(sql)
            columns = [d[0] for d in cursor.description or []]
            rows = cursor.fetchall() if columns else []
        finally:
            con.close()
    except UserFacingError as error:
        _fail(str(error), debug)
    except duckdb.Error as error:
        first_line = str(error).splitlines()[0]
        _fail(
            f'query failed: {first_line} (the warehouse is read-only; list tables with: budget-etl query "SHOW TABLES")',
            debug,
        )
    if fmt is OutputFormat.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt is OutputFormat.json:
        sys.stdout.write(
            json.dumps([dict(zip(columns, r, strict=False)) for r in rows], ensure_ascii=False, default=str, indent=1)
            + "\n"
        )
    else:
        table = Table(*columns)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        out.print(table)


@app.command()
def report(
    output: Path | None = typer.Option(
        None, "--out", help="HTML file to write [default: <warehouse>_report.html beside the warehouse]."
    ),
    warehouse: Path | None = WarehouseOption,
    debug: bool = DebugOption,
) -> None:
    """Write a self-contained HTML report: funding, indicator quality, reconciliation, quarantine."""
    from budget_etl.html_report import render_report

    _, warehouse_path = _resolve(None, warehouse)
    target = output.expanduser().resolve() if output else WarehouseFiles(warehouse_path).report_html
    try:
        path = render_report(warehouse_path, target)
    except UserFacingError as error:
        _fail(str(error), debug)
    except OSError as error:
        _fail(f"cannot write {target}: {error.strerror or error}", debug)
    out.print(f"wrote {path}", highlight=False)


@app.command("export")
def export_command(
    out_dir: Path | None = typer.Option(
        None, "--out-dir", help="Folder [default: <warehouse>_parquet/ beside the warehouse]."
    ),
    warehouse: Path | None = WarehouseOption,
    debug: bool = DebugOption,
) -> None:
    """Export every published table to Parquet (each refresh also does this)."""
    from publishing.export import export_parquet

    _, warehouse_path = _resolve(None, warehouse)
    target = out_dir.expanduser().resolve() if out_dir else WarehouseFiles(warehouse_path).parquet_dir
    try:
        files = export_parquet(warehouse_path, target)
    except UserFacingError as error:
        _fail(str(error), debug)
    out.print(f"exported {len(files)} tables to {target}", highlight=False)


@app.command()
def describe(
    table: str | None = typer.Argument(None, help="A published table; all tables when omitted."),
    debug: bool = DebugOption,
) -> None:
    """The data dictionary: what each published table and column means."""
    from budget_etl.dictionary import describe as describe_tables

    manifest = DBT_PROJECT_DIR / "target" / "manifest.json"
    if not manifest.exists():
        _fail(f"no dbt manifest at {manifest}: run `make install` first", debug)
    try:
        docs = describe_tables(manifest, table)
    except KeyError as error:
        _fail(str(error.args[0]) if error.args else f"unknown table {table}", debug)
    for doc in docs:
        grid = Table(title=f"{doc.name}", caption=doc.description, title_justify="left", caption_justify="left")
        for column in ("column", "type", "description"):
            grid.add_column(column, overflow="fold")
        for column in doc.columns:
            grid.add_row(column.name, column.data_type or "", column.description)
        out.print(grid)


if __name__ == "__main__":
    app()
