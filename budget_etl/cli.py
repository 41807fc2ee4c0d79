"""`budget-etl`: refresh the warehouse, query it read-only, see what is published.

Errors a user can act on print one line (what went wrong and what to do) and exit non-zero; the
traceback only with --debug.
"""

from __future__ import annotations

import csv
import json
import logging
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from budget_etl.settings import WarehouseLayout, inbox_from_env, warehouse_from_env

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
# Piped output (cron mail, CI logs) is not cut to 80 columns: long Chinese names stay readable.
out = Console() if sys.stdout.isatty() else Console(width=160)
err = Console(stderr=True) if sys.stderr.isatty() else Console(stderr=True, width=160)

InboxOption = typer.Option(None, "--inbox", help="Folder of report files [env BUDGET_INBOX; default: bundled samples].")
WarehouseOption = typer.Option(None, "--warehouse", help="Published DuckDB file [env BUDGET_WAREHOUSE; default: warehouse/budget.duckdb].")
DebugOption = typer.Option(False, "--debug", help="Show tracebacks and Dagster's logs.")


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def _fail(message: str, debug: bool) -> None:
    if debug and sys.exc_info()[1] is not None:
        raise  # re-raise the exception being handled, with its traceback
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _resolve(inbox: Optional[Path], warehouse: Optional[Path]) -> tuple[Path, Path]:
    return (inbox.expanduser().resolve() if inbox else inbox_from_env(),
            warehouse.expanduser().resolve() if warehouse else warehouse_from_env())


@app.command()
def refresh(
    inbox: Optional[Path] = InboxOption,
    warehouse: Optional[Path] = WarehouseOption,
    allow_shrink: bool = typer.Option(False, "--allow-shrink", help="Publish even if many reports or rows disappeared since the last publish."),
    debug: bool = DebugOption,
) -> None:
    """Run the refresh job (the same one the nightly schedule runs) in-process and publish."""
    from budget_etl import warehouse as wh
    from orchestration.run import run_refresh

    inbox_path, warehouse_path = _resolve(inbox, warehouse)
    if not inbox_path.is_dir():
        _fail(f"inbox {inbox_path} does not exist: pass --inbox DIR or set BUDGET_INBOX", debug)
    layout = WarehouseLayout(warehouse_path)
    logging.getLogger("dagster").setLevel(logging.DEBUG if debug else logging.WARNING)
    try:
        with wh.refresh_lock(layout):
            wh.remove_stale_candidates(layout)  # left by a crashed or failed earlier refresh
            with out.status(f"refreshing {warehouse_path} from {inbox_path}"):
                outcome = run_refresh(inbox_path, warehouse_path, allow_shrink=allow_shrink)
    except (wh.WarehouseError, OSError) as error:
        _fail(str(error), debug)
    if not outcome.published:
        for failure in outcome.gate_failures[1:]:
            err.print(f"  gate: {failure}", highlight=False)
        _fail(f"nothing published, the previous warehouse is untouched: {outcome.cause}", debug)
    _print_summary(warehouse_path)


def _print_summary(path: Path) -> None:
    from budget_etl.summary import summarize

    s = summarize(path)
    table = Table(title=f"Published {path}", show_lines=False)
    for column in ("report", "department", "layout", "year", "projects", "indicators", "总计 (万元)"):
        table.add_column(column, justify="right" if column in ("projects", "indicators", "总计 (万元)") else "left")
    for source_file, department, layout, year, projects, indicators, total in s.per_report:
        table.add_row(source_file, department or "", layout, str(year) if year else "—", str(projects),
                      str(indicators), f"{total:,.2f}" if total is not None else "—")
    out.print(table)
    total = f"{s.total_amount:,.2f} 万元" if s.total_amount is not None else "—"
    out.print(f"{s.reports} reports, {s.projects} projects, {s.indicators} indicators, total {total}")
    if s.quarantined:
        out.print(f"[yellow]{len(s.quarantined)} quarantined:[/]")
        for source_file, reason in s.quarantined:
            out.print(f"  {reason}", highlight=False)
    else:
        out.print("0 quarantined")


@app.command()
def status(warehouse: Optional[Path] = WarehouseOption, debug: bool = DebugOption) -> None:
    """What is published: reports, counts, last refresh, quarantined files."""
    from budget_etl.warehouse import WarehouseError

    _, warehouse_path = _resolve(None, warehouse)
    try:
        from budget_etl.summary import summarize

        s = summarize(warehouse_path)
    except WarehouseError as error:
        _fail(str(error), debug)
    out.print(f"last refresh: {s.meta.get('refreshed_at', 'unknown')} (run {s.meta.get('run_id', '?')})")
    out.print(f"inbox: {s.meta.get('inbox', 'unknown')}")
    _print_summary(warehouse_path)


@app.command()
def rollback(warehouse: Optional[Path] = WarehouseOption, debug: bool = DebugOption) -> None:
    """Restore the previously published warehouse (the current one is moved aside, not deleted)."""
    from budget_etl import warehouse as wh

    _, warehouse_path = _resolve(None, warehouse)
    try:
        restored = wh.rollback(WarehouseLayout(warehouse_path))
    except wh.WarehouseError as error:
        _fail(str(error), debug)
    out.print(f"restored {warehouse_path} from {restored.name}")
    _print_summary(warehouse_path)


@app.command()
def query(
    sql: str = typer.Argument(..., help="SQL to run against the published warehouse (read-only)."),
    warehouse: Optional[Path] = WarehouseOption,
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
    debug: bool = DebugOption,
) -> None:
    """Run a read-only SQL query against the published warehouse."""
    import duckdb

    from budget_etl.warehouse import WarehouseError, connect_read_only

    _, warehouse_path = _resolve(None, warehouse)
    try:
        con = connect_read_only(warehouse_path)
        try:
            cursor = con.execute(sql)
            columns = [d[0] for d in cursor.description or []]
            rows = cursor.fetchall() if columns else []
        finally:
            con.close()
    except WarehouseError as error:
        _fail(str(error), debug)
    except duckdb.Error as error:
        first_line = str(error).splitlines()[0]
        _fail(f"query failed: {first_line} (the warehouse is read-only; list tables with: budget-etl query \"SHOW TABLES\")", debug)
    if fmt is OutputFormat.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt is OutputFormat.json:
        sys.stdout.write(json.dumps([dict(zip(columns, r)) for r in rows], ensure_ascii=False, default=str, indent=1) + "\n")
    else:
        table = Table(*columns)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        out.print(table)


if __name__ == "__main__":
    app()
