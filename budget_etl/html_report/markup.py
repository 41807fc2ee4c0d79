"""HTML fragments of the report: escaping, amounts as the reports print them, and tables."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from budget_etl.i18n import t


def text(value) -> str:
    """Escaped element content."""
    return html.escape("" if value is None else str(value), quote=False)


def attribute(value) -> str:
    """Escaped attribute value."""
    return html.escape("" if value is None else str(value), quote=True)


def amount(value) -> str:
    """万元 with two decimals and digit grouping, as in the reports; — for none."""
    if value is None:
        return "—"
    return f"{Decimal(str(value)):,.2f}"


def printed_amount(printed, computed) -> str:
    """The figure the document prints (合计), and the sum of its rows beside it where they differ.

    Without a printed figure (a layout that prints none) the computed sum is shown, and said so.
    """
    if printed is None:
        return "—" if computed is None else t("amount.none_printed", computed=amount(computed))
    if computed is None or Decimal(str(printed)) == Decimal(str(computed)):
        return amount(printed)
    return t("amount.projects_sum", printed=amount(printed), computed=amount(computed))


def _cell(value) -> str:
    if value is None:
        return '<td class="null">—</td>'
    if isinstance(value, bool):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, Decimal | float):
        return f'<td class="num">{value:,.2f}</td>'
    if isinstance(value, int):
        return f'<td class="num">{value}</td>'  # years, pages, row numbers: no digit grouping
    if isinstance(value, datetime):
        return f"<td>{text(value.isoformat(sep=' ', timespec='seconds'))}</td>"
    return f"<td>{text(value)}</td>"


def html_table(columns: Sequence[str], rows: Sequence[Sequence]) -> str:
    head = "".join(f"<th>{text(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def paragraph(content: str, css_class: str = "") -> str:
    """A <p> of escaped text."""
    return f'<p class="{css_class}">{text(content)}</p>' if css_class else f"<p>{text(content)}</p>"
