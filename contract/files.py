"""The files around one published warehouse, all named after it.

Everything the product writes for a warehouse ``<dir>/<stem>.duckdb`` lives in ``<dir>``: its state
folder ``.<stem>/`` (candidates, caches, archive, versions, logs), its Parquet export
``<stem>_parquet/`` and its HTML report ``<stem>_report.html``. Two warehouses can therefore
share a folder, and the atomic swap (os.replace) always stays on one filesystem.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# The name of every warehouse's dbt build link (WarehouseFiles.dbt_build_link): dbt's manifest names
# the database after it, so one parse fits every warehouse (orchestration/dbt_profile.py).
DBT_BUILD_LINK_NAME = "dbt-build.duckdb"


@dataclass(frozen=True)
class WarehouseFiles:
    """The paths around one published warehouse file."""

    published: Path

    @property
    def directory(self) -> Path:
        return self.published.parent

    @property
    def stem(self) -> str:
        return self.published.stem

    @property
    def state_dir(self) -> Path:
        """Working files of the pipeline, hidden next to the published file."""
        return self.directory / f".{self.stem}"

    def candidate(self, run_id: str) -> Path:
        return self.state_dir / f"candidate-{run_id}.duckdb"

    @property
    def extracted_dir(self) -> Path:
        """Parsed reports cached by content hash and parser version."""
        return self.state_dir / "extracted"

    @property
    def archive_dir(self) -> Path:
        """Every loaded source file, stored by sha256."""
        return self.state_dir / "archive"

    @property
    def versions_dir(self) -> Path:
        """Previously published warehouses, for rollback."""
        return self.state_dir / "versions"

    @property
    def rolled_back_dir(self) -> Path:
        """Published files moved aside by a rollback (kept, never deleted by it)."""
        return self.state_dir / "rolled_back"

    @property
    def docs_dir(self) -> Path:
        """Great Expectations Data Docs of each run."""
        return self.state_dir / "data_docs"

    @property
    def logs_dir(self) -> Path:
        return self.state_dir / "logs"

    @property
    def refresh_log(self) -> Path:
        """The tools' own output (dbt, Dagster) of the last refresh."""
        return self.logs_dir / "last-refresh.log"

    @property
    def inbox_hashes(self) -> Path:
        """Inbox files' content hashes by their stat (``ingestion.hash_cache``): a no-op scan reads no file."""
        return self.state_dir / "inbox-hashes.json"

    @property
    def sensor_inbox_state(self) -> Path:
        """Each inbox file's sha256 as the inbox sensor last recorded it (``orchestration.sensors``).

        Kept here rather than in the sensor's Dagster cursor: Dagster stores the cursor with the
        sensor's state and again in every tick row, skipped ticks included (one a minute, kept for
        days), so a cursor of every file grew the instance by the inbox's size a minute. The cursor
        is now only a 64-character digest of this state; the file is read and rewritten (atomically)
        only on a tick that found a change, to say what changed.
        """
        return self.state_dir / "sensor-inbox-state.json"

    @property
    def recorded_outcomes(self) -> Path:
        """Each inbox file's outcome as the refresh last recorded it as a ``report_files`` partition
        (``publishing.recorded_outcomes``): only files whose outcome changed are recorded again."""
        return self.state_dir / "recorded-outcomes.json"

    @property
    def dbt_target_dir(self) -> Path:
        return self.state_dir / "dbt-target"

    @property
    def dbt_build_link(self) -> Path:
        """The one path dbt builds through: a link to the run's candidate (``publishing.candidate``).

        dbt's profile names the file it writes; a path that never changes keeps the profile, and so
        dbt's partial parsing (its saved parse in ``dbt_target_dir``), valid from one run to the next.
        """
        return self.state_dir / DBT_BUILD_LINK_NAME

    @property
    def lock_file(self) -> Path:
        return self.state_dir / "refresh.lock"

    @property
    def parquet_dir(self) -> Path:
        """The Parquet export of the published tables (default target of `export`)."""
        return self.directory / f"{self.stem}_parquet"

    @property
    def report_html(self) -> Path:
        """The offline HTML report (default target of `report`)."""
        return self.directory / f"{self.stem}_report.html"
