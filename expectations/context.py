"""The GX data context of a gate run: suites read from the committed file context, nothing written there.

Opening ``expectations/gx`` as a FileDataContext would create ``uncommitted/`` stores inside the
repository. Instead each run gets an ephemeral context whose expectations store *is* the committed
``gx/expectations`` directory (read through GX's own filesystem store), while validation results,
validation definitions and checkpoints live in memory and Data Docs go to a directory the caller
chooses.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from contract.settings import GX_DIR

if TYPE_CHECKING:  # pragma: no cover
    from great_expectations.data_context import AbstractDataContext

SUITES_DIR = GX_DIR / "expectations"
DATA_DOCS_SITE = "local_site"


def import_in_background() -> threading.Thread:
    """Start importing great_expectations on a daemon thread (it takes seconds of CPU); returns it.

    Python threads share one interpreter lock, so this only saves time while the calling thread
    waits on something else: the refresh starts it as dbt's subprocess begins its build, and the
    gate after dbt finds the package imported.
    """

    def _import() -> None:
        import great_expectations  # noqa: F401
        from great_expectations.data_context.types.base import DataContextConfig  # noqa: F401

    thread = threading.Thread(target=_import, name="import-great-expectations", daemon=True)
    thread.start()
    return thread


def _in_memory_store(class_name: str) -> dict[str, Any]:
    return {"class_name": class_name, "store_backend": {"class_name": "InMemoryStoreBackend"}}


def new_context(docs_dir: Path | None = None) -> AbstractDataContext:
    """An ephemeral GX context reading the committed suites; Data Docs under ``docs_dir`` if given."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        ProgressBarsConfig,
    )

    data_docs_sites = {}
    if docs_dir is not None:
        data_docs_sites[DATA_DOCS_SITE] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        stores={
            "expectations_store": {
                "class_name": "ExpectationsStore",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(SUITES_DIR),
                },
            },
            "validation_results_store": _in_memory_store("ValidationResultsStore"),
            "checkpoint_store": _in_memory_store("CheckpointStore"),
            "validation_definition_store": _in_memory_store("ValidationDefinitionStore"),
        },
        expectations_store_name="expectations_store",
        validation_results_store_name="validation_results_store",
        checkpoint_store_name="checkpoint_store",
        data_docs_sites=data_docs_sites,
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def committed_suite_names() -> list[str]:
    """Names of the suites committed in the file context (one JSON file each)."""
    return sorted(p.stem for p in SUITES_DIR.glob("*.json"))
