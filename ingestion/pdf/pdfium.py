"""A page's characters and ruling lines read with PDFium (pypdfium2): the fast source.

pdfplumber spends ~56 ms of CPU a page in pdfminer's layout analysis and object building before
any table logic; PDFium reads the same characters in a few milliseconds. This module turns what
PDFium reports into the dicts pdfplumber produces, so that the rest of the reader (table finding,
cell assembly) runs unchanged on either source:

- chars (``pdfium_chars``): text, boxes and sizes as pdfminer builds them (the size scaled by the
  text matrix, as pdfminer's), in content order, drawn spaces and ligatures kept as pdfminer does;
- edges (``pdfium_paths``): pdfminer's path rules mirrored operator by operator (Bézier control
  points dropped, lines, rectangles and curves told apart the same way).

Both engines' chars then pass through the same normalisation and doubled-glyph removal
(``sources.SourcePage``); ``parity`` measures what still differs.

Pages that this conversion cannot reproduce faithfully (rotated pages, a media box not at the
origin, a crop box smaller than the media box) raise ``UnsupportedPage``: the reader then falls
back to pdfplumber for the whole document; so do rotated, mirrored or vertical text and glyphs
without a Unicode mapping (``pdfium_chars``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium

from ingestion.pdf.font_metrics import descriptor_descents
from ingestion.pdf.pdfium_chars import page_chars
from ingestion.pdf.pdfium_paths import UnsupportedPage, page_objects, path_edges
from ingestion.pdf.settings import PDF_DEFAULTS

__all__ = ["PdfiumDocument", "PdfiumPage", "UnsupportedPage"]

_BOX_TOLERANCE = PDF_DEFAULTS.box_tolerance  # PDF numbers are stored as floats: boxes equal within this are the same


class PdfiumDocument:
    """An open PDFium document; pages are opened one at a time and closed after use."""

    def __init__(self, path: Path):
        self._doc = pdfium.PdfDocument(str(path))
        self._path = path
        self._descents: dict[str, float] | None = None

    def descents(self) -> dict[str, float]:
        """pdfminer's descent of every font (``font_metrics``), read once when chars are first needed."""
        if self._descents is None:
            try:
                self._descents = descriptor_descents(self._path)
            except Exception as exc:
                raise UnsupportedPage(f"font descriptors unreadable ({type(exc).__name__})") from None
        return self._descents

    def __len__(self) -> int:
        return len(self._doc)

    def close(self) -> None:
        self._doc.close()

    @contextmanager
    def page(self, index: int) -> Iterator[PdfiumPage]:
        page = self._doc[index]
        textpage = None
        try:
            textpage = page.get_textpage()
            yield PdfiumPage(page, textpage, self.descents)
        finally:
            if textpage is not None:
                textpage.close()
            page.close()


class PdfiumPage:
    """One page: its chars and edges in pdfplumber's coordinates (its objects are walked once)."""

    def __init__(self, page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, descents):
        self._descents = descents
        self._page = page
        self._textpage = textpage
        if page.get_rotation() % 360:
            raise UnsupportedPage("rotated page")
        media = page.get_mediabox()
        crop = page.get_cropbox()
        if abs(media[0]) > _BOX_TOLERANCE or abs(media[1]) > _BOX_TOLERANCE:
            raise UnsupportedPage("media box not at the origin")
        if any(abs(a - b) > _BOX_TOLERANCE for a, b in zip(media, crop, strict=False)):
            raise UnsupportedPage("crop box differs from media box")
        self.width = media[2]
        self.height = media[3]
        self.bbox = (0, 0, self.width, self.height)
        self._objects: list | None = None

    def _page_objects(self) -> list:
        if self._objects is None:
            self._objects = page_objects(self._page.raw)
        return self._objects

    def chars(self) -> list[dict]:
        text = self._textpage.get_text_range()
        return page_chars(self._textpage.raw, text, self._page_objects(), self.height, self._descents())

    def edges(self) -> list[dict]:
        return path_edges(self._page_objects(), self.height)
