"""Progress of a refresh's extraction step, shown the way the terminal can show it.

On an interactive terminal a rich progress bar (files done / total, pages read so far); anywhere
else (cron, CI, a pipe into a log file) one plain line per file, because a redrawn bar turns into
kilobytes of control characters in a log:

    extracted 3/5 files: 001.txt (17 projects)
    extracted 4/5 files: 004.pdf, 6 pages (quarantined: no target table)
    extracted 5 files, 23 pages in 2.4s

The reporter only formats and writes; it holds no pipeline logic, so the caller (the CLI, a Dagster
op running in-process) decides what a "note" says.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)


class RefreshProgress:
    """start(total_files), then advance(...) once per file, then finish().

    stream defaults to sys.stderr (progress is not output: stdout stays clean for pipes);
    interactive defaults to stream.isatty(). clock is injectable so tests get exact durations.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        interactive: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream if stream is not None else sys.stderr
        if interactive is None:
            isatty = getattr(self._stream, "isatty", None)
            interactive = bool(isatty and isatty())
        self.interactive = interactive
        self._clock = clock
        self._progress: Progress | None = None
        self._task_id = None
        self._started_at: float | None = None
        self.total_files = 0
        self.files_done = 0
        self.pages_done = 0

    # The three calls the pipeline makes --------------------------------------------------------

    def start(self, total_files: int) -> None:
        if total_files < 0:
            raise ValueError(f"total_files must be >= 0, got {total_files}")
        if self._started_at is not None:
            raise RuntimeError("start() called twice; call finish() first")
        self.total_files, self.files_done, self.pages_done = total_files, 0, 0
        self._started_at = self._clock()
        if self.interactive:
            console = Console(file=self._stream, force_terminal=True, highlight=False)
            self._progress = Progress(
                TextColumn("[bold]extracting[/]"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("files"),
                TextColumn("{task.fields[pages]} pages"),
                TimeElapsedColumn(),
                TextColumn("{task.fields[last]}"),
                console=console,
                transient=False,
                # Redraw only when something happened: deterministic output, no timer thread.
                auto_refresh=False,
            )
            self._progress.start()
            self._task_id = self._progress.add_task("extract", total=total_files, pages=0, last="")
            self._progress.refresh()

    def advance(self, source_file: str, pages: int | None = None, note: str | None = None) -> None:
        """One more file handled. pages: pages read (None or 0 for text files); note: e.g. "17 projects"."""
        if self._started_at is None:
            raise RuntimeError("advance() before start()")
        self.files_done += 1
        self.pages_done += pages or 0
        if self._progress is not None:
            # File names like "report[2025].pdf" must not be read as rich markup.
            last = escape(source_file + (f" ({note})" if note else ""))
            self._progress.update(self._task_id, advance=1, pages=self.pages_done, last=last)
            self._progress.refresh()
        else:
            self._write(self.plain_line(source_file, pages, note))

    def finish(self) -> None:
        if self._started_at is None:
            return  # nothing started (e.g. the refresh failed before extraction): nothing to close
        elapsed = self._clock() - self._started_at
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        pages = f", {self.pages_done} pages" if self.pages_done else ""
        self._write(f"extracted {self.files_done} {_plural(self.files_done, 'file')}{pages} in {elapsed:.1f}s")
        self._started_at = None

    # Formatting ---------------------------------------------------------------------------------

    def plain_line(self, source_file: str, pages: int | None, note: str | None) -> str:
        where = f"{source_file}, {pages} {_plural(pages, 'page')}" if pages else source_file
        return f"extracted {self.files_done}/{self.total_files} files: {where}" + (f" ({note})" if note else "")

    def _write(self, line: str) -> None:
        self._stream.write(line + "\n")
        self._stream.flush()

    # Usable as a context manager so that an exception mid-refresh still closes the bar.
    def __enter__(self) -> RefreshProgress:
        return self

    def __exit__(self, *exc_info) -> None:
        self.finish()


def _plural(n: int | None, word: str) -> str:
    return word if n == 1 else word + "s"
