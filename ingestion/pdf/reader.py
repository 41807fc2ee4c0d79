"""Read the 项目支出绩效目标表 out of a PDF (a whole budget document or the table alone).

Two engines read the same page content (``sources``): PDFium (``pdfium``, ~5x faster a
page) and pdfplumber, the reference. ``engine="auto"`` (the default) reads with PDFium and falls
back to pdfplumber for the whole document when PDFium cannot open it, meets a page it does not
reproduce exactly (rotated, cropped), finds no table, or yields a table that the parser rejects or
whose sums do not add up (pdfplumber's reading is then used). Both feed one pipeline:

Steps, page by page (each page is closed before the next one is opened, which keeps a 200-page
document at a few tens of MB instead of ~750 MB):

1. byte checks and opening (``document``): empty, not a PDF, truncated, encrypted, too long; each
   page's content checked (``integrity``): a damaged table page rejects the report, naming it;
2. characters, with simulated-bold doubles removed only where detected (``chars``; a linear
   hash instead of page.dedupe_chars, which costs ~100 ms a page and far more on dense pages);
   pages that cannot hold the table are only searched by their text, never table-extracted;
3. locating the table: it starts on a page that prints its header row (项目名称 … 绩效目标 …
   绩效指标, or the columns of one row per indicator: 三级指标 … 指标值), whatever its title says
   or whether one is printed at all, so a table of contents naming it does not count; it
   continues on the following pages while each one repeats the header row or carries a ruled
   table with the same column rules (only those pages are table-extracted); a project's form
   goes on over the next page when a ruled grid starts that page (``locate.form_continuation``);
4. the grid of each such page (``tables``), columns identified by header text
   (``ingestion.vocabulary``; a titled column no role is known for refuses the table), rows
   collected into ``SourceRow`` cells by the shape of the header: one row per project (``rows``)
   or one row per indicator (``ingestion.shapes.per_indicator``); a year printed in the title
   above the table is the report's fiscal year (source "document");
5. the shared parser ``ingestion.parse.table_parser.build_report`` (layout "pdf"), then sum checks that add
   warnings (``ingestion.reconciliation``, the rule the warehouse reconciles with).

The time bound is checked between pages: a single pathological page may overrun ``timeout_s``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ingestion.model import ParsedReport, ReportRejected, ReportTooSlow
from ingestion.parse.amount_units import stated_unit, title_unit
from ingestion.parse.normalize import fold_lookalikes
from ingestion.parse.report_header import find_department_name, find_fiscal_year
from ingestion.pdf.document import check_pdf_bytes, with_xref_reason
from ingestion.pdf.integrity import PageDamaged, damaged_pages, failure_on_page, judge_damage, unmapped_glyphs
from ingestion.pdf.locate import TableState, form_continuation, form_rows, lines_above, page_table, rules_above
from ingestion.pdf.settings import PDF_DEFAULTS
from ingestion.pdf.sources import FastPathUnavailable, PageSource, PdfiumSource, PlumberSource
from ingestion.shapes import collector_for
from ingestion.shapes.form import FormCollector
from ingestion.shapes.per_indicator import IndicatorRowCollector
from ingestion.shapes.per_project import RowCollector
from ingestion.vocabulary import (
    NAME,
    TABLE_TITLE,
    form_label,
    has_target_header,
    is_form_text,
)

NO_TABLE_REASON = f"no {TABLE_TITLE} found"
NO_TEXT_REASON = "no text layer: the PDF holds only images (a scan); OCR is not supported"

Engine = Literal["auto", "pdfium", "pdfplumber"]
ENGINES: tuple[str, ...] = ("auto", "pdfium", "pdfplumber")

log = logging.getLogger(__name__)


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


class _Deadline:
    def __init__(self, started: float, timeout_s: float):
        self.started, self.timeout_s = started, timeout_s

    def check(self, number: int, page_count: int) -> None:
        elapsed = time.monotonic() - self.started
        if elapsed > self.timeout_s:
            raise ReportTooSlow(
                f"too slow: gave up after {elapsed:.0f} s at page {number} of {page_count} "
                f"(limit {self.timeout_s:.0f} s)"
            )


def _read_table(source: PageSource, deadline: _Deadline, damage: dict[int, str]) -> PdfTable:
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


def _walk_pages(source: PageSource, deadline: _Deadline, damage: dict[int, str]) -> PdfTable:
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


def _read_with_pdfplumber(path: Path, max_pages: int, deadline: _Deadline, damage: dict[int, str]) -> PdfTable:
    source = PlumberSource(path, max_pages=max_pages)
    try:
        return _read_table(source, deadline, damage)
    except ReportRejected as rejected:  # a damaged page names itself; otherwise a damaged xref is the cause
        raise with_xref_reason(path, rejected) from None
    except Exception as exc:  # pdfminer raises many types on damaged content streams
        if type(exc).__module__.startswith(("pdfminer", "pdfplumber")):
            raise ReportRejected(f"truncated or corrupt PDF ({type(exc).__name__}: {exc})") from None
        raise
    finally:
        source.close()


def _read_with_pdfium(path: Path, max_pages: int, deadline: _Deadline, damage: dict[int, str]) -> PdfTable:
    """The fast reading; FastPathUnavailable whenever it cannot stand for the reference."""
    source = PdfiumSource(path, max_pages=max_pages)
    try:
        return _read_table(source, deadline, damage)
    except (ReportTooSlow, PageDamaged):  # the time is spent / the damage is the file's, not the engine's
        raise
    except ReportRejected as rejected:
        raise FastPathUnavailable(rejected.reason) from None
    except FastPathUnavailable:
        raise
    except Exception as exc:  # PDFium errors on damaged content: let pdfplumber judge the file
        raise FastPathUnavailable(f"{type(exc).__name__}: {exc}") from None
    finally:
        source.close()


def extract_table_rows(
    path: Path,
    *,
    max_pages: int = PDF_DEFAULTS.max_pages,
    timeout_s: float = PDF_DEFAULTS.timeout_s,
    engine: Engine = "auto",
) -> PdfTable:
    """The target table's SourceRows; raises ReportRejected with the reason it cannot be read.

    ``engine``: "auto" (PDFium, falling back to pdfplumber), "pdfium" (no fallback: raises
    FastPathUnavailable where the fast path cannot read the file) or "pdfplumber".
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    deadline = _Deadline(time.monotonic(), timeout_s)
    path = Path(path)
    check_pdf_bytes(path)
    damage = damaged_pages(path)
    reason = "pdfplumber requested"
    if engine != "pdfplumber":
        try:
            return _read_with_pdfium(path, max_pages, deadline, damage)
        except FastPathUnavailable as why:
            if engine == "pdfium":
                raise
            log.info("%s: PDFium path not used (%s); reading with pdfplumber", path.name, why)
            reason = f"PDFium cannot reproduce it: {why}"
    table = _read_with_pdfplumber(path, max_pages, deadline, damage)
    table.engine_reason = reason
    return table


def _report(table: PdfTable, source_file: str, file_sha256: str) -> tuple[ParsedReport, int]:
    """The parsed report and how many sum checks failed on it."""
    from ingestion.parse.table_parser import build_report
    from ingestion.reconciliation import mismatches

    report = build_report(
        table.rows,
        source_file=source_file,
        file_sha256=file_sha256,
        layout="pdf",
        department_name=table.department_name,
        page_count=table.page_count,
        amount_unit=table.amount_unit,
    )
    report.warnings[:0] = table.warnings
    report.pdf_engine, report.pdf_engine_reason = table.engine, table.engine_reason
    if table.fiscal_year is not None:
        report.fiscal_year, report.fiscal_year_source = table.fiscal_year, "document"
    failed = [f"sums do not add up: {check.describe()}" for check in mismatches(report)]
    report.warnings.extend(failed)
    return report, len(failed)


def read_pdf_report(
    path: Path,
    *,
    source_file: str,
    file_sha256: str,
    max_pages: int = PDF_DEFAULTS.max_pages,
    timeout_s: float = PDF_DEFAULTS.timeout_s,
    engine: Engine = "auto",
) -> ParsedReport:
    """Read the target table of a PDF; raises ReportRejected with the reason it cannot be read.

    With ``engine="auto"`` a PDFium reading whose rows the parser rejects, or whose sums do not
    add up, is checked against pdfplumber's reading, and pdfplumber's is returned when it reads.
    """
    started = time.monotonic()
    table = extract_table_rows(path, max_pages=max_pages, timeout_s=timeout_s, engine=engine)
    if engine != "auto" or table.engine != "pdfium":
        return _report(table, source_file, file_sha256)[0]
    try:
        report, failed_sums = _report(table, source_file, file_sha256)
        if not failed_sums:
            return report
        doubt = "its sums do not add up"
    except ReportRejected as rejected:
        report, doubt = None, f"the parser rejected its rows ({rejected.reason})"
    log.info("%s: PDFium reading doubtful (%s); checking with pdfplumber", Path(path).name, doubt)
    remaining = timeout_s - (time.monotonic() - started)
    try:
        reference = extract_table_rows(path, max_pages=max_pages, timeout_s=remaining, engine="pdfplumber")
    except ReportRejected as rejected:
        if report is None or isinstance(rejected, PageDamaged):
            raise
        return report
    reference.engine_reason = f"PDFium reading doubtful: {doubt}"
    return _report(reference, source_file, file_sha256)[0]
