"""Every kind of broken or unsuitable PDF is rejected with its own specific reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.model import ReportRejected
from ingestion.pdf.reader import NO_TABLE_REASON, read_pdf_report

# Three real department budget disclosures (Shanghai Putuo, 2025, made with WPS): 20-30 pages of
# other statements and no target table. Copied from shared/real-pdfs so CI always has them.
REAL_PDFS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "real-pdfs").glob("*.pdf"))


def _reason(path: Path, **kwargs) -> str:
    with pytest.raises(ReportRejected) as info:
        read_pdf_report(path, source_file=path.name, file_sha256="0" * 64, **kwargs)
    return info.value.reason


def test_no_table_reason_text():
    assert NO_TABLE_REASON == "no 项目支出绩效目标表 found"


def test_the_real_documents_are_bundled():
    assert len(REAL_PDFS) == 3


@pytest.mark.parametrize("path", REAL_PDFS, ids=[p.name for p in REAL_PDFS])
def test_real_budget_documents_without_target_table(path):
    assert _reason(path) == "no 项目支出绩效目标表 found"


def test_html_saved_as_pdf(broken_pdfs):
    assert _reason(broken_pdfs["html"]) == "not a PDF file (no %PDF- header; the content looks like an HTML page)"


def test_truncated(broken_pdfs):
    assert _reason(broken_pdfs["truncated"]) == "truncated or corrupt PDF (no %%EOF end marker: the file is cut off)"


def test_corrupt_body(tmp_path, broken_pdfs):
    # Complete-looking file (header and end marker) whose body is garbage.
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    assert _reason(path).startswith("truncated or corrupt PDF")


def test_empty(broken_pdfs):
    assert _reason(broken_pdfs["empty"]) == "empty file (0 bytes)"


def test_encrypted(broken_pdfs):
    assert _reason(broken_pdfs["encrypted"]) == (
        "password-protected (encrypted) PDF: it cannot be read without the password"
    )


def test_image_only(broken_pdfs):
    assert _reason(broken_pdfs["image_only"]) == (
        "no text layer: the PDF holds only images (a scan); OCR is not supported"
    )


def test_no_target_table(broken_pdfs):
    assert _reason(broken_pdfs["no_table"]) == "no 项目支出绩效目标表 found"


def test_too_many_pages(broken_pdfs):
    assert _reason(broken_pdfs["too_many_pages"], max_pages=10) == "too many pages (12; the limit is 10)"


def test_too_slow(generated_pdfs):
    path = generated_pdfs["001_482cb6efc95f57e9", "document"]
    reason = _reason(path, timeout_s=0.0)
    assert reason.startswith("too slow: gave up after ") and reason.endswith("(limit 0 s)")


def test_table_of_contents_alone_is_not_the_table(tmp_path):
    """A contents page that names the table (title without its header row) is not a match."""
    from tests.fixtures.pdf_generator import ReportSpec, render_report

    path = render_report(ReportSpec("测试部门", []), tmp_path / "toc_only.pdf", leading_pages=2)
    assert _reason(path) == "no 项目支出绩效目标表 found"
