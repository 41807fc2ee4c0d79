"""`status` says what the published version changed since the previous publish (main.publish_changes),
in one line, Chinese by default and English on request, and `status --json` carries the counts."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from budget_etl.cli.status import changes_line
from budget_etl.i18n import speaking
from publishing.change_feed import FeedCounts
from tests.publishing.changed_inbox import publish_next_night
from tests.reliability.harness import published_run_id


@pytest.fixture(scope="module")
def next_night(samples_warehouse, tmp_path_factory):
    return publish_next_night(samples_warehouse, tmp_path_factory.mktemp("status-changes"))


def test_the_change_line_in_english(cli, next_night, samples_warehouse):
    lines = cli("status", "--lang", "en", "--warehouse", next_night).stdout.splitlines()
    expected = (
        f"since the previous publish (run {published_run_id(samples_warehouse)}): +1 report, -1 report, "
        "1 report re-issued (file changed), +9 projects, -6 projects, 1 project with changed amounts "
        "(+3.00 万元), total -443.00 万元"
    )
    assert expected in lines
    published = next(i for i, line in enumerate(lines) if line.startswith("published: run "))
    assert lines[published + 1] == expected  # right under what is published


def test_the_change_line_in_chinese_by_default(cli, next_night, samples_warehouse, monkeypatch):
    monkeypatch.delenv("BUDGET_LANG", raising=False)
    lines = cli("status", "--warehouse", next_night).stdout.splitlines()
    assert (
        f"自上次发布 (运行 {published_run_id(samples_warehouse)}) 以来: 新增 1 份报表，移除 1 份报表，"
        "1 份报表重新发布 (文件已更改)，新增 9 个项目，移除 6 个项目，1 个项目金额变化 (+3.00 万元)，总计 -443.00 万元"
    ) in lines


def test_json_carries_the_counts(cli, next_night, samples_warehouse):
    document = json.loads(cli("status", "--json", "--warehouse", next_night).stdout)
    assert document["published"]["changes"] == {
        "previous_run_id": published_run_id(samples_warehouse),
        "unavailable": None,
        "reports_added": 1,
        "reports_removed": 1,
        "reports_changed": 1,
        "projects_added": 9,
        "projects_removed": 6,
        "projects_changed": 1,
        "changed_projects_delta": 3.0,
        "total_delta": -443.0,
    }


def test_a_first_publish_and_an_unchanged_one(cli, samples_warehouse):
    lines = cli("status", "--lang", "en", "--warehouse", samples_warehouse).stdout.splitlines()
    assert "changes: first publish, nothing to compare with" in lines
    document = json.loads(cli("status", "--json", "--warehouse", samples_warehouse).stdout)
    assert document["published"]["changes"]["previous_run_id"] is None
    assert document["published"]["changes"]["reports_added"] == 0
    with speaking("en"):
        assert changes_line(FeedCounts("run-1", None)) == "since the previous publish (run run-1): no change"
        unreadable = FeedCounts(None, "IO Error: not a DuckDB file")
        assert (
            changes_line(unreadable) == "changes: not compared with the previous version (IO Error: not a DuckDB file)"
        )


def test_a_version_built_before_the_feed_prints_no_change_line(cli, samples_warehouse, tmp_path):
    warehouse = tmp_path / "budget.duckdb"
    shutil.copy2(samples_warehouse, warehouse)
    con = duckdb.connect(str(warehouse))
    con.execute("DELETE FROM main.warehouse_meta WHERE key = 'previous_run_id'")
    con.execute("DROP TABLE main.publish_changes")
    con.close()
    result = cli("status", "--lang", "en", "--warehouse", warehouse)
    assert result.exit_code == 0
    assert not [line for line in result.stdout.splitlines() if "previous publish" in line or "changes:" in line]
    assert json.loads(cli("status", "--json", "--warehouse", warehouse).stdout)["published"]["changes"] is None


def test_the_summary_knows_which_reports_the_publish_added_or_reissued(next_night, samples_warehouse):
    from budget_etl.summary import summarize
    from tests.publishing.changed_inbox import ADDED, EDITED

    assert summarize(next_night).changed_files == {ADDED, EDITED}
    assert summarize(samples_warehouse).changed_files == frozenset()  # a first publish lists no report as added
