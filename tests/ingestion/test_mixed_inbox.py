"""End to end: an inbox mixing every format, mislabelled and broken files, refreshed through the real pipeline.

The five samples arrive as a workbook, a PDF saved under a .html name, a Word document, a web page
saved as .xls and an Excel 97-2003 workbook, beside files that cannot be reports. Every good file
is published (78 projects, 368 indicators, 68,820.68 万元); each bad one is quarantined with its
own reason; office temporary files are not mentioned at all.
"""

from __future__ import annotations

import zipfile
from decimal import Decimal

import pytest

from orchestration.run import run_refresh
from tests.fixtures.office_generator import save_report
from tests.fixtures.pdf_generator import render_report, spec_from_parsed_report
from tests.warehouse_sql import rows as _rows

pytestmark = pytest.mark.slow

# sample -> (how it is saved, its name in the inbox, the layout read)
SAVED_AS = {
    "000_78a7ae6ba5b81e46": ("per_project", "工商联 2025 项目支出.xlsx", "xlsx"),
    "001_482cb6efc95f57e9": ("pdf", "下载/市工商联 绩效目标.html", "pdf"),
    "002_39e10e3528be362f": ("per_indicator", "花都区 绩效目标表.docx", "docx"),
    "003_cdfe4f5fefb7849c": ("per_indicator", "网页 另存为.xls", "html"),
    "004_a302c5053bc31a53": ("per_indicator", "科工商信局 2025.xls", "xls"),
}
BAD = {
    "假的.xlsx": "假的.xlsx: a zip archive without a workbook (holds a.txt, b.png)",
    "扫描件.png": "扫描件.png: a PNG image: images are not read",
    "旧格式.doc": "旧格式.doc: a Word 97-2003 document (.doc): not supported yet",
    "报告合集.zip": "报告合集.zip: a zip archive without a workbook (holds r.pdf)",
    "空白页.htm": "空白页.htm: web page without any table",
}


@pytest.fixture(scope="module")
def mixed_inbox(tmp_path_factory, sample_reports):
    root = tmp_path_factory.mktemp("mixed")
    inbox = root / "inbox"
    (inbox / "下载").mkdir(parents=True)
    for stem, (shape, name, layout) in SAVED_AS.items():
        spec = spec_from_parsed_report(sample_reports[stem])
        target = inbox / name
        if shape == "pdf":
            render_report(spec, root / "r.pdf").rename(target)
        elif layout == "html":
            save_report(spec, root / "page.html", shape).rename(target)
        else:
            save_report(spec, target, shape)
    with zipfile.ZipFile(inbox / "假的.xlsx", "w") as archive:
        archive.writestr("a.txt", "x")
        archive.writestr("b.png", "y")
    with zipfile.ZipFile(inbox / "报告合集.zip", "w") as archive:
        archive.writestr("r.pdf", "%PDF-1.4")
    (inbox / "扫描件.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (inbox / "旧格式.doc").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le")
    )
    (inbox / "空白页.htm").write_text("<html><body><p>404</p></body></html>", encoding="utf-8")
    (inbox / "~$工商联 2025 项目支出.xlsx").write_bytes(b"\x00owner")
    (inbox / ".~lock.科工商信局 2025.xls#").write_text("lock")
    warehouse = root / "warehouse" / "budget.duckdb"
    outcome = run_refresh(inbox, warehouse, force=True)
    assert outcome.published, outcome.cause
    return warehouse


def test_every_good_file_is_published(mixed_inbox):
    rows = _rows(
        mixed_inbox,
        """SELECT r.source_file, r.layout,
                  (SELECT count(*) FROM fct_project_funding p WHERE p.report_key = r.report_key)
           FROM dim_reports r ORDER BY 1""",
    )
    assert {name: layout for name, layout, _ in rows} == {name: layout for _, name, layout in SAVED_AS.values()}
    ((projects, total),) = _rows(mixed_inbox, "SELECT count(*), sum(total_amount) FROM fct_project_funding")
    ((indicators,),) = _rows(mixed_inbox, "SELECT count(*) FROM fct_performance_indicators")
    assert (projects, indicators, total) == (78, 368, Decimal("68820.68"))


def test_each_bad_file_is_quarantined_with_its_reason(mixed_inbox):
    reasons = dict(_rows(mixed_inbox, "SELECT source_file, reason FROM quarantined_reports"))
    assert sorted(reasons) == sorted(BAD)
    for name, start in BAD.items():
        assert reasons[name].startswith(start), reasons[name]
