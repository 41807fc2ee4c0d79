"""What a warehouse was built from: the inbox's files (names, content, fiscal years) and the code.

Recorded in warehouse_meta at every publish. A refresh whose fingerprint equals the published one
would rebuild the same warehouse: the CLI and the nightly schedule skip it (no-op refresh in the
time it takes to hash the inbox).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from contract.settings import REPO_ROOT
from ingestion.inbox import InboxFile
from publishing.connections import read_published_meta

FINGERPRINT_KEY = "input_fingerprint"
# Every folder whose content shapes the published rows.
_CODE_DIRS = ("contract", "ingestion", "expectations", "publishing", "orchestration", "dbt_project")
_CODE_SUFFIXES = {".py", ".sql", ".yml", ".yaml", ".csv", ".json"}


@lru_cache(maxsize=1)
def code_version() -> str:
    digest = hashlib.sha256()
    for folder in _CODE_DIRS:
        root = REPO_ROOT / folder
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(REPO_ROOT)
            if (
                path.suffix in _CODE_SUFFIXES
                and path.is_file()
                and not {"target", "logs", "uncommitted", "__pycache__"} & set(relative.parts)
            ):
                digest.update(relative.as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def input_fingerprint(files: list[InboxFile]) -> str:
    digest = hashlib.sha256(code_version().encode())
    for f in sorted(files, key=lambda f: f.source_file):
        digest.update(f"{f.source_file}\0{f.sha256}\0{f.fiscal_year}\n".encode())
    return digest.hexdigest()[:32]


def published_fingerprint(published: Path) -> str | None:
    return read_published_meta(published).get(FINGERPRINT_KEY)
