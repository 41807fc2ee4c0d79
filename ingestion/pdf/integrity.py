"""Which pages of a PDF are damaged, and what a damaged page means for the report read from it.

Both engines read damaged content without an error, so a page of the table read that way loses rows
or characters and nothing downstream can tell. Once per document and for either engine, every page
is checked with pdfminer's object parser at the byte level (``content``):

- its content streams decode and lex as PDF content;
- what it draws through its resources too: Form XObjects' content, fonts' ToUnicode maps;
- its objects parse: an exception, or a warning pdfminer only logs (an object it cannot locate),
  is damage of that page.

What a damaged page means is decided by where the table is (``judge_damage``): on the table, next
to it or after it, the report is rejected naming the page; before it, a warning.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from ingestion.model import ReportRejected
from ingestion.pdf.content import ContentDamaged, check_content, decode_stream

_DAMAGED = "content stream damaged"


def _page_streams(page) -> list:
    from pdfminer.pdftypes import PDFStream, resolve1

    contents = resolve1(page.attrs.get("Contents"))
    if contents is None:
        return []
    items = contents if isinstance(contents, list) else [contents]
    streams = [resolve1(item) for item in items]
    if not all(isinstance(s, PDFStream) for s in streams):
        raise ContentDamaged("its content is not a stream (an object cannot be parsed)")
    return streams


class ResourcesDamaged(ContentDamaged):
    """A font or form a page draws with cannot be read."""


class _ResourceCheck:
    """The streams a page draws through its resources: Form XObjects (content, checked like the page's)
    and fonts' ToUnicode maps (decoded: a damaged one loses the text of its glyphs). Each object is
    checked once per document, however many pages share it."""

    def __init__(self):
        self._seen: dict[int, str | None] = {}

    def check(self, resources, depth: int = 0) -> None:
        from pdfminer.pdftypes import PDFStream, resolve1

        resources = resolve1(resources)
        if not isinstance(resources, dict) or depth > 4:
            return
        fonts = resolve1(resources.get("Font")) or {}
        for name, ref in fonts.items() if isinstance(fonts, dict) else ():
            font = resolve1(ref)
            if not isinstance(font, dict):  # pdfminer resolves an object it cannot parse to None
                raise ResourcesDamaged(f"its font {name} cannot be read (an object cannot be parsed)")
            cmap = resolve1(font.get("ToUnicode")) if isinstance(font, dict) else None
            if isinstance(cmap, PDFStream):
                self._once(cmap, lambda stream: decode_stream(stream), "its font's Unicode map")
        xobjects = resolve1(resources.get("XObject")) or {}
        for name, ref in xobjects.items() if isinstance(xobjects, dict) else ():
            form = resolve1(ref)
            if form is None:
                raise ResourcesDamaged(f"its object {name} cannot be read (an object cannot be parsed)")
            if isinstance(form, PDFStream) and getattr(resolve1(form.attrs.get("Subtype")), "name", None) == "Form":
                self._once(form, lambda stream: check_content(decode_stream(stream)), "a form it draws")
                self.check(form.attrs.get("Resources"), depth + 1)

    def _once(self, stream, check, what: str) -> None:
        key = stream.objid if stream.objid is not None else id(stream)
        if key not in self._seen:
            try:
                check(stream)
                self._seen[key] = None
            except ContentDamaged as exc:
                self._seen[key] = f"{what}: {exc}"
        if self._seen[key] is not None:
            raise ContentDamaged(self._seen[key])


class _PdfminerWarnings(logging.Handler):
    """pdfminer's warnings logged by this thread: it reports an object it cannot locate or parse only so."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage()[:160])

    def __enter__(self) -> _PdfminerWarnings:
        self._logger = logging.getLogger("pdfminer")
        self._level = self._logger.level
        self._logger.addHandler(self)
        if not self._logger.isEnabledFor(logging.WARNING):
            self._logger.setLevel(logging.WARNING)
        return self

    def __exit__(self, *exc) -> None:
        self._logger.removeHandler(self)
        self._logger.setLevel(self._level)


def damaged_pages(path: Path) -> dict[int, str]:
    """{page number (1-based): why its content is damaged} for the pages whose content fails the checks.

    A document whose page tree cannot be walked at all gives {}: opening it fails with its own reason.
    A warning pdfminer logs while a page's objects are read (none on an intact file) is damage too.
    """
    with _PdfminerWarnings() as warnings:
        return _scan(path, warnings)


def _scan(path: Path, warnings: _PdfminerWarnings) -> dict[int, str]:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    damage: dict[int, str] = {}
    resources = _ResourceCheck()
    with Path(path).open("rb") as fh:
        try:
            pages = PDFPage.create_pages(PDFDocument(PDFParser(fh)))
            number = 0
            while True:
                try:
                    page = next(pages)
                except StopIteration:
                    break
                number += 1
                warnings.messages.clear()
                try:
                    content = b"\n".join(decode_stream(stream) for stream in _page_streams(page))
                    check_content(content)
                    resources.check(page.resources)
                    if warnings.messages:
                        raise ContentDamaged(f"an object cannot be read ({warnings.messages[0]})")
                except ResourcesDamaged as exc:
                    damage[number] = f"resources damaged: {exc}"
                except ContentDamaged as exc:
                    damage[number] = f"{_DAMAGED}: {exc}"
                except Exception as exc:  # pdfminer's parse errors on a damaged object
                    damage[number] = f"{_DAMAGED}: an object cannot be parsed ({type(exc).__name__})"
        except Exception:  # the page tree itself: the engines word that rejection
            return damage
    return damage


class PageDamaged(ReportRejected):
    """A report whose table pages are damaged: rejected whatever the engine, its reason names the page."""


def judge_damage(damage: dict[int, str], table_pages: list[int]) -> list[str]:
    """Warnings for damaged pages before the table; PageDamaged for one on it, next to it or after it.

    The table cannot be proven whole when a damaged page is one of its pages, the page before its
    first (where it may have started, its header lost) or any page after its first (where it may
    have continued, or started again with its header repeated). With no table found at all, a
    damaged page may be where it was.
    """
    if not damage:
        return []
    first = min(table_pages) if table_pages else 0
    for page in sorted(damage):
        if page >= first - 1:
            raise PageDamaged(f"page {page}: {damage[page]}")
    return [f"page {page}: {reason}; the table starts on page {first}, after it" for page, reason in damage.items()]


def unmapped_glyphs(chars: list[dict], number: int) -> None:
    """pdfminer reads a glyph without a Unicode mapping as "(cid:N)": on a table page, its text is lost."""
    lost = sum(1 for c in chars if c["text"].startswith("(cid:"))
    if lost:
        raise PageDamaged(f"page {number}: {lost} glyphs without Unicode (their text cannot be read)")


def failure_on_page(exc: Exception, page: int, damage: dict[int, str]) -> PageDamaged | None:
    """The rejection for an error raised while page ``page`` was read; None when the error is not the file's.

    On a damaged page the damage is the reason, whatever failed (an engine refusing a glyph, the
    parser rejecting the rows); elsewhere a pdfminer error names the page it was raised on.
    """
    if page in damage:
        return PageDamaged(f"page {page}: {damage[page]}")
    if isinstance(exc, ReportRejected) or not type(exc).__module__.startswith(("pdfminer", "pdfplumber")):
        return None
    return PageDamaged(f"page {page}: content cannot be read ({type(exc).__name__}: {exc})")
