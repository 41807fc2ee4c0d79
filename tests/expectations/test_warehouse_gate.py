"""The warehouse gate on the samples warehouse: as built it passes; each defect made with SQL fails by name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contract.settings import GX_SUITES_DIR
from expectations.gate import GateResult, validate_warehouse
from tests.expectations.conftest import break_warehouse, scalar

# The samples report holding most projects and the one without amounts (layout C).
BIG_REPORT = "004_a302c5053bc31a53.txt"
REPORT_KEY = f"(SELECT report_key FROM dim_reports WHERE source_file = '{BIG_REPORT}')"
FIRST_PROJECT = f"(SELECT min(project_key) FROM fct_project_funding WHERE report_key = {REPORT_KEY})"


def _gate(candidate: Path, *statements: str, build_docs: bool = False, **kwargs) -> GateResult:
    """Data Docs are built only where a test looks at them: rendering them is most of a run."""
    break_warehouse(candidate, *statements)
    return validate_warehouse(candidate, build_docs=build_docs, **kwargs)


def _only_failure(result: GateResult) -> str:
    assert not result.passed
    assert len(result.failures) == 1, result.failures
    return result.failures[0]


def test_the_samples_warehouse_passes(warehouse_copy):
    result = _gate(warehouse_copy, run_name="samples", build_docs=True)
    assert result.passed, result.failures
    assert result.statistics["row_counts"] == {
        "dim_reports": 5,
        "fct_project_funding": 78,
        "fct_performance_indicators": 368,
    }
    assert result.statistics["level1_codes"] == ["1", "2", "3", "4"]
    assert result.statistics["failed_expectations"] == 0
    assert result.statistics["skipped"] == {"volume": "no published warehouse to compare with"}
    validations = {v["suite"]: v for v in result.statistics["validations"]}
    assert set(validations) == {
        "structure",
        "dim_reports",
        "dim_departments",
        "dim_budget_units",
        "dim_indicator_categories",
        "fct_project_funding",
        "fct_performance_indicators",
        "quarantined_reports",
        "referential_integrity",
        "reconciliation",
    }
    # The 117 checks ingestion.reconciliation made on the samples, all within tolerance.
    assert validations["reconciliation"]["rows"] == 117
    assert result.docs_index == warehouse_copy.parent / "data_docs" / "index.html"


def test_data_docs_are_offline(warehouse_copy):
    docs = warehouse_copy.parent / "docs"
    result = _gate(
        warehouse_copy,
        f"UPDATE fct_project_funding SET other_amount = -1 WHERE project_key = {FIRST_PROJECT}",
        docs_dir=docs,
        build_docs=True,
    )
    assert result.docs_index == docs / "index.html"
    validations = len(result.statistics["validations"])
    pages = list(docs.rglob("*.html"))
    # index + one page per validation + one page per committed suite
    assert len(pages) == 1 + validations + len(list(GX_SUITES_DIR.glob("*.json")))
    external = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//""", re.I)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not external.search(text), page
        assert "<script" not in text.lower(), page
    index = result.docs_index.read_text(encoding="utf-8")
    assert "FAILED" in index
    assert "expect_column_values_to_be_between on column other_amount" in index
    linked = re.findall(r'href="([^"]+)"', index)
    assert len(linked) == 2 * validations
    assert all((docs / link).is_file() for link in linked)


def test_rerun_into_same_docs_dir_keeps_one_run(warehouse_copy):
    docs = warehouse_copy.parent / "docs"
    first = _gate(warehouse_copy, docs_dir=docs, build_docs=True)
    _gate(warehouse_copy, docs_dir=docs, build_docs=True)
    assert len(list((docs / "validations").rglob("*.html"))) == len(first.statistics["validations"])


# The table rebuilt from itself: the same rows and columns without the constraints of the marts' contracts
# (DuckDB cannot drop a UNIQUE or CHECK constraint by ALTER TABLE).
_WITHOUT_CONSTRAINTS = "CREATE OR REPLACE TABLE {table} AS SELECT * FROM {table}"


def test_duplicate_project_fails(warehouse_copy):
    """dbt's contract makes project_key UNIQUE: the gate still holds if the table loses that constraint."""
    failure = _only_failure(
        _gate(
            warehouse_copy,
            _WITHOUT_CONSTRAINTS.format(table="fct_project_funding"),
            f"INSERT INTO fct_project_funding SELECT * FROM fct_project_funding WHERE project_key = {FIRST_PROJECT}",
        )
    )
    assert failure.startswith("Suite fct_project_funding: expect_column_values_to_be_unique on column project_key")
    assert "2 of 79 rows unexpected" in failure


def test_null_key_fails(warehouse_copy):
    """dbt's contract makes the column NOT NULL: the gate still holds if a model loses that constraint."""
    result = _gate(
        warehouse_copy,
        "ALTER TABLE dim_departments ALTER COLUMN department_key DROP NOT NULL",
        "UPDATE dim_departments SET department_key = NULL "
        f"WHERE department_key = (SELECT department_key FROM dim_reports WHERE source_file = '{BIG_REPORT}')",
    )
    assert not result.passed
    assert any(
        f.startswith("Suite dim_departments: expect_column_values_to_not_be_null on column department_key")
        and "1 of 5 rows unexpected" in f
        for f in result.failures
    ), result.failures
    # That department no longer exists, so its units and projects are orphans too: one sentence.
    assert sum("referential_integrity" in f for f in result.failures) == 1


def test_orphan_indicator_fails(warehouse_copy):
    failure = _only_failure(
        _gate(
            warehouse_copy,
            "UPDATE fct_performance_indicators SET project_key = 'p404' "
            "WHERE indicator_key = (SELECT min(indicator_key) FROM fct_performance_indicators)",
        )
    )
    assert failure.startswith(
        "Suite referential_integrity: expect_column_values_to_be_between on column "
        "orphan_rows (min_value=0.0, max_value=0.0) failed on orphans: 2 of 7 rows unexpected"
    )
    assert "relation='fct_performance_indicators(project_key) -> fct_project_funding(project_key)'" in failure
    assert "example_orphan='p404'" in failure


def test_indicator_of_another_reports_project_fails(warehouse_copy):
    failure = _only_failure(
        _gate(
            warehouse_copy,
            f"UPDATE fct_performance_indicators SET report_key = {REPORT_KEY} "
            "WHERE indicator_key = (SELECT min(indicator_key) FROM fct_performance_indicators "
            f"WHERE report_key <> {REPORT_KEY})",
        )
    )
    assert "1 of 7 rows unexpected" in failure
    assert (
        "relation='fct_performance_indicators(project_key, report_key) -> fct_project_funding(project_key, report_key)'"
    ) in failure


def test_negative_amount_fails(warehouse_copy):
    key = scalar(warehouse_copy, f"SELECT {FIRST_PROJECT}")
    failure = _only_failure(
        _gate(
            warehouse_copy, f"UPDATE fct_project_funding SET special_account_amount = -20 WHERE project_key = '{key}'"
        )
    )
    assert failure == (
        "Suite fct_project_funding: expect_column_values_to_be_between on column "
        "special_account_amount (min_value=0.0) failed on fct_project_funding: 1 of 78 rows "
        f"unexpected; e.g. [special_account_amount=-20.0, project_key='{key}']."
    )


def test_a_check_outside_tolerance_fails_naming_the_file_and_figures(warehouse_copy):
    failure = _only_failure(
        _gate(
            warehouse_copy,
            "UPDATE fct_reconciliation SET declared_amount = declared_amount + 10, "
            "difference_amount = difference_amount + 10, is_within_tolerance = false "
            f"WHERE report_key = {REPORT_KEY} AND check_type = 'report_total_vs_projects' AND amount_column = 'total'",
        )
    )
    assert failure.startswith(
        "Suite reconciliation: expect_column_values_to_be_in_set on column "
        "is_within_tolerance (value_set={True}) failed on fct_reconciliation: 1 of 117 rows"
    )
    assert f"source_file='{BIG_REPORT}'" in failure
    assert "check_type='report_total_vs_projects'" in failure
    assert "n_rows_summed=33" in failure


def test_unknown_level1_code_fails(warehouse_copy):
    failure = _only_failure(
        _gate(
            warehouse_copy,
            "UPDATE fct_performance_indicators SET level1_code = '5' "
            "WHERE indicator_key = (SELECT min(indicator_key) FROM fct_performance_indicators)",
        )
    )
    assert failure.startswith(
        "Suite fct_performance_indicators: expect_column_values_to_be_in_set on column level1_code "
        "(value_set={'1', '2', '3', '4'}) failed on fct_performance_indicators: 1 of 368 rows "
        "unexpected; e.g. [level1_code='5'"
    )


def test_missing_seed_fails_the_gate(warehouse_copy):
    result = _gate(warehouse_copy, categories_seed=warehouse_copy.parent / "absent.csv")
    assert not result.passed
    assert "level1_code cannot know the allowed codes" in result.failures[0]
    assert "absent.csv does not exist" in result.failures[0]


def test_bad_layout_and_year_fail(warehouse_copy):
    """dbt's contract CHECKs the layout: the gate still holds if the table loses that constraint."""
    result = _gate(
        warehouse_copy,
        _WITHOUT_CONSTRAINTS.format(table="dim_reports"),
        f"UPDATE dim_reports SET layout = 'D', fiscal_year = 1999 WHERE source_file = '{BIG_REPORT}'",
    )
    assert [f.split(" failed")[0] for f in result.failures] == [
        "Suite dim_reports: expect_column_values_to_be_in_set on column layout (value_set={'A', 'B', 'C', 'pdf', 'xlsx', 'xls', 'html', 'docx'})",
        "Suite dim_reports: expect_column_values_to_be_between on column fiscal_year (min_value=2000.0, max_value=2100.0)",
    ]


def test_missing_table_fails_without_exception(warehouse_copy):
    result = _gate(warehouse_copy, "DROP TABLE quarantined_reports")
    assert result.failures == [
        "Suite structure: expect_column_distinct_values_to_contain_set on column "
        "table_column failed: table main.quarantined_reports does not exist."
    ]
    assert result.statistics["skipped"]["quarantined_reports"] == "table main.quarantined_reports does not exist"


def test_missing_reconciliation_mart_fails_and_skips_the_suite(warehouse_copy):
    result = _gate(warehouse_copy, "DROP TABLE fct_reconciliation")
    assert result.failures == [
        "Suite structure: expect_column_distinct_values_to_contain_set on column "
        "table_column failed: table main.fct_reconciliation does not exist."
    ]
    assert result.statistics["skipped"]["reconciliation"] == "table main.fct_reconciliation does not exist"


def test_missing_fact_table_skips_dependent_checks(warehouse_copy):
    result = _gate(warehouse_copy, "DROP TABLE fct_performance_indicators")
    assert result.failures == [
        "Suite structure: expect_column_distinct_values_to_contain_set on column "
        "table_column failed: table main.fct_performance_indicators does not exist."
    ]
    skipped = result.statistics["skipped"]
    assert skipped["fct_performance_indicators"] == "table main.fct_performance_indicators does not exist"
    assert sum(k.startswith("referential_integrity") for k in skipped) == 3


def test_missing_contract_column_fails(warehouse_copy):
    result = _gate(warehouse_copy, "ALTER TABLE dim_reports DROP COLUMN page_count")
    assert result.failures == [
        "Suite structure: expect_column_distinct_values_to_contain_set on column "
        "table_column failed: table main.dim_reports lacks contract column(s) page_count."
    ]


def test_empty_warehouse_fails(warehouse_copy):
    result = _gate(
        warehouse_copy,
        "DELETE FROM fct_performance_indicators",
        "DELETE FROM fct_project_funding",
        "DELETE FROM dim_reports",
        "DELETE FROM fct_reconciliation",
    )
    heads = [f.split(":")[0] + ":" + f.split(":")[1].split(" failed")[0] for f in result.failures]
    assert heads == [
        "Suite dim_reports: expect_table_row_count_to_be_between (min_value=1)",
        "Suite fct_project_funding: expect_table_row_count_to_be_between (min_value=1)",
    ]
    assert all(f.endswith("observed 0.") for f in result.failures)


SAMPLE_FILES = ("000_78a7ae6ba5b81e46.txt", "002_39e10e3528be362f.txt", "003_cdfe4f5fefb7849c.txt")


def _without_reports(candidate: Path, *source_files: str) -> Path:
    """The candidate without these reports, as if their files had left the inbox."""
    names = ", ".join(f"'{name}'" for name in source_files)
    reports = f"(SELECT report_key FROM dim_reports WHERE source_file IN ({names}))"
    return break_warehouse(
        candidate,
        *(
            f"DELETE FROM {t} WHERE report_key IN {reports}"
            for t in ("fct_performance_indicators", "fct_reconciliation")
        ),
        f"DELETE FROM fct_project_funding WHERE report_key IN {reports}",
        f"DELETE FROM dim_reports WHERE report_key IN {reports}",
    )


def test_two_withdrawn_reports_of_five_leave_the_warehouse(warehouse_copy, samples_warehouse):
    result = _gate(_without_reports(warehouse_copy, *SAMPLE_FILES[:2]), published=samples_warehouse)
    assert result.passed, result.failures
    assert result.statistics["removed_reports"] == list(SAMPLE_FILES[:2])
    assert result.statistics["report_changes"]["004_a302c5053bc31a53.txt"] == "unchanged"


def test_three_withdrawn_reports_of_five_is_a_mass_removal(warehouse_copy, samples_warehouse):
    failure = _only_failure(_gate(_without_reports(warehouse_copy, *SAMPLE_FILES), published=samples_warehouse))
    assert failure.startswith(
        "Suite volume_removed: expect_column_values_to_be_between on column removed_share (max_value=0.5)"
    )
    assert "removed_reports=3, published_reports=5" in failure and SAMPLE_FILES[2] in failure
    assert failure.endswith("rerun with --allow-shrink.")


def test_rows_lost_from_an_unchanged_report_block(warehouse_copy, samples_warehouse):
    result = _gate(
        warehouse_copy,
        f"DELETE FROM fct_performance_indicators WHERE project_key = {FIRST_PROJECT}",
        published=samples_warehouse,
    )
    failure = _only_failure(result)
    assert failure.startswith(
        "Suite volume_per_report: expect_column_values_to_be_between on column indicators_lost (max_value=0.0)"
    )
    assert f"source_file='{BIG_REPORT}', change='unchanged', published_projects=33, candidate_projects=33" in failure
    assert "parser regression" in failure


def test_an_edited_report_may_lose_rows(warehouse_copy, samples_warehouse):
    result = _gate(
        warehouse_copy,
        f"DELETE FROM fct_performance_indicators WHERE project_key = {FIRST_PROJECT}",
        f"UPDATE dim_reports SET file_sha256 = repeat('0', 64) WHERE source_file = '{BIG_REPORT}'",
        published=samples_warehouse,
    )
    assert result.passed, result.failures
    assert result.statistics["report_changes"][BIG_REPORT] == "edited"


def test_shrink_allowed_passes_and_still_names_the_removed(warehouse_copy, samples_warehouse):
    result = _gate(_without_reports(warehouse_copy, *SAMPLE_FILES), published=samples_warehouse, allow_shrink=True)
    assert result.passed, result.failures
    assert result.statistics["skipped"]["volume"].startswith("allow_shrink")
    assert result.statistics["removed_reports"] == list(SAMPLE_FILES)


def test_unchanged_volume_passes(warehouse_copy, samples_warehouse):
    result = _gate(warehouse_copy, published=samples_warehouse)
    assert result.passed, result.failures
    volume = [v for v in result.statistics["validations"] if v["suite"].startswith("volume")]
    assert volume == [
        {
            "suite": "volume_per_report",
            "frame": "published_reports",
            "rows": 5,
            "evaluated": 2,
            "failed": 0,
            "success": True,
        },
        {
            "suite": "volume_removed",
            "frame": "removed_from_inbox",
            "rows": 1,
            "evaluated": 1,
            "failed": 0,
            "success": True,
        },
    ]


def test_docs_not_built_on_request(warehouse_copy):
    result = _gate(warehouse_copy)
    assert result.passed and result.docs_index is None
    assert not (warehouse_copy.parent / "data_docs").exists()


def test_missing_candidate_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        validate_warehouse(tmp_path / "nope.duckdb")
