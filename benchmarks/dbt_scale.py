"""dbt build at scale: synthetic rows straight into the raw.* tables of a candidate, then `dbt build`.

The rows are the five sample reports (read by the text reader, loaded by ingestion.raw_tables)
replicated in SQL: ``reports`` reports of ``projects_per_report`` projects (drawn from the sample
projects that carry amounts) with ``indicators_per_project`` indicators each (drawn from all sample
indicators, renumbered 1..n so the numbering checks see clean reports). Declared unit and report
totals are the sums of their projects, so the reconciliation marts see consistent reports.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from benchmarks.measure import Measured, run_measured

ROOT = Path(__file__).resolve().parents[1]
PROJECT_DIR = ROOT / "dbt_project"


def _load_templates(con) -> None:
    from ingestion.raw_tables import insert_report
    from ingestion.text.reader import read_text_report
    from ingestion.version import parser_version

    for path in sorted((ROOT / "data" / "samples").glob("*.txt")):
        import hashlib

        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        insert_report(
            con, read_text_report(path, source_file=path.name, file_sha256=sha), parser_version=parser_version()
        )
    con.execute(
        "CREATE TEMP TABLE tpl_projects AS SELECT row_number() OVER (ORDER BY file_sha256, project_seq) - 1 AS k, * "
        "FROM raw.projects WHERE total IS NOT NULL"
    )
    con.execute(
        "CREATE TEMP TABLE tpl_indicators AS SELECT row_number() OVER (ORDER BY file_sha256, project_seq, indicator_seq) - 1 AS k, * "
        "FROM raw.indicators"
    )
    con.execute(
        "CREATE TEMP TABLE tpl_departments AS SELECT row_number() OVER (ORDER BY department_name) - 1 AS k, department_name "
        "FROM (SELECT DISTINCT department_name FROM raw.reports WHERE department_name IS NOT NULL)"
    )
    for table in ("indicators", "projects", "budget_units", "reports", "quarantine"):
        con.execute(f"DELETE FROM raw.{table}")


def write_synthetic_raw(
    candidate: Path, *, reports: int, projects_per_report: int, indicators_per_project: int
) -> dict:
    from ingestion.raw_tables import create_raw_tables
    from ingestion.version import parser_version
    from publishing.candidate import new_database_file

    new_database_file(candidate)
    con = duckdb.connect(str(candidate))
    try:
        create_raw_tables(con)
        _load_templates(con)
        n_proj = con.execute("SELECT count(*) FROM tpl_projects").fetchone()[0]
        n_ind = con.execute("SELECT count(*) FROM tpl_indicators").fetchone()[0]
        n_dep = con.execute("SELECT count(*) FROM tpl_departments").fetchone()[0]
        R, P, N = reports, projects_per_report, indicators_per_project
        con.execute(f"""
            CREATE TEMP TABLE bench_reports AS
            SELECT r, sha256('bench-report-' || r) AS file_sha256,
                   d.department_name || '第' || (r % 97 + 1) || '分局' AS department_name
            FROM range({R}) t(r) JOIN tpl_departments d ON d.k = r % {n_dep}""")
        con.execute(f"""
            INSERT INTO raw.projects BY NAME
            SELECT b.file_sha256, p + 1 AS project_seq, b.department_name || '（本级）' AS budget_unit_name,
                   t.project_name || '（' || b.r || '-' || p || '）' AS project_name,
                   t.total, t.fiscal, t.special_account, t.other, t.amounts_inferred, t.goal,
                   1 + p // 6 AS source_page, p + 3 AS source_row
            FROM bench_reports b, range({P}) q(p)
            JOIN tpl_projects t ON t.k = (b.r * {P} + p) % {n_proj}""")
        con.execute(f"""
            INSERT INTO raw.indicators BY NAME
            SELECT b.file_sha256, p + 1 AS project_seq, i + 1 AS indicator_seq, (i + 1)::VARCHAR AS printed_number,
                   t.level1_code, t.level1_name, t.level2_code, t.level2_name, t.indicator_name,
                   t.period_target, t.annual_target,
                   t.period_target_operator, t.period_target_low, t.period_target_high, t.period_target_unit,
                   t.period_is_quantitative,
                   t.annual_target_operator, t.annual_target_low, t.annual_target_high, t.annual_target_unit,
                   t.annual_is_quantitative,
                   1 + p // 6 AS source_page,
                   (i + 1) || '、' || regexp_replace(t.raw_text, '^\\s*\\d+\\s*[、.．]\\s*', '') AS raw_text
            FROM bench_reports b, range({P}) q(p), range({N}) j(i)
            JOIN tpl_indicators t ON t.k = ((b.r * {P} + p) * {N} + i) % {n_ind}""")
        con.execute("""
            INSERT INTO raw.budget_units BY NAME
            SELECT file_sha256, 1 AS unit_seq, any_value(budget_unit_name) AS budget_unit_name,
                   sum(total) AS declared_total, sum(fiscal) AS declared_fiscal,
                   sum(special_account) AS declared_special_account, sum(other) AS declared_other,
                   1 AS source_page, 2 AS source_row
            FROM raw.projects GROUP BY file_sha256""")
        con.execute(
            """
            INSERT INTO raw.reports BY NAME
            SELECT 'bench/report_' || lpad(b.r::VARCHAR, 5, '0') || '_2025.pdf' AS source_file, b.file_sha256,
                   'pdf' AS layout, b.department_name, 2025 AS fiscal_year, 10 AS page_count,
                   u.declared_total, u.declared_fiscal, u.declared_special_account, u.declared_other,
                   []::VARCHAR[] AS warnings, NULL AS archive_path, false AS is_stale, NULL AS stale_reason,
                   ? AS parser_version, ? AS extracted_at, 'targets' AS report_kind, '万元' AS amount_unit
            FROM bench_reports b JOIN raw.budget_units u USING (file_sha256)""",
            [parser_version(), datetime.now(UTC)],
        )
        counts = {
            t: con.execute(f"SELECT count(*) FROM raw.{t}").fetchone()[0]
            for t in ("reports", "budget_units", "projects", "indicators")
        }
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return counts


def dbt_build(candidate: Path, workdir: Path) -> tuple[Measured, dict]:
    env = {k: v for k, v in os.environ.items() if k != "BUDGET_DBT_DB_PATH"}
    env["BUDGET_DBT_DB_PATH"] = str(candidate.resolve())
    dbt = Path(sys.executable).with_name("dbt")
    cmd = [
        str(dbt),
        "build",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(workdir / "target"),
        "--log-path",
        str(workdir / "logs"),
    ]
    measured = run_measured(cmd, env=env, cwd=workdir)
    summary: dict = {}
    results_path = workdir / "target" / "run_results.json"
    if results_path.exists():
        results = json.loads(results_path.read_text())["results"]
        statuses: dict[str, int] = {}
        for r in results:
            statuses[r["status"]] = statuses.get(r["status"], 0) + 1
        slowest = sorted(results, key=lambda r: r.get("execution_time") or 0, reverse=True)[:5]
        summary = {
            "statuses": statuses,
            "slowest": [{"node": r["unique_id"], "s": round(r.get("execution_time") or 0, 2)} for r in slowest],
            "failed": [r["unique_id"] for r in results if r["status"] in ("error", "fail")][:10],
        }
    return measured, summary


def run(out: Path, *, reports: int, projects_per_report: int, indicators_per_project: int, log=print) -> dict:
    workdir = out.resolve() / "dbt-scale"
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    candidate = workdir / "candidate.duckdb"
    log(
        f"dbt at scale: writing {reports * projects_per_report:,} projects / "
        f"{reports * projects_per_report * indicators_per_project:,} indicators ..."
    )
    import time

    t0 = time.perf_counter()
    counts = write_synthetic_raw(
        candidate,
        reports=reports,
        projects_per_report=projects_per_report,
        indicators_per_project=indicators_per_project,
    )
    insert_s = time.perf_counter() - t0
    log("dbt build ...")
    measured, summary = dbt_build(candidate, workdir)
    if measured.returncode != 0:
        log(measured.stdout[-3000:])
    return {
        "raw_rows": counts,
        "insert_s": insert_s,
        "dbt_build_wall_s": measured.wall_s,
        "dbt_returncode": measured.returncode,
        "dbt_peak_process_mb": measured.peak_process_mb,
        "dbt_peak_tree_mb": measured.peak_tree_mb,
        **summary,
        "candidate": str(candidate),
    }
