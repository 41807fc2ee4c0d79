"""PDFium's page objects walked in content order, and its path objects as pdfplumber's edges.

pdfplumber's edges come from pdfminer's ``PDFConverter.paint_path`` (pdfminer.six 20260107), whose
rules are mirrored here exactly, operator by operator, so that both engines give the same rules:

- a path is cut into subpaths at every moveto; a moveto followed by nothing draws nothing;
- each operator contributes ONE point, its end point: a Bézier curve's two control points are
  dropped (PDFium reports them as segments: they are skipped here), a closepath adds the start;
- a closing lineto back to the start followed by closepath ("…lh") is dropped as redundant;
- "ml"/"mlh" is a line (horizontal when both ends are at the same height, else "vertical");
- "mlllh"/"mllll" returning to the start with axis-aligned sides is a rectangle (four edges);
- anything else is a curve: one edge per consecutive point pair.

Form XObjects are entered (their matrix composed with the parent's), to any depth below 15.
"""

from __future__ import annotations

import ctypes

import pypdfium2.raw as pdfium_c

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_FORM_DEPTH = 15


class UnsupportedPage(Exception):
    """The page uses something this fast source does not reproduce exactly; use pdfplumber."""


def compose(outer: Matrix, inner: Matrix) -> Matrix:
    """The matrix applying ``inner`` first, then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def object_matrix(obj) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        raise UnsupportedPage("page object without a matrix")
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def page_objects(page_raw) -> list[tuple[object, int, Matrix]]:
    """(object, type, matrix of the form it sits in) of every text and path object, in content order."""
    out: list[tuple[object, int, Matrix]] = []
    for i in range(pdfium_c.FPDFPage_CountObjects(page_raw)):
        _walk(pdfium_c.FPDFPage_GetObject(page_raw, i), IDENTITY, out, 0)
    return out


def _walk(obj, parent: Matrix, out: list, depth: int) -> None:
    kind = pdfium_c.FPDFPageObj_GetType(obj)
    if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
        if depth >= _MAX_FORM_DEPTH:
            raise UnsupportedPage("form XObjects nested too deep")
        matrix = compose(parent, object_matrix(obj))
        for k in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
            _walk(pdfium_c.FPDFFormObj_GetObject(obj, k), matrix, out, depth + 1)
    elif kind in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_TEXT):
        out.append((obj, kind, parent))


def path_edges(objects: list[tuple[object, int, Matrix]], height: float) -> list[dict]:
    edges: list[dict] = []
    for obj, kind, parent in objects:
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        a, b, c, d, e, f = compose(parent, object_matrix(obj))
        for shape, points in _subpaths(obj):
            page_points = [(a * x + c * y + e, height - (b * x + d * y + f)) for x, y in points]
            edges.extend(_paint(shape, page_points))
    return edges


def _subpaths(path) -> list[tuple[str, list[tuple[float, float]]]]:
    """(operators, end points) of each subpath, as pdfminer records them (see module docstring)."""
    out: list[tuple[str, list[tuple[float, float]]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    pending_controls = 0
    for k in range(pdfium_c.FPDFPath_CountSegments(path)):
        seg = pdfium_c.FPDFPath_GetPathSegment(path, k)
        if not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            raise UnsupportedPage("path segment without a point")
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        point = (x.value, y.value)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not out:
            out.append(("m", [point]))
            pending_controls = 0
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            if pending_controls < 2:  # PDFium lists both control points before the end point
                pending_controls += 1
                continue
            pending_controls = 0
            out[-1] = (out[-1][0] + "c", out[-1][1] + [point])
        else:
            out[-1] = (out[-1][0] + "l", out[-1][1] + [point])
        if pdfium_c.FPDFPathSegment_GetClose(seg):
            shape, points = out[-1]
            out[-1] = (shape + "h", points + [points[0]])
    return out


def _paint(shape: str, pts: list[tuple[float, float]]) -> list[dict]:
    """pdfminer's paint_path for one subpath, then pdfplumber's obj_to_edges."""
    if len(shape) < 2:
        return []  # a lone moveto: pdfminer's subpath split ("m[^m]+") drops it
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts = pts[:-2] + pts[-1:]
    if shape in ("mlh", "ml"):
        p0, p1 = pts[0], pts[1]
        return [_edge(p0, p1, "line", "h" if p0[1] == p1[1] else "v")]
    if shape in ("mlllh", "mllll") and pts[0] == pts[4] and _is_axis_rectangle(pts[:4]):
        xs = [p[0] for p in (pts[0], pts[2])]
        ys = [p[1] for p in (pts[0], pts[2])]
        x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
        return [
            _edge((x0, top), (x1, top), "rect_edge", "h"),
            _edge((x0, bottom), (x1, bottom), "rect_edge", "h"),
            _edge((x0, top), (x0, bottom), "rect_edge", "v"),
            _edge((x1, top), (x1, bottom), "rect_edge", "v"),
        ]
    return [
        _edge(p0, p1, "curve_edge", "v" if p0[0] == p1[0] else ("h" if p0[1] == p1[1] else None))
        for p0, p1 in zip(pts, pts[1:], strict=False)
    ]


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


def _is_axis_rectangle(points: list[tuple[float, float]]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
