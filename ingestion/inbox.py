"""Which files in an inbox are reports, what they are called, their content hash and fiscal year.

The fiscal year is not printed in the target table. It comes, in this order, from a manifest beside
the files (``manifest.csv`` with columns ``file,fiscal_year``, in the file's folder or any folder up
to the inbox), a year in the file name (``…_2025_budget.pdf``, ``2025年….pdf``), or a year folder
(``inbox/2025/…``). Otherwise it stays unknown (NULL in the warehouse), never guessed.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ingestion.hash_cache import HashCache
from ingestion.sniff import sniff

REPORT_SUFFIXES = {".pdf", ".txt", ".xlsx", ".xls", ".html", ".htm", ".docx"}
MANIFEST_NAME = "manifest.csv"
# Files an inbox may hold that are not reports and are not worth a quarantine entry.
_IGNORED_SUFFIXES = {".md", ".json", ".yml", ".yaml", ".csv"}
# What office programs and file browsers leave beside the files (skipped silently, like hidden
# files): Office's owner files "~$报告.xlsx", Word's "~WRL0001.tmp", Windows' thumbnails.
_OFFICE_TEMP_PREFIXES = ("~$", "~WRL", ".~lock.")
_SYSTEM_FILES = {"thumbs.db", "desktop.ini"}

# A year stands alone: not inside a longer number or a hash such as "a2024f" (file names often
# carry content hashes).
_YEAR = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})(?=年|[^0-9A-Za-z]|$)")


@dataclass(frozen=True)
class InboxFile:
    path: Path
    source_file: str  # relative to the inbox, '/'-separated: the report's name in the warehouse
    sha256: str
    fiscal_year: int | None
    fiscal_year_source: str | None  # "manifest", "file name", "folder name"

    @property
    def kind(self) -> str:
        """What the file is by its content, whatever its name says (``ingestion.sniff``): pdf, xlsx, xls,
        html, docx, text, or an unsupported kind (doc, png, zip...)."""
        return sniff(self.path).kind


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def year_in_name(name: str) -> int | None:
    match = _YEAR.search(name)
    return int(match.group(1)) if match else None


def _manifest_years(folder: Path) -> dict[str, int]:
    manifest = folder / MANIFEST_NAME
    if not manifest.is_file():
        return {}
    years: dict[str, int] = {}
    with manifest.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            name, year = (row.get("file") or "").strip(), (row.get("fiscal_year") or "").strip()
            if name and year.isdigit():
                years[name] = int(year)
    return years


def fiscal_year_for(
    path: Path, inbox: Path, manifests: dict[tuple[str, ...], dict[str, int]] | None = None
) -> tuple[int | None, str | None]:
    """``manifests``: the manifests already read in this scan, by folder (each is read once)."""
    return _year_of(inbox, path.relative_to(inbox).parts, {} if manifests is None else manifests)


def _year_of(
    inbox: Path, parts: tuple[str, ...], manifests: dict[tuple[str, ...], dict[str, int]]
) -> tuple[int | None, str | None]:
    for depth in range(len(parts) - 1, -1, -1):  # the nearest manifest wins
        folder = parts[:depth]
        if folder not in manifests:
            manifests[folder] = _manifest_years(inbox.joinpath(*folder))
        years = manifests[folder]
        key = "/".join(parts[depth:])
        if key in years:
            return years[key], "manifest"
    year = year_in_name(os.path.splitext(parts[-1])[0])
    if year:
        return year, "file name"
    for part in reversed(parts[:-1]):
        year = year_in_name(part)
        if year:
            return year, "folder name"
    return None, None


def is_candidate_report(parts: tuple[str, ...]) -> bool:
    """Hidden files, office programs' temporary files and known non-report companions (manifest,
    notes) are not reports; every other file is, and is read or quarantined with a reason.
    ``parts``: the file's path relative to the inbox, folder by folder."""
    if any(part.startswith(".") for part in parts):
        return False
    name = parts[-1]
    if name.startswith(_OFFICE_TEMP_PREFIXES) or name.lower() in _SYSTEM_FILES:
        return False
    return os.path.splitext(name)[1].lower() not in _IGNORED_SUFFIXES


def _files_under(inbox: Path) -> list[tuple[str, ...]]:
    """Every file under ``inbox`` as its relative parts, in path order; symlinked folders are not
    entered (as ``Path.rglob``). Plain strings: at 100,000 files pathlib's objects cost seconds."""
    found: list[tuple[str, ...]] = []
    folders: list[tuple[str, ...]] = [()]
    while folders:
        folder = folders.pop()
        with os.scandir(inbox.joinpath(*folder)) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((*folder, entry.name))
                elif entry.is_file():
                    found.append((*folder, entry.name))
    return sorted(found)


def scan_inbox(inbox: Path, hash_cache: Path | None = None) -> list[InboxFile]:
    """Every report file under ``inbox``, sorted by relative path (a stable processing order).

    ``hash_cache``: a file remembering each file's hash by its stat (``ingestion.hash_cache``), so
    unchanged files are not read again; None hashes every file.
    """
    hashes = HashCache(hash_cache, file_sha256)
    manifests: dict[tuple[str, ...], dict[str, int]] = {}
    files = []
    for parts in _files_under(inbox):
        if not is_candidate_report(parts):
            continue
        year, year_source = _year_of(inbox, parts, manifests)
        path, source_file = inbox.joinpath(*parts), "/".join(parts)
        files.append(
            InboxFile(
                path=path,
                source_file=source_file,
                sha256=hashes.sha256(path, source_file),
                fiscal_year=year,
                fiscal_year_source=year_source,
            )
        )
    hashes.save()
    return files
