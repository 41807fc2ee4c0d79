"""Dagster definitions of the budget-etl pipeline (`dagster dev` loads orchestration.definitions)."""
