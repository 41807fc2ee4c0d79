"""Sections across fiscal years: the funding change of each department, and the targets that changed.

Both read the history marts (mart_project_history, mart_indicator_target_changes). A department
published in one fiscal year only has nothing to compare: the report says so in one line rather than
draw an empty chart, which is what the five bundled samples (all 2025) give.
"""

from __future__ import annotations

from decimal import Decimal

import duckdb

from budget_etl.html_report.markup import amount, html_table, paragraph, text
from budget_etl.html_report.sections import Section, rows
from budget_etl.html_report.svg_charts import PALETTE, Series, diverging_bar_chart
from budget_etl.i18n import column_header, t

MAX_TARGET_CHANGES = 50

# Per department and fiscal year compared with its previous published year (mart_project_history):
# the totals of both years and the change split into what new, continued and discontinued projects did.
YEAR_CHANGES_SQL = """
    WITH years AS (
        SELECT department_name, fiscal_year, any_value(previous_fiscal_year) AS previous_fiscal_year,
               sum(total_amount) AS total,
               coalesce(sum(total_amount) FILTER (WHERE project_status = 'new'), 0) AS new_amount,
               coalesce(sum(change_amount) FILTER (WHERE project_status = 'continued' AND change_amount > 0), 0)
                   AS increase_amount,
               coalesce(sum(change_amount) FILTER (WHERE project_status = 'continued' AND change_amount < 0), 0)
                   AS decrease_amount,
               coalesce(sum(change_amount) FILTER (WHERE project_status = 'discontinued'), 0) AS discontinued_amount,
               count(*) FILTER (WHERE project_status = 'new') AS new_count,
               count(*) FILTER (WHERE project_status = 'continued') AS continued_count,
               count(*) FILTER (WHERE project_status = 'discontinued') AS discontinued_count
        FROM main.mart_project_history GROUP BY department_name, fiscal_year
    )
    SELECT y.department_name, y.previous_fiscal_year, y.fiscal_year, p.total, y.total,
           y.new_amount, y.increase_amount, y.decrease_amount, y.discontinued_amount,
           y.new_count, y.continued_count, y.discontinued_count
    FROM years y JOIN years p ON p.department_name IS NOT DISTINCT FROM y.department_name
                             AND p.fiscal_year = y.previous_fiscal_year
    ORDER BY y.total - p.total DESC, y.department_name, y.fiscal_year
"""


def _signed(value) -> str:
    return ("+" if value > 0 else "") + amount(value)


def _change_pct(previous, current) -> str:
    if previous is None or current is None or previous == 0:
        return "—"
    return f"{(current - previous) / previous:+.1%}"


def section_funding_change(con: duckdb.DuckDBPyConnection) -> Section:
    title = t("html.funding_change")
    changes = rows(con, YEAR_CHANGES_SQL)
    single = [
        name or t("html.department_not_printed")
        for (name,) in rows(
            con,
            """SELECT department_name FROM main.mart_project_history
               GROUP BY department_name HAVING count(DISTINCT fiscal_year) = 1 ORDER BY 1""",
        )
    ]
    if not changes:
        return Section("funding-change", title, paragraph(t("html.one_year_only"), "empty"))
    labels = [
        t("html.year_to_year", department=d or t("html.department_not_printed"), previous=p, year=y)
        for d, p, y, *_ in changes
    ]
    # Gains in blues, losses in orange and vermillion (Okabe-Ito): the side and the colour say the same.
    series = [
        Series(t("html.new_projects"), PALETTE[0]),
        Series(t("html.continued_up"), PALETTE[4]),
        Series(t("html.continued_down"), PALETTE[1]),
        Series(t("html.discontinued_projects"), PALETTE[5]),
    ]
    values = [[float(new), float(up), float(down), float(gone)] for *_, new, up, down, gone, _, _, _ in changes]
    notes = [
        t(
            "html.change_note",
            change="—" if previous is None or current is None else _signed(current - previous),
            previous=amount(previous),
            total=amount(current),
        )
        for _, _, _, previous, current, *_ in changes
    ]
    chart = diverging_bar_chart(labels, series, values, value_format=_signed, row_notes=notes, title=title)
    table = html_table(
        [
            *(
                column_header(c, "mart_project_history")
                for c in (
                    "department_name",
                    "previous_fiscal_year",
                    "fiscal_year",
                    "previous_total_amount",
                    "total_amount",
                    "change_amount",
                    "change_pct",
                )
            ),
            t("html.new_count"),
            t("html.continued_count"),
            t("html.discontinued_count"),
        ],
        [
            (d, p, y, before, after, _difference(before, after), _change_pct(before, after), n, c, g)
            for d, p, y, before, after, _, _, _, _, n, c, g in changes
        ],
    )
    explanation = paragraph(t("html.funding_change_note"))
    others = f"<p>{text(t('html.one_year_departments', names='、'.join(single)))}</p>" if single else ""
    return Section("funding-change", title, chart + explanation + table + others)


def _difference(before, after) -> Decimal | None:
    return None if before is None or after is None else after - before


def section_target_changes(con: duckdb.DuckDBPyConnection) -> Section:
    title = t("html.target_changes")
    found = rows(
        con,
        f"""SELECT department_name, project_name, indicator_name, previous_fiscal_year, previous_annual_target,
                   fiscal_year, annual_target, change_kind
            FROM main.mart_indicator_target_changes ORDER BY ALL LIMIT {MAX_TARGET_CHANGES + 1}""",
    )
    if not found:
        several = rows(con, "SELECT count(*) FROM main.mart_project_history WHERE previous_fiscal_year IS NOT NULL")
        key = "html.no_target_change" if several[0][0] else "html.target_changes_one_year"
        return Section("target-changes", title, paragraph(t(key), "empty"))
    headers = [
        column_header(c, "mart_indicator_target_changes")
        for c in (
            "department_name",
            "project_name",
            "indicator_name",
            "previous_fiscal_year",
            "previous_annual_target",
            "fiscal_year",
            "annual_target",
            "change_kind",
        )
    ]
    shown = [(*r[:7], t(f"html.change_kind.{r[7]}")) for r in found[:MAX_TARGET_CHANGES]]
    more = paragraph(t("html.showing_first", n=f"{MAX_TARGET_CHANGES:,}")) if len(found) > MAX_TARGET_CHANGES else ""
    return Section(
        "target-changes", title, paragraph(t("html.target_changes_lead")) + html_table(headers, shown) + more
    )
