# Two commands on a fresh machine with Python 3.11 and make: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint format lock dagster-home dev serve dbt bench clean

# Every clone installs exactly these versions (hashes checked); `make lock` rewrites it from
# pyproject.toml. uv installs from it in seconds; it is bootstrapped with pip at a pinned version.
# The packages are compiled to bytecode at install: where PYTHONDONTWRITEBYTECODE is set (CI images,
# containers) Python would otherwise compile dagster, dbt and GX from source in every process, seconds
# of every refresh and of every test that starts one.
LOCK := requirements.lock
UV_VERSION := 0.13.9
UV := $(BIN)/uv

MANIFEST := dbt_project/target/manifest.json
DBT_SOURCES := $(shell find dbt_project -path dbt_project/target -prune -o -type f \( -name '*.sql' -o -name '*.yml' -o -name '*.csv' \) -print)

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(UV) || $(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(UV) pip install --quiet --compile-bytecode --python $(BIN)/python --require-hashes -r $(LOCK)
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

## Rewrite the lock file from pyproject.toml (after changing a dependency).
lock: $(STAMP)
	$(UV) pip compile pyproject.toml --extra dev --extra ducklake --python-version 3.11 --generate-hashes --quiet -o $(LOCK)

# The dbt manifest, and the saved parse every refresh's dbt parses from, are prepared here when the
# dbt project changes, not at every import of the Dagster definitions (orchestration/dbt_profile.py).
$(MANIFEST): $(STAMP) $(DBT_SOURCES) orchestration/dbt_profile.py
	$(BIN)/python -m orchestration.dbt_profile
	touch $(MANIFEST)

install: $(STAMP) $(MANIFEST)

## Run the refresh job on the bundled samples, publish warehouse/budget.duckdb, print a summary.
run: install
	$(BIN)/budget-etl refresh

BI_CLIENT := .venv-bi-client/bin/python

# A DuckDB 1.4 + SQLAlchemy client, standing in for BI tools, for the compatibility test.
$(BI_CLIENT): scripts/make_bi_client_venv.sh
	scripts/make_bi_client_venv.sh .venv-bi-client

## Run the whole test suite.
test: install $(BI_CLIENT)
	$(BIN)/python -m pytest

## ruff (lint and format check) and the import layers contract (pyproject.toml [tool.importlinter]).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

## Format the code and apply ruff's safe fixes.
format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Benchmarks: prints the figures, writes benchmarks/results.json and docs/benchmarks.md; then the
## inbox sensor and its partitions at 10,000 and 100,000 files (benchmarks/out/partitions.json,
## written up in docs/scale.md).
bench: install
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.partitions --sizes 10000 100000

DAGSTER_HOME_DIR ?= $(CURDIR)/.dagster_home

## The Dagster instance folder. Its dagster.yaml is copied from orchestration/dagster.yaml once, then
## it is yours: a file already there is never overwritten (docs/dagster.md).
dagster-home:
	mkdir -p $(DAGSTER_HOME_DIR)
	test -f $(DAGSTER_HOME_DIR)/dagster.yaml || cp orchestration/dagster.yaml $(DAGSTER_HOME_DIR)/dagster.yaml

## The Dagster UI: asset graph, nightly schedule, inbox sensor (http://127.0.0.1:3000), code location budget_etl.
dev: install dagster-home
	DAGSTER_HOME=$(DAGSTER_HOME_DIR) $(BIN)/dagster dev -w orchestration/workspace.yaml

SERVE_HOME_DIR ?= $(CURDIR)/.dagster_home/serve
SERVE_HOST ?= 127.0.0.1
SERVE_PORT ?= 3000
DAGSTER_PG_HOST ?= 127.0.0.1
DAGSTER_PG_PORT ?= 5432
DAGSTER_PG_USER ?= dagster
DAGSTER_PG_PASSWORD ?=
DAGSTER_PG_DB ?= dagster

## The scaled profile (docs/deployment.md): Dagster instance in Postgres (DAGSTER_PG_HOST/PORT/USER/PASSWORD/DB),
## dagster-daemon (run queue, nightly schedule, inbox sensor) and the webserver on http://SERVE_HOST:SERVE_PORT.
serve: export DAGSTER_HOME = $(SERVE_HOME_DIR)
serve: export DAGSTER_PG_HOST := $(DAGSTER_PG_HOST)
serve: export DAGSTER_PG_PORT := $(DAGSTER_PG_PORT)
serve: export DAGSTER_PG_USER := $(DAGSTER_PG_USER)
serve: export DAGSTER_PG_PASSWORD := $(DAGSTER_PG_PASSWORD)
serve: export DAGSTER_PG_DB := $(DAGSTER_PG_DB)
serve: install
	mkdir -p $(SERVE_HOME_DIR)
	test -f $(SERVE_HOME_DIR)/dagster.yaml || cp orchestration/deploy/dagster.yaml $(SERVE_HOME_DIR)/dagster.yaml
	$(BIN)/python -m orchestration.deploy.preflight
	$(BIN)/dagster-daemon run -w orchestration/deploy/workspace.yaml & daemon=$$!; \
	trap 'kill $$daemon 2>/dev/null; wait $$daemon' EXIT INT TERM; \
	$(BIN)/dagster-webserver -w orchestration/deploy/workspace.yaml -h $(SERVE_HOST) -p $(SERVE_PORT)

## dbt against a copy of the published warehouse while developing models (docs/development.md):
## make dbt ARGS="build", ARGS="test", ARGS="docs generate"; ARGS="--fresh build" copies it again.
dbt: install
	$(BIN)/python scripts/dbt_dev.py $(ARGS)

clean:
	rm -rf $(VENV) .venv-bi-client warehouse dbt_project/target dbt_project/logs .dagster_home
