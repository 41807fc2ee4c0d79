"""Read the target table out of the grid tables of a spreadsheet, web page or Word document.

The tables come in the file's order (sheets, then tables on a sheet; tables of a page). The target
table starts at the first table whose header rows (``header``) give a target shape; a later table
whose header gives the same shape continues it (a department printing one table per unit, or a
saved page cut into pages); in web pages and Word documents, so does a table right after it, as
wide, printing no header. Without such a header, tables reading as a project's form
(``is_form_text``) are read one form per project. Rows are read by the shape collectors the PDF
reader uses (``ingestion.shapes``), with:

* the header read with spans filled (a parent title stands over each of its columns), the body as
  printed once (a merged cell's value on its first row only, as a PDF prints it): a merged project
  cell is one project, merged level cells are filled by the per-indicator reader;
* in one row per indicator, a row repeating the name of the project above (with its amounts and
  goal), as exports that merge nothing print it, belongs to that project: its project cells are
  emptied so they are not read twice;
* lineage: ``source_page`` is the part's position (sheet index + 1, table index + 1), ``source_row``
  its row number in its part (the sheet's row number, the table's row); the report keeps the
  parts' names (``ParsedReport.source_parts``) for the warehouse's ``source_part``;
* the text before the header (title rows, "部门名称：", "单位：万元") gives the department, the
  year printed in the title and the unit, as the lines above a PDF table do.
"""

from __future__ import annotations

from ingestion.grid.header import header_end, header_start, target_roles
from ingestion.grid.table import GridTable
from ingestion.model import AMOUNT_COLUMNS, ParsedReport, ReportRejected
from ingestion.parse.amount_units import stated_unit, title_unit
from ingestion.parse.normalize import normalize_cell
from ingestion.parse.report_header import find_department_name, find_fiscal_year
from ingestion.parse.table_parser import build_report
from ingestion.reconciliation import mismatches
from ingestion.shapes import collector_for
from ingestion.shapes.form import FormCollector
from ingestion.shapes.per_indicator import IndicatorRowCollector
from ingestion.shapes.per_project import RowCollector
from ingestion.vocabulary import (
    BUDGET_UNIT,
    DEPARTMENT,
    GOAL,
    NAME,
    TABLE_TITLE,
    compact,
    form_label,
    is_form_text,
    table_shape,
)

NO_TABLE_REASON = f"no {TABLE_TITLE} found"
_PROJECT_ROLES = (NAME, GOAL, DEPARTMENT, BUDGET_UNIT, *AMOUNT_COLUMNS)


def _line(cells: list[str]) -> str:
    """A row as one line of text, each spanned value once."""
    seen: list[str] = []
    for cell in cells:
        text = cell.strip()
        if text and (not seen or seen[-1] != text):
            seen.append(text)
    return " ".join(seen)


def _once_per_project(body: list[list[str]], roles: dict[str, int]) -> list[list[str]]:
    """Rows repeating the project cells of the row above with those cells emptied (see module docstring)."""
    columns = [roles[r] for r in _PROJECT_ROLES if r in roles]
    out, previous_name = [], ""
    for cells in body:
        name = normalize_cell(cells[roles[NAME]]) if roles[NAME] < len(cells) else ""
        if name and name == previous_name:
            cells = ["" if j in columns else c for j, c in enumerate(cells)]
        elif name:
            previous_name = name
        out.append(cells)
    return out


class _TargetTable:
    """The collector of the target table and what the text above its first header says."""

    def __init__(self, headerless_continuation: bool) -> None:
        self.headerless_continuation = headerless_continuation
        self.roles: dict[str, int] = {}
        self.width = 0
        self.last_page = 0
        self.collector: RowCollector | IndicatorRowCollector | FormCollector | None = None
        self.shape: str | None = None
        self.above: list[str] = []
        self.titles: list[str] = []
        self.forms = FormCollector()
        self.forms_above: list[str] = []

    def add(self, table: GridTable) -> None:
        end = header_end(table.rows)
        roles = None
        if end is not None:
            start = header_start(table.rows, end)
            roles = target_roles(table.rows[start : end + 1], f"{table.part}, row {table.row_numbers[end]}")
        if roles is None and self._continues(table):
            self._add_body(table, self.roles, -1)
            return
        if roles is None:
            self._add_forms(table)
            return
        shape = table_shape(roles)
        if self.collector is None:
            self.shape = shape
            self.above = [*table.above, *(_line(r) for r in table.rows[:start])]
            self.titles = ["".join(r) for r in zip(*table.rows[start : end + 1], strict=True)]
            self.collector = collector_for(roles)
        elif shape != self.shape:
            return  # another table of the file
        self.roles, self.width = roles, len(table.rows[0])
        self._add_body(table, roles, end)

    def _continues(self, table: GridTable) -> bool:
        """A table right after the target's, as wide, without a header: the rest of the target (a cut page)."""
        return (
            self.headerless_continuation
            and self.collector is not None
            and not isinstance(self.collector, FormCollector)
            and table.page == self.last_page + 1
            and bool(table.rows)
            and len(table.rows[0]) == self.width
        )

    def _add_body(self, table: GridTable, roles: dict[str, int], end: int) -> None:
        self.last_page = table.page
        body = table.printed_once(end + 1)
        numbers = table.row_numbers[end + 1 :]
        if isinstance(self.collector, IndicatorRowCollector):
            self.collector.add_page(table.page, _once_per_project(body, roles), roles, row_numbers=numbers)
        else:
            name = roles[NAME]
            continues = [(i, name) in table.spanned for i in range(end + 1, len(table.rows))]
            self.collector.add_page(table.page, body, roles, row_numbers=numbers, continues=continues)

    def _add_forms(self, table: GridTable) -> None:
        if self.collector is not None or not is_form_text(compact("".join(map("".join, table.rows)))):
            return
        if not self.forms.forms:  # the rows above the first form's name label: its title, 单位
            first = next((i for i, r in enumerate(table.rows) if any(form_label(c)[0] == NAME for c in r)), 0)
            self.forms_above = [*table.above, *(_line(r) for r in table.rows[:first])]
        self.forms.add_page(table.page, table.printed_once(), row_numbers=table.row_numbers)
        self.titles += [c for r in table.rows for c in r if form_label(c)[0]]

    def result(self) -> RowCollector | IndicatorRowCollector | FormCollector:
        if self.collector is None and self.forms.rows:
            self.collector, self.above = self.forms, self.forms_above
        if self.collector is None or not self.collector.rows:
            raise ReportRejected(NO_TABLE_REASON)
        return self.collector


def read_grid_report(
    tables: list[GridTable],
    *,
    parts: list[str],
    layout: str,
    source_file: str,
    file_sha256: str,
    headerless_continuation: bool = False,
) -> ParsedReport:
    """The report of the target table among ``tables``; raises ReportRejected when none is found.

    ``parts``: the names of every part of the file (sheets, tables) in order: a row's source_page
    is its part's position in this list. ``headerless_continuation``: a table right after the
    target's, as wide and without a header, continues it (web pages and documents cut in tables;
    not sheets, where the next sheet is another statement).
    """
    target = _TargetTable(headerless_continuation)
    for table in tables:
        target.add(table)
    collector = target.result()
    report = build_report(
        collector.rows,
        source_file=source_file,
        file_sha256=file_sha256,
        layout=layout,
        department_name=find_department_name(target.above),
        page_count=len(parts),
        amount_unit=stated_unit(target.above) or title_unit(target.titles),
    )
    report.warnings[:0] = list(getattr(collector, "warnings", []))
    report.source_parts = list(parts)
    year = find_fiscal_year(target.above)
    if year is not None:
        report.fiscal_year, report.fiscal_year_source = year, "document"
    report.warnings.extend(f"sums do not add up: {check.describe()}" for check in mismatches(report))
    return report
