"""Session fixtures: the five samples as read by the text reader, and generator-made PDFs of them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.fixtures.pdf_generator import make_broken_pdfs, render_report, spec_from_parsed_report, wqy_font_path

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = sorted((ROOT / "data" / "samples").glob("*.txt"))
SAMPLE_STEMS = [p.stem for p in SAMPLES]

# Generator variants: one plain (inside a whole budget document), one with every rendering quirk,
# and the text-writing styles of other producers.
VARIANTS = {
    "document": dict(leading_pages=3, trailing_statement=True),
    "quirks": dict(
        simulated_bold=True,
        lookalikes=True,
        fullwidth_digits=True,
        repeat_header=False,
        font_size=6.5,
        font_path=wqy_font_path(),
    ),
    # Producers' ways of writing text: Adobe/Quartz ("1 Tf", size in Tm), WPS ("20·size Tf", 0.05
    # matrix, a text object per glyph); with Bézier curves on the page (a seal, a rounded box).
    "quartz": dict(text_style="quartz", curves=True, leading_pages=1),
    "wps": dict(text_style="wps", curves=True, leading_pages=1),
}


def with_cropbox(source: Path, target: Path) -> Path:
    """The same document with every page's crop box 1 pt inside its media box (PDFium's fast path refuses it)."""
    doc = pdfium.PdfDocument(str(source))
    try:
        for page in doc:
            x0, y0, x1, y1 = page.get_mediabox()
            page.set_cropbox(x0 + 1, y0 + 1, x1 - 1, y1 - 1)
            page.close()
        doc.save(str(target))
    finally:
        doc.close()
    return target


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def text_reports():
    from ingestion.text.reader import read_text_report

    return {p.stem: read_text_report(p, source_file=p.name, file_sha256=sha256(p)) for p in SAMPLES}


@pytest.fixture(scope="session")
def generated_pdfs(tmp_path_factory, text_reports):
    """{(stem, variant): path} for every sample and generator variant."""
    out_dir = tmp_path_factory.mktemp("generated_pdfs")
    paths = {}
    for stem, report in text_reports.items():
        spec = spec_from_parsed_report(report)
        for variant, options in VARIANTS.items():
            paths[stem, variant] = render_report(spec, out_dir / f"{stem}.{variant}.pdf", **options)
    return paths


@pytest.fixture(scope="session")
def broken_pdfs(tmp_path_factory):
    return make_broken_pdfs(tmp_path_factory.mktemp("broken_pdfs"))
