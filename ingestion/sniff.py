"""What an inbox file really is, from its first bytes, whatever its name says.

Users save whatever a department's site offers: an HTML page saved as .xls (sites serve HTML
with an Excel content type), a PDF named .html, a .xlsx that is a zip of something else. The kind
is decided by content: ``%PDF`` is a PDF; a zip holding ``xl/workbook.xml`` is a workbook (.xlsx),
``word/document.xml`` a Word document (.docx), anything else in a zip is an archive (its first
names said); an OLE2 compound file (D0 CF 11 E0) holding a ``Workbook`` stream is an Excel 97-2003
workbook (.xls), ``WordDocument`` a Word 97-2003 document (.doc), ``EncryptedPackage`` a
password-protected Office file; an Excel 2003 XML spreadsheet and a web archive (.mht) are named
for what they are; markup starting with ``<``
(``<!DOCTYPE html``, ``<html``, ``<table``) is a web page; images and other archives by their
magic numbers; the rest is text. ``Sniffed.what`` names the kind for messages ("an HTML page"),
``Sniffed.unsupported`` says why a kind cannot be read and what to do instead.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

# Extension -> the kind a file so named should be (a mismatch is mentioned when the file is refused).
EXPECTED_KIND = {
    ".pdf": "pdf",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".docx": "docx",
    ".txt": "text",
}
WHAT = {
    "pdf": "a PDF document",
    "xlsx": "an Excel workbook (.xlsx)",
    "xls": "an Excel 97-2003 workbook (.xls)",
    "html": "an HTML page",
    "docx": "a Word document (.docx)",
    "text": "a text file",
}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE = "images are not read (no text layer; OCR is not supported): save the report as PDF, Excel or a web page"
_ARCHIVE = "archives are not opened: extract the reports into the inbox"
_MAGIC: tuple[tuple[bytes, str, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png", "a PNG image", _IMAGE),
    (b"\xff\xd8\xff", "jpeg", "a JPEG image", _IMAGE),
    (b"GIF8", "gif", "a GIF image", _IMAGE),
    (b"II*\x00", "tiff", "a TIFF image", _IMAGE),
    (b"MM\x00*", "tiff", "a TIFF image", _IMAGE),
    (b"Rar!", "rar", "a RAR archive", _ARCHIVE),
    (b"7z\xbc\xaf\x27\x1c", "7z", "a 7-Zip archive", _ARCHIVE),
    (b"\x1f\x8b", "gzip", "a gzip archive", _ARCHIVE),
    (b"{\\rtf", "rtf", "an RTF document", "not supported: save it as .docx or PDF"),
)
_MARKUP_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<table", b"<meta", b"<!--", b"<title")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class Sniffed:
    kind: str  # a readable kind (pdf, xlsx, xls, html, docx, text) or an unsupported one (doc, png, zip...)
    what: str  # how messages name it: "an HTML page", "a zip archive without a workbook (holds a.txt, b.png)"
    unsupported: str | None = None  # why it cannot be read and what to do, for unsupported kinds


def _zip(path: Path) -> Sniffed:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return Sniffed("zip", "a damaged zip archive", "it cannot be opened (truncated or corrupt)")
    if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
        return Sniffed("xlsx", WHAT["xlsx"])
    if "word/document.xml" in names:
        return Sniffed("docx", WHAT["docx"])
    if any(n.startswith("ppt/") for n in names):
        return Sniffed(
            "pptx", "a PowerPoint presentation", "presentations are not read; save the table as PDF or Excel"
        )
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    if "mimetype" in names and "content.xml" in names:
        return Sniffed("odf", "an OpenDocument file (.ods/.odt)", "save it as .xlsx, .docx or PDF")
    what = f"a zip archive without a workbook (holds {shown or 'nothing'})"
    return Sniffed("zip", what, _ARCHIVE)


def _ole2(head: bytes, path: Path) -> Sniffed:
    data = path.read_bytes() if path.stat().st_size <= 64 << 20 else head
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") + b"\x00\x00" in data:
        return Sniffed("xls", WHAT["xls"])
    if "EncryptedPackage".encode("utf-16-le") in data:
        return Sniffed("encrypted", "a password-protected Office file", "remove the password and save it again")
    if "WordDocument".encode("utf-16-le") in data:
        return Sniffed("doc", "a Word 97-2003 document (.doc)", "not supported yet; save it as .docx or PDF")
    return Sniffed("ole2", "an Office 97-2003 file that is neither a workbook nor a document", "save it as PDF")


def _markup(head: bytes) -> bool:
    text = head
    for bom in (b"\xef\xbb\xbf",):
        text = text.removeprefix(bom)
    text = text.lstrip().lower()
    if text.startswith(b"<?xml"):
        return b"<html" in text[:1024]
    return text.startswith(_MARKUP_STARTS) or (text.startswith(b"<") and b"<table" in head.lower())


def sniff(path: Path) -> Sniffed:
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # first: a zip may store a PDF uncompressed
        return _zip(path)
    if head.startswith(_OLE2):
        return _ole2(head, path)
    if b"%PDF-" in head[:1024]:  # producers may write a few bytes before the header
        return Sniffed("pdf", WHAT["pdf"])
    for magic, kind, what, why in _MAGIC:
        if head.startswith(magic):
            return Sniffed(kind, what, why)
    if head.startswith(_UTF16_BOMS):  # Excel's "Unicode text" and some saved pages
        markup = head[2:].decode("utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be", "ignore")
        if _markup(markup.encode("utf-8")):
            return Sniffed("html", WHAT["html"])
        return Sniffed("text", WHAT["text"])  # the text reader says which encodings it reads
    lowered = head.lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in lowered and b"<workbook" in lowered:
        return Sniffed("xml-workbook", "an Excel 2003 XML spreadsheet", "not supported: save it as .xlsx")
    if lowered.startswith(b"mime-version:") or (b"multipart/related" in lowered[:1024] and b"mime-version" in lowered):
        return Sniffed("mht", "a web archive (.mht)", "not supported: save the page as HTML (.html)")
    if _markup(head):
        return Sniffed("html", WHAT["html"])
    return Sniffed("text", WHAT["text"])


def mislabelled(path: Path, sniffed: Sniffed) -> str | None:
    """ "an HTML page named .xls" when the name promises another readable kind than the content; else None."""
    expected = EXPECTED_KIND.get(path.suffix.lower())
    if expected is None or expected == sniffed.kind:
        return None
    return f"{sniffed.what} named {path.suffix}"
