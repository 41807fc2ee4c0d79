"""The 绩效指标 cell parser, on item texts copied from the five samples."""

from __future__ import annotations

from ingestion.parse.indicators import parse_indicator_fragments, parse_indicators, starts_with_indicator_item


def fields(ind):
    return (
        ind.seq,
        ind.printed_number,
        ind.level1_code,
        ind.level1_name,
        ind.level2_code,
        ind.level2_name,
        ind.name,
        ind.period_target,
        ind.annual_target,
    )


def test_coded_form_with_fullwidth_separators():
    [ind] = parse_indicators(
        "1、1-产出指标；11-数量指标；报废小车数量；实施周期指标值:1；年度指标值:1。", source_page=3
    )
    assert fields(ind) == (1, "1", "1", "产出指标", "11", "数量指标", "报废小车数量", "1", "1")
    assert ind.source_page == 3
    assert ind.raw_text == "1、1-产出指标；11-数量指标；报废小车数量；实施周期指标值:1；年度指标值:1。"


# 000 扶贫工作经费, lines 31-45 as printed: "," between fields, ";," between items, "；" before the
# period target, targets with their own "，" and "；", and wraps inside "3、1-" / "产出指标" and "4" / "、".
POVERTY_000 = (
    "1、1-产出指标,12-质量指标,开展切实可行且富有成效的帮扶工作；实施周期指标\n"
    "值:切实可行且富有成效，得满分；切实可行且成效不明显，部分得分；不切实可\n"
    "行，不得分,年度指标值:切实可行且富有成效，得满分；切实可行且成效不明显，部\n"
    "分得分；不切实可行，不得分;,2、2-效益指标,22-社会效益,强化社会发动；实施周\n"
    "期指标值:商协会、企业、社会机构有筹集帮扶资金（物资）、或为贫困人口提供就\n"
    "业岗位、或为其解决其他实际问题，得满分；赴对口帮扶地区但没有为其解决实际问\n"
    "题，部分得分；以上均无，不得分。,年度指标值:商协会、企业、社会机构有筹集帮\n"
    "扶资金（物资）、或为贫困人口提供就业岗位、或为其解决其他实际问题，得满分；\n"
    "赴对口帮扶地区但没有为其解决实际问题，部分得分；以上均无，不得分。;,3、1-\n"
    "产出指标,11-数量指标,帮扶地区数；实施周期指标值:≥1个,年度指标值:≥1个;,4\n"
    "、2-效益指标,21-经济效益,巩固拓展脱贫攻坚成果；实施周期指标值:通过对口帮\n"
    "扶，增加脱贫户收入，助力乡村建设,年度指标值:通过对口帮扶，增加脱贫户收入，\n"
    "助力乡村建设;,5、1-产出指标,11-数量指标,帮助帮扶对象解决问题；实施周期指标\n"
    "值:反映帮助结对帮扶对象解决问题情况：解决1个实际问题,年度指标值:反映帮助结\n"
    "对帮扶对象解决问题情况：解决1个实际问题;"
)


def test_000_comma_fields_and_semicolon_comma_items_with_wraps():
    inds = parse_indicators(POVERTY_000)
    quality = "切实可行且富有成效，得满分；切实可行且成效不明显，部分得分；不切实可行，不得分"
    mobilise = (
        "商协会、企业、社会机构有筹集帮扶资金（物资）、或为贫困人口提供就业岗位、或为其解决其他实际问题，得满分；"
        "赴对口帮扶地区但没有为其解决实际问题，部分得分；以上均无，不得分"
    )
    assert [fields(i) for i in inds] == [
        (1, "1", "1", "产出指标", "12", "质量指标", "开展切实可行且富有成效的帮扶工作", quality, quality),
        (2, "2", "2", "效益指标", "22", "社会效益", "强化社会发动", mobilise, mobilise),
        (3, "3", "1", "产出指标", "11", "数量指标", "帮扶地区数", "≥1个", "≥1个"),
        (
            4,
            "4",
            "2",
            "效益指标",
            "21",
            "经济效益",
            "巩固拓展脱贫攻坚成果",
            "通过对口帮扶，增加脱贫户收入，助力乡村建设",
            "通过对口帮扶，增加脱贫户收入，助力乡村建设",
        ),
        (
            5,
            "5",
            "1",
            "产出指标",
            "11",
            "数量指标",
            "帮助帮扶对象解决问题",
            "反映帮助结对帮扶对象解决问题情况：解决1个实际问题",
            "反映帮助结对帮扶对象解决问题情况：解决1个实际问题",
        ),
    ]
    assert inds[2].raw_text == "3、1-产出指标,11-数量指标,帮扶地区数；实施周期指标值:≥1个,年度指标值:≥1个;,"


def test_wrapped_target_inside_a_symbol():
    # 000 因公出国（境）经费: "≥" / "1人" wrapped.
    [ind] = parse_indicators("3、1-产出指标,11-数量指标,出访交流学习的人数；实施周期指标值:≥1人,年度指标值:≥\n1人;")
    assert (ind.period_target, ind.annual_target) == ("≥1人", "≥1人")


def test_repeated_numbering_keeps_printed_numbers_and_counts_seq():
    # 000 政府雇员工资经费: numbered 1、1、2、
    text = (
        "1、2-效益指标,24-可持续影响,雇员考核；实施周期指标值:称职或以上,年度指标\n值:称职或以上;,"
        "1、1-产出指标,11-数量指标,政府雇员指标数；实施周期指标值:≤\n2名,年度指标值:≤2名;,"
        "2、1-产出指标,13-时效指标,人员薪酬待遇发放及时性；实\n施周期指标值:及时,年度指标值:及时;"
    )
    inds = parse_indicators(text)
    assert [(i.seq, i.printed_number) for i in inds] == [(1, "1"), (2, "1"), (3, "2")]
    assert [fields(i)[2:] for i in inds] == [
        ("2", "效益指标", "24", "可持续影响", "雇员考核", "称职或以上", "称职或以上"),
        ("1", "产出指标", "11", "数量指标", "政府雇员指标数", "≤2名", "≤2名"),
        ("1", "产出指标", "13", "时效指标", "人员薪酬待遇发放及时性", "及时", "及时"),
    ]


def test_name_ending_with_full_stop_before_the_period_keyword():
    # 000 基层商会培训指导管理经费 item 6.
    [ind] = parse_indicators(
        "6、1-产出指标,12-质量指标,\n加强我区基层商会建设，打造商会特色服务品牌。；实施周期指标值:有则得满分，\n"
        "否则酌情扣分,年度指标值:有则得满分，否则酌情扣分;"
    )
    assert ind.name == "加强我区基层商会建设，打造商会特色服务品牌"
    assert ind.period_target == ind.annual_target == "有则得满分，否则酌情扣分"


def test_item_without_indicator_name_tzmmzxjf():
    [ind] = parse_indicators(
        "1、2-效益指标；22-社会效益；实施周期指标值:项目信息不宜公开；年度指标值:项目信息不宜公开。"
    )
    assert fields(ind) == (1, "1", "2", "效益指标", "22", "社会效益", None, "项目信息不宜公开", "项目信息不宜公开")


def test_001_half_width_semicolons():
    inds = parse_indicators(
        "1、1-产出指标;11-数量指标;服务人数;实施周期指标值:6人;年度指标值:6人。"
        "4、2-效益指标;22-社会效益;对外服务大厅正常运转;实施周期指标值:导办、会务、稳控等各方面按合同要求保障到位。;"
        "年度指标值:导办、会务、稳控等各方面按合同要求保障到位。5、4-成本指标;41-经济成本指标;年度投入;"
        "实施周期指标值:不超45万元;年度指标值:不超45万元。"
    )
    assert [fields(i) for i in inds] == [
        (1, "1", "1", "产出指标", "11", "数量指标", "服务人数", "6人", "6人"),
        (
            2,
            "4",
            "2",
            "效益指标",
            "22",
            "社会效益",
            "对外服务大厅正常运转",
            "导办、会务、稳控等各方面按合同要求保障到位",
            "导办、会务、稳控等各方面按合同要求保障到位",
        ),
        (3, "5", "4", "成本指标", "41", "经济成本指标", "年度投入", "不超45万元", "不超45万元"),
    ]


def test_inconsistent_codes_are_kept_as_printed():
    [ind] = parse_indicators(
        "5、21-经济效益；21-经济效益；促进科技人才技术成果转化；实施周期指标值：促进；年度指标值：促进。"
    )
    assert fields(ind) == (1, "5", "21", "经济效益", "21", "经济效益", "促进科技人才技术成果转化", "促进", "促进")


def test_uncoded_form():
    inds = parse_indicators(
        "1、产出指标：慰问党员人数，年度指标值：4人。2、满意度指标：受益党员满意度，年度\n指标值：≥90%。"
    )
    assert [fields(i) for i in inds] == [
        (1, "1", None, "产出指标", None, None, "慰问党员人数", None, "4人"),
        (2, "2", None, "满意度指标", None, None, "受益党员满意度", None, "≥90%"),
    ]


def test_level2_name_used_as_level1_is_kept():
    [ind] = parse_indicators(
        "1、社会效益：充分发挥非公有制经济人士参政议政和社会事务重要工作的作用，年度指标\n值：引导非公经济人士构建“亲”“清”政商关系。"
    )
    assert fields(ind) == (
        1,
        "1",
        None,
        "社会效益",
        None,
        None,
        "充分发挥非公有制经济人士参政议政和社会事务重要工作的作用",
        None,
        "引导非公经济人士构建“亲”“清”政商关系",
    )


def test_empty_target_and_missing_separator_before_keyword():
    inds = parse_indicators(
        "3、满意度指标：民营企业满意度，年度指标\n值：大于90%。1、产出指标：政府购买法律服务费用年度指标值：。"
    )
    assert [fields(i) for i in inds] == [
        (1, "3", None, "满意度指标", None, None, "民营企业满意度", None, "大于90%"),
        (2, "1", None, "产出指标", None, None, "政府购买法律服务费用", None, ""),
    ]


def test_digits_in_names_and_targets_do_not_split_items():
    text = (
        "6、2-效益指标；24-可\n持续影响；12345热线涉整改工单满意度；实施周期指标值:不低于\n90%；年度指标值:不低于90%。"
        "2、1-产出指标；14-成本指标；人均公用\n经费金额；实施周期指标值:3000元/人；年度指标值:3000元/人。"
        "1、1-产出指标；11-数量指标；接待省市调研次数；实施周期指标值: \n20-35次；年度指标值: 20-35次。"
        "1、1-产出指标；11-数量指标；工作量完成率（%）；实施周期指标值:\n实际完成的工作量/计划完成的工作量；年度指标值:100。"
    )
    inds = parse_indicators(text)
    assert [fields(i)[2:] for i in inds] == [
        ("2", "效益指标", "24", "可持续影响", "12345热线涉整改工单满意度", "不低于90%", "不低于90%"),
        ("1", "产出指标", "14", "成本指标", "人均公用经费金额", "3000元/人", "3000元/人"),
        ("1", "产出指标", "11", "数量指标", "接待省市调研次数", "20-35次", "20-35次"),
        ("1", "产出指标", "11", "数量指标", "工作量完成率（%）", "实际完成的工作量/计划完成的工作量", "100"),
    ]


def test_numbered_text_inside_a_target_is_not_an_item():
    [ind] = parse_indicators(
        "1、1-产出指标；11-数量指标；工作内容；实施周期指标值:1、完成调研2、完成报告；年度指标值:按计划。"
    )
    assert ind.period_target == "1、完成调研2、完成报告"
    assert ind.annual_target == "按计划"


def test_target_comparators_kept_exactly():
    text = (
        "1、1-产出指标；11-数量指标；a；实施周期指标值：>10家；年度指标值：≧2次。"
        "2、1-产出指标；11-数量指标；b；实施周期指标值:大于等于10场次；年度指标值:≥2（其中保税物流企业不低于1家）。"
        "3、1-产出指标；13-时效指标；c；实施周期指标值：2025年11月前；年度指标值：不超过19个。"
    )
    assert [(i.period_target, i.annual_target) for i in parse_indicators(text)] == [
        (">10家", "≧2次"),
        ("大于等于10场次", "≥2（其中保税物流企业不低于1家）"),
        ("2025年11月前", "不超过19个"),
    ]


def test_unnumbered_text_is_kept_raw():
    inds = parse_indicators("按要求完成工作")
    assert len(inds) == 1
    assert fields(inds[0]) == (1, None, None, None, None, None, None, None, None)
    assert inds[0].raw_text == "按要求完成工作"


def test_fragments_carry_the_page_where_each_item_starts():
    inds = parse_indicator_fragments(
        [
            (
                "1、1-产出指标；11-数量指标；服务人数；实施周期指标值:3人；年度指标值:3人。2、1-产出指标；11-数量指标；",
                4,
            ),
            (
                "服务年限；实施周期指标值:1年；年度指标值:1年。3、2-效益指标；22-社会效益；保障运转；实施周期指标值:到位；年度指标值:到位。",
                5,
            ),
        ]
    )
    assert [(i.seq, i.name, i.annual_target, i.source_page) for i in inds] == [
        (1, "服务人数", "3人", 4),
        (2, "服务年限", "1年", 4),
        (3, "保障运转", "到位", 5),
    ]


def test_starts_with_indicator_item():
    assert starts_with_indicator_item("1、1-产出指标,11-数量指标,走访企业数")
    assert starts_with_indicator_item("1、产出指标：出外考察经贸交流，年度指标值：2次。")
    assert not starts_with_indicator_item("1、完成调研")
    assert not starts_with_indicator_item("12345热线涉整改工单满意度")
    assert not starts_with_indicator_item("2024年至2026年逐年更新办公电脑及软件")
