"""Sections on the self-evaluations: did the projects reach their targets?

Attainment per department and per indicator category (mart_attainment_by_department / _by_category)
as met / not met / not comparable bars with the rate over the comparable indicators, and the projects
that missed the most targets (mart_target_attainment). A warehouse without a self-evaluation
(项目支出绩效自评表) has no results: each section says so in one line.
"""

from __future__ import annotations

import duckdb

from budget_etl.html_report.markup import amount, html_table, paragraph
from budget_etl.html_report.sections import Section, rows
from budget_etl.html_report.svg_charts import PALETTE, UNCLASSIFIED_COLOR, Series, stacked_bar_chart
from budget_etl.i18n import column_header, t

MAX_MISSED_PROJECTS = 10


def _count(value: float) -> str:
    return f"{int(value):,}"


def attainment_series() -> list[Series]:
    """met in green, not met in vermillion, not comparable in grey, in every attainment chart."""
    return [
        Series(t("html.met"), PALETTE[2]),
        Series(t("html.not_met"), PALETTE[5]),
        Series(t("html.not_comparable"), UNCLASSIFIED_COLOR),
    ]


def _rate_note(rate, met: int, not_met: int, total: int) -> str:
    shown = "—" if rate is None else f"{rate:.0%}"
    return t("html.attainment_note", rate=shown, met=f"{met:,}", comparable=f"{met + not_met:,}", n=f"{total:,}")


def _attainment_chart(found: list[tuple], title: str) -> str:
    """found: (label, met, not met, not comparable, rate) per bar."""
    return stacked_bar_chart(
        [r[0] for r in found],
        attainment_series(),
        [[float(met), float(missed), float(other)] for _, met, missed, other, _ in found],
        value_format=_count,
        normalize=True,
        row_notes=[_rate_note(rate, met, missed, met + missed + other) for _, met, missed, other, rate in found],
        title=title,
    )


def has_results(con: duckdb.DuckDBPyConnection) -> bool:
    return rows(con, "SELECT count(*) FROM main.mart_target_attainment")[0][0] > 0


def section_attainment(con: duckdb.DuckDBPyConnection) -> Section:
    title = t("html.attainment")
    if not has_results(con):
        return Section("attainment", title, paragraph(t("html.no_self_evaluation"), "empty"))
    unnamed = t("html.department_not_printed")
    by_department = rows(
        con,
        f"""SELECT coalesce(department_name, '{unnamed}') || ' (' || fiscal_year || ')',
                   met_count, not_met_count, not_comparable_count, attainment_rate
            FROM main.mart_attainment_by_department
            ORDER BY attainment_rate DESC NULLS LAST, indicator_count DESC, 1""",
    )
    unclassified = t("html.unclassified")
    by_category = rows(
        con,
        f"""SELECT coalesce(level1_name, '{unclassified}') || ' · ' || coalesce(level2_name, level2_code, '{unclassified}')
                       || ' (' || fiscal_year || ')',
                   met_count, not_met_count, not_comparable_count, attainment_rate
            FROM main.mart_attainment_by_category
            ORDER BY fiscal_year, try_cast(level1_code AS INTEGER), level1_code,
                     try_cast(level2_code AS INTEGER), level2_code""",
    )
    body = paragraph(t("html.attainment_lead"))
    body += f"<h3>{t('html.by_department')}</h3>" + _attainment_chart(by_department, t("html.attainment_department"))
    body += f"<h3>{t('html.by_category')}</h3>" + _attainment_chart(by_category, t("html.attainment_category"))
    return Section("attainment", title, body)


# Per project of a self-evaluation: its indicators by attainment and its points (mart_target_attainment).
MISSED_SQL = f"""
    SELECT a.project_name, d.department_name, a.fiscal_year,
           count(*) FILTER (WHERE a.attainment = 'met') AS met,
           count(*) FILTER (WHERE a.attainment = 'not met') AS not_met,
           count(*) FILTER (WHERE a.attainment = 'not comparable') AS not_comparable,
           count(*) AS total, sum(a.score_points) AS score, sum(a.score_weight_points) AS weight
    FROM main.mart_target_attainment a LEFT JOIN main.dim_departments d USING (department_key)
    GROUP BY a.project_key, a.project_name, d.department_name, a.fiscal_year
    HAVING count(*) FILTER (WHERE a.attainment = 'not met') > 0
    ORDER BY not_met DESC, not_met / total DESC, a.project_name, a.fiscal_year
    LIMIT {MAX_MISSED_PROJECTS}
"""


def section_missed_targets(con: duckdb.DuckDBPyConnection) -> Section:
    title = t("html.missed_targets")
    if not has_results(con):
        return Section("missed-targets", title, paragraph(t("html.no_self_evaluation"), "empty"))
    found = rows(con, MISSED_SQL)
    if not found:
        return Section("missed-targets", title, paragraph(t("html.no_missed_target"), "empty"))
    chart = stacked_bar_chart(
        [f"{name} ({year})" for name, _, year, *_ in found],
        [attainment_series()[1], attainment_series()[0], attainment_series()[2]],
        [[float(missed), float(met), float(other)] for _, _, _, met, missed, other, *_ in found],
        value_format=_count,
        row_notes=[t("html.missed_note", not_met=missed, n=total) for _, _, _, _, missed, _, total, _, _ in found],
        title=title,
    )
    table = html_table(
        [
            column_header("project_name", "mart_target_attainment"),
            column_header("department_name", "mart_attainment_by_department"),
            column_header("fiscal_year", "mart_target_attainment"),
            t("html.not_met_of_total"),
            t("html.score_of_weight"),
        ],
        [
            (name, department, year, f"{missed} / {total}", f"{amount(score)} / {amount(weight)}")
            for name, department, year, _, missed, _, total, score, weight in found
        ],
    )
    return Section("missed-targets", title, paragraph(t("html.missed_lead", n=MAX_MISSED_PROJECTS)) + chart + table)
