"""The .xlsx and .csv of every described table, one process per core when there is enough to write.

Writing a workbook is Python work, about 10 microseconds a cell in openpyxl: at 1,000 reports the
office files took 136 s of a refresh, against about 2 s for all the Parquet files (docs/scale.md).
Each table's files are independent, so large exports are written by a pool of processes, the
largest tables first; each worker opens the published file read-only on its own (any number of
readers may). Small exports (the samples) stay in this process: starting workers costs more.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb

from contract.errors import ExportError
from publishing.connections import connect_read_only
from publishing.office_export import ColumnLabel, write_office_files
from publishing.sql_text import quote_identifier

# Below this many cells in all the described tables together, one process writes them all.
POOL_MIN_CELLS = 2_000_000


def _cells(con: duckdb.DuckDBPyConnection, table: str) -> int:
    rows = con.execute(f"SELECT count(*) FROM main.{quote_identifier(table)}").fetchone()[0]
    columns = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = ?",
        [table],
    ).fetchone()[0]
    return rows * columns


def _write_one(warehouse: Path, table: str, labels: list[ColumnLabel], folder: Path) -> str:
    try:
        con = connect_read_only(warehouse)
        try:
            write_office_files(con, table, labels, folder)
        finally:
            con.close()
    except Exception as error:  # crosses the process boundary as text: names the table
        raise ExportError(f"writing {table}.xlsx / {table}.csv failed: {type(error).__name__}: {error}") from None
    return table


def write_all_office_files(
    con: duckdb.DuckDBPyConnection,
    warehouse: Path,
    labels: dict[str, list[ColumnLabel]],
    folder: Path,
    *,
    workers: int = 0,
    pool_min_cells: int = POOL_MIN_CELLS,
) -> None:
    """<folder>/<table>.xlsx and .csv for every table in ``labels``; ``con`` is open on ``warehouse``.

    ``workers`` 0: one per core when the tables hold at least ``pool_min_cells`` cells together.
    """
    sizes = {table: _cells(con, table) for table in labels}
    if workers == 0:
        workers = (os.cpu_count() or 1) if sum(sizes.values()) >= pool_min_cells else 1
    if workers <= 1 or len(labels) <= 1:
        for table, table_labels in labels.items():
            write_office_files(con, table, table_labels, folder)
        return
    largest_first = sorted(labels, key=lambda table: sizes[table], reverse=True)
    # spawn, not fork: the refresh process runs threads (Dagster's, the GX import), which fork would copy half-way.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(labels)), mp_context=context) as pool:
        futures = [pool.submit(_write_one, warehouse, table, labels[table], folder) for table in largest_first]
        for future in futures:
            future.result()  # the first failure is raised here, naming its table
