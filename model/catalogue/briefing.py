"""Text of the quarterly briefing (keys ``brief_*``)."""

TEXT: dict[str, dict[str, str]] = {
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
