"""The extraction records a ``report_files`` partition only for a file whose outcome changed, or that
has no record in the instance it records into."""

from __future__ import annotations

from pathlib import Path

from dagster import DagsterInstance

from contract.files import WarehouseFiles
from ingestion.inbox import InboxFile
from orchestration.assets import REPORT_FILES_KEY
from orchestration.resources import WarehouseResource
from publishing.loading import ReportOutcome
from publishing.recorded_outcomes import remember_recorded, unrecorded
from tests.orchestration.extraction import NOT_A_REPORT, SAMPLES, run_extraction, small_inbox


def _extract(config: WarehouseResource, instance: DagsterInstance) -> dict:
    """One extraction step: the partitions it recorded, with their metadata."""
    result = run_extraction(config, instance)
    events = result.asset_materializations_for_node("extracted_reports")
    recorded = {m.partition: m.metadata for m in events if m.asset_key == REPORT_FILES_KEY}
    step = events[-1].metadata
    assert step["outcomes_recorded"].value == len(recorded)
    assert step["files"].value == 3  # the step's counts are of every file, recorded or not
    return recorded


def test_only_changed_outcomes_are_recorded_again(tmp_path):
    inbox = small_inbox(tmp_path / "inbox")
    config = WarehouseResource(inbox=str(inbox), warehouse=str(tmp_path / "warehouse" / "budget.duckdb"))

    assert set(_extract(config, DagsterInstance.ephemeral())) == {*SAMPLES, NOT_A_REPORT}
    assert _extract(config, DagsterInstance.ephemeral()) == {}
    # Another file content (one line more): the report's sha256 changed, it alone is recorded.
    edited = inbox / SAMPLES[1]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    recorded = _extract(config, DagsterInstance.ephemeral())
    assert set(recorded) == {SAMPLES[1]}
    assert recorded[SAMPLES[1]]["loaded"].value is True
    assert recorded[SAMPLES[1]]["read_from_cache"].value is False

    # An instance that keeps its records (DAGSTER_HOME) has none of them yet: every file is recorded
    # there, then none, until its records are gone.
    (tmp_path / "dagster-home").mkdir()
    with DagsterInstance.local_temp(str(tmp_path / "dagster-home")) as instance:
        assert set(_extract(config, instance)) == {*SAMPLES, NOT_A_REPORT}
        assert _extract(config, instance) == {}
        instance.wipe_assets([REPORT_FILES_KEY])
        assert set(_extract(config, instance)) == {*SAMPLES, NOT_A_REPORT}


def _outcome(name: str, sha: str, reason: str | None = None) -> ReportOutcome:
    return ReportOutcome(InboxFile(Path(name), name, sha, None, None), reason is None, reason, True)


def test_a_file_that_left_the_inbox_is_recorded_again_when_it_returns(tmp_path):
    state = WarehouseFiles(tmp_path / "budget.duckdb").recorded_outcomes
    a, b = _outcome("a.pdf", "1" * 64), _outcome("b.pdf", "2" * 64)
    assert unrecorded([a, b], state, "home") == [a, b]
    remember_recorded([a, b], state, "home")
    assert unrecorded([a, b], state, "home") == []
    assert unrecorded([a, b], state, "another home") == [a, b]
    quarantined = _outcome("a.pdf", "1" * 64, "a.pdf: failed the report gate: …")
    assert unrecorded([quarantined, b], state, "home") == [quarantined]
    remember_recorded([a], state, "home")  # b left the inbox
    assert unrecorded([a, b], state, "home") == [b]
