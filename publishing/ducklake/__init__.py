"""The optional DuckLake backend: the published tables also as a lake (catalog in SQLite or Postgres, data as
Parquet in a folder or S3-compatible storage), with the same write-audit-publish as the file.

Why a package of its own: the DuckDB file stays the default and the export for BI clients; everything the lake
needs (extensions loaded from wheels, the catalog attach, staging, the one-transaction publish, snapshots for
rollback) lives here and is used only when ``contract.settings.ducklake_from_env`` says so (docs/ducklake.md).

- ``extensions``: the DuckDB extensions from their PyPI wheels, never downloaded at run time;
- ``lake``: connections, a writer's and read-only ones (optionally pinned to a snapshot);
- ``publish``: stage the gated candidate in a schema of its own, audit it, publish it in one transaction;
- ``versions``: the published snapshots and rollback to one of them.
"""
