"""The published versions of the DuckLake (its snapshots) and rollback to one of them.

Why snapshots: DuckLake keeps every committed snapshot and its Parquet files (the product never expires them), so an
earlier published version is read back with time travel rather than kept as a copy. A publish and a rollback each
commit one snapshot whose commit message says what it is (``publishing.ducklake.publish``):

- ``publish <run>``: extra_info {"kind": "publish", "run_id": ...};
- ``rollback to <snapshot>``: extra_info {"kind": "rollback", "restored": <snapshot>, "run_id": ...}.

Rollback publishes, in one transaction, the tables of ``main`` as they were at an earlier publish snapshot: readers
see the current version or the restored one whole. Repeated rollbacks walk further back, as the file's do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import duckdb

from contract.errors import WarehouseError
from contract.settings import DuckLakeSettings
from publishing.ducklake.lake import LAKE, attach, connect_lake, current_snapshot, published_tables
from publishing.ducklake.publish import AUTHOR, clean_leftovers, replace_published, set_commit_message

RESTORED = "lake_restored"


@dataclass(frozen=True)
class LakeVersion:
    snapshot_id: int
    committed_at: datetime
    kind: str  # publish | rollback
    run_id: str
    restored: int | None  # for a rollback, the publish snapshot it put back

    @property
    def origin(self) -> int:
        """The publish snapshot whose tables this version holds."""
        return self.restored if self.restored is not None else self.snapshot_id


def published_versions(con: duckdb.DuckDBPyConnection) -> list[LakeVersion]:
    """Every publish and rollback snapshot of the lake, newest first."""
    rows = con.execute(
        f"SELECT snapshot_id, snapshot_time, commit_extra_info FROM {LAKE}.snapshots() WHERE author = ? ORDER BY snapshot_id DESC",
        [AUTHOR],
    ).fetchall()
    versions = []
    for snapshot_id, committed_at, extra in rows:
        info = json.loads(extra or "{}")
        versions.append(
            LakeVersion(
                snapshot_id, committed_at, info.get("kind", "publish"), info.get("run_id", ""), info.get("restored")
            )
        )
    return versions


def rollback_lake(settings: DuckLakeSettings, *, to_snapshot: int | None = None) -> LakeVersion:
    """Publish the previous version again (or the publish snapshot ``to_snapshot``); returns the new version.

    The caller holds the warehouse's refresh lock (one writer). Refused in one line when there is nothing earlier.
    """
    con = connect_lake(settings, read_only=False)
    try:
        versions = published_versions(con)
        if not versions:
            raise WarehouseError(f"the DuckLake {settings.catalog} has no published version: nothing to roll back")
        publishes = {v.snapshot_id: v for v in versions if v.kind == "publish"}
        if to_snapshot is None:
            earlier = [s for s in publishes if s < versions[0].origin]
            if not earlier:
                raise WarehouseError(
                    f"no version of the DuckLake was published before snapshot {versions[0].origin}: nothing to roll back to"
                )
            to_snapshot = max(earlier)
        if to_snapshot not in publishes:
            raise WarehouseError(f"snapshot {to_snapshot} of the DuckLake is not a published version")
        target = publishes[to_snapshot]
        clean_leftovers(con)
        attach(con, settings, RESTORED, read_only=True, snapshot=target.snapshot_id)
        tables = published_tables(con, RESTORED)
        con.execute("BEGIN")
        set_commit_message(
            con,
            f"rollback to {target.snapshot_id}",
            {"kind": "rollback", "restored": target.snapshot_id, "run_id": target.run_id},
        )
        replace_published(con, RESTORED, "main", tables, comments_from=(RESTORED, "main"))
        con.execute("COMMIT")
        snapshot = current_snapshot(con)
        return next(v for v in published_versions(con) if v.snapshot_id == snapshot)
    except duckdb.Error as error:
        raise WarehouseError(
            f"rolling back the DuckLake {settings.catalog} failed, its published snapshot is unchanged: "
            f"{str(error).splitlines()[0]}"
        ) from error
    finally:
        con.close()
