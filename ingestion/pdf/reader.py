"""Read the 项目支出绩效目标表 out of a PDF (a whole budget document or the table alone).

Two engines read the same page content (``sources``): PDFium (``pdfium``, ~5x faster a
page) and pdfplumber, the reference. ``engine="auto"`` (the default) reads with PDFium and falls
back to pdfplumber for the whole document when PDFium cannot open it, meets a page it does not
reproduce exactly (rotated, cropped), finds no table, or yields a table that the parser rejects or
whose sums do not add up (pdfplumber's reading is then used). Both feed one pipeline (steps 2-4
walk the pages: ``walk``):

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
from pathlib import Path
from typing import Literal

from ingestion.model import ParsedReport, ReportRejected, ReportTooSlow
from ingestion.pdf.document import check_pdf_bytes, with_xref_reason
from ingestion.pdf.integrity import PageDamaged, damaged_pages
from ingestion.pdf.settings import PDF_DEFAULTS
from ingestion.pdf.sources import FastPathUnavailable, PdfiumSource, PlumberSource
from ingestion.pdf.walk import NO_TABLE_REASON, NO_TEXT_REASON, Deadline, PdfTable, read_table

__all__ = [
    "ENGINES",
    "NO_TABLE_REASON",
    "NO_TEXT_REASON",
    "Engine",
    "PdfTable",
    "extract_table_rows",
    "read_pdf_report",
]

Engine = Literal["auto", "pdfium", "pdfplumber"]
ENGINES: tuple[str, ...] = ("auto", "pdfium", "pdfplumber")

log = logging.getLogger(__name__)


def _read_with_pdfplumber(path: Path, max_pages: int, deadline: Deadline, damage: dict[int, str]) -> PdfTable:
    source = PlumberSource(path, max_pages=max_pages)
    try:
        return read_table(source, deadline, damage)
    except ReportRejected as rejected:  # a damaged page names itself; otherwise a damaged xref is the cause
        raise with_xref_reason(path, rejected) from None
    except Exception as exc:  # pdfminer raises many types on damaged content streams
        if type(exc).__module__.startswith(("pdfminer", "pdfplumber")):
            raise ReportRejected(f"truncated or corrupt PDF ({type(exc).__name__}: {exc})") from None
        raise
    finally:
        source.close()


def _read_with_pdfium(path: Path, max_pages: int, deadline: Deadline, damage: dict[int, str]) -> PdfTable:
    """The fast reading; FastPathUnavailable whenever it cannot stand for the reference."""
    source = PdfiumSource(path, max_pages=max_pages)
    try:
        return read_table(source, deadline, damage)
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
    deadline = Deadline(time.monotonic(), timeout_s)
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
