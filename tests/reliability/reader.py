"""A reader process, as a BI tool reads the published warehouse while refreshes run.

    python -m tests.reliability.reader MODE WAREHOUSE STOP_FILE OUT_JSON [PAUSE_SECONDS]

MODE per-query: a new read-only connection for every query (what Superset does), until STOP_FILE
exists. MODE long-lived: one read-only connection for the whole time, then one reconnect at the
end. Writes OUT_JSON: reads, failed reads (with the first messages), the warehouse run ids seen in
order, and for long-lived the run id seen after reconnecting. OUT_JSON.ready appears after the
first successful read.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

QUERY = """
    SELECT (SELECT value FROM main.warehouse_meta WHERE key = 'run_id'),
           (SELECT count(*) FROM main.dim_reports),
           (SELECT count(*) FROM main.fct_performance_indicators),
           (SELECT sum(total_amount) FROM main.fct_project_funding)
"""


class Tally:
    def __init__(self) -> None:
        self.reads = 0
        self.failures = 0
        self.errors: list[str] = []
        self.run_ids: list[str] = []  # each change of version, in the order seen

    def ok(self, run_id: str) -> None:
        self.reads += 1
        if not self.run_ids or self.run_ids[-1] != run_id:
            self.run_ids.append(run_id)

    def failed(self, error: Exception) -> None:
        self.failures += 1
        if len(self.errors) < 5:
            self.errors.append(f"{type(error).__name__}: {error}".splitlines()[0])


def per_query(warehouse: str, stop: Path, ready: Path, pause: float) -> dict:
    tally = Tally()
    while not stop.exists():
        try:
            con = duckdb.connect(warehouse, read_only=True)
            try:
                tally.ok(con.execute(QUERY).fetchone()[0])
            finally:
                con.close()
            if not ready.exists():
                ready.touch()
        except Exception as error:  # every failure counts, whatever raised it
            tally.failed(error)
        time.sleep(pause)
    return {"mode": "per-query", **vars(tally)}


def long_lived(warehouse: str, stop: Path, ready: Path, pause: float) -> dict:
    tally = Tally()
    con = duckdb.connect(warehouse, read_only=True)
    while not stop.exists():
        try:
            tally.ok(con.execute(QUERY).fetchone()[0])
            if not ready.exists():
                ready.touch()
        except Exception as error:
            tally.failed(error)
        time.sleep(pause)
    con.close()
    after = None
    try:
        con = duckdb.connect(warehouse, read_only=True)
        after = con.execute(QUERY).fetchone()[0]
        con.close()
    except Exception as error:
        tally.failed(error)
    return {"mode": "long-lived", **vars(tally), "after_reconnect": after}


def main(argv: list[str]) -> None:
    mode, warehouse, stop, out = argv[:4]
    pause = float(argv[4]) if len(argv) > 4 else 0.01
    out_path = Path(out)
    ready = out_path.with_name(out_path.name + ".ready")
    loop = per_query if mode == "per-query" else long_lived
    result = loop(warehouse, Path(stop), ready, pause)
    out_path.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
