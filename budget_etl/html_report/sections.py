"""The sections about the warehouse itself: overview with its reports, reconciliation, quarantine.

Each report shows its warning count (dim_reports.warning_count) beside its figures, and the
reports with warnings list them: what the reader handled but a person should know.

Sections read the published marts as the pipeline builds them (dbt_project/models/marts); the
funding and indicator charts are in funding.py and indicators.py, the change between fiscal years in
history.py and the attainment of the self-evaluations in attainment.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from budget_etl.html_report.markup import html_table, paragraph, printed_amount, text
from budget_etl.i18n import column_header, t

MAX_TABLE_ROWS = 500


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    body: str


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence = ()) -> list[tuple]:
    return con.execute(sql, list(params)).fetchall()


def department_label_sql(con: duckdb.DuckDBPyConnection) -> str:
    """A report's department as charts show it (alias r: dim_reports); with its year when the
    warehouse spans several fiscal years."""
    name = f"coalesce(r.department_name, '{t('html.department_not_printed')}')"
    if rows(con, "SELECT count(DISTINCT fiscal_year) FROM main.dim_reports")[0][0] > 1:
        return f"{name} || coalesce(' (' || r.fiscal_year || ')', '')"
    return name


# Per report: the 合计 it prints (when it prints amounts) and the sum of its projects.
REPORT_TOTALS_SQL = """
    SELECT r.report_key,
           CASE WHEN r.has_declared_amounts THEN r.declared_total_amount END AS printed_total,
           (SELECT sum(p.total_amount) FROM main.fct_project_funding p WHERE p.report_key = r.report_key)
               AS projects_total
    FROM main.dim_reports r
"""


def section_overview(con: duckdb.DuckDBPyConnection, meta: dict[str, str]) -> Section:
    facts = [
        (t("fact.refreshed_at"), meta.get("refreshed_at", t("unknown"))),
        (t("fact.run"), meta.get("run_id", t("unknown"))),
    ]
    for label, table in (
        (t("fact.reports"), "dim_reports"),
        (t("fact.departments"), "dim_departments"),
        (t("fact.projects"), "fct_project_funding"),
        (t("fact.indicators"), "fct_performance_indicators"),
        (t("fact.quarantined"), "quarantined_reports"),
    ):
        facts.append((label, f"{rows(con, f'SELECT count(*) FROM main.{table}')[0][0]:,}"))
    # A report that prints no 合计 counts with the sum of its projects.
    printed, computed = rows(
        con, f"SELECT sum(coalesce(printed_total, projects_total)), sum(projects_total) FROM ({REPORT_TOTALS_SQL})"
    )[0]
    facts.append((t("fact.total"), printed_amount(printed, computed)))
    body = (
        '<dl class="facts">' + "".join(f"<div><dt>{text(k)}</dt><dd>{text(v)}</dd></div>" for k, v in facts) + "</dl>"
    )
    reports = rows(
        con,
        f"""SELECT r.source_file, r.department_name, r.layout, r.fiscal_year, r.page_count, r.project_count,
                   t.printed_total, t.projects_total, r.warning_count
            FROM main.dim_reports r JOIN ({REPORT_TOTALS_SQL}) t USING (report_key) ORDER BY r.source_file""",
    )
    table_rows = [(*r[:6], _printed_or_note(r[6], r[7]), r[8]) for r in reports]
    headers = [
        column_header(c, "dim_reports")
        for c in ("source_file", "department_name", "layout", "fiscal_year", "page_count")
    ]
    headers += [t("col.projects"), "总计 (万元)", t("col.warnings")]
    body += f"<h3>{text(t('html.reports'))}</h3>" + (
        html_table(headers, table_rows) if reports else paragraph(t("html.no_report"), "empty")
    )
    body += _warnings(con)
    body += paragraph(t("html.total_note"))
    return Section("overview", t("html.overview"), body)


def _warnings(con: duckdb.DuckDBPyConnection) -> str:
    """The warnings of each report that has any, one row per warning."""
    found = rows(
        con,
        f"""SELECT source_file, unnest(string_split(warnings_text, chr(10))) AS warning
            FROM main.dim_reports WHERE warning_count > 0 ORDER BY source_file LIMIT {MAX_TABLE_ROWS}""",
    )
    if not found:
        return ""
    return f"<h3>{text(t('html.warnings'))}</h3>" + html_table(
        [column_header("source_file", "dim_reports"), t("html.warning")], found
    )


def _printed_or_note(printed, computed) -> str:
    return printed_amount(printed, computed) if printed is not None or computed is not None else t("html.no_amounts")


def section_reconciliation(con: duckdb.DuckDBPyConnection) -> Section:
    title = t("html.reconciliation")
    checked, outside = rows(
        con, "SELECT count(*), count(*) FILTER (WHERE NOT is_within_tolerance) FROM main.fct_reconciliation"
    )[0]
    # Surrogate keys mean nothing to a reader: each is shown as the name it stands for.
    found = rows(
        con,
        f"""SELECT r.source_file, u.budget_unit_name, p.project_name, c.check_type, c.amount_column,
                   c.declared_amount, c.computed_amount, c.difference_amount, c.tolerance
            FROM main.fct_reconciliation c
            LEFT JOIN main.dim_reports r USING (report_key)
            LEFT JOIN main.dim_budget_units u USING (budget_unit_key)
            LEFT JOIN main.fct_project_funding p USING (project_key)
            WHERE NOT c.is_within_tolerance ORDER BY ALL LIMIT {MAX_TABLE_ROWS}""",
    )
    head = f"<p>{t('html.reconciliation_head', outside=f'{outside:,}', checked=f'{checked:,}')}</p>"
    if not found:
        return Section("reconciliation", title, head)
    headers = [
        column_header("source_file", "dim_reports"),
        column_header("budget_unit_name", "dim_budget_units"),
        column_header("project_name", "fct_project_funding"),
    ]
    headers += [
        column_header(c, "fct_reconciliation")
        for c in ("check_type", "amount_column", "declared_amount", "computed_amount", "difference_amount", "tolerance")
    ]
    more = paragraph(t("html.showing_first", n=f"{MAX_TABLE_ROWS:,}")) if outside > MAX_TABLE_ROWS else ""
    return Section("reconciliation", title, head + html_table(headers, found) + more)


def section_quarantine(con: duckdb.DuckDBPyConnection) -> Section:
    title = t("html.quarantine")
    found = rows(con, "SELECT source_file, reason, quarantined_at FROM main.quarantined_reports ORDER BY source_file")
    if not found:
        return Section("quarantine", title, paragraph(t("html.no_quarantine"), "empty"))
    lead = paragraph(t("html.quarantine_lead_one" if len(found) == 1 else "html.quarantine_lead", n=f"{len(found):,}"))
    return Section(
        "quarantine",
        title,
        lead
        + html_table(
            [column_header(c, "quarantined_reports") for c in ("source_file", "reason", "quarantined_at")], found
        ),
    )
