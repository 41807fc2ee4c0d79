"""parse_target: exact ParsedTarget for real target strings from the sample corpus and edge cases."""

from __future__ import annotations

import pytest

from ingestion.parse.targets import ParsedTarget, parse_target

EMPTY = ParsedTarget(None, None, None, None, None)
QUAL = ParsedTarget("qualitative", None, None, None, False)


def ge(x, unit=None):
    return ParsedTarget(">=", x, None, unit, True)


def gt(x, unit=None):
    return ParsedTarget(">", x, None, unit, True)


def le(x, unit=None):
    return ParsedTarget("<=", None, x, unit, True)


def lt(x, unit=None):
    return ParsedTarget("<", None, x, unit, True)


def eq(x, unit=None):
    return ParsedTarget("=", x, x, unit, True)


def between(lo, hi, unit=None):
    return ParsedTarget("range", lo, hi, unit, True)


# Every text below is printed in one of the five sample reports (data/samples/), as the table
# parser hands it over (wrapped lines joined, fullwidth digits folded).
REAL_TARGETS = [
    # comparison symbols, including the JIS form ≧ of 000
    ("≥90%", ge(90, "%")),
    ("≥98%", ge(98, "%")),
    ("≥1200人", ge(1200, "人")),
    ("≥280项", ge(280, "项")),
    ("≥0", ge(0)),
    ("≧2次", ge(2, "次")),
    ("≧40家", ge(40, "家")),
    (">10家", gt(10, "家")),
    (">90%", gt(90, "%")),
    ("≤2名", le(2, "名")),
    ("≤2次", le(2, "次")),
    # comparison words
    ("大于等于10场次", ge(10, "场次")),
    ("大于等于1批次", ge(1, "批次")),
    ("大于95%", gt(95, "%")),
    ("大于95", gt(95)),
    ("大于90分", gt(90, "分")),
    ("不少于2人", ge(2, "人")),
    ("不少于1", ge(1)),
    ("不少于300家次", ge(300, "家次")),
    ("不低于95%", ge(95, "%")),
    ("不小于35家", ge(35, "家")),
    ("总体不小于3天", ge(3, "天")),
    ("不超过19个", le(19, "个")),
    ("不超过24万元", le(24, "万元")),
    ("不超15万元", le(15, "万元")),
    ("不超5个工作日", le(5, "个工作日")),
    ("不高于20元/家次", le(20, "元/家次")),
    ("小于等于53.75万元", le(53.75, "万元")),
    # suffix words
    ("90%以上", ge(90, "%")),
    ("2人以上", ge(2, "人")),
    ("1天内", le(1, "天")),
    # ranges
    ("20-35次", between(20, 35, "次")),
    ("60-120次", between(60, 120, "次")),
    ("200-300次", between(200, 300, "次")),
    # plain numbers, counts, measures, money
    ("1", eq(1)),
    ("100", eq(100)),
    ("0", eq(0)),
    ("100%", eq(100, "%")),
    ("0%", eq(0, "%")),
    ("36人", eq(36, "人")),
    ("12期", eq(12, "期")),
    ("6篇", eq(6, "篇")),
    ("2788间", eq(2788, "间")),
    ("49套", eq(49, "套")),
    ("1年", eq(1, "年")),
    ("846.13平方米", eq(846.13, "平方米")),
    ("9万元", eq(9, "万元")),
    ("3000元/人", eq(3000, "元/人")),
    # a label naming what is counted, before the quantity
    ("选取商会大于等于10家", ge(10, "家")),
    ("有效化解率大于等于90%", ge(90, "%")),
    ("本科以上学历人才超过50人", gt(50, "人")),
    ("解决方案数量不少于5个", ge(5, "个")),
    ("该项目整体支出金额不超过35万元", le(35, "万元")),
    ("每个市（区）每年不少于5000万元", ge(5000, "万元")),
    ("三年累计不少于231亿元人民币", ge(231, "亿元")),
    ("5年住房保障经费原则不得超过600万元", le(600, "万元")),
    ("保障服务年限1年", eq(1, "年")),
    ("年度报告1份", eq(1, "份")),
    ("走访清洁生产企业50家次", eq(50, "家次")),
    # a counted noun after a quantity that opens the text; a trailing note is ignored
    ("8个服务区域", eq(8, "个")),
    ("24个结对帮扶重点镇（乡）", eq(24, "个")),
    ("不少于5种类型项目", ge(5, "种")),
    ("100%完成经费筹集及划拨", eq(100, "%")),
    ("≥2（其中保税物流企业不低于1家）", ge(2)),
    # Chinese numerals as whole counts
    ("一家律所", eq(1, "家")),
    ("聘请律所两家", eq(2, "家")),
    ("法律纠纷为零", eq(0)),
    ("年度法律纠纷为零", eq(0)),
    # scoring rules: the threshold for full marks is the target
    ("85%及以上得满分，否则否则每下降5%扣该项指标对应分数10%", ge(85, "%")),
    ("覆盖率90%以上得满分，否则每下降5%扣该项指标对应分数10%", ge(90, "%")),
    ("有则得满分，否则酌情扣分", QUAL),
    ("切实可行且富有成效，得满分", QUAL),
    # deadlines are qualitative
    ("2025年11月前", QUAL),
    ("2025年11月前完成", QUAL),
    ("6月底前", QUAL),
    ("每阶段次年第一季度前申请启动考核", QUAL),
    ("财政额度下达后6个月内应拨尽拨", QUAL),
    # formulas and prose
    ("实际完成的工作量/计划完成的工作量", QUAL),
    ("良好", QUAL),
    ("及时", QUAL),
    ("合法合规", QUAL),
    ("达标", QUAL),
    ("称职或以上", QUAL),
    ("大于", QUAL),
    ("按需更换购置一批", QUAL),
    ("促进一批民营企业高质量发展", QUAL),
    ("落实两地协作协议内容", QUAL),
    ("瞄准科技成果转化、科技企业孵化、科技产业培育三个关键环节，以推动科技创新、产业升级", QUAL),
    # a number inside a sentence is not a target
    ("支持企业投资2500万元设备实现更新换代", QUAL),
    ("在5个行业领域形成样板", QUAL),
    ("其中80%以上帮扶资金用于产业合作园区发展", QUAL),
    ("资金到位后三个月内完成应兑现的奖补发放", QUAL),
    # several clauses, several figures: no single threshold
    ("对接活动4次，累计发动企业参与不少于40家", QUAL),
    ("季度报告4份，年度报告1份", QUAL),
    ("兑现2023.10-2024.3住房保障经费，预计33万元", QUAL),
]


@pytest.mark.parametrize(("text", "expected"), REAL_TARGETS, ids=[t for t, _ in REAL_TARGETS])
def test_real_targets(text, expected):
    assert parse_target(text) == expected


EDGE_CASES = [
    # nothing printed
    (None, EMPTY),
    ("", EMPTY),
    ("   ", EMPTY),
    ("。", EMPTY),
    ("—", EMPTY),
    ("--", EMPTY),
    ("/", EMPTY),
    ("（）", EMPTY),
    # look-alikes and spacing left by wrapped lines or other producers
    ("90％", eq(90, "%")),
    ("≥ 1人", ge(1, "人")),
    ("＞5次", gt(5, "次")),
    ("≦3名", le(3, "名")),
    ("≥90%。", ge(90, "%")),
    (":100%", eq(100, "%")),
    ("（100%）", eq(100, "%")),
    ("1,200人", eq(1200, "人")),
    # the other range separators; the unit may be printed on both ends
    ("20～35次", between(20, 35, "次")),
    ("20~35次", between(20, 35, "次")),
    ("20至35次", between(20, 35, "次")),
    ("20—35次", between(20, 35, "次")),
    ("20%-35%", between(20, 35, "%")),
    ("三至五次", between(3, 5, "次")),
    ("20个-35次", QUAL),
    ("大于20-30次", QUAL),
    # other suffixes and prefixes
    ("95%及以上", ge(95, "%")),
    ("5%以下", le(5, "%")),
    ("3个月以内", le(3, "个月")),
    ("50人左右", eq(50, "人")),
    ("约50人", eq(50, "人")),
    ("至少1次", ge(1, "次")),
    ("覆盖率达到95%", ge(95, "%")),
    ("满意度达95%", ge(95, "%")),
    ("下达3批", eq(3, "批")),  # 下达 is "issue", not "reach"
    ("低于5%", lt(5, "%")),
    ("少于3次", lt(3, "次")),
    ("不少于90%以上", ge(90, "%")),
    ("大于90%以下", QUAL),
    ("增长-5%", eq(-5, "%")),
    # units missing from the lists are kept when short; deadline words are not units
    ("20分贝以上", ge(20, "分贝")),
    ("15日内", le(15, "日")),
    ("6月30日前", QUAL),
    ("2024年度", QUAL),
    ("2024.12", QUAL),
    ("第3季度", QUAL),
    # ratios and idioms are not counts
    ("1:1", QUAL),
    ("1/2", QUAL),
    ("十分满意", QUAL),
    ("8个服务区域以上", QUAL),
    ("一次性补助", QUAL),
    ("达到90%得10分", ge(90, "%")),
    ("≥90%计满分，否则不得分", ge(90, "%")),
    ("合计100分", eq(100, "分")),  # 合计 is "in total", not a scoring clause
    ("不少于两家", ge(2, "家")),
]


@pytest.mark.parametrize(("text", "expected"), EDGE_CASES, ids=[repr(t) for t, _ in EDGE_CASES])
def test_edge_cases(text, expected):
    assert parse_target(text) == expected


def test_never_raises_and_is_consistent_on_odd_input():
    for text in ["(", "≥", "一二三", "十十十次", "9" * 400, "1-", "至至", "满分", "得满分"]:
        result = parse_target(text)
        assert result.operator is not None
        assert result.is_quantitative == (result.operator != "qualitative")


def test_parsed_target_is_frozen():
    with pytest.raises(AttributeError):
        parse_target("1").low = 2  # type: ignore[misc]
