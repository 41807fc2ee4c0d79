"""The change feed (main.publish_changes): exact rows after a real second publish, an empty feed for a
first publish, the fallback key for versions without project_id, an unreadable previous version, rollback."""

from __future__ import annotations

import shutil
from decimal import Decimal

import duckdb
import pytest

from contract.files import WarehouseFiles
from publishing.candidate import seal
from publishing.change_feed import CHANGES_TABLE, COLUMNS, PREVIOUS_RUN_KEY, UNAVAILABLE_KEY
from publishing.connections import connect_read_only, read_meta
from publishing.rollback import rollback
from tests.publishing.changed_inbox import ADDED, EDITED, REMOVED, publish_next_night
from tests.warehouse_sql import rows as _rows

FEED_COLUMNS = "entity, change_kind, entity_key, source_file, department_name, budget_unit_name, project_name, fiscal_year, field, before_value, after_value, delta"
SAMPLE_001_SHA = "7dd1cb1a048d2e4bdc034a80c5503574d8e11c6cd0220140d85406265b3a1a74"
SAMPLE_003_SHA = "64b4cf44c10694da274ef7fadd8f699cea81676ee6d8eaec92e0d57023de036f"
BAIYUN_OFFICE = "广州市白云区人民政府办公室"
BAIYUN_FEDERATION = "广州市白云区工商业联合会"
FEDERATION = "广州市工商业联合会"


def _meta(path):
    con = connect_read_only(path)
    try:
        return read_meta(con)
    finally:
        con.close()


@pytest.fixture(scope="module")
def next_night(samples_warehouse, tmp_path_factory):
    return publish_next_night(samples_warehouse, tmp_path_factory.mktemp("change-feed"))


def test_a_first_publish_has_an_empty_feed_described_in_the_file(samples_warehouse):
    assert _rows(samples_warehouse, f"SELECT count(*) FROM main.{CHANGES_TABLE}") == [(0,)]
    assert _meta(samples_warehouse)[PREVIOUS_RUN_KEY] == ""
    comments = _rows(
        samples_warehouse,
        "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'publish_changes' ORDER BY column_index",
    )
    assert comments == [(c.name, c.description) for c in COLUMNS]
    (table_comment,) = _rows(
        samples_warehouse, "SELECT comment FROM duckdb_tables() WHERE table_name = 'publish_changes'"
    )
    assert table_comment[0].startswith("What this published version added, removed or changed")


def test_reports_added_removed_and_reissued(next_night):
    rows = _rows(next_night, f"SELECT {FEED_COLUMNS} FROM main.{CHANGES_TABLE} WHERE entity = 'report'")
    added_sha = _rows(next_night, f"SELECT file_sha256 FROM main.dim_reports WHERE source_file = '{ADDED}'")[0][0]
    edited_sha = _rows(next_night, f"SELECT file_sha256 FROM main.dim_reports WHERE source_file = '{EDITED}'")[0][0]
    assert rows == [
        ("report", "added", ADDED, ADDED, BAIYUN_FEDERATION, None, None, 2024, "file_sha256", None, added_sha, None),
        (
            "report",
            "changed",
            EDITED,
            EDITED,
            FEDERATION,
            None,
            None,
            2025,
            "file_sha256",
            SAMPLE_001_SHA,
            edited_sha,
            None,
        ),
        (
            "report",
            "removed",
            REMOVED,
            REMOVED,
            BAIYUN_OFFICE,
            None,
            None,
            2025,
            "file_sha256",
            SAMPLE_003_SHA,
            None,
            None,
        ),
    ]


def test_projects_removed_and_changed_with_each_amount(next_night):
    sql = f"SELECT {FEED_COLUMNS} FROM main.{CHANGES_TABLE} WHERE entity = 'project' AND change_kind <> 'added'"
    rows = [(r[1], r[3], r[6], r[7], r[8], r[9], r[10], r[11]) for r in _rows(next_night, sql)]
    assert rows[:2] == [
        ("changed", EDITED, "工作经费", 2025, "total_amount", "12.00", "15.00", Decimal("3.00")),
        ("changed", EDITED, "工作经费", 2025, "fiscal_amount", "12.00", "15.00", Decimal("3.00")),
    ]
    assert {(r[0], r[1], r[3], r[4], r[6]) for r in rows[2:]} == {("removed", REMOVED, 2025, "total_amount", None)}
    removed = {(r[2], r[7]) for r in rows[2:]}
    assert len(rows) == 8 and removed == {
        ("文书档案规范化处理入馆项目", Decimal("-40.00")),
        ("政府雇员公用经费", Decimal("-10.80")),
        ("公务用车购置费", Decimal("-18.00")),
        ("对外联络、会议及调研专项经费", Decimal("-60.00")),
        ("专班工作经费", Decimal("-2.20")),
        ("政府雇员工资费用", Decimal("-364.00")),
    }
    # A project is keyed by its project_id and year: the id of the project in int_project_identity.
    (key,) = _rows(
        next_night,
        "SELECT DISTINCT entity_key FROM main.publish_changes WHERE entity = 'project' AND change_kind = 'changed'",
    )[0:1]
    assert _rows(
        next_night,
        "SELECT project_id || '/2025' FROM intermediate.int_project_identity WHERE project_name = '工作经费' "
        "AND department_name = '广州市工商业联合会'",
    ) == [key]


def test_projects_of_the_added_report_and_the_totals_per_year(next_night):
    added = _rows(
        next_night,
        "SELECT count(*), sum(delta), count(DISTINCT entity_key), min(fiscal_year), max(fiscal_year), "
        "any_value(source_file) FROM main.publish_changes WHERE entity = 'project' AND change_kind = 'added'",
    )
    assert added == [(9, Decimal("49.00"), 9, 2024, 2024, ADDED)]
    totals = _rows(
        next_night, f"SELECT {FEED_COLUMNS} FROM main.{CHANGES_TABLE} WHERE entity = 'total' ORDER BY fiscal_year"
    )
    assert totals == [
        ("total", "changed", "2024", None, None, None, None, 2024, "total_amount", None, "49.00", Decimal("49.00")),
        (
            "total",
            "changed",
            "2025",
            None,
            None,
            None,
            None,
            2025,
            "total_amount",
            "68820.68",
            "68328.68",
            Decimal("-492.00"),
        ),
    ]


def test_every_row_names_both_runs(next_night, samples_warehouse):
    previous, current = _meta(samples_warehouse)["run_id"], _meta(next_night)["run_id"]
    assert _meta(next_night)[PREVIOUS_RUN_KEY] == previous
    assert _rows(next_night, "SELECT DISTINCT previous_run_id, run_id FROM main.publish_changes") == [
        (previous, current)
    ]
    assert _rows(next_night, "SELECT count(*) FROM main.publish_changes") == [
        (22,)
    ]  # 3 reports, 9 + 6 + 2 project rows, 2 totals


def test_rollback_restores_the_feed_of_the_version_it_puts_back(next_night, tmp_path):
    folder = shutil.copytree(next_night.parent, tmp_path / "warehouse", symlinks=True)
    files = WarehouseFiles(folder / next_night.name)
    rollback(files)
    assert _rows(files.published, "SELECT count(*) FROM main.publish_changes") == [(0,)]
    assert _meta(files.published)[PREVIOUS_RUN_KEY] == ""


def _copies(samples_warehouse, tmp_path):
    previous, candidate = tmp_path / "published.duckdb", tmp_path / "candidate.duckdb"
    shutil.copy2(samples_warehouse, previous)
    shutil.copy2(samples_warehouse, candidate)
    return previous, candidate


def test_without_project_ids_projects_are_keyed_by_file_unit_and_name(samples_warehouse, tmp_path):
    previous, candidate = _copies(samples_warehouse, tmp_path)
    con = duckdb.connect(str(previous))
    con.execute("DROP TABLE intermediate.int_project_identity")  # a version built before project_id
    con.close()
    con = duckdb.connect(str(candidate))
    con.execute("UPDATE main.fct_project_funding SET other_amount = 1.50 WHERE project_name = '购置经费'")
    con.close()
    seal(candidate, {"run_id": "next"}, published=previous)
    rows = _rows(candidate, f"SELECT {FEED_COLUMNS}, previous_run_id, run_id FROM main.{CHANGES_TABLE}")
    key = f"{EDITED}/{FEDERATION}/购置经费"
    run_id = _meta(samples_warehouse)["run_id"]
    assert rows == [
        (
            "project",
            "changed",
            key,
            EDITED,
            FEDERATION,
            FEDERATION,
            "购置经费",
            2025,
            "other_amount",
            "0.00",
            "1.50",
            Decimal("1.50"),
            run_id,
            "next",
        )
    ]  # the total stays: 总计 did not change, only 其他资金


def test_a_version_whose_identity_is_a_view_is_still_keyed_by_project_id(samples_warehouse, tmp_path):
    previous, candidate = _copies(samples_warehouse, tmp_path)
    con = duckdb.connect(str(previous))  # published before int_project_identity was materialized as a table
    con.execute("CREATE TABLE main.identity_rows AS SELECT * FROM intermediate.int_project_identity")
    con.execute("DROP TABLE intermediate.int_project_identity")
    con.execute("CREATE VIEW intermediate.int_project_identity AS SELECT * FROM main.identity_rows")
    con.close()
    con = duckdb.connect(str(candidate))
    con.execute("UPDATE main.fct_project_funding SET other_amount = 1.50 WHERE project_name = '购置经费'")
    con.close()
    seal(candidate, {"run_id": "next"}, published=previous)
    (key,) = _rows(candidate, f"SELECT entity_key FROM main.{CHANGES_TABLE} WHERE entity = 'project'")
    ids = _rows(
        candidate, "SELECT project_id || '/2025' FROM intermediate.int_project_identity WHERE project_name = '购置经费'"
    )
    assert key in ids and key[0] != f"{EDITED}/{FEDERATION}/购置经费"  # not the fallback key of the test above


def test_an_unreadable_previous_version_is_not_compared_and_says_why(samples_warehouse, tmp_path):
    previous, candidate = _copies(samples_warehouse, tmp_path)
    previous.write_bytes(b"not a duckdb file" * 100)
    seal(candidate, {"run_id": "next"}, published=previous)
    assert _rows(candidate, f"SELECT count(*) FROM main.{CHANGES_TABLE}") == [(0,)]
    meta = _meta(candidate)
    assert meta[PREVIOUS_RUN_KEY] == "" and meta[UNAVAILABLE_KEY]
