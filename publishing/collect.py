"""Turn inbox files into report outcomes: read (cached), gated per report, archived.

Used by the extraction step for the files a run targets, and by the load step for every file of the
inbox (then everything is a cache hit unless a file arrived in between).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from contract.files import WarehouseFiles
from contract.progress import NO_PROGRESS
from contract.progress import current as current_progress
from expectations.report_gate import report_gate_failures
from ingestion.archive import archive_file
from ingestion.extract import Extraction, extract, load_cached
from ingestion.inbox import InboxFile
from publishing.loading import ReportOutcome

# Below this many files a process pool costs more (worker start-up, imports) than it saves.
POOL_MIN_FILES = 16


def extract_all(files: list[InboxFile], cache_dir, workers: int = 0) -> Iterator[Extraction]:
    """Every file's extraction: cache hits read here, misses read by a process pool sized to the
    cores (one file per task: PDFs differ a lot in size), yielded one by one for progress."""
    misses = []
    for f in files:
        cached = load_cached(cache_dir, f) if cache_dir is not None else None
        if cached is not None:
            yield cached
        else:
            misses.append(f)
    if workers == 0:
        workers = (os.cpu_count() or 1) if len(misses) >= POOL_MIN_FILES else 1
    if workers <= 1:
        yield from (extract(f, cache_dir) for f in misses)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(extract, misses, [cache_dir] * len(misses), chunksize=1)


def collect_outcomes(
    files: list[InboxFile], warehouse_files: WarehouseFiles, *, workers: int = 0, log=None, show_progress: bool = False
) -> list[ReportOutcome]:
    outcomes = []
    # The CLI's terminal progress (a no-op outside it), for the step that does the reading.
    progress = current_progress() if show_progress else NO_PROGRESS
    progress.start(len(files))
    for result in extract_all(files, warehouse_files.extracted_dir, workers):
        reason = result.reason
        if result.ok:
            failures = report_gate_failures(result.report, warehouse_files.extracted_dir)
            if failures:
                more = f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""
                reason = f"{result.file.source_file}: failed the report gate: {failures[0]}{more}"
        loaded = reason is None
        archived = archive_file(result.file.path, result.file.sha256, warehouse_files.archive_dir) if loaded else None
        outcomes.append(
            ReportOutcome(result.file, loaded, reason, result.from_cache, str(archived) if archived else None)
        )
        if reason and log is not None:
            log.warning(f"quarantined {reason}")
        report = result.report
        note = f"{len(report.projects)} projects" if loaded else f"quarantined: {reason}"
        progress.advance(result.file.source_file, report.page_count if report else None, note)
    progress.finish()
    return outcomes
