"""publishing.report_workbooks: report-grained tables as one workbook per report, named after the report's file."""

from __future__ import annotations

import duckdb
import openpyxl

from publishing.export import current_export, export_parquet
from publishing.office_export import COLUMNS_SHEET, DATA_SHEET
from publishing.report_workbooks import NAME_MAX_BYTES, report_grained_tables, workbook_names

KEY_A, KEY_B, KEY_C = "a" * 32, "b" * 32, "c" * 32


def test_the_rule_is_a_report_key_column_not_declared_unique():
    grained = report_grained_tables()
    assert {
        "fct_performance_indicators",
        "fct_project_funding",
        "fct_funding_by_source",
        "fct_reconciliation",
    } <= grained
    assert not {"dim_reports", "mart_indicator_quality_by_report", "dim_departments"} & grained


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


def test_names_that_clash_or_run_long_end_with_the_report_key():
    long = "长" * 100  # 300 bytes in UTF-8
    names = workbook_names([KEY_A, KEY_B, KEY_C, "d" * 32], {KEY_A: "a/b.pdf", KEY_B: "A_B.pdf", KEY_C: long + ".pdf"})
    assert names[KEY_A] == f"a_b.pdf~{KEY_A}.xlsx" and names[KEY_B] == f"A_B.pdf~{KEY_B}.xlsx"
    assert names[KEY_C].endswith(f"~{KEY_C}.xlsx") and names[KEY_C].startswith("长")
    assert len(names[KEY_C].encode()) <= NAME_MAX_BYTES
    assert names["d" * 32] == "d" * 32 + ".xlsx"  # not in dim_reports
    assert len({name.casefold() for name in names.values()}) == 4


def test_each_report_s_workbook_holds_its_rows_of_the_table(warehouse_copy, tmp_path):
    export_parquet(warehouse_copy, tmp_path / "export")
    version = current_export(tmp_path / "export")
    with duckdb.connect(str(warehouse_copy), read_only=True) as con:
        rows_by_report = con.execute(
            "SELECT r.source_file || '.xlsx', list(i.indicator_key ORDER BY i.rowid) "
            "FROM fct_performance_indicators i JOIN dim_reports r USING (report_key) GROUP BY ALL"
        ).fetchall()
    expected = dict(rows_by_report)
    folder = version / "fct_performance_indicators"
    assert sorted(p.name for p in folder.iterdir()) == sorted(expected) and len(expected) == 5
    assert not (version / "fct_performance_indicators.xlsx").exists()
    for name, keys in expected.items():
        workbook = openpyxl.load_workbook(folder / name, read_only=True)
        try:
            assert workbook.sheetnames == [DATA_SHEET, COLUMNS_SHEET]
            rows = list(workbook[DATA_SHEET].iter_rows(values_only=True))
        finally:
            workbook.close()
        assert rows[0][0] == "指标键"
        assert [row[0] for row in rows[1:]] == keys  # in table order
