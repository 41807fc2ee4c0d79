"""Inline SVG bar charts drawn in Python: the report needs no script, no library and no network.

Every segment is a <rect class="mark"> carrying data-label/data-series/data-value and a <title>
tooltip, so a chart can be checked in a DOM and read by screen readers.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from budget_etl.html_report.markup import attribute, text

FONT_PX = 13
ROW_PX = 26
BAR_PX = 18
CHART_WIDTH = 920
# Colour-blind-safe palette (Okabe-Ito), in a fixed order so a category keeps its colour.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
UNCLASSIFIED_COLOR = "#BBBBBB"


@dataclass(frozen=True)
class Series:
    name: str
    color: str


def series_colors(names: Sequence[str]) -> list[Series]:
    return [Series(name, PALETTE[i % len(PALETTE)]) for i, name in enumerate(names)]


def text_width(label: str, font_px: float = FONT_PX) -> float:
    """Estimated rendered width: wide (CJK) characters are 1em, others about 0.6em."""
    return sum(font_px if unicodedata.east_asian_width(ch) in ("W", "F") else font_px * 0.6 for ch in label)


def _text_color_on(background: str) -> str:
    """Black or white, whichever is more legible on a #rrggbb background (WCAG relative luminance)."""
    channels = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#111111" if luminance > 0.35 else "#ffffff"


def _truncate(label: str, max_px: float) -> str:
    if text_width(label) <= max_px:
        return label
    while label and text_width(label + "…") > max_px:
        label = label[:-1]
    return label + "…"


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
    """Horizontal bars, one per label, stacked by series. normalize: each bar shows shares of 100 %."""
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
        f'height="{height}" aria-label="{attribute(title)}"><title>{text(title)}</title>'
    ]
    if legend_px:
        x = label_px
        for s in series:
            parts.append(
                f'<rect x="{x}" y="6" width="12" height="12" fill="{s.color}"/>'
                f'<text x="{x + 17}" y="16.5" class="legend">{text(s.name)}</text>'
            )
            x += 17 + text_width(s.name) + 22
    for i, (label, row, total, note) in enumerate(zip(labels, values, totals, notes, strict=False)):
        y = legend_px + i * ROW_PX
        bar_y = y + (ROW_PX - BAR_PX) / 2
        parts.append(
            f'<text x="{label_px - 8}" y="{y + ROW_PX / 2 + 4.5}" text-anchor="end" class="label">'
            f"<title>{text(label)}</title>{text(_truncate(label, label_px - 12))}</text>"
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
                f'fill="{s.color}" data-label="{attribute(label)}" data-series="{attribute(s.name)}" data-value="{value}">'
                f"<title>{text(label)} · {text(s.name)}: {text(shown)}</title></rect>"
            )
            if normalize and width > text_width(shown, 11) + 6:
                parts.append(
                    f'<text x="{x + width / 2:.2f}" y="{bar_y + BAR_PX / 2 + 4}" text-anchor="middle" '
                    f'class="inbar" fill="{_text_color_on(s.color)}">{text(shown)}</text>'
                )
            x += width
        parts.append(f'<text x="{x + 6:.2f}" y="{y + ROW_PX / 2 + 4.5}" class="value">{text(note)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _wrapped_legend(series: Sequence[Series], start_px: float) -> tuple[str, int]:
    """The legend from start_px, going on in a new line where a name would pass the chart's right edge;
    returns the markup and its height."""
    parts, x, y = [], start_px, 6
    for s in series:
        width = 17 + text_width(s.name) + 22
        if x > start_px and x + width - 22 > CHART_WIDTH:
            x, y = start_px, y + 20
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="12" height="12" fill="{s.color}"/>'
            f'<text x="{x + 17:.1f}" y="{y + 10.5}" class="legend">{text(s.name)}</text>'
        )
        x += width
    return "".join(parts), y + 22


def diverging_bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    values: Sequence[Sequence[float]],
    *,
    value_format: Callable[[float], str],
    row_notes: Sequence[str],
    title: str,
) -> str:
    """Horizontal bars around a zero line, one per label: each series' positive value is drawn to the
    right of zero, its negative value to the left, so gains and losses read apart at a glance."""
    label_px = min(max((text_width(label) for label in labels), default=0) + 12, 340)
    note_px = max((text_width(n) for n in row_notes), default=0) + 12
    plot_px = max(CHART_WIDTH - label_px - note_px, 200)
    left = max((sum(-v for v in row if v < 0) for row in values), default=0)
    right = max((sum(v for v in row if v > 0) for row in values), default=0)
    scale = plot_px / ((left + right) or 1.0)
    zero = label_px + left * scale
    legend, legend_px = _wrapped_legend(series, label_px)
    height = legend_px + ROW_PX * len(labels) + 8
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" '
        f'height="{height}" aria-label="{attribute(title)}"><title>{text(title)}</title>',
        legend,
    ]
    for i, (label, row, note) in enumerate(zip(labels, values, row_notes, strict=True)):
        y = legend_px + i * ROW_PX
        bar_y = y + (ROW_PX - BAR_PX) / 2
        parts.append(
            f'<text x="{label_px - 8}" y="{y + ROW_PX / 2 + 4.5}" text-anchor="end" class="label">'
            f"<title>{text(label)}</title>{text(_truncate(label, label_px - 12))}</text>"
        )
        gain, loss = zero, zero
        for s, value in zip(series, row, strict=True):
            if value == 0:
                continue
            width = abs(value) * scale
            if value > 0:
                x, gain = gain, gain + width
            else:
                loss -= width
                x = loss
            parts.append(
                f'<rect class="mark" x="{x:.2f}" y="{bar_y:.2f}" width="{max(width, 0.5):.2f}" height="{BAR_PX}" '
                f'fill="{s.color}" data-label="{attribute(label)}" data-series="{attribute(s.name)}" data-value="{value}">'
                f"<title>{text(label)} · {text(s.name)}: {text(value_format(value))}</title></rect>"
            )
        parts.append(f'<text x="{gain + 6:.2f}" y="{y + ROW_PX / 2 + 4.5}" class="value">{text(note)}</text>')
    axis_bottom = legend_px + ROW_PX * len(labels)
    parts.append(f'<line x1="{zero:.2f}" y1="{legend_px}" x2="{zero:.2f}" y2="{axis_bottom}" stroke="#333"/>')
    parts.append("</svg>")
    return "".join(parts)
