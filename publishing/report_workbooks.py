"""Report-grained tables as one workbook per report: <table>/<report's file name>.xlsx.

A fact table with many rows per report grows with the corpus: a national one holds millions of
indicators, beyond the 1,048,576 rows of a worksheet, and one 219,250-row workbook took 70 s to
write again whenever any report changed. Split by report, each workbook is small enough to open
and mail, and only the workbooks of changed reports are written again (publishing.export_reuse).

The rule: a table is report-grained when its dbt contract has a ``report_key`` column not declared
unique (dim_reports and mart_indicator_quality_by_report, one row per report, stay one workbook).

A workbook is named after its report's ``dim_reports.source_file`` (its path in the inbox):
characters a file name cannot hold on Windows, macOS or Linux (``\\ / : * ? " < > |`` and control
characters) become ``_``, a leading dot too, then ``.xlsx`` is appended: ``2025/教育局.pdf`` →
``2025_教育局.pdf.xlsx``. When that name is longer than NAME_MAX_BYTES, or two reports of a table
would get the same name (compared without case, as Windows and macOS do), each of those names is
cut to fit and ends with ``~<report_key>`` before ``.xlsx``. A report missing from dim_reports is
named ``<report_key>.xlsx``.
"""

from __future__ import annotations

import re
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
REPORTS_TABLE = "dim_reports"
SOURCE_FILE = "source_file"
SUFFIX = ".xlsx"
NAME_MAX_BYTES = 200  # of 255 a file name may have: room for the ~<report_key> suffix and tools' temporary names
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def report_grained_tables(manifest: Path = DBT_MANIFEST) -> set[str]:
    """The published tables whose dbt contract has a report_key column without a unique or primary-key
    constraint on it (of the column, or of the model on that column alone)."""
    grained = set()
    for table, node in published_nodes(manifest).items():
        column = node.get("columns", {}).get(REPORT_KEY)
        if column is None:
            continue
        declared = [c.get("type") for c in column.get("constraints", [])] + [
            c.get("type") for c in node.get("constraints", []) if c.get("columns") == [REPORT_KEY]
        ]
        if not {"unique", "primary_key"} & set(declared):
            grained.add(table)
    return grained


def report_sources(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """report_key -> source_file of every published report."""
    return dict(
        con.execute(
            f"SELECT {quote_identifier(REPORT_KEY)}, {quote_identifier(SOURCE_FILE)} "
            f"FROM main.{quote_identifier(REPORTS_TABLE)}"
        ).fetchall()
    )


def workbook_names(keys: list[str], sources: dict[str, str]) -> dict[str, str]:
    """The file name of each report's workbook in one table folder (see the module docstring)."""
    names = {key: _safe(sources[key]) + SUFFIX if key in sources else key + SUFFIX for key in keys}
    taken: dict[str, int] = {}
    for name in names.values():
        taken[name.casefold()] = taken.get(name.casefold(), 0) + 1
    for key, name in names.items():
        if taken[name.casefold()] > 1 or len(name.encode()) > NAME_MAX_BYTES:
            tail = f"~{key}{SUFFIX}"
            stem = name.removesuffix(SUFFIX)
            while len((stem + tail).encode()) > NAME_MAX_BYTES:
                stem = stem[:-1]
            names[key] = stem + tail
    return names


def _safe(source_file: str) -> str:
    name = _UNSAFE.sub("_", source_file)
    return "_" + name[1:] if name.startswith(".") else name


def write_report_workbooks(
    con: duckdb.DuckDBPyConnection, table: str, labels: list[ColumnLabel], paths: dict[str, Path]
) -> None:
    """The workbook of each report in ``paths`` (report_key -> path) with its rows of table, in table
    order; a report without rows gets a workbook with the header only."""
    columns = table_columns(con, table)
    ordered = in_table_order(columns, labels)
    types = [data_type for _, data_type in columns]
    key_index = [name for name, _ in columns].index(REPORT_KEY)
    cursor = con.execute(
        f"SELECT {', '.join(quote_identifier(c.name) for c in ordered)} FROM main.{quote_identifier(table)} "
        f"WHERE {quote_identifier(REPORT_KEY)} IN (SELECT unnest(?)) ORDER BY {quote_identifier(REPORT_KEY)}, rowid",
        [sorted(paths)],
    )
    pending = dict(paths)
    for key, report_rows in groupby(fetch_rows(cursor), key=lambda row: row[key_index]):
        rows = list(report_rows)
        write_workbook(pending.pop(key), ordered, types, rows[:SAMPLE_ROWS], rows)
    for path in pending.values():
        write_workbook(path, ordered, types, [], [])
