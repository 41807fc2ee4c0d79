"""`status`: the last refresh attempt (whatever its outcome), what is published, the next run.

The published warehouse alone cannot say that a run failed, so the last attempt comes first, from
publishing/attempts.py; then the published version; then when the schedule runs next (read from the
schedule's own definition). ``--json`` gives the same facts to monitoring.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from budget_etl.cli.console import DebugOption, WarehouseOption, fail, flag, out, print_line, resolve_warehouse
from budget_etl.i18n import LANG_ENV, UnknownLanguage, speaking, t
from budget_etl.summary import ReportFigures, WarehouseSummary, summarize
from contract.errors import UserFacingError
from contract.files import WarehouseFiles
from publishing.attempts import LastAttempt, read_attempt
from publishing.change_feed import FeedCounts, read_feed_counts
from publishing.connections import connect_read_only, read_meta

# Every label below comes from the message catalogue (budget_etl/i18n.py): Chinese unless asked otherwise.
LangOption = typer.Option(
    None, "--lang", help=f"Language of the output: zh (default) or en [env {LANG_ENV}].", show_default=False
)


def next_scheduled_run() -> tuple[datetime, str, str]:
    from orchestration.run import next_scheduled_refresh

    return next_scheduled_refresh()


def amount_cell(report: ReportFigures) -> str:
    """The printed 合计, with the sum of the project rows beside it when they differ."""
    printed, computed = report.printed_total, report.computed_total
    if printed is None:
        return t("amount.rows_only", computed=f"{computed:,.2f}") if computed is not None else "—"
    if computed is not None and computed != printed:
        return t("amount.rows_differ", printed=f"{printed:,.2f}", computed=f"{computed:,.2f}")
    return f"{printed:,.2f}"


# Rows of the per-report table: a national warehouse has 100,000 reports, which no terminal should print
# after each refresh (1,000 rows took about a second); `budget-etl report` and dim_reports have them all.
SUMMARY_ROWS = 30


def shown_reports(summary: WarehouseSummary, limit: int = SUMMARY_ROWS) -> list[ReportFigures]:
    """The reports the table lists, in file order: all of them up to ``limit``; beyond it, first those this
    version added or re-published, then those with warnings, then the others."""
    if len(summary.per_report) <= limit:
        return summary.per_report
    by_priority = sorted(
        summary.per_report,
        key=lambda r: (r.source_file not in summary.changed_files, not r.warning_count, r.source_file),
    )
    return sorted(by_priority[:limit], key=lambda r: r.source_file)


def print_summary(summary: WarehouseSummary, *, title: str) -> None:
    table = Table(title=title, show_lines=False)
    numeric = (t("col.projects"), t("col.indicators"), t("col.amount"), t("col.warnings"))
    for column in (t("col.report"), t("col.department"), t("col.layout"), t("col.year"), *numeric):
        table.add_column(column, justify="right" if column in numeric else "left")
    shown = shown_reports(summary)
    for r in shown:
        cells = (
            r.source_file,
            r.department or "",
            r.layout if r.report_kind != "self_evaluation" else t("layout.self_evaluation", layout=r.layout),
            str(r.fiscal_year) if r.fiscal_year else "—",
            str(r.projects),
            str(r.indicators),
            amount_cell(r),
            str(r.warning_count) if r.warning_count else "",  # dim_reports.warning_count; blank when none
        )
        table.add_row(*(Text(c) for c in cells))  # names are text, never markup
    out.print(table)
    if len(shown) < len(summary.per_report):
        print_line(t("summary.more", hidden=len(summary.per_report) - len(shown)))
    total = f"{summary.total_amount:,.2f} 万元" if summary.total_amount is not None else "—"
    print_line(
        t(
            "summary.totals",
            reports=summary.reports,
            projects=summary.projects,
            indicators=summary.indicators,
            total=total,
        )
    )
    print_quarantine([list(q) for q in summary.quarantined], heading=t("quarantine.published"))


def print_quarantine(quarantined: list[list[str]], *, heading: str) -> None:
    print_line(f"{len(quarantined)} {heading}" + (":" if quarantined else ""))
    for _source_file, reason in quarantined:
        print_line(f"  {reason}")


def removed_line(removed: list[str], *, published: bool = True) -> str:
    """The reports whose files left the inbox since the last publish (expectations/volume.py)."""
    return t("status.removed_published" if published else "status.removed_kept", files=", ".join(removed))


def _print_attempt(attempt: LastAttempt | None) -> None:
    if attempt is None:
        print_line(t("status.no_attempt"))
        return
    print_line(
        t(
            "status.attempt",
            finished_at=attempt.finished_at,
            outcome=attempt.outcome.upper(),
            run_id=attempt.run_id or "—",
            started_by=attempt.started_by,
        )
    )
    if attempt.cause:
        print_line(t("status.cause", cause=attempt.cause))
    if attempt.log:
        print_line(t("status.log", log=attempt.log))
    if attempt.data_docs:
        print_line(t("status.data_docs", uri=Path(attempt.data_docs).as_uri()))
    if attempt.removed:
        print_line(f"  {removed_line(attempt.removed, published=attempt.published)}")
    if not attempt.published:
        print_quarantine(attempt.quarantined, heading=t("quarantine.run"))


def published_changes(warehouse: Path) -> FeedCounts | None:
    """The change feed of the published version in numbers; None for a version built before it existed."""
    con = connect_read_only(warehouse)
    try:
        return read_feed_counts(con, read_meta(con))
    finally:
        con.close()


def changes_line(counts: FeedCounts) -> str:
    """One line: what the published version changed since the previous publish (publishing/change_feed.py)."""
    if counts.unavailable:
        return t("status.changes_unavailable", reason=counts.unavailable)
    if counts.previous_run_id is None:
        return t("status.first_publish")
    if counts.unchanged:
        return t("status.changes", run_id=counts.previous_run_id, parts=t("change.none"))
    numbers = [
        ("change.reports_added", "change.report", counts.reports_added),
        ("change.reports_removed", "change.report", counts.reports_removed),
        ("change.reports_changed", "change.report", counts.reports_changed),
        ("change.projects_added", "change.project", counts.projects_added),
        ("change.projects_removed", "change.project", counts.projects_removed),
        ("change.projects_changed", "change.project", counts.projects_changed),
    ]
    delta = f"{counts.changed_projects_delta:+,.2f}"
    parts = [t(key, n=n, noun=t(noun if n == 1 else noun + "s"), delta=delta) for key, noun, n in numbers if n]
    if counts.total_delta:
        parts.append(t("change.total", delta=f"{counts.total_delta:+,.2f}"))
    return t("status.changes", run_id=counts.previous_run_id, parts=t("change.separator").join(parts))


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (Path, datetime)):
        return str(value)
    raise TypeError(type(value).__name__)


def status_document(warehouse: Path) -> dict:
    """Everything `status` shows, as one JSON-able dict (also `status --json`)."""
    files = WarehouseFiles(warehouse)
    attempt = read_attempt(files)
    tick, cron, zone = next_scheduled_run()
    document: dict = {
        "warehouse": str(warehouse),
        "last_attempt": asdict(attempt) if attempt else None,
        "next_scheduled_run": {"at": tick.isoformat(), "cron": cron, "timezone": zone},
        "published": None,
    }
    try:
        summary = summarize(warehouse)
    except UserFacingError as error:
        document["published_error"] = str(error)
        return document
    document["published"] = {
        "run_id": summary.meta.get("run_id"),
        "refreshed_at": summary.meta.get("refreshed_at"),
        "inbox": summary.meta.get("inbox"),
        "reports": summary.reports,
        "projects": summary.projects,
        "indicators": summary.indicators,
        "total_amount": summary.total_amount,
        "per_report": [asdict(r) for r in summary.per_report],
        "quarantined": [list(q) for q in summary.quarantined],
    }
    changes = published_changes(warehouse)
    document["published"]["changes"] = asdict(changes) if changes is not None else None
    return document


def status(
    warehouse: Path | None = WarehouseOption,
    as_json: bool = flag("--json", "Print the status as one JSON document (for monitoring)."),
    lang: str | None = LangOption,
    debug: bool = DebugOption,
) -> None:
    """The last refresh attempt, what is published, and when the nightly refresh runs next."""
    try:
        with speaking(lang):
            _show_status(resolve_warehouse(warehouse), as_json, debug)
    except UnknownLanguage as error:
        fail(str(error), debug)


def _show_status(warehouse_path: Path, as_json: bool, debug: bool) -> None:
    if as_json:
        document = status_document(warehouse_path)
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=1, default=_json_default) + "\n")
        if document["published"] is None:
            raise typer.Exit(1)
        return
    attempt = read_attempt(WarehouseFiles(warehouse_path))
    _print_attempt(attempt)
    if attempt is not None and not warehouse_path.exists():  # e.g. a first refresh that loaded no report
        fail(t("status.nothing_published", path=warehouse_path))
    tick, cron, zone = next_scheduled_run()
    try:
        summary = summarize(warehouse_path)
    except UserFacingError as error:
        fail(str(error), debug)
    meta = summary.meta
    unknown = t("unknown")
    print_line(
        t(
            "status.published",
            run_id=meta.get("run_id", "?"),
            refreshed_at=meta.get("refreshed_at", unknown),
            inbox=meta.get("inbox", unknown),
        )
    )
    changes = published_changes(warehouse_path)
    if changes is not None:
        print_line(changes_line(changes))
    print_line(t("status.next_run", at=tick.isoformat(), zone=zone, cron=cron))
    print_summary(summary, title=t("summary.title", path=warehouse_path))
