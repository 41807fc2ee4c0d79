"""Run dbt against a copy of the published warehouse, while developing models (`make dbt ARGS=...`).

    .venv/bin/python scripts/dbt_dev.py build                 # dbt build into the copy
    .venv/bin/python scripts/dbt_dev.py test --select fct_project_funding
    .venv/bin/python scripts/dbt_dev.py docs generate         # then: dbt docs serve (same variables)
    .venv/bin/python scripts/dbt_dev.py --fresh build         # copy the published file again first

dbt_project/profiles.yml writes where BUDGET_DBT_DB_PATH points and refuses to build without it,
so that no dbt command ever touches the published file BI tools read. This script copies the
published warehouse (BUDGET_WAREHOUSE, default warehouse/budget.duckdb; it holds the raw.* tables
dbt stages from) to dbt_project/target/dev.duckdb once, and runs dbt in dbt_project with the
variable set to that copy. Arguments after the options go to dbt, with ``--full-refresh`` added to
``build`` and ``run``: an incremental model (int_indicators) would otherwise keep the copy's rows of
every unchanged report, built by the SQL before your edit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from contract.settings import DBT_PROJECT_DIR, warehouse_from_env  # noqa: E402

DBT_DB_PATH_ENV = "BUDGET_DBT_DB_PATH"  # the variable dbt_project/profiles.yml reads
DEFAULT_DEV_DB = DBT_PROJECT_DIR / "target" / "dev.duckdb"


def dev_copy(published: Path, dev_db: Path, *, fresh: bool) -> Path:
    if not published.exists():
        raise SystemExit(f"{published} does not exist: run `make run` (or budget-etl refresh) first")
    if fresh or not dev_db.exists():
        dev_db.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(published, dev_db)
        print(f"copied {published} to {dev_db}", file=sys.stderr)
    return dev_db


def with_full_refresh(dbt_args: list[str]) -> list[str]:
    if dbt_args[0] in ("build", "run") and "--full-refresh" not in dbt_args:
        return [*dbt_args, "--full-refresh"]
    return dbt_args


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--warehouse", type=Path, default=None, help="published file to copy (default: BUDGET_WAREHOUSE)"
    )
    parser.add_argument("--db", type=Path, default=DEFAULT_DEV_DB, help=f"the dev copy (default: {DEFAULT_DEV_DB})")
    parser.add_argument("--fresh", action="store_true", help="copy the published file again")
    args, dbt_args = parser.parse_known_args(argv)
    if not dbt_args:
        parser.error("give a dbt command, e.g. build, test or docs generate")
    published = (args.warehouse or warehouse_from_env()).expanduser().resolve()
    dev_db = dev_copy(published, args.db.expanduser().resolve(), fresh=args.fresh)
    dbt = Path(sys.executable).with_name("dbt")
    command = [
        str(dbt) if dbt.exists() else "dbt",
        *with_full_refresh(dbt_args),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
    ]
    env = {**os.environ, DBT_DB_PATH_ENV: str(dev_db)}
    return subprocess.run(command, cwd=DBT_PROJECT_DIR, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
