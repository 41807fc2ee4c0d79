"""`query` cannot write anything or read outside the warehouse; its output is readable and complete."""

from __future__ import annotations

import hashlib
import json

import pytest

from contract.files import WarehouseFiles
from publishing.export import current_export, export_parquet


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "sql",
    [
        "DROP TABLE fct_project_funding",
        "DELETE FROM fct_project_funding",
        "CREATE TABLE x AS SELECT 1",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "SELECT 1; DROP TABLE dim_reports",
    ],
)
def test_statements_that_are_not_reads_are_refused_in_one_line(cli, warehouse_copy, sql):
    before = _digest(warehouse_copy)
    result = cli("query", sql, "--warehouse", warehouse_copy)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert _digest(warehouse_copy) == before


def test_copy_cannot_overwrite_the_published_parquet(cli, warehouse_copy):
    out_dir = WarehouseFiles(warehouse_copy).parquet_dir
    export_parquet(warehouse_copy, out_dir)
    target = current_export(out_dir) / "fct_project_funding.parquet"
    before = _digest(target)
    result = cli("query", f"COPY (SELECT 1 AS x) TO '{target}' (FORMAT parquet)", "--warehouse", warehouse_copy)
    assert result.exit_code == 1 and "only reads" in result.stderr
    assert _digest(target) == before


def test_attach_read_write_then_drop_is_refused(cli, warehouse_copy):
    before = _digest(warehouse_copy)
    result = cli("query", f"ATTACH '{warehouse_copy}' AS w (READ_WRITE)", "--warehouse", warehouse_copy)
    assert result.exit_code == 1 and "not ATTACH" in result.stderr
    assert _digest(warehouse_copy) == before


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/hostname')",
        "SELECT * FROM 'https://example.com/x.csv'",
    ],
)
def test_reads_outside_the_warehouse_are_refused(cli, warehouse_copy, sql):
    result = cli("query", sql, "--warehouse", warehouse_copy)
    assert result.exit_code == 1 and "reads the warehouse and nothing else" in result.stderr
    assert "root:" not in result.stdout


def test_empty_sql_is_one_line_not_a_traceback(cli, warehouse_copy):
    result = cli("query", "", "--warehouse", warehouse_copy)
    assert result.exit_code == 1 and result.stderr.startswith("error: no SQL given")
    assert "Traceback" not in result.output


def test_a_wide_table_is_shown_as_records_and_cut_at_the_limit(cli, warehouse_copy):
    result = cli("query", "SELECT * FROM fct_project_funding", "--warehouse", warehouse_copy)
    assert result.exit_code == 0
    assert result.stdout.count("-[ row ") == 50
    assert "project_name" in result.stdout and "first 50 rows shown" in result.stderr
    limited = cli("query", "SELECT * FROM dim_reports", "--limit", "2", "--warehouse", warehouse_copy)
    assert limited.stdout.count("-[ row ") == 2 and "first 2 rows shown" in limited.stderr


def test_csv_and_json_give_every_row_and_json_numbers_are_numbers(cli, warehouse_copy):
    result = cli(
        "query", "SELECT project_key FROM fct_project_funding", "--format", "csv", "--warehouse", warehouse_copy
    )
    assert len(result.stdout.splitlines()) == 79 and result.stderr == ""
    rows = json.loads(
        cli(
            "query",
            "SELECT sum(total_amount) AS total, count(*) AS n FROM fct_project_funding",
            "--format",
            "json",
            "--warehouse",
            warehouse_copy,
        ).stdout
    )
    assert rows == [{"total": 68820.68, "n": 78}]


def test_sql_from_a_file_or_stdin_and_output_to_a_file(cli, warehouse_copy, tmp_path):
    sql_file = tmp_path / "q.sql"
    sql_file.write_text("SELECT count(*) AS n FROM dim_reports", encoding="utf-8")
    from_file = cli("query", "--file", sql_file, "--format", "csv", "--warehouse", warehouse_copy)
    assert from_file.stdout.splitlines() == ["n", "5"]
    from_stdin = cli("query", "--file", "-", "--format", "csv", "--warehouse", warehouse_copy, input="SELECT 2 AS two")
    assert from_stdin.stdout.splitlines() == ["two", "2"]
    target = tmp_path / "out" / "projects.csv"
    target.parent.mkdir()
    written = cli(
        "query",
        "SELECT project_key FROM fct_project_funding",
        "--format",
        "csv",
        "--output",
        target,
        "--warehouse",
        warehouse_copy,
    )
    assert written.exit_code == 0 and len(target.read_text(encoding="utf-8").splitlines()) == 79


def test_brackets_in_values_are_shown_as_written(cli, warehouse_copy):
    result = cli("query", "SELECT '[bold]x[/bold] [env A]' AS v", "--warehouse", warehouse_copy)
    assert "[bold]x[/bold] [env A]" in result.stdout
