"""Text of the overview page (概览): headline cards, chain strip, finding sentence, folds."""

TEXT: dict[str, dict[str, str]] = {
    "ov_intro": {
        "zh": "园区电池产业链一览：现有产能、最大缺口与首要招商目标。点击任一卡片或环节可查看来源。",
        "en": "The park's battery value chain at a glance: capacity today, the biggest gap, the first company to recruit. Click any card or stage to see its source.",
    },
    # headline cards
    "ov_headline": {"zh": "一眼看园区", "en": "The park at a glance"},
    "ov_card_cells": {"zh": "磷酸铁锂电芯名义产能", "en": "LFP cells, nameplate"},
    "ov_card_cells_sub": {"zh": "截至 {date} 的产能记录", "en": "capacity record as of {date}"},
    "ov_card_cells_none": {"zh": "暂无记录", "en": "none recorded"},
    "ov_card_stages": {"zh": "所需环节中园区已有", "en": "Stages present of those needed"},
    "ov_card_stages_sub": {
        "zh": "尚缺 {absent} 个环节，{short} 个环节产能不足",
        "en": "{absent} stages absent, {short} short of what the park needs",
    },
    "ov_card_gap": {"zh": "最大缺口", "en": "Biggest gap"},
    "ov_card_gap_sub": {
        "zh": "园区工厂所需减本地供给（{scenario}，{quarter}即最新记录所在季度，名义产能）",
        "en": "what the park's plants need minus local supply ({scenario}, {quarter}: the latest record's quarter, nameplate)",
    },
    "ov_card_target": {"zh": "首要招商目标", "en": "Top investment target"},
    "ov_card_target_sub": {
        "zh": "补链需新增产能 {to_close}（按园区自身需求排序）",
        "en": "closing it takes {to_close} of new capacity (ranked by the park's own need)",
    },
    "ov_card_none": {"zh": "无", "en": "none"},
    "ov_ties": {"zh": "另有 {n} 个环节与之并列：{names}", "en": "tied with {n} more: {names}"},
    "ov_eq_cell": {"zh": "{value} GWh/年（折合电芯）", "en": "{value} GWh/a cell-eq"},
    # sources (hover and focus)
    "ov_source_line": {
        "zh": "来源：{source}；记录 {record}（{quantity}）；数据日期 {as_of}；录入 {recorded}",
        "en": "Source: {source}; record {record} ({quantity}); as of {as_of}; recorded {recorded}",
    },
    "ov_source_presence": {
        "zh": "来源：{source}（提及此环节，未给出产能）",
        "en": "Source: {source} (names the stage, gives no capacity)",
    },
    "ov_source_none": {"zh": "园区无此环节的产能记录", "en": "no capacity record of this stage"},
    "ov_source_users": {"zh": "下游依据：{lines}", "en": "downstream demand from: {lines}"},
    "ov_source_stages": {
        "zh": "依据 {date} 有效的产能记录：{sources}",
        "en": "capacity records in force on {date}: {sources}",
    },
    "ov_source_model": {
        "zh": "模型计算：{scenario}，{quarter}，名义产能口径",
        "en": "model: {scenario}, {quarter}, nameplate basis",
    },
    "ov_show_source": {"zh": "点击或聚焦可查看来源", "en": "click or focus to see the source"},
    # chain strip
    "ov_strip_title": {"zh": "产业链各环节", "en": "The chain, stage by stage"},
    "ov_strip_intro": {
        "zh": "按产业链自上游到下游排列；数字为本地供给与园区工厂所需（{quarter}，折合电芯或硅片当量）。",
        "en": "Upstream to downstream; the figures are local supply against what the park's plants need ({quarter}, in cell or wafer equivalents).",
    },
    "ov_legend": {"zh": "图例：", "en": "Legend:"},
    "ov_cov_cell": {
        "zh": "供 {supply} / 需 {demand} GWh/年（折合电芯）",
        "en": "{supply} of {demand} GWh/a needed (cell-eq)",
    },
    "ov_cov_wafer": {
        "zh": "供 {supply} / 需 {demand} GW/年（折合硅片）",
        "en": "{supply} of {demand} GW/a needed (wafer-eq)",
    },
    "ov_cov_own": {"zh": "产能 {capacity}", "en": "capacity {capacity}"},
    "ov_needed_later": {
        "zh": "产业链需要；其下游环节尚无产能数据",
        "en": "the chain needs it; its users have no capacity figure yet",
    },
    "ov_quiet_chain": {
        "zh": "园区暂无此产业链，也无下游需求",
        "en": "not in the park, and nothing in the park needs it",
    },
    # the finding
    "ov_finding_title": {"zh": "结论：", "en": "Finding: "},
    "ov_finding": {
        "zh": "园区现有{product}产能{capacity}；{rest}。",
        "en": "The park has {capacity} of {product}; {rest}.",
    },
    "ov_finding_none": {
        "zh": "园区暂无已记录的储能产品产能。",
        "en": "The park has no recorded capacity of a storage product.",
    },
    "ov_finding_no_data": {
        "zh": "按 {date} 所知，园区尚无产能记录。",
        "en": "As known on {date}, the park has no capacity record yet.",
    },
    "ov_cover_first": {
        "zh": "{name}可满足其{fraction}",
        "en": "its {name} covers {fraction} of them",
    },
    "ov_cover_next": {"zh": "{name}可满足{fraction}", "en": "its {name} {fraction}"},
    "ov_missing_one": {"zh": "{names}尚属空白", "en": "{names} is missing"},
    "ov_missing_many": {"zh": "{names}尚属空白", "en": "{names} are missing"},
    "ov_unreported_one": {
        "zh": "{names}有生产但未公布产能",
        "en": "{names} is produced without a reported capacity",
    },
    "ov_unreported_many": {
        "zh": "{names}有生产但未公布产能",
        "en": "{names} are produced without a reported capacity",
    },
    "ov_all_local": {
        "zh": "其直接原材料与部件均可本地满足",
        "en": "the park makes enough of every direct input they need",
    },
    "ov_list_sep": {"zh": "、", "en": ", "},
    "ov_list_and": {"zh": "、", "en": " and "},
    "ov_clause_sep": {"zh": "，", "en": ", "},
    "ov_clause_and": {"zh": "，", "en": ", and "},
    # fractions of the cells a stage covers
    "ov_frac_almost_none": {"zh": "不足一成", "en": "less than a tenth"},
    "ov_frac_quarter": {"zh": "约四分之一", "en": "about a quarter"},
    "ov_frac_third": {"zh": "约三分之一", "en": "about a third"},
    "ov_frac_half": {"zh": "约一半", "en": "about half"},
    "ov_frac_two_thirds": {"zh": "约三分之二", "en": "about two thirds"},
    "ov_frac_three_quarters": {"zh": "约四分之三", "en": "about three quarters"},
    "ov_frac_tenths": {"zh": "约{tenths}成", "en": "about {tenths} %"},
    "ov_frac_almost_all": {"zh": "几乎全部", "en": "almost all"},
    # known-as-of and folds
    "ov_known_on": {
        "zh": "按 {date} 所知的园区（此后录入的记录未计入）",
        "en": "The park as known on {date} (records made later are left out)",
    },
    "ov_more": {
        "zh": "更多：全部环节产能存量、增长指标、项目概况",
        "en": "More: every stage's capacity, growth indicators, the pipeline in numbers",
    },
    "ov_pipeline_source": {
        "zh": "由项目库统计（{n} 个项目；各项目的来源见“项目库”页）。",
        "en": "Counted from the pipeline ({n} projects; each project's source is on the Pipeline page).",
    },
    "ov_stocks_hint": {
        "zh": "有记录的环节在前；灰色为园区暂无的环节。",
        "en": "Recorded stages first; greyed rows are stages the park lacks.",
    },
}
