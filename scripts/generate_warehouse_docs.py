"""Regenerate docs/warehouse.md (the data dictionary) from the dbt project's YAML descriptions.

    .venv/bin/python scripts/generate_warehouse_docs.py            # rewrite docs/warehouse.md
    .venv/bin/python scripts/generate_warehouse_docs.py --check    # exit 1 if it is out of date

The manifest is parsed fresh into a temporary folder (dbt parse, no database needed), so the
dictionary always reflects the YAML as it is now, and dbt_project/target is left alone.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from budget_etl.dictionary import describe, render_markdown  # noqa: E402
from contract.settings import DBT_PROJECT_DIR  # noqa: E402

DOC = REPO_ROOT / "docs" / "warehouse.md"


def parse_manifest(target_dir: Path) -> Path:
    """dbt parse into target_dir; returns the manifest path."""
    dbt = Path(sys.executable).with_name("dbt")
    env = {**os.environ, "BUDGET_DBT_DB_PATH": str(target_dir / "parse.duckdb")}
    subprocess.run(
        [
            str(dbt),
            "parse",
            "--quiet",
            "--profiles-dir",
            ".",
            "--no-partial-parse",
            "--target-path",
            str(target_dir),
            "--log-path",
            str(target_dir / "logs"),
        ],
        cwd=DBT_PROJECT_DIR,
        env=env,
        check=True,
    )
    return target_dir / "manifest.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that docs/warehouse.md is up to date")
    parser.add_argument("--manifest", type=Path, help="use this manifest.json instead of parsing the project")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="warehouse-docs-") as tmp:
        manifest = args.manifest or parse_manifest(Path(tmp))
        text = render_markdown(describe(manifest))
    if args.check:
        if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
            print(
                f"{DOC.relative_to(REPO_ROOT)} is out of date: run scripts/generate_warehouse_docs.py", file=sys.stderr
            )
            return 1
        return 0
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
