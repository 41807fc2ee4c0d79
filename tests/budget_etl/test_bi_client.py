"""A published warehouse opens in a DuckDB 1.4 BI client (SQLAlchemy + duckdb-engine), read-only.

The client lives in its own venv (.venv-bi-client, made by scripts/make_bi_client_venv.sh) because
the project venv has DuckDB 2.x; the test runs tests/bi/bi_client_probe.py with that interpreter.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import duckdb
import pytest

from contract.settings import REPO_ROOT

CLIENT_PYTHON = REPO_ROOT / ".venv-bi-client" / "bin" / "python"
PROBE = Path(__file__).with_name("bi_client_probe.py")


@pytest.mark.skipif(
    not CLIENT_PYTHON.exists(),
    reason=f"BI client venv absent ({CLIENT_PYTHON}); create it with scripts/make_bi_client_venv.sh",
)
def test_duckdb_1_4_client_reads_the_warehouse_read_only(published):
    run = subprocess.run([str(CLIENT_PYTHON), str(PROBE), str(published)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["duckdb"].startswith("1.4.")
    assert result["tables"] == [
        "dim_budget_units",
        "dim_departments",
        "dim_fund_sources",
        "dim_indicator_categories",
        "dim_reports",
        "fct_funding_by_source",
        "fct_performance_indicators",
        "fct_project_funding",
        "fct_reconciliation",
        "quarantined_reports",
        "warehouse_meta",
    ]
    # Every column of every table reflected, in table order, as the DuckDB catalog lists them.
    con = duckdb.connect(str(published), read_only=True)
    expected = {}
    columns = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index"
    ).fetchall()
    for table, column in columns:
        expected.setdefault(table, []).append(column)
    con.close()
    assert result["reflected"] == expected
    assert result["join"] == [["广州市工商业联合会", "179.50"], ["广州市白云区人民政府办公室", "1260.25"]]
    assert result["access_mode"] == "read_only"
    assert result["write"].startswith("refused: ") and "read-only mode" in result["write"]
