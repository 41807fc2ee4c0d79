"""publishing.grouped_workbooks: large tables as one workbook per report (named after the report's file) or
per department (named after the department), the rest one workbook; only changed groups are written again."""

from __future__ import annotations

import dataclasses

import duckdb
import openpyxl
import pytest

from publishing import grouped_workbooks
from publishing.export import current_export, export_parquet
from publishing.export_reuse import FINGERPRINTS
from publishing.grouped_workbooks import (
    DEPARTMENT_KEY,
    NAME_MAX_BYTES,
    REPORT_KEY,
    SPLIT_MIN_ROWS,
    grouped_tables,
    split_grouping,
    workbook_names,
)
from publishing.office_export import COLUMNS_SHEET, DATA_SHEET

KEY_A, KEY_B, KEY_C = "a" * 32, "b" * 32, "c" * 32
HISTORY = "mart_project_history"


def _rows(workbook):
    book = openpyxl.load_workbook(workbook, read_only=True)
    try:
        assert book.sheetnames == [DATA_SHEET, COLUMNS_SHEET]
        return list(book[DATA_SHEET].iter_rows(values_only=True))
    finally:
        book.close()


def _query(warehouse, sql, *params):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def _change(warehouse, *statements):
    with duckdb.connect(str(warehouse)) as con:
        for sql, params in statements:
            con.execute(sql, params)


def _inodes(version):
    return {
        str(p.relative_to(version)): p.stat().st_ino
        for p in version.rglob("*")
        if p.is_file() and p.name != FINGERPRINTS
    }


@pytest.fixture
def split_every_department_table(monkeypatch):
    """The five-sample warehouse is far below SPLIT_MIN_ROWS: split its department-grouped tables anyway."""
    groupings = tuple(
        dataclasses.replace(g, min_rows=0) if g.column == DEPARTMENT_KEY else g for g in grouped_workbooks.GROUPINGS
    )
    monkeypatch.setattr(grouped_workbooks, "GROUPINGS", groupings)


def test_the_rule_is_a_report_key_else_a_department_key_not_declared_unique():
    grouped = {table: grouping.column for table, grouping in grouped_tables().items()}
    for fact in ("fct_performance_indicators", "fct_project_funding", "fct_funding_by_source", "fct_reconciliation"):
        assert grouped[fact] == REPORT_KEY
    # one row per report (report_key unique), or no report_key: grouped by department
    for table in (HISTORY, "dim_budget_units", "dim_reports", "mart_indicator_quality_by_report"):
        assert grouped[table] == DEPARTMENT_KEY
    assert not {"dim_departments", "mart_indicator_quality_by_department", "dim_fund_sources"} & set(grouped)


def test_a_department_grouped_table_is_split_from_split_min_rows_rows_on_a_report_grouped_one_always():
    grouped = grouped_tables()
    columns = [(REPORT_KEY, "VARCHAR"), (DEPARTMENT_KEY, "VARCHAR")]
    assert split_grouping(grouped, HISTORY, columns, SPLIT_MIN_ROWS - 1) is None
    assert split_grouping(grouped, HISTORY, columns, SPLIT_MIN_ROWS).column == DEPARTMENT_KEY
    assert split_grouping(grouped, "fct_project_funding", columns, 0).column == REPORT_KEY
    assert split_grouping(grouped, HISTORY, [("project_id", "VARCHAR")], 10**6) is None  # column not in the table
    assert split_grouping(grouped, "dim_departments", columns, 10**6) is None  # not grouped


def test_names_follow_the_report_s_file_made_safe():
    names = workbook_names(
        [KEY_A, KEY_B, KEY_C],
        {KEY_A: "2025/教育局 项目.pdf", KEY_B: '.hidden:a*b?"c"<d>|e\x01.txt', KEY_C: "plain.txt"},
    )
    assert names == {
        KEY_A: "2025_教育局 项目.pdf.xlsx",
        KEY_B: "_hidden_a_b__c__d__e_.txt.xlsx",
        KEY_C: "plain.txt.xlsx",
    }


def test_names_that_clash_or_run_long_end_with_the_key():
    long = "长" * 100  # 300 bytes in UTF-8
    names = workbook_names([KEY_A, KEY_B, KEY_C, "d" * 32], {KEY_A: "a/b.pdf", KEY_B: "A_B.pdf", KEY_C: long + ".pdf"})
    assert names[KEY_A] == f"a_b.pdf~{KEY_A}.xlsx" and names[KEY_B] == f"A_B.pdf~{KEY_B}.xlsx"
    assert names[KEY_C].endswith(f"~{KEY_C}.xlsx") and names[KEY_C].startswith("长")
    assert len(names[KEY_C].encode()) <= NAME_MAX_BYTES
    assert names["d" * 32] == "d" * 32 + ".xlsx"  # not in the dimension
    assert len({name.casefold() for name in names.values()}) == 4


def test_department_names_the_null_group_and_its_clash():
    names = workbook_names(
        [KEY_A, KEY_B, KEY_C, None],
        {KEY_A: "财政局", KEY_B: "财政局", KEY_C: "部门不详", None: "部门不详"},
    )
    assert names == {
        KEY_A: f"财政局~{KEY_A}.xlsx",  # two departments of one name (in other regions)
        KEY_B: f"财政局~{KEY_B}.xlsx",
        KEY_C: f"部门不详~{KEY_C}.xlsx",
        None: "部门不详~null.xlsx",
    }


def test_each_report_s_workbook_holds_its_rows_of_the_table(warehouse_copy, tmp_path):
    export_parquet(warehouse_copy, tmp_path / "export")
    version = current_export(tmp_path / "export")
    expected = dict(
        _query(
            warehouse_copy,
            "SELECT r.source_file || '.xlsx', list(i.indicator_key ORDER BY i.rowid) "
            "FROM fct_performance_indicators i JOIN dim_reports r USING (report_key) GROUP BY ALL",
        )
    )
    folder = version / "fct_performance_indicators"
    assert sorted(p.name for p in folder.iterdir()) == sorted(expected) and len(expected) == 5
    assert not (version / "fct_performance_indicators.xlsx").exists()
    for name, keys in expected.items():
        rows = _rows(folder / name)
        assert rows[0][0] == "指标键"
        assert [row[0] for row in rows[1:]] == keys  # in table order


def test_small_department_grouped_tables_stay_one_workbook(warehouse_copy, tmp_path):
    (rows,) = _query(warehouse_copy, f"SELECT count(*) FROM {HISTORY}")[0]
    assert 0 < rows < SPLIT_MIN_ROWS
    export_parquet(warehouse_copy, tmp_path / "export")
    version = current_export(tmp_path / "export")
    for table in (HISTORY, "dim_reports", "dim_budget_units"):
        assert (version / f"{table}.xlsx").is_file() and not (version / table).exists()
    assert len(_rows(version / f"{HISTORY}.xlsx")) == rows + 1


def test_each_department_s_workbook_holds_its_rows_named_after_the_department(
    warehouse_copy, tmp_path, split_every_department_table
):
    expected = dict(
        _query(
            warehouse_copy,
            f"SELECT d.department_name || '.xlsx', list(h.project_year_key ORDER BY h.rowid) "
            f"FROM {HISTORY} h JOIN dim_departments d USING (department_key) GROUP BY ALL",
        )
    )
    assert len(expected) >= 2
    export_parquet(warehouse_copy, tmp_path / "export")
    version = current_export(tmp_path / "export")
    folder = version / HISTORY
    assert sorted(p.name for p in folder.iterdir()) == sorted(expected)
    assert not (version / f"{HISTORY}.xlsx").exists()
    assert (version / f"{HISTORY}.csv").is_file() and (version / f"{HISTORY}.parquet").is_file()  # whole, as before
    for name, keys in expected.items():
        rows = _rows(folder / name)
        assert rows[0][0] == "项目年度键"
        assert [row[0] for row in rows[1:]] == keys  # in table order


def test_a_changed_department_rewrites_its_workbook_only(warehouse_copy, tmp_path, split_every_department_table):
    out_dir = tmp_path / "export"
    export_parquet(warehouse_copy, out_dir)
    before = _inodes(current_export(out_dir).resolve())
    department, name = _query(
        warehouse_copy,
        f"SELECT department_key, department_name FROM dim_departments WHERE department_key IN "
        f"(SELECT department_key FROM {HISTORY}) ORDER BY department_key LIMIT 1",
    )[0]
    _change(
        warehouse_copy,
        (f"UPDATE {HISTORY} SET project_name = project_name || '（修订）' WHERE department_key = ?", [department]),
    )
    export_parquet(warehouse_copy, out_dir)
    version = current_export(out_dir).resolve()
    after = _inodes(version)
    assert set(after) == set(before)
    rewritten = {path for path in after if after[path] != before[path]}
    assert rewritten == {f"{HISTORY}.parquet", f"{HISTORY}.csv", f"{HISTORY}/{name}.xlsx"}
    assert len([path for path in after if path.startswith(f"{HISTORY}/")]) >= 2  # the others: linked
    assert any("（修订）" in str(row[6]) for row in _rows(version / HISTORY / f"{name}.xlsx")[1:])


def test_unsafe_clashing_missing_and_null_departments(warehouse_copy, tmp_path, split_every_department_table):
    keys = [key for (key,) in _query(warehouse_copy, f"SELECT DISTINCT department_key FROM {HISTORY} ORDER BY 1")]
    assert len(keys) >= 3
    first, second, third = keys[:3]
    (rows_of_third,) = _query(warehouse_copy, f"SELECT count(*) FROM {HISTORY} WHERE department_key = ?", third)[0]
    _change(
        warehouse_copy,
        ("UPDATE dim_departments SET department_name = 'Dept/A:1' WHERE department_key = ?", [first]),
        ("UPDATE dim_departments SET department_name = 'dept_a_1' WHERE department_key = ?", [second]),
        (f"UPDATE {HISTORY} SET department_key = NULL WHERE department_key = ?", [third]),
        (f"UPDATE {HISTORY} SET department_key = 'f' || department_key WHERE department_key = ?", [keys[-1]]),
    )
    export_parquet(warehouse_copy, tmp_path / "export")
    folder = current_export(tmp_path / "export") / HISTORY
    names = {p.name for p in folder.iterdir()}
    assert {f"Dept_A_1~{first}.xlsx", f"dept_a_1~{second}.xlsx", "部门不详.xlsx", f"f{keys[-1]}.xlsx"} <= names
    assert len(_rows(folder / "部门不详.xlsx")) == rows_of_third + 1
