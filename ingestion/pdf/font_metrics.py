"""Each font's descent as pdfminer reads it, for the PDFium source to build the same char boxes.

pdfminer places a glyph's box at ``descent·fs`` below the baseline with the descent of the font
descriptor, taken as written (0 when the producer writes ``/Descent 0``, as LibreOffice does).
PDFium's ``FPDFFont_GetDescent`` replaces a zero descent by the font program's own, which moves
every box by up to 0.15 em. The descriptors are read here once per document with pdfminer's own
font loader (no content stream is parsed: a few milliseconds), keyed by font name without the
subset tag ("BAAAAA+"), which is how both engines name a font.

Marked ``UNREPRODUCIBLE`` (the fast source then refuses a page using the font): a name two fonts
share with different descents (PDFium's chars cannot tell them apart), and Type3 fonts (glyphs
drawn by content streams; pdfminer sizes them through their own FontMatrix and bbox).
"""

from __future__ import annotations

from pathlib import Path

UNREPRODUCIBLE = float("nan")


def font_key(name: str) -> str:
    """A font name without its six-letter subset tag."""
    tag, plus, rest = name.partition("+")
    return rest if plus and len(tag) == 6 and tag.isupper() else name


def descriptor_descents(path: Path) -> dict[str, float]:
    """{font key: descent per unit of font size} for every font of every page (pdfminer's value)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import dict_value, resolve1

    out: dict[str, float] = {}
    seen: set[int] = set()
    manager = PDFResourceManager(caching=True)
    with open(path, "rb") as fh:
        document = PDFDocument(PDFParser(fh))
        for page in PDFPage.create_pages(document):
            fonts = dict_value(resolve1((page.resources or {}).get("Font", {})))
            for ref in fonts.values():
                objid = getattr(ref, "objid", None)
                if objid is not None and objid in seen:
                    continue
                seen.add(objid)
                try:
                    font = manager.get_font(objid, dict_value(resolve1(ref)))
                except Exception:
                    continue
                key = font_key(str(font.fontname))
                descent = font.get_descent()
                if type(font).__name__ == "PDFType3Font" or (key in out and out[key] != descent):
                    out[key] = UNREPRODUCIBLE
                else:
                    out.setdefault(key, descent)
    return out
