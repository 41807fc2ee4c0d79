"""The volume rule, report by report: withdrawn reports leave, a regression or a mass disappearance blocks."""

from __future__ import annotations

from expectations.volume import (
    EDITED,
    MASS_REMOVAL_SHARE,
    REMOVED,
    RENAMED,
    UNCHANGED,
    UNLOADABLE,
    ReportRows,
    compare,
    frames,
)

PUBLISHED = [
    ReportRows("a.pdf", "sha-a", 10, 40),
    ReportRows("b.txt", "sha-b", 5, 20),
    ReportRows("c.pdf", "sha-c", 3, 9),
    ReportRows("d.pdf", "sha-d", 7, 7),
]


def test_the_same_reports_are_unchanged_and_nothing_is_lost():
    comparison = compare(PUBLISHED, PUBLISHED, set())
    assert [c.change for c in comparison.changes] == [UNCHANGED] * 4
    assert comparison.regressions == [] and comparison.removed == [] and comparison.removed_share == 0


def test_a_withdrawn_report_is_removed_not_a_regression():
    comparison = compare(PUBLISHED, PUBLISHED[:3], set())
    assert comparison.removed == ["d.pdf"]
    assert comparison.regressions == []
    assert comparison.removed_share == 0.25 < MASS_REMOVAL_SHARE


def test_an_unchanged_file_that_yields_fewer_rows_is_a_regression():
    shorter = [ReportRows("a.pdf", "sha-a", 10, 38), *PUBLISHED[1:]]
    comparison = compare(PUBLISHED, shorter, set())
    [regression] = comparison.regressions
    assert regression.published.source_file == "a.pdf" and regression.change == UNCHANGED
    assert (regression.lost("projects"), regression.lost("indicators")) == (0, 2)


def test_an_edited_file_may_shrink():
    edited = [ReportRows("a.pdf", "sha-a2", 2, 4), *PUBLISHED[1:]]
    comparison = compare(PUBLISHED, edited, set())
    assert comparison.changes[0].change == EDITED
    assert comparison.regressions == []


def test_a_renamed_file_is_matched_by_its_sha256_and_still_compared():
    moved = [ReportRows("2025/a.pdf", "sha-a", 9, 40), *PUBLISHED[1:]]
    comparison = compare(PUBLISHED, moved, set())
    assert comparison.changes[0].change == RENAMED and comparison.removed == []
    assert [c.published.source_file for c in comparison.regressions] == ["a.pdf"]


def test_a_file_still_in_the_inbox_that_no_longer_loads_loses_all_its_rows():
    comparison = compare(PUBLISHED, PUBLISHED[1:], {"a.pdf"})
    assert comparison.changes[0].change == UNLOADABLE and comparison.removed == []
    assert comparison.changes[0].lost("projects") == 10


def test_half_of_the_reports_gone_is_a_mass_removal():
    comparison = compare(PUBLISHED, PUBLISHED[:2], set())
    assert comparison.removed == ["c.pdf", "d.pdf"]
    assert comparison.removed_share == MASS_REMOVAL_SHARE


def test_the_frames_name_each_report_and_the_removed_files():
    per_report, removed = frames(compare(PUBLISHED, PUBLISHED[1:3], set()))
    assert per_report.data["change"].tolist() == [REMOVED, UNCHANGED, UNCHANGED, REMOVED]
    assert per_report.data["projects_lost"].tolist() == [0, 0, 0, 0]
    assert removed.data.to_dict("records") == [
        {"removed_share": 0.5, "removed_reports": 2, "published_reports": 4, "removed_files": "a.pdf, d.pdf"}
    ]


def _warehouse_with_a_self_evaluation(con, with_result_tables: bool = True) -> None:
    con.execute("CREATE TABLE dim_reports (report_key VARCHAR, source_file VARCHAR, file_sha256 VARCHAR)")
    con.execute("INSERT INTO dim_reports VALUES ('t', 'targets.pdf', 'sha-t'), ('s', 'selfeval.pdf', 'sha-s')")
    con.execute("CREATE TABLE fct_project_funding AS SELECT 't' AS report_key FROM range(3)")
    con.execute("CREATE TABLE fct_performance_indicators AS SELECT 't' AS report_key FROM range(9)")
    if with_result_tables:
        con.execute("CREATE TABLE fct_project_execution AS SELECT 's' AS report_key FROM range(2)")
        con.execute("CREATE TABLE fct_indicator_results AS SELECT 's' AS report_key FROM range(5)")


def test_a_self_evaluation_is_counted_by_its_result_rows():
    """Its rows are in the result facts, not the target facts: read as 0 rows, one lost result would pass."""
    import duckdb

    from expectations.volume import read_reports

    con = duckdb.connect()
    _warehouse_with_a_self_evaluation(con)
    counts = {r.source_file: (r.projects, r.indicators) for r in read_reports(con)}
    assert counts == {"targets.pdf": (3, 9), "selfeval.pdf": (2, 5)}
    fewer = [ReportRows("selfeval.pdf", "sha-s", 2, 4), ReportRows("targets.pdf", "sha-t", 3, 9)]
    assert [c.published.source_file for c in compare(read_reports(con), fewer, set()).regressions] == ["selfeval.pdf"]


def test_a_version_without_the_result_tables_counts_the_target_facts_only():
    import duckdb

    from expectations.volume import read_reports

    con = duckdb.connect()
    _warehouse_with_a_self_evaluation(con, with_result_tables=False)
    counts = {r.source_file: (r.projects, r.indicators) for r in read_reports(con)}
    assert counts == {"targets.pdf": (3, 9), "selfeval.pdf": (0, 0)}
