"""Real processes, real signals, real files: what the reliability tests and the campaign script share.

Every refresh here is the `budget-etl` command in its own process (its own session, so that the
dbt child it starts can be found and killed with it); every reader is another process opening the
published file read-only, as a BI tool does.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from contract.files import WarehouseFiles
from contract.settings import REPO_ROOT, SAMPLES_DIR

PYTHON = sys.executable
REAL_PDFS = REPO_ROOT / "tests" / "fixtures" / "real-pdfs"
FIXTURE_PDF = REPO_ROOT / "tests" / "fixtures" / "pdfs" / "001_482cb6efc95f57e9.writer.pdf"

# Projects and indicators of each bundled sample (counted by hand, see tests/test_end_to_end.py).
SAMPLE_COUNTS = {
    "000_78a7ae6ba5b81e46.txt": (9, 40),
    "001_482cb6efc95f57e9.txt": (17, 54),
    "002_39e10e3528be362f.txt": (13, 31),
    "003_cdfe4f5fefb7849c.txt": (6, 33),
    "004_a302c5053bc31a53.txt": (33, 210),
}
DUPLICATE_NAME = "zz_copy_of_000.txt"
DUPLICATE_REASON = f"{DUPLICATE_NAME}: duplicate of 000_78a7ae6ba5b81e46.txt (same sha256), loaded once"

# Columns that record when something happened: they differ between two runs by design.
TIMESTAMP_COLUMNS = {"refreshed_at", "quarantined_at", "extracted_at"}


# --- inputs ---------------------------------------------------------------------------------------


def _no_table_pdf() -> bytes:
    """A real budget PDF without a target table (bundled under tests/fixtures/real-pdfs)."""
    return sorted(REAL_PDFS.glob("*.pdf"))[0].read_bytes()


def _truncated_pdf() -> bytes:
    data = FIXTURE_PDF.read_bytes()
    return data[: len(data) // 2]


# name -> (content, the exact quarantine reason the warehouse must record)
BAD_INPUTS: dict[str, tuple[Callable[[], bytes], str]] = {
    "bad_empty.txt": (lambda: b"", "bad_empty.txt: empty file (0 bytes)"),
    "bad_garbage.txt": (
        lambda: random.Random(7).randbytes(4096),
        "bad_garbage.txt: not a text file: bytes are neither UTF-8 nor GB18030",
    ),
    "bad_page_saved_as.pdf": (
        lambda: (
            "<!DOCTYPE html><html><head><title>预算公开</title></head><body>项目支出绩效目标表</body></html>".encode()
        ),
        "bad_page_saved_as.pdf: an HTML page named .pdf (read as html): web page without any table: "
        "no 项目支出绩效目标表 found",
    ),
    "bad_truncated.pdf": (
        _truncated_pdf,
        "bad_truncated.pdf: truncated or corrupt PDF (no %%EOF end marker: the file is cut off)",
    ),
    "bad_no_table.pdf": (_no_table_pdf, "bad_no_table.pdf: no 项目支出绩效目标表 found"),
}


def make_inbox(inbox: Path, *, bad_inputs: bool = True, duplicate: bool = True) -> Path:
    """The five samples, plus (by default) every bad input and a second name for one sample."""
    inbox.mkdir(parents=True, exist_ok=True)
    for sample in sorted(SAMPLES_DIR.iterdir()):
        if sample.is_file():
            shutil.copyfile(sample, inbox / sample.name)
    if duplicate:
        shutil.copyfile(SAMPLES_DIR / "000_78a7ae6ba5b81e46.txt", inbox / DUPLICATE_NAME)
    if bad_inputs:
        for name, (content, _) in BAD_INPUTS.items():
            (inbox / name).write_bytes(content())
    return inbox


# --- processes ------------------------------------------------------------------------------------


def child_env() -> dict[str, str]:
    """The CLI's environment without anything that would send it elsewhere (UI instance, defaults)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "BUDGET_INBOX", "BUDGET_WAREHOUSE")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    env.setdefault("COLUMNS", "200")  # the CLI's one-line messages stay on one line
    return env


def cli(*args: str) -> list[str]:
    return [PYTHON, "-m", "budget_etl.cli", *args]


def refresh_args(inbox: Path, warehouse: Path, *extra: str) -> list[str]:
    """A refresh that really rebuilds: --force, or an unchanged inbox would return "up to date"
    before taking the lock (these tests are about what a rebuild does)."""
    return cli("refresh", "--inbox", str(inbox), "--warehouse", str(warehouse), "--force", *extra)


def start(args: list[str], log_prefix: Path, **popen) -> subprocess.Popen:
    """A process in its own session (its children share its process group), output to files."""
    log_prefix.parent.mkdir(parents=True, exist_ok=True)
    stdout = open(f"{log_prefix}.out", "wb")  # noqa: SIM115 (handed to the child process)
    stderr = open(f"{log_prefix}.err", "wb")  # noqa: SIM115
    try:
        return subprocess.Popen(
            args,
            cwd=REPO_ROOT,
            env=popen.pop("env", child_env()),
            stdout=stdout,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            **popen,
        )
    finally:
        stdout.close()
        stderr.close()


def run(args: list[str], *, timeout: float = 600, **popen) -> subprocess.CompletedProcess:
    return subprocess.run(
        args,
        cwd=REPO_ROOT,
        env=popen.pop("env", child_env()),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        **popen,
    )


def group_members(pgid: int) -> list[int]:
    """Live processes of a process group (the refresh's dbt child outlives a kill -9 of its parent)."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def kill_group(proc: subprocess.Popen) -> int:
    """SIGKILL whatever is left of ``proc``'s process group; returns how many were still alive."""
    survivors = group_members(proc.pid)
    for pid in survivors:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 10
    while group_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return len(survivors)


def wait_until(predicate: Callable[[], object], timeout: float, interval: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


# --- the published file ---------------------------------------------------------------------------


def published_run_id(path: Path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT value FROM main.warehouse_meta WHERE key = 'run_id'").fetchone()[0]
    finally:
        con.close()


def snapshot(path: Path, *, schemas: tuple[str, ...] = ("main", "raw")) -> dict[str, list[tuple]]:
    """Every row of every table in ``schemas``, timestamps left out, sorted; warehouse_meta and the change feed
    aside (they describe the publish, not the data: a rebuild of the same inbox has no changes to list)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' AND table_schema IN (SELECT unnest(?)) "
            "AND table_name NOT IN ('warehouse_meta', 'publish_changes') "
            "ORDER BY 1, 2",
            [list(schemas)],
        ).fetchall()
        result = {}
        for schema, table in tables:
            columns = [
                c
                for c, t in con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
                    [schema, table],
                ).fetchall()
                if c not in TIMESTAMP_COLUMNS and not t.startswith("TIMESTAMP")
            ]
            rows = con.execute(
                f'SELECT {", ".join(chr(34) + c + chr(34) for c in columns)} FROM "{schema}"."{table}"'
            ).fetchall()
            result[f"{schema}.{table}"] = sorted(rows, key=repr)
        return result
    finally:
        con.close()


def copy_warehouse(source: Path, target_dir: Path) -> Path:
    """A private copy of a published warehouse and its state folder (cache, archive, versions)."""
    shutil.copytree(source.parent, target_dir, symlinks=True)
    return target_dir / source.name


def state_leftovers(layout: WarehouseFiles) -> list[str]:
    """Files a crashed run leaves in the state folder: candidates (.wal, .gate.json), dbt's link to
    its candidate (.wal), temp files."""
    names = [p.name for p in layout.state_dir.glob("candidate-*")]
    names += [p.name for p in layout.state_dir.glob(f"*{layout.dbt_build_link.name}*")]
    for folder in (layout.archive_dir, layout.extracted_dir, layout.versions_dir):
        if folder.exists():
            names += [str(p.relative_to(layout.state_dir)) for p in folder.rglob(".tmp-*")]
    return sorted(names)


# --- readers ----------------------------------------------------------------------------------------


@dataclass
class Readers:
    """Reader processes (reader.py) running against one published file until stopped."""

    procs: list[subprocess.Popen]
    outputs: list[Path]
    stop_file: Path

    @classmethod
    def start(
        cls, warehouse: Path, workdir: Path, *, per_query: int = 2, long_lived: int = 1, pause: float = 0.01
    ) -> Readers:
        workdir.mkdir(parents=True, exist_ok=True)
        stop = workdir / "stop"
        stop.unlink(missing_ok=True)
        procs, outputs = [], []
        modes = ["per-query"] * per_query + ["long-lived"] * long_lived
        for i, mode in enumerate(modes):
            out = workdir / f"reader-{i}-{mode}.json"
            outputs.append(out)
            procs.append(
                start(
                    [PYTHON, "-m", "tests.reliability.reader", mode, str(warehouse), str(stop), str(out), str(pause)],
                    workdir / f"reader-{i}",
                )
            )
        readers = cls(procs, outputs, stop)
        ready = [workdir / f"reader-{i}-{m}.json.ready" for i, m in enumerate(modes)]
        if not wait_until(lambda: all(r.exists() for r in ready), timeout=60):
            readers.stop()
            raise RuntimeError(f"readers did not start: see {workdir}")
        return readers

    def stop(self) -> list[dict]:
        self.stop_file.touch()
        results = []
        for proc, out in zip(self.procs, self.outputs, strict=False):
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                kill_group(proc)
            results.append(json.loads(out.read_text()) if out.exists() else {"mode": "?", "crashed": True})
        return results


# --- kill -9 at chosen phases of a refresh ------------------------------------------------------------

FAILING_TODAY = "002_39e10e3528be362f.txt"  # emptied by upstream today: its last good version stays, stale
REMOVED_TODAY = "003_cdfe4f5fefb7849c.txt"  # gone from the inbox today: it leaves the warehouse
FAILING_TODAY_REASON = f"{FAILING_TODAY}: empty file (0 bytes)"


def make_changed_inbox(source: Path, target: Path) -> Path:
    """The next day's inbox: one report emptied, one removed, everything else the same."""
    shutil.copytree(source, target)
    (target / FAILING_TODAY).write_bytes(b"")
    (target / REMOVED_TODAY).unlink()
    return target


class Phase:
    """Watches one refresh process and its files; ``reached()`` is polled until it says yes."""

    name = ""

    def __init__(self, proc: subprocess.Popen, layout: WarehouseFiles, published_inode: int | None) -> None:
        self.proc, self.layout, self.published_inode = proc, layout, published_inode
        self.started = time.monotonic()
        self.dbt_seen = False
        self.stale = set(self.layout.state_dir.glob("candidate-*.duckdb"))  # a killed run's leftovers

    def candidates(self) -> list[Path]:
        """This run's candidate (never one left by an earlier, killed run)."""
        return [c for c in self.layout.state_dir.glob("candidate-*.duckdb") if c not in self.stale]

    def write_ahead_logs(self) -> list[Path]:
        """Write-ahead logs of this run's candidate: beside it, or beside the link dbt writes through
        (``WarehouseFiles.dbt_build_link``), where DuckDB keeps the log of a file opened by that path."""
        paths = [*self.candidates(), self.layout.dbt_build_link] if self.candidates() else []
        return [Path(f"{p}.wal") for p in paths if Path(f"{p}.wal").exists()]

    def dbt_running(self) -> bool:
        running = any(
            "dbt" in cmdline(pid) and "build" in cmdline(pid)
            for pid in group_members(self.proc.pid)
            if pid != self.proc.pid
        )
        self.dbt_seen = self.dbt_seen or running
        return running

    def holds_lock(self) -> bool:
        try:
            return self.layout.lock_file.read_text().startswith(f"pid {self.proc.pid} ")
        except OSError:
            return False

    def reached(self) -> bool:
        raise NotImplementedError


class Extracting(Phase):
    name = "extracting (lock held, no candidate yet)"

    candidate_seen = False

    def reached(self) -> bool:
        # The run's lock resource takes the lock, then the extraction step reads the inbox: kill as
        # soon as the lock is seen (a cached inbox is extracted in well under a second, so any wait
        # here can miss the phase on a fast machine). Once this run's candidate has appeared the
        # phase is over for good (the lock file keeps the pid after publish).
        self.candidate_seen = self.candidate_seen or bool(self.candidates())
        return not self.candidate_seen and self.holds_lock()


class LoadingRawTables(Phase):
    name = "loading raw tables (candidate file appeared)"

    def reached(self) -> bool:
        return bool(self.candidates())


class DbtBuilding(Phase):
    name = "dbt building the candidate (dbt running, .wal present)"

    def reached(self) -> bool:
        return self.dbt_running() and bool(self.write_ahead_logs())


class SealedGateRunning(Phase):
    name = "candidate built and sealed, gate running (dbt done, no .wal)"

    def reached(self) -> bool:
        if not self.dbt_seen:
            self.dbt_running()
            return False
        return not self.dbt_running() and bool(self.candidates()) and not self.write_ahead_logs()


class GatePassed(Phase):
    name = "gate passed, about to publish (.gate.json appeared)"

    def reached(self) -> bool:
        return any(Path(f"{c}.gate.json").exists() for c in self.candidates())


class Published(Phase):
    name = "just published (published file replaced)"

    def reached(self) -> bool:
        try:
            return self.layout.published.stat().st_ino != self.published_inode
        except OSError:
            return False


class AfterDelay(Phase):
    """No phase evidence: the kill lands wherever the run is after ``delay`` seconds."""

    def __init__(
        self, proc: subprocess.Popen, layout: WarehouseFiles, published_inode: int | None, delay: float = 0.0
    ) -> None:
        super().__init__(proc, layout, published_inode)
        self.delay = delay
        self.name = f"after {delay:.1f}s"

    def reached(self) -> bool:
        return time.monotonic() - self.started >= self.delay


KILL_PHASES: list[type[Phase]] = [Extracting, LoadingRawTables, DbtBuilding, SealedGateRunning, GatePassed, Published]


@dataclass
class Kill:
    phase: str
    reached: bool  # False: the run ended before the phase was seen (nothing was killed)
    seconds: float  # from start to the kill
    published_is: str  # "old": unchanged, "new": a complete new version, "broken"
    readable: bool
    leftovers: list[str]
    orphans: int  # processes of the killed run still alive after its main process died (dbt)


def _published_state(path: Path, before: dict, before_run_id: str) -> tuple[str, bool]:
    """("old" | "new" | "broken", readable): unchanged, a whole new build, or anything else."""
    try:
        now = snapshot(path)
        run_id = published_run_id(path)  # seal writes warehouse_meta last: a build without it is partial
    except Exception:  # anything that stops a read-only open or a full read is a broken warehouse
        return "broken", False
    if run_id == before_run_id:
        return ("old" if now == before else "broken"), True
    # A different run: every table the old version had (a newer code version may add some), with reports.
    complete = set(before) <= set(now) and len(now.get("main.dim_reports", [])) > 0
    return ("new" if complete else "broken"), True


def kill_at(
    phase_type: Callable[..., Phase], inbox: Path, warehouse: Path, logs: Path, *extra: str, timeout: float = 300
) -> Kill:
    """Start a refresh, SIGKILL it when ``phase_type`` is reached, then check the published file.

    ``phase_type`` is a Phase class, or any callable (proc, layout, published inode) -> Phase.
    """
    layout = WarehouseFiles(warehouse)
    before, before_run_id = snapshot(warehouse), published_run_id(warehouse)
    proc = start(refresh_args(inbox, warehouse, *extra), logs)
    phase = phase_type(proc, layout, warehouse.stat().st_ino)
    reached = wait_until(lambda: proc.poll() is not None or phase.reached(), timeout=timeout, interval=0.01)
    reached = reached and proc.poll() is None
    seconds = time.monotonic() - phase.started
    if reached:
        os.kill(proc.pid, signal.SIGKILL)  # the refresh process only: its dbt child is orphaned
    proc.wait(timeout=60)
    orphans = len(group_members(proc.pid))
    published_is, readable = _published_state(warehouse, before, before_run_id)
    leftovers = state_leftovers(layout)
    kill_group(proc)
    return Kill(phase.name, reached, round(seconds, 2), published_is, readable, leftovers, orphans)


def differences(left: dict[str, list[tuple]], right: dict[str, list[tuple]]) -> list[str]:
    """Tables that differ between two snapshots, each with its first differing row (empty: equal)."""
    found = [f"{t}: only on one side" for t in sorted(set(left) ^ set(right))]
    for table in sorted(set(left) & set(right)):
        a, b = left[table], right[table]
        if a != b:
            first = next(((x, y) for x, y in zip(a, b, strict=False) if x != y), (len(a), len(b)))
            found.append(f"{table}: {len(a)} vs {len(b)} rows, first difference {first}")
    return found
