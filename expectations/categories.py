"""Allowed indicator category codes, read from the dbt seed (the one source of truth for codes)."""

from __future__ import annotations

import csv
from pathlib import Path

from contract.settings import DBT_SEEDS_DIR

CATEGORY_SEED = DBT_SEEDS_DIR / "indicator_categories.csv"


class CategorySeedError(Exception):
    """The seed is missing or unusable; the message says which and why."""


def level1_codes(seed: Path = CATEGORY_SEED) -> list[str]:
    """The ``category_code`` of every level-1 row of the seed, as text ("1", "2", ...), sorted.

    Codes are compared as text because the raw tables keep them as printed (VARCHAR) while a mart
    may type them as integers; the gate casts the warehouse column to text too.
    """
    if not seed.is_file():
        raise CategorySeedError(f"the indicator category seed {seed} does not exist")
    with seed.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"category_code", "category_level"} - set(reader.fieldnames or [])
        if missing:
            raise CategorySeedError(f"the indicator category seed {seed} lacks column(s) {', '.join(sorted(missing))}")
        codes = {
            row["category_code"].strip()
            for row in reader
            if _as_level(row["category_level"]) == 1 and (row["category_code"] or "").strip()
        }
    if not codes:
        raise CategorySeedError(f"the indicator category seed {seed} has no category_level 1 row")
    return sorted(codes, key=lambda c: (len(c), c))


def _as_level(text: str | None) -> int | None:
    try:
        return int(float((text or "").strip()))
    except ValueError:
        return None
