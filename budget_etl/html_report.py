"""A one-file visual report of a published warehouse, for readers without a BI tool.

render_report() writes ONE static HTML file: charts are inline SVG drawn here in Python, styles are
inline, there is no script and no external reference, so the file opens offline, can be mailed or
archived next to the warehouse it describes, and shows the same thing in ten years.

Every section checks the tables and columns it needs and says "not available" when they are
missing, so the report also renders older warehouses published before a mart existed.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from contract import atomic
from publishing.connections import connect_read_only, read_meta

SCHEMA = "main"
# CJK first so that Chinese glyphs never fall back to a Latin font's tofu; each platform's usual font.
FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "PingFang SC", '
    '"Hiragino Sans GB", "Microsoft YaHei", "SimHei", system-ui, sans-serif'
)
# Colour-blind-safe palette (Okabe-Ito), in a fixed order so a category keeps its colour.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
UNCLASSIFIED_COLOR = "#BBBBBB"
MAX_TABLE_ROWS = 500


# Reading the warehouse ---------------------------------------------------------------------------


class _Catalog:
    """Which tables and columns of schema main this warehouse has."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.columns: dict[str, list[str]] = {}
        for table, column in con.execute(
            """
            SELECT table_name, column_name FROM duckdb_columns()
            WHERE database_name = current_database() AND schema_name = ?
            ORDER BY table_name, column_index
            """,
            [SCHEMA],
        ).fetchall():
            self.columns.setdefault(table, []).append(column)

    def has(self, table: str, *columns: str) -> bool:
        return table in self.columns and all(c in self.columns[table] for c in columns)

    def missing(self, requirements: dict[str, Sequence[str]]) -> list[str]:
        """Human-readable list of what is absent among {table: columns}."""
        out = []
        for table, columns in requirements.items():
            if table not in self.columns:
                out.append(table)
            else:
                out.extend(f"{table}.{c}" for c in columns if c not in self.columns[table])
        return out

    def find(self, fragment: str) -> str | None:
        matches = sorted(t for t in self.columns if fragment in t)
        return matches[0] if matches else None

    def rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        return self.con.execute(sql, list(params)).fetchall()


# Charts (inline SVG) -----------------------------------------------------------------------------

FONT_PX = 13
ROW_PX = 26
BAR_PX = 18
CHART_WIDTH = 920


@dataclass(frozen=True)
class Series:
    name: str
    color: str


def text_width(text: str, font_px: float = FONT_PX) -> float:
    """Estimated rendered width: wide (CJK) characters are 1em, others about 0.6em."""
    return sum(font_px if unicodedata.east_asian_width(ch) in ("W", "F") else font_px * 0.6 for ch in text)


def _text_color_on(background: str) -> str:
    """Black or white, whichever is more legible on a #rrggbb background (WCAG relative luminance)."""
    channels = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#111111" if luminance > 0.35 else "#ffffff"


def _truncate(text: str, max_px: float) -> str:
    if text_width(text) <= max_px:
        return text
    while text and text_width(text + "…") > max_px:
        text = text[:-1]
    return text + "…"


def stacked_bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    values: Sequence[Sequence[float]],
    *,
    value_format: Callable[[float], str],
    normalize: bool = False,
    row_notes: Sequence[str] | None = None,
    title: str,
    legend: bool = True,
) -> str:
    """Horizontal bars, one per label, stacked by series. normalize: each bar shows shares of 100 %.

    Every segment is a <rect class="mark"> with data-label/data-series/data-value and a <title>
    tooltip, so the chart can be checked in a DOM and read by screen readers.
    """
    label_px = min(max((text_width(label) for label in labels), default=0) + 12, 340)
    totals = [sum(v for v in row if v > 0) for row in values]
    notes = list(row_notes) if row_notes is not None else [value_format(t) for t in totals]
    note_px = max((text_width(n) for n in notes), default=0) + 12
    plot_px = max(CHART_WIDTH - label_px - note_px, 200)
    scale_max = 1.0 if normalize else max(totals, default=0) or 1.0
    legend_px = 28 if legend and len(series) > 1 else 0
    height = legend_px + ROW_PX * len(labels) + 8
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" '
        f'height="{height}" aria-label="{_a(title)}"><title>{_e(title)}</title>'
    ]
    if legend_px:
        x = label_px
        for s in series:
            parts.append(
                f'<rect x="{x}" y="6" width="12" height="12" fill="{s.color}"/>'
                f'<text x="{x + 17}" y="16.5" class="legend">{_e(s.name)}</text>'
            )
            x += 17 + text_width(s.name) + 22
    for i, (label, row, total, note) in enumerate(zip(labels, values, totals, notes, strict=False)):
        y = legend_px + i * ROW_PX
        bar_y = y + (ROW_PX - BAR_PX) / 2
        parts.append(
            f'<text x="{label_px - 8}" y="{y + ROW_PX / 2 + 4.5}" text-anchor="end" class="label">'
            f"<title>{_e(label)}</title>{_e(_truncate(label, label_px - 12))}</text>"
        )
        x = float(label_px)
        for s, value in zip(series, row, strict=False):
            if value <= 0:
                continue
            share = value / total if normalize and total else value / scale_max
            width = share * plot_px
            shown = f"{value / total:.0%}" if normalize and total else value_format(value)
            parts.append(
                f'<rect class="mark" x="{x:.2f}" y="{bar_y:.2f}" width="{max(width, 0.5):.2f}" height="{BAR_PX}" '
                f'fill="{s.color}" data-label="{_a(label)}" data-series="{_a(s.name)}" data-value="{value}">'
                f"<title>{_e(label)} · {_e(s.name)}: {_e(shown)}</title></rect>"
            )
            if normalize and width > text_width(shown, 11) + 6:
                parts.append(
                    f'<text x="{x + width / 2:.2f}" y="{bar_y + BAR_PX / 2 + 4}" text-anchor="middle" '
                    f'class="inbar" fill="{_text_color_on(s.color)}">{_e(shown)}</text>'
                )
            x += width
        parts.append(f'<text x="{x + 6:.2f}" y="{y + ROW_PX / 2 + 4.5}" class="value">{_e(note)}</text>')
    parts.append("</svg>")
    return "".join(parts)


# Sections ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    body: str


def _not_available(missing: Sequence[str]) -> str:
    return (
        f'<p class="na">Not available in this warehouse (missing: {_e(", ".join(missing))}); '
        f"it was probably published before this mart existed.</p>"
    )


def _no_rows(what: str) -> str:
    return f'<p class="empty">{_e(what)}</p>'


def _department_label_sql(cat: _Catalog) -> str:
    """Department of a report as shown in charts; the year is added when the warehouse spans years."""
    years = (
        cat.rows("SELECT count(DISTINCT fiscal_year) FROM main.dim_reports")[0][0]
        if cat.has("dim_reports", "fiscal_year")
        else 0
    )
    name = "coalesce(r.department_name, '(department not printed)')"
    if years > 1:
        return f"{name} || coalesce(' (' || r.fiscal_year || ')', '')"
    return name


def section_overview(cat: _Catalog, meta: dict[str, str]) -> Section:
    facts = [("refreshed at", meta.get("refreshed_at", "unknown")), ("run", meta.get("run_id", "unknown"))]
    counts = [
        ("reports", "dim_reports"),
        ("departments", "dim_departments"),
        ("projects", "fct_project_funding"),
        ("indicators", "fct_performance_indicators"),
        ("quarantined files", "quarantined_reports"),
    ]
    for label, table in counts:
        if cat.has(table):
            facts.append((label, f"{cat.rows(f'SELECT count(*) FROM main.{table}')[0][0]:,}"))
    if cat.has("fct_project_funding", "total_amount"):
        total = cat.rows("SELECT sum(total_amount) FROM main.fct_project_funding")[0][0]
        facts.append(("total funding", f"{_amount(total)} 万元" if total is not None else "—"))
    body = '<dl class="facts">' + "".join(f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in facts) + "</dl>"
    if cat.has("dim_reports", "source_file"):
        wanted = ["source_file", "department_name", "layout", "fiscal_year", "page_count"]
        cols = [c for c in wanted if cat.has("dim_reports", c)]
        rows = cat.rows(f"SELECT {', '.join(cols)} FROM main.dim_reports ORDER BY source_file")
        body += "<h3>Reports</h3>" + _html_table(cols, rows) if rows else _no_rows("No report is published.")
    return Section("overview", "Overview", body)


def section_funding_by_department(cat: _Catalog) -> Section:
    title = "Funding by department (万元)"
    need = {"fct_project_funding": ["report_key", "total_amount"], "dim_reports": ["report_key", "department_name"]}
    if missing := cat.missing(need):
        return Section("funding-department", title, _not_available(missing))
    dept = _department_label_sql(cat)
    by_source = cat.has("fct_funding_by_source", "project_key", "fund_source", "amount") and cat.has(
        "fct_project_funding", "project_key"
    )
    if by_source:
        sources = _fund_sources(cat)
        rows = cat.rows(
            f"""
            SELECT {dept} AS department, s.fund_source, sum(s.amount)
            FROM main.fct_funding_by_source s
            JOIN main.fct_project_funding p ON p.project_key = s.project_key
            JOIN main.dim_reports r ON r.report_key = p.report_key
            GROUP BY ALL
            """
        )
        departments = _order_by_total(rows)
        index = {code: i for i, (code, _) in enumerate(sources)}
        values = {d: [0.0] * len(sources) for d in departments}
        for department, source, amount in rows:
            if source in index:
                values[department][index[source]] += float(amount or 0)
        series = [Series(name, PALETTE[i % len(PALETTE)]) for i, (_, name) in enumerate(sources)]
        # The note shows the project total, which is what the report prints as 总计.
        totals = dict(
            cat.rows(
                f"""SELECT {dept}, sum(p.total_amount) FROM main.fct_project_funding p
                JOIN main.dim_reports r ON r.report_key = p.report_key GROUP BY ALL"""
            )
        )
        notes = [_amount(totals.get(d)) for d in departments]
        chart_values = [values[d] for d in departments]
    else:
        rows = cat.rows(
            f"""SELECT {dept}, sum(p.total_amount) FROM main.fct_project_funding p
                JOIN main.dim_reports r ON r.report_key = p.report_key
                WHERE p.total_amount IS NOT NULL GROUP BY ALL"""
        )
        departments = [d for d, _ in sorted(rows, key=lambda r: (-(r[1] or 0), r[0]))]
        totals = dict(rows)
        series = [Series("总计", PALETTE[0])]
        chart_values = [[float(totals[d] or 0)] for d in departments]
        notes = [_amount(totals[d]) for d in departments]
    if not departments:
        return Section("funding-department", title, _no_rows("No project with amounts is published."))
    chart = stacked_bar_chart(departments, series, chart_values, value_format=_amount, row_notes=notes, title=title)
    note = "" if by_source else '<p class="na">Split by fund source not available (fct_funding_by_source missing).</p>'
    return Section("funding-department", title, chart + note + _reports_without_amounts(cat, dept))


def _reports_without_amounts(cat: _Catalog, dept: str) -> str:
    """Departments whose reports print no amounts at all (e.g. the 主管部门/预算单位 layout)."""
    names = [
        n
        for (n,) in cat.rows(
            f"""SELECT DISTINCT {dept} FROM main.dim_reports r
            WHERE NOT EXISTS (SELECT 1 FROM main.fct_project_funding p
                              WHERE p.report_key = r.report_key AND p.total_amount IS NOT NULL)
            ORDER BY 1"""
        )
    ]
    if not names:
        return ""
    return f"<p>Reports without amounts, not in the chart: {_e('、'.join(names))}.</p>"


def section_funding_by_source(cat: _Catalog) -> Section:
    title = "Funding by fund source (万元)"
    if missing := cat.missing({"fct_funding_by_source": ["fund_source", "amount"]}):
        return Section("funding-source", title, _not_available(missing))
    amounts = dict(cat.rows("SELECT fund_source, sum(amount) FROM main.fct_funding_by_source GROUP BY ALL"))
    sources = [(code, name) for code, name in _fund_sources(cat) if code in amounts]
    if not sources:
        return Section("funding-source", title, _no_rows("No funding is published."))
    grand = sum(float(a or 0) for a in amounts.values())
    labels = [name for _, name in sources]
    values = [
        [float(amounts[code] or 0) if j == i else 0.0 for j in range(len(sources))]
        for i, (code, _) in enumerate(sources)
    ]
    series = [Series(name, PALETTE[i % len(PALETTE)]) for i, (_, name) in enumerate(sources)]
    notes = [
        f"{_amount(amounts[code])} ({float(amounts[code] or 0) / grand:.1%})" if grand else _amount(amounts[code])
        for code, _ in sources
    ]
    chart = stacked_bar_chart(labels, series, values, value_format=_amount, row_notes=notes, title=title, legend=False)
    return Section("funding-source", title, chart)


def section_indicator_mix(cat: _Catalog) -> Section:
    title = "Indicator category mix (level 1)"
    need = {
        "fct_performance_indicators": ["report_key", "level1_code"],
        "dim_reports": ["report_key", "department_name"],
    }
    if missing := cat.missing(need):
        return Section("indicator-mix", title, _not_available(missing))
    names = _level1_names(cat)
    dept = _department_label_sql(cat)
    rows = cat.rows(
        f"""SELECT {dept}, i.level1_code, count(*) FROM main.fct_performance_indicators i
            JOIN main.dim_reports r ON r.report_key = i.report_key GROUP BY ALL"""
    )
    if not rows:
        return Section("indicator-mix", title, _no_rows("No indicator is published."))
    codes = sorted({c for _, c, _ in rows if c is not None and c in names}, key=_code_order)
    codes += sorted({c for _, c, _ in rows if c is not None and c not in names}, key=_code_order)
    has_unclassified = any(c is None for _, c, _ in rows)
    series = [Series(names.get(c, f"code {c}"), PALETTE[i % len(PALETTE)]) for i, c in enumerate(codes)]
    if has_unclassified:
        series.append(Series("unclassified", UNCLASSIFIED_COLOR))
    keys = codes + ([None] if has_unclassified else [])
    counts: dict[str, list[float]] = {}
    for department, code, n in rows:
        counts.setdefault(department, [0.0] * len(keys))[keys.index(code)] += n
    overall = [sum(counts[d][k] for d in counts) for k in range(len(keys))]
    departments = sorted(counts, key=lambda d: (-sum(counts[d]), d))
    labels = ["All departments"] + departments
    values = [overall] + [counts[d] for d in departments]
    notes = [f"n = {int(sum(v)):,}" for v in values]
    chart = stacked_bar_chart(
        labels, series, values, value_format=lambda v: f"{int(v):,}", normalize=True, row_notes=notes, title=title
    )
    summary = _html_table(
        ["category", "indicators", "share"],
        [(s.name, f"{int(n):,}", f"{n / sum(overall):.1%}") for s, n in zip(series, overall, strict=False)],
    )
    return Section("indicator-mix", title, chart + summary)


def section_quantified_share(cat: _Catalog) -> Section:
    title = "Share of quantified indicators per department"
    flag = next(
        (c for c in ("is_quantified", "annual_is_quantitative") if cat.has("fct_performance_indicators", c)), None
    )
    need = {
        "fct_performance_indicators": ["report_key", flag or "is_quantified"],
        "dim_reports": ["report_key", "department_name"],
    }
    if missing := cat.missing(need):
        return Section("quantified", title, _not_available(missing))
    dept = _department_label_sql(cat)
    rows = cat.rows(
        f"""SELECT {dept}, count(*) FILTER (WHERE i.{flag}), count(*) FROM main.fct_performance_indicators i
            JOIN main.dim_reports r ON r.report_key = i.report_key GROUP BY ALL ORDER BY 1"""
    )
    if not rows:
        return Section("quantified", title, _no_rows("No indicator is published."))
    rows.sort(key=lambda r: (-(r[1] / r[2]), r[0]))
    series = [Series("quantified", PALETTE[2]), Series("not quantified", UNCLASSIFIED_COLOR)]
    values = [[float(q), float(n - q)] for _, q, n in rows]
    notes = [f"{q / n:.0%} ({q:,} of {n:,})" for _, q, n in rows]
    explanation = (
        "<p>An indicator counts as quantified when its target is a number, a range or a "
        f"comparison with a unit (column <code>{_e(flag)}</code>), not prose such as 良好 or a scoring rule.</p>"
    )
    chart = stacked_bar_chart(
        [r[0] for r in rows],
        series,
        values,
        value_format=lambda v: f"{int(v):,}",
        normalize=True,
        row_notes=notes,
        title=title,
    )
    return Section("quantified", title, explanation + chart)


def section_reconciliation(cat: _Catalog) -> Section:
    title = "Reconciliation issues (outside tolerance)"
    table = cat.find("reconciliation")
    if table is None or not cat.has(table, "is_within_tolerance"):
        return Section(
            "reconciliation",
            title,
            _not_available([table + ".is_within_tolerance" if table else "a reconciliation mart"]),
        )
    checked, outside = cat.rows(
        f"SELECT count(*), count(*) FILTER (WHERE NOT is_within_tolerance) FROM main.{_q(table)}"
    )[0]
    # Surrogate keys mean nothing to a reader: each *_key column is shown as the name it stands for.
    shown = [c for c in cat.columns[table] if not c.endswith("_key") and c != "is_within_tolerance"]
    names, joins, headers = [], [], []
    for i, (key, (dim, name)) in enumerate(KEY_NAMES.items()):
        if cat.has(table, key) and cat.has(dim, key, name):
            joins.append(f"LEFT JOIN (SELECT DISTINCT {key}, {name} FROM main.{dim}) k{i} ON k{i}.{key} = t.{key}")
            names.append(f"k{i}.{name}")
            headers.append(name)
    select = names + [f"t.{_q(c)}" for c in shown]
    sql = (
        f"SELECT {', '.join(select)} FROM main.{_q(table)} t {' '.join(joins)} "
        f"WHERE NOT t.is_within_tolerance ORDER BY ALL LIMIT {MAX_TABLE_ROWS}"
    )
    rows = cat.rows(sql)
    head = f"<p>{outside:,} of {checked:,} checks in <code>{_e(table)}</code> fall outside the tolerance.</p>"
    if not rows:
        return Section("reconciliation", title, head)
    more = f"<p>Showing the first {MAX_TABLE_ROWS:,}.</p>" if outside > MAX_TABLE_ROWS else ""
    return Section("reconciliation", title, head + _html_table(headers + shown, rows) + more)


def section_quarantine(cat: _Catalog) -> Section:
    title = "Quarantined files"
    if missing := cat.missing({"quarantined_reports": ["source_file", "reason"]}):
        return Section("quarantine", title, _not_available(missing))
    cols = [c for c in ("source_file", "reason", "quarantined_at") if cat.has("quarantined_reports", c)]
    rows = cat.rows(f"SELECT {', '.join(cols)} FROM main.quarantined_reports ORDER BY source_file")
    if not rows:
        return Section("quarantine", title, _no_rows("No file was quarantined: every file in the inbox was published."))
    lead = f"<p>{len(rows):,} {'file was' if len(rows) == 1 else 'files were'} not published, with the reason:</p>"
    return Section("quarantine", title, lead + _html_table(cols, rows))


# Lookups -----------------------------------------------------------------------------------------

# What a reader recognises a surrogate key by: key column -> (table, name column).
KEY_NAMES = {
    "report_key": ("dim_reports", "source_file"),
    "department_key": ("dim_departments", "department_name"),
    "budget_unit_key": ("dim_budget_units", "budget_unit_name"),
    "project_key": ("fct_project_funding", "project_name"),
}
FUND_SOURCE_FALLBACK = {"fiscal": "财政拨款", "special_account": "财政专户拨款", "other": "其他资金"}


def _fund_sources(cat: _Catalog) -> list[tuple[str, str]]:
    """(code, display name) in display order; codes found only in the facts come last."""
    known: list[tuple[str, str]] = []
    if cat.has("dim_fund_sources", "fund_source", "fund_source_name"):
        order = "display_order, fund_source" if cat.has("dim_fund_sources", "display_order") else "fund_source"
        known = [
            (c, n or c)
            for c, n in cat.rows(f"SELECT fund_source, fund_source_name FROM main.dim_fund_sources ORDER BY {order}")
        ]
    else:
        known = list(FUND_SOURCE_FALLBACK.items())
    seen = {c for c, _ in known}
    extra = []
    if cat.has("fct_funding_by_source", "fund_source"):
        extra = [
            (c, c)
            for (c,) in cat.rows("SELECT DISTINCT fund_source FROM main.fct_funding_by_source ORDER BY 1")
            if c is not None and c not in seen
        ]
    return known + extra


def _level1_names(cat: _Catalog) -> dict[str, str]:
    if cat.has("dim_indicator_categories", "category_code", "category_name", "category_level"):
        return dict(
            cat.rows("SELECT category_code, category_name FROM main.dim_indicator_categories WHERE category_level = 1")
        )
    if cat.has("fct_performance_indicators", "level1_code", "level1_name"):
        return dict(
            cat.rows("""SELECT level1_code, any_value(level1_name) FROM main.fct_performance_indicators
                                WHERE level1_code IS NOT NULL AND level1_name IS NOT NULL GROUP BY ALL""")
        )
    return {}


def _code_order(code: str) -> tuple:
    return (0, int(code), code) if code.isdigit() else (1, 0, code)


def _order_by_total(rows: list[tuple]) -> list[str]:
    """Labels of (label, series, amount) rows, largest total first."""
    totals: dict[str, float] = {}
    for department, _, amount in rows:
        totals[department] = totals.get(department, 0.0) + float(amount or 0)
    return sorted(totals, key=lambda d: (-totals[d], d))


# HTML --------------------------------------------------------------------------------------------


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=False)


def _a(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _amount(value) -> str:
    if value is None:
        return "—"
    return f"{Decimal(str(value)):,.2f}"


def _cell(value) -> str:
    if value is None:
        return '<td class="null">—</td>'
    if isinstance(value, bool):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, Decimal):
        return f'<td class="num">{value:,.2f}</td>'
    if isinstance(value, int):
        return f'<td class="num">{value}</td>'  # years, pages, row numbers: no digit grouping
    if isinstance(value, float):
        return f'<td class="num">{value:,.2f}</td>'
    if isinstance(value, datetime):
        return f"<td>{_e(value.isoformat(sep=' ', timespec='seconds'))}</td>"
    return f"<td>{_e(value)}</td>"


def _html_table(columns: Sequence[str], rows: Sequence[Sequence]) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


CSS = f"""
:root {{ color-scheme: light; }}
body {{ font-family: {FONT_STACK}; margin: 0 auto; max-width: 980px; padding: 24px; color: #1a1a1a;
       background: #ffffff; line-height: 1.5; }}
h1 {{ font-size: 1.6em; margin: 0 0 4px; }}
h2 {{ font-size: 1.2em; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #ddd; }}
h3 {{ font-size: 1em; margin: 16px 0 6px; }}
nav a {{ margin-right: 14px; color: #0060a0; }}
.subtitle {{ color: #555; margin: 0 0 16px; }}
dl.facts {{ display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 8px 0; }}
dl.facts dt {{ font-size: 0.8em; color: #666; }}
dl.facts dd {{ margin: 0; font-weight: 600; }}
svg.chart {{ display: block; max-width: 100%; height: auto; margin: 8px 0; font-family: {FONT_STACK}; }}
svg .label, svg .value, svg .legend {{ font-size: 13px; fill: #222; }}
svg .inbar {{ font-size: 11px; }}
.scroll {{ overflow-x: auto; }}
table {{ border-collapse: collapse; font-size: 0.88em; margin: 8px 0; }}
th, td {{ border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }}
th {{ background: #f3f3f3; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
td.null {{ color: #999; }}
p.na {{ color: #8a5a00; background: #fff6e0; padding: 6px 10px; border-left: 3px solid #e0a000; }}
p.empty {{ color: #555; font-style: italic; }}
footer {{ margin-top: 40px; color: #777; font-size: 0.8em; }}
@media print {{ nav {{ display: none; }} h2 {{ break-after: avoid; }} svg.chart, table {{ break-inside: avoid; }} }}
"""


def build_html(sections: Sequence[Section], *, warehouse_name: str, meta: dict[str, str], generated_at: str) -> str:
    nav = "".join(f'<a href="#{s.anchor}">{_e(s.title)}</a>' for s in sections)
    body = "".join(f'<section id="{s.anchor}"><h2>{_e(s.title)}</h2>{s.body}</section>' for s in sections)
    subtitle = f"{_e(warehouse_name)} · refreshed {_e(meta.get('refreshed_at', 'unknown'))} · run {_e(meta.get('run_id', 'unknown'))}"
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>项目支出绩效目标 · budget warehouse report</title><style>{CSS}</style></head><body>"
        f'<header><h1>项目支出绩效目标表 · Budget warehouse report</h1><p class="subtitle">{subtitle}</p>'
        f"<nav>{nav}</nav></header>{body}"
        f"<footer>Generated {_e(generated_at)} by budget-etl from {_e(warehouse_name)}. Amounts in 万元 (10,000 CNY) "
        "as printed in the reports.</footer></body></html>\n"
    )


def render_report(warehouse: Path, out: Path) -> Path:
    """Write the report of the warehouse (opened read-only) to out, atomically; returns out."""
    warehouse, out = Path(warehouse), Path(out)
    con = connect_read_only(warehouse)
    try:
        cat = _Catalog(con)
        meta = read_meta(con)
        sections = [
            section_overview(cat, meta),
            section_funding_by_department(cat),
            section_funding_by_source(cat),
            section_indicator_mix(cat),
            section_quantified_share(cat),
            section_reconciliation(cat),
            section_quarantine(cat),
        ]
    finally:
        con.close()
    generated_at = datetime.now(UTC).isoformat(timespec="seconds")
    document = build_html(sections, warehouse_name=warehouse.name, meta=meta, generated_at=generated_at)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target then renamed: a browser or a mail job never picks up half a file.
    atomic.write_text(out, document)
    return out
