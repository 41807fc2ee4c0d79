"""The pandas frames each suite is validated against, read from DuckDB with only the columns it needs.

GX 1.x cannot validate DuckDB directly (no datasource; the SQL path through duckdb_engine loses
results, GX issue #10738), so every suite runs on a pandas frame. Work that would be slow or big in
pandas (anti-joins) is done by DuckDB and the suite sees the small result. Reconciliation is not
computed here: the suites read the checks ingestion.reconciliation made (raw.reconciliation_checks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from contract.settings import PUBLISHED_SCHEMA as SCHEMA

if TYPE_CHECKING:  # pragma: no cover
    import duckdb
    import pandas as pd

AMOUNT_COLUMNS = ("total_amount", "fiscal_amount", "special_account_amount", "other_amount")


@dataclass
class Frame:
    """One batch of one suite: the data and the columns that name a row in failure messages."""

    suite: str
    name: str
    data: pd.DataFrame
    index_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableFrame:
    """A suite validated against one mart: ``select`` expressions over its ``required`` columns."""

    table: str
    required: tuple[str, ...]
    select: tuple[str, ...]
    index_columns: tuple[str, ...]


TABLE_FRAMES: dict[str, TableFrame] = {
    "dim_reports": TableFrame(
        "dim_reports",
        required=("report_key", "file_sha256", "layout", "fiscal_year", "source_file"),
        select=("report_key", "source_file", "file_sha256", "layout", "fiscal_year"),
        index_columns=("source_file",),
    ),
    "dim_departments": TableFrame(
        "dim_departments",
        required=("department_key", "department_name"),
        select=("department_key", "department_name"),
        index_columns=("department_key",),
    ),
    "dim_budget_units": TableFrame(
        "dim_budget_units",
        required=("budget_unit_key", "budget_unit_name"),
        select=("budget_unit_key", "budget_unit_name"),
        index_columns=("budget_unit_key",),
    ),
    "dim_indicator_categories": TableFrame(
        "dim_indicator_categories",
        required=("category_code",),
        select=("category_code",),
        index_columns=(),
    ),
    "fct_project_funding": TableFrame(
        "fct_project_funding",
        required=("project_key", "report_key", "project_name", *AMOUNT_COLUMNS),
        select=(
            "project_key",
            "report_key",
            "project_name",
            *(f"CAST({c} AS DOUBLE) AS {c}" for c in AMOUNT_COLUMNS),
        ),
        index_columns=("project_key",),
    ),
    "fct_performance_indicators": TableFrame(
        "fct_performance_indicators",
        required=("indicator_key", "project_key", "report_key", "indicator_seq", "level1_code"),
        select=(
            "indicator_key",
            "project_key",
            "report_key",
            "indicator_seq",
            "level1_code",
        ),
        index_columns=("indicator_key",),
    ),
    "quarantined_reports": TableFrame(
        "quarantined_reports",
        required=("source_file", "reason"),
        select=("source_file", "reason"),
        index_columns=("source_file",),
    ),
}


@dataclass(frozen=True)
class Reference:
    """A foreign key: every non-null ``child_columns`` tuple must exist in ``parent``."""

    child: str
    child_columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.child}({', '.join(self.child_columns)}) -> {self.parent}({', '.join(self.parent_columns)})"

    def needs(self) -> dict[str, tuple[str, ...]]:
        return {self.child: self.child_columns, self.parent: self.parent_columns}


REFERENCES: tuple[Reference, ...] = (
    Reference("fct_project_funding", ("report_key",), "dim_reports", ("report_key",)),
    Reference("fct_project_funding", ("department_key",), "dim_departments", ("department_key",)),
    Reference("fct_project_funding", ("budget_unit_key",), "dim_budget_units", ("budget_unit_key",)),
    Reference("dim_budget_units", ("department_key",), "dim_departments", ("department_key",)),
    Reference("fct_performance_indicators", ("report_key",), "dim_reports", ("report_key",)),
    Reference("fct_performance_indicators", ("project_key",), "fct_project_funding", ("project_key",)),
    # An indicator must belong to a project of its own report, not merely to some project.
    Reference(
        "fct_performance_indicators",
        ("project_key", "report_key"),
        "fct_project_funding",
        ("project_key", "report_key"),
    ),
)


def _orphans_sql(ref: Reference) -> str:
    not_null = " AND ".join(f"c.{col} IS NOT NULL" for col in ref.child_columns)
    match = " AND ".join(f"p.{pc} = c.{cc}" for cc, pc in zip(ref.child_columns, ref.parent_columns, strict=False))
    example = " || ', ' || ".join(f"CAST(c.{col} AS VARCHAR)" for col in ref.child_columns)
    label = ref.label.replace("'", "''")
    return (
        f"SELECT '{label}' AS relation, COUNT(*) AS orphan_rows, MIN({example}) AS example_orphan "
        f"FROM {SCHEMA}.{ref.child} c WHERE {not_null} AND NOT EXISTS "
        f"(SELECT 1 FROM {SCHEMA}.{ref.parent} p WHERE {match})"
    )


# --------------------------------------------------------------------------------------------------
# Reading the candidate


def warehouse_columns(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per column of schema main, as ``table.column`` (the structure suite's frame)."""
    return con.execute(
        "SELECT table_name || '.' || column_name AS table_column, table_name, column_name, data_type "
        "FROM information_schema.columns "
        "WHERE table_schema = ? AND table_catalog = current_database() "
        "ORDER BY table_name, ordinal_position",
        [SCHEMA],
    ).df()


def table_frame(con: duckdb.DuckDBPyConnection, suite: str, spec: TableFrame) -> Frame:
    data = con.execute(f"SELECT {', '.join(spec.select)} FROM {SCHEMA}.{spec.table}").df()
    return Frame(suite, spec.table, data, spec.index_columns)


def orphans_frame(con: duckdb.DuckDBPyConnection, references: list[Reference]) -> Frame:
    """Orphan counts, one row per reference (an empty frame when no reference can be checked)."""
    import pandas as pd

    if references:
        data = con.execute(" UNION ALL ".join(_orphans_sql(r) for r in references)).df()
    else:
        data = pd.DataFrame(
            {
                "relation": pd.Series(dtype=str),
                "orphan_rows": pd.Series(dtype="int64"),
                "example_orphan": pd.Series(dtype=str),
            }
        )
    return Frame("referential_integrity", "orphans", data, ("relation", "example_orphan"))


# The reconciliation checks ingestion.reconciliation made (fct_reconciliation gives them keys):
# the gate reads their verdict and names a failing check by its file and figures.
RECONCILIATION_NEEDS: dict[str, tuple[str, ...]] = {
    "fct_reconciliation": (
        "report_key",
        "check_type",
        "amount_column",
        "declared_amount",
        "computed_amount",
        "n_rows_summed",
        "is_within_tolerance",
    ),
    "dim_reports": ("report_key", "source_file"),
}


def reconciliation_frame(con: duckdb.DuckDBPyConnection) -> Frame:
    data = con.execute(
        f"""
        SELECT r.source_file, c.check_type, c.amount_column,
               CAST(c.declared_amount AS DOUBLE) AS declared_amount,
               CAST(c.computed_amount AS DOUBLE) AS computed_amount,
               c.n_rows_summed, c.is_within_tolerance
        FROM {SCHEMA}.fct_reconciliation c
        LEFT JOIN {SCHEMA}.dim_reports r USING (report_key)
        ORDER BY r.source_file, c.check_type, c.amount_column
        """
    ).df()
    return Frame(
        "reconciliation",
        "fct_reconciliation",
        data,
        ("source_file", "check_type", "amount_column", "declared_amount", "computed_amount", "n_rows_summed"),
    )


def row_counts(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...]) -> dict[str, int | None]:
    """Row count of each table, None when it does not exist."""
    existing = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = ? AND table_catalog = current_database()",
            [SCHEMA],
        ).fetchall()
    }
    return {
        t: (con.execute(f"SELECT COUNT(*) FROM {SCHEMA}.{t}").fetchone()[0] if t in existing else None) for t in tables
    }


# --------------------------------------------------------------------------------------------------
# Per-report frames (columns of raw.projects, raw.indicators and raw.reconciliation_checks, written
# for one report by the loader itself)

REPORT_AMOUNT_COLUMNS = ("total", "fiscal", "special_account", "other")


def report_projects_frame(projects: pd.DataFrame) -> Frame:
    data = projects[["project_seq", "project_name"]].copy()
    for col in REPORT_AMOUNT_COLUMNS:
        data[col] = projects[col].astype("float64")
    return Frame("report_projects", "projects", data.reset_index(drop=True), ("project_seq",))


def report_indicators_frame(indicators: pd.DataFrame) -> Frame:
    data = indicators[["project_seq", "indicator_seq", "raw_text"]].reset_index(drop=True)
    return Frame("report_indicators", "indicators", data, ("project_seq", "indicator_seq"))


def report_reconciliation_frame(checks: pd.DataFrame) -> Frame:
    """The report's rows of raw.reconciliation_checks; a failing check is named by its sentence."""
    data = checks[["check_type", "amount_column", "description", "is_within_tolerance"]].reset_index(drop=True)
    return Frame("report_reconciliation", "reconciliation", data, ("check_type", "amount_column", "description"))
