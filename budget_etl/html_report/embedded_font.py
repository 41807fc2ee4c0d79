"""The report's Chinese font, embedded: a subset of Noto Sans CJK SC holding the page's characters.

A reader without Chinese fonts (a fresh Linux, a locked-down office PC) would otherwise see a box
for every character. The font ships as a PyPI package (noto-cjk-sans-otc, SIL Open Font License
1.1, which allows embedding); fontTools keeps only the glyphs the page uses (about 150 KB for the
samples' report) and the page carries them as an @font-face data: URI, so it stays one offline file.
"""

from __future__ import annotations

import base64
import io
from importlib.resources import as_file

from fontTools import subset
from fontTools.ttLib import TTFont
from noto_cjk_sans_otc import FONT_PATH

FAMILY = "budget-etl Noto Sans CJK SC"
COLLECTION_FAMILY = "Noto Sans CJK SC"  # the face of the collection (JP, KR, SC, TC, HK...) to use


def _simplified_chinese_face(path) -> TTFont:
    for number in range(32):
        font = TTFont(str(path), fontNumber=number, lazy=True)
        if font["name"].getDebugName(1) == COLLECTION_FAMILY:
            return font
    raise LookupError(f"{COLLECTION_FAMILY} is not in {path}")


def font_subset_woff(characters: str) -> bytes:
    """A WOFF font with the glyphs of ``characters`` (and what shaping them needs)."""
    options = subset.Options()
    options.flavor = "woff"
    options.hinting = False  # screen rendering of CJK does not use it; halves the size
    options.notdef_outline = True  # a character the font lacks shows as a box, not as nothing
    with as_file(FONT_PATH) as path:
        font = _simplified_chinese_face(path)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes={ord(ch) for ch in characters if ord(ch) >= 0x20})
        subsetter.subset(font)
        out = io.BytesIO()
        font.flavor = "woff"
        font.save(out)
    return out.getvalue()


def font_face_css(characters: str) -> str:
    """An @font-face rule declaring FAMILY from an inline subset covering ``characters``."""
    data = base64.b64encode(font_subset_woff(characters)).decode("ascii")
    return (
        f'@font-face {{ font-family: "{FAMILY}"; font-style: normal; font-weight: 400; '
        f'src: url(data:font/woff;base64,{data}) format("woff"); }}'
    )
