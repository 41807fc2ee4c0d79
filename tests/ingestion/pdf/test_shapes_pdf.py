"""The five samples in other shapes a producer prints: one row per indicator, and pages without a title.

Each must read into exactly the rows the text extract gives (78 projects, 368 indicators,
68,820.68 万元 over the five), with the year printed in the title as the fiscal year.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingestion.model import ReportRejected
from ingestion.pdf.reader import read_pdf_report
from tests.fixtures.pdf_generator import render_report, spec_from_parsed_report
from tests.fixtures.pdf_grid_generator import render_indicator_grid
from tests.ingestion.pdf.conftest import SAMPLE_STEMS, sha256
from tests.ingestion.pdf.test_roundtrip import assert_same_table

ENGINES = ["pdfium", "pdfplumber"]

# Grid variants: merged project cells continued across pages (rows_per_page_limit forces breaks
# inside projects), the name printed again on the next page, a cover page before the table.
GRID_VARIANTS = {
    "merged": dict(title="2025年项目支出绩效目标表", rows_per_page_limit=7),
    "repeated_name": dict(title="部门预算项目绩效目标表（2025年度）", rows_per_page_limit=5, repeat_project_name=True),
    "untitled": dict(title=None, blank_first_page=True, font_size=6.5),
    "yuan": dict(title="2025年项目支出绩效目标表", in_yuan=True, rows_per_page_limit=9),
    "centred": dict(title="2025年项目支出绩效目标表", valign="middle"),
}


@pytest.fixture(scope="module")
def grid_pdfs(tmp_path_factory, text_reports):
    out = tmp_path_factory.mktemp("grids")
    return {
        (stem, variant): render_indicator_grid(
            spec_from_parsed_report(report), out / f"{stem}.{variant}.pdf", **options
        )
        for stem, report in text_reports.items()
        for variant, options in GRID_VARIANTS.items()
    }


def _read(path, engine):
    return read_pdf_report(path, source_file=path.name, file_sha256=sha256(path), engine=engine)


def _indicator(ind) -> tuple:
    return (ind.level1_name, ind.level2_name, ind.name, ind.period_target or None, ind.annual_target)


def assert_same_rows(got, want):
    assert got.department_name == want.department_name
    assert got.declared_total == want.declared_total
    assert [(u.name, u.declared) for u in got.budget_units] == [(u.name, u.declared) for u in want.budget_units]
    assert [(p.name, p.budget_unit, p.amounts, p.goal) for p in got.projects] == [
        (p.name, p.budget_unit, p.amounts, p.goal) for p in want.projects
    ]
    for g, w in zip(got.projects, want.projects, strict=True):
        assert [_indicator(i) for i in g.indicators] == [_indicator(i) for i in w.indicators], w.name
        assert all(i.source_page is not None and i.source_row is not None for i in g.indicators)
    assert got.warnings == []


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("variant", sorted(GRID_VARIANTS))
@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_indicator_grid_reads_like_text(stem, variant, engine, grid_pdfs, text_reports):
    report = _read(grid_pdfs[stem, variant], engine)
    assert_same_rows(report, text_reports[stem])
    in_yuan = variant == "yuan" and text_reports[stem].layout != "C"
    assert report.amount_unit == ("元" if in_yuan else "万元")
    if variant == "untitled":
        assert (report.fiscal_year, report.fiscal_year_source) == (None, None)
    else:
        assert (report.fiscal_year, report.fiscal_year_source) == (2025, "document")


def test_indicator_grids_load_the_five_samples_exactly(grid_pdfs):
    reports = [_read(grid_pdfs[stem, "merged"], "pdfplumber") for stem in SAMPLE_STEMS]
    projects = [p for r in reports for p in r.projects]
    assert len(projects) == 78
    assert sum(len(p.indicators) for p in projects) == 368
    assert sum(p.amounts.total or Decimal(0) for p in projects) == Decimal("68820.68")


def test_grid_breaks_projects_across_pages(grid_pdfs):
    """The merged variant does break projects over pages: the continuation is what is tested."""
    report = _read(grid_pdfs["004_a302c5053bc31a53", "merged"], "pdfplumber")
    broken = [p for p in report.projects if len({i.source_page for i in p.indicators} | {p.source_page}) > 1]
    assert len(broken) >= 5


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_untitled_per_project_pdf_reads_like_text(stem, engine, tmp_path, text_reports):
    """Another producer: a blank first page, no title line, other statements before the table."""
    spec = spec_from_parsed_report(text_reports[stem])
    path = render_report(spec, tmp_path / f"{stem}.pdf", title=None, blank_first_page=True, leading_pages=2)
    report = _read(path, engine)
    assert_same_table(report, text_reports[stem])  # every field, every indicator, as the titled PDF
    assert report.projects[0].source_page == 4  # blank page, contents, one statement, then the table


@pytest.mark.parametrize(
    "title", ["2025年项目支出绩效目标表", "项目支出绩效目标申报表", "绩效目标表", "项目绩效目标表"]
)
def test_other_titles_do_not_matter(title, tmp_path, text_reports):
    spec = spec_from_parsed_report(text_reports["003_cdfe4f5fefb7849c"])
    report = _read(render_report(spec, tmp_path / "t.pdf", title=title), "pdfplumber")
    assert len(report.projects) == 6
    assert report.fiscal_year == (2025 if title.startswith("2025") else None)


def test_other_statements_alone_are_not_the_table(tmp_path):
    """A contents page naming the table and other statements, without the table: still no table."""
    from tests.fixtures.pdf_generator import ReportSpec

    path = render_report(ReportSpec("测试部门", []), tmp_path / "statements.pdf", leading_pages=4, title=None)
    with pytest.raises(ReportRejected, match="no 项目支出绩效目标表 found"):
        _read(path, "pdfplumber")


# ------------------------------------------------------------------------- one form per project
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("repeat_header", [False, True], ids=["cut", "header-again"])
@pytest.mark.parametrize("stem", ["001_482cb6efc95f57e9", "004_a302c5053bc31a53"])
def test_form_whose_indicator_grid_goes_on_over_the_next_page(stem, repeat_header, engine, tmp_path, text_reports):
    """A form longer than its page goes on at the top of the next one (only a page number above it):
    every indicator of the project is read, none lost at the page break, none taken from elsewhere."""
    from tests.fixtures.pdf_form_generator import render_forms

    want = text_reports[stem]
    path = render_forms(
        spec_from_parsed_report(want), tmp_path / "cut.pdf", rows_per_page=9, repeat_grid_header=repeat_header
    )
    report = _read(path, engine)
    assert any(len(p.indicators) > 3 for p in want.projects)  # so some forms do go on over a page
    assert [(p.name, p.amounts, p.goal) for p in report.projects] == [
        (p.name, p.amounts, p.goal) for p in want.projects
    ]
    assert [[_indicator(i) for i in p.indicators] for p in report.projects] == [
        [_indicator(i) for i in p.indicators] for p in want.projects
    ]
    continued = [i for p in report.projects for i in p.indicators if i.source_page != p.source_page]
    assert continued and all(i.source_page > 1 for i in continued)
    assert report.warnings == []


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("in_yuan", [False, True], ids=["wan", "yuan"])
@pytest.mark.parametrize("stem", SAMPLE_STEMS)
def test_document_of_forms_gives_one_project_per_form(stem, in_yuan, engine, tmp_path, text_reports):
    """Each project's explanation page then its form: one project per form, every indicator, 万元, the year."""
    from tests.fixtures.pdf_form_generator import render_forms

    want = text_reports[stem]
    path = render_forms(spec_from_parsed_report(want), tmp_path / f"{stem}.forms.pdf", in_yuan=in_yuan)
    report = _read(path, engine)
    assert [(p.name, p.budget_unit, p.amounts, p.goal) for p in report.projects] == [
        (p.name, p.budget_unit, p.amounts, p.goal) for p in want.projects
    ]
    assert [[_indicator(i) for i in p.indicators] for p in report.projects] == [
        [_indicator(i) for i in p.indicators] for p in want.projects
    ]
    assert report.department_name == want.department_name
    assert [p.source_page for p in report.projects] == list(range(2, 2 * len(want.projects) + 1, 2))
    assert (report.fiscal_year, report.fiscal_year_source) == (2025, "document")
    with_amounts = want.layout != "C"
    assert report.amount_unit == ("元" if in_yuan else "万元")
    assert [p.multi_year_total for p in report.projects] == [
        p.amounts.total * 3 if with_amounts and p.amounts.total else None for p in want.projects
    ]
    assert report.warnings == []
