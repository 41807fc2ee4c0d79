"""The characters of a saved web page: the charset it declares, else the one its bytes decode in.

A byte-order mark wins, then a declaration in the first 4 KB (``<meta charset="gbk">``, the
``http-equiv`` Content-Type, an XML declaration). GB2312 and GBK pages are decoded as GB18030,
their superset: pages declared GB2312 routinely use GBK characters. A page without a declaration
is UTF-8 when its bytes are, else GB18030 (as text extracts, ``ingestion.text.encoding``). A
declared charset the bytes do not decode in is ignored for the detected one: pages are often
re-saved by an editor that changed the bytes and kept the declaration.
"""

from __future__ import annotations

import codecs
import re

from ingestion.model import ReportRejected

_DECLARED = re.compile(
    rb"""(?:<meta[^>]+charset\s*=\s*["']?|<\?xml[^>]+encoding\s*=\s*["'])\s*([A-Za-z0-9_.:-]+)""", re.I
)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "gb_2312-80": "gb18030"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def declared_charset(data: bytes) -> str | None:
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace").lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_page(data: bytes) -> tuple[str, str]:
    """(text, the charset it was decoded with); ReportRejected when no charset fits."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    candidates = [declared_charset(data), "utf-8", "gb18030"]
    for name in dict.fromkeys(c for c in candidates if c):
        try:
            return data.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    raise ReportRejected(
        "web page in an unknown character set: its bytes are neither its declared charset, UTF-8 nor GB18030"
    )
