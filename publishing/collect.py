"""Turn inbox files into report outcomes: read (cached), gated per report, archived.

Used by the extraction step for the files a run targets, and by the load step for every file of the
inbox (then every file is decided already unless it arrived in between). A file decided before is
not read nor deserialised again: its recorded verdict says the outcome (``publishing.verdicts``).
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
from publishing.verdicts import Verdict, read_verdict, record_verdict

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
    """Every file's outcome, in the order of ``files``. A file whose content was decided before (same
    parser, same report suites) costs two small file reads (``publishing.verdicts``); the others are
    read (or their cached extraction deserialised) and gated."""
    cache_dir = warehouse_files.extracted_dir
    # The CLI's terminal progress (a no-op outside it), for the step that does the reading.
    progress = current_progress() if show_progress else NO_PROGRESS
    progress.start(len(files))
    outcomes: dict[str, ReportOutcome] = {}
    undecided = []
    for f in files:
        verdict = read_verdict(cache_dir, f)
        if verdict is None:
            undecided.append(f)
        else:
            outcomes[f.source_file] = _outcome(f, verdict, True, warehouse_files, log, progress)
    for result in extract_all(undecided, cache_dir, workers):
        reason = result.reason
        if result.ok:
            failures = report_gate_failures(result.report, cache_dir)
            if failures:
                more = f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""
                reason = f"{result.file.source_file}: failed the report gate: {failures[0]}{more}"
        report = result.report
        verdict = Verdict(reason, len(report.projects) if report else 0, report.page_count if report else None)
        record_verdict(cache_dir, verdict, result.file)
        outcomes[result.file.source_file] = _outcome(
            result.file, verdict, result.from_cache, warehouse_files, log, progress
        )
    progress.finish()
    return [outcomes[f.source_file] for f in files]


def _outcome(file: InboxFile, verdict: Verdict, from_cache: bool, warehouse_files: WarehouseFiles, log, progress):
    """The outcome of a decided file: archived when it loads, said when it does not."""
    loaded = verdict.reason is None
    archived = archive_file(file.path, file.sha256, warehouse_files.archive_dir) if loaded else None
    if not loaded and log is not None:
        log.warning(f"quarantined {verdict.reason}")
    note = f"{verdict.projects} projects" if loaded else f"quarantined: {verdict.reason}"
    progress.advance(file.source_file, verdict.page_count, note)
    return ReportOutcome(file, loaded, verdict.reason, from_cache, str(archived) if archived else None)
