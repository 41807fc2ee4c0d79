"""The refresh progress reporter: plain log lines off a terminal, a rich bar on one."""

from __future__ import annotations

import io

import pytest

from budget_etl.progress import RefreshProgress


class FakeClock:
    def __init__(self, *times: float) -> None:
        self.times = list(times)

    def __call__(self) -> float:
        return self.times.pop(0)


class TtyStream(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_when_not_a_tty():
    stream = io.StringIO()  # isatty() is False, like a pipe or a log file
    progress = RefreshProgress(stream, clock=FakeClock(10.0, 12.5))
    assert progress.interactive is False
    progress.start(3)
    progress.advance("000.txt", None, "5 projects")
    progress.advance("004.pdf", 6, "quarantined: no target table")
    progress.advance("005.pdf", 1)
    progress.finish()
    assert stream.getvalue().splitlines() == [
        "extracted 1/3 files: 000.txt (5 projects)",
        "extracted 2/3 files: 004.pdf, 6 pages (quarantined: no target table)",
        "extracted 3/3 files: 005.pdf, 1 page",
        "extracted 3 files, 7 pages in 2.5s",
    ]
    assert (progress.files_done, progress.pages_done) == (3, 7)


def test_rich_bar_on_a_tty():
    stream = TtyStream()
    progress = RefreshProgress(stream, clock=FakeClock(0.0, 1.0))
    assert progress.interactive is True
    progress.start(5)
    progress.advance("001.txt", 0, "17 projects")
    progress.advance("002.pdf", 4, "9 projects")
    progress.finish()
    out = stream.getvalue()
    assert "\x1b[" in out  # terminal control sequences: a redrawn bar, not log lines
    assert "extracted 1/5" not in out
    assert "2/5" in out and "4 pages" in out and "002.pdf (9 projects)" in out
    assert "extracting" in out
    assert out.rstrip().endswith("extracted 2 files, 4 pages in 1.0s")


def test_stream_defaults_follow_isatty():
    assert RefreshProgress(TtyStream()).interactive is True
    assert RefreshProgress(io.StringIO()).interactive is False
    assert RefreshProgress(TtyStream(), interactive=False).interactive is False


def test_misuse_is_refused_and_finish_is_idempotent():
    progress = RefreshProgress(io.StringIO(), clock=FakeClock(0.0, 0.0))
    with pytest.raises(RuntimeError, match="before start"):
        progress.advance("a.txt")
    progress.finish()  # nothing started: no output, no error
    progress.start(1)
    with pytest.raises(RuntimeError, match="twice"):
        progress.start(1)
    with pytest.raises(ValueError):
        RefreshProgress(io.StringIO()).start(-1)


def test_context_manager_closes_the_bar_on_error():
    stream = TtyStream()
    with pytest.raises(KeyError), RefreshProgress(stream, clock=FakeClock(0.0, 0.5)) as progress:
        progress.start(2)
        progress.advance("a.txt", None, "1 projects")
        raise KeyError("boom")
    assert stream.getvalue().rstrip().endswith("extracted 1 file in 0.5s")


def test_file_names_are_not_read_as_markup():
    stream = TtyStream()
    progress = RefreshProgress(stream, clock=FakeClock(0.0, 0.0))
    progress.start(1)
    progress.advance("report[bold]2025.pdf", 2, "3 projects")
    progress.finish()
    assert "report[bold]2025.pdf (3 projects)" in stream.getvalue()


def test_the_pipeline_finds_the_cli_reporter_through_current():
    from contract import progress as progress_module

    progress_module.current().advance("ignored.txt", 1, "no reporter: a no-op")  # outside any run
    stream = io.StringIO()
    with progress_module.reporting(RefreshProgress(stream, clock=FakeClock(0.0, 1.0))) as progress:
        step_view = progress_module.current()  # what the Dagster step sees
        assert step_view is progress
        step_view.start(1)
        step_view.advance("000.txt", None, "9 projects")
    assert progress_module.current() is not progress
    assert stream.getvalue().splitlines() == ["extracted 1/1 files: 000.txt (9 projects)", "extracted 1 file in 1.0s"]
