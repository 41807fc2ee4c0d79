"""ParsedReport <-> JSON, for the extraction cache (readable, diffable, no pickle)."""

from __future__ import annotations

import json
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from ingestion.model import Amounts, BudgetUnit, Execution, Indicator, ParsedReport, PrintedExecution, Project


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def report_to_json(report: ParsedReport) -> str:
    return json.dumps(asdict(report), ensure_ascii=False, default=_default)


def _amounts(data: dict) -> Amounts:
    return Amounts(**{k: (Decimal(v) if v is not None else None) for k, v in data.items()})


def _execution(data: dict | None) -> Execution | None:
    if data is None:
        return None
    parsed = {k: (Decimal(v) if v is not None else None) for k, v in data.items() if k != "printed"}
    return Execution(printed=PrintedExecution(**data["printed"]), **parsed)


def report_from_json(text: str) -> ParsedReport:
    data = json.loads(text)
    data["declared_total"] = _amounts(data["declared_total"])
    data["budget_units"] = [BudgetUnit(**{**u, "declared": _amounts(u["declared"])}) for u in data["budget_units"]]
    data["projects"] = [
        Project(
            **{
                **p,
                "amounts": _amounts(p["amounts"]),
                "multi_year_total": Decimal(p["multi_year_total"]) if p.get("multi_year_total") is not None else None,
                "indicators": [Indicator(**i) for i in p["indicators"]],
                "execution": _execution(p.get("execution")),
            }
        )
        for p in data["projects"]
    ]
    return ParsedReport(**data)
