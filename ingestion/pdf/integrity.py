"""Which pages of a PDF are damaged: content that does not decode or does not parse as PDF operators.

Both engines read damaged content without an error: pdfminer inflates a corrupt stream as far as it
goes (logging "Data-loss while decompressing corrupted data" at most), PDFium silently draws what it
could decode. A page of the table read that way loses rows or characters and nothing downstream can
tell. So, once per document and for either engine, every page's content streams are checked here at
the byte level:

- each filter must decode its data: Flate with a valid checksum, ASCII85/ASCIIHex well formed;
- the decoded content must lex as PDF content: operators that exist, strings and arrays closed,
  every text object (BT) ended (ET) -- a page whose text stops mid-stream fails here;
- the page's objects (its dictionary, its content streams) must parse.

The reader decides what a damaged page means (``reader``): on or next to the table it rejects the
report naming the page; elsewhere it is a warning.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from pathlib import Path

from ingestion.model import ReportRejected

# PDF 32000-1:2008 Annex A, the content stream operators (plus the operand keywords true/false/null).
_OPERATORS = frozenset(
    b"b B b* B* BDC BI BMC BT BX c cm CS cs d d0 d1 Do DP EI EMC ET EX f F f* G g gs h i ID j J K k l m M "
    b"MP n q Q re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL Tm Tr Ts Tw Tz v w W W* y ' \" "
    b"true false null".split()
)
_DELIMITERS = rb"\s()<>\[\]{}/%"
_TOKEN = re.compile(
    rb"\s+|%[^\r\n]*|/[^" + _DELIMITERS + rb"]*|<<|>>|<[0-9A-Fa-f\s]*>|[\[\]{}]|\(|[^" + _DELIMITERS + rb"]+"
)
# The same lexis in one pass for the common case: group 1 holds every token that is not a number,
# name, string, dictionary bracket or comment (operators, array brackets, stray delimiters).
_FAST = re.compile(
    rb"\s+|%[^\r\n]*|\((?:[^\\()]|\\.)*\)|<<|>>|<[0-9A-Fa-f\s]*>|/[^" + _DELIMITERS + rb"]*"
    rb"|[+-]?(?:\d+\.?\d*|\.\d+)(?=[" + _DELIMITERS + rb"]|$)|([^" + _DELIMITERS + rb"]+|[\[\]{}()<>])",
    re.S,
)
_FAST_ACCEPTED = _OPERATORS | {b"", b"[", b"]"}
_INLINE_IMAGE_END = re.compile(rb"\sEI(?=[\s]|$)")
_DAMAGED = "content stream damaged"


class ContentDamaged(Exception):
    """Content that does not decode or lex as PDF: its message says how."""


def _skip_string(data: bytes, pos: int) -> int:
    """Offset after the literal string starting at ``pos`` (its "("), balancing nested parentheses."""
    depth, i, n = 0, pos, len(data)
    while i < n:
        byte = data[i]
        if byte == 0x5C:  # backslash escapes the next byte
            i += 2
            continue
        if byte == 0x28:
            depth += 1
        elif byte == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ContentDamaged("a string is not closed (the content stops mid-stream)")


def check_content(data: bytes) -> None:
    """Raise ContentDamaged unless ``data`` lexes as PDF content with balanced text objects.

    One regular expression lexes the usual content in C; anything it leaves in doubt (nested
    parentheses in a string, inline image data, an unknown word, unbalanced BT/ET or brackets) is
    lexed again token by token, which either finds the damage and says where or accepts the content.
    """
    counts = Counter(_FAST.findall(data))
    if counts.keys() <= _FAST_ACCEPTED and counts[b"BT"] == counts[b"ET"] and counts[b"["] == counts[b"]"]:
        return
    _check_exactly(data)


def _check_exactly(data: bytes) -> None:
    pos, n = 0, len(data)
    open_text = 0
    arrays = 0
    while pos < n:
        if data[pos] == 0x28:
            pos = _skip_string(data, pos)
            continue
        match = _TOKEN.match(data, pos)
        if match is None:
            raise ContentDamaged(f"unreadable bytes at offset {pos}")
        token = match.group()
        pos = match.end()
        first = token[:1]
        if first.isspace() or first in (b"%", b"/", b"<", b">", b"{", b"}"):
            continue
        if token == b"[":
            arrays += 1
        elif token == b"]":
            arrays -= 1
            if arrays < 0:
                raise ContentDamaged("an array closed that was never opened")
        elif first in b"+-.0123456789":
            try:
                float(token)
            except ValueError:
                raise ContentDamaged(f"not a number: {token[:20]!r}") from None
        elif token not in _OPERATORS:
            raise ContentDamaged(f"unknown operator {token[:20]!r}")
        elif token == b"BT":
            open_text += 1
        elif token == b"ET":
            open_text -= 1
        elif token == b"ID":  # inline image data: binary up to EI
            end = _INLINE_IMAGE_END.search(data, pos)
            if end is None:
                raise ContentDamaged("an inline image is not ended")
            pos = end.end()
    if arrays:
        raise ContentDamaged("an array is not closed (the content stops mid-stream)")
    if open_text > 0:
        raise ContentDamaged("a text object is not ended (the text stops mid-stream)")


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data) + inflater.flush()
    except zlib.error as exc:
        raise ContentDamaged(f"compressed data corrupt ({exc})") from None
    if not inflater.eof:
        raise ContentDamaged("compressed data cut short (the content stops mid-stream)")
    return out


def decode_stream(stream) -> bytes:
    """A pdfminer stream's data through its filters, raising ContentDamaged where one fails."""
    from pdfminer.ascii85 import ascii85decode, asciihexdecode

    if stream.rawdata is None:  # already decoded by pdfminer
        return stream.data
    data = stream.rawdata
    if stream.decipher:  # encrypted (a file that opens with the empty password)
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    filters = stream.get_filters()
    if any(
        getattr(f, "name", f) not in ("FlateDecode", "Fl", "ASCII85Decode", "A85", "ASCIIHexDecode", "AHx")
        for f, _ in filters
    ):
        return stream.get_data()  # other filters (LZW, RunLength...) are left to pdfminer
    for name, params in filters:
        name = getattr(name, "name", name)
        if params and name in ("FlateDecode", "Fl"):
            return stream.get_data()  # a predictor: pdfminer applies it
        try:
            if name in ("FlateDecode", "Fl"):
                data = _inflate(data)
            elif name in ("ASCII85Decode", "A85"):
                data = ascii85decode(data)
            else:
                data = asciihexdecode(data)
        except ContentDamaged:
            raise
        except Exception as exc:
            raise ContentDamaged(f"{name} data corrupt ({exc})") from None
    return data


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
        for ref in fonts.values() if isinstance(fonts, dict) else ():
            font = resolve1(ref)
            cmap = resolve1(font.get("ToUnicode")) if isinstance(font, dict) else None
            if isinstance(cmap, PDFStream):
                self._once(cmap, lambda stream: decode_stream(stream), "its font's Unicode map")
        xobjects = resolve1(resources.get("XObject")) or {}
        for ref in xobjects.values() if isinstance(xobjects, dict) else ():
            form = resolve1(ref)
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


def damaged_pages(path: Path) -> dict[int, str]:
    """{page number (1-based): why its content is damaged} for the pages whose content fails the checks.

    A document whose page tree cannot be walked at all gives {}: opening it fails with its own reason.
    """
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
                try:
                    content = b"\n".join(decode_stream(stream) for stream in _page_streams(page))
                    check_content(content)
                    resources.check(page.resources)
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
