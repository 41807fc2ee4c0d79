"""The page shell: head, styles (with the embedded font), navigation, sections and footer."""

from __future__ import annotations

from collections.abc import Sequence

from budget_etl.html_report.embedded_font import FAMILY, font_face_css
from budget_etl.html_report.markup import text
from budget_etl.html_report.sections import Section
from budget_etl.i18n import HTML_LANG, language, t

# The embedded subset first: it holds every character of the page; then each platform's usual
# CJK font, for text a reader pastes or an editor adds.
FONT_STACK = (
    f'"{FAMILY}", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "PingFang SC", '
    '"Hiragino Sans GB", "Microsoft YaHei", "SimHei", system-ui, sans-serif'
)

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
p.empty {{ color: #555; font-style: italic; }}
footer {{ margin-top: 40px; color: #777; font-size: 0.8em; }}
@media print {{ nav {{ display: none; }} h2 {{ break-after: avoid; }} svg.chart, table {{ break-inside: avoid; }} }}
"""


def build_html(sections: Sequence[Section], *, warehouse_name: str, meta: dict[str, str], generated_at: str) -> str:
    nav = "".join(f'<a href="#{s.anchor}">{text(s.title)}</a>' for s in sections)
    body = "".join(f'<section id="{s.anchor}"><h2>{text(s.title)}</h2>{s.body}</section>' for s in sections)
    subtitle = text(
        t(
            "html.subtitle",
            name=warehouse_name,
            refreshed_at=meta.get("refreshed_at", t("unknown")),
            run_id=meta.get("run_id", t("unknown")),
        )
    )
    title = t("html.title")
    content = (
        f'<header><h1>{text(t("html.heading"))}</h1><p class="subtitle">{subtitle}</p>'
        f"<nav>{nav}</nav></header>{body}"
        f"<footer>{text(t('html.footer', generated_at=generated_at, name=warehouse_name))}</footer>"
    )
    # The font holds exactly the characters of the page (its text and the tooltips alike).
    font = font_face_css(title + content + "…—·")
    return (
        f'<!DOCTYPE html>\n<html lang="{HTML_LANG[language()]}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{text(title)}</title><style>{font}{CSS}</style></head><body>{content}</body></html>\n"
    )
