"""Processes the DuckLake tests start: a publisher they can kill at a chosen step, and readers.

    python -m tests.ducklake.child publish SETTINGS_JSON CANDIDATE RUN_ID [PAUSE_AT]
    python -m tests.ducklake.child read SETTINGS_JSON MODE STOP_FILE OUT_JSON

publish: publishes CANDIDATE to the lake; with PAUSE_AT (staged, audited, before_commit) it writes
``<SETTINGS_JSON>.<PAUSE_AT>`` when it gets there and sleeps, for the test to SIGKILL it.
read MODE per-query: a new read-only lake connection for every query, until STOP_FILE exists.
read MODE snapshot: one connection holding one transaction open the whole time (its snapshot must not move),
then one new transaction at the end. OUT_JSON: reads, failures (first messages), the versions seen in order
(run id, reports, projects, indicators, total), ``after`` for snapshot mode. OUT_JSON.ready appears after the
first read.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from contract.settings import DuckLakeSettings
from publishing.ducklake.lake import connect_lake
from publishing.ducklake.publish import publish_to_lake

QUERY = """
    SELECT (SELECT value FROM warehouse_meta WHERE key = 'run_id'),
           (SELECT count(*) FROM dim_reports),
           (SELECT count(*) FROM fct_project_funding),
           (SELECT count(*) FROM fct_performance_indicators),
           (SELECT sum(total_amount)::VARCHAR FROM fct_project_funding)
"""


def settings_from(path: str) -> DuckLakeSettings:
    return DuckLakeSettings(**json.loads(Path(path).read_text()))


def publish(settings_path: str, candidate: str, run_id: str, pause_at: str = "") -> None:
    def pause(step: str) -> None:
        if step == pause_at:
            Path(f"{settings_path}.{step}").touch()
            time.sleep(600)

    print(publish_to_lake(Path(candidate), settings_from(settings_path), run_id=run_id, pause=pause))


def read(settings_path: str, mode: str, stop: str, out: str) -> None:
    settings = settings_from(settings_path)
    ready = Path(out + ".ready")
    result = {"mode": mode, "reads": 0, "failures": 0, "errors": [], "versions": []}

    def seen(row) -> None:
        result["reads"] += 1
        if not result["versions"] or result["versions"][-1] != list(row):
            result["versions"].append(list(row))
        ready.touch()

    def failed(error: Exception) -> None:
        result["failures"] += 1
        if len(result["errors"]) < 5:
            result["errors"].append(f"{type(error).__name__}: {error}".splitlines()[0])

    if mode == "per-query":
        while not Path(stop).exists():
            try:
                con = connect_lake(settings)
                try:
                    seen(con.execute(QUERY).fetchone())
                finally:
                    con.close()
            except Exception as error:  # every failure counts
                failed(error)
            time.sleep(0.02)
    else:
        con = connect_lake(settings)
        con.execute("BEGIN")
        while not Path(stop).exists():
            try:
                seen(con.execute(QUERY).fetchone())
            except Exception as error:
                failed(error)
            time.sleep(0.05)
        con.execute("COMMIT")
        result["after"] = list(con.execute(QUERY).fetchone())
        con.close()
    Path(out).write_text(json.dumps(result))


if __name__ == "__main__":
    {"publish": publish, "read": read}[sys.argv[1]](*sys.argv[2:])
