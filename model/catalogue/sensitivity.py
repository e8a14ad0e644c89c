"""Text of the global sensitivity analysis: CLI tables and the 敏感性 page."""

TEXT: dict[str, dict[str, str]] = {
    # factors (model.sampling.FACTORS); "_of" entries name a chain or a project status
    "sens_factor_demand_growth": {"zh": "储能需求增速", "en": "Storage demand growth"},
    "sens_factor_power_growth": {"zh": "动力电池需求增速", "en": "Power-cell demand growth"},
    "sens_factor_storage_share": {
        "zh": "电芯销量中储能占比",
        "en": "Storage share of cell sales",
    },
    "sens_factor_start_utilisation": {
        "zh": "电芯起始产能利用率",
        "en": "Cells' starting utilisation",
    },
    "sens_factor_technology_mix": {"zh": "技术路线结构", "en": "Technology mix"},
    "sens_factor_utilisation": {"zh": "产能利用率", "en": "Utilisation"},
    "sens_factor_utilisation_of": {"zh": "产能利用率（{item}）", "en": "Utilisation ({item})"},
    "sens_factor_intensity": {"zh": "单耗", "en": "Input intensities"},
    "sens_factor_intensity_of": {"zh": "单耗（{item}）", "en": "Input intensities ({item})"},
    "sens_factor_completion": {"zh": "项目建成概率", "en": "Completion probability"},
    "sens_factor_completion_of": {
        "zh": "建成概率（{item}项目）",
        "en": "Completion probability ({item})",
    },
    "sens_factor_delay": {"zh": "项目延期", "en": "Project delay"},
    "sens_factor_delay_of": {"zh": "延期（{item}项目）", "en": "Delay ({item})"},
    "sens_factor_ramp": {"zh": "爬坡期", "en": "Ramp-up time"},
    # the CLI table
    "sens_title": {
        "zh": "全局敏感性：{scenario}，{quarter}（Sobol 指数，{n} 个基础样本，{runs:,} 次模型运行）",
        "en": "Global sensitivity: {scenario}, {quarter} (Sobol indices, {n} base samples, "
        "{runs:,} model runs)",
    },
    "sens_variable_gap": {"zh": "产业链缺口", "en": "supply-chain gap"},
    "sens_variable_market_gap": {"zh": "市场缺口", "en": "market gap"},
    "sens_col_gap": {"zh": "缺口", "en": "Gap"},
    "sens_col_factor": {"zh": "因素", "en": "Factor"},
    "sens_col_s1": {"zh": "一阶 S1 ± 95%", "en": "First-order S1 ± 95%"},
    "sens_col_st": {"zh": "总效应 ST ± 95%", "en": "Total ST ± 95%"},
    "sens_top": {
        "zh": "{stage}的{variable}主要取决于{factor}（总效应 {st:.0%}）。",
        "en": "The {variable} of {stage} depends most on {factor} (total effect {st:.0%}).",
    },
    "sens_absent": {
        "zh": "本情景中无不确定范围、未参与分析的因素：{factors}。",
        "en": "Factors without a range in this scenario, not analysed: {factors}.",
    },
    "sens_constant": {
        "zh": "不随任何输入变化的缺口（未列出）：{items}。",
        "en": "Gaps that no input moves (not listed): {items}.",
    },
    # problems (the expectation of one problem sentence)
    "sens_expected_n": {
        "zh": "应为 {low} 至 {high} 之间的 2 的幂（如 {default}）",
        "en": "expected a power of two from {low} to {high} (e.g. {default})",
    },
    "sens_quarter_out": {
        "zh": "季度 {quarter} 不在预测期内（{first} 至 {last}）",
        "en": "quarter {quarter} is not in the projection ({first} to {last})",
    },
    "sens_no_uncertainty": {
        "zh": "本情景中没有任何输入有不确定范围，无可分析",
        "en": "no input has a range in this scenario: nothing to analyse",
    },
    "sens_too_big": {
        "zh": "约需 {need} 内存，超过上限 {limit}；请减小 --n",
        "en": "needs about {need} of memory, above the limit of {limit}; use a smaller --n",
    },
    "sens_reading": {
        "zh": "S1：该因素单独解释的方差份额；ST：含交互作用的总份额。ST 接近 0 表示该因素无关紧要。",
        "en": "S1: share of the variance the factor explains alone; ST: its total share, "
        "interactions included. ST near 0: the factor does not matter.",
    },
}
