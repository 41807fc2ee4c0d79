"""Python's garbage collector around what the CLI loads once and keeps until it exits.

A refresh loads Dagster, dagster-dbt, dbt-core and Great Expectations: about a million objects that
live until the process ends. Every full collection walks them all, and the interpreter runs one more
at exit: measured on the samples' refresh (2 cores), 2.2 s at exit and about 0.6 s of collections
while those packages import, a third of the time a refresh spends outside its steps (docs/scale.md).
Reference counting still frees memory as usual; only the walks over objects that never die go.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived_imports() -> Iterator[None]:
    """No collection while the block imports; what it loaded is then frozen (never walked again)."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def skip_collection_at_exit() -> None:
    """Freeze every object when the process exits, so the interpreter's last full collection has nothing
    to walk; the operating system takes the memory back."""
    atexit.register(gc.freeze)
