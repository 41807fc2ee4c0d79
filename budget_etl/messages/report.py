"""What the HTML report (``budget-etl report``) says, in Chinese and English: headings, notes,
chart legends. Keys are looked up by ``budget_etl.i18n.t``."""

REPORT_MESSAGES: dict[str, dict[str, str]] = {
    # HTML report: page
    "html.title": {"zh": "项目支出绩效目标 · 预算数据仓库报告", "en": "项目支出绩效目标 · budget warehouse report"},
    "html.heading": {
        "zh": "项目支出绩效目标表 · 预算数据仓库报告",
        "en": "项目支出绩效目标表 · Budget warehouse report",
    },
    "html.subtitle": {
        "zh": "{name} · 刷新于 {refreshed_at} · 运行 {run_id}",
        "en": "{name} · refreshed {refreshed_at} · run {run_id}",
    },
    "html.footer": {
        "zh": "由 budget-etl 于 {generated_at} 根据 {name} 生成。金额单位为万元，与报表所印一致。"
        "字体: Noto Sans CJK SC (SIL Open Font License 1.1)，嵌入子集。",
        "en": "Generated {generated_at} by budget-etl from {name}. Amounts in 万元 (10,000 CNY) as printed in the "
        "reports. Font: Noto Sans CJK SC (SIL Open Font License 1.1), subset embedded.",
    },
    # HTML report: overview, reconciliation, quarantine
    "html.overview": {"zh": "概览", "en": "Overview"},
    "fact.refreshed_at": {"zh": "刷新时间", "en": "refreshed at"},
    "fact.run": {"zh": "运行", "en": "run"},
    "fact.reports": {"zh": "报表", "en": "reports"},
    "fact.departments": {"zh": "部门", "en": "departments"},
    "fact.projects": {"zh": "项目", "en": "projects"},
    "fact.indicators": {"zh": "指标", "en": "indicators"},
    "fact.quarantined": {"zh": "隔离文件", "en": "quarantined files"},
    "fact.total": {"zh": "总计 (报表所印, 万元)", "en": "总计, as printed (万元)"},
    "html.reports": {"zh": "报表", "en": "Reports"},
    "html.no_report": {"zh": "没有已发布的报表。", "en": "No report is published."},
    "html.total_note": {
        "zh": "总计为每份报表所印的合计；如项目金额之和与之不同 (报表中的舍入)，在旁注明。"
        "未印金额的报表显示其项目之和。",
        "en": "总计 is the 合计 each report prints; where the sum of its projects differs (rounding in the "
        "document), that sum is shown beside it. Reports that print no amounts show the sum of their projects.",
    },
    "html.warnings": {"zh": "警告", "en": "Warnings"},
    "html.warning": {"zh": "警告", "en": "warning"},
    "html.no_amounts": {"zh": "无金额", "en": "no amounts"},
    "html.department_not_printed": {"zh": "(未印部门)", "en": "(department not printed)"},
    "amount.none_printed": {
        "zh": "{computed} (项目之和；报表未印)",
        "en": "{computed} (sum of projects; none printed)",
    },
    "amount.projects_sum": {"zh": "{printed} (项目之和为 {computed})", "en": "{printed} (projects sum to {computed})"},
    "html.reconciliation": {"zh": "核对问题 (超出容差)", "en": "Reconciliation issues (outside tolerance)"},
    "html.reconciliation_head": {
        "zh": "<code>fct_reconciliation</code> 的 {checked} 项核对中有 {outside} 项超出容差。",
        "en": "{outside} of {checked} checks in <code>fct_reconciliation</code> fall outside the tolerance.",
    },
    "html.showing_first": {"zh": "仅显示前 {n} 项。", "en": "Showing the first {n}."},
    "html.quarantine": {"zh": "隔离文件", "en": "Quarantined files"},
    "html.no_quarantine": {
        "zh": "没有被隔离的文件: 收件箱中的每个文件都已发布。",
        "en": "No file was quarantined: every file in the inbox was published.",
    },
    "html.quarantine_lead_one": {
        "zh": "{n} 个文件未发布，原因如下:",
        "en": "{n} file was not published, with the reason:",
    },
    "html.quarantine_lead": {
        "zh": "{n} 个文件未发布，原因如下:",
        "en": "{n} files were not published, with the reason:",
    },
    # HTML report: funding
    "html.funding_department": {"zh": "各部门资金 (万元)", "en": "Funding by department (万元)"},
    "html.no_amounts_published": {"zh": "没有已发布的带金额项目。", "en": "No project with amounts is published."},
    "html.funding_note": {
        "zh": "每条柱为项目按资金来源之和；其后数字为报表所印总计 (合计)，两者不同时旁注项目之和。",
        "en": "Each bar is the sum of the projects by fund source; the figure after it is the 总计 the reports "
        "print (合计), with the projects' sum beside it where the two differ.",
    },
    "html.without_amounts": {
        "zh": "未印金额的报表 (不在图中): {names}。",
        "en": "Reports without amounts, not in the chart: {names}.",
    },
    "html.funding_source": {"zh": "各资金来源金额 (万元)", "en": "Funding by fund source (万元)"},
    "html.no_funding": {"zh": "没有已发布的资金。", "en": "No funding is published."},
    # HTML report: indicators
    "html.indicator_mix": {"zh": "一级指标构成", "en": "Indicator category mix (level 1)"},
    "html.no_indicator": {"zh": "没有已发布的指标。", "en": "No indicator is published."},
    "html.code": {"zh": "代码 {code}", "en": "code {code}"},
    "html.unclassified": {"zh": "未分类", "en": "unclassified"},
    "html.all_departments": {"zh": "全部部门", "en": "All departments"},
    "html.category": {"zh": "类别", "en": "category"},
    "html.indicators": {"zh": "指标数", "en": "indicators"},
    "html.share": {"zh": "占比", "en": "share"},
    "html.quantified_share": {"zh": "各部门量化指标占比", "en": "Share of quantified indicators per department"},
    "html.quantified_explanation": {
        "zh": "指标值为数字、区间或带单位的比较时视为量化 (列 <code>is_quantified</code>)，"
        "而非「良好」之类的描述或评分规则。",
        "en": "An indicator counts as quantified when its target is a number, a range or a comparison with a "
        "unit (column <code>is_quantified</code>), not prose such as 良好 or a scoring rule.",
    },
    "html.quantified": {"zh": "已量化", "en": "quantified"},
    "html.not_quantified": {"zh": "未量化", "en": "not quantified"},
    "html.quantified_note": {"zh": "{share} ({q} / {n})", "en": "{share} ({q} of {n})"},
    # HTML report: funding change between fiscal years (mart_project_history)
    "html.funding_change": {"zh": "各部门资金年度变化 (万元)", "en": "Funding change by department (万元)"},
    "html.one_year_only": {
        "zh": "每个部门只发布了一个预算年度，暂无年度变化可比较。",
        "en": "Every department is published for one fiscal year only: there is no change between years to show.",
    },
    "html.one_year_departments": {
        "zh": "只有一个预算年度的部门 (不在图中): {names}。",
        "en": "Departments with one fiscal year only, not in the chart: {names}.",
    },
    "html.year_to_year": {"zh": "{department} {previous}→{year}", "en": "{department} {previous}→{year}"},
    "html.new_projects": {"zh": "新增项目", "en": "new projects"},
    "html.continued_up": {"zh": "延续项目增加", "en": "continued projects, increase"},
    "html.continued_down": {"zh": "延续项目减少", "en": "continued projects, decrease"},
    "html.discontinued_projects": {"zh": "撤销项目", "en": "discontinued projects"},
    "html.change_note": {"zh": "{change} ({previous} → {total})", "en": "{change} ({previous} → {total})"},
    "html.funding_change_note": {
        "zh": "每条柱为一个部门与其上一发布年度相比的变化: 右侧为增加 (新增项目、延续项目增加)，"
        "左侧为减少 (延续项目减少、撤销项目)；其后为净变化及两年总计。",
        "en": "Each bar is a department's change against its previous published year: increases to the right (new "
        "projects, continued projects that grew), decreases to the left (continued projects that shrank, "
        "discontinued projects); after it the net change and both years' totals.",
    },
    "html.new_count": {"zh": "新增项目数", "en": "new projects"},
    "html.continued_count": {"zh": "延续项目数", "en": "continued projects"},
    "html.discontinued_count": {"zh": "撤销项目数", "en": "discontinued projects"},
    # HTML report: targets that changed between years (mart_indicator_target_changes)
    "html.target_changes": {"zh": "年度指标值的变化", "en": "Targets that changed between years"},
    "html.target_changes_lead": {
        "zh": "同一项目的同一指标在相邻两个发布年度中的年度指标值不同 (仅空格不同不计)。",
        "en": "The same indicator of the same project with another annual target (年度指标值) than in the "
        "project's previous published year (whitespace alone is not a change).",
    },
    "html.target_changes_one_year": {
        "zh": "没有项目在两个预算年度中发布，暂无指标值变化可比较。",
        "en": "No project is published in two fiscal years: there are no targets to compare between years.",
    },
    "html.no_target_change": {
        "zh": "在两个年度中发布的项目，其年度指标值均未变化。",
        "en": "No annual target changed for the projects published in two years.",
    },
    "html.change_kind.number": {"zh": "数值", "en": "number"},
    "html.change_kind.unit": {"zh": "单位", "en": "unit"},
    "html.change_kind.comparator": {"zh": "比较符", "en": "comparator"},
    "html.change_kind.text": {"zh": "文字", "en": "text"},
    # HTML report: attainment of the self-evaluations (mart_attainment_by_*, mart_target_attainment)
    "html.attainment": {"zh": "绩效目标完成情况", "en": "Target attainment"},
    "html.no_self_evaluation": {
        "zh": "没有已发布的绩效自评表 (项目支出绩效自评表)，暂无完成情况。",
        "en": "No self-evaluation (项目支出绩效自评表) is published: there are no results to compare with the targets.",
    },
    "html.attainment_lead": {
        "zh": "按绩效自评表的实际完成值与年度指标值比较: 已完成、未完成，或无法比较 (如单位不同、文字描述)。"
        "完成率 = 已完成 / (已完成 + 未完成)。",
        "en": "Each indicator's result (实际完成值) against its target (年度指标值) in the self-evaluations: met, not "
        "met, or not comparable (units differ, words). Attainment rate = met / (met + not met).",
    },
    "html.by_department": {"zh": "按部门", "en": "By department"},
    "html.by_category": {"zh": "按指标类别", "en": "By indicator category"},
    "html.attainment_department": {"zh": "各部门指标完成情况", "en": "Attainment by department"},
    "html.attainment_category": {"zh": "各类指标完成情况", "en": "Attainment by indicator category"},
    "html.met": {"zh": "已完成", "en": "met"},
    "html.not_met": {"zh": "未完成", "en": "not met"},
    "html.not_comparable": {"zh": "无法比较", "en": "not comparable"},
    "html.attainment_note": {
        "zh": "完成率 {rate} ({met} / {comparable}，共 {n} 项)",
        "en": "rate {rate} ({met} of {comparable}; {n} indicators)",
    },
    "html.missed_targets": {"zh": "未完成指标最多的项目", "en": "Projects that missed the most targets"},
    "html.missed_lead": {
        "zh": "按未完成指标数排列的前 {n} 个项目。",
        "en": "The {n} projects with the most indicators not met, most first.",
    },
    "html.no_missed_target": {
        "zh": "绩效自评表中没有未完成的指标。",
        "en": "No indicator of the self-evaluations was missed.",
    },
    "html.missed_note": {"zh": "{not_met} / {n} 未完成", "en": "{not_met} of {n} not met"},
    "html.not_met_of_total": {"zh": "未完成 / 指标数", "en": "not met / indicators"},
    "html.score_of_weight": {"zh": "得分 / 分值", "en": "score / points"},
}
