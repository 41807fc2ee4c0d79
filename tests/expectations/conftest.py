"""Candidates for the gates: copies of the samples warehouse built by the real pipeline, broken with SQL.

Each test starts from what users get (``warehouse_copy``, tests/conftest.py) and runs the one
statement that makes its defect, so the gates are only ever asked about real warehouse shapes.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest


def break_warehouse(path: Path, *statements: str) -> Path:
    """Run ``statements`` on the warehouse file at ``path`` (tables of schema main unqualified)."""
    con = duckdb.connect(str(path))
    try:
        for sql in statements:
            con.execute(sql)
    finally:
        con.close()
    return path


def scalar(path: Path, sql: str):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="session", autouse=True)
def _gx_imported():
    """Import great_expectations once for the whole session (it takes seconds)."""
    import great_expectations  # noqa: F401
