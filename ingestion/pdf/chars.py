"""Characters of a PDF page: doubled-glyph removal and text assembly for one table cell.

pdfplumber's own cell text assigns a character to the cell containing its midpoint, which moves
hanging punctuation (。，；) that a producer set past a column rule into the neighbouring cell. The
table reader therefore assigns characters by their LEFT edge and assembles the text here.
"""

from __future__ import annotations

import unicodedata

from ingestion.parse.normalize import fold_lookalikes, join_wrapped
from ingestion.pdf.settings import PDF_DEFAULTS

# Simulated bold draws each glyph twice, shifted by a fraction of a point. Two chars with the same
# text whose origins are this close are one glyph.
_DOUBLE_TOLERANCE = PDF_DEFAULTS.double_char_tolerance


# Where the engines legitimately differ, both are normalised to one reading (the rule lives here):
# a ligature glyph is its letters ("ﬂ" → "fl": pdfminer keeps the ligature code point, PDFium
# splits it), and a soft hyphen is a hyphen (PDFium reports one that ends a line as a hyphen).
_NORMALIZED = {chr(cp): unicodedata.normalize("NFKC", chr(cp)) for cp in range(0xFB00, 0xFB07)} | {"\xad": "-"}


def normalize_chars(chars: list[dict]) -> list[dict]:
    """The chars with ligatures and soft hyphens read the same way on both engines (copies where changed)."""
    if not any(c in _NORMALIZED for c in "".join(ch["text"] for ch in chars)):
        return chars
    out = []
    for ch in chars:
        text = ch["text"]
        if any(c in _NORMALIZED for c in text):
            ch = dict(ch, text="".join(_NORMALIZED.get(c, c) for c in text))
        out.append(ch)
    return out


def has_doubled_chars(chars: list[dict]) -> bool:
    """True when some glyph is drawn twice at (almost) the same position (simulated bold).

    Glyphs are hashed by text, rounded top and x0 in cells of the tolerance: a copy lies in the
    same cell or the next one (linear; sorting every page's glyphs cost more than the rest).
    """
    seen: dict[tuple, list[dict]] = {}
    for ch in chars:
        text = ch["text"]
        if text.isspace():
            continue
        cell = int(ch["x0"] // _DOUBLE_TOLERANCE)
        line = round(ch["top"])
        for key in ((text, line, cell), (text, line, cell - 1), (text, line, cell + 1)):
            for other in seen.get(key, ()):
                if (
                    abs(other["top"] - ch["top"]) <= _DOUBLE_TOLERANCE
                    and abs(other["x0"] - ch["x0"]) <= _DOUBLE_TOLERANCE
                ):
                    return True
        seen.setdefault((text, line, cell), []).append(ch)
    return False


def dedupe_chars(chars: list[dict]) -> list[dict]:
    """Drop glyphs drawn again at (almost) the same place with the same text, font and size.

    Same result as pdfplumber's page.dedupe_chars(tolerance=1) for simulated bold, but hashed by
    position so it stays linear on pages with thousands of glyphs. One glyph carrying two characters
    (「——」: two U+2014 in one box, one after the other) is not a double: both are kept.
    """
    kept: list[dict] = []
    seen: dict[tuple, list[dict]] = {}
    previous: dict | None = None
    for ch in chars:
        key = (ch["text"], ch.get("fontname"), round(ch["size"], 1))
        cx, cy = int(ch["x0"] // _DOUBLE_TOLERANCE), int(ch["top"] // _DOUBLE_TOLERANCE)
        duplicate = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for other in seen.get((key, cx + dx, cy + dy), ()):
                    if (
                        not (other is previous and _same_box(other, ch))
                        and abs(other["x0"] - ch["x0"]) <= _DOUBLE_TOLERANCE
                        and abs(other["top"] - ch["top"]) <= _DOUBLE_TOLERANCE
                    ):
                        duplicate = True
        if not duplicate:
            kept.append(ch)
            seen.setdefault((key, cx, cy), []).append(ch)
        previous = ch
    return kept


def _same_box(a: dict, b: dict) -> bool:
    return all(abs(a[k] - b[k]) < 1e-6 for k in ("x0", "x1", "top", "bottom"))


def without_doubles(chars: list[dict]) -> list[dict]:
    """The chars, deduplicated only where doubled glyphs (simulated bold) are detected."""
    if has_doubled_chars(chars):
        chars = dedupe_chars(chars)
    return chars


def plain_text(chars: list[dict]) -> str:
    """All the text of a page in content order, without whitespace: for keyword searches."""
    return "".join(c["text"] for c in chars if not c["text"].isspace())


def group_lines(chars: list[dict]) -> list[list[dict]]:
    """Group chars into visual lines (top to bottom), each sorted left to right.

    A char joins the current line when its vertical middle lies within the line's extent, which
    tolerates mixed font sizes and baseline jitter without merging consecutive lines.
    """
    if not chars:
        return []
    ordered = sorted(chars, key=lambda c: (c["top"], c["x0"]))
    lines: list[list[dict]] = []
    top = bottom = None
    for ch in ordered:
        mid = (ch["top"] + ch["bottom"]) / 2
        if lines and top <= mid <= bottom:
            lines[-1].append(ch)
            bottom = max(bottom, ch["bottom"])
        else:
            lines.append([ch])
            top, bottom = ch["top"], ch["bottom"]
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def line_text(line: list[dict]) -> str:
    """The text of one visual line; a visible gap between glyphs becomes a space.

    Producers differ: some draw the space glyph, some only move the pen. A gap wider than a
    quarter of the font size is a word break; normalize drops it again where it touches CJK text.
    """
    out: list[str] = []
    prev = None
    for ch in line:
        if prev is not None and not ch["text"].isspace() and not prev["text"].isspace():
            gap = ch["x0"] - prev["x1"]
            if gap > PDF_DEFAULTS.word_gap_share * min(ch["size"], prev["size"]):
                out.append(" ")
        out.append(ch["text"])
        prev = ch
    return "".join(out)


def _strip_spaces(line: list[dict]) -> list[dict]:
    start, end = 0, len(line)
    while start < end and line[start]["text"].isspace():
        start += 1
    while end > start and line[end - 1]["text"].isspace():
        end -= 1
    return line[start:end]


def cell_text(chars: list[dict]) -> str:
    """A cell's text: its lines joined by the shared wrapped-text rule, look-alikes folded.

    join_wrapped cannot know that a word-wrapping producer broke "指标值: 20-35次" at its space.
    Some producers (LibreOffice) draw that space glyph at the end of the line (or the start of
    the next): where it is there and both sides of the break are ASCII, the lines are joined with
    one space. No guess is made from geometry: a break after "2025-" leaves as much room.
    """
    texts: list[str] = []
    space_before = False
    for raw in group_lines(chars):
        line = _strip_spaces(raw)
        if not line:
            space_before = bool(texts)
            continue
        text = line_text(line)
        spaced = space_before or raw[0]["text"].isspace()
        if spaced and texts and fold_lookalikes(texts[-1][-1]).isascii() and fold_lookalikes(text[0]).isascii():
            texts[-1] = texts[-1] + " " + text
        else:
            texts.append(text)
        space_before = raw[-1]["text"].isspace()
    return join_wrapped(texts)
