"""Connections to the DuckLake: the refresh's writer, and read-only readers (optionally at a snapshot).

Why here: every connection must be opened the same way (extensions from the wheels, no auto-install, the S3
secret when the data is on S3, the catalog attached as ``lake`` and made the default database) for the
guarantees of docs/ducklake.md to hold. A reader's queries each see one committed snapshot; a reader that must
not move during a publish keeps a transaction open (BEGIN ... COMMIT) or pins a snapshot (``snapshot=``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb

from contract.errors import WarehouseError
from contract.settings import DuckLakeSettings
from publishing.connections import CLOSED_SETTINGS
from publishing.ducklake.extensions import load_extensions, needed_extensions

LAKE = "lake"
PUBLISHED_SCHEMA = "main"
CONNECT_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def literal(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def sqlite_catalog(settings: DuckLakeSettings) -> Path | None:
    """The catalog file when the catalog is SQLite; None for Postgres."""
    if settings.catalog.startswith("sqlite:"):
        return Path(settings.catalog.removeprefix("sqlite:")).expanduser().absolute()
    if settings.catalog.startswith("postgres:"):
        return None
    raise WarehouseError(
        f"BUDGET_DUCKLAKE_CATALOG={settings.catalog!r}: use sqlite:<file> or postgres:<connection string>"
    )


def catalog_url(settings: DuckLakeSettings) -> str:
    path = sqlite_catalog(settings)
    return f"ducklake:sqlite:{path}" if path is not None else f"ducklake:{settings.catalog}"


def use_wal(catalog_file: Path) -> None:
    """Put a SQLite catalog in WAL mode (kept in the file): readers then neither block a publish's commit
    ("database is locked") nor are blocked by it. Done once, by the writer; a no-op when already so."""
    con = sqlite3.connect(catalog_file, timeout=30)
    try:
        if con.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            con.execute("PRAGMA journal_mode=WAL")
    finally:
        con.close()


def data_path(settings: DuckLakeSettings) -> str:
    """The data path as DuckLake stores it: an absolute folder or an s3:// prefix, ending with '/'."""
    path = settings.data_path if settings.on_s3 else str(Path(settings.data_path).expanduser().absolute())
    return path if path.endswith("/") else path + "/"


def _create_s3_secret(con: duckdb.DuckDBPyConnection, settings: DuckLakeSettings) -> None:
    options = {
        "KEY_ID": settings.s3_key_id,
        "SECRET": settings.s3_secret,
        "REGION": settings.s3_region,
        "URL_STYLE": settings.s3_url_style,
    }
    if settings.s3_endpoint:
        options["ENDPOINT"] = settings.s3_endpoint
    body = ", ".join(f"{key} {literal(value)}" for key, value in options.items())
    con.execute(
        f"CREATE OR REPLACE SECRET budget_lake_s3 (TYPE s3, {body}, USE_SSL {str(settings.s3_use_ssl).lower()})"
    )


def attach(
    con: duckdb.DuckDBPyConnection,
    settings: DuckLakeSettings,
    alias: str = LAKE,
    *,
    read_only: bool,
    snapshot: int | None = None,
) -> None:
    """Attach the lake as ``alias``; a writer creates it when it does not exist yet (with its data in Parquet
    files only: no rows inlined into the catalog)."""
    options = [f"DATA_PATH {literal(data_path(settings))}"]
    if read_only:
        options.append("READ_ONLY")
    else:
        options.append("DATA_INLINING_ROW_LIMIT 0")
    if snapshot is not None:
        options.append(f"SNAPSHOT_VERSION {int(snapshot)}")
    try:
        con.execute(f"ATTACH {literal(catalog_url(settings))} AS {quote(alias)} ({', '.join(options)})")
    except duckdb.Error as error:
        raise WarehouseError(f"cannot attach the DuckLake {settings.catalog}: {str(error).splitlines()[0]}") from None


def connect_lake(
    settings: DuckLakeSettings, *, read_only: bool = True, snapshot: int | None = None
) -> duckdb.DuckDBPyConnection:
    """A connection with the lake attached as ``lake`` (the default database: ``SELECT * FROM dim_reports``).

    Readers (the default) are closed at the engine like the file's: read-only, no file but the lake's data, no
    extension install, settings locked. They never create anything: no lake yet is said in one line. ``snapshot``: read the lake as
    it was at that snapshot (a published version, ``publishing.ducklake.versions``).
    """
    catalog_file = sqlite_catalog(settings)
    if catalog_file is not None:
        if read_only and not catalog_file.is_file():
            raise WarehouseError(
                f"no DuckLake catalog at {catalog_file}: run `budget-etl refresh` with the lake configured first"
            )
        if not read_only:
            catalog_file.parent.mkdir(parents=True, exist_ok=True)
            use_wal(catalog_file)
    if not settings.on_s3 and not read_only:
        Path(data_path(settings)).mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(config=dict(CONNECT_CONFIG))
    try:
        load_extensions(con, needed_extensions(settings))
        if settings.on_s3:
            _create_s3_secret(con, settings)
        attach(con, settings, read_only=read_only, snapshot=snapshot)
        con.execute(f"USE {LAKE}")
        if read_only:
            # Closed as the file's readers are (publishing.connections): the lake's data and nothing else.
            con.execute(f"SET allowed_directories = [{literal(data_path(settings))}]")
            for setting in CLOSED_SETTINGS:
                con.execute(setting)
    except BaseException:
        con.close()
        raise
    return con


def published_tables(con: duckdb.DuckDBPyConnection, database: str, schema: str = PUBLISHED_SCHEMA) -> list[str]:
    """Base tables of ``database.schema`` (what the file export publishes too: publishing.export)."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? AND NOT temporary "
        "ORDER BY table_name",
        [database, schema],
    ).fetchall()
    return [name for (name,) in rows]


def current_snapshot(con: duckdb.DuckDBPyConnection, alias: str = LAKE) -> int:
    return con.execute(f"SELECT max(snapshot_id) FROM {quote(alias)}.snapshots()").fetchone()[0]
