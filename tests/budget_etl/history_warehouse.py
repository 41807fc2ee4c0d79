"""A warehouse holding two fiscal years and a self-evaluation, built by dbt from parsed reports.

It joins the fixtures the marts' own tests use: the two years of 广州市工商业联合会
(tests/dbt/two_year_reports.py: funding changes, new and discontinued projects, changed targets) and
sample 000's 2025 target table with its self-evaluation (tests/fixtures/self_evaluation_generator.py:
met, not met and not comparable indicators). The report's sections read its marts; every figure the
tests expect follows from those fixtures.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ingestion.text.reader import parse_text_report
from tests.dbt.raw_reports import build_from_reports
from tests.dbt.two_year_reports import REPORT_2024, REPORT_2025
from tests.fixtures.self_evaluation_generator import self_evaluation_text

SAMPLE_000 = Path(__file__).resolve().parents[2] / "data" / "samples" / "000_78a7ae6ba5b81e46.txt"


def build_history_warehouse(workdir: Path) -> Path:
    """Write the raw reports into workdir/candidate.duckdb and `dbt build` it (models only); returns the file."""
    targets = parse_text_report(SAMPLE_000.read_bytes(), source_file=SAMPLE_000.name, file_sha256="t" * 64)
    targets = replace(targets, fiscal_year=2025, fiscal_year_source="manifest")
    evaluation = parse_text_report(self_evaluation_text().encode("utf-8"), source_file="se.txt", file_sha256="s" * 64)
    reports = (REPORT_2024, REPORT_2025, targets, evaluation)
    return build_from_reports(workdir, reports, ("build", "--exclude-resource-type", "test"))
