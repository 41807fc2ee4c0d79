"""Warnings that remain after the gate are counted and shown per report: status, status --json, HTML report.

The samples read without a warning, so a copy of their warehouse is given two on one report, as
dim_reports carries them (warning_count and warnings_text, one per line).
"""

from __future__ import annotations

import duckdb

from budget_etl.cli.status import status_document
from budget_etl.html_report import render_report
from budget_etl.summary import summarize

WARNED = "001_482cb6efc95f57e9.txt"
WARNINGS = (
    "page 1: content stream damaged: compressed data corrupt; the table starts on page 3, after it",
    "page 2, row 4 某项目: not an amount: 'x'; that cell read as empty",
)


def _with_warnings(path):
    con = duckdb.connect(str(path))
    try:
        con.execute(
            "UPDATE main.dim_reports SET warning_count = 2, warnings_text = ? WHERE source_file = ?",
            ["\n".join(WARNINGS), WARNED],
        )
    finally:
        con.close()
    return path


def test_the_summary_counts_and_lists_each_reports_warnings(warehouse_copy):
    summary = summarize(_with_warnings(warehouse_copy))
    by_file = {r.source_file: r for r in summary.per_report}
    assert by_file[WARNED].warning_count == 2
    assert by_file[WARNED].warnings == WARNINGS
    assert all(r.warning_count == 0 and r.warnings == () for name, r in by_file.items() if name != WARNED)
    document = status_document(warehouse_copy)
    warned = next(r for r in document["published"]["per_report"] if r["source_file"] == WARNED)
    assert warned["warning_count"] == 2 and list(warned["warnings"]) == list(WARNINGS)


def test_the_html_report_shows_the_count_and_lists_only_reports_with_warnings(warehouse_copy, tmp_path):
    document = render_report(_with_warnings(warehouse_copy), tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<th>warnings</th>" in document
    listing = document.split("<h3>Warnings</h3>", 1)[1].split("</table>", 1)[0]
    assert listing.count("<tr>") == 1 + len(WARNINGS)  # the header and one row per warning
    assert "content stream damaged" in listing and "002_39e10e3528be362f.txt" not in listing
