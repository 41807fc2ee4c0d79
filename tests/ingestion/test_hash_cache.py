"""The inbox's stat cache: unchanged files are not read again, any change is, a lost cache only costs time."""

from __future__ import annotations

import json
import os

import pytest

from ingestion import inbox as inbox_module
from ingestion.hash_cache import RACY_WINDOW_NS
from ingestion.inbox import file_sha256, scan_inbox


@pytest.fixture
def counted_hashes(monkeypatch):
    """The paths hashed (read whole) by scan_inbox."""
    read: list[str] = []

    def counting(path):
        read.append(path.name)
        return file_sha256(path)

    monkeypatch.setattr(inbox_module, "file_sha256", counting)
    return read


def _age(path, seconds: float = 60) -> None:
    """Move a file's mtime into the past, out of the racy window (as any file not written just now)."""
    stamp = path.stat().st_mtime_ns - int(seconds * 1e9)
    os.utime(path, ns=(stamp, stamp))


def _inbox(tmp_path, names=("a_2025.txt", "b_2025.txt", "c_2025.txt")):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in names:
        (inbox / name).write_text(f"content of {name}", encoding="utf-8")
        _age(inbox / name)
    return inbox


def test_a_second_scan_of_an_unchanged_inbox_reads_no_file(tmp_path, counted_hashes):
    inbox, cache = _inbox(tmp_path), tmp_path / "state" / "hashes.json"
    first = scan_inbox(inbox, cache)
    assert sorted(counted_hashes) == ["a_2025.txt", "b_2025.txt", "c_2025.txt"]
    counted_hashes.clear()
    second = scan_inbox(inbox, cache)
    assert counted_hashes == []
    assert [f.sha256 for f in second] == [f.sha256 for f in first] == [file_sha256(f.path) for f in first]


def test_a_rewritten_file_is_read_again_even_with_its_size_and_mtime_restored(tmp_path, counted_hashes):
    inbox, cache = _inbox(tmp_path), tmp_path / "hashes.json"
    scan_inbox(inbox, cache)
    target = inbox / "b_2025.txt"
    before = target.stat()
    target.write_text("CONTENT OF b_2025.txt", encoding="utf-8")  # same size
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # mtime put back: only ctime tells
    counted_hashes.clear()
    files = {f.source_file: f for f in scan_inbox(inbox, cache)}
    assert counted_hashes == ["b_2025.txt"]
    assert files["b_2025.txt"].sha256 == file_sha256(target)


def test_a_file_written_just_before_it_was_hashed_is_not_trusted(tmp_path, counted_hashes):
    """Git's racy case: written again within the clock's granularity, the stat may not change."""
    inbox, cache = _inbox(tmp_path), tmp_path / "hashes.json"
    fresh = inbox / "d_2025.txt"
    fresh.write_text("just written", encoding="utf-8")
    scan_inbox(inbox, cache)
    entry = json.loads(cache.read_text())["files"]["d_2025.txt"]
    assert entry["recorded_ns"] - fresh.stat().st_mtime_ns < RACY_WINDOW_NS
    counted_hashes.clear()
    scan_inbox(inbox, cache)
    assert counted_hashes == ["d_2025.txt"]


def test_removed_files_leave_the_cache_and_added_ones_are_hashed(tmp_path, counted_hashes):
    inbox, cache = _inbox(tmp_path), tmp_path / "hashes.json"
    scan_inbox(inbox, cache)
    (inbox / "a_2025.txt").unlink()
    (inbox / "e_2025.txt").write_text("new", encoding="utf-8")
    counted_hashes.clear()
    scan_inbox(inbox, cache)
    assert counted_hashes == ["e_2025.txt"]
    assert sorted(json.loads(cache.read_text())["files"]) == ["b_2025.txt", "c_2025.txt", "e_2025.txt"]


@pytest.mark.parametrize("damage", ["{not json", '{"version": 0, "files": {}}', '["a list"]'])
def test_an_unreadable_or_foreign_cache_only_costs_a_rehash(tmp_path, counted_hashes, damage):
    inbox, cache = _inbox(tmp_path), tmp_path / "hashes.json"
    cache.write_text(damage, encoding="utf-8")
    files = scan_inbox(inbox, cache)
    assert len(counted_hashes) == 3
    assert [f.sha256 for f in files] == [file_sha256(f.path) for f in files]
    assert json.loads(cache.read_text())["version"] == 1


def test_an_unwritable_cache_folder_does_not_fail_the_scan(tmp_path, counted_hashes):
    inbox = _inbox(tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache's folder should be", encoding="utf-8")
    files = scan_inbox(inbox, blocker / "hashes.json")
    assert len(files) == 3 and len(counted_hashes) == 3


def test_without_a_cache_every_file_is_read_every_time(tmp_path, counted_hashes):
    inbox = _inbox(tmp_path)
    scan_inbox(inbox)
    scan_inbox(inbox)
    assert len(counted_hashes) == 6
