"""Read one inbox file into a ParsedReport, or a quarantine reason, with a cache by content.

A report is read again only when its bytes (sha256) or the parser's code (parser_version) change.
A reader bug on one file becomes that file's quarantine reason: it never takes other reports down.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from pathlib import Path

from contract import atomic
from ingestion.inbox import InboxFile
from ingestion.model import ParsedReport, ReportRejected
from ingestion.serialization import report_from_json, report_to_json
from ingestion.sniff import mislabelled, sniff
from ingestion.version import parser_version

log = logging.getLogger(__name__)


@dataclass
class Extraction:
    file: InboxFile
    report: ParsedReport | None  # None when quarantined
    reason: str | None  # why it was quarantined, naming the file
    from_cache: bool = False

    @property
    def ok(self) -> bool:
        return self.report is not None


def read_report(file: InboxFile) -> ParsedReport:
    """Dispatch on the file's content (``ingestion.sniff``); raises ReportRejected for anything unreadable.

    A file whose name promises another kind than its content (an HTML page saved as .xls) is read
    by its content; when it cannot be read, the reason says what it really is.
    """
    if file.path.stat().st_size == 0:
        raise ReportRejected("empty file (0 bytes)")
    sniffed = sniff(file.path)
    if sniffed.unsupported is not None:
        raise ReportRejected(f"{sniffed.what}: {sniffed.unsupported}")
    mislabel = mislabelled(file.path, sniffed)
    try:
        report = _READERS[sniffed.kind](file, sniffed.kind)
    except ReportRejected as rejected:
        if mislabel is None:
            raise
        raise ReportRejected(f"{mislabel} (read as {sniffed.kind}): {rejected.reason}") from None
    if mislabel is not None:
        report.warnings.insert(0, f"{mislabel}: read as {sniffed.kind}")
    return with_fiscal_year(report, file)


def _read_pdf(file: InboxFile, kind: str) -> ParsedReport:
    from ingestion.pdf.reader import read_pdf_report  # pdfplumber is slow to import

    return read_pdf_report(file.path, source_file=file.source_file, file_sha256=file.sha256)


def _read_text(file: InboxFile, kind: str) -> ParsedReport:
    from ingestion.text.reader import read_text_report

    return read_text_report(file.path, source_file=file.source_file, file_sha256=file.sha256)


def _read_workbook(file: InboxFile, kind: str) -> ParsedReport:
    from ingestion.excel.reader import read_workbook_report

    return read_workbook_report(file.path, kind=kind, source_file=file.source_file, file_sha256=file.sha256)


def _read_html(file: InboxFile, kind: str) -> ParsedReport:
    from ingestion.html.reader import read_html_report

    return read_html_report(file.path, source_file=file.source_file, file_sha256=file.sha256)


def _read_docx(file: InboxFile, kind: str) -> ParsedReport:
    from ingestion.word.reader import read_docx_report

    return read_docx_report(file.path, source_file=file.source_file, file_sha256=file.sha256)


_READERS = {
    "pdf": _read_pdf,
    "text": _read_text,
    "xlsx": _read_workbook,
    "xls": _read_workbook,
    "html": _read_html,
    "docx": _read_docx,
}


def loaded_fiscal_year(year: int | None, year_source: str | None, file: InboxFile) -> tuple[int | None, str | None]:
    """The year (and its source) a report read as ``year`` from ``year_source`` is loaded with, in ``file``:
    the year of a manifest entry, else the one the document prints, else the file's or folder's name."""
    if year_source == "document" and file.fiscal_year_source != "manifest":
        return year, year_source
    return file.fiscal_year, file.fiscal_year_source


def with_fiscal_year(report: ParsedReport, file: InboxFile) -> ParsedReport:
    year, year_source = loaded_fiscal_year(report.fiscal_year, report.fiscal_year_source, file)
    return replace(report, fiscal_year=year, fiscal_year_source=year_source)


def cache_path(cache_dir: Path, file: InboxFile) -> Path:
    """Where the extraction of this content by this parser version is cached (read or rejected)."""
    return cache_dir / f"{file.sha256}-{parser_version()}.json"


def _write_cache(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text(path, text)


def load_cached(cache_dir: Path, file: InboxFile) -> Extraction | None:
    """The cached extraction of this exact content by this parser version, if any."""
    path = cache_path(cache_dir, file)
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if entry.get("rejected"):
        return Extraction(file, None, f"{file.source_file}: {entry['rejected']}", from_cache=True)
    report = report_from_json(entry["report"])
    # The cache is keyed by content: names and years come from where the file is now.
    report = with_fiscal_year(replace(report, source_file=file.source_file), file)
    return Extraction(file, report, None, from_cache=True)


def extract(file: InboxFile, cache_dir: Path | None = None) -> Extraction:
    if cache_dir is not None:
        cached = load_cached(cache_dir, file)
        if cached is not None:
            return cached
    try:
        report = read_report(file)
    except ReportRejected as rejected:
        if cache_dir is not None:  # the same bytes will be rejected the same way tomorrow
            _write_cache(cache_path(cache_dir, file), json.dumps({"rejected": rejected.reason}, ensure_ascii=False))
        return Extraction(file, None, f"{file.source_file}: {rejected.reason}")
    except Exception as error:  # a reader bug on one file must not stop the others
        log.exception("reader failed on %s", file.source_file)
        return Extraction(file, None, f"{file.source_file}: reader failed ({type(error).__name__}: {error})")
    if cache_dir is not None:
        _write_cache(cache_path(cache_dir, file), json.dumps({"report": report_to_json(report)}, ensure_ascii=False))
    return Extraction(file, report, None)
