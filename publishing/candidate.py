"""A run's candidate warehouse: created empty or as a copy of the published file, filled by the loader
and dbt, sealed for the gate.

What a crash (kill -9, power loss) can leave behind is removed by the next refresh under the lock
(``remove_stale_files``): candidate files with their .wal and gate record, dbt's link to the
candidate (``link_dbt_build``) with its .wal, and half-written temporary files (``contract.atomic.TMP_PREFIX``) in the archive, the caches and versions/.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb

from contract.atomic import TMP_PREFIX
from contract.errors import WarehouseError
from contract.files import WarehouseFiles
from contract.settings import PUBLISHED_SCHEMA, STORAGE_COMPATIBILITY_VERSION
from publishing.change_feed import write_change_feed
from publishing.connections import META_TABLE
from publishing.disk import check_free_space, plain_write_errors


def wal_of(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def create_candidate(files: WarehouseFiles, run_id: str, *, start_from: Path | None = None) -> Path:
    """A new DuckDB file for this run, in the storage format DuckDB 1.4 clients can open: empty, or a
    copy of ``start_from`` (the published file, when this very code built it: the loader then keeps the
    raw rows that stay and dbt's incremental tables are already there; publishing/loading.py).

    Refuses (DiskProblem) when the disk lacks room for a build: better than dying half-way.
    """
    path = files.candidate(run_id)
    check_free_space(files)
    if start_from is None:
        new_database_file(path)
    else:
        copy_database_file(start_from, path)
    return path


def copy_database_file(source: Path, path: Path) -> None:
    """A copy of the DuckDB file ``source`` at ``path`` (replacing any left there); ``source`` is only read.
    A published file is sealed (``seal``: checkpointed, no write-ahead log), so the file is all of it."""
    with plain_write_errors(path.parent):
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in (path, wal_of(path)):
            stale.unlink(missing_ok=True)
        shutil.copyfile(source, path)


def new_database_file(path: Path) -> None:
    """An empty DuckDB file at ``path`` (replacing any left there) in the warehouse's storage format."""
    with plain_write_errors(path.parent):
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in (path, wal_of(path)):
            stale.unlink(missing_ok=True)
        con = duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_COMPATIBILITY_VERSION})
        con.close()


def link_dbt_build(files: WarehouseFiles, candidate: Path) -> Path:
    """Hard-link ``files.dbt_build_link`` to ``candidate`` and return it, for dbt to build through.

    A hard link, not a symbolic one: DuckDB names the catalog after the file it opens and would
    follow a symbolic link to the candidate's name, which is not the one in dbt's profile. DuckDB
    keeps a write-ahead log beside the path it was given: one left there by a dbt that was killed
    belongs to an earlier candidate and is removed first, never replayed into this one.
    """
    link = files.dbt_build_link
    with plain_write_errors(link.parent):
        wal_of(link).unlink(missing_ok=True)
        staged = link.with_name(f"{TMP_PREFIX}{link.name}")
        staged.unlink(missing_ok=True)
        os.link(candidate, staged)
        os.replace(staged, link)
    return link


def unlink_dbt_build(files: WarehouseFiles) -> None:
    """Remove dbt's link once its build is over, so the candidate is one file again.

    A write-ahead log left beside the link would hold writes that opening the candidate by its own
    path does not see; DuckDB checkpoints on a clean close, so there is none unless dbt died.
    """
    link = files.dbt_build_link
    if wal_of(link).exists():
        raise WarehouseError(f"dbt left a write-ahead log at {wal_of(link)}: its build did not close cleanly")
    link.unlink(missing_ok=True)


def seal(path: Path, meta: dict, *, published: Path | None = None) -> None:
    """Record what this build is and leave a single self-contained file (no .wal beside it).

    ``published``: the file this build will replace; its change feed against it is written first
    (publishing.change_feed), so the gate checks the file as it will be published.
    """
    with plain_write_errors(path.parent):
        con = duckdb.connect(str(path))
        try:
            if published is not None:
                meta = {**meta, **write_change_feed(con, published, str(meta.get("run_id", "")))}
            table = f"{PUBLISHED_SCHEMA}.{META_TABLE}"
            con.execute(f"CREATE OR REPLACE TABLE {table} (key VARCHAR PRIMARY KEY, value VARCHAR)")
            con.executemany(
                f"INSERT INTO {table} VALUES (?, ?)",
                [[k, v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)] for k, v in meta.items()],
            )
            con.execute("CHECKPOINT")
        finally:
            con.close()
    if wal_of(path).exists():
        raise WarehouseError(f"candidate {path} still has a write-ahead log after checkpoint")


def remove_stale_files(files: WarehouseFiles, keep: Path | None = None) -> list[Path]:
    """Everything a crashed or failed refresh can leave (only call while holding the lock)."""
    removed: list[Path] = []
    if not files.state_dir.exists():
        return removed
    keep_names = {keep.name, keep.name + ".wal", keep.name + ".gate.json"} if keep is not None else set()
    for path in files.state_dir.glob("candidate-*"):
        if path.name not in keep_names and path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    link = files.dbt_build_link
    for path in (link, wal_of(link), link.with_name(f"{TMP_PREFIX}{link.name}")):
        if path.exists():
            path.unlink(missing_ok=True)
            removed.append(path)
    for folder in (files.archive_dir, files.extracted_dir, files.versions_dir):
        if folder.exists():
            for path in folder.rglob(f"{TMP_PREFIX}*"):
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed
