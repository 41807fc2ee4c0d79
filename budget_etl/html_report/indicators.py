"""Indicator charts: the level-1 category mix and the share of quantified targets, per department."""

from __future__ import annotations

import duckdb

from budget_etl.html_report.markup import html_table, paragraph
from budget_etl.html_report.sections import Section, department_label_sql, rows
from budget_etl.html_report.svg_charts import PALETTE, UNCLASSIFIED_COLOR, Series, series_colors, stacked_bar_chart
from budget_etl.i18n import t


def _count(value: float) -> str:
    return f"{int(value):,}"


def section_indicator_mix(con: duckdb.DuckDBPyConnection) -> Section:
    title = t("html.indicator_mix")
    dept = department_label_sql(con)
    categories = rows(
        con,
        """SELECT category_code, category_name FROM main.dim_indicator_categories
           WHERE category_level = 1 ORDER BY try_cast(category_code AS INTEGER), category_code""",
    )
    found = rows(
        con,
        f"""SELECT {dept}, i.level1_code, count(*) FROM main.fct_performance_indicators i
            JOIN main.dim_reports r USING (report_key) GROUP BY ALL""",
    )
    if not found:
        return Section("indicator-mix", title, paragraph(t("html.no_indicator"), "empty"))
    used = {code for _, code, _ in found}
    named = [(code, name) for code, name in categories if code in used]
    named += [(code, t("html.code", code=code)) for code in sorted(used - {c for c, _ in categories} - {None})]
    keys: list[str | None] = [code for code, _ in named]
    series = series_colors([name for _, name in named])
    if None in used:
        keys.append(None)
        series.append(Series(t("html.unclassified"), UNCLASSIFIED_COLOR))
    counts: dict[str, list[float]] = {}
    for department, code, n in found:
        counts.setdefault(department, [0.0] * len(keys))[keys.index(code)] += n
    overall = [sum(row[k] for row in counts.values()) for k in range(len(keys))]
    departments = sorted(counts, key=lambda d: (-sum(counts[d]), d))
    values = [overall] + [counts[d] for d in departments]
    chart = stacked_bar_chart(
        [t("html.all_departments"), *departments],
        series,
        values,
        value_format=_count,
        normalize=True,
        row_notes=[f"n = {_count(sum(v))}" for v in values],
        title=title,
    )
    summary = html_table(
        [t("html.category"), t("html.indicators"), t("html.share")],
        [(s.name, _count(n), f"{n / sum(overall):.1%}") for s, n in zip(series, overall, strict=True)],
    )
    return Section("indicator-mix", title, chart + summary)


def section_quantified_share(con: duckdb.DuckDBPyConnection) -> Section:
    title = t("html.quantified_share")
    dept = department_label_sql(con)
    found = rows(
        con,
        f"""SELECT {dept}, count(*) FILTER (WHERE i.is_quantified), count(*) FROM main.fct_performance_indicators i
            JOIN main.dim_reports r USING (report_key) GROUP BY ALL""",
    )
    if not found:
        return Section("quantified", title, paragraph(t("html.no_indicator"), "empty"))
    found.sort(key=lambda r: (-(r[1] / r[2]), r[0]))
    explanation = f"<p>{t('html.quantified_explanation')}</p>"
    chart = stacked_bar_chart(
        [r[0] for r in found],
        [Series(t("html.quantified"), PALETTE[2]), Series(t("html.not_quantified"), UNCLASSIFIED_COLOR)],
        [[float(q), float(n - q)] for _, q, n in found],
        value_format=_count,
        normalize=True,
        row_notes=[t("html.quantified_note", share=f"{q / n:.0%}", q=f"{q:,}", n=f"{n:,}") for _, q, n in found],
        title=title,
    )
    return Section("quantified", title, explanation + chart)
