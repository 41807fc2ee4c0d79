"""Failed expectations worded for a person: the numbers and the failing rows stay in the sentence."""

from __future__ import annotations

from types import SimpleNamespace

from expectations.messages import failure_sentence


def _result(element_count: int, rows: list[dict]) -> SimpleNamespace:
    return SimpleNamespace(
        expectation_config=SimpleNamespace(
            type="expect_column_values_to_be_between",
            kwargs={"column": "report_count_ratio", "min_value": 0.8, "batch_id": "b"},
            meta={"hint": "If the drop is intended, rerun with --allow-shrink."},
        ),
        exception_info={"raised_exception": False},
        result={
            "element_count": element_count,
            "unexpected_count": len(rows),
            "partial_unexpected_index_list": rows,
        },
    )


def test_a_one_row_frame_is_named_by_its_row_not_1_of_1():
    row = {"report_count_ratio": 0.2, "candidate_reports": 1, "published_reports": 5}
    sentence = failure_sentence("volume", "volume", _result(1, [row]))
    assert sentence == (
        "Suite volume: expect_column_values_to_be_between on column report_count_ratio (min_value=0.8) failed on "
        "volume: [report_count_ratio=0.2, candidate_reports=1, published_reports=5]. "
        "If the drop is intended, rerun with --allow-shrink."
    )


def test_a_larger_frame_counts_its_failing_rows():
    sentence = failure_sentence("volume", "volume", _result(7, [{"report_count_ratio": 0.1}]))
    assert "failed on volume: 1 of 7 rows unexpected; e.g. [report_count_ratio=0.1]." in sentence
