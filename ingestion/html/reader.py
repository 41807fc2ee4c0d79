"""Read a web page into grid tables, one per ``<table>``, and the report from them.

The page is parsed by lxml's HTML parser (forgiving of the markup sites publish), after decoding
(``charset``). Every table of the page is a candidate, in document order: navigation, layout and
other statements' tables are passed over by ``ingestion.grid.reader`` because their rows head no
target table. A table nested in another's cell is a table of its own; the outer cell's text leaves
it out. rowspan/colspan carry the cell's value over its whole span. A cell's text is what a browser
shows: entities decoded, ``<br>`` and block elements (p, div, li) as line breaks, runs of spaces
(including &nbsp;) as one space. The text before a table since the previous one (its title,
"部门名称：", "单位：万元"; last lines only, so a site's navigation stays out) is the text above it.

Lineage: ``source_page`` is the table's position in the page (1-based), ``source_row`` its row
(``<tr>``) in the table, ``source_part`` "table N".
"""

from __future__ import annotations

import re
from pathlib import Path

from ingestion.grid.reader import read_grid_report
from ingestion.grid.table import GridBuilder, GridTable
from ingestion.html.charset import decode_page
from ingestion.model import ParsedReport, ReportRejected

_BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "section", "dd", "dt"}
_SKIPPED = {"script", "style", "head", "noscript", "template"}
_SPACES = re.compile(r"[ \t\r\n\f\u00a0\u3000]+")
_ABOVE_LINES = 6  # lines of text before a table that may hold its title, department and unit
_MAX_SPAN = 1000


def _text_parts(element, out: list[str]) -> None:
    """Append the text a browser shows for ``element`` (nested tables left out), "\\n" at line breaks."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIPPED:
        out.append(element.tail or "")
        return
    if tag == "br" or tag == "table":
        out.append("\n")
    else:
        if tag in _BLOCKS:
            out.append("\n")
        out.append(element.text or "")
        for child in element:
            _text_parts(child, out)
        if tag in _BLOCKS:
            out.append("\n")
    out.append(element.tail or "")


def shown_text(element) -> str:
    parts: list[str] = [element.text or ""]
    for child in element:
        _text_parts(child, parts)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _span(cell, name: str) -> int:
    try:
        return max(1, min(int(str(cell.get(name, "1")).strip() or 1), _MAX_SPAN))
    except ValueError:
        return 1


def _own_rows(table) -> list:
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _grid(table, index: int, above: list[str]) -> GridTable:
    builder = GridBuilder()
    rows = _own_rows(table)
    for r, tr in enumerate(rows):
        column = 0
        for cell in tr.xpath("./td | ./th"):
            column = builder.free_column(r, column)
            rowspan = min(_span(cell, "rowspan"), len(rows) - r)
            colspan = _span(cell, "colspan")
            builder.put(r, column, shown_text(cell), rowspan, colspan)
            column += colspan
    return GridTable(
        f"table {index}", index, builder.rows(len(rows)), list(range(1, len(rows) + 1)), builder.spanned, above
    )


def _lines_before(tables) -> list[list[str]]:
    """For each table, the last lines of text shown between the previous table and it."""
    tables_set = set(tables)
    result, lines, current = [], [], []

    def flush() -> None:
        text = _SPACES.sub(" ", "".join(current)).strip()
        if text:
            lines.append(text)
        current.clear()

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if element in tables_set:
            flush()
            result.append(lines[-_ABOVE_LINES:])
            lines.clear()
            for inner in element.iter("table"):
                if inner is not element and inner in tables_set:
                    result.append([])
            current.append(element.tail or "")
            return
        if tag in _SKIPPED:
            current.append(element.tail or "")
            return
        if tag in _BLOCKS or tag == "br":
            flush()
        current.append(element.text or "")
        for child in element:
            walk(child)
        if tag in _BLOCKS:
            flush()
        current.append(element.tail or "")

    walk(tables[0].getroottree().getroot())
    return result


def page_tables(data: bytes) -> list[GridTable]:
    import lxml.html
    from lxml.etree import ParserError

    text, _ = decode_page(data)
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses a str with an encoding declaration
    try:
        root = lxml.html.document_fromstring(text)
    except (ParserError, ValueError) as exc:
        raise ReportRejected(f"unreadable web page ({exc})") from None
    tables = list(root.iter("table"))
    if not tables:
        return []
    aboves = _lines_before(tables)
    return [_grid(t, i, above) for i, (t, above) in enumerate(zip(tables, aboves, strict=True), start=1)]


def read_html_report(path: Path, *, source_file: str, file_sha256: str) -> ParsedReport:
    tables = page_tables(path.read_bytes())
    if not tables:
        raise ReportRejected("web page without any table: no 项目支出绩效目标表 found")
    parts = [t.part for t in tables]
    return read_grid_report(
        tables,
        parts=parts,
        layout="html",
        source_file=source_file,
        file_sha256=file_sha256,
        headerless_continuation=True,
    )
