"""Run by the BI client venv's interpreter (DuckDB 1.4 + duckdb-engine + SQLAlchemy), not by pytest.

Opens a warehouse the way Superset does (a SQLAlchemy URI with access_mode=read_only), reflects
every table, runs a join, and checks a write is refused. Prints one JSON object. Imports nothing
from the project: this venv has only the three client packages.

usage: python bi_client_probe.py /abs/path/budget.duckdb
"""

import json
import sys
import warnings

import duckdb
import sqlalchemy as sa

# "duckdb-engine doesn't yet support reflection on indices": expected, the marts have no indexes.
warnings.filterwarnings("ignore", message=".*reflection on indices")
path = sys.argv[1]
engine = sa.create_engine(f"duckdb:///{path}?access_mode=read_only")
result = {"duckdb": duckdb.__version__, "sqlalchemy": sa.__version__}
with engine.connect() as con:
    inspector = sa.inspect(con)
    result["tables"] = sorted(inspector.get_table_names(schema="main"))
    metadata = sa.MetaData()
    metadata.reflect(bind=con, schema="main")
    result["reflected"] = {t.name: [c.name for c in t.columns] for t in metadata.sorted_tables}
    funding = metadata.tables["main.fct_project_funding"]
    departments = metadata.tables["main.dim_departments"]
    query = (
        sa.select(departments.c.department_name, sa.func.sum(funding.c.total_amount).label("total"))
        .join(funding, funding.c.department_key == departments.c.department_key)
        .group_by(departments.c.department_name)
        .order_by(departments.c.department_name)
    )
    result["join"] = [[name, None if total is None else str(total)] for name, total in con.execute(query)]
    result["access_mode"] = con.execute(sa.text("SELECT current_setting('access_mode')")).scalar()
    try:
        con.execute(sa.text("CREATE TABLE main.scratch (x INTEGER)"))
        result["write"] = "allowed"
    except sa.exc.DBAPIError as error:
        result["write"] = "refused: " + str(error.orig).splitlines()[0]
print(json.dumps(result, ensure_ascii=False))
