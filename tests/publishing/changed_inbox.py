"""The samples published, then the next night's inbox published over them through the real pipeline.

The next inbox: report 003 withdrawn (6 projects, 495.00 万元), report 001 re-issued with one project's
amounts raised (工作经费 12.00 -> 15.00 万元, its 合计 and unit rows with it) and a 2024 edition of
report 000 added (9 projects, 49.00 万元). Used by the change-feed tests of publishing/ and budget_etl/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from contract.settings import SAMPLES_DIR
from orchestration.run import run_refresh

REMOVED = "003_cdfe4f5fefb7849c.txt"
EDITED = "001_482cb6efc95f57e9.txt"
ADDED = "000_2024.txt"
_EDITS = (
    ("合计\t642.39\t642.39", "合计\t645.39\t645.39"),
    ("广州市工商业联合会\t563.39\t563.39", "广州市工商业联合会\t566.39\t566.39"),
    ("工作经费\t12.00\t12.00", "工作经费\t15.00\t15.00"),
)


def next_inbox(target: Path) -> Path:
    shutil.copytree(SAMPLES_DIR, target)
    (target / REMOVED).unlink()
    edited = target / EDITED
    text = edited.read_text(encoding="utf-8")
    for before, after in _EDITS:
        assert text.count(before) == 1, before
        text = text.replace(before, after)
    edited.write_text(text, encoding="utf-8")
    # Another year of report 000: the same text (one more line break, so another file) under 2024.
    (target / ADDED).write_text((SAMPLES_DIR / "000_78a7ae6ba5b81e46.txt").read_text(encoding="utf-8") + "\n")
    with open(target / "manifest.csv", "a", encoding="utf-8") as manifest:
        manifest.write(f"{ADDED},2024\n")
    return target


def publish_next_night(samples_warehouse: Path, root: Path) -> Path:
    """A copy of the samples warehouse (alone in root/warehouse/) refreshed from the next inbox."""
    warehouse = root / "warehouse" / "budget.duckdb"
    warehouse.parent.mkdir(parents=True)
    shutil.copy2(samples_warehouse, warehouse)
    outcome = run_refresh(next_inbox(root / "inbox"), warehouse, force=True)
    assert outcome.published, outcome.cause
    return warehouse
