"""Parity: on every page of a multi-producer corpus, PDFium reads what pdfplumber reads, or refuses.

The corpus (all made here, nothing fetched): the five samples rendered by reportlab in the plain,
Adobe/Quartz ("1 Tf", size in Tm) and WPS ("20·size Tf", 0.05 matrix, a text object per glyph)
styles with Bézier curves, LibreOffice Writer/Calc output, three real WPS-produced budget
documents, a page of glyph quirks (ligatures, soft and line-end hyphens, drawn spaces) in the
three styles, rotated text, and a table printed by headless Chromium (Skia) when installed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ingestion.pdf.parity import compare_document
from ingestion.pdf.reader import extract_table_rows
from tests.fixtures.pdf_generator import DEJAVU_SANS, make_text_quirks_pdfs

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
COMMITTED = sorted((FIXTURES / "pdfs").glob("*.pdf")) + sorted((FIXTURES / "real-pdfs").glob("*.pdf"))


def assert_parity(path: Path, *, expect_fallback: bool | None = False) -> None:
    """Every page identical (chars, rules, grids and cell texts), or refused by the fast source.

    ``expect_fallback``: False (no page may be refused), True (some page must be), None (either).
    """
    pages = compare_document(path)
    refused = [p for p in pages if p.fallback is not None]
    if expect_fallback:
        assert refused, f"{path.name}: the fast source did not refuse what it cannot reproduce"
    elif expect_fallback is False:
        assert not refused, [(p.page, p.fallback) for p in refused]
    pages = [p for p in pages if p.fallback is None]
    differing = [(p.page, p.detail) for p in pages if not (p.chars and p.rules and p.grids)]
    assert not differing, f"{path.name}: {differing}"


@pytest.mark.parametrize("path", COMMITTED, ids=[p.name for p in COMMITTED])
def test_committed_producers(path):
    assert_parity(path)


@pytest.mark.parametrize("variant", ["document", "quirks", "quartz", "wps"])
def test_generated_styles(variant, generated_pdfs):
    for (_, v), path in generated_pdfs.items():
        if v == variant:
            assert_parity(path)


def test_styles_read_by_pdfium_into_the_same_rows(generated_pdfs):
    for (stem, variant), path in generated_pdfs.items():
        if variant in ("quartz", "wps"):
            fast = extract_table_rows(path)
            assert fast.engine == "pdfium", (stem, variant)
            assert fast.rows == extract_table_rows(path, engine="pdfplumber").rows, (stem, variant)
            plain = extract_table_rows(generated_pdfs[stem, "document"]).rows
            assert [(r.name, r.amounts, r.goal, r.indicators) for r in fast.rows] == [
                (r.name, r.amounts, r.goal, r.indicators) for r in plain
            ], (stem, variant)


@pytest.fixture(scope="module")
def quirks(tmp_path_factory):
    return make_text_quirks_pdfs(tmp_path_factory.mktemp("quirks"))


@pytest.mark.skipif(not Path(DEJAVU_SANS).exists(), reason="DejaVu Sans (ligature glyphs) is not installed")
def test_glyph_quirks_read_alike(quirks):
    assert_parity(quirks["glyphs"])
    pages = compare_document(quirks["glyphs"])
    assert len(pages) == 3 and all(p.identical for p in pages), [(p.page, p.detail) for p in pages]


def test_rotated_text_is_refused(quirks):
    assert_parity(quirks["rotated"], expect_fallback=True)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
_TABLE_HTML = """<html><head><meta charset="utf-8"><style>
table { border-collapse: collapse; font-size: 9pt } td, th { border: 0.75pt solid black; padding: 3pt }
.seal { border: 1pt solid red; border-radius: 20pt; width: 80pt; height: 30pt }
</style></head><body><h3>项目支出绩效目标表</h3><table>
<tr><th>项目名称</th><th>总计</th><th>绩效目标</th></tr>
<tr><td>社区服务 flow office</td><td>1,234.50</td><td>完成 0 3 / 2 5 次检查</td></tr>
<tr><td>道路养护</td><td>20.00</td><td>养护道路 12 公里</td></tr>
</table><div class="seal"></div></body></html>"""


_LATIN = {"项目支出绩效目标表": "Budget", "项目名称": "Project", "总计": "Total", "绩效目标": "Goal"}
_LATIN |= {
    "社区服务": "Community",
    "完成": "Done",
    "次检查": "checks",
    "道路养护": "Roads",
    "养护道路 12 公里": "12 km",
}


def _chromium_pdf(html_text: str, directory: Path, name: str) -> Path:
    html = directory / f"{name}.html"
    html.write_text(html_text, encoding="utf-8")
    pdf = directory / f"{name}.pdf"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    cmd += ["--disable-background-networking", f"--print-to-pdf={pdf}", html.as_uri()]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    return pdf


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
def test_chromium_skia_pdf(tmp_path):
    latin = _TABLE_HTML
    for chinese, english in _LATIN.items():
        latin = latin.replace(chinese, english)
    assert_parity(_chromium_pdf(latin, tmp_path, "latin"))  # TrueType fonts, a ruled table, a ligature
    # Skia writes some CJK glyphs as Type3 fonts named like the TrueType one: refused where it does.
    assert_parity(_chromium_pdf(_TABLE_HTML, tmp_path, "chinese"), expect_fallback=None)
