"""The layout of ingestion/ that later formats and shapes build on, checked from the source."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "ingestion"
MAX_LINES = 300


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_shared_parse_steps_import_no_reader():
    offending = {
        path.name: sorted(m for m in _imported_modules(path) if m.startswith(("ingestion.text", "ingestion.pdf")))
        for path in (PACKAGE / "parse").glob("*.py")
    }
    assert {name: mods for name, mods in offending.items() if mods} == {}


def test_text_and_pdf_readers_do_not_import_each_other():
    for reader, other in (("text", "ingestion.pdf"), ("pdf", "ingestion.text")):
        for path in (PACKAGE / reader).glob("*.py"):
            assert not any(m.startswith(other) for m in _imported_modules(path)), path


def test_no_ingestion_module_is_over_the_size_limit():
    sizes = {
        str(p.relative_to(PACKAGE)): len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.rglob("*.py")
    }
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}
