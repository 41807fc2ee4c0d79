"""Warehouses built by the real pipeline, once per test session.

Tests that need a published warehouse use these instead of hand-typed schemas: what they check is
what users get. ``samples_warehouse`` is shared and must not be changed; ``warehouse_copy`` gives a
test its own copy (in a fresh folder) to break, roll back or export from.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from contract.settings import SAMPLES_DIR

# The suite reads the CLI and the HTML report in English (budget_etl/i18n.py: Chinese by default);
# tests of the Chinese default remove this (tests/budget_etl/test_i18n.py).
os.environ.setdefault("BUDGET_LANG", "en")


@pytest.fixture(scope="session")
def samples_warehouse(tmp_path_factory) -> Path:
    """The five bundled samples refreshed through the Dagster job, gated and published."""
    from orchestration.run import run_refresh

    root = tmp_path_factory.mktemp("samples-warehouse")
    inbox = root / "inbox"
    shutil.copytree(SAMPLES_DIR, inbox)
    warehouse = root / "warehouse" / "budget.duckdb"
    outcome = run_refresh(inbox, warehouse, force=True)
    assert outcome.published, outcome.cause
    return warehouse


@pytest.fixture
def warehouse_copy(samples_warehouse, tmp_path) -> Path:
    """A private copy of the samples warehouse file, alone in a fresh folder."""
    target = tmp_path / "warehouse" / "budget.duckdb"
    target.parent.mkdir()
    shutil.copy2(samples_warehouse, target)
    return target
