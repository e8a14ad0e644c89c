"""Messages: problems, errors and warnings as the user reads them, field names included.

Three kinds of entries:

``msg_*`` (labels)
    The parts of one problem sentence (row, field, value) and how they join.
``msg_x_*`` (expectations)
    The validators' own phrases, written in English in the code (``model/fields.py``,
    ``model/scenario_schema.py``, ``model/datafiles.py``, ...). The ``en`` text is the
    phrase exactly as the code writes it, with ``{name}`` where the code puts a value;
    :meth:`model.errors.Problem.message` matches a problem's ``expected`` text against
    these templates and writes the ``zh`` text with the same values.
``field_name_*``
    The fields people meet: columns of the data files and the scenario keys (dotted
    paths, ``field_name_demand.growth``).
"""

_LABELS: dict[str, dict[str, str]] = {
    "msg_row": {"zh": "第 {row} 行", "en": "row {row}"},
    "msg_field": {"zh": "“{field}”", "en": "field '{field}'"},
    "msg_value": {"zh": "填写的是“{value}”", "en": "value '{value}'"},
    "msg_value_empty": {"zh": "内容为空", "en": "the value is empty"},
    "msg_join": {"zh": "，", "en": ", "},
    # before the value: English keeps the form of the developers' str(problem)
    "msg_value_join": {"zh": "，", "en": ": "},
    "msg_sentence": {"zh": "{where}：{expected}", "en": "{where}: {expected}"},
    "msg_list_join": {"zh": "、", "en": ", "},
    "msg_yes": {"zh": "是", "en": "true"},
    "msg_no": {"zh": "否", "en": "false"},
    "msg_known_invalid": {
        "zh": "认知日期“{value}”无效：应为 {earliest} 至今天之间的日期，格式 YYYY-MM-DD。",
        "en": "“As known on” date “{value}” is not valid: expected a date from {earliest}"
        " to today, as YYYY-MM-DD.",
    },
}

# the validators' phrases; ``en`` must be the code's text exactly (placeholders aside)
_EXPECTED: dict[str, dict[str, str]] = {
    # model/fields.py
    "msg_x_empty_number": {"zh": "应填写一个数", "en": "empty; expected a number"},
    "msg_x_not_finite": {"zh": "不是有限的数", "en": "not a finite number"},
    "msg_x_gt_zero": {"zh": "应大于零", "en": "must be greater than zero"},
    "msg_x_positive": {"zh": "应为正数", "en": "must be positive"},
    "msg_x_not_negative": {"zh": "不能为负数", "en": "must not be negative"},
    "msg_x_unknown_source_listed": {
        "zh": "未知的来源编号，应为 sources.csv 中列出的编号",
        "en": "unknown source id; expected an id listed in sources.csv",
    },
    "msg_x_date_empty": {
        "zh": "日期为空，应为 YYYY-MM-DD 格式，例如 2024-06-30",
        "en": "date is empty; expected YYYY-MM-DD, e.g. 2024-06-30",
    },
    "msg_x_date_invalid": {
        "zh": "不是有效日期，应为 YYYY-MM-DD 格式，例如 2024-06-30",
        "en": "not a valid date; expected YYYY-MM-DD, e.g. 2024-06-30",
    },
    "msg_x_not_number_eg": {
        "zh": "不是数字，应填写例如 2250",
        "en": "not a number; expected e.g. 2250",
    },
    "msg_x_not_number": {"zh": "不是数字", "en": "not a number"},
    "msg_x_duplicate_row": {
        "zh": "编号重复，已在第 {row} 行使用",
        "en": "duplicate id; already used on row {row}",
    },
    "msg_x_figure_source": {
        "zh": "每个数据都需要来源编号",
        "en": "empty; every figure needs a source id",
    },
    "msg_x_source_or_assumption": {
        "zh": "请填写来源编号，或在“假设说明”中用一句话说明依据、标为假设",
        "en": "empty; give a source id, or mark the row as an assumption with a one-line"
        " rationale in 'assumption'",
    },
    # model/datafiles.py
    "msg_x_file_missing": {
        "zh": "文件缺失，应放在数据文件夹中",
        "en": "file is missing; expected it in the data folder",
    },
    "msg_x_file_empty": {
        "zh": "文件为空，应有表头行",
        "en": "file is empty; expected a header line",
    },
    "msg_x_file_empty_columns": {
        "zh": "文件为空，应有表头行：{columns}",
        "en": "file is empty; expected a header line with {columns}",
    },
    "msg_x_duplicate_columns": {
        "zh": "表头中有重复的列名",
        "en": "duplicate column names in the header",
    },
    "msg_x_decode": {
        "zh": "无法解码文件，请另存为 UTF-8 或 GB18030（GBK）编码的 CSV",
        "en": "cannot decode the file; save it as UTF-8 or GB18030 (GBK) CSV",
    },
    "msg_x_cells": {
        "zh": "该行有 {cells} 个单元格，而表头有 {header} 个",
        "en": "row has {cells} cells but the header has {header}",
    },
    "msg_x_column_missing": {
        "zh": "缺少“{column}”列，应有这些列：{columns}",
        "en": "column '{column}' is missing; expected columns {columns}",
    },
    "msg_x_unknown_column": {
        "zh": "未知的列，只应有这些列：{columns}",
        "en": "unknown column; expected only {columns}",
    },
    "msg_x_line_break": {
        "zh": "文字中有换行；数据文件每条记录占一行，请把文字写在一行内",
        "en": "text contains a line break; data files keep one record per line: expected"
        " the text on one line",
    },
    # ids, stages, statuses
    "msg_x_unknown_stage_listed": {
        "zh": "未知的环节编号，应为 stages.csv 中列出的编号",
        "en": "unknown stage id; expected an id listed in stages.csv",
    },
    "msg_x_unknown_stage_in": {
        "zh": "未知的环节，应为 stages.csv 中的编号",
        "en": "unknown stage; expected an id in stages.csv",
    },
    "msg_x_unknown_stage_default": {
        "zh": "未知的环节编号，应为 'default' 或 stages.csv 中的编号",
        "en": "unknown stage id; expected 'default' or an id in stages.csv",
    },
    "msg_x_unknown_stage": {"zh": "未知的环节编号", "en": "unknown stage id"},
    "msg_x_unknown_project": {"zh": "未知的项目编号", "en": "unknown project id"},
    "msg_x_unknown_project_in": {
        "zh": "未知的项目编号，应为 projects.csv 中的编号",
        "en": "unknown project id; expected an id in projects.csv",
    },
    "msg_x_unknown_project_listed": {
        "zh": "未知的项目编号，应为 projects.csv 中列出的编号",
        "en": "unknown project id; expected an id listed in projects.csv",
    },
    "msg_x_unknown_project_add": {
        "zh": "未知的项目编号，应为 projects.csv 或 projects.add 中的编号",
        "en": "unknown project id; expected an id in projects.csv or projects.add",
    },
    "msg_x_project_id_used": {
        "zh": "该编号已在 projects.csv 中使用，请换一个新编号",
        "en": "id already used in projects.csv; choose a new id",
    },
    "msg_x_unknown_source": {"zh": "未知的来源编号", "en": "unknown source id"},
    "msg_x_unknown_status": {
        "zh": "未知的状态，应为以下之一：{options}",
        "en": "unknown status; expected one of {options}",
    },
    "msg_x_unknown_technology": {
        "zh": "未知的技术路线，应为以下之一：{options}",
        "en": "unknown technology; expected one of {options}",
    },
    "msg_x_one_of": {"zh": "应为以下之一：{options}", "en": "expected one of {options}"},
    "msg_x_share": {"zh": "比例应在 0 到 1 之间", "en": "a share lies from 0 to 1"},
    "msg_x_low_central_high": {
        "zh": "应满足 下限 ≤ 中值 ≤ 上限，实际为 {values}",
        "en": "expected low <= central <= high, got {values}",
    },
    "msg_x_quantity_empty": {
        "zh": "应填写例如“11万吨”",
        "en": "empty; expected e.g. '11万吨'",
    },
    # model/scenario_schema.py and pydantic
    "msg_x_unknown_key": {
        "zh": "未知的键，请删除或检查拼写（键的列表见 README 或 model/scenario_schema.py）",
        "en": "unknown key; remove it or check its spelling (see the README or"
        " model/scenario_schema.py for the keys)",
    },
    "msg_x_required_key": {"zh": "缺少必填的键", "en": "required key is missing"},
    "msg_x_pair_share": {
        "zh": "应为 [下限, 上限]，且 0 ≤ 下限 ≤ 上限 ≤ 1",
        "en": "expected [low, high] with 0 <= low <= high <= 1",
    },
    "msg_x_mix_share": {
        "zh": "至少一种技术路线的占比应大于零",
        "en": "at least one technology needs a share above zero",
    },
    "msg_x_pair_quarters": {
        "zh": "应为 [下限, 上限] 个季度，且 1 ≤ 下限 ≤ 上限 ≤ 40",
        "en": "expected [low, high] quarters with 1 <= low <= high <= 40",
    },
    "msg_x_source_or_rationale": {
        "zh": "请填写来源编号，或在“假设说明”中写一句依据",
        "en": "give a source id or a one-line rationale in 'assumption'",
    },
    "msg_x_scale": {
        "zh": "“{item}”的规模系数应大于 0 且不超过 100",
        "en": "scale of {item}: expected a factor above 0 and at most 100",
    },
    "msg_x_delay": {
        "zh": "“{item}”的延迟应为 0 到 80 个季度",
        "en": "delay of {item}: expected 0 to 80 quarters",
    },
    "msg_x_utilisation": {
        "zh": "“{item}”的利用率应为 [下限, 上限]，且 0 < 下限 ≤ 上限 ≤ 1",
        "en": "utilisation of {item}: expected [low, high] with 0 < low <= high <= 1",
    },
    "msg_x_ge": {
        "zh": "应大于或等于 {n}",
        "en": "Input should be greater than or equal to {n}",
    },
    "msg_x_gt": {"zh": "应大于 {n}", "en": "Input should be greater than {n}"},
    "msg_x_le": {"zh": "应小于或等于 {n}", "en": "Input should be less than or equal to {n}"},
    "msg_x_lt": {"zh": "应小于 {n}", "en": "Input should be less than {n}"},
    "msg_x_valid_number": {
        "zh": "应为数字",
        "en": "Input should be a valid number, unable to parse string as a number",
    },
    "msg_x_valid_number_plain": {"zh": "应为数字", "en": "Input should be a valid number"},
    "msg_x_valid_integer": {
        "zh": "应为整数",
        "en": "Input should be a valid integer, unable to parse string as an integer",
    },
    "msg_x_valid_integer_fraction": {
        "zh": "应为整数",
        "en": "Input should be a valid integer, got a number with a fractional part",
    },
    "msg_x_valid_string": {"zh": "应为文字", "en": "Input should be a valid string"},
    "msg_x_valid_bool": {"zh": "应为 true 或 false", "en": "Input should be a valid boolean"},
    "msg_x_valid_list": {"zh": "应为列表 [ … ]", "en": "Input should be a valid list"},
    "msg_x_valid_dict": {"zh": "应为一组键和值", "en": "Input should be a valid dictionary"},
    "msg_x_pattern": {
        "zh": "格式不符，应匹配 {pattern}",
        "en": "String should match pattern {pattern}",
    },
    "msg_x_literal": {"zh": "应为 {options}", "en": "Input should be {options}"},
    "msg_x_tuple_short": {
        "zh": "项数太少：至少应有 {n} 项，实际 {got} 项",
        "en": "Tuple should have at least {n} items after validation, not {got}",
    },
    "msg_x_tuple_long": {
        "zh": "项数太多：至多应有 {n} 项，实际 {got} 项",
        "en": "Tuple should have at most {n} items after validation, not {got}",
    },
    "msg_x_expected_n": {"zh": "应为 1 或更大", "en": "expected 1 or more"},
    "msg_x_name_once": {"zh": "每个情景只能列一次", "en": "name each scenario once"},
    "msg_x_two_scenarios": {
        "zh": "请列出两个或更多不同的情景",
        "en": "name two or more different scenarios",
    },
    "msg_x_another_scenario": {
        "zh": '应为另一个情景的名称，例如 "baseline"',
        "en": 'expected the name of another scenario, e.g. "baseline"',
    },
    "msg_x_toml": {"zh": "不是有效的 TOML：{error}", "en": "not valid TOML: {error}"},
    "msg_x_toml_decode": {
        "zh": "无法解码，请把文件另存为 UTF-8",
        "en": "cannot decode; save the file as UTF-8",
    },
    "msg_x_scenario_missing": {
        "zh": "找不到情景文件 {name}；已有的情景：{known}",
        "en": "scenario file {name} not found; known scenarios: {known}",
    },
    "msg_x_dimension_stage": {
        "zh": "单位量纲不对：环节“{stage}”以 {unit} 计，而不是 {got}",
        "en": "wrong dimension: stage '{stage}' is counted in {unit}, not {got}",
    },
    "msg_x_dimension": {
        "zh": "单位量纲不对，应为 {want}",
        "en": "wrong dimension; expected {want}",
    },
    "msg_x_number_range": {
        "zh": "应为 0 到 {hi} 之间的数",
        "en": "expected a number from 0 to {hi}",
    },
    "msg_x_growth_range": {
        "zh": "年增长率应在 -0.5 到 3 之间",
        "en": "expected growth from -0.5 to 3 per year",
    },
    # model/units.py (quantities as people write them)
    "msg_x_unit_empty": {
        "zh": "单位为空，应为 t、GWh、m**2 或 set 这样的单位",
        "en": "empty unit; expected a unit such as 't', 'GWh', 'm**2' or 'set'",
    },
    "msg_x_unit_unknown": {
        "zh": "未知的单位“{text}”，应为 t、GWh、m**2 或 set 这样的单位",
        "en": "unknown unit {text}; expected a pint unit such as 't', 'GWh', 'm**2' or 'set'",
    },
    "msg_x_quantity_blank": {
        "zh": "数量为空，应填写带单位的数，例如“18.3万吨”",
        "en": "empty quantity; expected a number with a unit such as '18.3万吨'",
    },
    "msg_x_quantity_no_number": {
        "zh": "“{raw}”不是以数字开头，应写作例如“18.3万吨”或“37.5 GWh”",
        "en": "{raw} does not start with a number; expected e.g. '18.3万吨' or '37.5 GWh'",
    },
    "msg_x_quantity_no_unit": {
        "zh": "“{raw}”没有单位，应写作例如“37.5 GWh”或“18.3万吨”",
        "en": "{raw} has no unit; expected e.g. '37.5 GWh' or '18.3万吨'",
    },
    "msg_x_quantity_not_finite": {
        "zh": "“{raw}”不是有限的数，应写作例如“37.5 GWh”",
        "en": "{raw} is not a finite number; expected e.g. '37.5 GWh'",
    },
    # model/quarters.py (ValueError texts the pages show)
    "msg_x_not_quarter": {
        "zh": "“{text}”不是季度，应写作例如 2026Q4",
        "en": "'{text}' is not a quarter; expected e.g. 2026Q4",
    },
    "msg_x_not_quarter_range": {
        "zh": "“{text}”不是季度区间，应写作例如 2024Q3:2030Q4",
        "en": "'{text}' is not a quarter range; expected e.g. 2024Q3:2030Q4",
    },
    "msg_x_range_backwards": {
        "zh": "“{text}”：区间的结束早于开始",
        "en": "'{text}': the range ends before it starts",
    },
    "msg_x_quarter_outside": {
        "zh": "季度 {label} 不在预测期内（{first} 至 {last}），请选择该范围内的季度",
        "en": "quarter {label} is outside the projection ({first} to {last}); choose a"
        " quarter in that range",
    },
    "msg_x_memory": {
        "zh": "内存不足以完成这么多次抽样，请减少抽样次数",
        "en": "not enough memory for this many draws; use fewer",
    },
}

# columns of the data files and keys of the scenario files
_FIELDS: dict[str, tuple[str, str]] = {
    # data files
    "id": ("编号", "id"),
    "record_id": ("记录编号", "record id"),
    "name": ("名称", "name"),
    "name_zh": ("中文名称", "Chinese name"),
    "name_en": ("英文名称", "English name"),
    "stage": ("环节", "stage"),
    "quantity": ("数量", "quantity"),
    "as_of": ("截至日期", "as-of date"),
    "recorded": ("记录日期", "recorded date"),
    "source": ("来源", "source"),
    "assumption": ("假设说明", "assumption"),
    "note": ("备注", "note"),
    "measure": ("指标", "measure"),
    "low": ("下限", "low"),
    "central": ("中值", "central"),
    "high": ("上限", "high"),
    "unit": ("单位", "unit"),
    "year": ("年份", "year"),
    "subject": ("对象", "subject"),
    "growth": ("增长", "growth"),
    "company": ("企业", "company"),
    "technology": ("技术路线", "technology"),
    "capacity": ("产能", "capacity"),
    "status": ("状态", "status"),
    "announced": ("公布日期", "announced"),
    "expected_start": ("预计投产", "expected start"),
    "intensities": ("投入强度", "intensities"),
    "kind": ("类别", "kind"),
    "output": ("产出环节", "output stage"),
    "input": ("投入环节", "input stage"),
    "title": ("标题", "title"),
    "publisher": ("发布方", "publisher"),
    "date": ("日期", "date"),
    "citation": ("出处", "citation"),
    "chain": ("产业链", "chain"),
    "presence_source": ("存在依据来源", "presence source"),
    "class": ("环节类别", "stage class"),
    "stage_class": ("环节类别", "stage class"),
    "p_complete": ("建成概率", "completion probability"),
    "quarters_in_status": ("状态停留季度数", "quarters in status"),
    "delay_mean_q": ("平均延迟（季度）", "mean delay (quarters)"),
    "delay_sd_q": ("延迟标准差（季度）", "delay spread (quarters)"),
    # scenario files
    "title_zh": ("中文标题", "Chinese title"),
    "title_en": ("英文标题", "English title"),
    "rationale": ("依据说明", "rationale"),
    "extends": ("继承的情景", "extends"),
    "horizon": ("预测期末", "horizon"),
    "draws": ("抽样次数", "draws"),
    "seed": ("随机种子", "seed"),
    "intensity": ("投入强度取值", "intensity"),
    "demand": ("需求", "demand"),
    "demand.base_gwh": ("基年需求（GWh）", "base-year demand (GWh)"),
    "demand.growth": ("需求年增长率", "demand growth"),
    "demand.growth_spread": ("需求增长率不确定幅度", "demand growth spread"),
    "demand.power_growth": ("动力电池需求年增长率", "power-battery demand growth"),
    "demand.power_growth_spread": ("动力电池需求增长不确定幅度", "power-battery growth spread"),
    "demand.storage_share": ("储能占比", "storage share"),
    "demand.start_utilisation": ("起始利用率", "start utilisation"),
    "technology_mix": ("技术路线构成", "technology mix"),
    "technology_mix.lfp": ("磷酸铁锂占比", "LFP share"),
    "technology_mix.sodium_ion": ("钠离子占比", "sodium-ion share"),
    "technology_mix.vanadium_flow": ("全钒液流占比", "vanadium-flow share"),
    "technology_mix.gravity": ("重力储能占比", "gravity share"),
    "technology_mix.reached": ("达到构成的季度", "mix reached by"),
    "ramp_up": ("爬坡", "ramp-up"),
    "ramp_up.quarters": ("爬坡季度数", "ramp-up quarters"),
    "ramp_up.shape": ("爬坡曲线", "ramp-up shape"),
    "utilisation": ("利用率", "utilisation"),
    "status_from_history": ("由历史估计状态参数", "status from history"),
    "history_min_transitions": ("最少状态转换次数", "minimum status transitions"),
    "projects": ("项目变更", "project changes"),
    "projects.add": ("新增项目", "added projects"),
    "projects.remove": ("移除项目", "removed projects"),
    "projects.start": ("投产季度调整", "start changes"),
    "projects.status": ("状态调整", "status changes"),
    "projects.scale": ("规模系数", "scale factors"),
    "projects.delay": ("延迟（季度）", "delays (quarters)"),
    "start": ("投产季度", "start quarter"),
    "power": ("电力", "power"),
    "power.green_share": ("绿电占比", "green power share"),
    "power.allowance_mw": ("电力配额（兆瓦）", "power allowance (MW)"),
}

TEXT: dict[str, dict[str, str]] = {
    **_LABELS,
    **_EXPECTED,
    **{f"field_name_{k}": {"zh": zh, "en": en} for k, (zh, en) in _FIELDS.items()},
}

# the ``file`` of a problem when it names an object rather than a file
TEXT.update(
    {
        "msg_f_scenario": {"zh": "情景“{name}”", "en": "scenario '{name}'"},
        "msg_f_scenario_plain": {"zh": "情景", "en": "scenario"},
        "msg_f_command_line": {"zh": "命令行", "en": "command line"},
        "msg_f_file_system": {"zh": "文件系统", "en": "file system"},
        "msg_x_path": {
            "zh": "{error}；请检查路径及其权限",
            "en": "{error}; check the path and its permissions",
        },
        "field_name_--quarter": {"zh": "季度（--quarter）", "en": "--quarter"},
        "field_name_--draws": {"zh": "抽样次数（--draws）", "en": "--draws"},
    }
)
