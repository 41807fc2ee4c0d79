"""`python -m budget_etl.cli`: the same CLI as the `budget-etl` script."""

from budget_etl.cli import app

app()
