"""refresh, export, rollback and --help as a user meets them: one line per error, no traceback."""

from __future__ import annotations

import shutil

import duckdb

from contract.files import WarehouseFiles
from publishing.export import current_export, export_parquet
from publishing.publish import publish


def test_help_shows_defaults_and_environment_variables_and_no_bool_metavar(cli):
    text = cli("refresh", "--help").stdout
    assert "[env BUDGET_INBOX; default: the bundled samples]" in " ".join(text.split())
    assert "[env BUDGET_WAREHOUSE; default: warehouse/budget.duckdb]" in " ".join(text.split())
    assert "<bool>" not in text and "--allow-shrink" in text
    assert "[default: 50 for table, all for csv/json]" in " ".join(cli("query", "--help").stdout.split())


def test_an_inbox_that_is_a_file_is_called_a_file(cli, tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("x", encoding="utf-8")
    result = cli("refresh", "--inbox", report, "--warehouse", tmp_path / "w.duckdb")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: inbox {report} is a file, not a folder")
    assert "does not exist" not in result.stderr


def test_an_empty_inbox_names_no_log_and_no_previous_warehouse(cli, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    warehouse = tmp_path / "w.duckdb"
    result = cli("refresh", "--inbox", inbox, "--warehouse", warehouse)
    assert result.exit_code == 1 and result.stderr.startswith(
        "error: no report files (.docx, .htm, .html, .pdf, .txt, .xls, .xlsx) in"
    )
    assert "log" not in result.stderr and "previous warehouse" not in result.stderr
    assert not WarehouseFiles(warehouse).state_dir.exists()


def test_export_refuses_the_working_folder_and_moves_nothing(cli, warehouse_copy, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    (work / "thesis.docx").write_bytes(b"mine")
    monkeypatch.chdir(work)
    result = cli("export", "--out-dir", ".", "--warehouse", warehouse_copy)
    assert result.exit_code == 1 and "was not created by budget-etl" in result.stderr
    assert sorted(p.name for p in work.iterdir()) == ["thesis.docx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse", "work"]


def test_export_into_the_warehouse_folder_is_refused_and_status_still_works(cli, warehouse_copy):
    result = cli("export", "--out-dir", warehouse_copy.parent, "--warehouse", warehouse_copy)
    assert result.exit_code == 1 and "warehouse's own folder" in result.stderr
    assert cli("status", "--warehouse", warehouse_copy).exit_code == 0


def test_export_twice_to_the_default_folder(cli, warehouse_copy):
    for _ in range(2):
        result = cli("export", "--warehouse", warehouse_copy)
        assert result.exit_code == 0, result.output
    files = WarehouseFiles(warehouse_copy)
    assert result.stdout.strip().endswith(str(current_export(files.parquet_dir)))
    assert sorted(p.name for p in warehouse_copy.parent.iterdir()) == ["budget.duckdb", "budget_parquet"]


def test_rollback_rewrites_the_html_report_and_the_export(cli, warehouse_copy):
    files = WarehouseFiles(warehouse_copy)
    assert cli("report", "--warehouse", warehouse_copy).exit_code == 0
    export_parquet(files.published, files.parquet_dir)
    candidate = files.candidate("newer")
    candidate.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(files.published, candidate)
    con = duckdb.connect(str(candidate))
    con.execute("UPDATE main.warehouse_meta SET value = 'newer' WHERE key = 'run_id'")
    con.close()
    publish(candidate, files)
    report_before = files.report_html.stat().st_mtime_ns
    result = cli("rollback", "--warehouse", warehouse_copy)
    assert result.exit_code == 0, result.output
    assert f"rewrote {files.report_html}" in result.stdout
    assert files.report_html.stat().st_mtime_ns != report_before


def test_rollback_speaks_the_language_asked_for_in_its_summary_and_report(cli, warehouse_copy, monkeypatch):
    monkeypatch.setenv("BUDGET_LANG", "en")
    files = WarehouseFiles(warehouse_copy)
    assert cli("report", "--warehouse", warehouse_copy).exit_code == 0
    candidate = files.candidate("newer")
    candidate.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(files.published, candidate)
    publish(candidate, files)
    result = cli("rollback", "--lang", "zh", "--warehouse", warehouse_copy)
    assert result.exit_code == 0, result.output
    assert f"已发布 {warehouse_copy}" in result.stdout and "项目数" in result.stdout
    assert '<html lang="zh-CN">' in files.report_html.read_text(encoding="utf-8")


def test_refresh_and_rollback_refuse_an_unknown_language(cli, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for command in (["refresh", "--inbox", inbox], ["rollback"]):
        result = cli(*command, "--lang", "fr", "--warehouse", tmp_path / "w.duckdb")
        assert result.exit_code == 1 and result.stderr.startswith("error: unknown language 'fr'"), command
    assert not (tmp_path / "w.duckdb").exists()
