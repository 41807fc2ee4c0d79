"""A published warehouse opens in a DuckDB 1.4 BI client (SQLAlchemy + duckdb-engine), read-only.

The client lives in its own venv (.venv-bi-client, made by scripts/make_bi_client_venv.sh) because
the project venv has DuckDB 2.x; the test runs tests/budget_etl/bi_client_probe.py with that interpreter.
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
def test_duckdb_1_4_client_reads_the_warehouse_read_only(samples_warehouse):
    run = subprocess.run(
        [str(CLIENT_PYTHON), str(PROBE), str(samples_warehouse)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["duckdb"].startswith("1.4.")
    # Every table and column reflected, in table order, as this project's DuckDB lists them.
    con = duckdb.connect(str(samples_warehouse), read_only=True)
    try:
        expected = {}
        for table, column in con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index"
        ).fetchall():
            expected.setdefault(table, []).append(column)
        join = con.execute(
            "SELECT d.department_name, sum(f.total_amount)::VARCHAR FROM main.dim_departments d "
            "JOIN main.fct_project_funding f USING (department_key) GROUP BY 1 ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    assert {"dim_reports", "fct_project_funding", "fct_performance_indicators", "warehouse_meta"} <= set(expected)
    assert result["tables"] == sorted(expected)
    assert result["reflected"] == expected
    assert result["join"] == [[name, total] for name, total in join]
    assert ["广州市工商业联合会", "642.38"] in result["join"]
    assert result["access_mode"] == "read_only"
    assert result["write"].startswith("refused: ") and "read-only mode" in result["write"]
