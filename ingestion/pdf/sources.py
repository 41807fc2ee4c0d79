"""Two sources of the same page content for the PDF reader: PDFium (fast) and pdfplumber (reference).

Each source opens a document, tells its page count and hands out one page at a time as a context
manager that closes the page (and PDFium's text page) on exit, so memory is bounded by the largest
page, not by the document. A page offers:

- ``plain_text()``: its text without whitespace, for the keyword search that finds the table;
- ``chars()``: pdfplumber-style char dicts (simulated-bold doubles removed where detected);
- ``edges()``: pdfplumber-style edges of its lines, rectangles and curves;
- ``bbox``: (x0, top, x1, bottom) of the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from ingestion.pdf.chars import plain_text, without_doubles


class SourcePage(Protocol):
    bbox: tuple[float, float, float, float]

    def plain_text(self) -> str: ...

    def chars(self) -> list[dict]: ...

    def edges(self) -> list[dict]: ...


class PageSource(Protocol):
    name: str
    page_count: int

    def page(self, index: int) -> AbstractContextManager[SourcePage]: ...

    def close(self) -> None: ...


class FastPathUnavailable(Exception):
    """The PDFium source cannot read this document faithfully; the reference source must."""


# ---------------------------------------------------------------------------------- pdfplumber
class _PlumberPage:
    def __init__(self, page):
        self._page = page
        self.bbox = page.bbox
        self._chars: list[dict] | None = None

    def chars(self) -> list[dict]:
        if self._chars is None:
            self._chars = without_doubles(self._page.chars)
        return self._chars

    def plain_text(self) -> str:
        return plain_text(self.chars())

    def edges(self) -> list[dict]:
        return self._page.edges


class PlumberSource:
    """pdfplumber (pdfminer) pages: the reference the fast source is checked against."""

    name = "pdfplumber"

    def __init__(self, path: Path, *, max_pages: int):
        from ingestion.pdf.document import open_pdf

        self._pdf = open_pdf(path, max_pages=max_pages)
        self.page_count = len(self._pdf.pages)

    @contextmanager
    def page(self, index: int) -> Iterator[_PlumberPage]:
        page = self._pdf.pages[index]
        try:
            yield _PlumberPage(page)
        finally:
            page.close()

    def close(self) -> None:
        self._pdf.close()


# -------------------------------------------------------------------------------------- PDFium
class _PdfiumPage:
    def __init__(self, page):
        self._page = page
        self.bbox = page.bbox
        self._chars: list[dict] | None = None

    def chars(self) -> list[dict]:
        if self._chars is None:
            self._chars = without_doubles(self._page.chars())
        return self._chars

    def plain_text(self) -> str:
        return self._page.plain_text()

    def edges(self) -> list[dict]:
        return self._page.edges()


class PdfiumSource:
    """PDFium pages converted to pdfplumber's dicts (see ``pdf_pdfium``)."""

    name = "pdfium"

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
    def page(self, index: int) -> Iterator[_PdfiumPage]:
        from ingestion.pdf.pdfium import UnsupportedPage

        try:
            with self._doc.page(index) as page:
                yield _PdfiumPage(page)
        except UnsupportedPage as exc:
            raise FastPathUnavailable(f"page {index + 1}: {exc}") from None

    def close(self) -> None:
        self._doc.close()
