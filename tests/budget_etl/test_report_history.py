"""The report's sections across years and on the self-evaluations, with exact figures.

A warehouse of two fiscal years and a self-evaluation (history_warehouse.py) renders every new section:
the funding change of 广州市工商业联合会 2024→2025 (new 4 projects +81.00, continued +50.00,
discontinued 2 projects -45.00: 558.38 → 644.38), attainment of 广州市白云区工商业联合会's 2025
self-evaluation (3 met, 2 not met, 3 not comparable: 60 %), its two projects that missed a target and the
one target that changed (因公出国(境)次数 大于等于2批次 → 大于等于1批次). The five samples (one year, no
self-evaluation) get a line saying why each section is empty.
"""

from __future__ import annotations

import html
import re

import pytest

from budget_etl.html_report import render_report
from budget_etl.html_report.svg_charts import Series, diverging_bar_chart
from budget_etl.i18n import LANG_ENV, speaking
from tests.budget_etl.history_warehouse import build_history_warehouse
from tests.budget_etl.test_report import _embedded_font, _marks

FEDERATION = "广州市工商业联合会 2024→2025"
BAIYUN = "广州市白云区工商业联合会"


@pytest.fixture(scope="module")
def history_warehouse(tmp_path_factory):
    return build_history_warehouse(tmp_path_factory.mktemp("history-report"))


def _render(warehouse, path, lang: str) -> str:
    with speaking(lang):
        return render_report(warehouse, path).read_text(encoding="utf-8")


def _section(document: str, anchor: str) -> str:
    return re.search(rf'<section id="{anchor}">(.*?)</section>', document, flags=re.S).group(1)


@pytest.fixture(scope="module")
def english(history_warehouse, tmp_path_factory):
    return _render(history_warehouse, tmp_path_factory.mktemp("en") / "report.html", "en")


@pytest.fixture(scope="module")
def chinese(history_warehouse, tmp_path_factory):
    return _render(history_warehouse, tmp_path_factory.mktemp("zh") / "report.html", "zh")


def test_funding_change_by_department_between_years(english):
    section = _section(english, "funding-change")
    assert section.count('<svg class="chart"') == 1
    assert [m for m in _marks(section)] == [
        (FEDERATION, "new projects", "81.0"),
        (FEDERATION, "continued projects, increase", "50.0"),
        (FEDERATION, "discontinued projects", "-45.0"),
    ]
    assert ">+86.00 (558.38 → 644.38)</text>" in section
    assert (
        '<tr><td>广州市工商业联合会</td><td class="num">2024</td><td class="num">2025</td><td class="num">558.38</td>'
        '<td class="num">644.38</td><td class="num">86.00</td><td>+15.4%</td><td class="num">4</td>'
        '<td class="num">2</td><td class="num">2</td></tr>'
    ) in section
    assert f"Departments with one fiscal year only, not in the chart: {BAIYUN}." in section


def test_gains_are_drawn_right_of_zero_and_losses_left():
    chart = diverging_bar_chart(
        ["a"],
        [Series("up", "#0072B2"), Series("down", "#D55E00")],
        [[10.0, -5.0]],
        value_format=str,
        row_notes=["+5"],
        title="t",
    )
    zero = float(re.search(r'<line x1="([\d.]+)"', chart).group(1))
    bars = {
        series: (float(x), float(width))
        for x, width, series in re.findall(
            r'<rect class="mark" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*'
            r'data-series="([^"]*)"',
            chart,
        )
    }
    assert bars["up"][0] == pytest.approx(zero, abs=0.01)
    assert bars["down"][0] + bars["down"][1] == pytest.approx(zero, abs=0.01)
    assert bars["up"][1] == pytest.approx(2 * bars["down"][1], abs=0.02)


def test_attainment_per_department_and_per_category(english):
    section = _section(english, "attainment")
    assert section.count('<svg class="chart"') == 2
    marks = _marks(section)
    assert [m for m in marks if m[0] == f"{BAIYUN} (2025)"] == [
        (f"{BAIYUN} (2025)", "met", "3.0"),
        (f"{BAIYUN} (2025)", "not met", "2.0"),
        (f"{BAIYUN} (2025)", "not comparable", "3.0"),
    ]
    assert ">rate 60% (3 of 5; 8 indicators)</text>" in section
    categories = [m for m in marks if m[0] != f"{BAIYUN} (2025)"]
    assert categories == [
        ("产出指标 · 数量指标 (2025)", "not met", "2.0"),
        ("产出指标 · 质量指标 (2025)", "not comparable", "1.0"),
        ("产出指标 · 时效指标 (2025)", "met", "1.0"),
        ("效益指标 · 经济效益指标 (2025)", "not comparable", "1.0"),
        ("效益指标 · 社会效益指标 (2025)", "met", "2.0"),
        ("效益指标 · 社会效益指标 (2025)", "not comparable", "1.0"),
    ]
    assert ">rate 0% (0 of 2; 2 indicators)</text>" in section and ">rate — (0 of 0; 1 indicators)</text>" in section


def test_projects_that_missed_the_most_targets(english):
    section = _section(english, "missed-targets")
    assert ("办公场地项目经费 (2025)", "not met", "1.0") in _marks(section)
    assert ">1 of 3 not met</text>" in section and ">1 of 5 not met</text>" in section
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", section)
    assert rows == [
        f'办公场地项目经费</td><td>{BAIYUN}</td><td class="num">2025</td><td>1 / 3</td><td>26.00 / 30.00',
        f'扶贫工作经费</td><td>{BAIYUN}</td><td class="num">2025</td><td>1 / 5</td><td>37.00 / 50.00',
    ]


def test_targets_that_changed_between_years(english):
    section = _section(english, "target-changes")
    assert re.findall(r"<tr><td>(.*?)</td></tr>", section) == [
        '广州市工商业联合会</td><td>工作经费</td><td>因公出国(境)次数</td><td class="num">2024</td>'
        '<td>大于等于2批次</td><td class="num">2025</td><td>大于等于1批次</td><td>number'
    ]


def test_the_new_sections_in_chinese_with_the_labels_of_the_dbt_yaml(chinese):
    for heading in ("各部门资金年度变化 (万元)", "绩效目标完成情况", "未完成指标最多的项目", "年度指标值的变化"):
        assert f">{heading}</h2>" in chinese
    assert "<th>上一预算年度</th><th>预算年度</th><th>上年总计(万元)</th><th>总计(万元)</th>" in chinese
    assert ("广州市工商业联合会 2024→2025", "撤销项目", "-45.0") in _marks(chinese)
    assert ">完成率 60% (3 / 5，共 8 项)</text>" in chinese
    assert "<td>大于等于1批次</td><td>数值</td>" in chinese
    assert "<th>未完成 / 指标数</th><th>得分 / 分值</th>" in chinese
    assert "Target attainment" not in chinese and "not met" not in chinese
    cmap = _embedded_font(chinese).getBestCmap()
    page_text = html.unescape(re.sub(r"<[^>]+>", " ", chinese.split("</style>", 1)[1]))
    assert sorted({ch for ch in page_text if ord(ch) > 0x20 and ord(ch) not in cmap}) == []


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        (
            "en",
            [
                "Every department is published for one fiscal year only: there is no change between years to show.",
                "No self-evaluation (项目支出绩效自评表) is published: there are no results to compare with the targets.",
                "No project is published in two fiscal years: there are no targets to compare between years.",
            ],
        ),
        (
            "zh",
            [
                "每个部门只发布了一个预算年度，暂无年度变化可比较。",
                "没有已发布的绩效自评表 (项目支出绩效自评表)，暂无完成情况。",
                "没有项目在两个预算年度中发布，暂无指标值变化可比较。",
            ],
        ),
    ],
)
def test_one_year_without_self_evaluation_says_why_in_one_line(samples_warehouse, tmp_path, monkeypatch, lang, lines):
    monkeypatch.delenv(LANG_ENV, raising=False)
    document = _render(samples_warehouse, tmp_path / "report.html", lang)
    funding, attainment, missed, targets = (
        _section(document, anchor) for anchor in ("funding-change", "attainment", "missed-targets", "target-changes")
    )
    assert f'<p class="empty">{lines[0]}</p>' in funding
    assert f'<p class="empty">{lines[1]}</p>' in attainment and f'<p class="empty">{lines[1]}</p>' in missed
    assert f'<p class="empty">{lines[2]}</p>' in targets
    assert document.count('<svg class="chart"') == 4  # the new sections draw no empty chart


def test_the_summary_counts_a_self_evaluation_by_its_results(history_warehouse):
    """Its rows are in the result facts: the CLI table shows them (not 0 projects) and marks its kind."""
    from budget_etl.summary import summarize

    summary = summarize(history_warehouse)
    by_file = {r.source_file: r for r in summary.per_report}
    evaluation = by_file["se.txt"]
    assert (evaluation.report_kind, evaluation.projects, evaluation.indicators) == ("self_evaluation", 2, 8)
    assert evaluation.computed_total is None  # no target amounts: its executed amounts are not a 合计
    assert by_file["000_78a7ae6ba5b81e46.txt"].report_kind == "targets"
    assert summary.projects == sum(r.projects for r in summary.per_report if r.report_kind == "targets")
