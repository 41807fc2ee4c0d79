"""The per-report gate on frames shaped like raw.projects / raw.indicators."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from expectations.categories import CATEGORY_SEED, level1_codes
from expectations.gate import validate_report_frames


def _projects(**changes) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "file_sha256": ["sha1"] * 3,
            "project_seq": [1, 2, 3],
            "budget_unit_name": ["广州市工商业联合会"] * 3,
            "project_name": ["会员服务经费", "宣传经费", "TZMMZXJF"],
            "total": [Decimal("500.00"), Decimal("63.38"), None],
            "fiscal": [Decimal("480.00"), Decimal("63.38"), None],
            "special_account": [Decimal("0"), None, None],
            "other": [Decimal("20.00"), None, None],
            "amounts_inferred": [False] * 3,
            "goal": ["服务会员", "宣传", "项目信息不宜公开"],
            "source_page": [1, 1, 2],
            "source_row": [5, 6, 7],
        }
    )
    for column, (row, value) in changes.items():
        frame.loc[row, column] = value
    return frame


def _indicators(**changes) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "file_sha256": ["sha1"] * 4,
            "project_seq": [1, 1, 2, 3],
            "indicator_seq": [1, 2, 1, 1],
            "raw_text": [
                "1、1-产出指标；11-数量指标；服务企业数量；年度指标值:≥100家。",
                "2、满意度≥90%",
                "1、效益：良好",
                "1、产出指标：政府购买法律服务费用年度指标值：。",
            ],
        }
    )
    for column, (row, value) in changes.items():
        frame.loc[row, column] = value
    return frame


def test_good_report_passes():
    result = validate_report_frames(_projects(), _indicators(), source_file="gz/001.txt")
    assert result.passed, result.failures
    assert result.docs_index is None
    assert result.statistics["projects"] == 3
    assert result.statistics["indicators"] == 4
    assert result.statistics["evaluated_expectations"] == 11


def test_report_without_projects_fails():
    result = validate_report_frames(_projects().iloc[0:0], _indicators().iloc[0:0], source_file="gz/empty.txt")
    assert result.failures == [
        "Suite report_projects: expect_table_row_count_to_be_between (min_value=1) failed "
        "on projects of gz/empty.txt: observed 0."
    ]


def test_empty_project_name_fails():
    result = validate_report_frames(_projects(project_name=(1, "  ")), _indicators(), source_file="gz/001.txt")
    assert result.failures == [
        "Suite report_projects: expect_column_values_to_not_match_regex on column "
        "project_name (regex=^\\s*$) failed on projects of gz/001.txt: 1 of 3 rows "
        "unexpected; e.g. [project_name='  ', project_seq=2]."
    ]


def test_null_project_name_fails():
    result = validate_report_frames(_projects(project_name=(0, None)), _indicators(), source_file="gz/001.txt")
    assert [f.split(" failed")[0] for f in result.failures] == [
        "Suite report_projects: expect_column_values_to_not_be_null on column project_name"
    ]


def test_negative_amount_fails():
    result = validate_report_frames(
        _projects(other=(0, Decimal("-20.00")), fiscal=(0, Decimal("520.00"))), _indicators(), source_file="gz/001.txt"
    )
    assert result.failures == [
        "Suite report_projects: expect_column_values_to_be_between on column other "
        "(min_value=0.0) failed on projects of gz/001.txt: 1 of 3 rows unexpected; "
        "e.g. [other=-20.0, project_seq=1]."
    ]


def test_total_not_sum_of_sources_fails():
    result = validate_report_frames(_projects(total=(1, Decimal("63.40"))), _indicators(), source_file="gz/001.txt")
    assert result.failures == [
        "Suite report_projects: expect_column_values_to_be_between on column "
        "total_minus_sources (min_value=-0.01, max_value=0.01) failed on projects of "
        "gz/001.txt: 1 of 3 rows unexpected; e.g. [total_minus_sources=0.02, project_seq=2]."
    ]


def test_rounding_within_a_cent_passes():
    result = validate_report_frames(_projects(total=(1, Decimal("63.39"))), _indicators(), source_file="gz/001.txt")
    assert result.passed, result.failures


def test_duplicate_indicator_seq_fails():
    result = validate_report_frames(_projects(), _indicators(indicator_seq=(1, 1)), source_file="gz/001.txt")
    assert len(result.failures) == 1
    assert result.failures[0].startswith(
        "Suite report_indicators: expect_compound_columns_to_be_unique (column_list=['project_seq', "
        "'indicator_seq']) failed on indicators of gz/001.txt: 2 of 4 rows unexpected"
    )


def test_empty_raw_text_fails():
    result = validate_report_frames(_projects(), _indicators(raw_text=(2, "")), source_file="gz/001.txt")
    assert result.failures == [
        "Suite report_indicators: expect_column_values_to_not_match_regex on column "
        "raw_text (regex=^\\s*$) failed on indicators of gz/001.txt: 1 of 4 rows "
        "unexpected; e.g. [raw_text='', project_seq=2, indicator_seq=1]."
    ]


def test_committed_seed_defines_four_level1_codes():
    assert level1_codes(CATEGORY_SEED) == ["1", "2", "3", "4"]
