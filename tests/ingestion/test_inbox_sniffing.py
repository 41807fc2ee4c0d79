"""An inbox as users fill it: files read by what they are, whatever their names say.

Mislabelled files are read by content (a warning says so) or refused naming what they really are;
unsupported files get their own reason; office programs' temporary files and hidden files are
skipped silently; names with spaces and Chinese characters work.
"""

from __future__ import annotations

import zipfile

import pytest

from ingestion.extract import extract
from ingestion.inbox import scan_inbox
from ingestion.sniff import sniff
from tests.fixtures.office_generator import save_report
from tests.fixtures.pdf_generator import render_report, spec_from_parsed_report

STEM = "003_cdfe4f5fefb7849c"  # 6 projects


@pytest.fixture(scope="module")
def spec(sample_reports):
    return spec_from_parsed_report(sample_reports[STEM])


def _zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _ole2(path, stream: str):
    """The bytes an OLE2 compound file starts with, and a directory entry naming ``stream``."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + stream.encode("utf-16-le") + b"\x00" * 64)
    return path


@pytest.mark.parametrize(
    ("suffix", "shape", "kind"),
    [
        (".xlsx", "per_project", "xlsx"),
        (".xls", "per_indicator", "xls"),
        (".html", "per_project", "html"),
        (".docx", "per_indicator", "docx"),
    ],
)
def test_kind_by_content(tmp_path, spec, suffix, shape, kind):
    path = save_report(spec, tmp_path / f"r{suffix}", shape)
    assert sniff(path).kind == kind
    disguised = path.rename(tmp_path / "saved.txt")
    assert sniff(disguised).kind == kind


def test_unsupported_kinds_are_named(tmp_path):
    png = tmp_path / "scan.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    archive = _zip(tmp_path / "reports.zip", {"a.txt": b"x", "b.png": b"y"})
    assert (sniff(png).kind, sniff(png).what) == ("png", "a PNG image")
    assert sniff(archive).what == "a zip archive without a workbook (holds a.txt, b.png)"
    assert sniff(_ole2(tmp_path / "old.doc", "WordDocument")).kind == "doc"
    assert sniff(_ole2(tmp_path / "old.xls", "Workbook")).kind == "xls"
    assert sniff(_ole2(tmp_path / "locked.xlsx", "EncryptedPackage")).what == "a password-protected Office file"
    mht = tmp_path / "page.mht"
    mht.write_bytes(b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="x"\r\n\r\n--x\r\n')
    assert sniff(mht).kind == "mht"
    utf16_page = tmp_path / "page.htm"
    utf16_page.write_bytes("<html><body><table><tr><td>项目</td></tr></table></body></html>".encode("utf-16"))
    assert sniff(utf16_page).kind == "html"
    xml = tmp_path / "book.xls"
    xml.write_bytes(
        b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'
    )
    assert sniff(xml).kind == "xml-workbook"


def _reasons(inbox):
    extractions = [extract(f) for f in scan_inbox(inbox)]
    return {e.file.source_file: e for e in extractions}


def test_mixed_inbox_reads_good_files_and_names_bad_ones(tmp_path, spec):
    inbox = tmp_path / "inbox"
    (inbox / "子目录 二").mkdir(parents=True)
    save_report(spec, inbox / "白云区 项目支出 2025.xlsx", "per_project")
    save_report(spec, tmp_path / "page.html", "per_indicator").rename(inbox / "网页 另存为.xls")
    render_report(spec, tmp_path / "r.pdf").rename(inbox / "子目录 二" / "下载.html")
    _zip(inbox / "假的.xlsx", {"a.txt": b"x", "b.png": b"y"})
    (inbox / "扫描件.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    _ole2(inbox / "旧格式.doc", "WordDocument")
    _zip(inbox / "报告合集.zip", {"r.pdf": b"%PDF-1.4"})
    (inbox / "空白页.html").write_text("<html><body><p>404 页面不存在</p></body></html>", encoding="utf-8")
    # skipped silently
    (inbox / "~$白云区 项目支出 2025.xlsx").write_bytes(b"\x00owner")
    (inbox / ".~lock.白云区 项目支出 2025.xlsx#").write_text("lock")
    (inbox / ".DS_Store").write_bytes(b"\x00")
    (inbox / "Thumbs.db").write_bytes(b"\x00")

    got = _reasons(inbox)
    assert sorted(got) == sorted(
        [
            "白云区 项目支出 2025.xlsx",
            "网页 另存为.xls",
            "子目录 二/下载.html",
            "假的.xlsx",
            "扫描件.png",
            "旧格式.doc",
            "报告合集.zip",
            "空白页.html",
        ]
    )
    for name in ("白云区 项目支出 2025.xlsx", "网页 另存为.xls", "子目录 二/下载.html"):
        assert got[name].ok and len(got[name].report.projects) == 6, got[name].reason
    assert got["白云区 项目支出 2025.xlsx"].report.fiscal_year == 2025
    assert got["网页 另存为.xls"].report.layout == "html"
    assert got["网页 另存为.xls"].report.warnings[0] == "an HTML page named .xls: read as html"
    assert got["子目录 二/下载.html"].report.layout == "pdf"
    assert got["子目录 二/下载.html"].report.warnings[0] == "a PDF document named .html: read as pdf"
    assert got["假的.xlsx"].reason == (
        "假的.xlsx: a zip archive without a workbook (holds a.txt, b.png): archives are not opened: "
        "extract the reports into the inbox"
    )
    assert got["扫描件.png"].reason.startswith("扫描件.png: a PNG image: images are not read")
    assert (
        got["旧格式.doc"].reason
        == "旧格式.doc: a Word 97-2003 document (.doc): not supported yet; save it as .docx or PDF"
    )
    assert got["报告合集.zip"].reason.startswith("报告合集.zip: a zip archive without a workbook (holds r.pdf)")
    assert got["空白页.html"].reason == "空白页.html: web page without any table: no 项目支出绩效目标表 found"


def test_mislabelled_file_that_cannot_be_read_says_what_it_is(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "报表.xls").write_text("<html><body><table><tr><td>首页</td></tr></table></body></html>", encoding="gbk")
    (extraction,) = _reasons(inbox).values()
    assert extraction.reason == "报表.xls: an HTML page named .xls (read as html): no 项目支出绩效目标表 found"


def test_damaged_workbook_and_document_are_refused_naming_the_format(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _zip(inbox / "坏的.xlsx", {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<not-closed"})
    _zip(inbox / "坏的.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<not-closed"})
    _ole2(inbox / "坏的.xls", "Workbook")
    got = _reasons(inbox)
    assert got["坏的.xlsx"].reason.startswith("坏的.xlsx: unreadable .xlsx workbook (")
    assert got["坏的.docx"].reason.startswith("坏的.docx: unreadable .docx document (")
    assert got["坏的.xls"].reason.startswith("坏的.xls: unreadable .xls workbook (")
