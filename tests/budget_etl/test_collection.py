"""budget_etl.cli.collection: the collector is paused while the refresh imports and back on after."""

from __future__ import annotations

import gc

import pytest

from budget_etl.cli.collection import long_lived_imports


@pytest.fixture(autouse=True)
def _unfrozen():
    yield
    gc.unfreeze()
    gc.enable()


def test_no_collection_inside_and_what_was_loaded_is_frozen_after():
    kept = [[] for _ in range(1000)]  # lists are tracked by the collector
    before = gc.get_freeze_count()
    with long_lived_imports():
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + len(kept)


def test_the_collector_comes_back_when_an_import_fails():
    with pytest.raises(ImportError), long_lived_imports():
        import budget_etl_no_such_module  # noqa: F401
    assert gc.isenabled()
