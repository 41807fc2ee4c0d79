"""Refreshes through the real CLI (`budget-etl refresh` in a subprocess): full, no-op, one changed.

Each measurement is the wall time of the whole command (Python start-up, Dagster, extraction,
loading, dbt build, the Great Expectations gate and the publish), its peak memory, and the time of
each step of the run (recorded with the run's last attempt: orchestration/step_times.py).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.measure import run_measured

ROOT = Path(__file__).resolve().parents[1]


def _cli() -> str:
    return str(Path(sys.executable).with_name("budget-etl"))


def refresh(inbox: Path, warehouse: Path, log=print, *, force: bool = False) -> dict:
    """One `budget-etl refresh` measured; ``force`` rebuilds even when nothing changed."""
    env = dict(os.environ)
    env.pop("BUDGET_DBT_DB_PATH", None)
    started = datetime.now(UTC).replace(microsecond=0)
    measured = run_measured(
        [_cli(), "refresh", "--inbox", str(inbox), "--warehouse", str(warehouse), *(["--force"] if force else [])],
        env=env,
        cwd=ROOT,
    )
    if measured.returncode != 0:
        log(f"refresh failed ({measured.returncode}):\n{measured.stdout[-3000:]}\n{measured.stderr[-3000:]}")
    return {
        "wall_s": measured.wall_s,
        "returncode": measured.returncode,
        "peak_process_mb": measured.peak_process_mb,
        "peak_tree_mb": measured.peak_tree_mb,
        "summary": _summary_line(measured.stdout),
        "step_seconds": _step_seconds(warehouse, started),
    }


def _step_seconds(warehouse: Path, started: datetime) -> dict[str, float]:
    """Each Dagster step's wall time of the run just measured (its last attempt record); {} when no run
    was started (a no-op refresh stops before Dagster and records no attempt)."""
    from contract.files import WarehouseFiles
    from publishing.attempts import read_attempt

    attempt = read_attempt(WarehouseFiles(warehouse))
    # Both to the second: an attempt recorded in the second this command started is the one before
    # it (a no-op right after a full refresh), not its own (a refresh takes seconds).
    if attempt is None or datetime.fromisoformat(attempt.finished_at) <= started:
        return {}
    return attempt.step_seconds


def _summary_line(stdout: str) -> str:
    """The CLI's closing lines, without colour codes (for the record, not parsed further)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", stdout).strip().splitlines()
    return "\n".join(text[-6:])


def fresh_warehouse(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder / "budget.duckdb"
