"""`query` and `describe`: read the published warehouse, never change it.

Closed twice: by statement type before anything runs (publishing.connections.read_statement: one
read statement), and at the engine (connect_read_only: no other file, no network, settings locked).
A table on the terminal shows at most ``--limit`` rows and turns into one record per block when it
has too many columns to read side by side; csv and json give every row unless ``--limit`` is given.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from budget_etl.cli.console import DebugOption, WarehouseOption, err, fail, out, print_line, resolve_warehouse
from contract import atomic
from contract.errors import UserFacingError
from contract.settings import DBT_PROJECT_DIR

TABLE_ROW_LIMIT = 50
MIN_COLUMN_WIDTH = 12  # narrower than this, values turn into one letter a line: show records instead


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _sql_text(sql: str | None, sql_file: Path | None) -> str:
    if sql is not None and sql_file is not None:
        raise typer.BadParameter("give the SQL as an argument or with --file, not both")
    if sql_file is None:
        return sql or ""
    if str(sql_file) == "-":
        return sys.stdin.read()
    try:
        return sql_file.read_text(encoding="utf-8")
    except OSError as error:
        fail(f"cannot read {sql_file}: {error.strerror or error}")


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)  # a JSON number, not a string
    return str(value)


def render_csv(columns: list[str], rows: list[tuple]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def render_json(columns: list[str], rows: list[tuple]) -> str:
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    return json.dumps(records, ensure_ascii=False, default=_json_value, indent=1) + "\n"


def render_table(columns: list[str], rows: list[tuple], console: Console) -> None:
    cell = lambda v: "" if v is None else str(v)  # noqa: E731
    if len(columns) * MIN_COLUMN_WIDTH <= console.width:
        table = Table()
        for column in columns:
            table.add_column(Text(column))
        for row in rows:
            table.add_row(*(Text(cell(v)) for v in row))  # Text: values are never read as markup
        console.print(table)
        return
    width = max(len(c) for c in columns)
    for number, row in enumerate(rows, start=1):
        console.print(f"-[ row {number} ]-", markup=False, highlight=False)
        for column, value in zip(columns, row, strict=True):
            console.print(f"{column.ljust(width)} | {cell(value)}", markup=False, highlight=False, soft_wrap=True)


def run_query(warehouse: Path, sql: str, limit: int | None) -> tuple[list[str], list[tuple], bool]:
    """(columns, rows, more rows exist) of one read statement on the published warehouse."""
    from publishing.connections import connect_read_only, read_statement

    statement = read_statement(sql)
    con = connect_read_only(warehouse)
    try:
        cursor = con.execute(statement)
        columns = [d[0] for d in cursor.description or []]
        if not columns:
            return [], [], False
        rows = cursor.fetchall() if limit is None else cursor.fetchmany(limit + 1)
    finally:
        con.close()
    more = limit is not None and len(rows) > limit
    return columns, rows[:limit] if more else rows, more


def query(
    sql: str | None = typer.Argument(None, help="SQL to run (one read statement); or use --file.", show_default=False),
    sql_file: Path | None = typer.Option(None, "--file", help="Read the SQL from this file ('-' for stdin)."),
    warehouse: Path | None = WarehouseOption,
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, csv or json."),
    limit: int | None = typer.Option(
        None, "--limit", min=0, help=f"At most this many rows [default: {TABLE_ROW_LIMIT} for table, all for csv/json]."
    ),
    output: Path | None = typer.Option(None, "--output", help="Write the result to this file instead of stdout."),
    debug: bool = DebugOption,
) -> None:
    """Run one read-only SQL statement against the published warehouse."""
    import duckdb

    text = _sql_text(sql, sql_file)
    row_limit = limit if limit is not None else (TABLE_ROW_LIMIT if fmt is OutputFormat.table else None)
    try:
        columns, rows, more = run_query(resolve_warehouse(warehouse), text, row_limit)
    except UserFacingError as error:
        fail(str(error), debug)
    except duckdb.PermissionException as error:
        fail(f"refused: `query` reads the warehouse and nothing else ({str(error).splitlines()[0]})", debug)
    except duckdb.Error as error:
        first_line = str(error).splitlines()[0]
        fail(f'query failed: {first_line} (list the tables with: budget-etl query "SHOW TABLES")', debug)
    if fmt is OutputFormat.csv:
        rendered = render_csv(columns, rows)
    elif fmt is OutputFormat.json:
        rendered = render_json(columns, rows)
    else:
        target = Console(file=io.StringIO(), width=160) if output else out
        render_table(columns, rows, target)
        rendered = target.file.getvalue() if output else ""
    if output is not None:
        try:
            atomic.write_text(output.expanduser().resolve(), rendered)
        except OSError as error:
            fail(f"cannot write {output}: {error.strerror or error}", debug)
        print_line(f"wrote {len(rows)} rows to {output}")
    elif rendered:
        sys.stdout.write(rendered)
    if more:
        err.print(
            f"(first {row_limit} rows shown; more exist: --limit N, or --format csv --output FILE for all)",
            markup=False,
            highlight=False,
        )


def describe(
    table: str | None = typer.Argument(None, help="A published table; all tables when omitted.", show_default=False),
    debug: bool = DebugOption,
) -> None:
    """The data dictionary: what each published table and column means."""
    from budget_etl.dictionary import describe as describe_tables

    manifest = DBT_PROJECT_DIR / "target" / "manifest.json"
    if not manifest.exists():
        fail(f"no dbt manifest at {manifest}: run `make install` first", debug)
    try:
        docs = describe_tables(manifest, table)
    except KeyError as error:
        fail(str(error.args[0]) if error.args else f"unknown table {table}", debug)
    for doc in docs:
        grid = Table(title=f"{doc.name}", caption=doc.description, title_justify="left", caption_justify="left")
        for column in ("column", "type", "description"):
            grid.add_column(column, overflow="fold")
        for column in doc.columns:
            grid.add_row(column.name, column.data_type or "", column.description)
        out.print(grid)
