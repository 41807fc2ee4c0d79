"""Reliability campaign: real refreshes under readers, real kill -9s, real bad inputs; the figures.

    .venv/bin/python scripts/reliability_figures.py [--refreshes N] [--kills M] [--bad-inputs K]
                                                    [--workdir DIR] [--no-write]

1. An inbox of the bundled samples, K bad inputs (empty, binary garbage, HTML saved as .pdf,
   truncated PDF, PDF without a target table, in turn) and one duplicate; a first refresh.
2. N more refreshes of it while reader processes query the published file: two with a new
   read-only connection per query (as Superset does), one with a single long-lived connection.
3. M refreshes killed with SIGKILL: first at each phase (extracting, raw tables, dbt, sealed/gate,
   gate passed, just published), then after random delays; after each kill the published file
   must be the old version unchanged or a complete new one, and readable. Then one refresh to the
   end, which must succeed and leave no candidate, log, gate record or temporary file behind.

Prints the figures and writes them into docs/reliability.md (with the date and the machine).
Takes about (N + M + 2) refreshes of time: ~5 minutes with the defaults on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import duckdb  # noqa: E402

from contract.files import WarehouseFiles  # noqa: E402
from publishing.publish import KEEP_VERSIONS  # noqa: E402
from tests.reliability import harness  # noqa: E402

DOC = REPO_ROOT / "docs" / "reliability.md"


def bad_inputs(inbox: Path, count: int) -> dict[str, str]:
    """``count`` bad files in ``inbox`` (the five kinds in turn); name -> expected quarantine reason."""
    kinds = list(harness.BAD_INPUTS.items())
    expected = {}
    for i in range(count):
        name, (content, reason) = kinds[i % len(kinds)]
        if i >= len(kinds):  # the same kind again under another name (and other bytes, for garbage)
            stem, suffix = name.rsplit(".", 1)
            new = f"{stem}_{i // len(kinds)}.{suffix}"
            data = content() if "garbage" not in name else random.Random(i).randbytes(4096)
            reason, name = reason.replace(name, new), new
        else:
            data = content()
        (inbox / name).write_bytes(data)
        expected[name] = reason
    return expected


def refresh(inbox: Path, warehouse: Path, logs: Path, *extra: str) -> float:
    started = time.monotonic()
    done = harness.run(harness.refresh_args(inbox, warehouse, *extra), timeout=900)
    logs.write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"refresh failed (see {logs}): {done.stderr.strip().splitlines()[-1:]}")
    return time.monotonic() - started


def campaign(workdir: Path, refreshes: int, kills: int, bad: int) -> dict:
    inbox = harness.make_inbox(workdir / "inbox", bad_inputs=False)
    expected_quarantine = bad_inputs(inbox, bad)
    expected_quarantine[harness.DUPLICATE_NAME] = harness.DUPLICATE_REASON
    warehouse = workdir / "wh" / "budget.duckdb"
    print(f"first refresh of {inbox} ...", flush=True)
    durations = [refresh(inbox, warehouse, workdir / "refresh-0.log")]

    print(f"{refreshes} refreshes with 3 readers ...", flush=True)
    readers = harness.Readers.start(warehouse, workdir / "readers", per_query=2, long_lived=1, pause=0.02)
    try:
        for i in range(1, refreshes + 1):
            durations.append(refresh(inbox, warehouse, workdir / f"refresh-{i}.log"))
            print(f"  refresh {i}: {durations[-1]:.1f}s", flush=True)
        time.sleep(1)
    finally:
        reader_results = readers.stop()

    con = duckdb.connect(str(warehouse), read_only=True)
    quarantined = dict(con.execute("SELECT source_file, reason FROM quarantined_reports").fetchall())
    good_reports = con.execute("SELECT count(*) FROM dim_reports").fetchone()[0]
    con.close()

    print(f"{kills} kill -9 points ...", flush=True)
    killed_inbox = harness.make_changed_inbox(inbox, workdir / "inbox-next-day")
    rng = random.Random(2024)
    kill_results = []
    for i in range(kills):
        if i < len(harness.KILL_PHASES):
            phase = harness.KILL_PHASES[i]
        else:
            # Somewhere in a whole run: the kill "just published" measured how long one takes here.
            whole = max((k.seconds for k in kill_results if k.phase == harness.Published.name), default=30.0)
            phase = partial(harness.AfterDelay, delay=round(rng.uniform(1.0, whole), 1))
        kill = harness.kill_at(phase, killed_inbox, warehouse, workdir / f"killed-{i}", "--allow-shrink")
        kill_results.append(kill)
        print(
            f"  {kill.phase}: killed after {kill.seconds}s, published {kill.published_is}, "
            f"{len(kill.leftovers)} files left, {kill.orphans} orphaned child process(es)",
            flush=True,
        )
    final = harness.run(harness.refresh_args(killed_inbox, warehouse, "--allow-shrink"), timeout=900)
    leftovers = harness.state_leftovers(WarehouseFiles(warehouse))

    per_query = [r for r in reader_results if r["mode"] == "per-query"]
    long_lived = [r for r in reader_results if r["mode"] == "long-lived"]
    return {
        "refreshes": refreshes,
        "refresh_seconds": [round(d, 1) for d in durations],
        "reads": sum(r["reads"] for r in reader_results),
        "failed_reads": sum(r["failures"] for r in reader_results),
        "reader_errors": [e for r in reader_results for e in r["errors"]],
        "versions_seen_per_query": [len(r["run_ids"]) for r in per_query],
        # Each version seen in one stretch, in publish order: never an old one again after a new one.
        "per_query_switches_clean": all(len(r["run_ids"]) == len(set(r["run_ids"])) for r in per_query),
        "long_lived_kept_snapshot": all(len(r["run_ids"]) == 1 for r in long_lived),
        "long_lived_new_after_reconnect": all(r["after_reconnect"] != r["run_ids"][0] for r in long_lived),
        "kills": [vars(k) for k in kill_results],
        "kills_reached": sum(k.reached for k in kill_results),
        "kills_survived": sum(k.reached and k.readable and k.published_is in ("old", "new") for k in kill_results),
        "recovery_refresh_ok": final.returncode == 0,
        "leftovers_after_recovery": leftovers,
        "bad_inputs": bad,
        "bad_inputs_quarantined": sum(
            quarantined.get(n) == r for n, r in expected_quarantine.items() if n != harness.DUPLICATE_NAME
        ),
        "duplicate_reported": quarantined.get(harness.DUPLICATE_NAME) == harness.DUPLICATE_REASON,
        "good_reports_published": good_reports,
    }


def machine() -> str:
    import dagster
    import dbt.version

    return (
        f"{platform.node()}: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"DuckDB {duckdb.__version__}, Dagster {dagster.__version__}, dbt-core {dbt.version.__version__}"
    )


def render(f: dict, when: str, where: str) -> str:
    kills = "\n".join(
        f"| {k['phase']} | {k['seconds']} | {k['published_is']} | {'yes' if k['readable'] else 'NO'} "
        f"| {len(k['leftovers'])} | {k['orphans']} |"
        for k in f["kills"]
    )
    pq = ", ".join(str(v) for v in f["versions_seen_per_query"])
    return f"""# Reliability

What the load path guarantees, how it is tested, and the figures of the last reliability campaign.

## Guarantees

- **Crash safety.** A refresh builds a candidate file in `<warehouse dir>/.<stem>/`, seals it
  (checkpoint, no write-ahead log), has the Great Expectations gate validate it, and publishes it
  with one `os.replace`. A `kill -9` at any moment leaves the published file either unchanged or
  replaced whole. The next refresh removes what the killed one left (candidate, `.wal`,
  `.gate.json`, half-written `.tmp-*` files in the archive, extraction cache and `versions/`).
- **Readers never fail.** Readers open the published file read-only; the swap is atomic, so a
  new connection sees the old or the new version, and a long-lived connection keeps its snapshot
  (the old inode lives on) until it reconnects.
- **One refresh at a time.** A second refresh of the same warehouse is refused at once, in one
  line: `error: another refresh of <file> is running (pid N since T); wait for it to finish`.
- **Idempotent.** The same inbox twice gives the same rows in every table (timestamps aside).
- **Rollback.** The last {KEEP_VERSIONS} published versions are kept (hard links, free);
  `budget-etl rollback` puts the previous one back and moves the current one aside. A version
  that is the published file itself (a publish killed between keeping and swapping) is skipped,
  and a version DuckDB cannot open is never published.
- **Disk full, read-only folder.** Taking the refresh lock proves the warehouse folder writable;
  a build is refused when the disk has less free space than twice the published file (at least
  32 MiB); a disk that fills up while writing is reported as such. The message says what
  happened, that the previous warehouse is untouched, and what to do.
- **Inputs.** A bad file (empty, binary garbage, HTML saved as .pdf, truncated PDF, no target
  table) is quarantined with a reason naming it; the others load. A report failing today keeps
  its last good version, flagged `is_stale` with `stale_reason`; a file removed from the inbox
  leaves; one content under two names is loaded once and the other name is reported. Every
  loaded file is archived as `.<stem>/archive/<sha[:2]>/<sha256>.<ext>` and `dim_reports` /
  `raw.reports` record `file_sha256` and `archive_path` (relative to the warehouse folder).

## Tests

`tests/reliability/` does all of the above for real: `budget-etl` in separate processes, real
SIGKILLs chosen by watching the state folder (lock taken, candidate created, dbt running with a
`.wal`, dbt done and sealed, `.gate.json` written, published inode changed), reader processes,
a tmpfs remounted read-only or sized nearly full, a non-root user facing a 0555 folder (skipped
where that user cannot run the interpreter). Run them with

    .venv/bin/pytest tests/reliability        # all marked slow; about 4-6 minutes on 2 cores

The optional DuckLake backend has the same checks against the lake (readers in other processes during
publishes, a reader keeping its snapshot, SIGKILLs mid-publish leaving the last published snapshot,
rollback), on a local folder and on an S3 emulator: `.venv/bin/pytest tests/ducklake`, docs/ducklake.md.

## Figures of the last campaign

Generated by `scripts/reliability_figures.py` on {when}, on {where}.

| figure | value |
| --- | --- |
| refreshes with concurrent readers | {f["refreshes"]} ({", ".join(str(s) for s in f["refresh_seconds"][1:])} s; the first refresh before them, cold: {f["refresh_seconds"][0]} s) |
| reads during refreshes | {f["reads"]} |
| failed reads | {f["failed_reads"]} |
| versions seen by each per-query reader | {pq} ({"each seen in one stretch, in publish order" if f["per_query_switches_clean"] else "AN OLD VERSION CAME BACK"}) |
| long-lived reader kept its snapshot / saw new data after reconnecting | {"yes" if f["long_lived_kept_snapshot"] else "NO"} / {"yes" if f["long_lived_new_after_reconnect"] else "NO"} |
| kill points survived | {f["kills_survived"]} of {f["kills_reached"]} kills ({len(f["kills"]) - f["kills_reached"]} more run(s) ended before their kill point) |
| refresh after the kills | {"succeeded" if f["recovery_refresh_ok"] else "FAILED"}, {len(f["leftovers_after_recovery"])} files left behind |
| bad inputs quarantined with their reason | {f["bad_inputs_quarantined"]} of {f["bad_inputs"]} (duplicate reported: {"yes" if f["duplicate_reported"] else "NO"}) |
| good reports published beside them | {f["good_reports_published"]} of 5 |

Kill points ("files left": the dead run's candidate, .wal, .gate.json, temporary files, all
removed by the next refresh; "orphans": its child processes, dbt or extraction workers, still alive
after the refresh process died: they only ever write the dead run's candidate):

| killed at | after (s) | published file | readable | files left | orphans |
| --- | --- | --- | --- | --- | --- |
{kills}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--refreshes", type=int, default=3)
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--bad-inputs", type=int, default=5)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--no-write", action="store_true", help=f"print the figures, leave {DOC} alone")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="reliability-"))
    try:
        figures = campaign(workdir, args.refreshes, args.kills, args.bad_inputs)
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if not args.no_write:
        DOC.parent.mkdir(parents=True, exist_ok=True)
        DOC.write_text(render(figures, when, machine()), encoding="utf-8")
        print(f"wrote {DOC}")
    ok = (
        figures["failed_reads"] == 0
        and figures["kills_survived"] == figures["kills_reached"]
        and figures["recovery_refresh_ok"]
        and not figures["leftovers_after_recovery"]
        and figures["bad_inputs_quarantined"] == figures["bad_inputs"]
    )
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
