"""A one-file visual report of a published warehouse, for readers without a BI tool.

render_report() writes ONE static HTML file: charts are inline SVG drawn in Python (svg_charts),
styles and a subset of a Chinese font are inline (page, embedded_font), there is no script and no
external reference, so the file opens offline on any machine, can be mailed or archived next to
the warehouse it describes, and shows the same thing in ten years. The sections (sections,
funding, indicators, history, attainment) read the marts the pipeline publishes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from budget_etl.html_report.attainment import section_attainment, section_missed_targets
from budget_etl.html_report.funding import section_funding_by_department, section_funding_by_source
from budget_etl.html_report.history import section_funding_change, section_target_changes
from budget_etl.html_report.indicators import section_indicator_mix, section_quantified_share
from budget_etl.html_report.page import build_html
from budget_etl.html_report.sections import section_overview, section_quarantine, section_reconciliation
from contract import atomic
from publishing.connections import connect_read_only, read_meta


def render_report(warehouse: Path, out: Path) -> Path:
    """Write the report of the warehouse (opened read-only) to out, atomically; returns out."""
    warehouse, out = Path(warehouse), Path(out)
    con = connect_read_only(warehouse)
    try:
        meta = read_meta(con)
        sections = [
            section_overview(con, meta),
            section_funding_by_department(con),
            section_funding_by_source(con),
            section_funding_change(con),
            section_indicator_mix(con),
            section_quantified_share(con),
            section_attainment(con),
            section_missed_targets(con),
            section_target_changes(con),
            section_reconciliation(con),
            section_quarantine(con),
        ]
    finally:
        con.close()
    generated_at = datetime.now(UTC).isoformat(timespec="seconds")
    document = build_html(sections, warehouse_name=warehouse.name, meta=meta, generated_at=generated_at)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target then renamed: a browser or a mail job never picks up half a file.
    atomic.write_text(out, document)
    return out
