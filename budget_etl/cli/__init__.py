"""`budget-etl`: refresh the warehouse, query it read-only, see what is published.

The entry point (pyproject: ``budget_etl.cli:app``); one module per group of commands:
warehouse.py (the commands that write), query.py (the ones that read), status.py, and
console.py (what they share: consoles, options, the one-line error exit).
"""

from __future__ import annotations

import typer

from budget_etl.cli import query, status, warehouse
from budget_etl.cli.collection import skip_collection_at_exit

skip_collection_at_exit()

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,  # help texts as written: "[env BUDGET_INBOX; default: …]" is text, not markup
    help="Refresh, query and inspect the budget warehouse (项目支出绩效目标表).",
)
app.command()(warehouse.refresh)
app.command()(status.status)
app.command()(warehouse.rollback)
app.command()(query.query)
app.command()(warehouse.report)
app.command("export")(warehouse.export)
app.command()(query.describe)

if __name__ == "__main__":
    app()
