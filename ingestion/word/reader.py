"""Read a Word document (.docx) into grid tables, one per Word table, and the report from them.

Only real Word tables are read (python-docx): a table drawn with tabs and spaces, or pasted as an
image, is not one, and the document is refused as holding no target table. Merged cells
(gridSpan across, vMerge down) carry their value over their whole range, as python-docx returns
the merged cell at every grid position it covers. The paragraphs between the previous table and
a table are the text above it (title, "部门名称：", "单位：万元"). A table nested in a cell is not
searched. Word 97-2003 documents (.doc) are refused by the inbox (``ingestion.sniff``).

Lineage: ``source_page`` is the table's position in the document (1-based), ``source_row`` its
row in the table, ``source_part`` "table N".
"""

from __future__ import annotations

from pathlib import Path

from ingestion.grid.reader import read_grid_report
from ingestion.grid.table import GridTable
from ingestion.model import ParsedReport, ReportRejected

_ABOVE_LINES = 6


def _cell_text(cell) -> str:
    return "\n".join(p.text.strip() for p in cell.paragraphs if p.text.strip())


def _grid(table, index: int, above: list[str]) -> GridTable:
    rows: list[list[str]] = []
    spanned: set[tuple[int, int]] = set()
    origins: list[list[object]] = []
    for r, row in enumerate(table.rows):
        cells = list(row.cells)
        origins.append([c._tc for c in cells])
        texts = []
        for c, cell in enumerate(cells):
            if (c and origins[r][c - 1] is cell._tc) or (
                r and c < len(origins[r - 1]) and origins[r - 1][c] is cell._tc
            ):
                spanned.add((r, c))
            texts.append(_cell_text(cell))
        rows.append(texts)
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    return GridTable(f"table {index}", index, rows, list(range(1, len(rows) + 1)), spanned, above)


def document_tables(path: Path) -> list[GridTable]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many types on damaged parts (zip, XML, relationships)
        raise ReportRejected(f"unreadable .docx document ({type(exc).__name__}: {exc})") from None
    tables, lines = [], []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():
                lines.append(block.text.strip())
        elif isinstance(block, Table):
            tables.append(_grid(block, len(tables) + 1, lines[-_ABOVE_LINES:]))
            lines = []
    return tables


def read_docx_report(path: Path, *, source_file: str, file_sha256: str) -> ParsedReport:
    tables = document_tables(path)
    if not tables:
        raise ReportRejected("Word document without any Word table: no 项目支出绩效目标表 found")
    parts = [t.part for t in tables]
    return read_grid_report(
        tables,
        parts=parts,
        layout="docx",
        source_file=source_file,
        file_sha256=file_sha256,
        headerless_continuation=True,
    )
