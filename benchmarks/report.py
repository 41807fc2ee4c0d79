"""The benchmark results as a table on the terminal, benchmarks/results.json and docs/benchmarks.md."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS_JSON = ROOT / "benchmarks" / "results.json"
DOCS_MD = ROOT / "docs" / "benchmarks.md"


def _f(value, fmt="{:.1f}") -> str:
    return "n/a" if value is None else fmt.format(value)


def table_rows(r: dict) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    ex = r.get("extraction", {})
    for engine, label in (
        ("bare", "bare pdfplumber loop (extract_tables on every page)"),
        ("pdfplumber", "our reader, pdfplumber engine (reference)"),
        ("auto", "our reader, default engine (PDFium, pdfplumber fallback)"),
    ):
        if engine in ex.get("engines", {}):
            e = ex["engines"][engine]
            rows.append(
                (
                    f"extraction: {label}",
                    f"{e['ms_cpu_per_page']:.1f} ms CPU/page = {e['pages_per_cpu_s']:.1f} pages/s per process ({e['pages']} pages)",
                )
            )
    if "ratios" in ex:
        x = ex["ratios"]
        rows.append(
            ("extraction: reference engine / bare pdfplumber (per page)", f"{x['reference_vs_bare']:.2f}x the time")
        )
        rows.append(("extraction: bare pdfplumber / PDFium engine (per page)", f"{x['bare_vs_pdfium']:.2f}x faster"))
    if "parity" in ex:
        p = ex["parity"]
        rows.append(
            (
                "extraction parity: PDFium vs pdfplumber, pages",
                f"{p['identical']} identical, {p['detected']} detected (read by pdfplumber), {p['differing']} differing "
                f"of {p['pages']} ({p['documents']} documents; ruled-table pages identical "
                f"{p['ruled_identical']} of {p['ruled_table_pages']})",
            )
        )
    for s in ex.get("scaling", []):
        rows.append(
            (
                f"extraction scaling: {s['workers']} process(es), engine auto",
                f"{s['pages_per_s']:.1f} pages/s wall ({s['wall_s']:.1f} s)",
            )
        )
    if "speedup_2_vs_1" in ex:
        rows.append(("extraction scaling: speed-up 2 vs 1 process", f"{ex['speedup_2_vs_1']:.2f}x"))
    for m in r.get("memory", {}).get("runs", []):
        rows.append(
            (
                f"peak RSS: extracting a {m['pages']}-page PDF, {m['engine']}",
                f"{m['peak_rss_mb']:.0f} MB ({m['wall_s']:.1f} s)",
            )
        )
    if "memory" in r and "import_baseline_mb" in r["memory"]:
        rows.append(
            ("peak RSS: process after importing the reader (baseline)", f"{r['memory']['import_baseline_mb']:.0f} MB")
        )
    scan = r.get("inbox_scan")
    if scan:
        gigabytes = scan["files"] * scan["file_kb"] / 1024 / 1024
        rows.append(
            (
                f"inbox scan: {scan['files']:,} files ({gigabytes:.1f} GiB), every byte hashed",
                f"{scan['no_cache_s']:.1f} s ({gigabytes * 1024 / scan['no_cache_s']:.0f} MiB/s)",
            )
        )
        rows.append(
            (
                f"inbox scan: {scan['files']:,} files, stat cache warm (no-op)",
                f"{scan['warm_cache_s']:.2f} s = {scan['speedup']:.0f}x faster (cache {scan['cache_mb']:.1f} MB)",
            )
        )
    for name, ref in [*r.get("samples", {}).items(), *r.get("refresh", {}).items()]:
        rows.append(
            (
                f"refresh: {name}",
                f"{ref['wall_s']:.1f} s wall; peak RSS {ref['peak_process_mb']:.0f} MB largest process, "
                f"{ref['peak_tree_mb']:.0f} MB whole tree"
                + ("" if ref["returncode"] == 0 else f" (exit {ref['returncode']})"),
            )
        )
        if ref.get("step_seconds"):
            rows.append((f"refresh: {name}, seconds per step", _steps(ref)))
    d = r.get("dbt_scale")
    if d:
        rows.append(
            (
                f"dbt build: {d['raw_rows']['projects']:,} projects / {d['raw_rows']['indicators']:,} indicators",
                f"{d['dbt_build_wall_s']:.1f} s wall (exit {d['dbt_returncode']}; {d.get('statuses', {})}); peak RSS {d['dbt_peak_process_mb']:.0f} MB",
            )
        )
    for label, q in r.get("queries", {}).items():
        for name, s in q["queries"].items():
            rows.append(
                (
                    f"BI query on {label}: {name}",
                    f"median {s['median_ms']:.1f} ms, p95 {s['p95_ms']:.1f} ms ({s['runs']} runs)",
                )
            )
    return rows


def _steps(ref: dict) -> str:
    """A measured refresh's steps, each with its seconds, and the time outside them."""
    steps = ", ".join(f"{step} {seconds:.1f}" for step, seconds in ref["step_seconds"].items())
    outside = ref["wall_s"] - sum(ref["step_seconds"].values())  # process start, imports, definitions
    return steps + f"; outside the steps {outside:.1f}"


SAMPLES_TARGET_S = 20.0


def _samples_verdict(samples: dict) -> tuple[str, bool, str] | None:
    first = next((v for k, v in samples.items() if k.startswith("samples, first")), None)
    rebuilds = [v for k, v in samples.items() if k.startswith("samples, rebuild") and v["returncode"] == 0]
    if first is None or first["returncode"] != 0 or not rebuilds:
        return None
    best = min(rebuilds, key=lambda v: v["wall_s"])
    ok = first["wall_s"] <= SAMPLES_TARGET_S and best["wall_s"] <= SAMPLES_TARGET_S
    return (
        f"The samples' refresh within {SAMPLES_TARGET_S:.0f} s on 2 cores",
        ok,
        f"First refresh of a new warehouse {first['wall_s']:.1f} s ({_steps(first)}); the best of "
        f"{len(rebuilds)} rebuilds of the same warehouse {best['wall_s']:.1f} s ({_steps(best)}). "
        + (
            "It holds."
            if ok
            else "It does not hold. The steps above say where the time goes: dbt (its start-up, and a node "
            "at a time of Python work per model and data test), Dagster's start-up and definitions outside "
            "the steps, the Great Expectations import."
        ),
    )


CHANGED_FILE_TARGET = 0.05  # one changed file at 1,000 reports, as a share of a full refresh (issue 15)


def _changed_file_verdict(ref: dict) -> tuple[str, bool, str] | None:
    """The refresh after one changed file against the full refresh of the same 1,000-report inbox."""
    full, changed = ref.get("full refresh, 1,000 reports"), ref.get("refresh after one changed file, 1,000 reports")
    if not full or not changed or full["returncode"] != 0 or changed["returncode"] != 0:
        return None
    share = changed["wall_s"] / full["wall_s"]
    ok = share <= CHANGED_FILE_TARGET
    steps = (
        f" Full: {_steps(full)}. One changed file: {_steps(changed)}."
        if full.get("step_seconds") and changed.get("step_seconds")
        else ""
    )
    return (
        f"One changed file within {CHANGED_FILE_TARGET:.0%} of a full refresh at 1,000 reports",
        ok,
        f"Refresh after one changed file {changed['wall_s']:.1f} s against a full refresh of {full['wall_s']:.1f} s: "
        f"{share:.1%}. " + ("It holds." if ok else "It does not hold.") + steps,
    )


def print_table(r: dict) -> None:
    rows = table_rows(r)
    width = max(len(a) for a, _ in rows) if rows else 10
    print()
    for a, b in rows:
        print(f"{a:<{width}}  {b}")


def verdicts(r: dict) -> list[tuple[str, bool | None, str]]:
    """(target, holds, paragraph) for each target of the issue."""
    out = []
    ex = r.get("extraction", {})
    x = ex.get("ratios")
    if x:
        ok = x["reference_vs_bare"] <= 1.2
        e = ex["engines"]
        out.append(
            (
                "Extraction within 1.2x of bare pdfplumber per page at worst",
                ok,
                f"Our reader on the pdfplumber (reference) engine costs {e['pdfplumber']['ms_cpu_per_page']:.1f} ms CPU a page "
                f"against {e['bare']['ms_cpu_per_page']:.1f} ms for the bare `extract_tables` loop over the same pages: "
                f"{x['reference_vs_bare']:.2f}x. "
                + (
                    "It holds: the reader table-extracts only the pages of the target table and searches the others by text, "
                    "and its own cell assembly (left-edge assignment, wrapped-line joining) replaces pdfplumber's cell text."
                    if ok
                    else "It does not hold: the reader's own work per page (doubled-glyph detection, cell assembly by left edge, "
                    "line grouping per cell) costs more than pdfplumber's cell text on these table-dense pages."
                )
                + f" The default engine (PDFium) costs {e['auto']['ms_cpu_per_page']:.1f} ms a page ({x['auto_vs_bare']:.2f}x bare).",
            )
        )
        ok3 = x["bare_vs_pdfium"] >= 3.0
        out.append(
            (
                "3x faster than bare pdfplumber with the PDFium path",
                ok3,
                f"Bare pdfplumber / default engine = {x['bare_vs_pdfium']:.2f}x. "
                + (
                    "It holds."
                    if ok3
                    else "It does not hold: what remains per page is mostly the shared table logic (pdfplumber's TableFinder "
                    "on PDFium's edges, our cell assembly and line grouping in Python) plus PDFium's text page build; "
                    "the character read itself is a few ms. Moving cell assembly off per-cell sorting would be next."
                ),
            )
        )
    p = ex.get("parity")
    if p:
        out.append(
            (
                "Every page read by PDFium is identical to pdfplumber's reading, or detected and read by pdfplumber",
                p["differing"] == 0,
                f"Of {p['pages']} pages ({p['documents']} documents: the benchmark corpus and the committed PDFs), "
                f"{p['identical']} are identical on characters, rules, grid and cell texts and {p['detected']} are "
                f"detected and read by pdfplumber; {p['differing']} differ"
                + (": " + "; ".join(p["differences"][:5]) if p["differences"] else "")
                + f". Glyph right edges differ on {p['advances']} identical pages (last glyph of a run; see parity).",
            )
        )
    if samples := _samples_verdict(r.get("samples", {})):
        out.append(samples)
    ref = r.get("refresh", {})
    full, noop = (
        ref.get("full refresh, 1,000 reports") or ref.get("full refresh, quick inbox"),
        ref.get("no-op refresh, 1,000 reports") or ref.get("no-op refresh, quick inbox"),
    )
    if full and noop and full["returncode"] == 0 and noop["returncode"] == 0:
        share = noop["wall_s"] / full["wall_s"]
        ok = share < 0.10
        out.append(
            (
                "No-op refresh under 10% of a full refresh",
                ok,
                f"No-op refresh {noop['wall_s']:.1f} s against a full refresh of {full['wall_s']:.1f} s: {share:.0%}. "
                + (
                    "It holds."
                    if ok
                    else "It does not hold. Extraction is cached (sha256 + parser version), so what remains is fixed work that "
                    "does not depend on what changed: process start-up and Dagster's job set-up, re-hashing every inbox file, "
                    "re-loading every cached report into a fresh candidate's raw tables, a full `dbt build` (models and all "
                    "data tests) and the Great Expectations gate on the whole warehouse, then a publish. See the proposal "
                    "below."
                ),
            )
        )
    if changed := _changed_file_verdict(ref):
        out.append(changed)
    mem = r.get("memory", {})
    if mem.get("runs"):
        by = {(m["engine"], m["pages"]): m["peak_rss_mb"] for m in mem["runs"]}
        small, large = mem["small_pages"], mem["large_pages"]
        parts, ok = [], True
        for engine in ("auto", "pdfplumber"):
            if (engine, small) in by and (engine, large) in by:
                growth = by[engine, large] - by[engine, small]
                per_page = growth / (large - small)
                parts.append(
                    f"{engine}: {by[engine, small]:.0f} MB at {small} pages, {by[engine, large]:.0f} MB at {large} pages "
                    f"({per_page * 1024:.0f} KB per extra page)"
                )
                ok = ok and per_page < 0.25  # a retained page costs MBs; < 256 KB a page is bookkeeping
        out.append(
            (
                "Memory bounded per page, not per document",
                ok,
                "Peak RSS of one extraction process: "
                + "; ".join(parts)
                + ". "
                + (
                    "It holds: each page (and PDFium's text page) is closed before the next is opened, so the peak is set "
                    "by the largest page; what grows with the document is only the rows read so far."
                    if ok
                    else "It does not hold: memory grows with the document."
                ),
            )
        )
    return out


PROPOSALS = """\
## What limits the numbers, and proposals

- **A refresh after one changed file** copies what did not change instead of rebuilding it (issue 15):
  the extraction step decides cached files from a small recorded outcome without reading their rows
  (publishing/verdicts.py) and records a `report_files` materialization only for a file whose outcome
  changed; when the same code built the published file, the candidate starts as its copy and keeps the
  raw rows of unchanged reports (publishing/candidate.py, publishing/published_rows.py) and
  int_indicators, which is incremental by report (publishing/incremental_seed.py); dbt's heavy
  intermediate models are tables built once, and the seeds' own tests are skipped when the seeds are
  those the published file was built with; the export hard-links every file whose rows did not change,
  writes the facts' workbooks one per report, and those of large tables with a department but no report
  one per department (publishing/export_reuse.py, publishing/grouped_workbooks.py), and runs its COPY
  statements beside the workbooks (publishing/background_copies.py). What remains is fixed cost:
  process start-up and Dagster, dbt's Python per node (about 100 models, seeds and tests whatever
  changed), the marts rebuilt whole, the change feed and the gate on the whole warehouse.
- **A full export is slower than before**: one workbook per report means thousands of small
  workbooks at 1,000 reports (about 4,000), each paying openpyxl's set-up and save; it happens on the
  first export of a warehouse and after a change of the writer code or of DuckDB/openpyxl. Writing the
  per-report workbooks with a faster writer would be next.
- **Extraction per page** dominates a full refresh. With PDFium, the character read is a few ms a
  page; most of what remains is the shared table logic in Python (pdfplumber's TableFinder on the
  edges, our cell assembly: per-cell line grouping and sorting, doubled-glyph detection by sorting
  all chars).
- **The no-op refresh** stops before Dagster starts (input fingerprint: `publishing/fingerprint.py`),
  after listing the inbox with the stat cache (`ingestion/hash_cache.py`).
- **The machine is shared.** Other work (test suites) ran during the runs: wall times include that
  contention (see the load average recorded with each run in docs/scale.md).
"""


def write(r: dict) -> None:
    RESULTS_JSON.write_text(json.dumps(r, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    m = r["machine"]
    lines = [
        "# Benchmarks: the nightly refresh at scale",
        "",
        f"Generated by `python -m benchmarks.run{' --quick' if r['quick'] else ''}` on {r['date']} "
        f"(total {r['total_wall_s'] / 60:.1f} min). Machine: {m['nproc']} cores ({m['cpu']}), {m['memory_gib']} GiB memory. "
        "Raw numbers: `benchmarks/results.json`. Do not edit this file by hand: rerun the benchmark.",
        "",
        f"Corpus: {r['corpus']['reports']} synthetic reports made by the PDF fixture generator "
        f"(tests/fixtures/pdf_generator.py) from the amount-carrying samples, {r['corpus']['mean_pages']:.1f} pages on "
        "average (leading statements, a table of contents, the target table, a trailing statement). The machine is "
        "shared with other work: CPU times are more stable than wall times.",
        "",
        "| measurement | result |",
        "| --- | --- |",
    ]
    lines += [f"| {a} | {b} |" for a, b in table_rows(r)]
    lines += ["", "## Targets", ""]
    for target, ok, text in verdicts(r):
        state = "holds" if ok else "does not hold"
        lines += [f"**{target}: {state}.** {text}", ""]
    lines += [PROPOSALS]
    DOCS_MD.write_text("\n".join(lines), encoding="utf-8")
