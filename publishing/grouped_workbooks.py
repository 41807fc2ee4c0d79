"""Large tables as one workbook per group: <table>/<report's file name>.xlsx or <table>/<department>.xlsx.

A table with many rows per report or per department grows with the corpus: a national one holds
millions of indicators, beyond the 1,048,576 rows of a worksheet, and one whole-table workbook is
written again whenever any of its rows changes (219,250 indicators took 70 s; mart_project_history's
40,000 rows 13.6 s, most of an export after one changed report at 1,000 reports). Split by group,
each workbook is small enough to open and mail, and only the workbooks of changed groups are
written again (publishing.export_reuse). The .csv and .parquet always hold the whole table.

The rule, here only (``split_grouping``): a table is split by the first grouping of GROUPINGS whose
column its dbt contract has without declaring it unique (a ``unique`` or ``primary_key`` constraint
of the column, or of the model on that column alone), when it holds at least that grouping's
``min_rows`` rows:

- ``report_key``, always (the facts, as before: their layout does not change with the corpus);
  dim_reports and mart_indicator_quality_by_report, one row per report, go on to the next grouping;
- ``department_key``, from SPLIT_MIN_ROWS rows on: mart_project_history (40,000 rows at 1,000
  reports) is split; the lists of about a thousand rows (dim_reports, dim_budget_units,
  mart_indicator_quality_by_report: 0.3 to 1.1 s each to write whole at 1,000 reports) stay one
  workbook, which is what a reader filtering the list in Excel wants, rather than 388 files of
  three rows. A table crossing the threshold changes layout once (its old file is not in the new
  version, as for a report that left).

A workbook is named after its group's name in the group's dimension: the report's
``dim_reports.source_file`` (its path in the inbox), the department's ``dim_departments.department_name``.
Characters a file name cannot hold on Windows, macOS or Linux (``\\ / : * ? " < > |`` and control
characters) become ``_``, a leading dot too, then ``.xlsx`` is appended: ``2025/教育局.pdf`` →
``2025_教育局.pdf.xlsx``. When that name is longer than NAME_MAX_BYTES, or two groups of a table would
get the same name (compared without case, as Windows and macOS do), each of those names is cut to
fit and ends with ``~<key>`` before ``.xlsx``. A key missing from the dimension is named
``<key>.xlsx``; the rows without a key (NULL) go to the grouping's ``unknown`` name (``~null`` on a clash).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import duckdb

from publishing.office_export import (
    DBT_MANIFEST,
    SAMPLE_ROWS,
    ColumnLabel,
    fetch_rows,
    in_table_order,
    published_nodes,
    table_columns,
    write_workbook,
)
from publishing.sql_text import quote_identifier

REPORT_KEY = "report_key"
DEPARTMENT_KEY = "department_key"
# A department-grouped table with fewer rows stays one workbook (see the module docstring).
SPLIT_MIN_ROWS = 2_000
SUFFIX = ".xlsx"
NAME_MAX_BYTES = 200  # of 255 a file name may have: room for the ~<key> suffix and tools' temporary names
NULL_KEY = "null"  # in the ~<key> suffix of the NULL group's workbook
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


@dataclass(frozen=True)
class Grouping:
    """Split a table by ``column``, naming each workbook after ``name_column`` of ``dimension``."""

    column: str
    dimension: str
    name_column: str
    unknown: str  # the name of the workbook of the rows whose column is NULL
    min_rows: int


GROUPINGS = (
    Grouping(REPORT_KEY, "dim_reports", "source_file", "报表不详", 0),
    Grouping(DEPARTMENT_KEY, "dim_departments", "department_name", "部门不详", SPLIT_MIN_ROWS),
)


def grouped_tables(manifest: Path = DBT_MANIFEST) -> dict[str, Grouping]:
    """The grouping of every published table whose dbt contract has a grouping column not declared unique:
    the first of GROUPINGS that applies."""
    grouped = {}
    for table, node in published_nodes(manifest).items():
        for grouping in GROUPINGS:
            column = node.get("columns", {}).get(grouping.column)
            if column is None:
                continue
            declared = [c.get("type") for c in column.get("constraints", [])] + [
                c.get("type") for c in node.get("constraints", []) if c.get("columns") == [grouping.column]
            ]
            if not {"unique", "primary_key"} & set(declared):
                grouped[table] = grouping
                break
    return grouped


def split_grouping(
    grouped: dict[str, Grouping], table: str, columns: list[tuple[str, str]], rows: int
) -> Grouping | None:
    """How table is split into workbooks, or None for one whole-table workbook: its grouping, when the
    table has the column and at least the grouping's ``min_rows`` rows."""
    grouping = grouped.get(table)
    if grouping is None or grouping.column not in {name for name, _ in columns} or rows < grouping.min_rows:
        return None
    return grouping


def group_names(con: duckdb.DuckDBPyConnection, grouping: Grouping) -> dict[str | None, str]:
    """key -> name of every group in the grouping's dimension, and None -> the name of the NULL group."""
    rows = con.execute(
        f"SELECT {quote_identifier(grouping.column)}, {quote_identifier(grouping.name_column)} "
        f"FROM main.{quote_identifier(grouping.dimension)} WHERE {quote_identifier(grouping.column)} IS NOT NULL"
    ).fetchall()
    return {**dict(rows), None: grouping.unknown}


def key_order(key: str | None) -> tuple[bool, str]:
    """Keys sorted, the NULL group last (as ORDER BY … NULLS LAST)."""
    return (key is None, key or "")


def workbook_names(keys: list[str | None], names: dict[str | None, str]) -> dict[str | None, str]:
    """The file name of each group's workbook in one table folder (see the module docstring)."""
    files = {key: _safe(names[key]) + SUFFIX if key in names else f"{key}{SUFFIX}" for key in keys}
    taken: dict[str, int] = {}
    for name in files.values():
        taken[name.casefold()] = taken.get(name.casefold(), 0) + 1
    for key, name in files.items():
        if taken[name.casefold()] > 1 or len(name.encode()) > NAME_MAX_BYTES:
            tail = f"~{NULL_KEY if key is None else key}{SUFFIX}"
            stem = name.removesuffix(SUFFIX)
            while len((stem + tail).encode()) > NAME_MAX_BYTES:
                stem = stem[:-1]
            files[key] = stem + tail
    return files


def _safe(name: str) -> str:
    name = _UNSAFE.sub("_", name)
    return "_" + name[1:] if name.startswith(".") else name


def write_group_workbooks(
    con: duckdb.DuckDBPyConnection,
    table: str,
    column: str,
    labels: list[ColumnLabel],
    paths: dict[str | None, Path],
) -> None:
    """The workbook of each group in ``paths`` (value of ``column`` -> path, None for the NULL group) with
    its rows of table, in table order; a group without rows gets a workbook with the header only."""
    columns = table_columns(con, table)
    ordered = in_table_order(columns, labels)
    types = [data_type for _, data_type in columns]
    key_index = [name for name, _ in columns].index(column)
    quoted = quote_identifier(column)
    keys = sorted((key for key in paths if key is not None), key=key_order)
    cursor = con.execute(
        f"SELECT {', '.join(quote_identifier(c.name) for c in ordered)} FROM main.{quote_identifier(table)} "
        f"WHERE {quoted} IN (SELECT unnest(?::VARCHAR[])) OR ({quoted} IS NULL AND ?) "
        f"ORDER BY {quoted} NULLS LAST, rowid",
        [keys, None in paths],
    )
    pending = dict(paths)
    for key, group_rows in groupby(fetch_rows(cursor), key=lambda row: row[key_index]):
        rows = list(group_rows)
        write_workbook(pending.pop(key), ordered, types, rows[:SAMPLE_ROWS], rows)
    for path in pending.values():
        write_workbook(path, ordered, types, [], [])
