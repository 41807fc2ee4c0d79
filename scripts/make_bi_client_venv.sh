#!/usr/bin/env bash
# A small, separate virtualenv that plays the part of an analyst's BI tool: DuckDB 1.4 (what the
# JDBC driver and the duckdb-engine wheels pinned by Superset/Metabase bundle today) behind
# SQLAlchemy + duckdb-engine. tests/budget_etl/test_bi_client.py runs a script with its interpreter to prove
# that a published warehouse opens read-only in such a client. The project venv cannot do this: it
# has DuckDB 2.x.
#
# Usage: scripts/make_bi_client_venv.sh [VENV_DIR]   (default: .venv-bi-client next to this repo)
# Idempotent: an existing venv with the right packages is left alone.
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${1:-$repo_root/.venv-bi-client}"
python="${PYTHON:-$(command -v python3.11 || command -v python3)}"
# SQLAlchemy 2.0.45+ reflects columns through pg_catalog.pg_collation, which DuckDB 1.4 lacks
# (duckdb/duckdb#22069, Mause/duckdb_engine#1379): table reflection fails. BI tools pin older
# SQLAlchemy releases, and so does this stand-in for them.
requirements=("duckdb>=1.4,<1.5" "duckdb-engine>=0.13" "sqlalchemy>=2,<2.0.45")

if [ -x "$venv/bin/python" ] && "$venv/bin/python" - <<'PY' 2>/dev/null
import duckdb, duckdb_engine, sqlalchemy
assert duckdb.__version__.startswith("1.4."), duckdb.__version__
assert tuple(int(x) for x in sqlalchemy.__version__.split(".")[:3]) < (2, 0, 45), sqlalchemy.__version__
PY
then
    echo "BI client venv ready: $venv"
    exit 0
fi

"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet "${requirements[@]}"
"$venv/bin/python" -c "import duckdb, duckdb_engine, sqlalchemy; print('BI client venv ready:', '$venv', 'duckdb', duckdb.__version__, 'duckdb-engine', duckdb_engine.__version__, 'sqlalchemy', sqlalchemy.__version__)"
