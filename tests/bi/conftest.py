from __future__ import annotations

import pytest

from tests.bi.warehouse_factory import build_warehouse


@pytest.fixture
def published(tmp_path):
    """A complete published-shaped warehouse in a fresh folder."""
    return build_warehouse(tmp_path / "budget.duckdb")
