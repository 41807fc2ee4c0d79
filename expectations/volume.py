"""Volume against the published warehouse, report by report: a withdrawn report is not a regression.

A nightly refresh must publish when a report's file was taken out of the inbox on purpose, and must
not when a parser change silently loses rows. Counting reports and projects overall cannot tell the
two apart, so every published report is matched with the candidate's by its file (name, then sha256
for a file that was renamed or moved) and classified:

- ``unchanged``: same name and sha256. Fewer projects or indicators than published is a regression:
  the same bytes read into fewer rows. It blocks the publish and is named.
- ``renamed``: the same sha256 under another name (moved into a subfolder, renamed): as unchanged.
- ``edited``: same name, new sha256: the publisher re-issued the report. Its new rows replace the old
  ones, whatever their number (a corrected report may well be shorter): not a regression.
- ``unloadable``: its file is still in the inbox but was quarantined and no previous version could
  be kept (publishing.loading keeps one when it can): all its rows are lost; blocks like a regression.
- ``removed``: its file is gone from the inbox: the report leaves the warehouse and is listed in the
  last attempt and in `status`. Only when half or more of the published reports are gone at once
  (``MASS_REMOVAL_SHARE``: an unmounted share, a wrong folder) is the publish blocked.

``--allow-shrink`` skips these expectations for one run (the comparison is still recorded).
The threshold reaches the committed suite (gx/expectations/volume_removed.json) as an expectation parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from contract.settings import PUBLISHED_SCHEMA as SCHEMA
from expectations.frames import Frame

if TYPE_CHECKING:  # pragma: no cover
    import duckdb

# Half or more of the published reports gone from the inbox at once blocks the publish.
MASS_REMOVAL_SHARE = 0.5
# The suite's parameter names (gx/expectations/volume.json: {"$PARAMETER": ...}).
PARAMETERS = {"mass_removal_share": MASS_REMOVAL_SHARE}

SUITE = "volume"  # the check's name where it is skipped; its two suites:
PER_REPORT_SUITE, REMOVED_SUITE = "volume_per_report", "volume_removed"
UNCHANGED, RENAMED, EDITED, UNLOADABLE, REMOVED = "unchanged", "renamed", "edited", "unloadable", "removed"
# The tables and columns the comparison reads in the published file; the candidate's quarantine too.
PUBLISHED_NEEDS: dict[str, tuple[str, ...]] = {
    "dim_reports": ("report_key", "source_file", "file_sha256"),
    "fct_project_funding": ("report_key",),
    "fct_performance_indicators": ("report_key",),
}
CANDIDATE_NEEDS = {**PUBLISHED_NEEDS, "quarantined_reports": ("source_file",)}


@dataclass(frozen=True)
class ReportRows:
    """One report of a warehouse: its file and how many rows it holds."""

    source_file: str
    sha256: str
    projects: int
    indicators: int


@dataclass(frozen=True)
class ReportChange:
    """One published report against the candidate (``candidate`` None when it is not there)."""

    published: ReportRows
    change: str  # UNCHANGED, RENAMED, EDITED, UNLOADABLE or REMOVED
    candidate: ReportRows | None

    def lost(self, attribute: str) -> int:
        """Rows of ``attribute`` (projects, indicators) lost where losing them is a regression."""
        if self.change in (EDITED, REMOVED):
            return 0
        now = getattr(self.candidate, attribute) if self.candidate else 0
        return max(0, getattr(self.published, attribute) - now)


@dataclass(frozen=True)
class Comparison:
    changes: list[ReportChange]

    def named(self, change: str) -> list[str]:
        return [c.published.source_file for c in self.changes if c.change == change]

    @property
    def removed(self) -> list[str]:
        return self.named(REMOVED)

    @property
    def regressions(self) -> list[ReportChange]:
        return [c for c in self.changes if c.lost("projects") or c.lost("indicators")]

    @property
    def removed_share(self) -> float:
        return round(len(self.removed) / len(self.changes), 6) if self.changes else 0.0


def compare(published: list[ReportRows], candidate: list[ReportRows], quarantined: set[str]) -> Comparison:
    """Classify every published report against the candidate's reports and quarantined files."""
    by_name = {r.source_file: r for r in candidate}
    by_sha = {r.sha256: r for r in candidate}
    changes = []
    for report in sorted(published, key=lambda r: r.source_file):
        now = by_name.get(report.source_file)
        if now is not None:
            change = UNCHANGED if now.sha256 == report.sha256 else EDITED
        elif (now := by_sha.get(report.sha256)) is not None:
            change = RENAMED
        else:
            change = UNLOADABLE if report.source_file in quarantined else REMOVED
        changes.append(ReportChange(report, change, now))
    return Comparison(changes)


def missing_needs(columns: dict[str, set[str]], needs: dict[str, tuple[str, ...]]) -> str | None:
    """Why a warehouse (its tables' columns) cannot be compared, or None."""
    for table, wanted in needs.items():
        if table not in columns:
            return f"table {SCHEMA}.{table} does not exist"
        if missing := [c for c in wanted if c not in columns[table]]:
            return f"table {SCHEMA}.{table} lacks {', '.join(missing)}"
    return None


# A report's rows: a target table's in the target facts, a self-evaluation's in the result facts
# (dim_reports.report_kind); both pairs are counted, each table only where the version has it.
PROJECT_TABLES = ("fct_project_funding", "fct_project_execution")
INDICATOR_TABLES = ("fct_performance_indicators", "fct_indicator_results")


def _row_count(tables: tuple[str, ...], existing: dict[str, set[str]]) -> str:
    counts = [
        f"(SELECT count(*) FROM {SCHEMA}.{t} x WHERE x.report_key = r.report_key)"
        for t in tables
        if "report_key" in existing.get(t, set())
    ]
    return " + ".join(counts) or "0"


def read_reports(con: duckdb.DuckDBPyConnection) -> list[ReportRows]:
    """Every report of one warehouse with its row counts (projects and indicators, targets or results)."""
    existing = table_columns(con)
    rows = con.execute(
        f"""
        SELECT r.source_file, r.file_sha256,
               {_row_count(PROJECT_TABLES, existing)},
               {_row_count(INDICATOR_TABLES, existing)}
        FROM {SCHEMA}.dim_reports r
        """
    ).fetchall()
    return [ReportRows(*row) for row in rows]


def read_quarantined(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute(f"SELECT source_file FROM {SCHEMA}.quarantined_reports").fetchall()}


def table_columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    columns: dict[str, set[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = ? AND table_catalog = current_database()",
        [SCHEMA],
    ).fetchall():
        columns.setdefault(table, set()).add(column)
    return columns


def read_published(published: Path) -> tuple[list[ReportRows] | None, str | None]:
    """(the published reports, None) or (None, why they cannot be compared)."""
    import duckdb

    con = duckdb.connect(str(published), read_only=True)
    try:
        if reason := missing_needs(table_columns(con), PUBLISHED_NEEDS):
            return None, f"the published warehouse cannot be compared: {reason}"
        return read_reports(con), None
    finally:
        con.close()


def frames(comparison: Comparison) -> list[Frame]:
    """The suite's two frames: one row per published report, and the one-row removal summary."""
    import pandas as pd

    per_report = pd.DataFrame(
        [
            {
                "source_file": c.published.source_file,
                "change": c.change,
                "published_projects": c.published.projects,
                "candidate_projects": c.candidate.projects if c.candidate else 0,
                "published_indicators": c.published.indicators,
                "candidate_indicators": c.candidate.indicators if c.candidate else 0,
                "projects_lost": c.lost("projects"),
                "indicators_lost": c.lost("indicators"),
            }
            for c in comparison.changes
        ],
        columns=[
            "source_file",
            "change",
            "published_projects",
            "candidate_projects",
            "published_indicators",
            "candidate_indicators",
            "projects_lost",
            "indicators_lost",
        ],
    )
    removed = comparison.removed
    summary = pd.DataFrame(
        [
            {
                "removed_share": float(comparison.removed_share),
                "removed_reports": len(removed),
                "published_reports": len(comparison.changes),
                "removed_files": ", ".join(removed),
            }
        ]
    )
    return [
        Frame(PER_REPORT_SUITE, "published_reports", per_report, tuple(per_report.columns[:6])),
        Frame(REMOVED_SUITE, "removed_from_inbox", summary, ("removed_reports", "published_reports", "removed_files")),
    ]
