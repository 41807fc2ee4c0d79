"""Fill a candidate warehouse's raw tables from this run's extractions.

Rules that make the warehouse trustworthy across nights:
- one file content (sha256) is loaded once, whatever names it has in the inbox; the other names
  are reported as duplicates;
- a report whose file fails today keeps its last published good version, flagged stale, instead of
  vanishing (its bytes come from the archive, its rows from the extraction cache);
- a file that left the inbox leaves the warehouse.

A report published as it would be loaded now is copied from the published file rather than parsed
again from the cache (``publishing.published_rows``): the rows are the same, and cost far less. When
the candidate itself started as a copy of the published file (same code), those rows are already
there: the others are deleted instead.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from contract.files import WarehouseFiles
from ingestion.archive import find_archived
from ingestion.extract import extract, load_cached
from ingestion.inbox import InboxFile
from ingestion.raw_tables import QuarantineRecord, RawRows, create_raw_tables
from ingestion.version import parser_version
from publishing.disk import plain_write_errors
from publishing.published_rows import WouldLoad, attach_published, copy_reports, copyable, keep_only


@dataclass(frozen=True)
class ReportOutcome:
    """What happened to one inbox file in this run (small and picklable: passed between steps)."""

    file: InboxFile
    loaded: bool
    reason: str | None  # quarantine reason, naming the file
    from_cache: bool
    archive_path: str | None = None


@dataclass
class LoadStats:
    loaded: int = 0
    quarantined: int = 0
    duplicates: int = 0
    stale: int = 0
    copied: int = 0  # of the loaded: rows copied from the published warehouse (publishing.published_rows)


def warehouse_relative(path: str | None, warehouse_files: WarehouseFiles) -> str | None:
    """An archive path as recorded in the warehouse: relative to the published file's folder
    (``.budget/archive/ab/ab12….pdf``), so it stays right when the folder is moved, copied or
    restored from a backup."""
    if path is None:
        return None
    try:
        return Path(path).resolve().relative_to(warehouse_files.directory.resolve()).as_posix()
    except ValueError:
        return path  # an archive outside the warehouse folder: only the absolute path can say where


def split_duplicates(outcomes: list[ReportOutcome]) -> tuple[list[ReportOutcome], list[ReportOutcome]]:
    """One file content is loaded once: the first name (sorted) wins, the others are reported."""
    seen: dict[str, str] = {}
    unique, duplicates = [], []
    for o in sorted(outcomes, key=lambda o: o.file.source_file):
        sha, name = o.file.sha256, o.file.source_file
        if o.loaded and sha in seen:
            reason = f"{name}: duplicate of {seen[sha]} (same sha256), loaded once"
            duplicates.append(replace(o, loaded=False, reason=reason))
        else:
            if o.loaded:
                seen[sha] = name
            unique.append(o)
    return unique, duplicates


def published_versions(published: Path) -> dict[str, str]:
    """source_file -> sha256 of every report in the published warehouse (empty if none)."""
    if not published.exists():
        return {}
    try:
        con = duckdb.connect(str(published), read_only=True)
    except duckdb.Error:
        return {}  # an unreadable published file has no versions to keep
    try:
        return dict(con.execute("SELECT source_file, file_sha256 FROM main.dim_reports").fetchall())
    except duckdb.Error:
        return {}
    finally:
        con.close()


def _last_good_version(warehouse_files: WarehouseFiles, failed: InboxFile, sha256: str):
    """The rows of the previously published version of a file that fails today, if recoverable."""
    archived = find_archived(warehouse_files.archive_dir, sha256)
    if archived is None:
        return None, None
    previous = InboxFile(archived, failed.source_file, sha256, failed.fiscal_year, failed.fiscal_year_source)
    extraction = load_cached(warehouse_files.extracted_dir, previous) or extract(
        previous, warehouse_files.extracted_dir
    )
    if extraction.report is None:
        return None, None
    return replace(extraction.report, source_file=failed.source_file), str(archived)


def load_candidate(
    candidate: Path,
    outcomes: list[ReportOutcome],
    warehouse_files: WarehouseFiles,
    *,
    now: datetime | None = None,
    from_published: bool = False,
) -> LoadStats:
    """Fill the raw tables in one transaction; a full or read-only disk is said plainly.

    ``now``: the load time written to the rows (extracted_at, quarantined_at); the clock by default.
    ``from_published``: the candidate is a copy of the published file (publishing.candidate.create_candidate),
    whose raw rows are kept where a copy from the published file would be made, and deleted otherwise.
    """
    with plain_write_errors(candidate.parent):
        return _load(candidate, outcomes, warehouse_files, now or datetime.now(UTC), from_published)


def _load(
    candidate: Path, outcomes: list[ReportOutcome], warehouse_files: WarehouseFiles, now: datetime, from_published: bool
) -> LoadStats:
    unique, duplicates = split_duplicates(outcomes)
    previous = published_versions(warehouse_files.published)
    stats = LoadStats(duplicates=len(duplicates))
    quarantined = [o for o in [*unique, *duplicates] if not o.loaded]
    loads = [WouldLoad(o.file, warehouse_relative(o.archive_path, warehouse_files)) for o in unique if o.loaded]
    con = duckdb.connect(str(candidate))
    try:
        if not from_published:
            create_raw_tables(con)
        # Reports published as they would be loaded now are copied from the published file, not re-parsed.
        published, cache_dir = warehouse_files.published, warehouse_files.extracted_dir
        attached = attach_published(con, published)
        if from_published and not attached:
            create_raw_tables(con)  # the copy's rows cannot be told apart: every report from the cache
        copied = copyable(con, loads, published, cache_dir) if attached else []
        stats.copied = len(copied)
        rows = RawRows()  # every other report's rows, written with one insert per table
        copied_now = set(copied)
        for load in [load for load in loads if load not in copied_now]:
            cached = load_cached(warehouse_files.extracted_dir, load.file)
            if cached is None or cached.report is None:
                raise RuntimeError(
                    f"extraction of {load.file.source_file} vanished from {warehouse_files.extracted_dir}"
                )
            rows.add_report(
                cached.report, parser_version=parser_version(), archive_path=load.archive_path, extracted_at=now
            )
        stats.loaded = len(loads)
        for o in unique:
            if not o.loaded and o.file.source_file in previous:
                report, archived = _last_good_version(warehouse_files, o.file, previous[o.file.source_file])
                if report is not None:
                    rows.add_report(
                        report,
                        parser_version=parser_version(),
                        archive_path=warehouse_relative(archived, warehouse_files),
                        stale_reason=o.reason,
                        extracted_at=now,
                    )
                    stats.stale += 1
        rows.add_quarantine(
            [QuarantineRecord(o.file.source_file, o.file.sha256, o.reason or "", now) for o in quarantined]
        )
        stats.quarantined = len(quarantined)
        con.execute("BEGIN")
        if from_published and attached:
            keep_only(con, copied, now)  # the rows copy_reports would write, already there
        elif copied:
            copy_reports(con, copied, now)
        rows.write(con)
        con.execute("COMMIT")
    finally:
        con.close()
    return stats
