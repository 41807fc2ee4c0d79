"""The per-report gate: a report's rows pass the report suites or the report is quarantined.

It runs before a report enters the candidate warehouse, on exactly the rows the loader would write
(built with the loader itself in an in-memory DuckDB), its reconciliation checks included: a report
whose 合计, unit subtotals or project totals do not add up beyond rounding is quarantined, and only
it. It validates in the worker process the CLI starts ahead, when there is one
(expectations/gate_worker.py). Verdicts are cached next to the extraction, keyed by content, parser
version and the suites' own version, so an unchanged night re-validates nothing.

The table is also checked against itself (suite ``report_integrity``): every numbered indicator
cell must parse whole (``ingestion.parse.indicators.numbering_failures``). A cell whose item number
was lost with damaged bytes still gives rows whose amounts reconcile, so only this check sees that
the report was read in part; it fails naming the check and the project.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from contract import atomic
from contract.settings import GX_SUITES_DIR, RAW_SCHEMA
from expectations import frames, gate_worker
from expectations.context import new_context
from expectations.gate import GateResult, result_format
from expectations.messages import failure_sentence
from ingestion.model import ParsedReport
from ingestion.parse.indicators import INTEGRITY_CHECKS, numbering_failures
from ingestion.raw_tables import create_raw_tables, insert_report
from ingestion.version import parser_version

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

REPORT_SUITES = (
    "report_projects.json",
    "report_indicators.json",
    "report_reconciliation.json",
    "report_integrity.json",
)


@lru_cache(maxsize=1)
def suites_version() -> str:
    digest = hashlib.sha256()
    for name in REPORT_SUITES:
        digest.update((GX_SUITES_DIR / name).read_bytes())
    digest.update(Path(__file__).read_bytes())  # the frames' rules (integrity_frame) are part of the verdict
    return digest.hexdigest()[:12]


def _verdict_path(cache_dir: Path, report: ParsedReport) -> Path:
    return cache_dir / f"{report.file_sha256}-{parser_version()}-gate-{suites_version()}.json"


def _unit_failures(report: ParsedReport) -> list[tuple[str, str, str]]:
    """A fund-using unit printed with no project under it: its projects were lost (a report without any
    project fails report_projects already)."""
    used = {p.budget_unit for p in report.projects}
    return [
        ("unit_without_projects", f"unit {u.name}", "the unit is printed but none of its projects")
        for u in report.budget_units
        if used and u.name not in used
    ]


def integrity_frame(report: ParsedReport) -> pd.DataFrame:
    """One row per integrity check and subject (a project with a numbered indicator cell, the report's
    fund-using units): passed, or what was found."""
    import pandas as pd

    rows = []
    for seq, project in enumerate(report.projects, start=1):
        if not any(i.numbered_text for i in project.indicators):
            continue
        found: dict[str, list[str]] = {}
        for check, finding in numbering_failures(project.indicators):
            found.setdefault(check, []).append(finding)
        for check in INTEGRITY_CHECKS:
            findings = found.get(check, [])
            rows.append((check, f"project {seq} {project.name}", "; ".join(findings), not findings))
    failed_units = _unit_failures(report)
    rows += [(*failure, False) for failure in failed_units]
    if report.budget_units and not failed_units:
        rows.append(("unit_without_projects", f"{len(report.budget_units)} units", "", True))
    return pd.DataFrame(rows, columns=["check", "subject", "finding", "passed"])


def _report_frames(report: ParsedReport):
    """The report's rows of raw.projects, raw.indicators and raw.reconciliation_checks, written by the loader."""
    con = duckdb.connect()
    try:
        create_raw_tables(con)
        insert_report(con, report, parser_version=parser_version())
        return tuple(
            con.execute(f"SELECT * FROM {RAW_SCHEMA}.{table}").df()
            for table in ("projects", "indicators", "reconciliation_checks")
        )
    finally:
        con.close()


_REPORT_LOCK = threading.Lock()  # one shared GX context; GX objects are not thread-safe


@dataclass
class _ReportValidator:
    batch_definitions: dict[str, Any]
    suites: dict[str, Any]


def prepare_report_validator() -> None:
    """Import GX and load the report suites now (expectations/gate_worker.py does, as it starts)."""
    _report_validator()


@lru_cache(maxsize=1)
def _report_validator() -> _ReportValidator:
    """Built once per process: importing GX and loading suites is the slow part of this gate."""
    context = new_context(None)
    datasource = context.data_sources.add_pandas("report")
    names = {
        "report_projects": "projects",
        "report_indicators": "indicators",
        "report_reconciliation": "reconciliation",
        "report_integrity": "integrity",
    }
    return _ReportValidator(
        batch_definitions={
            suite: datasource.add_dataframe_asset(name=asset).add_batch_definition_whole_dataframe(f"{asset}_whole")
            for suite, asset in names.items()
        },
        suites={suite: context.suites.get(suite) for suite in names},
    )


def validate_report_frames(
    projects: pd.DataFrame,
    indicators: pd.DataFrame,
    reconciliation: pd.DataFrame,
    *,
    source_file: str,
    integrity: pd.DataFrame | None = None,
) -> GateResult:
    """Gate one parsed report (its rows of raw.projects / raw.indicators) before it is loaded.

    ``reconciliation``: its rows of raw.reconciliation_checks (none when it prints no amounts);
    ``integrity``: its ``integrity_frame`` (none when no cell is numbered text).
    """
    started = time.perf_counter()
    report_frames = [frames.report_projects_frame(projects), frames.report_indicators_frame(indicators)]
    if len(reconciliation):
        report_frames.append(frames.report_reconciliation_frame(reconciliation))
    if integrity is not None and len(integrity):
        report_frames.append(
            frames.Frame("report_integrity", "integrity checks", integrity, ("check", "subject", "finding"))
        )
    failures: list[str] = []
    evaluated = 0
    with _REPORT_LOCK:
        validator = _report_validator()
        for frame in report_frames:
            batch = validator.batch_definitions[frame.suite].get_batch(batch_parameters={"dataframe": frame.data})
            result = batch.validate(validator.suites[frame.suite], result_format=result_format(frame.index_columns))
            evaluated += result.statistics["evaluated_expectations"]
            failures += [
                failure_sentence(frame.suite, f"{frame.name} of {source_file}", r)
                for r in result.results
                if not r.success
            ]
    statistics = {
        "source_file": source_file,
        "projects": len(projects),
        "indicators": len(indicators),
        "evaluated_expectations": evaluated,
        "seconds": round(time.perf_counter() - started, 3),
    }
    return GateResult(passed=not failures, failures=failures, statistics=statistics, docs_index=None)


def _validated_failures(report: ParsedReport) -> list[str]:
    rows = _report_frames(report)
    return validate_report_frames(*rows, source_file=report.source_file, integrity=integrity_frame(report)).failures


def report_gate_failures(report: ParsedReport, cache_dir: Path | None = None) -> list[str]:
    """The failed expectations of this report, one sentence each; empty when it passes."""
    path = _verdict_path(cache_dir, report) if cache_dir is not None else None
    if path is not None:
        try:
            return json.loads(path.read_text(encoding="utf-8"))["failures"]
        except (OSError, ValueError, KeyError):
            pass
    failures = gate_worker.call(_validated_failures, report)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_text(path, json.dumps({"failures": failures}, ensure_ascii=False))
    return failures
