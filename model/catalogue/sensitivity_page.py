"""Text of the sensitivity page (敏感性) and the app's progress bars."""

TEXT: dict[str, dict[str, str]] = {
    "sp_page_title": {"zh": "敏感性", "en": "Sensitivity"},
    "sp_intro": {
        "zh": "哪项假设对缺口影响最大？对情景中每个不确定的假设（储能需求增速、动力电池需求增速、"
        "产能利用率、单耗、项目建成概率与延期、爬坡期）做全局敏感性分析（Sobol 指数），"
        "看它们各自能解释某环节缺口波动的多少。",
        "en": "Which assumption matters most for a gap? A global sensitivity analysis "
        "(Sobol indices) over every uncertain assumption of the scenario (storage and "
        "power-cell demand growth, utilisation, input intensities, project completion and "
        "delay, ramp-up) shows how much of a stage's gap spread each one explains.",
    },
    "sp_scenario": {"zh": "情景", "en": "Scenario"},
    "sp_quarter": {"zh": "季度", "en": "Quarter"},
    "sp_stage": {"zh": "环节", "en": "Stage"},
    "sp_variable": {"zh": "缺口类型", "en": "Gap"},
    "sp_var_gap": {"zh": "供应链缺口", "en": "Supply-chain gap"},
    "sp_var_market_gap": {"zh": "市场缺口", "en": "Market gap"},
    "sp_var_gap_in": {"zh": "供应链缺口", "en": "supply-chain gap"},
    "sp_var_market_gap_in": {"zh": "市场缺口", "en": "market gap"},
    "sp_n": {"zh": "样本量", "en": "Sample size"},
    "sp_run": {"zh": "开始分析", "en": "Run the analysis"},
    "sp_cancel": {"zh": "取消", "en": "Cancel"},
    "sp_running": {"zh": "正在计算敏感性指数…", "en": "Computing the sensitivity indices…"},
    "sp_press_run": {
        "zh": "该情景、季度和样本量尚未计算。点击“开始分析”（需要几十秒到几分钟）。",
        "en": "Not computed yet for this scenario, quarter and sample size. Press "
        "“Run the analysis” (it takes from tens of seconds to a few minutes).",
    },
    "sp_s1": {"zh": "一阶效应 S1", "en": "First-order S1"},
    "sp_st": {"zh": "总效应 ST", "en": "Total ST"},
    "sp_axis": {"zh": "Sobol 指数（0–1）", "en": "Sobol index (0–1)"},
    "sp_fig_title": {
        "zh": "{quarter} {stage}{variable}的驱动因素",
        "en": "What drives the {variable} of {stage} in {quarter}",
    },
    "sp_sentence_one": {
        "zh": "{quarter} {stage}{variable}的主要驱动因素是{factor}（总效应 {st}）。",
        "en": "The {variable} of {stage} in {quarter} is driven mostly by {factor} "
        "(total index {st}).",
    },
    "sp_sentence_more": {
        "zh": "{quarter} {stage}{variable}的主要驱动因素是{factor}（总效应 {st}），其次是{rest}。",
        "en": "The {variable} of {stage} in {quarter} is driven mostly by {factor} "
        "(total index {st}), then {rest}.",
    },
    "sp_rest_item": {"zh": "{factor}（{st}）", "en": "{factor} ({st})"},
    "sp_list_sep": {"zh": "、", "en": ", "},
    "sp_list_last": {"zh": "和", "en": " and "},
    "sp_no_spread": {
        "zh": "{quarter} {stage}{variable}在各次模拟中没有波动：没有哪项假设能改变它。",
        "en": "The {variable} of {stage} in {quarter} does not vary between runs: no "
        "assumption moves it.",
    },
    "sp_no_stage": {
        "zh": "本次分析没有{stage}{variable}的结果（该环节没有这种缺口）。",
        "en": "This analysis has no {variable} for {stage} (the stage has no such gap).",
    },
    "sp_hidden": {
        "zh": "另有 {count} 项因素的总效应低于 {min}，图中未画出。",
        "en": "{count} more factors have a total index below {min} and are not drawn.",
    },
    "sp_note_title": {"zh": "怎么读这张图", "en": "How to read the chart"},
    "sp_note_s1": {
        "zh": "一阶效应 S1：只动这一项假设、其他不变时，它单独能解释缺口波动的比例（0 到 1）。",
        "en": "First-order index S1: the share of the gap's spread (0 to 1) that this "
        "assumption explains on its own, the others held still.",
    },
    "sp_note_st": {
        "zh": "总效应 ST：这一项假设连同它与其他假设的相互作用一共能解释的比例；"
        "ST 接近 0 的假设可以固定不管，ST 远大于 S1 说明它与别的假设共同起作用。",
        "en": "Total index ST: the share it explains with all its interactions with the "
        "others; an assumption with ST near 0 can be fixed, and ST well above S1 means "
        "it acts together with other assumptions.",
    },
    "sp_note_conf": {
        "zh": "误差线是 95% 置信区间：区间宽时请加大样本量。",
        "en": "The error bars are 95% intervals: when they are wide, use a larger sample.",
    },
    # refusals (one sentence each: field, value, what was expected)
    "sp_bad_quarter": {
        "zh": "季度“{value}”不在该情景的预测期内：请选择 {first} 至 {last} 之间的季度。",
        "en": "Quarter “{value}” is outside the scenario's horizon: choose a quarter from "
        "{first} to {last}.",
    },
    "sp_bad_quarter_text": {
        "zh": "季度不是“2030Q4”这样的季度：请从列表中选择 {first} 至 {last} 之间的季度。",
        "en": "The quarter is not a quarter such as “2030Q4”: choose one from {first} to "
        "{last} in the list.",
    },
    "sp_bad_n": {
        "zh": "样本量必须是 {allowed} 之一。",
        "en": "The sample size must be one of {allowed}.",
    },
    "sp_bad_result": {
        "zh": "页面保存的分析结果无法读取：请重新点击“开始分析”。",
        "en": "The page's stored result cannot be read: press “Run the analysis” again.",
    },
    "sp_runs": {
        "zh": "{n} 个基础样本，共 {runs} 次模型运行。",
        "en": "{n} base samples, {runs} model runs.",
    },
    "sp_failed": {
        "zh": "敏感性分析未能完成：详情已记入服务器日志。",
        "en": "The sensitivity analysis failed: the details are in the server's log.",
    },
}
