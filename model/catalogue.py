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
    # gaps
    "gaps_title": {
        "zh": "产业链缺口（{scenario}，{quarter}）",
        "en": "Value-chain gaps ({scenario}, {quarter})",
    },
    "targets_title": {
        "zh": "招商优先环节（按缺口大小排序）",
        "en": "Investment targets (largest shortfall first)",
    },
    "missing_title": {"zh": "园区缺失的环节", "en": "Stages the park lacks"},
    "compare_title": {"zh": "情景对比（{quarter}）", "en": "Scenario comparison ({quarter})"},
    "differs_title": {"zh": "情景输入差异", "en": "Inputs in which the scenarios differ"},
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
}


def t(key: str, lang: str = "zh", **fmt: object) -> str:
    """The text ``key`` in ``lang``, formatted with ``fmt``; the key itself if unknown."""
    entry = TEXT.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["en"]
    return text.format(**fmt) if fmt else text
