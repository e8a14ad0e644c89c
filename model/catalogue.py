"""The one catalogue of Chinese and English text used by the CLI, exports and dashboard.

Names of stages, statuses and projects come from ``data/`` (each row has ``name_zh`` and
``name_en``); everything else a user reads is here, keyed by a short id.
"""

from __future__ import annotations

LANGS = ("zh", "en")

TEXT: dict[str, dict[str, str]] = {
    # common
    "app_title": {
        "zh": "西宁经开区储能产业链产能与情景模型",
        "en": "Xining ETDZ storage value chain: capacity and scenarios",
    },
    "stage": {"zh": "环节", "en": "Stage"},
    "chain": {"zh": "产业链", "en": "Chain"},
    "capacity": {"zh": "产能", "en": "Capacity"},
    "unit": {"zh": "单位", "en": "Unit"},
    "per_year": {"zh": "每年", "en": "per year"},
    "as_of": {"zh": "截至", "en": "As of"},
    "recorded": {"zh": "录入日期", "en": "Recorded"},
    "source": {"zh": "来源", "en": "Source"},
    "note": {"zh": "备注", "en": "Note"},
    "cell_eq": {"zh": "折合电芯（GWh/年）", "en": "Cell-equivalent (GWh/a)"},
    "reference": {"zh": "折算基准", "en": "Yardstick"},
    "no_record": {
        "zh": "无记录（园区暂无此环节）",
        "en": "none recorded (the park lacks this stage)",
    },
    "no_capacity_reported": {"zh": "有生产但未公布产能", "en": "produced, capacity not reported"},
    "quarter": {"zh": "季度", "en": "Quarter"},
    "scenario": {"zh": "情景", "en": "Scenario"},
    "supply": {"zh": "本地供给", "en": "Local supply"},
    "demand": {"zh": "园区下游需求", "en": "Downstream demand in the park"},
    "gap": {"zh": "缺口（需求−供给）", "en": "Gap (demand − supply)"},
    "market_demand": {"zh": "市场需求", "en": "Market demand"},
    "market_gap": {"zh": "市场缺口（市场−供给）", "en": "Market gap (market − supply)"},
    "gap_cell_eq": {"zh": "缺口折合电芯（GWh/年）", "en": "Gap in cell-GWh-eq (GWh/a)"},
    "p_short": {"zh": "短缺概率", "en": "P(short)"},
    "to_close": {"zh": "补链所需产能", "en": "Capacity to close the gap"},
    "missing": {"zh": "缺失环节", "en": "Missing stage"},
    "rank": {"zh": "排序", "en": "Rank"},
    "status": {"zh": "状态", "en": "Status"},
    "status_short": {"zh": "短缺", "en": "short"},
    "status_missing": {"zh": "缺失", "en": "missing"},
    "status_unreported": {"zh": "未公布产能", "en": "capacity not reported"},
    "status_surplus": {"zh": "富余", "en": "surplus"},
    "status_balanced": {"zh": "基本平衡", "en": "balanced"},
    "status_not_needed": {"zh": "园区内无下游需求", "en": "no downstream demand in the park"},
    # stocks
    "stocks_title": {"zh": "产能存量（截至 {date}）", "en": "Capacity stocks as of {date}"},
    "growth_title": {"zh": "2023年增长指标", "en": "2023 growth indicators"},
    "validate_ok": {
        "zh": "数据校验通过：{path}（{stages} 个环节，{records} 条产能记录，{recipes} 条配方，{projects} 个项目）",
        "en": "Data valid: {path} ({stages} stages, {records} capacity records, {recipes} recipe lines, {projects} projects)",
    },
    "problems": {"zh": "发现 {n} 个问题：", "en": "{n} problem(s) found:"},
    # growth figures against the capacity history (model/consistency.py, parkcap validate)
    "warn_growth_vs_capacity": {
        "zh": "注意：growth.csv {id}：{name} {year}年为上年的 {output_ratio} 倍（{text}，来源 {source}），而记录的产能变为 {capacity_ratio} 倍（{start} → {end}）；两者意味着利用率变为 {utilisation_ratio} 倍，超出容差（利用率一年内的变化应在 {low}–{high} 倍之间）。请核对 capacity.csv 的记录（缺失、日期或口径：园区/市/省）或增长指标",
        "en": "Warning: growth.csv {id}: {name} in {year} was {output_ratio}× the year before ({text}, source {source}), while the recorded capacity changed {capacity_ratio}× ({start} → {end}); together they imply utilisation changed {utilisation_ratio}×, outside the tolerance (utilisation changes by a factor of {low} to {high} in a year). Check capacity.csv (a missing record, its date or its scope: park, city or province) or the growth figure",
    },
    "growth_check_summary": {
        "zh": "增长指标与产能记录核对（容差：利用率一年内变化 {low}–{high} 倍）：核对 {checked} 项，矛盾 {contradicting} 项；无法核对（上年末无产能记录）：{unchecked}",
        "en": "Growth figures against the capacity history (tolerance: utilisation changes by a factor of {low} to {high} in a year): {checked} checked, {contradicting} contradicting; not checkable (no capacity record at the end of the year before): {unchecked}",
    },
    "wafer_eq": {"zh": "折合硅片（GW/年）", "en": "Wafer-equivalent (GW/a)"},
    "gap_wafer_eq": {"zh": "缺口折合硅片（GW/年）", "en": "Gap in GW-of-wafers-eq (GW/a)"},
    # gaps
    "gaps_title": {
        "zh": "产业链缺口（{scenario}，{quarter}）",
        "en": "Value-chain gaps ({scenario}, {quarter})",
    },
    "targets_title": {
        "zh": "招商优先环节（按缺口大小排序）",
        "en": "Investment targets (largest shortfall first)",
    },
    "targets_title_cell_eq": {
        "zh": "招商优先环节（按园区自身缺口折合电芯排序）",
        "en": "Investment targets (the park's own shortfall in cell-GWh-eq, largest first)",
    },
    "targets_title_value": {
        "zh": "招商优先环节（按缺口年产值排序）",
        "en": "Investment targets (output value of the shortfall, largest first)",
    },
    "targets_title_capex": {
        "zh": "招商优先环节（按补链投资额排序）",
        "en": "Investment targets (investment to close the gap, largest first)",
    },
    "targets_title_jobs": {
        "zh": "招商优先环节（按新增就业排序）",
        "en": "Investment targets (jobs of the capacity to close the gap, most first)",
    },
    "rank_value": {"zh": "缺口年产值", "en": "Output value of the gap"},
    "rank_capex": {"zh": "补链投资额", "en": "Investment to close"},
    "rank_jobs": {"zh": "新增就业（人）", "en": "Jobs"},
    "ui_rank": {"zh": "排序依据", "en": "Rank by"},
    "ui_rank_cell_eq": {"zh": "缺口折合电芯", "en": "Gap in cell-GWh-eq"},
    "ui_rank_value": {"zh": "年产值", "en": "Output value"},
    "ui_rank_capex": {"zh": "投资额", "en": "Investment"},
    "ui_rank_jobs": {"zh": "就业", "en": "Jobs"},
    "ui_boundary": {"zh": "本地供给范围", "en": "Local supply counted"},
    "ui_boundary_park": {"zh": "园区", "en": "Park"},
    "ui_boundary_province": {"zh": "青海省", "en": "Qinghai province"},
    "warn_grid": {
        "zh": "注意：{quarter} 园区用电需求约 {demand} 兆瓦，{share} 的模拟超过电网容量 {allowance} 兆瓦（data/grid.csv 或情景 [power] allowance_mw）",
        "en": "Warning: in {quarter} the park's power demand is about {demand} MW and exceeds the grid allowance of {allowance} MW in {share} of the draws (data/grid.csv or the scenario's [power] allowance_mw)",
    },
    "electricity_line": {
        "zh": "园区用电：平均 {demand} 兆瓦，其中绿电 {green} 兆瓦（{share}）；电网容量 {allowance} 兆瓦",
        "en": "Electricity: {demand} MW on average, of which {green} MW green ({share}); grid allowance {allowance} MW",
    },
    "missing_title": {"zh": "园区缺失的环节", "en": "Stages the park lacks"},
    "compare_title": {"zh": "情景对比（{quarter}）", "en": "Scenario comparison ({quarter})"},
    "differs_title": {"zh": "情景输入差异", "en": "Inputs in which the scenarios differ"},
    # dashboard (web app): pages, controls, figures, messages
    "page_overview": {"zh": "概览", "en": "Overview"},
    "page_chain": {"zh": "产业链", "en": "Value chain"},
    "page_scenarios": {"zh": "情景对比", "en": "Scenarios"},
    "page_whatif": {"zh": "假设分析", "en": "What-if"},
    "page_pipeline": {"zh": "项目库", "en": "Pipeline"},
    "page_export": {"zh": "导出", "en": "Export"},
    "ui_switch_lang": {"zh": "English", "en": "中文"},
    "ui_footer": {
        "zh": "产能均为年率；折合电芯 = 可支撑的电芯 GWh/年。数据与来源见 data/。",
        "en": "Capacities are annual rates; cell-equivalent = GWh a year of cells a stage could supply. Data and sources in data/.",
    },
    "ui_overview_intro": {
        "zh": "园区现有产能（带单位与折合电芯）、2023年增长指标和在谈项目概况。",
        "en": "The park's capacity today (with units and cell-equivalent), the 2023 growth indicators and the project pipeline.",
    },
    "ui_chain_intro": {
        "zh": "所选情景与季度下，各环节本地供给与园区下游需求的对比；红色为短缺或缺失，绿色为富余。",
        "en": "Local supply of each stage against what the park's downstream stages need, for the chosen scenario and quarter; red is short or missing, green is surplus.",
    },
    "ui_scenarios_intro": {
        "zh": "两个或以上情景并列：所选环节的产能与缺口（P10–P50–P90）、输入差异与瀑布图分解。",
        "en": "Two or more scenarios side by side: capacity and gap of the chosen stage (P10–P50–P90), the inputs that differ, and a waterfall.",
    },
    "ui_whatif_intro": {
        "zh": "调整左侧参数，图表即时更新（1000次模拟）；可另存为情景文件或下载。",
        "en": "Move the levers on the left and the charts update (1,000 draws); save the result as a scenario file or download it.",
    },
    "ui_pipeline_intro": {
        "zh": "所有在谈项目：可排序、可筛选（点击表头排序，在表头下方输入筛选）。",
        "en": "Every pipeline project: click a header to sort, type below it to filter.",
    },
    "ui_export_intro": {
        "zh": "下载所选情景的季度预测：CSV 长表（P10/P50/P90/均值，每个环节、季度和变量一行，附单位）、Excel 工作簿、NetCDF 或 IAMC 宽表。",
        "en": "Download the quarterly projections of the chosen scenarios: a tidy CSV (P10/P50/P90/mean, one row per stage, quarter and variable, with units), an Excel workbook, NetCDF or an IAMC table.",
    },
    "ui_waterfall_intro": {
        "zh": "把基准情景的参数逐项换成对比情景的参数，显示每项对所选环节缺口（或产能）的贡献。",
        "en": "Switches the base scenario's inputs to the other's one group at a time and shows each one's effect on the chosen stage's gap (or capacity).",
    },
    "ui_per_year_suffix": {"zh": "/年", "en": "/a"},
    "ui_capacity_per_year": {"zh": "产能（每年）", "en": "Capacity (per year)"},
    "ui_capacity_value": {"zh": "产能数值", "en": "Capacity value"},
    "ui_cell_eq_axis": {"zh": "折合电芯（GWh/年）", "en": "Cell-equivalent (GWh/a)"},
    "ui_cell_eq_short": {"zh": "折合电芯", "en": "cell-eq"},
    "ui_need": {"zh": "下游需求", "en": "Downstream need"},
    "ui_mean": {"zh": "均值（期望）", "en": "mean (expected)"},
    "ui_indicator": {"zh": "指标", "en": "Indicator"},
    "ui_year": {"zh": "年份", "en": "Year"},
    "ui_as_printed": {"zh": "原文", "en": "As printed"},
    "ui_increase": {"zh": "增幅", "en": "Increase"},
    "ui_ratio_title": {"zh": "相当于上年的", "en": "Relative to the year before"},
    "ui_ratio": {"zh": "{ratio} 倍", "en": "{ratio} times"},
    "ui_pipeline_numbers": {"zh": "项目概况", "en": "The pipeline in numbers"},
    "ui_fact": {"zh": "事项", "en": "Fact"},
    "ui_value": {"zh": "数值", "en": "Value"},
    "ui_count": {"zh": "项目数", "en": "Projects"},
    "ui_projects_unit": {"zh": "项", "en": "projects"},
    "ui_pipeline_capacity": {"zh": "在谈产能（每年）", "en": "Pipeline capacity (per year)"},
    "ui_project": {"zh": "项目", "en": "Project"},
    "ui_company": {"zh": "企业", "en": "Company"},
    "ui_technology": {"zh": "技术路线", "en": "Technology"},
    "ui_announced": {"zh": "公布日期", "en": "Announced"},
    "ui_expected_start": {"zh": "预计投产", "en": "Expected start"},
    "ui_start_derived": {"zh": "按状态推算", "en": "derived from status"},
    "ui_assumption": {"zh": "假设说明", "en": "Assumption"},
    "ui_basis": {"zh": "口径", "en": "Basis"},
    "ui_basis_nameplate": {"zh": "名义产能对名义产能", "en": "Nameplate vs nameplate"},
    "ui_basis_effective": {"zh": "模拟运行（有效产能）", "en": "Simulated operation (effective)"},
    "ui_scenarios_pick": {"zh": "选择情景", "en": "Scenarios"},
    "ui_pick_two": {
        "zh": "请至少选择两个不同的情景",
        "en": "Choose at least two different scenarios",
    },
    "ui_pick_one": {"zh": "请至少选择一个情景", "en": "Choose at least one scenario"},
    "ui_no_differences": {
        "zh": "所选情景的输入相同",
        "en": "The chosen scenarios have the same inputs",
    },
    "ui_input": {"zh": "输入项", "en": "Input"},
    "ui_variable": {"zh": "变量", "en": "Variable"},
    "ui_wf_base": {"zh": "基准", "en": "From"},
    "ui_wf_other": {"zh": "对比", "en": "To"},
    "ui_wf_start": {"zh": "起点", "en": "Start"},
    "ui_wf_end": {"zh": "终点", "en": "End"},
    "ui_base_scenario": {"zh": "起始情景", "en": "Start from scenario"},
    "ui_group_demand": {"zh": "储能需求", "en": "Storage demand"},
    "ui_group_mix": {
        "zh": "新增需求的技术结构（%，自动归一）",
        "en": "Technology mix of new demand (%, normalised)",
    },
    "ui_group_supply": {"zh": "产能利用与单耗", "en": "Utilisation and intensities"},
    "ui_group_status": {
        "zh": "各状态项目的完成概率与延期",
        "en": "Completion and delay by project status",
    },
    "ui_group_projects": {"zh": "纳入的在谈项目", "en": "Pipeline projects included"},
    "ui_growth": {"zh": "需求年增长率（%/年）", "en": "Demand growth (%/a)"},
    "ui_spread": {
        "zh": "增长率不确定范围（±百分点）",
        "en": "Growth uncertainty (± percentage points)",
    },
    "ui_util": {"zh": "产能利用率范围（%，全部环节）", "en": "Utilisation range (%, all stages)"},
    "ui_util_hint": {
        "zh": "起始情景另为以下环节设定了范围：{stages}；移动滑块后全部环节统一使用所选范围",
        "en": "The start scenario sets its own range for: {stages}; moving the slider applies one range to every stage",
    },
    "ui_base_gwh": {"zh": "起始储能需求（{unit}）", "en": "Storage demand at the start ({unit})"},
    "ui_base_gwh_auto": {
        "zh": "自动：当前磷酸铁锂电芯产量",
        "en": "auto: today's LFP cell output",
    },
    "ui_auto_value": {"zh": "自动 ≈ {value}", "en": "auto ≈ {value}"},
    "ui_group_ramp": {"zh": "投产爬坡", "en": "Ramp-up"},
    "ui_ramp_quarters": {
        "zh": "投产到满产所需季度（范围）",
        "en": "Quarters from first output to nameplate (range)",
    },
    "ui_ramp_shape": {"zh": "爬坡曲线", "en": "Ramp-up curve"},
    "ui_shape_s_curve": {"zh": "S形", "en": "S-curve"},
    "ui_shape_linear": {"zh": "线性", "en": "linear"},
    "ui_shape_instant": {"zh": "立即满产", "en": "instant"},
    "ui_delay_sd": {"zh": "延期标准差（季度）", "en": "Delay spread (sd, quarters)"},
    "ui_expected_whole": {"zh": "应为整数", "en": "expected whole numbers"},
    "ui_fan_variable": {"zh": "产能图显示", "en": "Capacity chart shows"},
    "ui_no_quarters": {
        "zh": "该情景的展望期早于数据的起始季度，没有可显示的季度",
        "en": "the scenario's horizon is before the data's start quarter: no quarter to show",
    },
    "ui_whatif_summary_ops": {
        "zh": "；有效产能期望值 {eff}，产量期望值 {out}",
        "en": "; expected effective capacity {eff}, expected output {out}",
    },
    "ui_intensity": {"zh": "单耗取值", "en": "Recipe intensities"},
    "ui_intensity_sampled": {"zh": "抽样", "en": "sampled"},
    "ui_intensity_central": {"zh": "中值", "en": "central"},
    "ui_intensity_low": {"zh": "低值", "en": "low"},
    "ui_intensity_high": {"zh": "高值", "en": "high"},
    "ui_p_complete": {"zh": "完成概率（%）", "en": "P(complete) (%)"},
    "ui_delay": {"zh": "平均延期（季度）", "en": "Mean delay (quarters)"},
    "ui_chart_stage": {"zh": "图表环节", "en": "Stage shown"},
    "ui_new_storage_demand": {"zh": "储能需求", "en": "Storage demand"},
    "ui_whatif_label": {"zh": "假设情景", "en": "What-if"},
    "ui_whatif_title": {"zh": "假设分析（基于{base}）", "en": "What-if (from {base})"},
    "ui_whatif_summary": {
        "zh": "{quarter}：{stage}名义产能期望值 {cap}，缺口期望值 {gap}，短缺概率 {p}%",
        "en": "{quarter}: {stage} expected nameplate {cap}, expected gap {gap}, P(short) {p} %",
    },
    "ui_save_title": {"zh": "保存为情景", "en": "Save as a scenario"},
    "ui_save_placeholder": {
        "zh": "情景名称（字母、数字、- 或 _）",
        "en": "scenario name (letters, digits, - or _)",
    },
    "ui_save_name": {"zh": "情景名称", "en": "Scenario name"},
    "ui_overwrite": {"zh": "允许覆盖同名文件", "en": "replace an existing file"},
    "ui_save": {"zh": "保存", "en": "Save"},
    "ui_download_toml": {"zh": "下载情景文件（TOML）", "en": "Download scenario (TOML)"},
    "ui_saved": {"zh": "已保存：{path}", "en": "Saved: {path}"},
    "ui_nothing_to_save": {
        "zh": "当前没有可保存的有效情景",
        "en": "There is no valid what-if scenario to save yet",
    },
    "ui_name_empty": {"zh": "请填写情景名称", "en": "enter a name"},
    "ui_name_invalid": {
        "zh": "名称只能包含字母、数字、- 和 _（以字母或数字开头，最多64个字符），不能含路径分隔符",
        "en": "use letters, digits, - and _ only (starting with a letter or digit, at most 64 characters); no path separators",
    },
    "ui_name_shipped": {
        "zh": "随程序提供的情景不能被覆盖，请换一个名称",
        "en": "a shipped scenario is never overwritten; choose another name",
    },
    "ui_name_exists": {
        "zh": "已有同名情景文件；勾选“允许覆盖同名文件”后再保存",
        "en": "a scenario file with this name exists; tick 'replace an existing file' to overwrite it",
    },
    "ui_controls": {"zh": "假设参数", "en": "what-if controls"},
    "ui_expected_range": {
        "zh": "应为 {lo:g} 到 {hi:g} 之间的数",
        "en": "expected a number from {lo:g} to {hi:g}",
    },
    "ui_expected_pair": {"zh": "应为 [下限, 上限] 两个数", "en": "expected [low, high]"},
    "ui_expected_one_of": {"zh": "应为以下之一：{options}", "en": "expected one of {options}"},
    "ui_unknown_project": {"zh": "未知项目编号", "en": "unknown project id"},
    "ui_input_problems": {"zh": "输入有 {n} 个问题：", "en": "{n} problem(s) with the input:"},
    "ui_error_title": {"zh": "出错了", "en": "Something went wrong"},
    "ui_internal_error": {
        "zh": "内部错误，已记录到服务器日志；请检查输入后重试",
        "en": "internal error, recorded in the server log; check the input and try again",
    },
    "ui_format": {"zh": "格式", "en": "Format"},
    "ui_format_csv": {"zh": "CSV（Excel 可打开）", "en": "CSV (opens in Excel)"},
    "ui_format_xlsx": {"zh": "Excel 工作簿（XLSX）", "en": "Excel workbook (XLSX)"},
    "ui_format_netcdf": {"zh": "NetCDF（xarray）", "en": "NetCDF (xarray)"},
    "ui_format_iamc": {"zh": "IAMC 宽表（CSV）", "en": "IAMC wide table (CSV)"},
    "ui_export_quarters": {"zh": "季度范围", "en": "Quarters"},
    "ui_export_quarters_hint": {
        "zh": "如 2025Q1:2030Q4；留空则为整个预测期",
        "en": "e.g. 2025Q1:2030Q4; empty for the whole projection",
    },
    "ui_export_summary": {
        "zh": "仅导出统计量（P10/P50/P90/均值；完整模拟数据很大）",
        "en": "Summaries only (P10/P50/P90/mean; every draw is large)",
    },
    "ui_download": {"zh": "下载", "en": "Download"},
    "ui_export_done": {"zh": "已生成 {file}", "en": "Prepared {file}"},
    "fig_sankey": {
        "zh": "产业链流向（下游需求，折合电芯 GWh/年）",
        "en": "Value-chain flows (downstream need, cell-GWh-eq a year)",
    },
    "fig_gap_bars": {
        "zh": "本地供给与下游需求（折合电芯）",
        "en": "Local supply and downstream need (cell-equivalent)",
    },
    "fig_stocks": {"zh": "现有产能（折合电芯）", "en": "Capacity today (cell-equivalent)"},
    "fig_tech_demand": {
        "zh": "储能需求（按技术路线，均值）",
        "en": "Storage demand by technology (mean)",
    },
    "fig_waterfall": {"zh": "差异分解（瀑布图）", "en": "What makes the difference (waterfall)"},
    "tech_lfp": {"zh": "磷酸铁锂", "en": "LFP"},
    "tech_sodium_ion": {"zh": "钠离子", "en": "Sodium-ion"},
    "tech_vanadium_flow": {"zh": "全钒液流", "en": "Vanadium flow"},
    "tech_gravity": {"zh": "重力储能", "en": "Gravity"},
    "tech_pv_silicon": {"zh": "光伏硅材料", "en": "PV silicon"},
    "chain_lithium": {"zh": "锂电", "en": "Lithium"},
    "chain_sodium_ion": {"zh": "钠电", "en": "Sodium-ion"},
    "chain_vanadium_flow": {"zh": "全钒液流", "en": "Vanadium flow"},
    "chain_gravity": {"zh": "重力储能", "en": "Gravity"},
    "chain_storage_integration": {"zh": "储能系统集成", "en": "Storage integration"},
    "chain_photovoltaic": {"zh": "光伏", "en": "Photovoltaic"},
    # tracking (parkcap track)
    "track_added": {"zh": "已追加 {n} 条记录到 {path}", "en": "Appended {n} record(s) to {path}"},
    "track_skipped": {
        "zh": "跳过 {n} 行已有记录（--skip-existing）：",
        "en": "Skipped {n} row(s) already recorded (--skip-existing):",
    },
    "track_skipped_row": {
        "zh": "第 {row} 行：已记录为 {same}",
        "en": "row {row}: already recorded as {same}",
    },
    "history_title": {"zh": "记录历史", "en": "Record history"},
    "record_id": {"zh": "记录编号", "en": "Record"},
    "kind": {"zh": "类别", "en": "Kind"},
    "subject": {"zh": "环节/项目", "en": "Stage / project"},
    "value": {"zh": "数值/状态", "en": "Value / status"},
    "valid_from": {"zh": "生效日期", "en": "Valid from"},
    "estimate_title": {
        "zh": "由状态历史估计的完成概率与停留时间（至少 {n} 次转换）",
        "en": "Completion probability and time in status from the status history (at least {n} transitions)",
    },
    "estimate_none": {
        "zh": "状态历史不足：没有任何状态达到 {n} 次转换",
        "en": "Not enough status history: no status has {n} transitions",
    },
    "p_complete": {"zh": "完成概率", "en": "P(complete)"},
    "quarters_in_status": {"zh": "停留季度数", "en": "Quarters in status"},
    "transitions": {"zh": "转换次数", "en": "Transitions"},
    "default": {"zh": "默认值", "en": "Default"},
    # backtest
    "backtest_title": {
        "zh": "回测：{scenario}（预测起点 {start}，实际截至 {as_of}）",
        "en": "Backtest: {scenario} (projected from {start}, actuals to {as_of})",
    },
    "actual": {"zh": "实际", "en": "Actual"},
    "inside": {"zh": "落在区间内", "en": "Inside P10–P90"},
    "below": {"zh": "低于P10", "en": "below P10"},
    "above": {"zh": "高于P90", "en": "above P90"},
    "coverage": {
        "zh": "覆盖率：{inside}/{n} = {share}（P10–P90 区间的名义覆盖率为 80%）",
        "en": "Coverage: {inside}/{n} = {share} (the P10–P90 band's nominal coverage is 80%)",
    },
    "no_observations": {
        "zh": "预测期内（截至 {as_of}）尚无新的产能记录",
        "en": "No capacity records observed in the projection's quarters up to {as_of}",
    },
    # exports and the quarterly pack
    "cover_sheet": {"zh": "封面", "en": "Cover"},
    "gaps_sheet": {"zh": "缺口", "en": "Gaps"},
    "export_title": {
        "zh": "西宁经开区储能产业链产能预测",
        "en": "Xining ETDZ storage value chain: capacity projection",
    },
    "scenarios": {"zh": "情景", "en": "Scenarios"},
    "data_as_of": {"zh": "数据截至", "en": "Data as of"},
    "known_as_of": {"zh": "已知截至（录入日期）", "en": "Known as of (recorded by)"},
    "data_version": {"zh": "数据版本", "en": "Data version"},
    "seed": {"zh": "随机种子", "en": "Seed"},
    "draws": {"zh": "模拟次数", "en": "Draws"},
    "quarters": {"zh": "季度范围", "en": "Quarters"},
    "created": {"zh": "生成时间", "en": "Created"},
    "sources": {"zh": "数据来源", "en": "Sources"},
    "units_note": {
        "zh": "产能与流量均为年率（环节单位/年）；单位写在表头中",
        "en": "Capacities and flows are annual rates (stage unit per year); units are in the headers",
    },
    "quarter_end": {"zh": "季末日期", "en": "Quarter end"},
    "var_nameplate": {"zh": "名义产能", "en": "Nameplate capacity"},
    "var_effective_capacity": {"zh": "有效产能", "en": "Effective capacity"},
    "var_output": {"zh": "产量", "en": "Output"},
    "var_demand": {"zh": "园区下游需求", "en": "Downstream demand"},
    "var_gap": {"zh": "缺口", "en": "Gap"},
    "var_gap_cell_gwh_eq": {"zh": "缺口折合电芯", "en": "Gap in cell-GWh-eq"},
    "mean": {"zh": "均值", "en": "mean"},
    "report_title": {
        "zh": "季度产能预测报告 {quarter}",
        "en": "Quarterly capacity projection {quarter}",
    },
    "chart_fan": {
        "zh": "{stage}名义产能（P10–P90，{unit}）",
        "en": "{stage}: nameplate capacity (P10–P90, {unit})",
    },
    "chart_gaps": {
        "zh": "{quarter} 各环节缺口（折合电芯，GWh/年）",
        "en": "Gaps by stage in {quarter} (cell-GWh-eq, GWh/a)",
    },
    "chart_p_short": {
        "zh": "短缺概率（{scenario}）",
        "en": "Probability of a shortfall ({scenario})",
    },
    "pack_written": {"zh": "季度报告包已写入 {path}：", "en": "Quarterly pack written to {path}:"},
    "fig_fan_key": {
        "zh": "实线：P50；虚线：均值（期望）；色带：P10–P90",
        "en": "solid: P50; dashed: mean (expected); band: P10–P90",
    },
    # levers (waterfall steps)
    "lever_horizon": {"zh": "展望期", "en": "Horizon"},
    "lever_intensity": {"zh": "单耗取值", "en": "Recipe intensities"},
    "lever_demand": {"zh": "储能市场需求", "en": "Storage demand"},
    "lever_technology_mix": {"zh": "新增储能技术结构", "en": "Technology mix of new storage"},
    "lever_utilisation": {"zh": "产能利用率", "en": "Utilisation"},
    "lever_ramp_up": {"zh": "投产爬坡", "en": "Ramp-up"},
    "lever_status": {
        "zh": "{status}项目的完成概率与延期",
        "en": "Completion and delay of {status} projects",
    },
    # web app security: refused inputs, saving limits, host and token pages, `parkcap serve`
    "ui_busy": {
        "zh": "服务器正忙，请稍后再试",
        "en": "the server is busy; try again in a moment",
    },
    "ui_unknown_scenario": {
        "zh": "未知情景：请从列表中选择情景",
        "en": "unknown scenario: choose one from the list",
    },
    "ui_unknown_choice": {
        "zh": "所选内容不在列表中",
        "en": "a choice that is not in the list",
    },
    "ui_too_many_choices": {
        "zh": "选择过多（最多 {n} 项）",
        "en": "too many choices (at most {n})",
    },
    "ui_bad_extends": {
        "zh": "情景 {name} 的 extends 必须是情景文件夹中另一个情景的名称",
        "en": "scenario {name}: extends must name another scenario of the scenarios folder",
    },
    "ui_save_too_many": {
        "zh": "情景文件夹已有 {n} 个保存的情景，不能再新建；请覆盖已有情景或请管理员清理",
        "en": "the scenarios folder already holds {n} saved scenarios; replace one, or ask the administrator to remove some",
    },
    "ui_save_too_large": {
        "zh": "情景文件过大（上限 {kb} KB）",
        "en": "the scenario file is too large (at most {kb} KB)",
    },
    "ui_save_not_from_page": {
        "zh": "只能保存本页可调的参数：抽样次数、展望期和新增项目须与基准情景一致",
        "en": "only what this page's levers change can be saved: draws, horizon and added projects must be those of the base scenario",
    },
    "web_host_title": {"zh": "不接受的主机名", "en": "Host name not accepted"},
    "web_host_text": {
        "zh": "本服务只接受以本机名称或地址发来的请求。请使用启动时显示的链接。",
        "en": "This server answers only to its own names and addresses. Use the link it printed when it started.",
    },
    "web_token_title": {"zh": "需要访问令牌", "en": "Access token required"},
    "web_token_text": {
        "zh": "请使用服务启动时显示的含 ?token= 的链接，或向管理员索取。若刚打开过该链接，请点击下方“重试”。",
        "en": "Open the link with ?token= that the server printed when it started, or ask its administrator. If you just opened that link, click Retry below.",
    },
    "web_retry": {"zh": "重试", "en": "Retry"},
    "serve_listening": {
        "zh": "parkcap 网页应用：{url}（按 Ctrl+C 停止）",
        "en": "parkcap web app: {url}  (Ctrl+C to stop)",
    },
    "serve_beyond_loopback": {
        "zh": "注意：其他电脑也能访问本服务。每个请求都需要访问令牌；请只把链接发给可信的同事，并尽量通过 HTTPS 反向代理提供服务。",
        "en": "Note: other computers can reach this server. Every request needs the access token; give the links to trusted colleagues only, and prefer serving it through an HTTPS reverse proxy.",
    },
    "serve_token_from_env": {
        "zh": "访问令牌来自环境变量 {env}。",
        "en": "The access token comes from {env}.",
    },
    "serve_token_generated": {
        "zh": "已生成新的访问令牌（每次启动都会变化；设置环境变量 {env} 可固定令牌）。",
        "en": "A new access token was generated (a new one at every start; set {env} to keep one).",
    },
    "serve_open_with": {
        "zh": "用以下链接打开（链接含访问令牌）：",
        "en": "Open the app with (the links carry the access token):",
    },
    "serve_stop": {"zh": "按 Ctrl+C 停止。", "en": "Ctrl+C to stop."},
    # export files for people: workbook sheets and the quarterly briefing (model/export, model/report)
    "data_sheet": {"zh": "数据", "en": "Data"},
    "sheet_guide": {"zh": "工作表", "en": "Sheets"},
    "guide_scenario": {
        "zh": "每个环节一块：各季度的名义产能 P10/P50/P90 与均值",
        "en": "one block per stage: nameplate P10/P50/P90 and means by quarter",
    },
    "guide_data": {
        "zh": "长表（每行：情景×环节×季度×变量），可筛选，可做数据透视表",
        "en": "long table (one row per scenario × stage × quarter × variable) to filter and pivot",
    },
    "guide_gaps": {
        "zh": "末季度各环节缺口，按严重程度排序",
        "en": "every stage's gap in the last quarter, most severe first",
    },
    "model_version": {"zh": "模型版本", "en": "Model version"},
    "source_id": {"zh": "编号", "en": "Id"},
    "source_title": {"zh": "标题", "en": "Title"},
    "publisher": {"zh": "发布方", "en": "Publisher"},
    "source_date": {"zh": "日期", "en": "Date"},
    "variable": {"zh": "变量", "en": "Variable"},
    "variable_id": {"zh": "变量代码", "en": "Variable id"},
    "stage_id": {"zh": "环节代码", "en": "Stage id"},
    "var_market_demand": {"zh": "终端市场需求", "en": "End-market demand"},
    "var_market_gap": {"zh": "市场缺口", "en": "Market gap"},
    "gap_p10": {"zh": "缺口 P10", "en": "Gap P10"},
    "gap_p90": {"zh": "缺口 P90", "en": "Gap P90"},
    "page_of": {"zh": "第 &P 页，共 &N 页", "en": "page &P of &N"},
    "ui_format_iamc-yearly": {
        "zh": "IAMC 宽表（CSV，按年）",
        "en": "IAMC wide table (CSV, yearly)",
    },
    "brief_subtitle": {
        "zh": "西宁经开区储能产业链 · 数据截至 {as_of} · 生成于 {made}",
        "en": "Xining ETDZ storage value chain · data as of {as_of} · made {made}",
    },
    "brief_findings": {"zh": "三点结论", "en": "Three findings"},
    "brief_f1": {
        "zh": "到{quarter}，{scenario}中已有产能但不够用、缺口最大的是{stage}：园区下游需要{demand}，本地只有{supply}，缺口{gap}（折合电芯{eq}），{p}的模拟结果短缺。",
        "en": "By {quarter}, of the stages the park has, {stage} falls shortest in {scenario}: the park's own plants need {demand} against local supply of {supply}, a gap of {gap} ({eq} of cells), short in {p} of the draws.",
    },
    "brief_f1_market": {
        "zh": "到{quarter}，{scenario}中已有产能但不够用、缺口最大的是{stage}：市场需要{demand}，本地只能供应{supply}，缺口{gap}（折合电芯{eq}），{p}的模拟结果短缺。",
        "en": "By {quarter}, of the stages the park has, {stage} falls shortest in {scenario}: its market takes {demand} against local supply of {supply}, a gap of {gap} ({eq} of cells), short in {p} of the draws.",
    },
    "brief_f1_none": {
        "zh": "到{quarter}，{scenario}中园区已有产能的电池产业链环节都够用。",
        "en": "By {quarter}, every battery-chain stage the park has is enough in {scenario}.",
    },
    "brief_f2": {
        "zh": "{n}个环节园区完全没有产能：{stages}；其中缺口最大的是{largest}，缺{gap}（折合电芯{eq}）。",
        "en": "{n} stages have no capacity in the park at all: {stages}; the largest gap is {largest}, {gap} ({eq} of cells).",
    },
    "brief_f2_none": {
        "zh": "园区需要的环节都已有产能，没有完全缺失的环节。",
        "en": "Every stage the park needs has some capacity: none is missing outright.",
    },
    "brief_f3": {
        "zh": "{stage}名义产能现为{now}；到{quarter}，各情景的中位数在{low}（{low_s}）到{high}（{high_s}）之间。",
        "en": "{stage} nameplate is {now} today; by {quarter} the scenarios' medians range from {low} ({low_s}) to {high} ({high_s}).",
    },
    "brief_changes": {
        "zh": "与上期（{previous}）相比",
        "en": "Since the previous pack ({previous})",
    },
    "brief_no_previous": {
        "zh": "未提供上期报告包，无可比较的变化。",
        "en": "No previous pack was given: nothing to compare.",
    },
    "brief_change_nameplate": {
        "zh": "{scenario} · {stage}：{quarter}名义产能中位数 {before} → {after}",
        "en": "{scenario} · {stage}: median nameplate in {quarter} {before} → {after}",
    },
    "brief_change_p_short": {
        "zh": "{scenario} · {stage}：{quarter}短缺概率 {before} → {after}",
        "en": "{scenario} · {stage}: probability of a shortfall in {quarter} {before} → {after}",
    },
    "brief_change_records": {
        "zh": "新录入产能记录{n}条：{records}",
        "en": "{n} new capacity records: {records}",
    },
    "brief_no_change": {
        "zh": "预测无明显变化（名义产能中位数变化均小于1%，短缺概率变化均小于10个百分点）。",
        "en": "No notable change (median nameplate within 1 %, probabilities of a shortfall within 10 points).",
    },
    "brief_targets": {
        "zh": "招商目标前五位（{scenario}，{quarter}，按折合电芯缺口排序）",
        "en": "Top five investment targets ({scenario}, {quarter}, by gap in cell-GWh-eq)",
    },
    "brief_no_targets": {"zh": "没有需要招商补链的环节。", "en": "No stage needs a new plant."},
    "brief_details": {"zh": "详细内容", "en": "Details"},
    "brief_fan_key": {
        "zh": "色带为各情景P10–P90区间，实线为中位数（P50），线端标注情景",
        "en": "bands: each scenario's P10–P90; lines: medians (P50), labelled at their ends",
    },
    "brief_p_short_note": {
        "zh": "仅列出曾出现短缺的环节；各年第四季度",
        "en": "stages ever short only; the fourth quarter of each year",
    },
    "brief_pdf_missing": {
        "zh": "未安装 Chromium（chromium），未生成 PDF 版简报",
        "en": "Chromium (chromium) is not installed: the briefing was not printed to PDF",
    },
}


def t(key: str, lang: str = "zh", **fmt: object) -> str:
    """The text ``key`` in ``lang``, formatted with ``fmt``; the key itself if unknown."""
    entry = TEXT.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    return text.format(**fmt) if fmt else text
