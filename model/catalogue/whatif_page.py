"""Text of the what-if page (假设分析): result cards, lever messages, links and saving."""

TEXT: dict[str, dict[str, str]] = {
    # result cards
    "wi_cards_title": {
        "zh": "{quarter} 结果（均值，与起始情景同一随机种子比较）",
        "en": "{quarter} results (means, compared with the start scenario at the same seed)",
    },
    "wi_card_lfp_output": {"zh": "磷酸铁锂电芯产量", "en": "LFP cell output"},
    "wi_card_demand": {"zh": "{stage}：园区需求", "en": "{stage}: park demand"},
    "wi_card_gap": {"zh": "{stage}：缺口", "en": "{stage}: gap"},
    "wi_card_p_short": {"zh": "{stage}：短缺概率", "en": "{stage}: P(short)"},
    "wi_card_market_gap": {"zh": "{stage}：市场缺口", "en": "{stage}: market gap"},
    "wi_short": {
        "zh": "短缺 {value}：园区需求超过本地供给",
        "en": "short {value}: the park's demand exceeds local supply",
    },
    "wi_surplus": {
        "zh": "富余 {value}：本地供给超过园区需求",
        "en": "surplus {value}: local supply exceeds the park's demand",
    },
    "wi_market_short": {
        "zh": "缺 {value}：市场需求超过本地供给",
        "en": "short {value}: the market takes more than local supply",
    },
    "wi_market_surplus": {
        "zh": "富余 {value}：本地供给超过市场需求",
        "en": "surplus {value}: local supply exceeds the market",
    },
    "wi_balanced": {"zh": "基本平衡", "en": "balanced"},
    "wi_no_market": {"zh": "该环节无终端市场", "en": "this stage has no end market"},
    "wi_vs_base": {"zh": "较基准 {arrow} {delta}", "en": "vs base {arrow} {delta}"},
    "wi_vs_base_same": {"zh": "与基准相同", "en": "same as base"},
    "wi_points": {"zh": "{value} 个百分点", "en": "{value} percentage points"},
    # levers
    "wi_reset": {"zh": "恢复起始情景的值", "en": "restore the start scenario's value"},
    "wi_low": {"zh": "下限", "en": "low"},
    "wi_high": {"zh": "上限", "en": "high"},
    "wi_empty": {"zh": "空", "en": "empty"},
    "wi_out_of_range": {
        "zh": "{label}：“{value}”超出范围，请输入 {lo:g} 到 {hi:g} 之间的数。",
        "en": "{label}: '{value}' is out of range; enter a number from {lo:g} to {hi:g}.",
    },
    "wi_not_a_number": {
        "zh": "{label}：“{value}”不是数字，请输入 {lo:g} 到 {hi:g} 之间的数。",
        "en": "{label}: '{value}' is not a number; enter a number from {lo:g} to {hi:g}.",
    },
    "wi_not_whole": {
        "zh": "{label}：“{value}”不是整数，请输入整数季度。",
        "en": "{label}: '{value}' is not a whole number; enter whole quarters.",
    },
    "wi_not_pair": {
        "zh": "{label}：“{value}”应写成“下限-上限”两个数。",
        "en": "{label}: '{value}' should be two numbers, 'low-high'.",
    },
    "wi_not_choice": {
        "zh": "{label}：“{value}”不是可选项，请从 {options} 中选择。",
        "en": "{label}: '{value}' is not a choice; choose one of {options}.",
    },
    "wi_unknown_project": {
        "zh": "{label}：“{value}”不是本页列出的项目。",
        "en": "{label}: '{value}' is not a project this page lists.",
    },
    "wi_invalid_lever": {
        "zh": "{label}：这组取值不能构成有效情景，请调整后重试。",
        "en": "{label}: these values do not make a valid scenario; change them and try again.",
    },
    "wi_mix_all_zero": {
        "zh": "技术结构：四项不能全为 0，请至少给一项大于 0 的份额。",
        "en": "Technology mix: the four shares cannot all be 0; give at least one a share above 0.",
    },
    "wi_link_too_long": {
        "zh": "链接中的参数过长，已改用起始情景的值。",
        "en": "The link's parameters are too long; the start scenario's values are used instead.",
    },
    "wi_link_repeated": {
        "zh": "{label}：链接中给出了多次，已改用起始情景的值。",
        "en": "{label}: given more than once in the link; the start scenario's value is used.",
    },
    "wi_link_value_refused": {
        "zh": "链接中的参数有误，已改用起始情景的值：",
        "en": "Some values in the link were refused; the start scenario's values are used:",
    },
    "wi_link_unknown_base": {
        "zh": "起始情景：链接中的名称不在情景列表中，已改用基准情景。",
        "en": "Start scenario: the link's name is not in the list of scenarios; the baseline is used.",
    },
    "wi_stale": {
        "zh": "以下图表为上一次有效参数的结果。",
        "en": "The charts below show the last valid values.",
    },
    "wi_copy_link": {
        "zh": "地址栏中的链接包含当前参数，可复制分享。",
        "en": "The address bar's link holds these levers: copy it to share them.",
    },
    # saving
    "wi_save_title_label": {"zh": "标题（中文或英文）", "en": "Title (Chinese or English)"},
    "wi_save_title_placeholder": {
        "zh": "例如：钠电份额提高到 30%",
        "en": "e.g. sodium-ion share up to 30 %",
    },
    "wi_save_note_label": {"zh": "备注（可选）", "en": "Note (optional)"},
    "wi_file_name": {"zh": "将保存为文件：{file}", "en": "Will be saved as: {file}"},
    "wi_file_exists": {
        "zh": "将覆盖已有文件：{file}（需勾选“允许覆盖同名文件”）",
        "en": "Replaces the existing file {file} (tick 'replace an existing file')",
    },
    "wi_title_empty": {"zh": "标题：请填写标题。", "en": "Title: enter a title."},
    "wi_title_too_long": {
        "zh": "标题：最多 {n} 个字符，请缩短。",
        "en": "Title: at most {n} characters; shorten it.",
    },
    "wi_note_too_long": {
        "zh": "备注：最多 {n} 个字符，请缩短。",
        "en": "Note: at most {n} characters; shorten it.",
    },
    "wi_text_formula": {
        "zh": "{label}：不能以 =、+、-、@ 开头（电子表格会当作公式执行）。",
        "en": "{label}: cannot start with =, +, -, or @ (a spreadsheet would run it as a formula).",
    },
    "wi_text_control": {
        "zh": "{label}：含有不可见的控制字符，请删除。",
        "en": "{label}: holds invisible control characters; remove them.",
    },
}
