"""Inbox scanning: which files are reports, their names, hashes and fiscal years."""

from __future__ import annotations

import hashlib

import pytest

from ingestion.inbox import fiscal_year_for, scan_inbox, year_in_name


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("shanghai_putuo_commerce_commission_2025_budget", 2025),
        ("2024年部门预算", 2024),
        ("白云区2026年项目支出绩效目标表", 2026),
        ("report-2023", 2023),
        ("000_78a7ae6ba5b81e46", None),  # hex hash: no year
        ("a2024f9", None),  # a year-like run inside a hash is not a year
        ("v120250", None),
        ("budget", None),
    ],
)
def test_year_in_name(name, year):
    assert year_in_name(name) == year


def test_fiscal_year_precedence_manifest_then_file_then_folder(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "2025" / "sub").mkdir(parents=True)
    plain = inbox / "2025" / "sub" / "dept.txt"
    named = inbox / "2025" / "dept_2024.txt"
    listed = inbox / "2025" / "listed.txt"
    for f in (plain, named, listed):
        f.write_text("x", encoding="utf-8")
    (inbox / "2025" / "manifest.csv").write_text("file,fiscal_year\nlisted.txt,2023\n", encoding="utf-8")
    assert fiscal_year_for(listed, inbox) == (2023, "manifest")
    assert fiscal_year_for(named, inbox) == (2024, "file name")
    assert fiscal_year_for(plain, inbox) == (2025, "folder name")


def test_unknown_year_stays_none(tmp_path):
    f = tmp_path / "000_78a7ae6ba5b81e46.txt"
    f.write_text("x", encoding="utf-8")
    assert fiscal_year_for(f, tmp_path) == (None, None)


def test_scan_inbox_skips_hidden_and_companion_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "r1.txt").write_bytes(b"one")
    (tmp_path / "r2.pdf").write_bytes(b"%PDF-1.4 two")
    (tmp_path / "notes.md").write_text("not a report")
    (tmp_path / "manifest.csv").write_text("file,fiscal_year\n")
    (tmp_path / ".hidden.txt").write_text("no")
    (tmp_path / ".state").mkdir()
    (tmp_path / ".state" / "x.txt").write_text("no")
    files = scan_inbox(tmp_path)
    assert [f.source_file for f in files] == ["a/r1.txt", "r2.pdf"]
    assert files[0].sha256 == hashlib.sha256(b"one").hexdigest()
    assert [f.kind for f in files] == ["text", "pdf"]


def test_pdf_is_recognized_by_content_whatever_its_name(tmp_path):
    (tmp_path / "really_a_pdf.txt").write_bytes(b"%PDF-1.7\n...")
    assert scan_inbox(tmp_path)[0].kind == "pdf"
