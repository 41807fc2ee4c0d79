"""Open a PDF for reading, or reject it with the reason a user can act on.

Cheap byte-level checks come first (empty, not a PDF at all, cut off before its end), so that an
HTML error page saved as .pdf or a half-downloaded file never reaches the PDF parser. Encryption
is detected by the parser itself: a file that opens with the empty user password (restrictions
only) is readable and accepted.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from ingestion.model import ReportRejected

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
