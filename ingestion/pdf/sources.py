"""Two sources of the same page content for the PDF reader: PDFium (fast) and pdfplumber (reference).

Each source opens a document, tells its page count and hands out one page at a time as a context
manager that closes the page (and PDFium's text page) on exit, so memory is bounded by the largest
page, not by the document. A page offers:

- ``plain_text()``: its text without whitespace, for the keyword search that finds the table
  (built from ``chars()`` on both engines: one rule, doubled glyphs removed);
- ``chars()``: pdfplumber-style char dicts, normalised (``chars.normalize_chars``) and with
  simulated-bold doubles removed where detected;
- ``edges()``: pdfplumber-style edges of its lines, rectangles and curves;
- ``bbox``: (x0, top, x1, bottom) of the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from ingestion.pdf.chars import normalize_chars, plain_text, without_doubles


class PageSource(Protocol):
    name: str
    page_count: int
    current_page: int  # the number (1-based) of the page last handed out; 0 before the first

    def page(self, index: int) -> AbstractContextManager[SourcePage]: ...

    def close(self) -> None: ...


class FastPathUnavailable(Exception):
    """The PDFium source cannot read this document faithfully; the reference source must."""


class SourcePage:
    """One page of either engine, seen the same way: the one adapter both sources hand out.

    ``read_chars`` and ``read_edges`` return the engine's pdfplumber-style dicts. Chars are read
    once and kept, normalised the same way for both engines, simulated-bold doubles removed.
    """

    def __init__(
        self,
        bbox: tuple[float, float, float, float],
        *,
        read_chars: Callable[[], list[dict]],
        read_edges: Callable[[], list[dict]],
    ):
        self.bbox = bbox
        self._read_chars = read_chars
        self._read_edges = read_edges
        self._chars: list[dict] | None = None
        self.doubled = False  # doubled glyphs (simulated bold) were removed from the chars

    def chars(self) -> list[dict]:
        if self._chars is None:
            raw = normalize_chars(self._read_chars())
            self._chars = without_doubles(raw)
            self.doubled = len(self._chars) < len(raw)
        return self._chars

    def plain_text(self) -> str:
        return plain_text(self.chars())

    def edges(self) -> list[dict]:
        return self._read_edges()


class PlumberSource:
    """pdfplumber (pdfminer) pages: the reference the fast source is checked against."""

    name = "pdfplumber"
    current_page = 0

    def __init__(self, path: Path, *, max_pages: int):
        from ingestion.pdf.document import open_pdf

        self._pdf = open_pdf(path, max_pages=max_pages)
        self.page_count = len(self._pdf.pages)

    @contextmanager
    def page(self, index: int) -> Iterator[SourcePage]:
        self.current_page = index + 1
        page = self._pdf.pages[index]
        try:
            yield SourcePage(page.bbox, read_chars=lambda: page.chars, read_edges=lambda: page.edges)
        finally:
            page.close()

    def close(self) -> None:
        self._pdf.close()


class PdfiumSource:
    """PDFium pages converted to pdfplumber's dicts (see ``pdfium``)."""

    name = "pdfium"
    current_page = 0

    def __init__(self, path: Path, *, max_pages: int):
        from ingestion.pdf.pdfium import PdfiumDocument

        try:
            self._doc = PdfiumDocument(path)
        except Exception as exc:  # encrypted, damaged: pdfplumber words the rejection
            raise FastPathUnavailable(f"PDFium cannot open it ({exc})") from None
        self.page_count = len(self._doc)
        if not 0 < self.page_count <= max_pages:
            self._doc.close()
            raise FastPathUnavailable(f"{self.page_count} pages: the reference reader words the rejection")

    @contextmanager
    def page(self, index: int) -> Iterator[SourcePage]:
        from ingestion.pdf.pdfium import UnsupportedPage

        self.current_page = index + 1
        try:
            with self._doc.page(index) as page:
                yield SourcePage(page.bbox, read_chars=page.chars, read_edges=page.edges)
        except UnsupportedPage as exc:
            raise FastPathUnavailable(f"page {index + 1}: {exc}") from None

    def close(self) -> None:
        self._doc.close()
