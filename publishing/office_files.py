"""The .csv and .xlsx files of every described table: what did not change is linked, the rest written,
workbooks by one process per core when there is enough to write.

Writing a workbook is Python work, about 10 microseconds a cell in openpyxl, against about 2 s for
all the Parquet files at 1,000 reports (docs/scale.md). So a file whose fingerprint the current
version records is hard-linked from there (publishing.export_reuse); CSV files are written by
DuckDB; a large table grouped by report or department gets one workbook per group
(publishing.grouped_workbooks), and only the changed groups' workbooks are written again. What
is left to write goes to a pool of processes when it holds at least POOL_MIN_CELLS cells, the
largest jobs first, each worker opening the published file read-only on its own (any number of
readers may). Small jobs (the samples, one changed report) stay in this process: starting workers
costs more.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from contract.errors import ExportError
from publishing import office_export
from publishing.background_copies import run_here
from publishing.connections import connect_read_only
from publishing.export_reuse import Content, Reuse, fingerprint, group_contents
from publishing.grouped_workbooks import (
    Grouping,
    group_names,
    key_order,
    split_grouping,
    workbook_names,
    write_group_workbooks,
)
from publishing.office_export import ColumnLabel, in_table_order, table_columns, write_csv, write_table_workbook

# Below this many cells to write, one process writes every workbook.
POOL_MIN_CELLS = 2_000_000
# Workbooks of groups are handed to the workers in jobs of about this many cells.
JOB_CELLS = 500_000


@dataclass(frozen=True)
class WorkbookJob:
    """Workbooks of one table to write, paths relative to the version folder: ``column`` None, the whole
    table's workbook (``paths`` {None: path}); else the grouping column, ``paths`` mapping its value (None:
    the rows where it is NULL) to the workbook of that group."""

    table: str
    labels: list[ColumnLabel]
    column: str | None
    paths: dict[str | None, str]
    cells: int


def write_office_files(
    con: duckdb.DuckDBPyConnection,
    warehouse: Path,
    labels: dict[str, list[ColumnLabel]],
    contents: dict[str, Content],
    grouped: dict[str, Grouping],
    folder: Path,
    reuse: Reuse,
    *,
    workers: int = 0,
    pool_min_cells: int = POOL_MIN_CELLS,
    copy: Callable[..., None] | None = None,
) -> None:
    """<folder>/<table>.csv and the workbooks of every table in ``labels``: <table>.xlsx, or <table>/<group>.xlsx
    for a table that ``grouped`` (publishing.grouped_workbooks.grouped_tables) and split_grouping split. ``con``
    is open on ``warehouse``; ``contents`` holds each table's content. ``workers`` 0: one per core when what
    is left to write holds at least ``pool_min_cells`` cells. ``copy``: runs each CSV's COPY (``copy(write_csv,
    ...)``, publishing.background_copies); None, here and now."""
    copy = copy or run_here(con)
    jobs: list[WorkbookJob] = []
    names: dict[Grouping, dict[str | None, str]] = {}
    for table, table_labels in labels.items():
        columns = table_columns(con, table)
        ordered = in_table_order(columns, table_labels)
        content = contents[table]
        csv_path = f"{table}.csv"
        if not reuse.link(csv_path, fingerprint("csv", table, columns, [c.label_zh for c in ordered], content)):
            copy(write_csv, table, table_labels, folder / csv_path, has_rows=content.rows > 0)
        workbook = fingerprint("xlsx", table, columns, ordered, office_export.EXCEL_MAX_ROWS)  # how it is written
        grouping = split_grouping(grouped, table, columns, content.rows)
        if grouping is not None:
            if grouping not in names:
                names[grouping] = group_names(con, grouping)
            (folder / table).mkdir()
            jobs += _group_jobs(con, table, table_labels, grouping, workbook, names[grouping], reuse)
        elif not reuse.link(f"{table}.xlsx", fingerprint(workbook, content)):
            jobs.append(WorkbookJob(table, table_labels, None, {None: f"{table}.xlsx"}, content.rows * len(columns)))
    write_workbooks(con, warehouse, jobs, folder, workers=workers, pool_min_cells=pool_min_cells)


def _group_jobs(
    con: duckdb.DuckDBPyConnection,
    table: str,
    labels: list[ColumnLabel],
    grouping: Grouping,
    workbook: str,
    names: dict[str | None, str],
    reuse: Reuse,
) -> list[WorkbookJob]:
    """Jobs writing the workbooks of the groups of table whose rows changed; the others are linked."""
    contents = group_contents(con, table, grouping.column)
    keys = sorted(contents, key=key_order)
    files = workbook_names(keys, names)
    width = len(table_columns(con, table))
    jobs: list[WorkbookJob] = []
    paths: dict[str | None, str] = {}
    cells = 0
    for key in keys:
        path = f"{table}/{files[key]}"
        if reuse.link(path, fingerprint(workbook, grouping.column, key, contents[key])):
            continue
        paths[key] = path
        cells += contents[key].rows * width
        if cells >= JOB_CELLS:
            jobs.append(WorkbookJob(table, labels, grouping.column, paths, cells))
            paths, cells = {}, 0
    if paths:
        jobs.append(WorkbookJob(table, labels, grouping.column, paths, cells))
    return jobs


def write_workbook_job(con: duckdb.DuckDBPyConnection, job: WorkbookJob, folder: Path) -> None:
    if job.column is None:
        write_table_workbook(con, job.table, job.labels, folder / job.paths[None])
    else:
        paths = {key: folder / path for key, path in job.paths.items()}
        write_group_workbooks(con, job.table, job.column, job.labels, paths)


def _write_one(warehouse: Path, job: WorkbookJob, folder: Path) -> str:
    try:
        con = connect_read_only(warehouse)
        try:
            write_workbook_job(con, job, folder)
        finally:
            con.close()
    except Exception as error:  # crosses the process boundary as text: names the table
        raise ExportError(f"writing the workbooks of {job.table} failed: {type(error).__name__}: {error}") from None
    return job.table


def write_workbooks(
    con: duckdb.DuckDBPyConnection,
    warehouse: Path,
    jobs: list[WorkbookJob],
    folder: Path,
    *,
    workers: int = 0,
    pool_min_cells: int = POOL_MIN_CELLS,
) -> None:
    """Run ``jobs`` in this process, or in a pool of ``workers`` processes (0: one per core when the
    jobs hold at least ``pool_min_cells`` cells together)."""
    if workers == 0:
        workers = (os.cpu_count() or 1) if sum(job.cells for job in jobs) >= pool_min_cells else 1
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            write_workbook_job(con, job, folder)
        return
    largest_first = sorted(jobs, key=lambda job: job.cells, reverse=True)
    # spawn, not fork: the refresh process runs threads (Dagster's, the GX import), which fork would copy half-way.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
        futures = [pool.submit(_write_one, warehouse, job, folder) for job in largest_first]
        for future in futures:
            future.result()  # the first failure is raised here, naming its table
