"""The five sample extracts read end to end, plus synthetic variants and rejections.

Expected values were counted by reading the samples (data/samples), not taken from the output.
"""

from __future__ import annotations

import codecs
from decimal import Decimal
from pathlib import Path

import pytest

from ingestion.model import Amounts, ReportRejected
from ingestion.text.reader import parse_text_report, read_text_report

D = Decimal
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
F000, F001, F002, F003, F004 = (
    "000_78a7ae6ba5b81e46.txt",
    "001_482cb6efc95f57e9.txt",
    "002_39e10e3528be362f.txt",
    "003_cdfe4f5fefb7849c.txt",
    "004_a302c5053bc31a53.txt",
)
_cache: dict = {}


def report(name):
    if name not in _cache:
        _cache[name] = read_text_report(SAMPLES / name, source_file=name, file_sha256="sha")
    return _cache[name]


def project(rep, name):
    [found] = [p for p in rep.projects if p.name == name]
    return found


def amounts(a: Amounts):
    return (a.total, a.fiscal, a.special_account, a.other)


def ind(i):
    return (
        i.printed_number,
        i.level1_code,
        i.level1_name,
        i.level2_code,
        i.level2_name,
        i.name,
        i.period_target,
        i.annual_target,
    )


@pytest.mark.parametrize(
    ("name", "layout", "department", "projects", "units", "indicators"),
    [
        (F000, "A", "广州市白云区工商业联合会", 9, 1, 40),
        (F001, "B", "广州市工商业联合会", 17, 2, 54),
        (F002, "C", "广州市花都区工商业联合会", 13, 2, 31),
        (F003, "A", "广州市白云区人民政府办公室", 6, 1, 33),
        (F004, "B", "广州市白云区科技工业商务和信息化局", 33, 1, 210),
    ],
)
def test_counts(name, layout, department, projects, units, indicators):
    rep = report(name)
    assert (rep.layout, rep.department_name, rep.fiscal_year) == (layout, department, None)
    assert len(rep.projects) == projects
    assert len(rep.budget_units) == units
    assert sum(len(p.indicators) for p in rep.projects) == indicators
    assert rep.warnings == []
    for p in rep.projects:
        assert [i.seq for i in p.indicators] == list(range(1, len(p.indicators) + 1))


def test_000_layout_a():
    rep = report(F000)
    assert amounts(rep.declared_total) == (D("49.00"), D("49.00"), D("0.00"), D("0.00"))
    [unit] = rep.budget_units
    assert (unit.name, unit.declared.total, unit.source_row, unit.source_page) == (
        "广州市白云区工商业联合会",
        D("49.00"),
        10,
        None,
    )
    assert sum(p.amounts.total for p in rep.projects) == D("49.00")
    assert [p.name for p in rep.projects] == [
        "办公场地项目经费",
        "扶贫工作经费",
        "对民营企业进行教育服务管理经费",
        "对非公党建工作管理经费",
        "基层商会培训指导管理经费",
        "因公出国（境）经费",
        "政府雇员工资经费",
        "两新组织党务工作者补贴",
        "政府雇员公用经费",
    ]
    wrapped = project(rep, "对民营企业进行教育服务管理经费")
    assert amounts(wrapped.amounts) == (D("1.44"), D("1.44"), D("0.00"), D("0.00"))
    assert (wrapped.source_row, wrapped.source_page, wrapped.amounts_inferred) == (47, None, True)
    assert wrapped.goal.startswith("坚持以习近平新时代中国特色社会主义思想为指导，紧紧围绕区委区政府中心工作，")
    assert wrapped.goal.endswith("促进“两个健康”持续发展，推动我区经济社会发展全面上水平。")
    assert [ind(i) for i in wrapped.indicators][1] == (
        "2",
        "1",
        "产出指标",
        "11",
        "数量指标",
        "举办非公企业活动次数",
        "≧2次",
        "≧2次",
    )
    office = project(rep, "办公场地项目经费")
    assert (
        office.goal
        == "通过开展本项目，保障单位办公场所正常运行，为我单位工作人员提供安全适用的办事、办公环境，为提高工作效率和服务水平提供有利条件。"
    )
    assert ind(office.indicators[0]) == (
        "1",
        "2",
        "效益指标",
        "22",
        "社会效益",
        "加强社会责任意识",
        "单位员工主动节约用水用电，社会责任意识加强",
        "单位员工主动节约用水用电，社会责任意识加强",
    )
    salaries = project(rep, "政府雇员工资经费")
    assert amounts(salaries.amounts) == (D("16.80"), D("16.80"), D("0.00"), D("0.00"))
    assert [i.printed_number for i in salaries.indicators] == ["1", "1", "2"]
    assert ind(salaries.indicators[1]) == ("1", "1", "产出指标", "11", "数量指标", "政府雇员指标数", "≤2名", "≤2名")
    poverty = project(rep, "扶贫工作经费")
    # "4" / "、2-效益指标" wrapped across lines 40-41
    assert ind(poverty.indicators[3]) == (
        "4",
        "2",
        "效益指标",
        "21",
        "经济效益",
        "巩固拓展脱贫攻坚成果",
        "通过对口帮扶，增加脱贫户收入，助力乡村建设",
        "通过对口帮扶，增加脱贫户收入，助力乡村建设",
    )


def test_001_layout_b_two_units_and_pages():
    rep = report(F001)
    assert amounts(rep.declared_total) == (D("642.39"), D("642.39"), D("0.00"), D("0.00"))
    assert [(u.name, amounts(u.declared), u.source_row, u.source_page) for u in rep.budget_units] == [
        ("广州市工商业联合会", (D("563.39"), D("563.39"), D("0.00"), D("0.00")), 11, 1),
        ("广州市民营企业投诉中心", (D("79.00"), D("79.00"), D("0.00"), D("0.00")), 27, 3),
    ]
    first = [p for p in rep.projects if p.budget_unit == "广州市工商业联合会"]
    second = [p for p in rep.projects if p.budget_unit == "广州市民营企业投诉中心"]
    assert (len(first), len(second)) == (13, 4)
    # Published figures are rounded: the first unit's projects add up to 563.38, not 563.39.
    assert sum(p.amounts.total for p in first) == D("563.38")
    assert sum(p.amounts.total for p in second) == D("79.00")
    assert rep.page_count == 4
    secret = project(rep, "TZMMZXJF")
    assert (secret.goal, secret.source_row, secret.source_page) == ("项目信息不宜公开。", 17, 2)
    assert amounts(secret.amounts) == (D("14.00"), D("14.00"), D("0.00"), D("0.00"))
    assert [ind(i) for i in secret.indicators] == [
        ("1", "2", "效益指标", "22", "社会效益", None, "项目信息不宜公开", "项目信息不宜公开"),
    ]
    hall = project(rep, "对外服务大厅营运经费")  # the rows that switch to ";" separators
    assert (hall.source_row, hall.source_page, hall.amounts_inferred) == (31, 4, False)
    assert [ind(i) for i in hall.indicators] == [
        ("1", "1", "产出指标", "11", "数量指标", "服务人数", "6人", "6人"),
        ("2", "1", "产出指标", "11", "数量指标", "服务年限", "保障服务年限1年", "保障服务年限1年"),
        ("3", "1", "产出指标", "11", "数量指标", "服务面积", "846.13平方米", "846.13平方米"),
        (
            "4",
            "2",
            "效益指标",
            "22",
            "社会效益",
            "对外服务大厅正常运转",
            "导办、会务、稳控等各方面按合同要求保障到位",
            "导办、会务、稳控等各方面按合同要求保障到位",
        ),
        ("5", "4", "成本指标", "41", "经济成本指标", "年度投入", "不超45万元", "不超45万元"),
    ]
    assert [p.name for p in rep.projects if p.name == "法律顾问服务"] == ["法律顾问服务"] * 2
    assert project(rep, "政企沟通服务中心运营经费").indicators[0].annual_target == "大于等于10场次"


def test_002_layout_c():
    rep = report(F002)
    assert rep.declared_total == Amounts()
    assert (rep.page_count, rep.department_name) == (None, "广州市花都区工商业联合会")
    assert [u.name for u in rep.budget_units] == ["广州市花都区工商业联合会", "广州市花都区非公有制经济组织服务中心"]
    assert [len([p for p in rep.projects if p.budget_unit == u.name]) for u in rep.budget_units] == [7, 6]
    assert all(p.amounts == Amounts() and not p.amounts_inferred for p in rep.projects)
    first = rep.projects[0]
    assert (first.name, first.source_row, first.source_page) == ("“鲲鹏计划”——花都区培育扶持高新企业创新工作", 6, None)
    # name followed by its goal without a blank line
    trade = rep.projects[1]
    assert trade.name == "招商交流推介往来活动经费"
    assert trade.goal == (
        "通过组织企业家外出考察、参加经贸交流，为非公有制企业提供政策咨询、信息、法律、投融资、人才等方面服务，"
        "引导非公有制企业建立完善现代企业制度、加强自主创新、加快转型升级，促进非公经济健康发展。"
    )
    assert [ind(i) for i in trade.indicators] == [("1", None, "产出指标", None, None, "出外考察经贸交流", None, "2次")]
    assert [p.name for p in rep.projects][2:8] == [
        "民营企业家、优秀员工培训费",
        "工商联系统民营企业协调专项经费",
        "非公经济协调及组织建设专项经费",
        "街（镇）商会配套工作经费",
        "花都区民营企业投诉中心运营经费",
        "加强优秀企业、街（镇）党建活动场所经费",
    ]
    coordination = project(rep, "非公经济协调及组织建设专项经费")
    assert coordination.goal.startswith("通过组织民营企业评议机关")
    assert [ind(i) for i in coordination.indicators] == [
        (
            "1",
            None,
            "社会效益",
            None,
            None,
            "充分发挥非公有制经济人士参政议政和社会事务重要工作的作用",
            None,
            "引导非公经济人士构建“亲”“清”政商关系",
        )
    ]
    chambers = project(rep, "街（镇）商会配套工作经费")
    assert [(i.seq, i.printed_number, i.level1_name, i.name, i.annual_target) for i in chambers.indicators] == [
        (1, "1", "产出指标", "拨付街（镇）商会数", "10个"),
        (2, "1", "满意度指标", "街（镇）商会的满意度", "≥90%"),
    ]
    complaints = project(rep, "花都区民营企业投诉中心运营经费")
    assert [ind(i) for i in complaints.indicators][3] == (
        "1",
        None,
        "产出指标",
        None,
        None,
        "政府购买法律服务费用",
        None,
        "",
    )
    assert project(rep, "“七一”纪念活动经费").budget_unit == "广州市花都区非公有制经济组织服务中心"


def test_003_layout_a_with_blank_line_between_wrapped_lines():
    rep = report(F003)
    assert amounts(rep.declared_total) == (D("495.00"), D("495.00"), D("0.00"), D("0.00"))
    assert [(p.name, p.amounts.total, p.source_row) for p in rep.projects] == [
        ("公务用车购置费", D("18.00"), 12),
        ("政府雇员工资费用", D("364.00"), 42),
        ("对外联络、会议及调研专项经费", D("60.00"), 59),
        ("政府雇员公用经费", D("10.80"), 104),
        ("文书档案规范化处理入馆项目", D("40.00"), 122),
        ("专班工作经费", D("2.20"), 159),
    ]
    car = project(rep, "公务用车购置费")
    assert (
        car.goal
        == "按照广州市公务用车管理要求，在规定时间内更新一辆新能源公务用车，以保障区府办职工干部的日常公务出行。"
    )
    assert ind(car.indicators[0]) == ("1", "1", "产出指标", "11", "数量指标", "报废小车数量", "1", "1")
    liaison = project(rep, "对外联络、会议及调研专项经费")
    assert liaison.goal.endswith("监督和评价本单位财政财务收支的真实性、合法性。")
    assert ind(liaison.indicators[0]) == (
        "1",
        "1",
        "产出指标",
        "11",
        "数量指标",
        "接待省市调研次数",
        "20-35次",
        "20-35次",
    )
    assert ind(liaison.indicators[5]) == (
        "6",
        "2",
        "效益指标",
        "24",
        "可持续影响",
        "加强对外联络",
        "满足加强对外联络要求",
        "满足加强对外联络要求",
    )
    archive = project(rep, "文书档案规范化处理入馆项目")
    assert ind(archive.indicators[0]) == (
        "1",
        "1",
        "产出指标",
        "11",
        "数量指标",
        "工作量完成率（%）",
        "实际完成的工作量/计划完成的工作量",
        "100",
    )
    assert ind(archive.indicators[4]) == (
        "5",
        "2",
        "效益指标",
        "24",
        "可持续影响",
        "程序规范性",
        "过程中各项流程手续符合相关规定",
        "整理过程中各项流程手续符合相关规定",
    )
    assert ind(project(rep, "政府雇员公用经费").indicators[1]) == (
        "2",
        "1",
        "产出指标",
        "14",
        "成本指标",
        "人均公用经费金额",
        "3000元/人",
        "3000元/人",
    )
    assert ind(project(rep, "专班工作经费").indicators[5]) == (
        "6",
        "2",
        "效益指标",
        "24",
        "可持续影响",
        "12345热线涉整改工单满意度",
        "不低于90%",
        "不低于90%",
    )


def test_004_layout_b_thousands_and_repeated_headers():
    rep = report(F004)
    assert amounts(rep.declared_total) == (D("67634.30"), D("67634.30"), D("0.00"), D("0.00"))
    [unit] = rep.budget_units
    assert (unit.name, unit.declared.total) == ("广州市白云区科技工业商务和信息化局", D("67634.30"))
    assert sum(p.amounts.total for p in rep.projects) == D("67634.30")
    assert rep.page_count == 11
    assert [(p.source_row, p.source_page) for p in rep.projects][:6] == [
        (12, 1),
        (13, 1),
        (14, 1),
        (15, 1),
        (18, 2),
        (19, 2),
    ]
    assert (rep.projects[-1].source_row, rep.projects[-1].source_page) == (64, 11)
    assert amounts(project(rep, "新型储能制造业创新中心扶持资金").amounts) == (
        D("35000.00"),
        D("35000.00"),
        D("0.00"),
        D("0.00"),
    )
    assert project(rep, "对口贵州东西部协作资金").amounts.total == D("8948.00")
    reviewed = project(rep, "项目评审验收跟踪服务工经费")  # "服务工 经费": the stray space is gone
    assert (reviewed.amounts.total, reviewed.source_page) == (D("60.00"), 5)
    talent = project(rep, "白云区人才项目")
    assert ind(talent.indicators[3]) == (
        "4",
        "1",
        "产出指标",
        "13",
        "时效指标",
        "支付完成时限",
        "2025年11月前",
        "2025年11月前",
    )
    assert ind(talent.indicators[4]) == (
        "5",
        "21",
        "经济效益",
        "21",
        "经济效益",
        "促进科技人才技术成果转化",
        "促进",
        "促进",
    )
    assert ind(project(rep, "白云区制造企业数字化转型标杆示范项目").indicators[0]) == (
        "1",
        "1",
        "产出指标",
        "11",
        "数量指标",
        "申报项目企业数",
        ">10家",
        ">10家",
    )
    assert (
        project(rep, "（重安排）穗财商[2023]55号市级外贸稳增长财政补助项目").indicators[0].annual_target
        == "≥2（其中保税物流企业不低于1家）"
    )


@pytest.mark.parametrize("name", [F000, F001, F002, F003, F004])
def test_encodings_and_line_endings_give_identical_reports(name):
    text = (SAMPLES / name).read_text(encoding="utf-8")
    expected = report(name)
    variants = {
        "gb18030": text.encode("gb18030"),
        "bom": codecs.BOM_UTF8 + text.encode("utf-8"),
        "crlf": text.replace("\n", "\r\n").encode("utf-8"),
        "cr": text.replace("\n", "\r").encode("utf-8"),
    }
    for label, data in variants.items():
        got = parse_text_report(data, source_file=name, file_sha256="sha")
        assert got == expected, label


def test_layout_is_detected_by_content_not_file_name(tmp_path):
    copy = tmp_path / "report.txt"
    copy.write_bytes((SAMPLES / F002).read_bytes())
    assert read_text_report(copy, source_file="report.txt", file_sha256="s").layout == "C"


def test_form_feeds_give_pages_in_layout_a():
    text = (SAMPLES / F003).read_text(encoding="utf-8")
    paged = text.replace("\n    政府雇员公用经费", "\n\f    政府雇员公用经费")
    rep = parse_text_report(paged.encode("utf-8"), source_file="x", file_sha256="s")
    assert [p.source_page for p in rep.projects] == [1, 1, 1, 2, 2, 2]
    assert rep.page_count == 2


def reason_of(data: bytes) -> str:
    with pytest.raises(ReportRejected) as info:
        parse_text_report(data, source_file="x.txt", file_sha256="s")
    return info.value.reason


def test_rejections():
    assert reason_of(b"") == "empty file (0 bytes)"
    assert reason_of(b"PK\x03\x04\x14\x00\x00\x00" * 64) == "not a text file: it contains NUL bytes"
    assert reason_of(bytes(range(128, 256)) * 8) == "not a text file: bytes are neither UTF-8 nor GB18030"
    assert reason_of("部门预算公开\n一般公共预算支出表\n科目 金额\n".encode()) == "no 项目支出绩效目标表 found"
    header_only = "项目支出绩效目标表（含转移支付项目）\n\n项目名称（资金使用单位） 总计 财政拨款 财政专户拨款 其他资金 绩效目标 绩效指标\n\n"
    assert reason_of(header_only.encode("utf-8")) == "项目支出绩效目标表 header found but no project rows"
    totals_only = header_only + "合计 49.00 49.00\n\n某单位 49.00 49.00\n"
    assert reason_of(totals_only.encode("utf-8")) == "项目支出绩效目标表 header found but no project rows"
    odd = "项目支出绩效目标表\n项目名称\t绩效目标\t绩效指标\t备注\t说明\n"
    assert reason_of(odd.encode("utf-8")) == (
        "项目支出绩效目标表 header found but its layout is not recognised: 项目名称 | 绩效目标 | 绩效指标 | 备注 | 说明"
    )
