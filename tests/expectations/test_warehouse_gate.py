"""The warehouse gate on small candidates built with SQL: a good one passes, each defect fails by name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from expectations.gate import GateResult, validate_warehouse
from tests.expectations.conftest import build_warehouse


def _gate(tmp_path: Path, seed: Path, *, statements=(), drop=(), build_docs=False, **kwargs) -> GateResult:
    """Data Docs are built only where a test looks at them: rendering them is most of a run."""
    candidate = build_warehouse(tmp_path / "candidate.duckdb", statements=statements, drop=drop)
    return validate_warehouse(candidate, categories_seed=seed, build_docs=build_docs, **kwargs)


def _only_failure(result: GateResult) -> str:
    assert not result.passed
    assert len(result.failures) == 1, result.failures
    return result.failures[0]


def test_good_warehouse_passes(tmp_path, seed):
    result = _gate(tmp_path, seed, run_name="good", build_docs=True)
    assert result.passed, result.failures
    assert result.failures == []
    assert result.statistics["row_counts"] == {
        "dim_reports": 2,
        "fct_project_funding": 3,
        "fct_performance_indicators": 5,
    }
    assert result.statistics["level1_codes"] == ["1", "2", "3", "4"]
    assert result.statistics["failed_expectations"] == 0
    assert result.statistics["evaluated_expectations"] == 36
    assert result.statistics["reconciliation_source"] == "dim_reports.declared_total_amount vs sum of project totals"
    suites = {v["suite"] for v in result.statistics["validations"]}
    assert suites == {
        "structure",
        "dim_reports",
        "dim_departments",
        "dim_budget_units",
        "fct_project_funding",
        "fct_performance_indicators",
        "quarantined_reports",
        "referential_integrity",
        "reconciliation",
    }
    assert result.docs_index == tmp_path / "data_docs" / "index.html"


def test_data_docs_are_offline(tmp_path, seed):
    docs = tmp_path / "docs"
    result = _gate(
        tmp_path,
        seed,
        statements=("UPDATE fct_project_funding SET other_amount = -1 WHERE project_key = 'p1'",),
        docs_dir=docs,
        build_docs=True,
    )
    assert result.docs_index == docs / "index.html"
    pages = list(docs.rglob("*.html"))
    committed_suites = len(
        list((Path(__file__).resolve().parents[2] / "expectations" / "gx" / "expectations").glob("*.json"))
    )
    # index + one page per validation (9) + one page per committed suite
    assert len(pages) == 1 + 9 + committed_suites
    external = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//""", re.I)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not external.search(text), page
        assert "<script" not in text.lower(), page
    index = result.docs_index.read_text(encoding="utf-8")
    assert "FAILED" in index
    assert "expect_column_values_to_be_between on column other_amount" in index
    linked = re.findall(r'href="([^"]+)"', index)
    assert len(linked) == 2 * 9
    assert all((docs / link).is_file() for link in linked)


def test_rerun_into_same_docs_dir_keeps_one_run(tmp_path, seed):
    docs = tmp_path / "docs"
    _gate(tmp_path, seed, docs_dir=docs, build_docs=True)
    (tmp_path / "candidate.duckdb").unlink()
    _gate(tmp_path, seed, docs_dir=docs, build_docs=True)
    assert len(list((docs / "validations").rglob("*.html"))) == 9


def test_duplicate_project_key_fails(tmp_path, seed):
    failure = _only_failure(
        _gate(
            tmp_path,
            seed,
            statements=(
                "UPDATE fct_project_funding SET project_key = 'p1' WHERE project_key = 'p2'",
                "UPDATE fct_performance_indicators SET project_key = 'p1' WHERE project_key = 'p2'",
                "UPDATE fct_performance_indicators SET indicator_seq = 3 WHERE indicator_key = 'i3'",
            ),
        )
    )
    assert failure.startswith("Suite fct_project_funding: expect_column_values_to_be_unique on column project_key")
    assert "2 of 3 rows unexpected" in failure
    assert "project_key='p1'" in failure


def test_null_key_fails(tmp_path, seed):
    result = _gate(
        tmp_path, seed, statements=("UPDATE dim_departments SET department_key = NULL WHERE department_key = 'd2'",)
    )
    assert not result.passed
    assert any(
        f.startswith("Suite dim_departments: expect_column_values_to_not_be_null on column department_key")
        and "1 of 2 rows unexpected" in f
        for f in result.failures
    ), result.failures
    # d2 no longer exists, so its unit and project are orphans too.
    assert sum("referential_integrity" in f for f in result.failures) == 1


def test_orphan_indicator_fails(tmp_path, seed):
    failure = _only_failure(
        _gate(
            tmp_path,
            seed,
            statements=(
                "INSERT INTO fct_performance_indicators VALUES ('i9', 'p404', 'r1', 1, '1', '11', 'x', NULL, '1', 1)",
            ),
        )
    )
    assert failure.startswith(
        "Suite referential_integrity: expect_column_values_to_be_between on column "
        "orphan_rows (min_value=0.0, max_value=0.0) failed on orphans: 2 of 7 rows unexpected"
    )
    assert "relation='fct_performance_indicators(project_key) -> fct_project_funding(project_key)'" in failure
    assert "example_orphan='p404'" in failure


def test_indicator_of_another_reports_project_fails(tmp_path, seed):
    failure = _only_failure(
        _gate(
            tmp_path,
            seed,
            statements=("UPDATE fct_performance_indicators SET report_key = 'r2' WHERE indicator_key = 'i3'",),
        )
    )
    assert "1 of 7 rows unexpected" in failure
    assert (
        "relation='fct_performance_indicators(project_key, report_key) -> fct_project_funding(project_key, report_key)'"
    ) in failure
    assert "example_orphan='p2, r2'" in failure


def test_negative_amount_fails(tmp_path, seed):
    failure = _only_failure(
        _gate(
            tmp_path,
            seed,
            statements=(
                "UPDATE fct_project_funding SET special_account_amount = -20, other_amount = 40 WHERE project_key = 'p1'",
            ),
        )
    )
    assert failure == (
        "Suite fct_project_funding: expect_column_values_to_be_between on column "
        "special_account_amount (min_value=0.0) failed on fct_project_funding: 1 of 3 rows "
        "unexpected; e.g. [special_account_amount=-20.0, project_key='p1']."
    )


def test_total_not_sum_of_sources_fails(tmp_path, seed):
    failure = _only_failure(
        _gate(
            tmp_path,
            seed,
            statements=(
                "UPDATE fct_project_funding SET total_amount = 63.40 WHERE project_key = 'p2'",
                "UPDATE dim_reports SET declared_total_amount = 563.40 WHERE report_key = 'r1'",
            ),
        )
    )
    assert failure.startswith(
        "Suite fct_project_funding: expect_column_values_to_be_between on column "
        "total_minus_sources (min_value=-0.01, max_value=0.01)"
    )
    assert "[total_minus_sources=0.02, project_key='p2']" in failure


def test_rounding_difference_within_cent_passes(tmp_path, seed):
    result = _gate(
        tmp_path, seed, statements=("UPDATE fct_project_funding SET total_amount = 63.39 WHERE project_key = 'p2'",)
    )
    assert result.passed, result.failures


def test_unknown_level1_code_fails(tmp_path, seed):
    failure = _only_failure(
        _gate(
            tmp_path,
            seed,
            statements=("UPDATE fct_performance_indicators SET level1_code = '5' WHERE indicator_key = 'i2'",),
        )
    )
    assert failure == (
        "Suite fct_performance_indicators: expect_column_values_to_be_in_set on column level1_code "
        "(value_set={'1', '2', '3', '4'}) failed on fct_performance_indicators: 1 of 5 rows "
        "unexpected; e.g. [level1_code='5', indicator_key='i2']."
    )


def test_missing_seed_fails_the_gate(tmp_path, seed):
    result = _gate(tmp_path, seed.parent / "absent.csv")
    assert not result.passed
    assert "level1_code cannot know the allowed codes" in result.failures[0]
    assert "absent.csv does not exist" in result.failures[0]


def test_bad_layout_and_year_fail(tmp_path, seed):
    result = _gate(
        tmp_path, seed, statements=("UPDATE dim_reports SET layout = 'D', fiscal_year = 1999 WHERE report_key = 'r1'",)
    )
    assert [f.split(" failed")[0] for f in result.failures] == [
        "Suite dim_reports: expect_column_values_to_be_in_set on column layout (value_set={'A', 'B', 'C', 'pdf'})",
        "Suite dim_reports: expect_column_values_to_be_between on column fiscal_year (min_value=2000.0, max_value=2100.0)",
    ]


def test_missing_table_fails_without_exception(tmp_path, seed):
    result = _gate(tmp_path, seed, drop=("quarantined_reports",))
    assert result.failures == [
        "Suite structure: expect_column_distinct_values_to_contain_set on column "
        "table_column failed: table main.quarantined_reports does not exist."
    ]
    assert result.statistics["skipped"]["quarantined_reports"] == "table main.quarantined_reports does not exist"


def test_missing_fact_table_skips_dependent_checks(tmp_path, seed):
    result = _gate(tmp_path, seed, drop=("fct_performance_indicators",))
    assert result.failures == [
        "Suite structure: expect_column_distinct_values_to_contain_set on column "
        "table_column failed: table main.fct_performance_indicators does not exist."
    ]
    skipped = result.statistics["skipped"]
    assert skipped["fct_performance_indicators"] == "table main.fct_performance_indicators does not exist"
    assert sum(k.startswith("referential_integrity") for k in skipped) == 3


def test_missing_contract_column_fails(tmp_path, seed):
    result = _gate(tmp_path, seed, statements=("ALTER TABLE dim_reports DROP COLUMN page_count",))
    assert result.failures == [
        "Suite structure: expect_column_distinct_values_to_contain_set on column "
        "table_column failed: table main.dim_reports lacks contract column(s) page_count."
    ]


def test_empty_warehouse_fails(tmp_path, seed):
    result = _gate(
        tmp_path,
        seed,
        statements=(
            "DELETE FROM fct_performance_indicators",
            "DELETE FROM fct_project_funding",
            "DELETE FROM dim_reports",
        ),
    )
    heads = [f.split(":")[0] + ":" + f.split(":")[1].split(" failed")[0] for f in result.failures]
    assert heads == [
        "Suite dim_reports: expect_table_row_count_to_be_between (min_value=1)",
        "Suite fct_project_funding: expect_table_row_count_to_be_between (min_value=1)",
    ]
    assert all(f.endswith("observed 0.") for f in result.failures)


def test_declared_total_mismatch_fails(tmp_path, seed):
    failure = _only_failure(
        _gate(
            tmp_path,
            seed,
            statements=("UPDATE dim_reports SET declared_total_amount = 563.50 WHERE report_key = 'r1'",),
        )
    )
    assert failure.startswith(
        "Suite reconciliation: expect_column_values_to_be_in_set on column "
        "is_within_tolerance (value_set={True}) failed on declared_totals: 1 of 1 rows"
    )
    assert "source_file='gz/001.txt'" in failure
    assert "projects_total=563.38" in failure


def test_reconciliation_mart_is_used_when_present(tmp_path, seed):
    mart = (
        "CREATE TABLE fct_reconciliation AS SELECT * FROM (VALUES "
        "('report_total_vs_projects', 'r1', 563.39, 563.38, true), "
        "('unit_total_vs_projects', 'r1', 79.00, 78.00, false)) "
        "t(check_type, report_key, declared_amount, computed_amount, is_within_tolerance)"
    )
    result = _gate(tmp_path, seed, statements=(mart,))
    assert result.statistics["reconciliation_source"] == "mart(s) fct_reconciliation"
    failure = _only_failure(result)
    assert failure.startswith(
        "Suite reconciliation: expect_column_values_to_be_in_set on column "
        "is_within_tolerance (value_set={True}) failed on fct_reconciliation: 1 of 2 rows"
    )
    assert "check_type='unit_total_vs_projects'" in failure


def _published(tmp_path: Path, extra_reports: int) -> Path:
    """A published warehouse with ``2 + extra_reports`` reports and ``3 + extra_reports`` projects."""
    rows = ", ".join(f"('x{i}', 'old/{i}.txt', 'oldsha{i}', 'B', NULL, 2024, 1, NULL)" for i in range(extra_reports))
    projects = ", ".join(f"('xp{i}', 'x{i}', 'd1', 'u1', 'p', 1, 1, 0, 0, NULL, 1, 1)" for i in range(extra_reports))
    (tmp_path / "published").mkdir()
    statements = (
        (f"INSERT INTO dim_reports VALUES {rows}", f"INSERT INTO fct_project_funding VALUES {projects}")
        if extra_reports
        else ()
    )
    return build_warehouse(tmp_path / "published" / "warehouse.duckdb", statements=statements)


def test_shrink_vs_published_fails_with_hint(tmp_path, seed):
    published = _published(tmp_path, extra_reports=1)  # 3 reports, 4 projects -> 2/3 and 3/4
    result = _gate(tmp_path, seed, published=published)
    assert [f.split(" failed")[0] for f in result.failures] == [
        "Suite volume: expect_column_values_to_be_between on column report_count_ratio (min_value=0.8)",
        "Suite volume: expect_column_values_to_be_between on column project_count_ratio (min_value=0.8)",
    ]
    assert "report_count_ratio=0.666667" in result.failures[0]
    assert "candidate_reports=2, published_reports=3" in result.failures[0]
    assert all(f.endswith("rerun with --allow-shrink.") for f in result.failures)


def test_docs_not_built_on_request(tmp_path, seed):
    result = _gate(tmp_path, seed)
    assert result.passed and result.docs_index is None
    assert not (tmp_path / "data_docs").exists()


def test_shrink_allowed_passes(tmp_path, seed):
    published = _published(tmp_path, extra_reports=1)
    result = _gate(tmp_path, seed, published=published, allow_shrink=True)
    assert result.passed, result.failures
    assert result.statistics["skipped"]["volume"].startswith("allow_shrink")


def test_unchanged_volume_passes(tmp_path, seed):
    published = _published(tmp_path, extra_reports=0)
    result = _gate(tmp_path, seed, published=published)
    assert result.passed, result.failures
    volume = [v for v in result.statistics["validations"] if v["suite"] == "volume"]
    assert volume == [{"suite": "volume", "frame": "volume", "rows": 1, "evaluated": 2, "failed": 0, "success": True}]


def test_missing_candidate_raises(tmp_path, seed):
    with pytest.raises(FileNotFoundError):
        validate_warehouse(tmp_path / "nope.duckdb", categories_seed=seed)
