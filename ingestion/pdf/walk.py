"""Walk a PDF's pages once and collect the target table's cells (steps 2-4 of ``reader``).

Kept apart from the reader's engine choice and fallback: this module knows pages, grids and
shapes; ``reader`` knows which engine's walk to trust. Each page is closed before the next one is
opened; only the table's pages are table-extracted.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ingestion.model import ReportRejected, ReportTooSlow
from ingestion.parse.amount_units import stated_unit, title_unit
from ingestion.parse.normalize import fold_lookalikes
from ingestion.parse.report_header import find_department_name, find_fiscal_year
from ingestion.pdf.integrity import PageDamaged, failure_on_page, judge_damage, unmapped_glyphs
from ingestion.pdf.locate import TableState, form_continuation, form_rows, lines_above, page_table, rules_above
from ingestion.pdf.sources import PageSource
from ingestion.shapes import collector_for
from ingestion.shapes.form import FormCollector
from ingestion.shapes.per_indicator import IndicatorRowCollector
from ingestion.shapes.per_project import RowCollector
from ingestion.vocabulary import NAME, TABLE_TITLE, form_label, has_target_header, is_form_text

NO_TABLE_REASON = f"no {TABLE_TITLE} found"
NO_TEXT_REASON = "no text layer: the PDF holds only images (a scan); OCR is not supported"


@dataclass
class PdfTable:
    """The target table of a PDF as cells, before interpretation."""

    rows: list  # list[SourceRow]
    department_name: str | None
    page_count: int
    engine: str = "pdfplumber"  # which source read it: "pdfium" or "pdfplumber"
    fiscal_year: int | None = None  # printed in the title above the table
    warnings: list[str] = field(default_factory=list)
    amount_unit: str | None = None  # the unit the table states (above it or in an amount title)
    engine_reason: str | None = None  # why the PDFium reading was not used (engine "pdfplumber")


class Deadline:
    def __init__(self, started: float, timeout_s: float):
        self.started, self.timeout_s = started, timeout_s

    def check(self, number: int, page_count: int) -> None:
        elapsed = time.monotonic() - self.started
        if elapsed > self.timeout_s:
            raise ReportTooSlow(
                f"too slow: gave up after {elapsed:.0f} s at page {number} of {page_count} "
                f"(limit {self.timeout_s:.0f} s)"
            )


def read_table(source: PageSource, deadline: Deadline, damage: dict[int, str]) -> PdfTable:
    """Walk the pages once, table-extracting only the table's; ``damage``: its damaged pages (``integrity``)."""
    try:
        return _walk_pages(source, deadline, damage)
    except (ReportTooSlow, PageDamaged):
        raise
    except Exception as exc:
        damaged = failure_on_page(exc, source.current_page, damage)
        if damaged is None:
            raise
        raise damaged from None


def _walk_pages(source: PageSource, deadline: Deadline, damage: dict[int, str]) -> PdfTable:
    page_count = source.page_count
    table_pages: list[int] = []
    collector: RowCollector | IndicatorRowCollector | None = None
    forms = FormCollector()
    state = TableState()
    department: str | None = None
    fiscal_year: int | None = None
    amount_unit: str | None = None
    any_text = False
    in_table = form_open = False
    for index in range(page_count):
        number = index + 1
        deadline.check(number, page_count)
        with source.page(index) as page:
            try:
                text = fold_lookalikes(page.plain_text())
            except Exception:
                if number not in damage:
                    raise
                in_table = False  # judge_damage decides whether the table may have been on it
                continue
            any_text = any_text or bool(text)
            rows = None
            if collector is None and form_open and not is_form_text(text):  # its grid over the page break?
                chars = page.chars()
                rows = form_continuation(page, chars, forms.open_grid_width)
            form_open = rows is not None
            if rows is not None:
                unmapped_glyphs(chars, number)
                forms.add_page(number, rows)
                table_pages.append(number)
                continue
            if collector is None and is_form_text(text):  # a project's form, one of many in a document
                chars = page.chars()
                rows, top = form_rows(page, chars)
                if not forms.forms:
                    above = lines_above(chars, top)
                    department, fiscal_year = find_department_name(above), find_fiscal_year(above)
                    amount_unit = stated_unit(above) or title_unit([c for r in rows for c in r if form_label(c)[0]])
                unmapped_glyphs(chars, number)
                forms.add_page(number, rows)
                table_pages.append(number)
                form_open = True
                continue
            starts_table = has_target_header(text)
            if not (starts_table or (in_table and text)):
                in_table = False
                continue
            chars = page.chars()
            found = page_table(page, chars, state, starts_table, number)
            if found is None:
                in_table = False
                continue
            grid, body, roles = found
            unmapped_glyphs(chars, number)
            table_pages.append(number)
            if collector is None:
                above = lines_above(chars, grid.bbox[1])
                department = find_department_name(above)
                fiscal_year = find_fiscal_year(above)
                header_titles = ["".join(r) for r in grid.rows[: len(grid.rows) - len(body)]]
                amount_unit = stated_unit(above) or title_unit(header_titles)
                collector = collector_for(roles)
            if isinstance(collector, IndicatorRowCollector):
                collector.add_page(number, body, roles, starts=rules_above(page, grid, body, roles[NAME]))
            else:
                collector.add_page(number, body, roles)
            state = TableState(grid, roles)
            in_table = True
    if collector is None and forms.rows:
        collector = forms
    damage_warnings = judge_damage(damage, table_pages if collector is not None and collector.rows else [])
    if collector is None or not collector.rows:
        raise ReportRejected(NO_TABLE_REASON if any_text else NO_TEXT_REASON)
    warnings = damage_warnings + list(getattr(collector, "warnings", []))
    return PdfTable(collector.rows, department, page_count, source.name, fiscal_year, warnings, amount_unit)
