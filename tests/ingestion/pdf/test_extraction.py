"""Extraction details: page breaks inside rows, hanging punctuation, doubled glyphs, checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingestion.pdf.chars import has_doubled_chars
from ingestion.pdf.reader import extract_table_rows, read_pdf_report
from tests.fixtures.pdf_generator import ProjectSpec, ReportSpec, UnitSpec, render_report

LONG_INDICATORS = "".join(
    f"{i}、1-产出指标；11-数量指标；第{i}项指标名称较长需要换行显示；实施周期指标值:≥{i}次；年度指标值:≥{i}次。"
    for i in range(1, 80)
)


def _spec(**project_overrides) -> ReportSpec:
    projects = [
        ProjectSpec(
            "第一个项目",
            ("10.00", "10.00", "", ""),
            "保障工作正常开展。",
            "1、1-产出指标；11-数量指标；次数；实施周期指标值:1次；年度指标值:1次。",
        ),
        ProjectSpec("第二个项目", ("20.50", "20.00", "0.50", ""), "长目标。", LONG_INDICATORS),
        ProjectSpec(
            "第三个项目Windows Server 2019",
            ("5.00", "", "", "5.00"),
            "完成采购。",
            "1、3-满意度指标；31-服务对象满意度；满意度；实施周期指标值:≥90%；年度指标值:≥90%。",
        ),
    ]
    for key, value in project_overrides.items():
        setattr(projects[1], key, value)
    unit = UnitSpec("测试单位", ("35.50", "30.00", "0.50", "5.00"), projects)
    return ReportSpec("测试部门", [unit], total=("35.50", "30.00", "0.50", "5.00"))


ENGINES = ["pdfium", "pdfplumber"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("repeat_header", [True, False])
def test_row_broken_across_pages_is_one_row(tmp_path, repeat_header, engine):
    path = render_report(_spec(), tmp_path / "split.pdf", repeat_header=repeat_header, font_size=8)
    table = extract_table_rows(path, engine=engine)
    assert table.engine == engine
    assert table.page_count == 3  # the long indicator cell runs over two page breaks
    assert [r.name for r in table.rows] == [
        "合计",
        "测试单位",
        "第一个项目",
        "第二个项目",
        "第三个项目Windows Server 2019",
    ]
    assert [r.source_row for r in table.rows] == [1, 2, 3, 4, 5]
    assert [r.source_page for r in table.rows] == [1, 1, 1, 1, 3]
    assert table.rows[3].indicators == LONG_INDICATORS
    assert table.rows[3].amounts == ["20.50", "20.00", "0.50", ""]
    assert table.department_name == "测试部门"


@pytest.mark.parametrize("engine", ENGINES)
def test_hanging_punctuation_stays_in_its_cell(tmp_path, engine):
    # Each goal line ends exactly at the rule, so every 。/，is hung past it into the next column.
    goal = "保障办公正常运转工作，" * 6 + "完成。"
    path = render_report(_spec(goal=goal), tmp_path / "hang.pdf", column_widths=(112, 50, 50, 50, 50, 75.0, 399))
    rows = extract_table_rows(path, engine=engine).rows
    assert rows[3].goal == goal
    assert rows[3].indicators == LONG_INDICATORS


@pytest.mark.parametrize("engine", ENGINES)
def test_simulated_bold_and_lookalikes(tmp_path, engine):
    path = render_report(_spec(goal="门禁金额长期见效。"), tmp_path / "bold.pdf", simulated_bold=True, lookalikes=True)
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        assert has_doubled_chars(pdf.pages[0].chars)
        assert "\u2ed4" in "".join(c["text"] for c in pdf.pages[0].chars)  # ⻔ printed for 门
    rows = extract_table_rows(path, engine=engine).rows
    assert rows[3].goal == "门禁金额长期见效。"
    assert rows[4].name == "第三个项目Windows Server 2019"


def test_no_doubled_chars_in_plain_page(tmp_path):
    import pdfplumber

    path = render_report(_spec(), tmp_path / "plain.pdf")
    with pdfplumber.open(path) as pdf:
        assert not has_doubled_chars(pdf.pages[0].chars)


@pytest.mark.parametrize("engine", ENGINES)
def test_amounts_and_layout(tmp_path, engine):
    path = render_report(_spec(), tmp_path / "r.pdf", leading_pages=2)
    report = read_pdf_report(path, source_file="r.pdf", file_sha256="0" * 64, engine=engine)
    assert report.layout == "pdf" and report.page_count == 4
    assert report.department_name == "测试部门"
    assert report.declared_total.total == Decimal("35.50")
    p2 = report.projects[1]
    assert (p2.amounts.total, p2.amounts.fiscal, p2.amounts.special_account) == (
        Decimal("20.50"),
        Decimal("20.00"),
        Decimal("0.50"),
    )
    assert p2.source_page == 3 and len(p2.indicators) == 79
    assert report.warnings == []


@pytest.mark.parametrize("engine", ["auto", *ENGINES])
def test_sum_mismatch_is_a_warning_not_a_rejection(tmp_path, engine):
    spec = _spec()
    spec.units[0].amounts = ("36.50", "31.00", "0.50", "5.00")  # a subtotal off by 1.00
    spec.units[0].projects[0].amounts = ("10.00", "9.00", "", "")  # 总计 != sum of its sources
    path = render_report(spec, tmp_path / "bad_sums.pdf")
    report = read_pdf_report(path, source_file="bad_sums.pdf", file_sha256="0" * 64, engine=engine)
    assert len(report.projects) == 3
    joined = "\n".join(report.warnings)
    assert "第一个项目" in joined and "测试单位" in joined and "合计" in joined


@pytest.mark.parametrize("engine", ENGINES)
def test_layout_c_columns(tmp_path, engine):
    projects = [
        ProjectSpec("项目甲", None, "目标甲。", "1、产出指标：人数，年度指标值：4人。", "主管部门甲", "单位甲"),
        ProjectSpec("项目乙", None, "目标乙。", "1、效益指标：成效，年度指标值：良好。", "主管部门甲", "单位乙"),
    ]
    spec = ReportSpec(
        None, [UnitSpec("单位甲", None, projects[:1]), UnitSpec("单位乙", None, projects[1:])], with_amounts=False
    )
    rows = extract_table_rows(render_report(spec, tmp_path / "c.pdf"), engine=engine).rows
    assert [(r.department, r.budget_unit, r.name, r.amounts) for r in rows] == [
        ("主管部门甲", "单位甲", "项目甲", None),
        ("主管部门甲", "单位乙", "项目乙", None),
    ]


def test_dedupe_chars_matches_pdfplumber(tmp_path):
    import pdfplumber

    from ingestion.pdf.chars import dedupe_chars

    path = render_report(_spec(), tmp_path / "bold.pdf", simulated_bold=True)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        ours = [(c["text"], c["x0"], c["top"]) for c in dedupe_chars(page.chars)]
        theirs = [(c["text"], c["x0"], c["top"]) for c in page.dedupe_chars(tolerance=1).chars]
        assert ours == theirs and len(ours) < len(page.chars)
