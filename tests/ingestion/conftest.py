"""Session fixtures of the ingestion tests: the five samples as the text reader reads them (the reference)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "data" / "samples").glob("*.txt"))
SAMPLE_STEMS = [p.stem for p in SAMPLES]


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def sample_reports():
    from ingestion.text.reader import read_text_report

    return {p.stem: read_text_report(p, source_file=p.name, file_sha256=sha256(p)) for p in SAMPLES}


def _indicator(ind) -> tuple:
    return (ind.level1_name, ind.level2_name, ind.name, ind.period_target or None, ind.annual_target)


def assert_reads_like(got, want, *, indicator_rows: bool) -> None:
    """Every field the text reader gives, every indicator; ``indicator_rows``: each indicator has its own row."""
    assert got.department_name == want.department_name
    assert got.declared_total == want.declared_total
    assert [(u.name, u.declared) for u in got.budget_units] == [(u.name, u.declared) for u in want.budget_units]
    assert [(p.name, p.budget_unit, p.amounts, p.goal) for p in got.projects] == [
        (p.name, p.budget_unit, p.amounts, p.goal) for p in want.projects
    ]
    for g, w in zip(got.projects, want.projects, strict=True):
        assert [_indicator(i) for i in g.indicators] == [_indicator(i) for i in w.indicators], w.name
        assert all(i.source_page is not None for i in g.indicators)
        assert all((i.source_row is not None) == indicator_rows for i in g.indicators)
    assert got.warnings == []
