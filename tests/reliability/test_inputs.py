"""What the warehouse keeps from each input: bad files quarantined with their reason, duplicates
loaded once, every loaded file archived by sha256, a failing report kept stale, a removed one gone.

Read from the folder's real refreshes: the baseline (samples + bad inputs + a duplicate) and the
crash campaign's final refresh of the next day's inbox (one report emptied, one removed).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from tests.reliability import harness

pytestmark = pytest.mark.slow

SHA_000 = hashlib.sha256((harness.SAMPLES_DIR / "000_78a7ae6ba5b81e46.txt").read_bytes()).hexdigest()


def _rows(path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _per_report(path: Path) -> dict[str, tuple[int, int]]:
    return {
        name: (projects, indicators)
        for name, projects, indicators in _rows(
            path,
            """
        SELECT r.source_file,
               (SELECT count(*) FROM fct_project_funding p WHERE p.report_key = r.report_key),
               (SELECT count(*) FROM fct_performance_indicators i WHERE i.report_key = r.report_key)
        FROM dim_reports r""",
        )
    }


def test_bad_inputs_are_quarantined_with_a_reason_naming_the_file(baseline):
    quarantined = dict(_rows(baseline.warehouse, "SELECT source_file, reason FROM quarantined_reports"))
    expected = {name: reason for name, (_, reason) in harness.BAD_INPUTS.items()}
    expected[harness.DUPLICATE_NAME] = harness.DUPLICATE_REASON
    assert quarantined == expected


def test_bad_inputs_never_take_good_data_down(baseline):
    assert _per_report(baseline.warehouse) == harness.SAMPLE_COUNTS
    assert _rows(baseline.warehouse, "SELECT count(*) FROM raw.reports WHERE is_stale") == [(0,)]


def test_one_content_under_two_names_is_loaded_once(baseline):
    assert _rows(baseline.warehouse, f"SELECT source_file FROM dim_reports WHERE file_sha256 = '{SHA_000}'") == [
        ("000_78a7ae6ba5b81e46.txt",)
    ]
    assert _rows(
        baseline.warehouse,
        f"SELECT file_sha256 FROM quarantined_reports WHERE source_file = '{harness.DUPLICATE_NAME}'",
    ) == [(SHA_000,)]


def test_every_loaded_file_is_archived_by_sha256_and_the_warehouse_says_where(baseline):
    rows = _rows(baseline.warehouse, "SELECT source_file, file_sha256, archive_path FROM dim_reports ORDER BY 1")
    assert len(rows) == 5
    for source_file, sha, archive_path in rows:
        assert archive_path == f".budget/archive/{sha[:2]}/{sha}.txt"
        archived = baseline.warehouse.parent / archive_path
        assert hashlib.sha256(archived.read_bytes()).hexdigest() == sha
        assert archived.read_bytes() == (baseline.inbox / source_file).read_bytes()
    raw = _rows(baseline.warehouse, "SELECT source_file, file_sha256, archive_path FROM raw.reports ORDER BY 1")
    assert raw == rows


def test_a_report_failing_today_keeps_its_last_good_version_flagged_stale(baseline, crash_campaign):
    assert crash_campaign.final_rc == 0, crash_campaign.final_err[-2000:]
    published = crash_campaign.warehouse
    good_sha = dict(_rows(baseline.warehouse, "SELECT source_file, file_sha256 FROM dim_reports"))
    stale = _rows(
        published,
        "SELECT source_file, file_sha256, is_stale, stale_reason, archive_path FROM dim_reports ORDER BY source_file",
    )
    failing = harness.FAILING_TODAY
    assert stale == [
        (
            name,
            good_sha[name],
            name == failing,
            harness.FAILING_TODAY_REASON if name == failing else None,
            f".budget/archive/{good_sha[name][:2]}/{good_sha[name]}.txt",
        )
        for name in sorted(good_sha)
        if name != harness.REMOVED_TODAY
    ]
    assert _rows(published, f"SELECT is_stale, stale_reason FROM raw.reports WHERE source_file = '{failing}'") == [
        (True, harness.FAILING_TODAY_REASON)
    ]
    # Its rows are the last good version's, in full.
    assert _per_report(published)[failing] == harness.SAMPLE_COUNTS[failing]
    # And today's failure is still reported.
    assert (failing, harness.FAILING_TODAY_REASON) in _rows(
        published, "SELECT source_file, reason FROM quarantined_reports"
    )


def test_a_file_removed_from_the_inbox_leaves_the_warehouse(crash_campaign):
    published = crash_campaign.warehouse
    expected = {k: v for k, v in harness.SAMPLE_COUNTS.items() if k != harness.REMOVED_TODAY}
    assert _per_report(published) == expected
    removed = harness.REMOVED_TODAY
    for table in ("dim_reports", "raw.reports", "quarantined_reports"):
        assert _rows(published, f"SELECT count(*) FROM {table} WHERE source_file = '{removed}'") == [(0,)]
    assert _rows(published, "SELECT count(*) FROM fct_project_funding") == [(sum(p for p, _ in expected.values()),)]
    assert _rows(published, "SELECT count(*) FROM fct_performance_indicators") == [
        (sum(i for _, i in expected.values()),)
    ]
