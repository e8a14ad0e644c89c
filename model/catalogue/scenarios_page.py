"""Text of the scenarios page (情景对比): picker, line labels, differing inputs in words."""

TEXT: dict[str, dict[str, str]] = {
    # stage picker and the chosen stage
    "scen_stage_auto": {
        "zh": "自动：差异最大的环节",
        "en": "Automatic: where they differ most",
    },
    "scen_auto_note": {
        "zh": "显示所选情景差异最大的环节：{stage}（按期末 P50 折合电芯 GWh 的差距）。可在上方选择其他环节。",
        "en": "Showing the stage where the chosen scenarios differ most: {stage} (gap between their P50s at the horizon, in cell-GWh-eq). Pick another stage above.",
    },
    "scen_auto_none": {
        "zh": "所选情景在各环节的期末 P50 相同，显示 {stage}。",
        "en": "The chosen scenarios have the same P50 at the horizon in every stage; showing {stage}.",
    },
    "scen_same_as": {"zh": "{name}（同{other}）", "en": "{name} (same as {other})"},
    "scen_wf_value": {"zh": "数值", "en": "Value"},
    "scen_wf_idle": {
        "zh": "另有 {n} 项不同的输入在此不起作用，未画出",
        "en": "{n} other differing inputs change nothing here and are not drawn",
    },
    # the table of differing inputs: rows
    "scen_row_project": {"zh": "项目：{name}", "en": "Project: {name}"},
    "scen_row_horizon": {"zh": "展望期至", "en": "Horizon up to"},
    "scen_row_draws": {"zh": "模拟次数", "en": "Monte Carlo draws"},
    "scen_row_seed": {"zh": "随机种子", "en": "Random seed"},
    "scen_row_intensity": {"zh": "单耗取值", "en": "Recipe intensities"},
    "scen_row_base_gwh": {"zh": "起始储能需求", "en": "Storage demand at the start"},
    "scen_row_growth": {"zh": "储能需求年增长", "en": "Storage demand growth a year"},
    "scen_row_growth_spread": {
        "zh": "储能需求增长的不确定幅度",
        "en": "Uncertainty of storage demand growth",
    },
    "scen_row_power_growth": {
        "zh": "动力电池需求年增长",
        "en": "Power-battery demand growth a year",
    },
    "scen_row_power_growth_spread": {
        "zh": "动力电池需求增长的不确定幅度",
        "en": "Uncertainty of power-battery demand growth",
    },
    "scen_row_storage_share": {"zh": "电芯销往储能的份额", "en": "Share of cells sold for storage"},
    "scen_row_start_utilisation": {
        "zh": "起始销量占电芯产能",
        "en": "Cell sales at the start, share of nameplate",
    },
    "scen_row_mix": {"zh": "{tech}占储能新增", "en": "{tech} share of new storage"},
    "scen_row_mix_reached": {"zh": "技术结构到位季度", "en": "Technology mix reached by"},
    "scen_row_ramp_quarters": {"zh": "投产爬坡时长", "en": "Ramp-up time"},
    "scen_row_ramp_shape": {"zh": "爬坡曲线", "en": "Ramp-up curve"},
    "scen_row_util": {"zh": "产能利用率：{stage}", "en": "Utilisation: {stage}"},
    "scen_row_util_default": {
        "zh": "产能利用率（其余环节）",
        "en": "Utilisation (other stages)",
    },
    "scen_row_p_complete": {
        "zh": "“{status}”项目的完成概率",
        "en": "Chance that “{status}” projects are completed",
    },
    "scen_row_delay_mean_q": {
        "zh": "“{status}”项目的平均延期",
        "en": "Mean delay of “{status}” projects",
    },
    "scen_row_delay_sd_q": {
        "zh": "“{status}”项目延期的标准差",
        "en": "Spread (sd) of the delay of “{status}” projects",
    },
    "scen_row_from_history": {
        "zh": "按状态历史估计完成概率",
        "en": "Completion estimated from the status history",
    },
    "scen_row_min_transitions": {
        "zh": "估计所需的最少状态变化次数",
        "en": "Fewest status changes for an estimate",
    },
    "scen_row_green_share": {"zh": "绿电占比", "en": "Green share of electricity"},
    "scen_row_allowance": {"zh": "园区用电容量上限", "en": "Park's grid allowance"},
    # the table of differing inputs: values
    "scen_v_removed": {"zh": "移除", "en": "removed"},
    "scen_v_kept": {"zh": "保留（按项目库）", "en": "kept (as in the pipeline)"},
    "scen_v_added": {"zh": "新增 {capacity}", "en": "adds {capacity}"},
    "scen_v_not_added": {"zh": "不含", "en": "not included"},
    "scen_v_start": {"zh": "{quarter}投产", "en": "starts {quarter}"},
    "scen_v_status": {"zh": "状态设为“{status}”", "en": "status “{status}”"},
    "scen_v_scale": {"zh": "产能×{factor}", "en": "capacity ×{factor}"},
    "scen_v_delay": {"zh": "推迟{n}个季度", "en": "delayed {n} quarters"},
    "scen_v_as_pipeline": {"zh": "按项目库", "en": "as in the pipeline"},
    "scen_v_default": {"zh": "默认", "en": "default"},
    "scen_v_from_data": {"zh": "按数据文件", "en": "from the data files"},
    "scen_v_auto_demand": {
        "zh": "自动（按电芯产能）",
        "en": "automatic (from the cells' nameplate)",
    },
    "scen_v_as_other_stages": {"zh": "同其余环节", "en": "as other stages"},
    "scen_v_quarters": {"zh": "{n}个季度", "en": "{n} quarters"},
    "scen_v_points": {"zh": "±{n}个百分点", "en": "±{n} points"},
    "scen_v_yes": {"zh": "是", "en": "yes"},
    "scen_v_no": {"zh": "否", "en": "no"},
    "scen_v_intensity_sampled": {"zh": "按区间抽样", "en": "sampled from the range"},
    "scen_v_intensity_central": {"zh": "中值", "en": "central"},
    "scen_v_intensity_low": {"zh": "低值", "en": "low"},
    "scen_v_intensity_high": {"zh": "高值", "en": "high"},
    "scen_v_shape_linear": {"zh": "线性", "en": "linear"},
    "scen_v_shape_s_curve": {"zh": "S 形", "en": "S-curve"},
    "scen_v_shape_instant": {"zh": "立即满产", "en": "instant"},
}
