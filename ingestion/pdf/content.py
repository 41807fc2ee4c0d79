"""PDF content at the byte level: a stream's data through its filters, and content that lexes as PDF.

Both engines read damaged content without an error (pdfminer inflates a corrupt stream as far as it
goes, PDFium draws what it could decode), so the damage is found here instead, engine-independently:

- each filter must decode its data: Flate complete and with a valid checksum, ASCII85/ASCIIHex
  well formed (other filters are left to pdfminer);
- the decoded content must lex as PDF content: operators that exist, numbers that are numbers,
  strings and arrays closed, every text object (BT) ended (ET): a page whose text stops
  mid-stream fails here.

``integrity`` applies these to every page of a document.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter

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
