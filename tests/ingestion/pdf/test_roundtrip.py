"""A sample printed to PDF (by our generator and by LibreOffice) reads into exactly its text rows."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest

from ingestion.pdf.reader import read_pdf_report
from tests.ingestion.pdf.conftest import SAMPLE_STEMS, VARIANTS, sha256

# Both readings must be exact on their own: "pdfium" has no fallback, "pdfplumber" is the reference.
ENGINES = ["pdfium", "pdfplumber"]

OFFICE_PDFS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "pdfs").glob("*.pdf"))


def _indicator_fields(ind) -> dict:
    fields = asdict(ind)
    fields.pop("source_page")  # the text extracts have no pages
    return fields


def assert_same_table(pdf_report, text_report):
    assert pdf_report.layout == "pdf"
    assert pdf_report.department_name == text_report.department_name
    assert pdf_report.declared_total == text_report.declared_total
    assert [(u.name, u.declared) for u in pdf_report.budget_units] == [
        (u.name, u.declared) for u in text_report.budget_units
    ]
    assert [p.name for p in pdf_report.projects] == [p.name for p in text_report.projects]
    for got, want in zip(pdf_report.projects, text_report.projects, strict=False):
        assert got.budget_unit == want.budget_unit, want.name
        assert got.amounts == want.amounts, want.name
        assert got.goal == want.goal, want.name
        assert len(got.indicators) == len(want.indicators), want.name
        for g, w in zip(got.indicators, want.indicators, strict=False):
            assert _indicator_fields(g) == _indicator_fields(w), want.name
            assert g.source_page is not None
    assert pdf_report.warnings == text_report.warnings


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_generator_pdf_reads_like_text(stem, variant, engine, generated_pdfs, text_reports):
    path = generated_pdfs[stem, variant]
    report = read_pdf_report(path, source_file=path.name, file_sha256=sha256(path), engine=engine)
    assert_same_table(report, text_reports[stem])


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", OFFICE_PDFS, ids=[p.name for p in OFFICE_PDFS])
def test_libreoffice_pdf_reads_like_text(path, engine, text_reports):
    report = read_pdf_report(path, source_file=path.name, file_sha256=sha256(path), engine=engine)
    assert_same_table(report, text_reports[path.name.split(".")[0]])


def test_office_fixtures_cover_both_applications_and_layouts():
    producers = {p.name.split(".")[1] for p in OFFICE_PDFS}
    assert {"calc", "writer", "writer_borderless"} <= producers
    assert {p.name.split(".")[0] for p in OFFICE_PDFS} >= {"000_78a7ae6ba5b81e46", "002_39e10e3528be362f"}


@pytest.mark.parametrize("engine", ENGINES)
def test_document_page_count_and_pages(generated_pdfs, engine):
    import pdfplumber

    path = generated_pdfs["004_a302c5053bc31a53", "document"]
    report = read_pdf_report(path, source_file=path.name, file_sha256=sha256(path), engine=engine)
    with pdfplumber.open(path) as pdf:
        assert report.page_count == len(pdf.pages)
    # 3 leading statements, then the table: its first row is on page 4; the trailing statement
    # (a ruled table with other columns) is not read as part of it.
    assert report.projects[0].source_page == 4
    pages = [p.source_page for p in report.projects]
    assert pages == sorted(pages) and pages[-1] < report.page_count
    assert [p.source_row for p in report.projects] == sorted(p.source_row for p in report.projects)
