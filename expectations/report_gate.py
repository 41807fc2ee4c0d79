"""The per-report gate: a report's rows pass the report suites or the report is quarantined.

It runs before a report enters the candidate warehouse, on exactly the rows the loader would write
(built with the loader itself in an in-memory DuckDB), plus the report's sum checks: a report whose
合计, unit subtotals or project totals do not add up beyond rounding is quarantined, and only it. Verdicts are cached next to the extraction,
keyed by content, parser version and the suites' own version, so an unchanged night re-validates
nothing.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import duckdb

from contract import atomic
from contract.settings import GX_SUITES_DIR
from ingestion.model import ParsedReport
from ingestion.raw_tables import RAW_SCHEMA, create_raw_tables, insert_report
from ingestion.reconciliation import reconcile
from ingestion.version import parser_version

REPORT_SUITES = ("report_projects.json", "report_indicators.json", "report_reconciliation.json")


@lru_cache(maxsize=1)
def suites_version() -> str:
    digest = hashlib.sha256()
    for name in REPORT_SUITES:
        digest.update((GX_SUITES_DIR / name).read_bytes())
    return digest.hexdigest()[:12]


def _verdict_path(cache_dir: Path, report: ParsedReport) -> Path:
    return cache_dir / f"{report.file_sha256}-{parser_version()}-gate-{suites_version()}.json"


def _report_frames(report: ParsedReport):
    con = duckdb.connect()
    try:
        create_raw_tables(con)
        insert_report(con, report, parser_version=parser_version())
        return (
            con.execute(f"SELECT * FROM {RAW_SCHEMA}.projects").df(),
            con.execute(f"SELECT * FROM {RAW_SCHEMA}.indicators").df(),
        )
    finally:
        con.close()


def _reconciliation_frame(report: ParsedReport):
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "check_type": c.check_type,
                "subject": c.subject,
                "amount_column": c.amount_column,
                "declared": float(c.declared),
                "computed": float(c.computed),
                "figures_summed": c.figures_summed,
                "is_within_tolerance": c.is_within_tolerance,
            }
            for c in reconcile(report)
        ],
        columns=[
            "check_type",
            "subject",
            "amount_column",
            "declared",
            "computed",
            "figures_summed",
            "is_within_tolerance",
        ],
    )


def report_gate_failures(report: ParsedReport, cache_dir: Path | None = None) -> list[str]:
    """The failed expectations of this report, one sentence each; empty when it passes."""
    path = _verdict_path(cache_dir, report) if cache_dir is not None else None
    if path is not None:
        try:
            return json.loads(path.read_text(encoding="utf-8"))["failures"]
        except (OSError, ValueError, KeyError):
            pass
    # Imports great_expectations: slow.
    from expectations.gate import validate_report_frames

    projects, indicators = _report_frames(report)
    failures = validate_report_frames(
        projects, indicators, source_file=report.source_file, reconciliation=_reconciliation_frame(report)
    ).failures
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_text(path, json.dumps({"failures": failures}, ensure_ascii=False))
    return failures
