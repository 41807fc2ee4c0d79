"""The export's COPY ... TO statements on a thread of their own, beside the workbooks.

An export after one changed report spends about as long in DuckDB (its .parquet and .csv files, each
a COPY of a whole table) as in openpyxl (the workbooks, Python holding the interpreter lock). DuckDB
releases the lock while a statement runs, so the copies go to one thread with its own cursor on the
export's read-only connection and run while this thread writes the workbooks: on two cores the
export takes about the longer of the two instead of their sum (docs/scale.md, B14).

Every copy has ended when the block is left, whatever happened: the caller may then remove the
folder they write into. The first copy that failed is raised there.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import duckdb


class BackgroundCopies:
    """``run(function, *args)`` calls ``function(cursor, *args)`` on the copies' thread, in order."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._cursor = con.cursor()  # a connection of its own to the same database (any thread may use it)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export-copies")
        self._futures: list[Future] = []

    def run(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self._futures.append(self._pool.submit(function, self._cursor, *args, **kwargs))

    def __enter__(self) -> BackgroundCopies:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        # On an error here, copies not yet begun are dropped; the one running is waited for.
        self._pool.shutdown(wait=True, cancel_futures=exc_type is not None)
        self._cursor.close()
        if exc_type is None:
            for future in self._futures:
                future.result()


def run_here(con: duckdb.DuckDBPyConnection) -> Callable[..., None]:
    """The same call made in this thread, on ``con`` (where nothing runs beside it)."""

    def run(function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        function(con, *args, **kwargs)

    return run
