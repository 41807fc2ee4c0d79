"""The DuckDB extensions DuckLake needs, loaded from their PyPI wheels: nothing is downloaded at run time.

Why: DuckDB would INSTALL ``ducklake``, ``sqlite_scanner``, ``postgres_scanner`` or ``httpfs`` from the network on
first use. Every lake connection turns auto-install and auto-load off and LOADs the files the
``duckdb-extension-*`` wheels (the ``ducklake`` extra of pyproject.toml) put into site-packages, at
``<package>/extensions/v<duckdb version>/<name>.duckdb_extension``. A missing wheel, or one built for another
DuckDB version, is refused in one line naming the package to install.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import duckdb

from contract.errors import WarehouseError
from contract.settings import DuckLakeSettings

# extension name -> the Python package of its wheel
WHEELS = {
    "ducklake": "duckdb_extension_ducklake",
    "sqlite_scanner": "duckdb_extension_sqlite_scanner",
    "postgres_scanner": "duckdb_extension_postgres_scanner",
    "httpfs": "duckdb_extension_httpfs",
}


def extension_file(name: str) -> Path:
    """The extension's file in its wheel, for the DuckDB version running."""
    package = WHEELS[name]
    wheel = f"duckdb-extension-{name.replace('_', '-')}=={duckdb.__version__}"
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise WarehouseError(f"the DuckLake backend needs the {name} extension: pip install '{wheel}'")
    path = Path(spec.origin).parent / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not path.is_file():
        raise WarehouseError(
            f"the installed {package} has no build for DuckDB {duckdb.__version__}: pip install '{wheel}'"
        )
    return path


def needed_extensions(settings: DuckLakeSettings) -> list[str]:
    """The catalog's scanner, httpfs for S3, then ducklake itself (which would otherwise autoload them)."""
    names = ["postgres_scanner" if settings.catalog.startswith("postgres:") else "sqlite_scanner"]
    if settings.on_s3:
        names.append("httpfs")
    return [*names, "ducklake"]


def load_extensions(con: duckdb.DuckDBPyConnection, names: list[str]) -> None:
    for name in names:
        path = str(extension_file(name)).replace("'", "''")
        con.execute(f"LOAD '{path}'")
