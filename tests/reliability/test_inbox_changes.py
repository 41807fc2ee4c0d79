"""What a refresh does with a changed inbox, through the real CLI and pipeline, and what the terminal shows.

- every file quarantined: one plain line and each file's reason; nothing published; `status` lists them;
- reports withdrawn from the inbox: they leave the warehouse, named by the refresh and by `status`;
- half or more of the reports gone at once (an unmounted share): blocked, the published file untouched;
- an unchanged file read into fewer rows (a parser regression, simulated in-process): blocked.

The terminal shows progress and the one-line cause only; Dagster's logs, warnings and tracebacks go
to the log file (and to the terminal with --debug).
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

import ingestion.extract
from contract.files import WarehouseFiles
from contract.settings import SAMPLES_DIR
from orchestration.run import run_refresh
from publishing.attempts import read_attempt
from tests.reliability import harness

pytestmark = pytest.mark.slow

BIG_REPORT = "004_a302c5053bc31a53.txt"
# Words that only Dagster's logs, Python's warnings and tracebacks put on a terminal.
TOOL_NOISE = ("Warning", "ERROR", "Traceback", "dagster", "DEBUG", "INFO")


def _refresh(inbox: Path, warehouse: Path, *extra: str):
    return harness.run(harness.cli("refresh", "--inbox", str(inbox), "--warehouse", str(warehouse), *extra))


def _status(warehouse: Path):
    return harness.run(harness.cli("status", "--warehouse", str(warehouse)))


def _after_progress(stderr: str) -> list[str]:
    """stderr without the progress lines (the CLI's progress goes there when it is not a terminal)."""
    return [line for line in stderr.splitlines() if not line.startswith("extracted ")]


def _quiet(output: str) -> bool:
    return not any(word in output for word in TOOL_NOISE)


def _samples_inbox(target: Path, *without: str) -> Path:
    shutil.copytree(SAMPLES_DIR, target)
    for name in without:
        (target / name).unlink()
    return target


@pytest.fixture
def published_copy(warehouse_copy) -> Path:
    """The five samples published, the file alone in a folder of its own: no extraction cache, so
    every file is read again by this process's readers."""
    return warehouse_copy


def test_nothing_loadable_is_said_plainly_with_each_reason_and_status_lists_them(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "minutes.txt").write_text("会议纪要\n今天开会。\n", encoding="utf-8")
    (inbox / "page.pdf").write_text("<html><body>404</body></html>", encoding="utf-8")
    warehouse = tmp_path / "wh" / "budget.duckdb"

    done = _refresh(inbox, warehouse)
    assert done.returncode == 1
    lines = _after_progress(done.stderr)
    assert lines[0].startswith("error: no report could be loaded: 3 files quarantined, nothing was published")
    assert [line.split(":")[0] for line in lines[1:]] == ["  empty.txt", "  minutes.txt", "  page.pdf"]
    assert "no 项目支出绩效目标表 found" in lines[2]
    assert _quiet(done.stdout + done.stderr), done.stdout + done.stderr
    assert not warehouse.exists()  # a first refresh with nothing loadable publishes nothing, not an empty file

    status = _status(warehouse)
    assert status.returncode == 1
    assert " FAILED (run " in status.stdout.splitlines()[0]
    assert "cause: no report could be loaded: 3 files quarantined" in status.stdout
    assert "3 quarantined in that run:" in status.stdout and "empty.txt: empty file (0 bytes)" in status.stdout
    assert status.stderr.startswith(f"error: nothing published at {warehouse} yet")

    debug = _refresh(inbox, warehouse, "--debug")  # everything on the terminal: Dagster's logs and the traceback
    assert debug.returncode == 1
    assert "dagster - " in debug.stderr and "NothingLoaded" in debug.stderr


def test_withdrawn_reports_leave_the_warehouse_and_are_named(published_copy, tmp_path):
    withdrawn = ["000_78a7ae6ba5b81e46.txt", "003_cdfe4f5fefb7849c.txt"]  # two of five: 40% of the reports
    inbox = _samples_inbox(tmp_path / "inbox", *withdrawn)

    done = _refresh(inbox, published_copy)
    assert done.returncode == 0, done.stderr
    assert _after_progress(done.stderr) == [] and _quiet(done.stdout + done.stderr), done.stdout + done.stderr
    assert "3 reports, 63 projects" in done.stdout
    assert f"removed since the last publish (their files left the inbox): {', '.join(withdrawn)}" in done.stdout
    assert read_attempt(WarehouseFiles(published_copy)).removed == withdrawn
    status = _status(published_copy)
    assert status.returncode == 0 and " PUBLISHED (run " in status.stdout.splitlines()[0]
    assert f"  removed since the last publish (their files left the inbox): {', '.join(withdrawn)}" in status.stdout


def test_half_the_reports_gone_blocks_and_the_published_file_stays(published_copy, tmp_path):
    gone = ["000_78a7ae6ba5b81e46.txt", "001_482cb6efc95f57e9.txt", "002_39e10e3528be362f.txt"]
    inbox = _samples_inbox(tmp_path / "inbox", *gone)
    before = published_copy.read_bytes()

    done = _refresh(inbox, published_copy)
    assert done.returncode == 1
    [line] = _after_progress(done.stderr)  # the cause, in one line
    assert line.startswith("error: nothing published (the published warehouse is untouched): the gate refused")
    assert "removed_reports=3, published_reports=5" in line and "rerun with --allow-shrink" in line
    assert _quiet(done.stdout + line.split("full log:")[0]), done.stdout + done.stderr
    log = WarehouseFiles(published_copy).refresh_log.read_text(encoding="utf-8")
    assert "dagster - ERROR" in log  # the tools' whole output is in the log file
    assert published_copy.read_bytes() == before
    status = _status(published_copy)
    assert " REFUSED (run " in status.stdout.splitlines()[0]
    assert f"gone from the inbox since the last publish (still published): {', '.join(gone)}" in status.stdout
    assert "5 reports, 78 projects" in status.stdout


def _dropping_an_indicator(read_report):
    """The reader as a parser regression would make it: the big report's longest project loses its last indicator."""

    def read(file):
        report = read_report(file)
        if file.source_file != BIG_REPORT:
            return report
        longest = max(report.projects, key=lambda p: len(p.indicators))
        projects = [replace(p, indicators=p.indicators[:-1]) if p is longest else p for p in report.projects]
        return replace(report, projects=projects)

    return read


def test_rows_lost_from_an_unchanged_file_block(published_copy, tmp_path, monkeypatch):
    inbox = _samples_inbox(tmp_path / "inbox")  # the very files published: forced, or "up to date"
    monkeypatch.setattr(ingestion.extract, "read_report", _dropping_an_indicator(ingestion.extract.read_report))
    before = published_copy.read_bytes()

    outcome = run_refresh(inbox, published_copy, force=True, output_log=tmp_path / "refresh.log")
    assert not outcome.published
    [failure] = outcome.gate_failures
    assert failure.startswith("Suite volume_per_report: expect_column_values_to_be_between on column indicators_lost")
    assert f"source_file='{BIG_REPORT}', change='unchanged'" in failure and "parser regression" in failure
    assert published_copy.read_bytes() == before
    assert run_refresh(
        inbox, published_copy, force=True, allow_shrink=True, output_log=tmp_path / "again.log"
    ).published
