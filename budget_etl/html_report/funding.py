"""Funding charts: by department (stacked by fund source) and by fund source, in 万元.

A department's figure is the 合计 its reports print; the sum of its projects is shown beside it
where the two differ (the documents round each row and the total separately).
"""

from __future__ import annotations

import duckdb

from budget_etl.html_report.markup import amount, paragraph, printed_amount, text
from budget_etl.html_report.sections import REPORT_TOTALS_SQL, Section, department_label_sql, rows
from budget_etl.html_report.svg_charts import series_colors, stacked_bar_chart
from budget_etl.i18n import t


def fund_sources(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(code, display name) in the order dim_fund_sources gives."""
    return rows(con, "SELECT fund_source, fund_source_name FROM main.dim_fund_sources ORDER BY display_order")


def section_funding_by_department(con: duckdb.DuckDBPyConnection) -> Section:
    title = t("html.funding_department")
    dept = department_label_sql(con)
    sources = fund_sources(con)
    amounts = rows(
        con,
        f"""SELECT {dept}, s.fund_source, sum(s.amount) FROM main.fct_funding_by_source s
            JOIN main.dim_reports r USING (report_key) GROUP BY ALL""",
    )
    # Printed and computed totals per department; a report printing none counts with its projects.
    totals = {
        label: (printed, computed)
        for label, printed, computed in rows(
            con,
            f"""SELECT {dept}, sum(coalesce(t.printed_total, t.projects_total)), sum(t.projects_total)
                FROM main.dim_reports r JOIN ({REPORT_TOTALS_SQL}) t USING (report_key)
                WHERE t.projects_total IS NOT NULL GROUP BY ALL""",
        )
    }
    if not totals:
        return Section("funding-department", title, paragraph(t("html.no_amounts_published"), "empty"))
    departments = sorted(totals, key=lambda d: (-float(totals[d][0] or 0), d))
    index = {code: i for i, (code, _) in enumerate(sources)}
    values = {d: [0.0] * len(sources) for d in departments}
    for department, source, total in amounts:
        if department in values:
            values[department][index[source]] += float(total or 0)
    chart = stacked_bar_chart(
        departments,
        series_colors([name for _, name in sources]),
        [values[d] for d in departments],
        value_format=amount,
        row_notes=[printed_amount(*totals[d]) for d in departments],
        title=title,
    )
    note = paragraph(t("html.funding_note"))
    return Section("funding-department", title, chart + note + _reports_without_amounts(con, dept))


def _reports_without_amounts(con: duckdb.DuckDBPyConnection, dept: str) -> str:
    """Departments whose reports print no amounts at all (e.g. the 主管部门/预算单位 layout)."""
    names = [
        name
        for (name,) in rows(
            con,
            f"""SELECT DISTINCT {dept} FROM main.dim_reports r
                WHERE NOT EXISTS (SELECT 1 FROM main.fct_project_funding p
                                  WHERE p.report_key = r.report_key AND p.total_amount IS NOT NULL)
                ORDER BY 1""",
        )
    ]
    if not names:
        return ""
    return f"<p>{text(t('html.without_amounts', names='、'.join(names)))}</p>"


def section_funding_by_source(con: duckdb.DuckDBPyConnection) -> Section:
    title = t("html.funding_source")
    amounts = dict(rows(con, "SELECT fund_source, sum(amount) FROM main.fct_funding_by_source GROUP BY ALL"))
    sources = [(code, name) for code, name in fund_sources(con) if code in amounts]
    if not sources:
        return Section("funding-source", title, paragraph(t("html.no_funding"), "empty"))
    grand = sum(float(a or 0) for a in amounts.values())
    values = [
        [float(amounts[code] or 0) if j == i else 0.0 for j in range(len(sources))]
        for i, (code, _) in enumerate(sources)
    ]
    notes = [
        f"{amount(amounts[code])} ({float(amounts[code] or 0) / grand:.1%})" if grand else amount(amounts[code])
        for code, _ in sources
    ]
    chart = stacked_bar_chart(
        [name for _, name in sources],
        series_colors([name for _, name in sources]),
        values,
        value_format=amount,
        row_notes=notes,
        title=title,
        legend=False,
    )
    return Section("funding-source", title, chart)
