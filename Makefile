# Two commands on a fresh machine with Python 3.11 and make: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test dev bench clean

$(STAMP): pyproject.toml dbt_project/dbt_project.yml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# The dbt manifest is prepared once here, not at every import of the Dagster definitions.
	cd dbt_project && BUDGET_DBT_DB_PATH=$(CURDIR)/warehouse/.parse.duckdb ../$(BIN)/dbt parse --quiet --profiles-dir .
	touch $(STAMP)

install: $(STAMP)

## Run the refresh job on the bundled samples, publish warehouse/budget.duckdb, print a summary.
run: install
	$(BIN)/budget-etl refresh

## Run the whole test suite.
test: install
	$(BIN)/python -m pytest

## The Dagster UI: asset graph, nightly schedule, inbox sensor (http://127.0.0.1:3000).
dev: install
	mkdir -p .dagster_home && DAGSTER_HOME=$(CURDIR)/.dagster_home $(BIN)/dagster dev -m orchestration.definitions

clean:
	rm -rf $(VENV) warehouse dbt_project/target dbt_project/logs .dagster_home
