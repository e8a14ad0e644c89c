"""Text of the value-chain page (产业链): chain view, heatmap, investment cards and briefs."""

TEXT: dict[str, dict[str, str]] = {
    # -- the chain view ------------------------------------------------------
    "chain_view_title": {"zh": "产业链：本地供给与缺口", "en": "The chain: local supply and gaps"},
    "chain_view_key": {
        "zh": "每条连线＝下游环节对该投入的需求（折合电芯 GWh/年）；实线为本地可供，虚线为需外购或招商。各投入互为配套，不相加。",
        "en": "Each link = what the downstream stage needs of that input (cell-GWh-eq a year); "
        "solid: supplied locally, dotted: to import or recruit. Inputs complement each other "
        "and are not added up.",
    },
    "chain_tier_0": {"zh": "原料", "en": "Raw materials"},
    "chain_tier_1": {"zh": "材料与部件", "en": "Materials and components"},
    "chain_tier_2": {"zh": "电芯与系统", "en": "Cells and systems"},
    "chain_tier_3": {"zh": "储能产品（机柜）", "en": "Storage products (cabinets)"},
    "chain_local": {"zh": "本地供给", "en": "supplied locally"},
    "chain_missing": {"zh": "需外购或招商", "en": "to import or recruit"},
    "chain_other_inputs": {"zh": "其他投入（{n} 项）", "en": "Other inputs ({n})"},
    "chain_node_label": {"zh": "供 {supply} / 需 {need}", "en": "has {supply} / needs {need}"},
    "chain_link_hover": {
        "zh": "{src} → {dst}<br>需求：{amount} ＝ {eq}<br>本地可供：{local}<br>需外购或招商：{missing}",
        "en": "{src} → {dst}<br>need: {amount} = {eq}<br>supplied locally: {local}"
        "<br>to import or recruit: {missing}",
    },
    "chain_surplus_note": {
        "zh": "富余 {eq} 可外销",
        "en": "{eq} surplus, sold outside",
    },
    "chain_pv_note": {
        "zh": "光伏链以单晶硅（GW 硅片）计量，不折合电芯，未画入本图；见下方投资卡片。",
        "en": "The photovoltaic chain is measured in GW of wafers, not in cell-equivalents, "
        "and is not drawn here; see the investment cards below.",
    },
    "chain_effective_note": {
        "zh": "实际运行口径：连线按中值单耗计，环节总量按抽样单耗计，两者可略有出入。",
        "en": "Effective basis: links use central intensities, stage totals the drawn ones, "
        "so they can differ slightly.",
    },
    "chain_record": {
        "zh": "来源：{source}；数据日期 {as_of}；录入 {recorded}",
        "en": "Source: {source}; as of {as_of}; recorded {recorded}",
    },
    "chain_no_record": {"zh": "园区无产能记录", "en": "no capacity record in the park"},
    "chain_model_source": {
        "zh": "模型结果：情景 {scenario}，{draws} 次抽样，{quarter}，{basis}",
        "en": "Model result: scenario {scenario}, {draws} draws, {quarter}, {basis}",
    },
    "chain_recipe_source": {"zh": "单耗来源：{sources}", "en": "Intensities from: {sources}"},
    # -- the heatmap ---------------------------------------------------------
    "chain_heatmap_title": {
        "zh": "各环节各季度的短缺概率",
        "en": "Probability of a shortfall by stage and quarter",
    },
    "chain_heatmap_axis": {"zh": "短缺概率", "en": "P(short)"},
    "chain_heatmap_hover": {
        "zh": "{stage}<br>{quarter}：短缺概率 {p}",
        "en": "{stage}<br>{quarter}: P(short) {p}",
    },
    "chain_never_short": {
        "zh": "从不短缺的环节（{n} 个）：{names}",
        "en": "Never short ({n} stages): {names}",
    },
    # -- the investment cards --------------------------------------------------
    "chain_cards_title": {"zh": "招商目标", "en": "Investment targets"},
    "chain_cards_none": {
        "zh": "本情景、本季度无需补链的环节。",
        "en": "No stage needs recruiting in this scenario and quarter.",
    },
    "chain_card_rank": {"zh": "第 {rank} 位", "en": "No. {rank}"},
    "chain_card_gap": {"zh": "缺口", "en": "Gap"},
    "chain_card_score": {"zh": "排序依据", "en": "Ranked by"},
    "chain_card_download": {"zh": "下载简报（{language}）", "en": "Download brief ({language})"},
    "chain_lang_zh": {"zh": "中文", "en": "Chinese"},
    "chain_lang_en": {"zh": "英文", "en": "English"},
    "chain_table_title": {"zh": "表格视图", "en": "As a table"},
    "chain_plants": {
        "zh": "约 {n} 个 {size} 规模的项目（缺口为单个项目的 {ratio} 倍）",
        "en": "≈ {n} plants of {size} (the gap is {ratio} times one plant)",
    },
    "chain_plants_one": {
        "zh": "约 1 个 {size} 规模的项目（缺口为单个项目的 {ratio} 倍）",
        "en": "≈ 1 plant of {size} (the gap is {ratio} times one plant)",
    },
    "chain_plants_fraction": {
        "zh": "1 个 {size} 规模的项目即可覆盖（缺口仅为其产能的 {share}）",
        "en": "1 plant of {size} would cover it (the gap is only {share} of its capacity)",
    },
    "chain_plants_unknown": {
        "zh": "无典型项目规模（经济参数表无已公布项目规模，无在建/储备项目，园区也无现有产线）",
        "en": "No typical plant size (no announced plant size in economics.csv, no pipeline "
        "project and no existing line in the park)",
    },
    "chain_plant_basis_economics": {
        "zh": "典型规模取自已公布项目的中位数（{n} 个项目，{range}；来源 {source} 等）",
        "en": "Typical size: median of {n} announced plants ({range}; source {source} and others)",
    },
    "chain_plant_basis_economics_one": {
        "zh": "典型规模取自 1 个已公布项目（来源 {source}）",
        "en": "Typical size: one announced plant (source {source})",
    },
    "chain_plant_basis_project": {
        "zh": "假设：典型规模取自园区储备/在建项目 {name}（{ref}）",
        "en": "Assumption: typical size taken from the pipeline project {name} ({ref})",
    },
    "chain_plant_basis_existing": {
        "zh": "假设：典型规模取自园区现有产能（记录 {ref}），视作一条产线",
        "en": "Assumption: typical size taken from the park's existing capacity (record {ref}), "
        "counted as one line",
    },
    "chain_plant_basis_none": {
        "zh": "经济参数表中没有项目规模数据",
        "en": "economics.csv gives no plant size",
    },
    "chain_projects": {"zh": "对应的储备/在建项目", "en": "Matching pipeline projects"},
    "chain_no_projects": {"zh": "暂无对应项目", "en": "None in the pipeline"},
    "chain_sources": {"zh": "数据来源", "en": "Sources"},
    "chain_no_sources": {"zh": "无来源记录", "en": "No source recorded"},
    "chain_recipe_assumption": {
        "zh": "配方假设（recipes.csv 第 {row} 行）",
        "en": "assumption (recipes.csv row {row})",
    },
    "chain_market_p": {"zh": "（对市场：{p}）", "en": " (against the market: {p})"},
    "chain_market_need": {"zh": "市场需求 {need}", "en": "market needs {need}"},
    "chain_undated": {"zh": "日期不详", "en": "undated"},
    "chain_cell_eq_note": {"zh": "（折合电芯）", "en": "(cell-equivalent)"},
    "chain_wafer_eq_note": {"zh": "（折合硅片）", "en": "(wafer-equivalent)"},
    "chain_project_status_reserve": {"zh": "储备", "en": "reserve"},
    "chain_project_status_signed": {"zh": "已签约", "en": "signed"},
    "chain_project_status_permitted": {"zh": "已获批", "en": "permitted"},
    "chain_project_status_construction": {"zh": "在建", "en": "under construction"},
    "chain_project_status_trial": {"zh": "试生产", "en": "in trial"},
    "chain_project_status_full_output": {"zh": "已达产", "en": "at full output"},
    "chain_project_status_shelved": {"zh": "暂缓", "en": "shelved"},
    "chain_project_status_cancelled": {"zh": "已取消", "en": "cancelled"},
    "chain_project_status_retired": {"zh": "已退出", "en": "retired"},
    # -- the brief ------------------------------------------------------------
    "chain_brief_title": {
        "zh": "招商目标第 {rank} 位：{name}",
        "en": "Investment target {rank}: {name}",
    },
    "chain_brief_stage": {"zh": "产业链环节", "en": "Stage"},
    "chain_brief_gap": {"zh": "待补缺口", "en": "Gap to fill"},
    "chain_brief_plants": {"zh": "折合项目数", "en": "In plant-sized units"},
    "chain_brief_context": {
        "zh": "情景：{scenario}（{name}）· 季度：{quarter} · 口径：{basis} · 供给范围：{boundary}",
        "en": "Scenario: {scenario} ({name}) · quarter: {quarter} · basis: {basis} · "
        "supply counted: {boundary}",
    },
    "chain_brief_known": {"zh": "数据截至 {date} 所知", "en": "Records as known on {date}"},
    "chain_brief_known_all": {"zh": "使用全部记录", "en": "All records"},
    "chain_brief_made": {"zh": "生成日期 {date}", "en": "Made on {date}"},
    "chain_brief_method": {
        "zh": "缺口为园区自身下游需求或该产品市场需求超出本地供给的部分（蒙特卡洛模拟均值）；"
        "短缺概率为抽样中供给不足的比例；补链产能按该环节的典型利用率折算。",
        "en": "The gap is what the park's own downstream stages or the product's market need "
        "beyond local supply (Monte Carlo mean); P(short) is the share of draws that fall "
        "short; the capacity to close it allows for the stage's typical utilisation.",
    },
    "chain_cards_more": {
        "zh": "显示其余 {n} 个目标的卡片",
        "en": "Show the cards of the other {n} targets",
    },
    "chain_bad_target": {
        "zh": "简报：环节“{value}”不在当前招商目标中，请从卡片上的按钮下载。",
        "en": 'Brief: stage "{value}" is not among the current targets; use a card\'s button.',
    },
}
