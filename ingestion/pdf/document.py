"""Open a PDF for reading, or reject it with the reason a user can act on.

Cheap byte-level checks come first (empty, not a PDF at all, cut off before its end), so that an
HTML error page saved as .pdf or a half-downloaded file never reaches the PDF parser. Encryption
is detected by the parser itself: a file that opens with the empty user password (restrictions
only) is readable and accepted.
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from ingestion.model import ReportRejected, ReportTooSlow
from ingestion.pdf.integrity import PageDamaged

# The header may be preceded by a little garbage (some servers prepend a BOM or whitespace); the
# PDF specification lets readers accept it within the first 1024 bytes.
_HEADER_WINDOW = 1024
# "%%EOF" ends every complete PDF; producers may append a few bytes (newlines, padding) after it.
_TRAILER_WINDOW = 2048


def check_pdf_bytes(path: Path) -> None:
    """Reject files that are empty, are not PDF at all, or were cut off before their end."""
    size = path.stat().st_size
    if size == 0:
        raise ReportRejected("empty file (0 bytes)")
    with path.open("rb") as fh:
        head = fh.read(_HEADER_WINDOW)
        fh.seek(max(0, size - _TRAILER_WINDOW))
        tail = fh.read()
    if b"%PDF-" not in head:
        kind = _guess_kind(head)
        raise ReportRejected(f"not a PDF file (no %PDF- header; the content looks like {kind})")
    if b"%%EOF" not in tail:
        raise ReportRejected("truncated or corrupt PDF (no %%EOF end marker: the file is cut off)")


def _guess_kind(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html")) or b"<html" in text[:512]:
        return "an HTML page"
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return "XML/markup"
    if text.startswith(b"pk\x03\x04"):
        return "a ZIP/Office document"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "an image"
    try:
        head.decode("utf-8")
        return "plain text"
    except UnicodeDecodeError:
        return "binary data"


def open_pdf(path: Path, *, max_pages: int) -> pdfplumber.PDF:
    """Open ``path`` with pdfplumber after the byte checks; the caller closes it."""
    check_pdf_bytes(path)
    try:
        return _open_checked(path, max_pages)
    except ReportRejected as rejected:
        raise with_xref_reason(path, rejected) from None


def _open_checked(path: Path, max_pages: int) -> pdfplumber.PDF:
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfplumber wraps pdfminer's errors in PdfminerException
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            raise ReportRejected("password-protected (encrypted) PDF: it cannot be read without the password") from None
        if isinstance(cause, PDFEncryptionError):
            raise ReportRejected(f"encrypted PDF with an unsupported protection scheme ({cause})") from None
        if isinstance(exc, (PdfminerException, PDFSyntaxError, PSException, ValueError, KeyError, TypeError)):
            raise ReportRejected(f"truncated or corrupt PDF ({type(cause).__name__}: {cause})") from None
        raise
    try:
        n_pages = len(pdf.pages)
    except (PdfminerException, PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError) as exc:
        pdf.close()
        raise ReportRejected(f"truncated or corrupt PDF: its page tree cannot be read ({type(exc).__name__})") from None
    if n_pages == 0:
        pdf.close()
        raise ReportRejected("truncated or corrupt PDF: it has no pages")
    if n_pages > max_pages:
        pdf.close()
        raise ReportRejected(f"too many pages ({n_pages}; the limit is {max_pages})")
    return pdf


_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_XREF_SUBSECTION = re.compile(rb"\s*(\d+)\s+(\d+)\s*\r?\n")


def xref_damage(path: Path) -> str | None:
    """Why the last cross-reference table is damaged (an entry that does not point at its object), or None.

    Only a classic table is checked (a cross-reference stream is compressed: its damage shows when
    it is decoded). PDFium rebuilds a damaged table and pdfminer may not, so this only words the
    rejection of a file no engine could read.
    """
    data = Path(path).read_bytes()
    start = data.rfind(b"startxref")
    found = re.match(rb"startxref\s+(\d+)", data[start:]) if start >= 0 else None
    if found is None or int(found.group(1)) >= len(data):
        return "its cross-reference table cannot be found"
    pos = int(found.group(1))
    if not data.startswith(b"xref", pos):
        return None if re.match(rb"\d+\s+\d+\s+obj", data[pos : pos + 40]) else "its cross-reference offset is wrong"
    pos += 4
    while (header := _XREF_SUBSECTION.match(data, pos)) is not None:
        first, count = int(header.group(1)), int(header.group(2))
        pos = header.end()
        for number in range(first, first + count):
            entry = _XREF_ENTRY.match(data, pos)
            if entry is None:
                return f"its cross-reference table is garbled (entry of object {number})"
            pos = data.find(b"\n", entry.end()) + 1
            offset, generation = int(entry.group(1)), int(entry.group(2))
            if entry.group(3) == b"n" and not re.match(rb"\s*%d\s+%d\s+obj" % (number, generation), data[offset:]):
                return f"its cross-reference table is damaged (object {number} is not where it says)"
    return None


def with_xref_reason(path: Path, rejected: ReportRejected) -> ReportRejected:
    """A rejection reworded when the file's cross-reference table is damaged (the cause, not the symptom).

    A damaged page names itself and a report out of time says so: those are kept as they are.
    """
    if isinstance(rejected, (PageDamaged, ReportTooSlow)):
        return rejected
    why = xref_damage(path)
    return ReportRejected(f"truncated or corrupt PDF: {why}") if why else rejected
