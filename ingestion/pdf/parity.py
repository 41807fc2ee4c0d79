"""Does the PDFium source read a page exactly like pdfplumber? The criteria, page by page.

A page is identical when, after each source's normalisation (``sources.SourcePage``):

- characters: the same texts in the same order, every box (x0, top, bottom) within 0.25 pt.
  Known gap: on a page drawn in simulated bold (every glyph twice, a fraction of a point apart),
  PDFium merges the copies itself and may keep the second copy of a blank glyph, later in the
  content order and up to the offset away; there the spaces are left out of this comparison
  (the visible glyphs, the grid and the cell texts below must still be identical);
- advances (reported apart): every glyph's right edge x1 within 0.25 pt. Known gap: for the last
  glyph of a text run PDFium's loose box can reach past the advance (digits of a non-embedded
  CID font); inside a run the next glyph's origin caps it. A space's right edge is not compared
  (PDFium does not expose the advance of a blank glyph it leaves out of its text page). Only the
  word-gap test of ``chars.line_text`` reads x1: the cell-text criterion below checks its outcome;
- rules: the same horizontal and vertical edges, each coordinate within 0.25 pt;
- grid and cell texts: the ruled tables found by the reader's own table finder, with the same
  column edges (within 0.25 pt) and the same text in every cell.

Used by the tests (a multi-producer corpus) and by ``make bench`` (the parity figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingestion.pdf.sources import FastPathUnavailable, PdfiumSource, PlumberSource, SourcePage
from ingestion.pdf.tables import find_ruled_tables

TOLERANCE = 0.25
_BOX = ("x0", "x1", "top", "bottom")


@dataclass(frozen=True)
class PageParity:
    page: int  # 1-based
    fallback: str | None  # why the fast source refused the page (None: it read it)
    chars: bool = False
    advances: bool = False
    rules: bool = False
    grids: bool = False
    ruled_table: bool = False  # the reference finds a ruled table on the page
    detail: str = ""

    @property
    def identical(self) -> bool:
        return self.fallback is None and self.chars and self.rules and self.grids


def _chars_differ(fast: list[dict], ref: list[dict], keys=("x0", "top", "bottom")) -> str:
    if [c["text"] for c in fast] != [c["text"] for c in ref]:
        return f"texts differ ({len(fast)} vs {len(ref)} chars)"
    for a, b in zip(fast, ref, strict=True):
        if a["text"].isspace() and keys == ("x1",):
            continue
        if any(abs(a[k] - b[k]) > TOLERANCE for k in keys):
            return f"box of {a['text']!r} differs: {[round(a[k], 2) for k in _BOX]} vs {[round(b[k], 2) for k in _BOX]}"
    return ""


def _rules(edges: list[dict]) -> list[tuple]:
    return sorted(
        (e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"]) for e in edges if e["orientation"] in ("h", "v")
    )


def _rules_differ(fast: list[dict], ref: list[dict]) -> str:
    """Each rule of one engine matched to a distinct rule of the other within the tolerance."""
    a, b = _rules(fast), _rules(ref)
    if len(a) != len(b):
        return f"{len(a)} rules vs {len(b)}"
    unmatched = list(b)
    for x in a:
        match = next(
            (
                y
                for y in unmatched
                if y[0] == x[0] and all(abs(p - q) <= TOLERANCE for p, q in zip(x[1:], y[1:], strict=True))
            ),
            None,
        )
        if match is None:
            return f"rule {x[0]} {[round(v, 2) for v in x[1:]]} has no counterpart"
        unmatched.remove(match)
    return ""


def _grids(page: SourcePage) -> list[tuple[list[float], list[list[str]]]]:
    return [(g.col_edges, g.rows) for g in find_ruled_tables(page.edges(), page.bbox, page.chars())]


def _grids_differ(fast, ref) -> str:
    if len(fast) != len(ref):
        return f"{len(fast)} ruled tables vs {len(ref)}"
    for (cols_a, rows_a), (cols_b, rows_b) in zip(fast, ref, strict=True):
        if len(cols_a) != len(cols_b) or any(abs(p - q) > TOLERANCE for p, q in zip(cols_a, cols_b, strict=True)):
            return "column edges differ"
        if rows_a != rows_b:
            return "cell texts differ"
    return ""


def compare_page(fast: SourcePage, ref: SourcePage, number: int) -> PageParity:
    """The parity of one page read by both sources."""
    ref_grids = _grids(ref)
    fast_chars, ref_chars = fast.chars(), ref.chars()
    if fast.doubled or ref.doubled:
        fast_chars = [c for c in fast_chars if not c["text"].isspace()]
        ref_chars = [c for c in ref_chars if not c["text"].isspace()]
    chars = _chars_differ(fast_chars, ref_chars)
    advances = _chars_differ(fast_chars, ref_chars, keys=("x1",))
    rules = _rules_differ(fast.edges(), ref.edges())
    grids = _grids_differ(_grids(fast), ref_grids)
    return PageParity(
        number,
        None,
        chars=not chars,
        advances=not advances,
        rules=not rules,
        grids=not grids,
        ruled_table=bool(ref_grids),
        detail="; ".join(d for d in (chars, rules, grids, advances) if d),
    )


def compare_document(path: Path, max_pages: int = 400) -> list[PageParity]:
    """Every page's parity; pages the fast source refuses carry the reason (``fallback``)."""
    ref_source = PlumberSource(path, max_pages=max_pages)
    try:
        fast_source = PdfiumSource(path, max_pages=max_pages)
    except FastPathUnavailable as why:
        ref_source.close()
        return [PageParity(n + 1, str(why)) for n in range(ref_source.page_count)]
    out: list[PageParity] = []
    try:
        for index in range(ref_source.page_count):
            with ref_source.page(index) as ref:
                try:
                    with fast_source.page(index) as fast:
                        out.append(compare_page(fast, ref, index + 1))
                except FastPathUnavailable as why:
                    out.append(PageParity(index + 1, str(why), ruled_table=bool(_grids(ref))))
    finally:
        fast_source.close()
        ref_source.close()
    return out
