"""Damaged copies of good reports give the original rows or a quarantine naming the damaged page.

Issue 17: bytes flipped or zeroed in a content stream, a page's content replaced by junk, the file
cut short, the cross-reference table garbled (``tests.fixtures.damage``, seeded). Both producers
(reportlab documents; LibreOffice Writer and Calc exports) and both engines. Every damaged copy
must read exactly as the original, or be rejected: with the damaged page named where the damage is
one page's content, with a file-level reason otherwise. A partial report is never returned.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2
import pytest

from ingestion.model import ReportRejected
from ingestion.pdf.content import ContentDamaged, check_content
from ingestion.pdf.integrity import damaged_pages
from ingestion.pdf.reader import read_pdf_report
from tests.fixtures.damage import KINDS, PAGE_KINDS, damage_pdf
from tests.fixtures.pdf_generator import render_report, spec_from_parsed_report

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pdfs"
OFFICE = {
    "writer": FIXTURES / "001_482cb6efc95f57e9.writer.pdf",
    "calc": FIXTURES / "003_cdfe4f5fefb7849c.calc.pdf",
}
ENGINES = ("pdfium", "pdfplumber")
SEEDS = (0, 1)
FILE_REASONS = {
    "truncate": "truncated or corrupt PDF (no %%EOF end marker",
    "xref": "truncated or corrupt PDF: its cross-reference table is damaged",
}


def _rows(report) -> list:
    """Everything a report's rows say, for an exact comparison."""
    return [
        (
            p.name,
            p.budget_unit,
            p.amounts,
            p.goal,
            [(i.printed_number, i.raw_text, i.annual_target) for i in p.indicators],
        )
        for p in report.projects
    ]


def _read(path: Path, engine: str):
    return read_pdf_report(path, source_file=path.name, file_sha256="0" * 64, engine=engine)


@pytest.fixture(scope="module")
def originals(tmp_path_factory, text_reports):
    """{producer: (path, the page its table starts on)}: reportlab documents and office exports."""
    out = tmp_path_factory.mktemp("damage_originals")
    files = {name: (path, 1) for name, path in OFFICE.items()}
    for stem in ("001_482cb6efc95f57e9", "003_cdfe4f5fefb7849c"):
        spec = spec_from_parsed_report(text_reports[stem])
        path = render_report(spec, out / f"{stem}.reportlab.pdf", leading_pages=2, trailing_statement=True)
        files[f"reportlab-{stem[:3]}"] = (path, 3)
    return files


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("producer", ["writer", "calc", "reportlab-001", "reportlab-003"])
def test_damage_gives_the_original_rows_or_names_the_page(originals, tmp_path, producer, kind, engine):
    source, table_page = originals[producer]
    expected = _rows(_read(source, "pdfplumber"))
    for seed in SEEDS:
        damaged = damage_pdf(source, tmp_path / f"{kind}-{seed}.pdf", kind, page=table_page, seed=seed)
        try:
            report = _read(damaged, engine)
        except ReportRejected as rejected:
            if kind == "font":  # shared by pages: the first damaged one on, before or after the table is named
                assert re.match(r"page \d+: resources damaged: its font \w+ cannot be read", rejected.reason)
            elif kind in PAGE_KINDS:
                assert rejected.reason.startswith(f"page {table_page}: "), rejected.reason
            else:  # the file's structure, not one page: the reason says which
                assert rejected.reason.startswith(FILE_REASONS[kind]), rejected.reason
            continue
        assert _rows(report) == expected, (producer, kind, engine, seed)


def test_damage_before_the_table_is_a_warning_and_the_table_reads_whole(originals, tmp_path):
    source, table_page = originals["reportlab-001"]
    damaged = damage_pdf(source, tmp_path / "cover.pdf", "junk", page=1)
    assert damaged_pages(damaged).keys() == {1}
    for engine in ENGINES:
        report = _read(damaged, engine)
        assert _rows(report) == _rows(_read(source, engine))
        assert report.warnings[0].startswith("page 1: content stream damaged")
        assert report.warnings[0].endswith(f"the table starts on page {table_page}, after it")


def test_damage_after_the_table_quarantines(originals, tmp_path):
    source, _ = originals["reportlab-001"]
    last = len(pypdfium2.PdfDocument(str(source)))  # the statement printed after the table
    damaged = damage_pdf(source, tmp_path / "trailing.pdf", "zero", page=last)
    for engine in ENGINES:
        with pytest.raises(ReportRejected, match=rf"^page {last}: content stream damaged"):
            _read(damaged, engine)


def test_every_bundled_pdf_is_undamaged():
    real = sorted((FIXTURES.parent / "real-pdfs").glob("*.pdf"))
    for path in [*sorted(FIXTURES.glob("*.pdf")), *real]:
        assert damaged_pages(path) == {}, path.name


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"BT /F1 12 Tf 10 10 Td (abc) Tj", "a text object is not ended"),
        (b"BT (abc", "a string is not closed"),
        (b"q 1 0 0 1 0 0 cm zork Q", "unknown operator b'zork'"),
        (b"[ (a) 1 (b) TJ", "an array is not closed"),
    ],
)
def test_content_that_stops_or_does_not_lex_is_damaged(content, why):
    with pytest.raises(ContentDamaged, match=re.escape(why)):
        check_content(content)


def test_well_formed_content_passes():
    check_content(
        b"q 0.5 g BT /F1 12 Tf 1 0 0 1 10 10 Tm [(a\\)b) -250 (c)] TJ T* (d) ' ET Q "
        b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00\xff EI 0 0 m 1 1 l S % a comment\n<< /MCID 0 >> BDC EMC"
    )


def test_a_refresh_quarantines_damaged_reports_and_publishes_the_rest(originals, tmp_path):
    """The issue's scenario end to end: beside the five samples, a PDF with a damaged table page and a
    text report whose item number was lost; the refresh publishes the samples and quarantines both,
    naming the page and the failed check, instead of publishing half of their indicators."""
    import shutil

    import duckdb

    from contract.settings import SAMPLES_DIR
    from orchestration.run import run_refresh

    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLES_DIR, inbox)
    source, table_page = originals["writer"]
    damage_pdf(source, inbox / "damaged_table.pdf", "zero", page=table_page, seed=1)
    sample = (SAMPLES_DIR / "001_482cb6efc95f57e9.txt").read_text(encoding="utf-8")
    (inbox / "lost_number.txt").write_text(
        sample.replace("10场次。2、1-产出指标", "10场次。、1-产出指标", 1), encoding="utf-8"
    )
    warehouse = tmp_path / "warehouse" / "budget.duckdb"
    outcome = run_refresh(inbox, warehouse, force=True)
    assert outcome.published, outcome.cause
    reasons = dict(map(tuple, outcome.quarantined))
    assert reasons["damaged_table.pdf"].startswith(f"damaged_table.pdf: page {table_page}: content stream damaged")
    assert "Suite report_integrity" in reasons["lost_number.txt"]
    assert "check='numbering_gap'" in reasons["lost_number.txt"]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute(
            "SELECT count(*), sum(project_count), sum(indicator_count) FROM main.dim_reports"
        ).fetchone() == (
            5,
            78,
            368,
        )
    finally:
        con.close()


def test_a_compressed_stream_cut_short_or_corrupt_is_damaged():
    import zlib

    from pdfminer.pdftypes import PDFStream
    from pdfminer.psparser import LIT

    from ingestion.pdf.content import decode_stream

    packed = zlib.compress(b"BT /F1 12 Tf (abc) Tj ET " * 50)

    def stream(raw: bytes) -> PDFStream:
        return PDFStream({"Filter": LIT("FlateDecode"), "Length": len(raw)}, raw)

    assert decode_stream(stream(packed)).startswith(b"BT /F1 12 Tf")
    with pytest.raises(ContentDamaged, match="compressed data cut short"):
        decode_stream(stream(packed[: len(packed) // 2]))
    flipped = bytearray(packed)
    flipped[len(packed) // 2] ^= 0xFF
    with pytest.raises(ContentDamaged, match="compressed data corrupt"):
        decode_stream(stream(bytes(flipped)))


def test_the_fast_lexer_and_the_exact_one_agree_on_damage():
    """check_content lexes in one pass and re-lexes only what it doubts: both give the same verdicts."""
    from ingestion.pdf.content import _check_exactly

    samples = [
        b"BT (a(b)c) Tj ET",  # nested parentheses: doubted, then accepted
        b"q BI /W 1 ID \x00zork\xff EI Q",  # inline image data: doubted, then accepted
        b"BT (abc) Tj",
        b"0.5x g",
        b"[ 1 2 ",
    ]
    for content in samples:
        verdicts = []
        for check in (check_content, _check_exactly):
            try:
                check(content)
                verdicts.append(None)
            except ContentDamaged as exc:
                verdicts.append(str(exc))
        assert verdicts[0] == verdicts[1], content
    check_content(samples[0])
    check_content(samples[1])


def test_a_damaged_form_the_page_draws_is_damage_of_that_page(tmp_path):
    """Text drawn through a Form XObject is the page's text: its stream is checked like the page's own."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "form.pdf"
    c = canvas.Canvas(str(path), pagesize=(300, 200))
    c.beginForm("table")
    c.setFont("Helvetica", 12)
    for y in range(10, 190, 14):
        c.drawString(10, y, f"row {y}: 1-output indicator; annual target {y}")
    c.endForm()
    c.doForm("table")
    c.showPage()
    c.save()
    assert damaged_pages(path) == {}
    damaged = damage_pdf(path, tmp_path / "damaged.pdf", "zero", page=1, xobject=True)
    assert damaged_pages(damaged)[1].startswith("content stream damaged: a form it draws: ")
