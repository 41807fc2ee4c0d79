"""Read a text extract of a 项目支出绩效目标表 into a ``ParsedReport``.

Decode -> find the table header -> pick the layout reader by the header's shape -> cells ->
the shared table parser. The table is found by its header, never by its title: a title, when
printed, is a source of facts. A year printed in it ("2025年项目支出绩效目标表", "（2026年度）") is
the report's fiscal year (source "document"); otherwise it is left None for the caller, who knows
it from where the file came from. A tab-separated table of one row per indicator is read by that
shape's reader (``text.grid``).
"""

from __future__ import annotations

from pathlib import Path

from ingestion.model import ParsedReport, ReportRejected
from ingestion.parse.amount_units import stated_unit, title_unit
from ingestion.parse.report_header import (
    find_department_name,
    find_fiscal_year,
)
from ingestion.parse.table_parser import NO_PROJECT_ROWS, build_report
from ingestion.text.columns import read_columns
from ingestion.text.detect import (
    LAYOUT_COLUMNS,
    LAYOUT_TABBED,
    LAYOUT_WRAPPED,
    find_table_header,
)
from ingestion.text.encoding import decode_report_bytes, split_lines
from ingestion.text.forms import first_form_line, read_forms
from ingestion.text.grid import find_grid_header, read_grid
from ingestion.text.tabbed import read_tabbed
from ingestion.text.wrapped import read_wrapped
from ingestion.vocabulary import TABLE_TITLE, form_label

NO_TABLE = f"no {TABLE_TITLE} found"

_READERS = {LAYOUT_WRAPPED: read_wrapped, LAYOUT_TABBED: read_tabbed, LAYOUT_COLUMNS: read_columns}


def read_text_report(path: Path, *, source_file: str, file_sha256: str) -> ParsedReport:
    return parse_text_report(path.read_bytes(), source_file=source_file, file_sha256=file_sha256)


def parse_text_report(data: bytes, *, source_file: str, file_sha256: str) -> ParsedReport:
    """Same as read_text_report, from the file's bytes."""
    text = decode_report_bytes(data).text
    lines = split_lines(text)
    grid = find_grid_header(lines)
    if grid is not None:
        if grid.unknown:
            raise ReportRejected(
                f"{TABLE_TITLE} has a column the reader does not understand: {'、'.join(grid.unknown)}"
            )
        layout, first_index, result = LAYOUT_TABBED, grid.first_index, read_grid(lines, grid)
        titles = ["".join(r) for r in grid.rows]
    elif (form_start := first_form_line(lines)) is not None and find_table_header(lines) is None:
        layout, first_index, result = LAYOUT_TABBED, form_start, read_forms(lines, form_start)
        titles = [c for line in lines[form_start:] for c in line.text.split("\t") if form_label(c)[0]]
    else:
        header = find_table_header(lines)
        if header is None:
            raise ReportRejected(NO_TABLE)
        if header.layout is None:
            raise ReportRejected(
                f"{TABLE_TITLE} header found but its layout is not recognised: {' | '.join(header.cells)[:120]}"
            )
        layout, first_index, result = header.layout, header.first_index, _READERS[header.layout](lines, header)
        titles = list(header.cells)
    if not result.rows:
        raise ReportRejected(NO_PROJECT_ROWS)

    above = [line.text for line in lines[:first_index]]
    department_name = find_department_name(above) or result.department_name
    warnings = list(result.warnings)
    unit = stated_unit(above) or title_unit(titles)

    report = build_report(
        result.rows,
        source_file=source_file,
        file_sha256=file_sha256,
        layout=layout,
        department_name=department_name,
        page_count=result.page_count,
        amount_unit=unit,
    )
    report.warnings = warnings + report.warnings
    year = find_fiscal_year(above)
    if year is not None:
        report.fiscal_year, report.fiscal_year_source = year, "document"
    return report
