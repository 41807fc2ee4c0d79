"""Lineage: which engine read a PDF, and why the fast path was not used, down to dim_reports."""

from __future__ import annotations

import shutil

import duckdb

from ingestion.pdf.reader import read_pdf_report
from tests.ingestion.pdf.conftest import sha256, with_cropbox


def test_report_records_its_engine(tmp_path, generated_pdfs):
    fast_path = generated_pdfs["001_482cb6efc95f57e9", "wps"]
    fast = read_pdf_report(fast_path, source_file=fast_path.name, file_sha256=sha256(fast_path))
    assert (fast.pdf_engine, fast.pdf_engine_reason) == ("pdfium", None)
    cropped = with_cropbox(generated_pdfs["003_cdfe4f5fefb7849c", "document"], tmp_path / "cropped.pdf")
    slow = read_pdf_report(cropped, source_file=cropped.name, file_sha256=sha256(cropped))
    assert slow.pdf_engine == "pdfplumber"
    assert "crop box differs from media box" in slow.pdf_engine_reason
    chosen = read_pdf_report(fast_path, source_file=fast_path.name, file_sha256="0" * 64, engine="pdfplumber")
    assert (chosen.pdf_engine, chosen.pdf_engine_reason) == ("pdfplumber", "pdfplumber requested")


def test_dim_reports_carries_the_engine(tmp_path, generated_pdfs):
    from orchestration.run import run_refresh

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(generated_pdfs["001_482cb6efc95f57e9", "wps"], inbox / "wps_2025.pdf")
    with_cropbox(generated_pdfs["003_cdfe4f5fefb7849c", "document"], inbox / "cropped_2025.pdf")
    warehouse = tmp_path / "warehouse" / "budget.duckdb"
    outcome = run_refresh(inbox, warehouse, force=True)
    assert outcome.published, outcome.cause
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = dict(
            (name, (engine, reason))
            for name, engine, reason in con.execute(
                "select source_file, pdf_engine, pdf_engine_reason from dim_reports"
            ).fetchall()
        )
    assert rows["wps_2025.pdf"] == ("pdfium", None)
    assert rows["cropped_2025.pdf"][0] == "pdfplumber"
    assert "crop box" in rows["cropped_2025.pdf"][1]


def test_text_reports_have_no_engine(samples_warehouse):
    with duckdb.connect(str(samples_warehouse), read_only=True) as con:
        engines = con.execute("select distinct pdf_engine, pdf_engine_reason from dim_reports").fetchall()
    assert engines == [(None, None)]
