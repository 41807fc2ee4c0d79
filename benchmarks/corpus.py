"""Synthetic inboxes of generator-made PDF reports, cached by the parameters that made them.

Reports are built from the amount-carrying samples in data/samples (layouts A and B, read by the
text reader): each report strings units of several samples together until it has about
``indicators_per_report`` indicators (~10 printed pages with the leading statements), renames its
projects and department so that every file has its own content, and declares a 合计 that adds up.
The PDFs therefore read back exactly and pass the Great Expectations gate, like real reports.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

from contract.settings import SAMPLES_DIR

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "benchmarks" / "out"
# Bump when the way reports are composed changes: cached corpora are then made again.
CORPUS_FORMAT = 1


@dataclass(frozen=True)
class CorpusParams:
    reports: int
    indicators_per_report: int = 100
    leading_pages: int = 3
    trailing_statement: bool = True
    fiscal_year: int = 2025

    def key(self) -> str:
        text = json.dumps({**asdict(self), "format": CORPUS_FORMAT}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def _templates():
    """ReportSpecs of the samples that print amounts (layout C has no amount columns)."""
    from ingestion.text.reader import read_text_report
    from tests.fixtures.pdf_generator import spec_from_parsed_report

    specs = []
    for path in sorted(SAMPLES_DIR.glob("*.txt")):
        report = read_text_report(path, source_file=path.name, file_sha256="0" * 64)
        if report.layout != "C":
            specs.append(spec_from_parsed_report(report))
    if not specs:
        raise RuntimeError(f"no sample with amounts in {SAMPLES_DIR}")
    return specs


def _amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "")) if text else Decimal(0)


def _indicator_count(unit) -> int:
    return sum(p.indicators.count("指标值") // 2 or 1 for p in unit.projects)


def report_spec(index: int, templates, indicators_per_report: int):
    """The ``index``-th synthetic report: units of consecutive templates, renamed."""
    from tests.fixtures.pdf_generator import ReportSpec, format_amount

    units = []
    indicators = 0
    k = 0
    while indicators < indicators_per_report:
        template = templates[(index + k) % len(templates)]
        for unit in template.units:
            unit = copy.deepcopy(unit)
            if k >= len(templates):  # the same template again: its units need other names
                unit.name = f"{unit.name}（{k // len(templates) + 1}）"
            for project in unit.projects:
                project.name = f"{project.name}（{index + 1:04d}-{k + 1}）"
            units.append(unit)
            indicators += _indicator_count(unit)
        k += 1
    total = [Decimal(0)] * 4
    for unit in units:
        rows = [unit.amounts] if unit.amounts else [p.amounts for p in unit.projects]
        for row in rows:
            for col in range(4):
                total[col] += _amount(row[col])
    department = f"{templates[index % len(templates)].department}第{index % 97 + 1}分局"
    return ReportSpec(department, units, total=tuple(format_amount(v) for v in total))


def _render(args) -> str:
    from tests.fixtures.pdf_generator import render_report

    index, path, params = args
    spec = report_spec(index, _templates_cached(), params.indicators_per_report)
    render_report(spec, path, leading_pages=params.leading_pages, trailing_statement=params.trailing_statement)
    return path


_TEMPLATES = None


def _templates_cached():
    global _TEMPLATES
    if _TEMPLATES is None:
        _TEMPLATES = _templates()
    return _TEMPLATES


def file_name(index: int, params: CorpusParams) -> str:
    return f"report_{index + 1:05d}_{params.fiscal_year}.pdf"


def build_corpus(params: CorpusParams, *, workers: int = 2, log=print) -> Path:
    """The folder of ``params.reports`` PDFs, generated once and reused while the params match."""
    folder = OUT_DIR / f"corpus-{params.key()}"
    done = folder / "corpus.json"
    if done.exists():
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "pdfs").mkdir(parents=True)
    jobs = [(i, str(folder / "pdfs" / file_name(i, params)), params) for i in range(params.reports)]
    log(f"generating {params.reports} synthetic reports into {folder} ...")
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_render, jobs, chunksize=8))
    done.write_text(json.dumps({**asdict(params), "format": CORPUS_FORMAT}, indent=2))
    return folder


def corpus_files(folder: Path) -> list[Path]:
    return sorted((folder / "pdfs").glob("*.pdf"))


def make_inbox(files: list[Path], inbox: Path) -> Path:
    """A fresh inbox holding ``files`` (hard links: no copy of the bytes)."""
    if inbox.exists():
        shutil.rmtree(inbox)
    inbox.mkdir(parents=True)
    for f in files:
        try:
            os.link(f, inbox / f.name)
        except OSError:
            shutil.copy2(f, inbox / f.name)
    return inbox


def changed_copy(source: Path, target: Path, index: int, params: CorpusParams) -> None:
    """Replace ``target`` by a re-rendered report ``index`` with one project renamed (new bytes)."""
    from tests.fixtures.pdf_generator import render_report

    spec = report_spec(index, _templates_cached(), params.indicators_per_report)
    spec.units[0].projects[0].name += "（修订）"
    target.unlink(missing_ok=True)
    render_report(spec, target, leading_pages=params.leading_pages, trailing_statement=params.trailing_statement)
