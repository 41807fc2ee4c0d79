"""A page's characters read with PDFium, built the way pdfminer builds its ``LTChar`` boxes.

pdfminer's box of a horizontal glyph is, in text space, from the pen origin to its advance, from
``descent·fs`` to ``descent·fs + fs`` (fs the ``Tf`` operand), mapped through the text matrix and
the CTM; its ``size`` is the box height. PDFium's ``FPDFText_GetFontSize`` is the bare ``Tf``
operand, so producers that write ``1 Tf`` with the size in ``Tm`` (Adobe, Quartz) or
``20·size Tf`` with a 0.05 matrix (WPS) would give sizes of 1 pt or 360 pt: the size and the
vertical extent are therefore scaled by the char matrix (``FPDFText_GetMatrix``), exactly as
pdfminer's matrix does. What PDFium reports differently is undone at its cause:

- order: PDFium's text page may reorder text objects; chars are put back in content order (the
  order of the text objects in the content stream, then PDFium's order inside one object);
- drawn spaces: PDFium drops a text object that draws only blank glyphs (WPS draws every glyph,
  spaces too, as its own object); each such object (no ink: zero bounds) becomes one space char
  at its origin, half an em wide at most (a space's right edge is never read). PDFium also drops
  a copy of a text object drawn again a fraction of a point away (simulated bold), which
  pdfplumber's reading loses too (``chars.without_doubles``);
- ligatures: PDFium splits one ligature glyph into its letters, all at the glyph's origin; they
  are joined back into one char;
- line-end hyphens: PDFium reports a hyphen that ends a line as U+0002 or U+FFFE; it is "-";
- a glyph without Unicode is one with ``FPDFText_HasUnicodeMapError`` (not U+FFFE, above).

Rotated, mirrored or vertical text is not reproduced (pdfminer's boxes and ``upright`` differ):
``UnsupportedPage``, and the document is read by pdfplumber. Both engines' chars then pass through
``chars.normalize_chars`` (one rule for ligatures and soft hyphens, see there).
"""

from __future__ import annotations

import ctypes
import math

import pypdfium2.raw as pdfium_c

from ingestion.pdf.font_metrics import font_key
from ingestion.pdf.pdfium_paths import Matrix, UnsupportedPage, compose, object_matrix
from ingestion.pdf.settings import PDF_DEFAULTS

_BOX_TOLERANCE = PDF_DEFAULTS.box_tolerance
_LINE_END_HYPHENS = {"\x02", "\ufffe"}


def _address_prototype(function, restype, *argtypes):
    """``function`` called through plain addresses: a handle is an int, hashed and compared cheaply
    (a cast of each of thousands of handles to an int costs more than the call itself)."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)


_VP, _INT, _DOUBLE_P = ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_double)
_is_generated = _address_prototype(pdfium_c.FPDFText_IsGenerated, _INT, _VP, _INT)
_unmapped = _address_prototype(pdfium_c.FPDFText_HasUnicodeMapError, _INT, _VP, _INT)
_char_origin = _address_prototype(pdfium_c.FPDFText_GetCharOrigin, _INT, _VP, _INT, _DOUBLE_P, _DOUBLE_P)
_loose_box = _address_prototype(pdfium_c.FPDFText_GetLooseCharBox, _INT, _VP, _INT, ctypes.POINTER(pdfium_c.FS_RECTF))
_text_object = _address_prototype(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_object_font = _address_prototype(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p, ctypes.c_void_p)
_font_name = _address_prototype(
    pdfium_c.FPDFFont_GetBaseFontName, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t
)
_font_descent_at = _address_prototype(
    pdfium_c.FPDFFont_GetDescent, ctypes.c_int, ctypes.c_void_p, ctypes.c_float, ctypes.POINTER(ctypes.c_float)
)


def _pointer(obj) -> int:
    return ctypes.cast(obj, ctypes.c_void_p).value or 0


def page_chars(
    tp, text: str, objects: list[tuple[object, int, Matrix]], height: float, descents: dict[str, float]
) -> list[dict]:
    """The page's chars in content order (see module docstring).

    ``text`` is the text page's whole text, ``objects`` the page's objects from ``page_objects``,
    ``descents`` pdfminer's descent of each font (``font_metrics``).
    """
    count = pdfium_c.FPDFText_CountChars(tp)
    if len(text) != count:  # characters outside the BMP shift the indices: read them one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(tp, i)) for i in range(count))
    runs: dict[int, tuple[float, float, float, str]] = {}  # text object -> (size, vscale, descent, font)
    fonts: dict[int, tuple[str, float | None]] = {}  # font handle -> (name, pdfminer's descent per unit)
    by_run: dict[int, list[dict]] = {}
    tp_address = ctypes.cast(tp, ctypes.c_void_p).value
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    x_ref, y_ref = ctypes.byref(origin_x), ctypes.byref(origin_y)
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    for i, ch in enumerate(text):
        if _is_generated(tp_address, i):
            continue  # a space or line break PDFium inferred; nothing is drawn there
        if _unmapped(tp_address, i):
            raise UnsupportedPage("glyph without a Unicode mapping")
        run = _text_object(tp_address, i) or 0
        font = runs.get(run)
        if font is None:
            font = runs[run] = _run_font(tp, i, run, descents, fonts)
        if not _char_origin(tp_address, i, x_ref, y_ref):
            raise UnsupportedPage("character without a position")
        if not _loose_box(tp_address, i, rect_ref):
            raise UnsupportedPage("character without a box")
        size, vscale, descent, fontname = font
        x0 = origin_x.value
        chars = by_run.setdefault(run, [])
        if chars and abs(chars[-1]["x0"] - x0) < _BOX_TOLERANCE:
            if abs(chars[-1]["_oy"] - origin_y.value) >= _BOX_TOLERANCE:
                raise UnsupportedPage("vertical text")  # the pen moved down, not across
            chars[-1]["text"] += ch  # one ligature glyph split into its letters: one box
            chars[-1]["x1"] = max(chars[-1]["x1"], rect.right)
            continue
        if ch in _LINE_END_HYPHENS:
            ch = "-"
        y0 = origin_y.value + descent
        chars.append(
            {
                "text": ch,
                "x0": x0,
                "x1": max(rect.right, x0),
                "top": height - (y0 + size),
                "bottom": height - y0,
                "size": size,
                "fontname": fontname,
                "upright": True,
                "_oy": origin_y.value,
                "_run": run,
            }
        )
    return _in_content_order(by_run, objects, runs, height, descents)


def _font_descent(handle: int, tf: float, descents: dict[str, float], fonts: dict) -> tuple[float, str]:
    """(descent at size ``tf`` in text space, font name): pdfminer's descent where it is known."""
    cached = fonts.get(handle)
    if cached is None:
        name = ctypes.create_string_buffer(256)
        n = _font_name(handle, name, len(name))
        fontname = name.value.decode("latin-1") if n else ""
        cached = fonts[handle] = (fontname, descents.get(font_key(fontname)))
    fontname, known = cached
    if known is not None:
        if math.isnan(known):
            raise UnsupportedPage(f"font {fontname} not reproduced (Type3, or two fonts of that name)")
        return known * tf, fontname
    descent = ctypes.c_float()
    if not _font_descent_at(handle, tf, ctypes.byref(descent)):
        raise UnsupportedPage("font without metrics")
    return descent.value, fontname


def _run_font(tp, index: int, obj: int, descents: dict[str, float], fonts: dict) -> tuple[float, float, float, str]:
    """(size, vertical scale, descent, font name) of the text object holding char ``index``."""
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFText_GetMatrix(tp, index, m):
        raise UnsupportedPage("character without a matrix")
    if abs(m.b) > 1e-9 or abs(m.c) > 1e-9 or m.a <= 0 or m.d <= 0:
        raise UnsupportedPage("rotated or mirrored text")
    tf = pdfium_c.FPDFText_GetFontSize(tp, index)
    handle = _object_font(obj)
    if not handle:
        raise UnsupportedPage("text without a font")
    descent, fontname = _font_descent(handle, tf, descents, fonts)
    return tf * m.d, m.d, descent * m.d, fontname


def _blank_object_char(obj, parent: Matrix, height: float, descents: dict[str, float]) -> dict | None:
    """The space drawn by a text object PDFium left out of its text page.

    PDFium leaves out two kinds of text objects: those drawing only blank glyphs (no ink, zero
    bounds: a space) and a copy of the text object just before, drawn again a fraction of a point
    away (simulated bold; pdfplumber's copy is removed by ``chars.without_doubles``). None for the
    latter, or when the object has no font.
    """
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top) or right.value - left.value > 0:
        return None  # it draws ink: a copy PDFium merged with the same text drawn just before
    a, b, c, d, e, f = compose(parent, object_matrix(obj))
    tf = ctypes.c_float()
    handle = _object_font(_pointer(obj))
    if not handle or not pdfium_c.FPDFTextObj_GetFontSize(obj, tf) or tf.value <= 0:
        return None
    if abs(b) > 1e-9 or abs(c) > 1e-9 or a <= 0 or d <= 0:
        raise UnsupportedPage("rotated or mirrored text")
    descent, fontname = _font_descent(handle, tf.value, descents, {})
    size = tf.value * d
    y0 = f + descent * d
    return {
        "text": " ",
        "x0": e,
        "x1": e + size / 2,  # refined below from the next glyph on the same baseline
        "top": height - (y0 + size),
        "bottom": height - y0,
        "size": size,
        "fontname": fontname,
        "upright": True,
        "_oy": f,
        "_run": 0,
    }


def _in_content_order(by_run: dict[int, list[dict]], objects, runs: dict, height: float, descents) -> list[dict]:
    """Chars ordered by their text object's place in the content stream; blank objects as spaces."""
    ordered: list[dict] = []
    for obj, kind, parent in objects:
        if kind != pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue
        key = _pointer(obj)
        chars = by_run.pop(key, None)
        if chars is not None:
            ordered.extend(chars)
        elif key not in runs:
            space = _blank_object_char(obj, parent, height, descents)
            if space is not None:
                ordered.append(space)
    for chars in by_run.values():  # not found among the page objects (should not happen): keep them
        ordered.extend(chars)
    _cap_advances(ordered)
    for ch in ordered:
        del ch["_oy"], ch["_run"]
    return ordered


def _cap_advances(chars: list[dict]) -> None:
    """A glyph's box ends at the next glyph's origin on the same baseline when it reaches past it.

    PDFium's loose box spans the advance for most glyphs, but a glyph's ink can reach past it (a
    digit before "."): within one text run the next glyph's origin caps it. A space left out by
    PDFium (run 0) is given half an em, capped the same way by the next glyph on its baseline.
    """
    for a, b in zip(chars, chars[1:], strict=False):
        same_run = a["_run"] == b["_run"] or a["_run"] == 0
        if same_run and abs(a["_oy"] - b["_oy"]) < _BOX_TOLERANCE and a["x0"] < b["x0"] < a["x1"]:
            a["x1"] = b["x0"]
