"""Extraction speed per process (our reader on both engines vs a bare pdfplumber loop), scaling
over processes, the peak memory of extracting one long document, and the parity of the two
engines page by page (``ingestion.pdf.parity``) on the benchmark corpus and the committed PDFs.

``python -m benchmarks.extraction memory ENGINE PATH`` extracts one file in a fresh process and
prints its peak RSS as JSON (used by the memory benchmark, so that earlier work does not count).
"""

from __future__ import annotations

import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def bare_pdfplumber(path: Path) -> int:
    """The baseline: pdfplumber's own table extraction on every page. Returns the page count."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        n = 0
        for page in pdf.pages:
            page.extract_tables()
            page.close()
            n += 1
    return n


def our_reader(path: Path, engine: str) -> int:
    from ingestion.pdf.reader import read_pdf_report

    return read_pdf_report(path, source_file=path.name, file_sha256="0" * 64, engine=engine).page_count


def _read_auto(path: str) -> int:
    return our_reader(Path(path), "auto")


def pages_per_second(files: list[Path], engine: str) -> dict:
    """CPU and wall time of one process reading ``files`` with ``engine`` (or "bare")."""
    cpu0, wall0 = time.process_time(), time.perf_counter()
    pages = 0
    for f in files:
        pages += bare_pdfplumber(f) if engine == "bare" else our_reader(f, engine)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return {
        "engine": engine,
        "files": len(files),
        "pages": pages,
        "cpu_s": cpu,
        "wall_s": wall,
        "pages_per_cpu_s": pages / cpu,
        "ms_cpu_per_page": 1000 * cpu / pages,
    }


PARITY_FIXTURES = sorted((Path(__file__).resolve().parents[1] / "tests" / "fixtures").glob("*pdfs/*.pdf"))


def parity(files: list[Path]) -> dict:
    """Pages identical on every criterion, refused (the document is read by pdfplumber) or differing.

    A document with a refused page is read by pdfplumber as a whole: all its pages count as
    detected. "differing" pages are read by PDFium and differ from the reference: the figure that
    must be 0. "advances" counts pages where only a glyph's right edge differs (see parity).
    """
    from ingestion.pdf.parity import compare_document

    out = {"documents": 0, "pages": 0, "identical": 0, "detected": 0, "differing": 0, "advances": 0}
    out["ruled_table_pages"] = out["ruled_identical"] = 0
    out["differences"] = []
    for path in files:
        pages = compare_document(path)
        out["documents"] += 1
        out["pages"] += len(pages)
        refused = any(p.fallback is not None for p in pages)
        for p in pages:
            out["ruled_table_pages"] += p.ruled_table
            if refused:
                out["detected"] += 1
            elif p.chars and p.rules and p.grids:
                out["identical"] += 1
                out["ruled_identical"] += p.ruled_table
                out["advances"] += not p.advances
            else:
                out["differing"] += 1
                out["differences"].append(f"{path.name} p{p.page}: {p.detail}")
    return out


def scaling(files: list[Path], workers: int) -> dict:
    """Wall time of reading ``files`` (engine auto) with a pool of ``workers`` processes."""
    wall0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pages = sum(pool.map(_read_auto, [str(f) for f in files], chunksize=2))
    wall = time.perf_counter() - wall0
    return {"workers": workers, "pages": pages, "wall_s": wall, "pages_per_s": pages / wall}


def long_document(path: Path, pages: int) -> Path:
    """A report whose table runs over about ``pages`` pages (one project per two table rows)."""
    import copy
    from decimal import Decimal

    from benchmarks.corpus import _templates
    from tests.fixtures.pdf_generator import ReportSpec, UnitSpec, format_amount, render_report

    if path.exists():
        return path
    template = _templates()[0]
    projects = []
    k = 0
    while len(projects) < pages * 2:
        for unit in template.units:
            for p in unit.projects:
                q = copy.deepcopy(p)
                q.name = f"{q.name}（{k + 1:04d}）"
                projects.append(q)
                k += 1
    projects = projects[: pages * 2]
    totals = [
        sum((Decimal(p.amounts[c].replace(",", "")) if p.amounts[c] else Decimal(0)) for p in projects)
        for c in range(4)
    ]
    amounts = tuple(format_amount(v) for v in totals)
    spec = ReportSpec(template.department, [UnitSpec(template.units[0].name, amounts, projects)], total=amounts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return render_report(spec, path, rows_per_page_limit=2)


def peak_rss_mb() -> float:
    """This process's RSS high-water mark (VmHWM). Unlike ru_maxrss it is not inherited from the
    parent that forked us, which would hide a small child's peak behind a large parent's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _memory_main(engine: str, path: str) -> None:
    started = time.perf_counter()
    if engine == "bare":
        pages = bare_pdfplumber(Path(path))
    else:
        pages = our_reader(Path(path), engine)
    print(
        json.dumps(
            {"engine": engine, "pages": pages, "wall_s": time.perf_counter() - started, "peak_rss_mb": peak_rss_mb()}
        )
    )


def _baseline_main() -> None:
    """Peak RSS of a process that only imported the reader: what the extraction adds to."""
    import pdfplumber  # noqa: F401
    import pypdfium2  # noqa: F401

    import ingestion.pdf.reader  # noqa: F401

    print(json.dumps({"peak_rss_mb": peak_rss_mb()}))


if __name__ == "__main__":
    if sys.argv[1] == "memory":
        _memory_main(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "baseline":
        _baseline_main()
