"""What every command shares: the two consoles, the common options, the one-line error exit.

Errors a user can act on print one line (what went wrong and what to do) and exit non-zero; the
traceback only with --debug.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from contract.settings import inbox_from_env, warehouse_from_env

# Piped output (cron mail, CI logs) is not cut to 80 columns: long Chinese names stay readable.
out = Console() if sys.stdout.isatty() else Console(width=160)
err = Console(stderr=True) if sys.stderr.isatty() else Console(stderr=True, width=160)

# Help texts are shown as written (the Typer app has no markup): "[env …; default: …]" stays visible.
InboxOption = typer.Option(
    None, "--inbox", help="Folder of report files [env BUDGET_INBOX; default: the bundled samples]."
)
WarehouseOption = typer.Option(
    None, "--warehouse", help="Published DuckDB file [env BUDGET_WAREHOUSE; default: warehouse/budget.duckdb]."
)


def flag(name: str, help_text: str) -> bool:
    """An on/off option, shown without a type (it takes no value)."""
    return typer.Option(False, name, help=help_text, metavar="", show_default=False)


DebugOption = flag("--debug", "Show tracebacks and every tool's log.")


def fail(message: str, debug: bool = False, *, details: Sequence[str] = ()) -> NoReturn:
    """Print one error line (then ``details``, indented) and exit 1; with --debug re-raise the
    exception being handled."""
    if debug and sys.exc_info()[1] is not None:
        raise
    # The message is text: "[candidate_reports=1, …]" in a gate failure must not be read as markup.
    err.print(f"[bold red]error:[/] {escape(message)}", markup=True, highlight=False, soft_wrap=True)
    for line in details:
        err.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def print_line(text: str) -> None:
    """One line of plain text on stdout (no markup: names may hold brackets)."""
    out.print(text, markup=False, highlight=False, soft_wrap=True)


def resolve_paths(inbox: Path | None, warehouse: Path | None) -> tuple[Path, Path]:
    return (
        inbox.expanduser().resolve() if inbox else inbox_from_env(),
        warehouse.expanduser().resolve() if warehouse else warehouse_from_env(),
    )


def resolve_warehouse(warehouse: Path | None) -> Path:
    return resolve_paths(None, warehouse)[1]
