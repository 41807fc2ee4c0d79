"""Tab-separated text of one form per project (项目支出绩效目标申报表), one or many in a file.

Each non-blank line is a row of cells (tab-separated, as a spreadsheet or a table copied from a
page gives it); the form reader (``ingestion.shapes.form``) finds the labels, the values and the
indicator grid. Form feeds number the pages. The report's layout stays "B" (tab-separated text).
"""

from __future__ import annotations

from ingestion.shapes.form import FormCollector
from ingestion.text.encoding import TextLine
from ingestion.text.layout import LayoutResult
from ingestion.vocabulary import compact, form_label, is_form_text


def first_form_line(lines: list[TextLine]) -> int | None:
    """Index of the first line of the first form (its 项目名称 row), None when the text holds no form."""
    if not is_form_text(compact("".join(line.text for line in lines))):
        return None
    for index, line in enumerate(lines):
        if "\t" in line.text and any(form_label(c)[0] == "name" for c in line.text.split("\t")):
            return index
    return None


def read_forms(lines: list[TextLine], first: int) -> LayoutResult:
    collector = FormCollector()
    pages: dict[int | None, list[list[str]]] = {}
    for line in lines[first:]:
        if line.text.strip():
            pages.setdefault(line.page, []).append(line.text.split("\t"))
    for page, rows in pages.items():
        collector.add_page(page, rows)
    page_count = max((p for p in pages if p is not None), default=None)
    return LayoutResult(rows=collector.rows, department_name=None, page_count=page_count, warnings=collector.warnings)
