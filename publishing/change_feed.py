"""The change feed: what a new version adds, removes or changes against the version published before it.

Users follow the nightly refresh from one table instead of diffing two files. When the candidate is
sealed (before the gate, so the gate checks the file as it will be published), the published file is
ATTACHed read-only to the candidate's writer connection and compared with it; the result is written
into the candidate as ``main.publish_changes`` and so belongs to that version: published with it,
restored with it by ``rollback`` (the restored version shows the changes it brought when it was
published, not the difference from the version rolled back).

Entities compared (one row per change, amounts in 万元):
- report, by its file (source_file): added, removed, or changed when the file's sha256 changed
  (a re-issued report);
- project, by project_id and fiscal year (intermediate.int_project_identity) when both versions have
  it, else by file, fund-using unit and printed name: added, removed, or changed with one row per
  amount that changed (总计 and each source);
- total, per fiscal year: the sum of 总计 when it changed.

A first publish (no earlier version) leaves the table empty and records previous_run_id '' in
warehouse_meta: there is nothing to compare with, and the reports are all in dim_reports anyway.
An earlier version that cannot be opened (locked read-write by another program, damaged) is not
compared either: the table stays empty and warehouse_meta says why under ``UNAVAILABLE_KEY``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import duckdb

from contract.settings import PUBLISHED_SCHEMA
from publishing.sql_text import quote_identifier, string_literal

CHANGES_TABLE = "publish_changes"
PREVIOUS_RUN_KEY = "previous_run_id"  # warehouse_meta: '' for a first publish
UNAVAILABLE_KEY = "change_feed_unavailable"  # warehouse_meta: why the previous version was not compared
_PREVIOUS = "previous_publish"  # the ATTACH alias of the published file while comparing
AMOUNT_FIELDS = ("total_amount", "fiscal_amount", "special_account_amount", "other_amount")


class FeedColumn(NamedTuple):
    name: str
    data_type: str
    label_zh: str
    description: str


TABLE_DESCRIPTION = (
    "What this published version added, removed or changed against the version published before it "
    "(the change feed of the nightly refresh), one row per change: reports by file (added, removed, "
    "changed when the file's sha256 changed), projects by project_id and fiscal year (added, removed, "
    "changed: one row per amount that changed) and the total 总计 per fiscal year when it changed. "
    "Written when the refresh sealed the version, so it belongs to it: rollback restores the feed of the "
    "version it puts back. Empty for a first publish (warehouse_meta.previous_run_id is then '') and when "
    "nothing changed."
)
COLUMNS = (
    FeedColumn("entity", "VARCHAR", "对象", "What changed: report, project or total."),
    FeedColumn("change_kind", "VARCHAR", "变化类型", "added, removed or changed."),
    FeedColumn(
        "entity_key",
        "VARCHAR",
        "对象键",
        "The entity's identity across versions: a report's source_file; a project's project_id/fiscal_year "
        "(file/fund-using unit/project name when either version predates project_id); a total's fiscal year "
        "('unknown' when no year).",
    ),
    FeedColumn("source_file", "VARCHAR", "报告文件", "The report file(s) the entity was read from, comma-separated."),
    FeedColumn("department_name", "VARCHAR", "主管部门", "The department; NULL for a total."),
    FeedColumn(
        "budget_unit_name", "VARCHAR", "资金使用单位", "The project's fund-using unit; NULL for reports and totals."
    ),
    FeedColumn(
        "project_name", "VARCHAR", "项目名称", "The project's printed name (in the newer version when in both)."
    ),
    FeedColumn("fiscal_year", "INTEGER", "预算年度", "Fiscal year of the report, project or total; NULL when unknown."),
    FeedColumn(
        "field",
        "VARCHAR",
        "变化字段",
        "What was compared: file_sha256 for a report; total_amount, fiscal_amount, special_account_amount or "
        "other_amount for a project (total_amount for an added or removed one) and total_amount for a total.",
    ),
    FeedColumn("before_value", "VARCHAR", "变化前", "The value in the previous version as text; NULL when added."),
    FeedColumn("after_value", "VARCHAR", "变化后", "The value in this version as text; NULL when removed."),
    FeedColumn(
        "delta",
        "DECIMAL(18,2)",
        "增减额(万元)",
        "after minus before in 万元 for amounts, a missing amount counted as 0; NULL for a file_sha256.",
    ),
    FeedColumn("previous_run_id", "VARCHAR", "上次发布运行", "The run that built the version compared with."),
    FeedColumn("run_id", "VARCHAR", "本次运行", "The run that built this version (warehouse_meta.run_id)."),
)


@dataclass(frozen=True)
class FeedCounts:
    """The feed in numbers, for `status`."""

    previous_run_id: str | None  # None: first publish (nothing compared)
    unavailable: str | None
    reports_added: int = 0
    reports_removed: int = 0
    reports_changed: int = 0
    projects_added: int = 0
    projects_removed: int = 0
    projects_changed: int = 0
    changed_projects_delta: Decimal = Decimal("0.00")  # 总计 change of the projects in both versions
    total_delta: Decimal = Decimal("0.00")  # 总计 change of the whole warehouse

    @property
    def unchanged(self) -> bool:
        return not any(
            (
                self.reports_added,
                self.reports_removed,
                self.reports_changed,
                self.projects_added,
                self.projects_removed,
                self.projects_changed,
                self.total_delta,
            )
        )


def write_change_feed(con: duckdb.DuckDBPyConnection, published: Path, run_id: str) -> dict[str, str]:
    """Create main.publish_changes in the candidate ``con`` writes, against ``published`` when it exists;
    returns the warehouse_meta entries that say what was compared."""
    table = f"{PUBLISHED_SCHEMA}.{CHANGES_TABLE}"
    columns = ", ".join(f"{c.name} {c.data_type}" for c in COLUMNS)
    con.execute(f"CREATE OR REPLACE TABLE {table} ({columns})")
    _comment(con, table)
    if not published.exists():
        return {PREVIOUS_RUN_KEY: ""}
    try:
        con.execute(f"ATTACH {string_literal(str(published))} AS {_PREVIOUS} (READ_ONLY)")
    except duckdb.Error as error:
        return {PREVIOUS_RUN_KEY: "", UNAVAILABLE_KEY: str(error).splitlines()[0]}
    try:
        previous_run_id = _previous_run_id(con)
        by_identity = _has_identity(con, _PREVIOUS) and _has_identity(con, None)
        current = quote_identifier(con.execute("SELECT current_database()").fetchone()[0])
        sql = _changes_sql(current, by_identity)
        con.execute(f"INSERT INTO {table} {sql}", {"previous": previous_run_id, "run": run_id})
    finally:
        con.execute(f"DETACH {_PREVIOUS}")
    return {PREVIOUS_RUN_KEY: previous_run_id}


def read_feed_counts(con: duckdb.DuckDBPyConnection, meta: dict[str, str]) -> FeedCounts | None:
    """The counts of the opened version's feed; None for a version built before the feed existed."""
    if PREVIOUS_RUN_KEY not in meta:
        return None
    previous, unavailable = meta[PREVIOUS_RUN_KEY] or None, meta.get(UNAVAILABLE_KEY)
    rows = con.execute(
        f"""
        SELECT entity, change_kind, count(DISTINCT entity_key), sum(delta) FILTER (WHERE field = 'total_amount')
        FROM {PUBLISHED_SCHEMA}.{CHANGES_TABLE} GROUP BY ALL
        """
    ).fetchall()
    found = {(entity, kind): (count, delta or Decimal("0.00")) for entity, kind, count, delta in rows}

    def count(entity: str, kind: str) -> int:
        return found.get((entity, kind), (0, None))[0]

    return FeedCounts(
        previous,
        unavailable,
        reports_added=count("report", "added"),
        reports_removed=count("report", "removed"),
        reports_changed=count("report", "changed"),
        projects_added=count("project", "added"),
        projects_removed=count("project", "removed"),
        projects_changed=count("project", "changed"),
        changed_projects_delta=found.get(("project", "changed"), (0, Decimal("0.00")))[1],
        total_delta=found.get(("total", "changed"), (0, Decimal("0.00")))[1],
    )


def _comment(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """The descriptions BI tools show (DBeaver, Superset, Metabase read DuckDB's comments)."""
    con.execute(f"COMMENT ON TABLE {table} IS {string_literal(TABLE_DESCRIPTION)}")
    for column in COLUMNS:
        con.execute(f"COMMENT ON COLUMN {table}.{column.name} IS {string_literal(column.description)}")


def _previous_run_id(con: duckdb.DuckDBPyConnection) -> str:
    try:
        row = con.execute(f"SELECT value FROM {_PREVIOUS}.{PUBLISHED_SCHEMA}.warehouse_meta WHERE key = 'run_id'")
        found = row.fetchone()
    except duckdb.CatalogException:
        return "?"
    return found[0] if found else "?"


def _has_identity(con: duckdb.DuckDBPyConnection, database: str | None) -> bool:
    return bool(
        con.execute(
            # A table since it is materialized once for the marts; a view in versions published before.
            "SELECT count(*) FROM information_schema.tables WHERE table_catalog = coalesce(?, current_database()) "
            "AND table_schema = 'intermediate' AND table_name = 'int_project_identity'",
            [database],
        ).fetchone()[0]
    )


def _projects_sql(database: str, by_identity: bool) -> str:
    """One row per project of a version: its key, where it is printed, its amounts (summed when the key
    covers several printed rows, e.g. one project in two reports of a year)."""
    main = f"{database}.{PUBLISHED_SCHEMA}"
    if by_identity:
        key = "identity.project_id || '/' || coalesce(CAST(reports.fiscal_year AS VARCHAR), 'unknown')"
        join = f"JOIN {database}.intermediate.int_project_identity AS identity USING (project_key)"
    else:
        key = "reports.source_file || '/' || projects.budget_unit_name || '/' || projects.project_name"
        join = ""
    sums = ", ".join(f"sum(projects.{f}) AS {f}" for f in AMOUNT_FIELDS)
    return f"""
        SELECT {key} AS entity_key,
            string_agg(DISTINCT reports.source_file, ', ' ORDER BY reports.source_file) AS source_file,
            any_value(reports.department_name) AS department_name,
            any_value(projects.budget_unit_name) AS budget_unit_name,
            max_by(projects.project_name, projects.project_seq) AS project_name,
            any_value(reports.fiscal_year) AS fiscal_year, {sums}
        FROM {main}.fct_project_funding AS projects
        JOIN {main}.dim_reports AS reports USING (report_key) {join}
        GROUP BY ALL
    """


def _changes_sql(current: str, by_identity: bool) -> str:
    """Every change from the attached previous version to the ``current`` database, in feed order."""
    before, after = _PREVIOUS, current
    columns = "entity, change_kind, entity_key, source_file, department_name, budget_unit_name, project_name"
    amount_changes = "\nUNION ALL\n".join(
        f"""SELECT 'project', 'changed', a.entity_key, a.source_file, a.department_name, a.budget_unit_name,
            a.project_name, a.fiscal_year, '{f}', CAST(b.{f} AS VARCHAR), CAST(a.{f} AS VARCHAR),
            coalesce(a.{f}, 0) - coalesce(b.{f}, 0)
        FROM after_projects AS a JOIN before_projects AS b USING (entity_key) WHERE a.{f} IS DISTINCT FROM b.{f}"""
        for f in AMOUNT_FIELDS
    )
    return f"""
    WITH before_reports AS (SELECT * FROM {before}.{PUBLISHED_SCHEMA}.dim_reports),
    after_reports AS (SELECT * FROM {after}.{PUBLISHED_SCHEMA}.dim_reports),
    before_projects AS ({_projects_sql(before, by_identity)}),
    after_projects AS ({_projects_sql(after, by_identity)}),
    before_totals AS (SELECT fiscal_year, sum(total_amount) AS total_amount FROM before_projects GROUP BY ALL),
    after_totals AS (SELECT fiscal_year, sum(total_amount) AS total_amount FROM after_projects GROUP BY ALL),
    changes ({columns}, fiscal_year, field, before_value, after_value, delta) AS (
        SELECT 'report', CASE WHEN b.source_file IS NULL THEN 'added' WHEN a.source_file IS NULL THEN 'removed'
                ELSE 'changed' END,
            coalesce(a.source_file, b.source_file), coalesce(a.source_file, b.source_file),
            coalesce(a.department_name, b.department_name), NULL, NULL, coalesce(a.fiscal_year, b.fiscal_year),
            'file_sha256', b.file_sha256, a.file_sha256, NULL
        FROM after_reports AS a FULL JOIN before_reports AS b USING (source_file)
        WHERE a.file_sha256 IS DISTINCT FROM b.file_sha256
        UNION ALL
        SELECT 'project', CASE WHEN b.entity_key IS NULL THEN 'added' ELSE 'removed' END,
            coalesce(a.entity_key, b.entity_key), coalesce(a.source_file, b.source_file),
            coalesce(a.department_name, b.department_name), coalesce(a.budget_unit_name, b.budget_unit_name),
            coalesce(a.project_name, b.project_name), coalesce(a.fiscal_year, b.fiscal_year), 'total_amount',
            CAST(b.total_amount AS VARCHAR), CAST(a.total_amount AS VARCHAR),
            coalesce(a.total_amount, 0) - coalesce(b.total_amount, 0)
        FROM after_projects AS a FULL JOIN before_projects AS b USING (entity_key)
        WHERE a.entity_key IS NULL OR b.entity_key IS NULL
        UNION ALL
        {amount_changes}
        UNION ALL
        SELECT 'total', 'changed', coalesce(CAST(coalesce(a.fiscal_year, b.fiscal_year) AS VARCHAR), 'unknown'),
            NULL, NULL, NULL, NULL, coalesce(a.fiscal_year, b.fiscal_year), 'total_amount',
            CAST(b.total_amount AS VARCHAR), CAST(a.total_amount AS VARCHAR),
            coalesce(a.total_amount, 0) - coalesce(b.total_amount, 0)
        FROM after_totals AS a FULL JOIN before_totals AS b ON a.fiscal_year IS NOT DISTINCT FROM b.fiscal_year
        WHERE a.total_amount IS DISTINCT FROM b.total_amount
    )
    SELECT {columns}, fiscal_year, field, before_value, after_value, CAST(delta AS DECIMAL(18, 2)),
        $previous, $run
    FROM changes
    ORDER BY list_position(['report', 'project', 'total'], entity), change_kind, entity_key,
        list_position({list(AMOUNT_FIELDS) + ["file_sha256"]}, field)
    """
