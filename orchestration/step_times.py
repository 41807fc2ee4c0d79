"""How long each step of a refresh run took, from its Dagster event log, recorded with the attempt.

A refresh of a few reports costs one to two minutes, almost all of it fixed cost spread over the
steps (extraction, raw tables, dbt, sealing, the gate, the publish, the Parquet export): the times per
step, in the order they ran, show where, and ``make bench`` prints them (benchmarks/refresh.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from dagster import DagsterEventType, EventLogEntry

_ENDS = {DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE}


def step_seconds(entries: Iterable[EventLogEntry]) -> dict[str, float]:
    """{step key: wall seconds from its start to its end}, in the order the steps started; a step that
    never ended (the run was killed) is left out. ``startup``: from the run's start to its first step."""
    started: dict[str, float] = {}
    ended: dict[str, float] = {}
    run_started: float | None = None
    for entry in entries:
        event = entry.dagster_event
        if event is None:
            continue
        if event.event_type == DagsterEventType.RUN_START:
            run_started = entry.timestamp
        elif event.event_type == DagsterEventType.STEP_START and event.step_key:
            started.setdefault(event.step_key, entry.timestamp)
        elif event.event_type in _ENDS and event.step_key:
            ended[event.step_key] = entry.timestamp
    seconds = {}
    if run_started is not None and started:
        seconds["startup"] = round(min(started.values()) - run_started, 3)
    for key, start in sorted(started.items(), key=lambda item: item[1]):
        if key in ended:
            seconds[key] = round(ended[key] - start, 3)
    return seconds
