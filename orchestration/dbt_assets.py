"""The dbt step of the refresh: `dbt build` into this run's candidate, through dagster-dbt.

Its own module because it is the one step that drives another tool: the candidate's incremental
tables are the published version's when it started as its copy (publishing/incremental_seed.py),
dbt builds in the dbt process started ahead of it (orchestration/dbt_ahead.py: imported and parsed
by the time the step gets there) through a link whose path never changes, and the descriptions are
written afterwards (publishing/dbt_docs.py).
"""

import os

from dagster import AssetExecutionContext, AssetKey
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from contract.settings import DUCKDB_WRITER_POOL
from expectations import gate_worker
from orchestration import dbt_ahead
from orchestration.dbt_profile import profile_env
from orchestration.resources import (
    RefreshLockResource,
    WarehouseResource,
    dbt_project,
    ensure_dbt_manifest,
)
from publishing.candidate import link_dbt_build, unlink_dbt_build
from publishing.dbt_docs import persist_descriptions
from publishing.incremental_seed import prepare_candidate


class _Translator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props) -> str | None:
        return "dbt"


# Without manifest.json and run_results.json (seconds of serialisation a run): the Dagster events carry
# each node's outcome, the parse-time manifest is dbt_project/target's, and partial parsing keeps its own file.
# Its file log (dbt.log beside the warehouse) at info: each node's start, result and errors. At dbt's
# default, debug, it also logs every SQL statement and connection, a fifth of the samples' build;
# the SQL each node ran stays in the target folder's compiled/ and run/.
DBT_BUILD_ARGS = ["build", "--no-write-json", "--log-level-file", "info"]

# The data tests of the seeds (dbt_project/seeds/*.yml: unique codes, aliases naming a category...)
# check files that ship with the code, not the reports. They are part of the code version, so when
# the candidate started as a copy of the published file (built by this code) they passed then, on the
# same seeds: skipped. The seeds are still loaded, and every test reading them with report data runs.
SEED_TESTS = ["--exclude", "resource_type:test,path:seeds"]

# dbt's data tests run inside `dbt build` (a failing one fails this step and names itself) rather than
# as one Dagster asset check each: 167 check results cost a refresh seconds of event handling, and the
# gate (orchestration/checks.py) is the check that blocks the publish.
_DBT_SETTINGS = DagsterDbtTranslatorSettings(enable_asset_checks=False)


@dbt_assets(
    manifest=ensure_dbt_manifest(),
    project=dbt_project,
    dagster_dbt_translator=_Translator(settings=_DBT_SETTINGS),
    pool=DUCKDB_WRITER_POOL,
)
def budget_dbt_models(
    context: AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse_config: WarehouseResource,
    refresh_lock: RefreshLockResource,
):
    """dbt build (models, seeds and dbt tests) into this run's candidate file."""
    warehouse_files = warehouse_config.warehouse_files()
    gate_worker.import_ahead()  # the gate's GX, on the other core while this step waits on dbt
    candidate = warehouse_files.candidate(context.run.run_id)
    # Incremental models keep the published version's rows when the candidate started as its copy.
    from_published, how_incremental = prepare_candidate(candidate, dbt_project.manifest_path)
    context.log.info(f"incremental models: {how_incremental}")
    args = DBT_BUILD_ARGS
    if from_published:  # built by this code, so from these seeds
        args = [*DBT_BUILD_ARGS, *SEED_TESTS]
        context.log.info(
            "the seeds' data tests are skipped: they passed on these seeds when the published file was built"
        )
    # Through a link whose path never changes: where dbt parses itself (no dbt was started ahead: the
    # daemon's runs), the profile stays the same and it parses partially.
    os.environ.update(profile_env(link_dbt_build(warehouse_files, candidate)))
    with dbt_ahead.taken(warehouse_files) as how:
        context.log.info(f"dbt: {how}")
        # dbt's artifacts go beside the warehouse (one folder, replaced by each run), not into the repo.
        yield from dbt.cli(args, context=context, target_path=warehouse_files.dbt_target_dir).stream()
    unlink_dbt_build(warehouse_files)  # a failed build's link is left to the next run's stale-file cleanup
    persist_descriptions(candidate, dbt_project.manifest_path)


def dbt_model_keys() -> list[AssetKey]:
    return [key for key in budget_dbt_models.keys]
