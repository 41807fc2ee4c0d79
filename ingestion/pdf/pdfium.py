"""A page's characters and ruling lines read with PDFium (pypdfium2): the fast source.

pdfplumber spends ~56 ms of CPU a page in pdfminer's layout analysis and object building before
any table logic; PDFium reads the same characters in a few milliseconds. This module turns what
PDFium reports into the dicts pdfplumber produces, so that the rest of the reader (table finding,
cell assembly) runs unchanged on either source:

- chars: ``text``, ``x0`` (the glyph origin, as pdfminer), ``x1`` (the end of the glyph's advance,
  capped at the next glyph's origin in the same text run), ``top``/``bottom`` (baseline plus the
  font's descent, one font size tall, as pdfminer builds its boxes), ``size`` and ``fontname``.
  Characters PDFium generates itself (spaces and line breaks it infers) are skipped; PDFium drops a
  text object drawn twice at the same place (simulated bold) by itself.
- edges: every straight segment of every path object (inside form XObjects too), decomposed the
  way pdfminer/pdfplumber do (a two-point subpath is a line, an axis-aligned closed four-point
  subpath is a rectangle with four edges, anything else gives one edge per consecutive point pair).

Pages that this conversion cannot reproduce faithfully (rotated pages, a media box not at the
origin, a crop box smaller than the media box) raise ``UnsupportedPage``: the reader then falls
back to pdfplumber for the whole document.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingestion.pdf.settings import PDF_DEFAULTS

_WHITESPACE = str.maketrans("", "", " \t\r\n\x0b\x0c\u3000\xa0\x00\ufffe")
_NO_MAPPING = {"\x00", "\ufffe", "\uffff"}  # PDFium's text for a glyph it cannot map to Unicode
_BOX_TOLERANCE = PDF_DEFAULTS.box_tolerance  # PDF numbers are stored as floats: boxes equal within this are the same


class UnsupportedPage(Exception):
    """The page uses something this fast source does not reproduce exactly; use pdfplumber."""


class PdfiumDocument:
    """An open PDFium document; pages are opened one at a time and closed after use."""

    def __init__(self, path: Path):
        self._doc = pdfium.PdfDocument(str(path))

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
            yield PdfiumPage(page, textpage)
        finally:
            if textpage is not None:
                textpage.close()
            page.close()


class PdfiumPage:
    """One page: its whitespace-free text, chars and edges in pdfplumber's coordinates."""

    def __init__(self, page: pdfium.PdfPage, textpage: pdfium.PdfTextPage):
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

    def plain_text(self) -> str:
        """All text in content order without whitespace (for keyword searches)."""
        return self._textpage.get_text_range().translate(_WHITESPACE)

    def chars(self) -> list[dict]:
        return _page_chars(self._textpage, self.height)

    def edges(self) -> list[dict]:
        edges: list[dict] = []
        _collect_path_edges(self._page, edges, self.height)
        return edges


# -------------------------------------------------------------------------------------- chars
def _page_chars(textpage: pdfium.PdfTextPage, height: float) -> list[dict]:
    """The page's chars; ~2 PDFium calls a char (a text page holds thousands of them)."""
    tp = textpage.raw
    count = pdfium_c.FPDFText_CountChars(tp)
    text = textpage.get_text_range()
    if len(text) != count:  # characters outside the BMP shift the indices: read them one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(tp, i)) for i in range(count))
    is_generated = pdfium_c.FPDFText_IsGenerated
    get_object = pdfium_c.FPDFText_GetTextObject
    get_origin = pdfium_c.FPDFText_GetCharOrigin
    ox, oy = ctypes.c_double(), ctypes.c_double()
    runs: dict[int, tuple[float, float, str]] = {}  # text object -> (size, descent, font name)
    chars: list[dict] = []
    keys: list[int] = []  # index and text object of each char, for the advance below
    for i, ch in enumerate(text):
        if ch in _NO_MAPPING:
            raise UnsupportedPage("character without a Unicode mapping")
        if (ch.isspace() or ch == "\x02") and is_generated(tp, i):
            continue  # a space or line break PDFium inferred; nothing is drawn there
        obj = get_object(tp, i)
        run = ctypes.cast(obj, ctypes.c_void_p).value or 0
        font = runs.get(run)
        if font is None:
            font = runs[run] = _run_font(tp, i, obj)
        if not get_origin(tp, i, ox, oy):
            raise UnsupportedPage("character without a position")
        size = font[0]
        y0 = oy.value + font[1]
        chars.append(
            {
                "text": ch,
                "x0": ox.value,
                "x1": None,
                "top": height - (y0 + size),
                "bottom": height - y0,
                "size": size,
                "fontname": font[2],
                "upright": True,
            }
        )
        keys.append((i, run))
    # PDFium's loose box spans the glyph's advance for most glyphs, but a glyph's ink can reach
    # past it (a digit before "."): within one text run the next glyph's origin caps it.
    rect = pdfium_c.FS_RECTF()
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    for k, a in enumerate(chars):
        if not get_box(tp, keys[k][0], rect):
            raise UnsupportedPage("character without a box")
        x1 = max(rect.right, a["x0"])
        if k + 1 < len(chars) and keys[k + 1][1] == keys[k][1]:
            b = chars[k + 1]
            if abs(a["bottom"] - b["bottom"]) < _BOX_TOLERANCE and a["x0"] < b["x0"] < x1:
                x1 = b["x0"]
        a["x1"] = x1
    return chars


def _run_font(tp, index: int, obj) -> tuple[float, float, str]:
    """(font size, descent at that size, font name) of the text object holding char ``index``."""
    size = pdfium_c.FPDFText_GetFontSize(tp, index)
    handle = pdfium_c.FPDFTextObj_GetFont(obj)
    descent = ctypes.c_float()
    if not handle or not pdfium_c.FPDFFont_GetDescent(handle, ctypes.c_float(size), descent):
        raise UnsupportedPage("font without metrics")
    name = ctypes.create_string_buffer(256)
    n = pdfium_c.FPDFFont_GetBaseFontName(handle, name, len(name))
    return size, descent.value, name.value.decode("latin-1") if n else ""


# -------------------------------------------------------------------------------------- edges
_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(outer: _Matrix, inner: _Matrix) -> _Matrix:
    """The matrix applying ``inner`` first, then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _object_matrix(obj) -> _Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        raise UnsupportedPage("page object without a matrix")
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _collect_path_edges(page: pdfium.PdfPage, edges: list[dict], height: float) -> None:
    raw = page.raw
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        _object_edges(pdfium_c.FPDFPage_GetObject(raw, i), _IDENTITY, edges, height, depth=0)


def _object_edges(obj, parent: _Matrix, edges: list[dict], height: float, depth: int) -> None:
    kind = pdfium_c.FPDFPageObj_GetType(obj)
    if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
        if depth >= 15:
            raise UnsupportedPage("form XObjects nested too deep")
        matrix = _compose(parent, _object_matrix(obj))
        for k in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
            _object_edges(pdfium_c.FPDFFormObj_GetObject(obj, k), matrix, edges, height, depth + 1)
    elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
        a, b, c, d, e, f = _compose(parent, _object_matrix(obj))
        for closed, points in _subpaths(obj):
            page_points = [(a * x + c * y + e, height - (b * x + d * y + f)) for x, y in points]
            edges.extend(_subpath_edges(page_points, closed))


def _subpaths(path) -> list[tuple[bool, list[tuple[float, float]]]]:
    """(closed, points) of each subpath; Bézier control points count as points (as pdfminer's)."""
    out: list[tuple[bool, list[tuple[float, float]]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(pdfium_c.FPDFPath_CountSegments(path)):
        seg = pdfium_c.FPDFPath_GetPathSegment(path, k)
        if not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            raise UnsupportedPage("path segment without a point")
        if pdfium_c.FPDFPathSegment_GetType(seg) == pdfium_c.FPDF_SEGMENT_MOVETO or not out:
            out.append((False, []))
        closed, points = out[-1]
        points.append((x.value, y.value))
        if pdfium_c.FPDFPathSegment_GetClose(seg):
            out[-1] = (True, points)
    return out


def _edge(p0, p1, object_type: str, orientation: str | None) -> dict:
    x0, x1 = min(p0[0], p1[0]), max(p0[0], p1[0])
    top, bottom = min(p0[1], p1[1]), max(p0[1], p1[1])
    return {
        "object_type": object_type,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
    }


def _subpath_edges(points: list[tuple[float, float]], closed: bool) -> list[dict]:
    if len(points) > 1 and points[-1] == points[0] and len(points) == 5:
        points, closed = points[:-1], True
    if len(points) == 2:
        # pdfminer's LTLine: horizontal when both ends are at the same height, else "vertical".
        p0, p1 = points
        return [_edge(p0, p1, "line", "h" if p0[1] == p1[1] else "v")]
    if closed and len(points) == 4 and _is_axis_rectangle(points):
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
        return [
            _edge((x0, top), (x1, top), "rect_edge", "h"),
            _edge((x0, bottom), (x1, bottom), "rect_edge", "h"),
            _edge((x0, top), (x0, bottom), "rect_edge", "v"),
            _edge((x1, top), (x1, bottom), "rect_edge", "v"),
        ]
    return [
        _edge(p0, p1, "curve_edge", "v" if p0[0] == p1[0] else ("h" if p0[1] == p1[1] else None))
        for p0, p1 in zip(points, points[1:], strict=False)
    ]


def _is_axis_rectangle(points: list[tuple[float, float]]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
