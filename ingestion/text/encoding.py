"""Decode the bytes of a text extract and split them into numbered lines.

Published extracts come as UTF-8 (with or without a byte-order mark) or as GB18030/GBK, which
Chinese Windows tools still write by default. Line endings vary with the producer (LF, CRLF, old
Mac CR). Everything downstream sees one form: a ``str`` and a list of ``TextLine`` whose numbers
are the 1-based line numbers an auditor sees when opening the file in an editor.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from ingestion.model import ReportRejected

# Control characters that never occur in a text extract; a handful of them marks binary content.
# Tab, LF, CR and form feed (page break in extracts) are legitimate.
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f"}
# Share of control characters above which a decoded "text" is really binary data.
_MAX_CONTROL_SHARE = 0.01


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # "utf-8-sig", "utf-8" or "gb18030"


@dataclass(frozen=True)
class TextLine:
    number: int  # 1-based line number in the file
    text: str  # without the line ending and without form feeds
    page: int | None  # 1 + form feeds seen before this line; None when the file has none


def decode_report_bytes(data: bytes) -> DecodedText:
    """Decode an extract; raise ReportRejected when it is empty, binary or in an unknown encoding."""
    if not data:
        raise ReportRejected("empty file (0 bytes)")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReportRejected("text is UTF-16 encoded; only UTF-8 and GB18030 are supported")
    if data.startswith(codecs.BOM_UTF8):
        text = _try_decode(data, "utf-8-sig")
        encoding = "utf-8-sig"
    else:
        text = _try_decode(data, "utf-8")
        encoding = "utf-8"
        if text is None:
            # GB18030 is a superset of GBK and GB2312; it is tried second because valid UTF-8
            # Chinese text is almost never valid GB18030 of the same meaning, not the reverse.
            text = _try_decode(data, "gb18030")
            encoding = "gb18030"
    if text is None:
        raise ReportRejected("not a text file: bytes are neither UTF-8 nor GB18030")
    _reject_binary(text)
    if not text.strip():
        raise ReportRejected("empty file (only whitespace)")
    return DecodedText(text=text, encoding=encoding)


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _reject_binary(text: str) -> None:
    if "\x00" in text:
        raise ReportRejected("not a text file: it contains NUL bytes")
    controls = sum(1 for ch in text if ch < " " and ch not in _ALLOWED_CONTROLS)
    if controls > max(3, len(text) * _MAX_CONTROL_SHARE):
        raise ReportRejected(f"not a text file: {controls} control characters")


def split_lines(text: str) -> list[TextLine]:
    """Split on LF, CRLF or CR (not on the other separators str.splitlines knows).

    Form feeds are page breaks: they are removed from the line text and advance the page number.
    Pages are None for every line when the text carries no form feed at all.
    """
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()  # the final line ending does not open a new line
    has_pages = "\f" in text
    page = 1
    lines: list[TextLine] = []
    for number, raw in enumerate(raw_lines, start=1):
        # A form feed at the start of a line belongs to the page the line is on.
        leading = len(raw) - len(raw.lstrip("\f"))
        page += leading
        lines.append(TextLine(number=number, text=raw.replace("\f", ""), page=page if has_pages else None))
        page += raw.count("\f") - leading
    return lines
