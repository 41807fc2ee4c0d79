"""The PDFium fast path: same page content as pdfplumber, used by default, and its fallbacks."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pdfplumber
import pytest

from ingestion.pdf import reader as pdf_reader
from ingestion.pdf.pdfium import PdfiumDocument
from ingestion.pdf.reader import extract_table_rows, read_pdf_report
from ingestion.pdf.sources import FastPathUnavailable
from tests.ingestion.pdf.conftest import sha256, with_cropbox

OFFICE_PDFS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "pdfs").glob("*.pdf"))


@pytest.mark.parametrize("path", OFFICE_PDFS, ids=[p.name for p in OFFICE_PDFS])
def test_pdfium_page_content_matches_pdfplumber(path):
    """Char by char: same texts, origins, boxes and sizes as pdfminer builds them (cf. test_parity)."""
    doc = PdfiumDocument(path)
    try:
        with pdfplumber.open(path) as pdf:
            for index, reference in enumerate(pdf.pages):
                with doc.page(index) as page:
                    chars = page.chars()
                ref_chars = reference.chars
                assert [c["text"] for c in chars] == [c["text"] for c in ref_chars]
                for key in ("x0", "top", "bottom", "size"):
                    assert max(abs(a[key] - b[key]) for a, b in zip(chars, ref_chars, strict=True)) < 0.01, key
    finally:
        doc.close()


def _text_matrix_pdf(path: Path, size: float, tf: float) -> Path:
    """One line of text written with ``tf Tf`` and the rest of ``size`` in the text matrix."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(300, 200))
    t = c.beginText()
    t.setFont("Helvetica", tf)
    scale = size / tf
    t.setTextTransform(scale, 0, 0, scale, 20, 100)
    t.textOut("Size 123")
    c.drawText(t)
    c.save()
    return path


@pytest.mark.parametrize(("size", "tf"), [(7.0, 1.0), (12.0, 240.0), (9.0, 9.0)])
def test_char_size_includes_the_text_matrix(tmp_path, size, tf):
    """Adobe/Quartz "1 Tf" with the size in Tm, WPS "20·size Tf" with a 0.05 matrix, plain Tf."""
    path = _text_matrix_pdf(tmp_path / "t.pdf", size, tf)
    doc = PdfiumDocument(path)
    try:
        with doc.page(0) as page:
            chars = page.chars()
    finally:
        doc.close()
    assert [round(c["size"], 3) for c in chars] == [size] * len("Size 123")
    with pdfplumber.open(path) as pdf:
        ref = pdf.pages[0].chars
    assert max(abs(a["top"] - b["top"]) for a, b in zip(chars, ref, strict=True)) < 0.01


def test_auto_reads_with_pdfium(generated_pdfs):
    path = generated_pdfs["002_39e10e3528be362f", "document"]
    fast = extract_table_rows(path)
    reference = extract_table_rows(path, engine="pdfplumber")
    assert (fast.engine, reference.engine) == ("pdfium", "pdfplumber")
    assert fast.rows == reference.rows and fast.department_name == reference.department_name
    assert fast.page_count == reference.page_count == 6


def test_unsupported_page_falls_back_to_pdfplumber(tmp_path, generated_pdfs):
    original = generated_pdfs["003_cdfe4f5fefb7849c", "document"]
    cropped = with_cropbox(original, tmp_path / "cropped.pdf")
    with pytest.raises(FastPathUnavailable, match="crop box differs from media box"):
        extract_table_rows(cropped, engine="pdfium")
    table = extract_table_rows(cropped)
    assert table.engine == "pdfplumber"
    assert [r.name for r in table.rows] == [r.name for r in extract_table_rows(original).rows]


def test_no_table_on_fast_path_is_judged_by_pdfplumber(broken_pdfs):
    with pytest.raises(FastPathUnavailable, match="no 项目支出绩效目标表 found"):
        extract_table_rows(broken_pdfs["no_table"], engine="pdfium")
    with pytest.raises(FastPathUnavailable, match="PDFium cannot open it"):
        extract_table_rows(broken_pdfs["encrypted"], engine="pdfium")


def test_failed_sum_checks_on_fast_path_use_pdfplumber_reading(monkeypatch, generated_pdfs):
    """A fast reading that lost a row (its unit subtotal no longer adds up) is replaced."""
    path = generated_pdfs["001_482cb6efc95f57e9", "document"]
    reference = read_pdf_report(path, source_file=path.name, file_sha256=sha256(path), engine="pdfplumber")
    real = pdf_reader._read_with_pdfium

    def lossy(*args):
        table = real(*args)
        table.rows = table.rows[:-1]  # the last project row vanished
        return table

    monkeypatch.setattr(pdf_reader, "_read_with_pdfium", lossy)
    lossy_report = read_pdf_report(path, source_file=path.name, file_sha256=sha256(path), engine="pdfium")
    assert len(lossy_report.projects) == len(reference.projects) - 1
    assert any(w.startswith("sums do not add up: ") for w in lossy_report.warnings)
    report = read_pdf_report(path, source_file=path.name, file_sha256=sha256(path))
    assert (report.pdf_engine, report.pdf_engine_reason) == (
        "pdfplumber",
        "PDFium reading doubtful: its sums do not add up",
    )
    assert dataclasses.replace(report, pdf_engine_reason=reference.pdf_engine_reason) == reference


def test_engine_name_is_checked(generated_pdfs):
    with pytest.raises(ValueError, match="engine must be one of"):
        extract_table_rows(generated_pdfs["001_482cb6efc95f57e9", "document"], engine="fast")
