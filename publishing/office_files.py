"""The .csv and .xlsx files of every described table: what did not change is linked, the rest written,
workbooks by one process per core when there is enough to write.

Writing a workbook is Python work, about 10 microseconds a cell in openpyxl, against about 2 s for
all the Parquet files at 1,000 reports (docs/scale.md). So a file whose fingerprint the current
version records is hard-linked from there (publishing.export_reuse); CSV files are written by
DuckDB; a report-grained table gets one workbook per report (publishing.report_workbooks), and only
the changed reports' workbooks are written again. What is left to write goes to a pool of
processes when it holds at least POOL_MIN_CELLS cells, the largest jobs first, each worker opening
the published file read-only on its own (any number of readers may). Small jobs (the samples, one
changed report) stay in this process: starting workers costs more.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from contract.errors import ExportError
from publishing import office_export
from publishing.connections import connect_read_only
from publishing.export_reuse import Content, Reuse, fingerprint, report_contents
from publishing.office_export import ColumnLabel, in_table_order, table_columns, write_csv, write_table_workbook
from publishing.report_workbooks import (
    REPORT_KEY,
    report_sources,
    workbook_names,
    write_report_workbooks,
)

# Below this many cells to write, one process writes every workbook.
POOL_MIN_CELLS = 2_000_000
# Workbooks of reports are handed to the workers in jobs of about this many cells.
JOB_CELLS = 500_000


@dataclass(frozen=True)
class WorkbookJob:
    """Workbooks of one table to write: ``paths`` maps a report_key to its workbook's path relative to
    the version folder, or None to the whole table's workbook."""

    table: str
    labels: list[ColumnLabel]
    paths: dict[str | None, str]
    cells: int


def write_office_files(
    con: duckdb.DuckDBPyConnection,
    warehouse: Path,
    labels: dict[str, list[ColumnLabel]],
    contents: dict[str, Content],
    report_grained: set[str],
    folder: Path,
    reuse: Reuse,
    *,
    workers: int = 0,
    pool_min_cells: int = POOL_MIN_CELLS,
) -> None:
    """<folder>/<table>.csv and the workbooks of every table in ``labels``: <table>.xlsx, or <table>/<report>.xlsx
    for a table of ``report_grained``. ``con`` is open on ``warehouse``; ``contents`` holds each table's content.
    ``workers`` 0: one per core when what is left to write holds at least ``pool_min_cells`` cells."""
    jobs: list[WorkbookJob] = []
    sources: dict[str, str] | None = None
    for table, table_labels in labels.items():
        columns = table_columns(con, table)
        ordered = in_table_order(columns, table_labels)
        content = contents[table]
        csv_path = f"{table}.csv"
        if not reuse.link(csv_path, fingerprint("csv", table, columns, [c.label_zh for c in ordered], content)):
            write_csv(con, table, table_labels, folder / csv_path, has_rows=content.rows > 0)
        workbook = fingerprint("xlsx", table, columns, ordered, office_export.EXCEL_MAX_ROWS)  # how it is written
        if table in report_grained and REPORT_KEY in {name for name, _ in columns}:
            sources = report_sources(con) if sources is None else sources
            (folder / table).mkdir()
            jobs += _report_jobs(con, table, table_labels, workbook, sources, reuse)
        elif not reuse.link(f"{table}.xlsx", fingerprint(workbook, content)):
            jobs.append(WorkbookJob(table, table_labels, {None: f"{table}.xlsx"}, content.rows * len(columns)))
    write_workbooks(con, warehouse, jobs, folder, workers=workers, pool_min_cells=pool_min_cells)


def _report_jobs(
    con: duckdb.DuckDBPyConnection,
    table: str,
    labels: list[ColumnLabel],
    workbook: str,
    sources: dict[str, str],
    reuse: Reuse,
) -> list[WorkbookJob]:
    """Jobs writing the workbooks of the reports of table whose rows changed; the others are linked."""
    contents = report_contents(con, table, REPORT_KEY)
    names = workbook_names(sorted(contents), sources)
    width = len(table_columns(con, table))
    jobs: list[WorkbookJob] = []
    paths: dict[str | None, str] = {}
    cells = 0
    for key in sorted(contents):
        path = f"{table}/{names[key]}"
        if reuse.link(path, fingerprint(workbook, key, contents[key])):
            continue
        paths[key] = path
        cells += contents[key].rows * width
        if cells >= JOB_CELLS:
            jobs.append(WorkbookJob(table, labels, paths, cells))
            paths, cells = {}, 0
    if paths:
        jobs.append(WorkbookJob(table, labels, paths, cells))
    return jobs


def write_workbook_job(con: duckdb.DuckDBPyConnection, job: WorkbookJob, folder: Path) -> None:
    if None in job.paths:
        write_table_workbook(con, job.table, job.labels, folder / job.paths[None])
    else:
        write_report_workbooks(con, job.table, job.labels, {key: folder / path for key, path in job.paths.items()})


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
