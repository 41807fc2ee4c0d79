"""GX Data Docs of one gate run, made readable offline.

GX's pages load Bootstrap, jQuery, Font Awesome and Vega from CDNs and its index page is drawn
entirely by jQuery. The warehouse is audited on machines without internet access, so after GX
renders the pages every external asset reference is removed, a small inline stylesheet replaces
the CDN ones, and the index is rewritten as a static page linking GX's validation and suite pages.
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from expectations.context import DATA_DOCS_SITE

# Everything GX's SiteBuilder writes at the top of a site; cleared first so that pages of an
# earlier run in the same directory do not linger unlinked.
_GX_ENTRIES = ("index.html", "validations", "expectations", "static")

_EXTERNAL_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.I)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.I | re.S)
_EXTERNAL_IMG_SRC = re.compile(r"(<img\b[^>]*\bsrc\s*=\s*[\"'])(?:https?:)?//[^\"']*([\"'])", re.I)
_EXTERNAL_CSS_URL = re.compile(r"url\(\s*[\"']?(?:https?:)?//[^)]*\)", re.I)
_FOOTER = re.compile(r"<footer\b.*?</footer\s*>", re.I | re.S)
_FORM = re.compile(r"<form\b[^>]*\baction\s*=\s*[\"']?(?:https?:)?//.*?</form\s*>", re.I | re.S)

OFFLINE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;margin:1.5em;color:#222;line-height:1.4}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.25em .5em;vertical-align:top;text-align:left}
th{background:#f3f3f3}code,pre{background:#f6f6f6;padding:0 .2em}
.text-danger,.failed{color:#b00020}.text-success,.passed{color:#1b7f3b}.skipped{color:#8a6d00}
.fa-check-circle::before,.fa-check::before{content:"\\2714"}.fa-times::before,.fa-times-circle::before{content:"\\2718"}
.navbar img{height:32px!important}.nav-tabs,.tab-content{list-style:none;padding-left:0}
""".strip()


@dataclass
class DocsRow:
    """One validation of the run, as listed on the index page."""

    suite: str
    frame: str
    rows: int
    evaluated: int
    failed: int
    success: bool


def make_offline(page: str, depth: int) -> str:
    """Strip external asset references from one GX page ``depth`` directories below the site root."""
    logo = "../" * depth + "static/images/logo-long.png"
    page = _SCRIPT.sub("", page)
    page = _EXTERNAL_LINK.sub("", page)
    page = _EXTERNAL_IMG_SRC.sub(lambda m: f"{m.group(1)}{logo}{m.group(2)}", page)
    page = _EXTERNAL_CSS_URL.sub("none", page)
    page = _FORM.sub("", page)
    page = _FOOTER.sub("", page)
    return page.replace("</head>", f"<style>{OFFLINE_CSS}</style>\n</head>", 1)


def _page_of(docs_dir: Path, suite: str, asset: str) -> Path | None:
    """The validation page GX wrote for ``suite`` on data asset ``asset`` (one per run)."""
    pages = sorted((docs_dir / "validations" / suite).rglob(f"*-{asset}.html"))
    return pages[-1] if pages else None


def build(
    context: Any, docs_dir: Path, rows: list[DocsRow], failures: list[str], *, title: str, notes: dict[str, str]
) -> Path:
    """Render the run's Data Docs into ``docs_dir``; returns the offline index page."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    for entry in _GX_ENTRIES:
        path = docs_dir / entry
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    context.build_data_docs(site_names=[DATA_DOCS_SITE])
    for page in docs_dir.rglob("*.html"):
        depth = len(page.relative_to(docs_dir).parts) - 1
        page.write_text(make_offline(page.read_text(encoding="utf-8"), depth), encoding="utf-8")
    index = docs_dir / "index.html"
    index.write_text(_index_page(docs_dir, rows, failures, title=title, notes=notes), encoding="utf-8")
    return index


def _index_page(docs_dir: Path, rows: list[DocsRow], failures: list[str], *, title: str, notes: dict[str, str]) -> str:
    esc = html.escape
    passed = all(r.success for r in rows) and not failures
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="UTF-8">',
        f"<title>{esc(title)}</title><style>{OFFLINE_CSS}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="{"passed" if passed else "failed"}"><strong>{"PASSED" if passed else "FAILED"}</strong>'
        f" &mdash; {len(failures)} failure(s)</p>",
    ]
    if failures:
        lines.append("<h2>Failures</h2><ol>")
        lines += [f"<li>{esc(f)}</li>" for f in failures]
        lines.append("</ol>")
    lines.append(
        "<h2>Validations</h2><table><tr><th>Suite</th><th>Frame</th><th>Rows</th>"
        "<th>Expectations</th><th>Failed</th><th>Status</th><th>Pages</th></tr>"
    )
    for r in rows:
        page = _page_of(docs_dir, r.suite, r.frame)
        links = []
        if page is not None:
            links.append(f'<a href="{esc(page.relative_to(docs_dir).as_posix())}">results</a>')
        suite_page = docs_dir / "expectations" / f"{r.suite}.html"
        if suite_page.exists():
            links.append(f'<a href="expectations/{esc(r.suite)}.html">suite</a>')
        status = "passed" if r.success else "failed"
        lines.append(
            f"<tr><td>{esc(r.suite)}</td><td>{esc(r.frame)}</td><td>{r.rows}</td><td>{r.evaluated}</td>"
            f'<td>{r.failed}</td><td class="{status}">{status}</td><td>{" ".join(links)}</td></tr>'
        )
    lines.append("</table>")
    if notes:
        lines.append("<h2>Not validated</h2><ul>")
        lines += [f'<li class="skipped">{esc(k)}: {esc(v)}</li>' for k, v in notes.items()]
        lines.append("</ul>")
    lines.append("</body></html>")
    return "\n".join(lines) + "\n"
