"""Run every benchmark of the nightly refresh and write benchmarks/results.json and docs/benchmarks.md.

    python -m benchmarks.run            # full: 200- and 1,000-report inboxes, dbt at 100k/1M (~25 min on 2 cores)
    python -m benchmarks.run --quick    # smoke test: 20 reports, small dbt build (~2-3 min)

The generated corpus is cached under benchmarks/out/ (gitignored), keyed by its parameters.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import corpus, dbt_scale, extraction, inbox_scan, queries, refresh, report
from benchmarks.measure import machine
from contract.settings import SAMPLES_DIR


@dataclass(frozen=True)
class Config:
    corpus_reports: int
    refresh_inboxes: tuple[int, ...]  # full refreshes, fresh warehouse each; the last one also gets no-op + one change
    extraction_reports: int
    memory_pages: tuple[int, int]  # (small, large) documents for the per-page memory comparison
    dbt_reports: int
    dbt_projects_per_report: int
    dbt_indicators_per_project: int
    query_repeats: int
    scan_files: tuple[int, int]  # (files, KiB each) of the inbox-scan benchmark


SAMPLE_REBUILDS = 3  # the samples' refresh is short: the best of three shows its cost, not the machine's noise

FULL = Config(1000, (200, 1000), 30, (20, 200), 2000, 50, 10, 30, (100_000, 32))
QUICK = Config(20, (20,), 4, (10, 40), 100, 50, 10, 10, (2_000, 32))


class _FallbackCounter(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


def _mean_pages(files: list[Path]) -> float:
    import pypdfium2

    counts = []
    for f in files:
        doc = pypdfium2.PdfDocument(str(f))
        counts.append(len(doc))
        doc.close()
    return statistics.mean(counts)


def bench_extraction(files: list[Path]) -> dict:
    counter = _FallbackCounter()
    logging.getLogger("ingestion.pdf.reader").addHandler(counter)
    logging.getLogger("ingestion.pdf.reader").setLevel(logging.INFO)
    engines = {}
    for engine in ("bare", "pdfplumber", "auto"):
        log(f"extraction, one process, {engine}: {len(files)} reports ...")
        engines[engine] = extraction.pages_per_second(files, engine)
    logging.getLogger("ingestion.pdf.reader").removeHandler(counter)
    ms = {e: v["ms_cpu_per_page"] for e, v in engines.items()}
    result = {
        "engines": engines,
        "ratios": {
            "reference_vs_bare": ms["pdfplumber"] / ms["bare"],
            "auto_vs_bare": ms["auto"] / ms["bare"],
            "bare_vs_pdfium": ms["bare"] / ms["auto"],
        },
        "pdfium_fallbacks": counter.messages,
    }
    log(f"extraction parity, PDFium vs pdfplumber page by page: {len(files)} reports + committed PDFs ...")
    result["parity"] = extraction.parity(files + extraction.PARITY_FIXTURES)
    scaling = []
    for workers in (1, 2):
        log(f"extraction scaling: {workers} process(es) ...")
        scaling.append(extraction.scaling(files, workers))
    result["scaling"] = scaling
    result["speedup_2_vs_1"] = scaling[1]["pages_per_s"] / scaling[0]["pages_per_s"]
    return result


def bench_memory(out: Path, pages: tuple[int, int]) -> dict:
    runs = []
    for n in pages:
        path = extraction.long_document(out / f"long-{n}.pdf", n)
        for engine in ("auto", "pdfplumber", "bare"):
            log(f"memory: {engine} on a {n}-page-table document ...")
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks.extraction", "memory", engine, str(path)],
                capture_output=True,
                text=True,
                check=True,
                cwd=corpus.ROOT,
            )
            runs.append(json.loads(done.stdout))
    baseline = subprocess.run(
        [sys.executable, "-m", "benchmarks.extraction", "baseline"],
        capture_output=True,
        text=True,
        check=True,
        cwd=corpus.ROOT,
    )
    sizes = sorted({r["pages"] for r in runs})
    return {
        "runs": runs,
        "small_pages": sizes[0],
        "large_pages": sizes[-1],
        "import_baseline_mb": json.loads(baseline.stdout)["peak_rss_mb"],
    }


def bench_refresh(
    out: Path, files: list[Path], params: corpus.CorpusParams, sizes: tuple[int, ...], quick: bool
) -> tuple[dict, Path]:
    results: dict = {}
    warehouse = None
    for size in sizes:
        label = "quick inbox" if quick else f"{size:,} reports"
        inbox = corpus.make_inbox(files[:size], out / f"inbox-{size}")
        warehouse = refresh.fresh_warehouse(out / f"warehouse-{size}")
        log(f"full refresh, {label} ...")
        results[f"full refresh, {label}"] = refresh.refresh(inbox, warehouse, log)
    log(f"no-op refresh, {label} ...")
    results[f"no-op refresh, {label}"] = refresh.refresh(inbox, warehouse, log)
    changed = sorted(inbox.glob("*.pdf"))[size // 2]
    corpus.changed_copy(files[size // 2], changed, size // 2, params)
    log(f"refresh after one changed file, {label} ...")
    results[f"refresh after one changed file, {label}"] = refresh.refresh(inbox, warehouse, log)
    return results, warehouse


def bench_samples(out: Path) -> dict:
    """The bundled samples (what `make run` refreshes): the first refresh of a new warehouse, then
    rebuilds of the same warehouse (as a nightly run after a change: extraction cached, dbt's parse
    reused), each with its steps' times."""
    inbox = out / "samples-inbox"
    if inbox.exists():
        shutil.rmtree(inbox)
    shutil.copytree(SAMPLES_DIR, inbox)
    warehouse = refresh.fresh_warehouse(out / "warehouse-samples")
    log("samples: first refresh of a new warehouse ...")
    results = {"samples, first refresh of a new warehouse": refresh.refresh(inbox, warehouse, log)}
    for i in range(1, SAMPLE_REBUILDS + 1):
        log(f"samples: rebuild {i} of the same warehouse ...")
        results[f"samples, rebuild {i} of the same warehouse"] = refresh.refresh(inbox, warehouse, log, force=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a small version for smoke testing (~2-3 minutes)")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="measure nothing: rewrite docs/benchmarks.md from benchmarks/results.json",
    )
    args = parser.parse_args(argv)
    if args.report_only:
        results = json.loads(report.RESULTS_JSON.read_text(encoding="utf-8"))
        report.write(results)
        report.print_table(results)
        return 0
    cfg = QUICK if args.quick else FULL
    started = time.perf_counter()
    out = corpus.OUT_DIR
    out.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "quick": args.quick,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "config": asdict(cfg),
    }

    params = corpus.CorpusParams(reports=cfg.corpus_reports)
    folder = corpus.build_corpus(params, log=log)
    files = corpus.corpus_files(folder)
    results["corpus"] = {
        "reports": len(files),
        "mean_pages": _mean_pages(files),
        "params": asdict(params),
        "folder": str(folder.relative_to(corpus.ROOT)),
    }

    results["extraction"] = bench_extraction(files[: cfg.extraction_reports])
    results["memory"] = bench_memory(out, cfg.memory_pages)
    results["inbox_scan"] = inbox_scan.run(out, *cfg.scan_files, log=log)
    results["samples"] = bench_samples(out)
    results["refresh"], published = bench_refresh(out, files, params, cfg.refresh_inboxes, args.quick)

    log("BI queries on the published warehouse ...")
    results["queries"] = {
        f"published warehouse ({cfg.refresh_inboxes[-1]:,} reports)": queries.run(published, repeats=cfg.query_repeats)
    }
    results["dbt_scale"] = dbt_scale.run(
        out,
        reports=cfg.dbt_reports,
        projects_per_report=cfg.dbt_projects_per_report,
        indicators_per_project=cfg.dbt_indicators_per_project,
        log=log,
    )
    if results["dbt_scale"]["dbt_returncode"] in (0, 1):  # 1: some data test failed, the marts are built
        label = f"dbt-scale candidate ({results['dbt_scale']['raw_rows']['projects']:,} projects)"
        log(f"BI queries on the {label} ...")
        results["queries"][label] = queries.run(Path(results["dbt_scale"]["candidate"]), repeats=cfg.query_repeats)

    results["total_wall_s"] = time.perf_counter() - started
    report.write(results)
    report.print_table(results)
    for target, ok, _ in report.verdicts(results):
        print(f"{'HOLDS' if ok else 'MISSES'}: {target}")
    log(
        f"wrote {report.RESULTS_JSON.relative_to(corpus.ROOT)} and {report.DOCS_MD.relative_to(corpus.ROOT)} "
        f"in {results['total_wall_s'] / 60:.1f} min"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
