"""The whole refresh on the bundled samples: Dagster job -> dbt -> gate -> published warehouse.

One refresh per module (it costs tens of seconds); later tests reuse its published file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from contract.files import WarehouseFiles
from contract.settings import SAMPLES_DIR
from orchestration.run import run_refresh
from publishing.attempts import read_attempt

pytestmark = pytest.mark.slow

# Counted by hand from data/samples (see ../shared/corpus/README.md for the layouts).
EXPECTED = {
    # source_file: (layout, department, projects, indicators, sum of project totals)
    "000_78a7ae6ba5b81e46.txt": ("A", "广州市白云区工商业联合会", 9, 40, Decimal("49.00")),
    "001_482cb6efc95f57e9.txt": ("B", "广州市工商业联合会", 17, 54, Decimal("642.38")),
    "002_39e10e3528be362f.txt": ("C", "广州市花都区工商业联合会", 13, 31, None),
    "003_cdfe4f5fefb7849c.txt": ("A", "广州市白云区人民政府办公室", 6, 33, Decimal("495.00")),
    "004_a302c5053bc31a53.txt": ("B", "广州市白云区科技工业商务和信息化局", 33, 210, Decimal("67634.30")),
}


@pytest.fixture(scope="module")
def published(samples_warehouse) -> Path:
    return samples_warehouse


def _rows(path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_sample_report_is_published(published):
    rows = _rows(
        published,
        """
        SELECT r.source_file, r.layout, r.department_name,
               (SELECT count(*) FROM fct_project_funding p WHERE p.report_key = r.report_key),
               (SELECT count(*) FROM fct_performance_indicators i WHERE i.report_key = r.report_key),
               (SELECT sum(total_amount) FROM fct_project_funding p WHERE p.report_key = r.report_key)
        FROM dim_reports r ORDER BY r.source_file""",
    )
    assert {r[0]: tuple(r[1:]) for r in rows} == EXPECTED
    assert _rows(published, "SELECT count(*) FROM quarantined_reports") == [(0,)]


def test_contract_tables_and_columns(published):
    contract = {
        "dim_reports": [
            "report_key",
            "source_file",
            "file_sha256",
            "layout",
            "department_name",
            "fiscal_year",
            "page_count",
        ],
        "dim_departments": ["department_key", "department_name", "region", "admin_level"],
        "dim_budget_units": ["budget_unit_key", "department_key", "budget_unit_name"],
        "dim_indicator_categories": ["category_code", "category_name", "category_level", "parent_code"],
        "fct_project_funding": [
            "project_key",
            "report_key",
            "department_key",
            "budget_unit_key",
            "project_name",
            "total_amount",
            "fiscal_amount",
            "special_account_amount",
            "other_amount",
            "goal",
            "source_page",
            "source_row",
        ],
        "fct_performance_indicators": [
            "indicator_key",
            "project_key",
            "report_key",
            "indicator_seq",
            "level1_code",
            "level2_code",
            "indicator_name",
            "period_target",
            "annual_target",
            "source_page",
        ],
        "quarantined_reports": ["source_file", "file_sha256", "reason", "quarantined_at"],
    }
    columns = _rows(
        published, "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
    )
    present: dict[str, set[str]] = {}
    for table, column in columns:
        present.setdefault(table, set()).add(column)
    for table, expected in contract.items():
        assert set(expected) <= present.get(table, set()), table


def test_departments_regions_and_units(published):
    assert _rows(published, "SELECT department_name, region, admin_level FROM dim_departments ORDER BY 1") == [
        ("广州市工商业联合会", "广州市", "市"),
        ("广州市白云区人民政府办公室", "白云区", "区"),
        ("广州市白云区工商业联合会", "白云区", "区"),
        ("广州市白云区科技工业商务和信息化局", "白云区", "区"),
        ("广州市花都区工商业联合会", "花都区", "区"),
    ]
    units = _rows(
        published,
        """
        SELECT u.budget_unit_name, count(p.project_key) FROM dim_budget_units u
        JOIN dim_departments d USING (department_key)
        LEFT JOIN fct_project_funding p USING (budget_unit_key)
        WHERE d.department_name IN ('广州市工商业联合会', '广州市花都区工商业联合会')
        GROUP BY 1 ORDER BY 1""",
    )
    assert units == [
        ("广州市工商业联合会", 13),
        ("广州市民营企业投诉中心", 4),
        ("广州市花都区工商业联合会", 7),
        ("广州市花都区非公有制经济组织服务中心", 6),
    ]


def test_every_published_table_and_column_is_described(published):
    from budget_etl.dictionary import describe, undocumented
    from contract.settings import DBT_PROJECT_DIR

    assert undocumented(published, describe(DBT_PROJECT_DIR / "target" / "manifest.json")) == []


def test_the_samples_fiscal_year_comes_from_their_manifest(published):
    """data/samples/manifest.csv ships the year a user would write (004's annual targets are dated 2025)."""
    assert _rows(published, "SELECT DISTINCT fiscal_year FROM dim_reports") == [(2025,)]


def test_file_is_readable_by_duckdb_1_4(published):
    tags = _rows(
        published, "SELECT tags FROM duckdb_databases() WHERE NOT internal AND database_name NOT IN ('temp', 'system')"
    )
    assert tags[0][0]["storage_version"].startswith("v1.4.0")


def test_same_input_gives_same_keys(published, tmp_path):
    again = tmp_path / "again.duckdb"
    outcome = run_refresh(SAMPLES_DIR, again)
    assert outcome.published, outcome.cause
    sql = "SELECT indicator_key, project_key, report_key FROM fct_performance_indicators ORDER BY 1"
    assert _rows(published, sql) == _rows(again, sql)


def test_failing_gate_blocks_publish_in_one_line_and_status_shows_the_refusal(published, tmp_path):
    """An inbox holding 1 of the 5 published reports: 4 files gone at once looks like an unmounted share,
    not withdrawn reports (expectations/volume.py): the volume expectation fails and nothing moves.

    The user reads one line with the numbers and the log file; Dagster's logs and tracebacks are in
    that file, not on the terminal; `status` shows the refused attempt before the published version.
    """
    layout = WarehouseFiles(tmp_path / "wh" / "budget.duckdb")
    layout.directory.mkdir(parents=True)
    shutil.copy2(published, layout.published)
    before = layout.published.read_bytes()
    small_inbox = tmp_path / "small"
    small_inbox.mkdir()
    shutil.copy2(SAMPLES_DIR / "000_78a7ae6ba5b81e46.txt", small_inbox)
    refused = _cli("refresh", "--inbox", str(small_inbox), "--warehouse", str(layout.published))
    assert refused.returncode == 1
    errors = [line for line in refused.stderr.splitlines() if "error" in line.lower() or "Traceback" in line]
    assert len(errors) == 1 and errors[0].startswith("error: nothing published"), refused.stderr
    assert "removed_reports=4, published_reports=5" in errors[0] and "allow-shrink" in errors[0]
    assert f"full log: {layout.refresh_log}" in errors[0]
    assert "Traceback" in layout.refresh_log.read_text(encoding="utf-8") or "ERROR" in layout.refresh_log.read_text(
        encoding="utf-8"
    )
    assert layout.published.read_bytes() == before  # the last good warehouse is intact
    status = _cli("status", "--warehouse", str(layout.published))
    assert status.returncode == 0, status.stderr
    first_line = status.stdout.splitlines()[0]
    assert " REFUSED (run " in first_line and "started by cli" in first_line
    assert "cause: the gate refused the candidate" in status.stdout and f"log: {layout.refresh_log}" in status.stdout
    assert "5 reports, 78 projects" in status.stdout  # what is still published
    assert run_refresh(small_inbox, layout.published, allow_shrink=True).published
    assert _cli("status", "--warehouse", str(layout.published)).stdout.splitlines()[0].count("PUBLISHED") == 1


def _cli(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("budget-etl")
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, timeout=600)


def test_cli_query_status_and_errors(published, tmp_path):
    result = _cli(
        "query", "SELECT count(*) AS n FROM fct_project_funding", "--warehouse", str(published), "--format", "csv"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["n", "78"]
    status = _cli("status", "--warehouse", str(published))
    assert status.returncode == 0 and "5 reports, 78 projects, 368 indicators" in status.stdout
    assert "data docs of its gate: file://" in status.stdout
    bad = _cli("query", "SELECT * FROM no_such_table", "--warehouse", str(published))
    assert bad.returncode == 1 and "query failed" in bad.stderr and "Traceback" not in bad.stderr
    write = _cli("query", "DELETE FROM fct_project_funding", "--warehouse", str(published))
    assert write.returncode == 1 and "only reads" in write.stderr and "Traceback" not in write.stderr
    missing = _cli("refresh", "--inbox", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "w.duckdb"))
    assert missing.returncode == 1 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr


def test_bad_files_are_quarantined_and_good_ones_still_load(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy2(SAMPLES_DIR / "001_482cb6efc95f57e9.txt", inbox)
    shutil.copy2(SAMPLES_DIR / "001_482cb6efc95f57e9.txt", inbox / "copy_of_001.txt")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "not_a_report.txt").write_text("会议纪要\n今天开会。\n", encoding="utf-8")
    (inbox / "page.pdf").write_text("<html><body>404</body></html>", encoding="utf-8")
    warehouse = tmp_path / "budget.duckdb"
    result = _cli("refresh", "--inbox", str(inbox), "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    assert _rows(warehouse, "SELECT count(*) FROM fct_project_funding") == [(17,)]
    # No manifest and no year in the file name or folder: the year stays unknown.
    assert _rows(warehouse, "SELECT fiscal_year FROM dim_reports") == [(None,)]
    reasons = dict(_rows(warehouse, "SELECT source_file, reason FROM quarantined_reports"))
    assert set(reasons) == {"copy_of_001.txt", "empty.txt", "not_a_report.txt", "page.pdf"}
    assert "duplicate of 001_482cb6efc95f57e9.txt" in reasons["copy_of_001.txt"]
    assert reasons["empty.txt"].startswith("empty.txt: empty file")
    assert "no 项目支出绩效目标表 found" in reasons["not_a_report.txt"]
    # Named for what it is: a web page, not a PDF.
    assert reasons["page.pdf"].startswith("page.pdf: ") and "html page named .pdf" in reasons["page.pdf"].lower()
    assert "4 quarantined" in result.stdout
    attempt = read_attempt(WarehouseFiles(warehouse))  # what `status` shows as the last run's quarantine
    assert attempt.published and sorted(name for name, _reason in attempt.quarantined) == sorted(reasons)
