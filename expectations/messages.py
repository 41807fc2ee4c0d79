"""One human sentence per failed expectation: suite, expectation type, column, observed value.

Failing rows are named by their index columns in square brackets; whoever prints a sentence
prints it as text (rich markup would swallow "[candidate_reports=1, …]").
"""

from __future__ import annotations

from typing import Any

MAX_EXAMPLES = 3
_BOUND_KWARGS = ("min_value", "max_value", "value", "value_set", "regex", "column_list")


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _expected(kwargs: dict[str, Any]) -> str:
    parts = []
    for key in _BOUND_KWARGS:
        if kwargs.get(key) is not None:
            value = kwargs[key]
            if isinstance(value, (list, tuple, set)) and key == "value_set":
                value = (
                    "{" + ", ".join(_short(v, 20) for v in list(value)[:12]) + (", …" if len(value) > 12 else "") + "}"
                )
            parts.append(f"{key}={value}")
    return f" ({', '.join(parts)})" if parts else ""


def _examples(result: dict[str, Any], column: str | None) -> str:
    """Failing rows named by the frame's index columns when GX returned them, else failing values."""
    indexed = result.get("partial_unexpected_index_list") or []
    if indexed and isinstance(indexed[0], dict):
        rows = [", ".join(f"{k}={_short(v, 120)}" for k, v in row.items()) for row in indexed[:MAX_EXAMPLES]]
        return "; e.g. " + "; ".join(f"[{r}]" for r in rows)
    values = result.get("partial_unexpected_list") or []
    if values:
        return "; e.g. " + ", ".join(_short(v, 40) for v in values[:MAX_EXAMPLES])
    return ""


def _observed(expectation_type: str, kwargs: dict[str, Any], result: dict[str, Any]) -> str:
    if "unexpected_count" in result and result.get("element_count") is not None:
        examples = _examples(result, kwargs.get("column"))
        if result["element_count"] == 1 and examples:
            # A one-row frame (the volume comparison): its row is the finding, "1 of 1" is noise.
            return examples.removeprefix("; e.g. ")
        return f"{result['unexpected_count']} of {result['element_count']} rows unexpected" + examples
    observed = result.get("observed_value")
    if expectation_type == "expect_column_distinct_values_to_contain_set" and isinstance(observed, list):
        missing = sorted(set(kwargs.get("value_set") or []) - set(observed))
        return f"missing {', '.join(map(str, missing[:12]))}" + (
            f" and {len(missing) - 12} more" if len(missing) > 12 else ""
        )
    return f"observed {_short(observed)}"


def _exception_message(info: Any) -> str | None:
    """GX reports an evaluation error flat, or per metric when several metrics were computed."""
    if not isinstance(info, dict):
        return None
    if "raised_exception" in info:
        return str(info.get("exception_message")) if info["raised_exception"] else None
    for nested in info.values():
        message = _exception_message(nested)
        if message is not None:
            return message
    return None


def failure_sentence(suite: str, frame: str, validation_result: Any) -> str:
    """Word one failed ``ExpectationValidationResult``."""
    config = validation_result.expectation_config
    kwargs = {k: v for k, v in config.kwargs.items() if k != "batch_id"}
    column = kwargs.get("column")
    target = f" on column {column}" if column else ""
    head = f"Suite {suite}: {config.type}{target}{_expected(kwargs)} failed on {frame}"
    error = _exception_message(validation_result.exception_info)
    if error is not None:
        sentence = f"{head}: could not be evaluated ({_short(error, 200)})."
    else:
        sentence = f"{head}: {_observed(config.type, kwargs, dict(validation_result.result or {}))}."
    hint = (config.meta or {}).get("hint")
    return f"{sentence} {hint}" if hint else sentence
