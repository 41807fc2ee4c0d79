"""`make serve`'s first step: reach the Postgres the instance names, or say in one line why not.

Without it, an unreachable or misnamed database shows up as a stack of Dagster and SQLAlchemy
tracebacks from two processes at once; here it is one line naming the server and the variables
to set (orchestration/deploy/dagster.yaml reads the same ones).
"""

from __future__ import annotations

import os
import sys

import psycopg2

VARIABLES = ("DAGSTER_PG_HOST", "DAGSTER_PG_PORT", "DAGSTER_PG_USER", "DAGSTER_PG_PASSWORD", "DAGSTER_PG_DB")


def main() -> int:
    missing = [name for name in VARIABLES if name not in os.environ]
    if missing:
        print(f"make serve: set {', '.join(missing)} (docs/deployment.md)", file=sys.stderr)
        return 2
    env = os.environ
    where = f"{env['DAGSTER_PG_USER']}@{env['DAGSTER_PG_HOST']}:{env['DAGSTER_PG_PORT']}/{env['DAGSTER_PG_DB']}"
    try:
        psycopg2.connect(
            host=env["DAGSTER_PG_HOST"],
            port=env["DAGSTER_PG_PORT"],
            user=env["DAGSTER_PG_USER"],
            password=env["DAGSTER_PG_PASSWORD"],
            dbname=env["DAGSTER_PG_DB"],
            connect_timeout=5,
        ).close()
    except psycopg2.Error as error:
        cause = " ".join(str(error).split())
        print(
            f"make serve: cannot connect to Postgres {where}: {cause}; "
            "set DAGSTER_PG_HOST/PORT/USER/PASSWORD/DB (docs/deployment.md)",
            file=sys.stderr,
        )
        return 1
    print(f"Dagster instance in Postgres {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
