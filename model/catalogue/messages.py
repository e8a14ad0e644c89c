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
    # the place of an item in a list of a key path (``projects.add[0]``), counted from 1
    "msg_item": {"zh": "第 {n} 项", "en": "item {n}"},
    # choices the code lists as 'a', 'b' or 'c'
    "msg_choices": {"zh": "{items} 或 {last}", "en": "{items} or {last}"},
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
    "msg_x_dimension_recipe": {
        "zh": "单位量纲不对，应为 {want}（投入单位/产出单位）",
        "en": "wrong dimension; expected {want} (input unit per output unit)",
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
    "msg_x_quarter_empty": {
        "zh": "季度为空，应写作例如 2026Q4",
        "en": "'' is not a quarter; expected e.g. 2026Q4",
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

# more of the validators' phrases (issue 12: every problem in the chosen language)
_EXPECTED_MORE: dict[str, dict[str, str]] = {
    # model/fields.py: text a spreadsheet would run
    "msg_x_formula": {
        "zh": "文字以“{lead}”开头，电子表格会把它当作公式运行；请删去开头的字符，"
        "或以字母、数字开头（{fix}）",
        "en": "text starts with {lead}, which a spreadsheet runs as a formula; remove the"
        " leading character(s) or start the text with a letter or digit ({fix})",
    },
    "msg_x_formula_fix": {"zh": "例如“{text}”", "en": "e.g. {text}"},
    "msg_x_formula_fix_word": {"zh": "例如以一个词开头", "en": "e.g. with a word"},
    # model/datafiles.py
    "msg_x_text_long": {
        "zh": "文字长 {n} 个字符，最多应为 {most} 个字符",
        "en": "text is {n} characters long; expected at most {most}",
    },
    "msg_x_field_long": {
        "zh": "该单元格长 {n} 个字符，最多应为 {most} 个字符",
        "en": "field is {n} characters long; expected at most {most}",
    },
    "msg_x_csv_row": {
        "zh": "无法按 CSV 读取这一行（{error}），应为以逗号分隔的单元格",
        "en": "cannot read this row as CSV ({error}); expected comma-separated fields",
    },
    "msg_x_quote_open": {
        "zh": '这个单元格以引号（"）开头，{swallowed}被当作它的文字读入，而没有作为单独的行；'
        "应在同一行写上结束的引号，或不用引号（一个单元格不能跨行）",
        "en": 'a quote (") opens this field and {swallowed} read into it as text instead of'
        " as rows; expected the closing quote on the same line, or no quote (a field may"
        " not span lines)",
    },
    "msg_x_quote_never_closed": {
        "zh": "引号始终没有闭合，其后的每一行都",
        "en": "is never closed, so every line after it was",
    },
    "msg_x_quote_closes_late": {
        "zh": "引号到第 {row} 行才闭合，其间 {n} 行都",
        "en": "closes only on row {row}, so {n} line(s) were",
    },
    # model/capacity.py, model/status_history.py
    "msg_x_id_such_as": {
        "zh": "应为类似“{example}”的编号",
        "en": "expected an id such as {example}",
    },
    "msg_x_observed_future": {
        "zh": "日期晚于该记录的记录日期（{recorded}）：产能观测不能是未来的；应为 {latest}"
        " 或更早（尚未建成的工厂请写入 projects.csv）",
        "en": "date is after the record's recorded date ({recorded}): a capacity observation"
        " cannot be of the future; expected {latest} or earlier (a plant still to come"
        " belongs in projects.csv)",
    },
    "msg_x_status_future": {
        "zh": "日期晚于该记录的记录日期（{recorded}）：状态变化不能是未来的；应为 {latest}"
        " 或更早（预计的投产时间请写在 start 列）",
        "en": "date is after the record's recorded date ({recorded}): a status change cannot"
        " be of the future; expected {latest} or earlier (an expected start goes in 'start')",
    },
    "msg_x_record_needs_id": {
        "zh": "内容为空；每条记录都需要编号",
        "en": "empty; every record needs an id",
    },
    "msg_x_record_needs_source": {
        "zh": "内容为空；每条记录都需要来源编号",
        "en": "empty; every record needs a source id",
    },
    # model/stages.py
    "msg_x_implausible_rate": {
        "zh": "大得不合理：每年 {q} {unit}；最多应为 {most}（请检查数字及其单位）",
        "en": "implausibly large: {q} {unit} a year; expected at most {most} (check the number"
        " and its unit)",
    },
    "msg_x_source_needs_id": {
        "zh": "内容为空；每个来源都需要编号",
        "en": "empty; every source needs an id",
    },
    "msg_x_source_needs_title": {
        "zh": "内容为空；每个来源都需要标题",
        "en": "empty; every source needs a title",
    },
    "msg_x_source_needs_citation": {
        "zh": "内容为空；请写明在哪里可以找到该来源",
        "en": "empty; say where the source can be found",
    },
    "msg_x_lower_case_id": {
        "zh": "应为小写字母、数字和下划线组成的编号，例如 copper_foil",
        "en": "expected a lower-case id such as 'copper_foil'",
    },
    "msg_x_unknown_chain": {
        "zh": "未知的产业链，应为以下之一：{options}",
        "en": "unknown chain; expected one of {options}",
    },
    "msg_x_unknown_stage_class": {
        "zh": "未知的环节类别，应为以下之一：{options}",
        "en": "unknown stage class; expected one of {options}",
    },
    "msg_x_unknown_stage_class_empty": {
        "zh": "未知的环节类别，应为以下之一或留空：{options}",
        "en": "unknown stage class; expected one of {options} or empty",
    },
    "msg_x_stage_needs_names": {
        "zh": "内容为空；每个环节都需要中文名称和英文名称",
        "en": "empty; every stage needs a Chinese and an English name",
    },
    # model/recipes.py
    "msg_x_recipe_duplicate": {
        "zh": "产出“{output}”、技术路线“{technology}”的配方行重复，第一次出现在第 {row} 行",
        "en": "duplicate recipe line for output {output} and technology {technology}; first on"
        " row {row}",
    },
    "msg_x_recipe_self": {
        "zh": "环节不能以自身为投入（配方循环）",
        "en": "a stage cannot be its own input (recipe cycle)",
    },
    "msg_x_implausible_intensity": {
        "zh": "大得不合理，最多应为 {most}（单位产出的投入量：请检查数字及其单位）",
        "en": "implausibly large; expected at most {most} (input per unit of output: check the"
        " number and its unit)",
    },
    "msg_x_recipe_cycle": {
        "zh": "配方循环 {cycle}：一个环节不能直接或经由其他环节需要它自身",
        "en": "recipe cycle {cycle}; a stage cannot need itself, directly or through other stages",
    },
    # model/pipeline.py
    "msg_x_project_needs_id": {
        "zh": "内容为空；每个项目都需要编号",
        "en": "empty; every project needs an id",
    },
    "msg_x_intensities_form": {
        "zh": "应写作“投入环节=单位产出的投入量”，例如 pcs=1.5GW/GWh",
        "en": "expected 'input_stage=quantity per unit of output', e.g. 'pcs=1.5GW/GWh'",
    },
    "msg_x_intensity_positive": {
        "zh": "应为正的 {unit}（单位产出的投入量）",
        "en": "expected a positive {unit} (input per unit of output)",
    },
    "msg_x_status_twice": {"zh": "该状态列出了两次", "en": "status listed twice"},
    "msg_x_status_missing": {
        "zh": "缺少该状态；每个状态都需要一行",
        "en": "status missing; every status needs a row",
    },
    # model/economics.py, model/markets.py, model/resources.py
    "msg_x_why_example": {
        "zh": "{why}，应写作例如“{example}”",
        "en": "{why}; expected e.g. {example}",
    },
    "msg_x_rate_form": {
        "zh": "应写作“分子/环节数量”",
        "en": "expected '<numerator>/<stage quantity>'",
    },
    "msg_x_numerator": {"zh": "分子“{num}”不是 {what}", "en": "numerator {num} is not {what}"},
    "msg_x_year_as_a": {"zh": "“年”请写作 a", "en": "write the year as 'a'"},
    "msg_x_not_stage_quantity": {
        "zh": "无法把“{den}”读作该环节的数量",
        "en": "cannot read {den} as a quantity of the stage",
    },
    "msg_x_rate_dimension": {
        "zh": "单位量纲不对：“{stage}”的 {measure} 应按每 {want} 计，而不是每 {got}",
        "en": "wrong dimension: {measure} of {stage} is per {want}, not per {got}",
    },
    "msg_x_unknown_measure": {
        "zh": "未知的指标，应为以下之一：{options}",
        "en": "unknown measure; expected one of {options}",
    },
    "msg_x_unknown_market": {
        "zh": "未知的市场参数，应为以下之一：{options}",
        "en": "unknown market parameter; expected one of {options}",
    },
    "msg_x_unknown_grid": {
        "zh": "未知的电网参数，应为以下之一：{options}",
        "en": "unknown grid parameter; expected one of {options}",
    },
    # model/record_import.py, model/recording.py
    "msg_x_file_not_found": {"zh": "找不到文件", "en": "file not found"},
    "msg_x_no_records": {"zh": "没有可导入的记录", "en": "no records to import"},
    "msg_x_not_workbook": {
        "zh": "无法作为 XLSX 工作簿读取（{error}）",
        "en": "cannot read as an XLSX workbook ({error})",
    },
    "msg_x_not_zip": {"zh": "文件不是 zip 格式", "en": "File is not a zip file"},
    "msg_x_decode_import": {
        "zh": "无法解码文件，请另存为 UTF-8 或 GB18030 编码的 CSV",
        "en": "cannot decode the file; save it as UTF-8 or GB18030 CSV",
    },
    "msg_x_file_type": {
        "zh": "未知的文件类型，应为 .csv 或 .xlsx 文件",
        "en": "unknown file type; expected a .csv or .xlsx file",
    },
    "msg_x_header_row": {
        "zh": "文件为空，应有表头行",
        "en": "file is empty; expected a header row",
    },
    "msg_x_import_kind": {
        "zh": "无法判断记录的类别：产能记录应有 stage, quantity, as_of, source 列，项目记录应有"
        " project, status, as_of, source 列；或用 --kind 指明",
        "en": "cannot tell the kind of records: expected columns stage, quantity, as_of, source"
        " (capacity) or project, status, as_of, source (project), or pass --kind",
    },
    "msg_x_id_never_overwritten": {
        "zh": "该编号已在 {target} 中使用；记录从不覆盖：请换一个新编号，或留空以自动生成",
        "en": "id already used in {target}; records are never overwritten: give a new id or"
        " leave it empty to have one generated",
    },
    "msg_x_duplicate_in_import": {
        "zh": "编号重复，本次导入中已用过",
        "en": "duplicate id; already used on this import",
    },
    "msg_x_after_today": {
        "zh": "日期晚于今天（{today}）；应为得知该记录的日期，即今天或更早",
        "en": "date is after today ({today}); expected the date the record was learnt, today"
        " or earlier",
    },
    "msg_x_lock_held": {
        "zh": "另一个写入者已占用其锁（{lock}）{seconds} 秒；请等它完成后再试",
        "en": "another writer has held its lock ({lock}) for {seconds} s; expected it to"
        " finish: try again later",
    },
    "msg_x_same_imported_skip": {
        "zh": "{said}；未导入；请删去这一行，或加上 --skip-existing",
        "en": "{said}; nothing imported; leave the row out or pass --skip-existing",
    },
    "msg_x_same_recorded": {"zh": "{said}；未记录", "en": "{said}; nothing recorded"},
    "msg_x_same_imported_twice": {
        "zh": "{said}；未导入；请只保留其中一行",
        "en": "{said}; nothing imported; leave one of them out",
    },
    "msg_x_same_recorded_twice": {
        "zh": "{said}；未记录；请只保留其中一行",
        "en": "{said}; nothing recorded; leave one of them out",
    },
    "msg_x_already_recorded": {
        "zh": "已记录为 {earlier}（{fields} 相同）",
        "en": "already recorded as {earlier} (same {fields})",
    },
    "msg_x_repeats_row": {
        "zh": "与本次导入的第 {row} 行重复（{fields} 相同）",
        "en": "repeats row {row} of this import (same {fields})",
    },
    "msg_x_capacity_record_row": {
        "zh": "capacity.csv 第 {row} 行的记录 {id}（{what}，截至 {date}）",
        "en": "capacity.csv row {row}, record {id} ({what}, as_of {date})",
    },
    "msg_x_capacity_record": {
        "zh": "capacity.csv 中的记录 {id}（{what}，截至 {date}）",
        "en": "capacity.csv, record {id} ({what}, as_of {date})",
    },
    # model/scenario.py, model/tracking.py, model/park.py, model/inputs.py
    "msg_x_extends_cycle": {
        "zh": "继承循环 {cycle}：情景不能继承它自身",
        "en": "inheritance cycle {cycle}; a scenario cannot extend itself",
    },
    "msg_x_toml_null": {"zh": "TOML 没有空值（null）", "en": "TOML has no null"},
    "msg_x_unknown_stage_or_project": {
        "zh": "未知的编号，应为 stages.csv 中的环节编号或 projects.csv 中的项目编号",
        "en": "unknown id; expected a stage id listed in stages.csv or a project id listed in"
        " projects.csv",
    },
    "msg_x_data_folder": {
        "zh": "找不到数据文件夹；请用 --data DIR 指定，或设置环境变量 PARKCAP_DATA",
        "en": "data folder not found; pass --data DIR or set PARKCAP_DATA",
    },
    "msg_x_no_capacity_record": {
        "zh": "没有产能记录；请添加一条（parkcap track capacity），或指定 --as-of",
        "en": "no capacity record; add one (parkcap track capacity) or give --as-of",
    },
    "msg_x_horizon_before_start": {
        "zh": "预测期末早于起始季度 {start}",
        "en": "horizon is before the start quarter {start}",
    },
    "msg_x_horizon_before_record": {
        "zh": "预测期末早于起始季度 {start}：起点为 {record}的截至日期；应把预测期末设在此后，"
        "或更正该记录",
        "en": "horizon is before the start quarter {start}; the start is the as_of date of"
        " {record}: expected a horizon on or after it, or a correction of that record",
    },
    "msg_x_no_record_in_force": {
        "zh": "这一天没有生效（或已知）的产能记录；{hint}：请从那时或之后开始",
        "en": "no capacity record is in force (or known) on this date; {hint}: start on or"
        " after it",
    },
    "msg_x_first_record": {
        "zh": "第一条记录自 {first} 起生效",
        "en": "the first record holds from {first}",
    },
    "msg_x_no_record_at_all": {"zh": "没有任何产能记录", "en": "there is no capacity record"},
    "msg_x_horizon_last": {
        "zh": "应为不晚于 {last} 的季度",
        "en": "expected a quarter no later than {last}",
    },
    "msg_x_quarter_first": {
        "zh": "应为不早于 {first} 的季度",
        "en": "expected a quarter no earlier than {first}",
    },
    # model/export/results.py, model/backtest.py
    "msg_x_range_outside": {
        "zh": "预测期（{first} 至 {last}）中没有季度落在该区间内；应选与之重叠的区间",
        "en": "no quarter of the projection ({first} to {last}) lies in the range; expected a"
        " range that overlaps it",
    },
    "msg_x_draw_or_stat": {
        "zh": "应有 draw 维度（每次抽样）或 stat 维度（汇总）",
        "en": "expected a 'draw' dimension (every draw) or a 'stat' dimension (summaries)",
    },
    "msg_x_projection_missing": {
        "zh": "找不到文件；应为用 parkcap run SCENARIO --out FILE.nc 写出的 NetCDF 预测文件",
        "en": "file not found; expected a NetCDF projection written by 'parkcap run SCENARIO"
        " --out FILE.nc'",
    },
    "msg_x_projection_variable": {
        "zh": "缺少变量；应为用 parkcap run --out 或 parkcap export --format netcdf 写出的预测文件",
        "en": "variable missing; expected a projection written by 'parkcap run --out' or"
        " 'parkcap export --format netcdf'",
    },
    "msg_x_projection_coordinate": {
        "zh": "缺少坐标；应为 parkcap 写出的预测文件",
        "en": "coordinate missing; expected a parkcap projection",
    },
    "msg_x_projection_start": {
        "zh": "缺少属性；应写明预测的起始日期",
        "en": "attribute missing; expected its start date",
    },
    "msg_x_not_netcdf": {
        "zh": "无法作为 NetCDF 读取（{error}）",
        "en": "cannot read as NetCDF ({error})",
    },
    "msg_x_not_in_projection": {
        "zh": "不在预测中，应为以下之一：{options}",
        "en": "not in the projection; expected one of {options}",
    },
    # model/budget.py
    "msg_x_memory_run": {
        "zh": "这次运行约需 {need}（{draws} 次抽样 × {quarters} 个季度 × {stages} 个环节），"
        "上限为 {limit}（{hint}）；请减少抽样次数、提前预测期末，或调高 {var}",
        "en": "this run needs about {need} for {draws} draws × {quarters} quarters × {stages}"
        " stages; the limit is {limit} ({hint}); use fewer draws or an earlier horizon, or"
        " raise {var}",
    },
    "msg_x_memory_run_beside": {
        "zh": "这次运行约需 {need}（{draws} 次抽样 × {quarters} 个季度 × {stages} 个环节，"
        "另有 {held} 被其他运行占用），上限为 {limit}（{hint}）；请减少抽样次数、"
        "提前预测期末，或调高 {var}",
        "en": "this run needs about {need} for {draws} draws × {quarters} quarters × {stages}"
        " stages beside {held} held by other runs; the limit is {limit} ({hint}); use fewer"
        " draws or an earlier horizon, or raise {var}",
    },
    "msg_x_memory_fits": {
        "zh": "到该预测期末最多容纳 {n} 次抽样",
        "en": "at most {n} draws fit to this horizon",
    },
    "msg_x_memory_fits_none": {
        "zh": "到该预测期末连一次抽样也容纳不下",
        "en": "not even one draw fits to this horizon",
    },
    "msg_x_memory_chunk": {
        "zh": "每块 {draws} 次抽样 × {quarters} 个季度 × {stages} 个环节，每个进程约需 {need}，"
        "上限为 {limit}；请提前预测期末，或调高 {var}",
        "en": "one chunk of {draws} draws × {quarters} quarters × {stages} stages needs about"
        " {need} per process; the limit is {limit}; use an earlier horizon, or raise {var}",
    },
    "msg_x_memory_summary": {
        "zh": "汇总一个环节的 {draws} 次抽样 × {quarters} 个季度，每个进程约需 {need}，上限为"
        " {limit}（到该预测期末最多容纳 {fits} 次抽样）；请减少抽样次数、提前预测期末，"
        "或调高 {var}",
        "en": "summarising one stage of {draws} draws × {quarters} quarters needs about {need}"
        " per process; the limit is {limit} (at most {fits} draws fit to this horizon); use"
        " fewer draws or an earlier horizon, or raise {var}",
    },
    "msg_x_memory_size": {
        "zh": "应为大于零的内存大小，例如 8GiB、500MB 或 2000000000（字节）",
        "en": "expected a memory size above zero such as 8GiB, 500MB or 2000000000 (bytes)",
    },
    # model/units.py (quantities, units and growth figures as people write them)
    "msg_x_not_plain_unit": {
        "zh": "“{text}”不是单纯的单位，应写作例如 t 或 m**2/GWh",
        "en": "{text} is not a plain unit; expected e.g. 't' or 'm**2/GWh'",
    },
    "msg_x_bare_number": {
        "zh": "只有数字“{text}”，没有单位，应写作例如“37.5 GWh”",
        "en": "bare number {text} has no unit; expected e.g. '37.5 GWh'",
    },
    "msg_x_cannot_read_number": {
        "zh": "“{raw}”：无法读出数字“{number}”，应写作例如 1,234.5",
        "en": "{raw}: cannot read the number {number}; expected e.g. '1,234.5'",
    },
    "msg_x_quantity_unknown_unit": {
        "zh": "“{raw}”：未知的单位“{unit}”，应为 t、万吨、GWh、吉瓦时、m**2、亿平方米、set 或 套"
        " 这样的单位",
        "en": "{raw}: unknown unit {unit}; expected a unit such as 't', '万吨', 'GWh', '吉瓦时',"
        " 'm**2', '亿平方米', 'set' or '套'",
    },
    "msg_x_raw_not_finite": {"zh": "“{raw}”不是有限的数", "en": "{raw} is not a finite number"},
    "msg_x_growth_unreadable": {
        "zh": "无法读出增长“{text}”，应写作例如“增长1.3倍”（增加 130%）或“增长45.1%”",
        "en": "cannot read growth {text}; expected '增长1.3倍' (an increase of 130 %) or"
        " '增长45.1%'",
    },
    "msg_x_growth_points": {
        "zh": "“{text}”是百分点的变化，不是增长率",
        "en": "{text} is a change in percentage points, not a growth rate",
    },
    "msg_x_growth_negative": {
        "zh": "增长“{text}”会使水平变为负数",
        "en": "growth {text} would make the level negative",
    },
    # pydantic (scenario files)
    "msg_x_finite": {"zh": "应为有限的数", "en": "Input should be a finite number"},
    "msg_x_valid_integer_plain": {"zh": "应为整数", "en": "Input should be a valid integer"},
    "msg_x_valid_tuple": {"zh": "应为列表 [ … ]", "en": "Input should be a valid tuple"},
    "msg_x_valid_bool_text": {
        "zh": "应为 true 或 false",
        "en": "Input should be a valid boolean, unable to interpret input",
    },
    "msg_x_list_short": {
        "zh": "项数太少：至少应有 {n} 项，实际 {got} 项",
        "en": "List should have at least {n} items after validation, not {got}",
    },
    "msg_x_list_long": {
        "zh": "项数太多：至多应有 {n} 项，实际 {got} 项",
        "en": "List should have at most {n} items after validation, not {got}",
    },
    "msg_x_scenario_name_pattern": {
        "zh": "应为 1 到 64 个字母、数字、下划线或连字符，以字母或数字开头",
        "en": "String should match pattern '^[A-Za-z0-9][A-Za-z0-9_\\-]{{0,63}}$'",
    },
    "msg_x_project_id_pattern": {
        "zh": "应为字母、数字、下划线、连字符或点组成的编号，以字母或数字开头，不含空格",
        "en": "String should match pattern '^[A-Za-z0-9][A-Za-z0-9_.\\-]*$'",
    },
    # TOML (the parser's own messages, inside "not valid TOML: …")
    "msg_x_toml_at": {
        "zh": "{error}（第 {line} 行第 {column} 列）",
        "en": "{error} (at line {line}, column {column})",
    },
    "msg_x_toml_at_end": {"zh": "{error}（在文件末尾）", "en": "{error} (at end of document)"},
    "msg_x_toml_overwrite": {
        "zh": "同一个键写了两次，不能覆盖已有的值",
        "en": "Cannot overwrite a value",
    },
    "msg_x_toml_equals": {
        "zh": "键的后面应有“=”（键 = 值）",
        "en": "Expected '=' after a key in a key/value pair",
    },
    "msg_x_toml_table_end": {
        "zh": "表的声明应以“]”结束",
        "en": "Expected ']' at the end of a table declaration",
    },
    "msg_x_toml_array_table_end": {
        "zh": "表数组的声明应以“]]”结束",
        "en": "Expected ']]' at the end of an array declaration",
    },
    "msg_x_toml_newline": {
        "zh": "一条语句之后应换行",
        "en": "Expected newline or end of document after a statement",
    },
    "msg_x_toml_expected": {"zh": "此处应为“{text}”", "en": "Expected {text}"},
    "msg_x_toml_line_break": {
        "zh": '字符串中间换了行：单行字符串应在同一行内结束，多行文字请用三个引号 """',
        "en": "Illegal character '\\n'",
    },
    "msg_x_toml_illegal": {"zh": "不允许的字符 {char}", "en": "Illegal character {char}"},
    "msg_x_toml_found_invalid": {
        "zh": "无效的字符 {char}",
        "en": "Found invalid character {char}",
    },
    "msg_x_toml_declare_twice": {
        "zh": "“{name}”声明了两次",
        "en": "Cannot declare {name} twice",
    },
    "msg_x_toml_duplicate_inline": {
        "zh": "内联表中的键“{name}”重复",
        "en": "Duplicate inline table key {name}",
    },
    "msg_x_toml_immutable": {
        "zh": "不能修改已定义完的“{name}”",
        "en": "Cannot mutate immutable namespace {name}",
    },
    "msg_x_toml_redefine": {
        "zh": "不能重新定义“{name}”",
        "en": "Cannot redefine namespace {name}",
    },
    "msg_x_toml_date": {"zh": "无效的日期或日期时间", "en": "Invalid date or datetime"},
    "msg_x_toml_hex": {"zh": "无效的十六进制值", "en": "Invalid hex value"},
    "msg_x_toml_key_start": {
        "zh": "键的第一个字符无效",
        "en": "Invalid initial character for a key part",
    },
    "msg_x_toml_statement": {"zh": "无效的语句", "en": "Invalid statement"},
    "msg_x_toml_value": {"zh": "无效的值", "en": "Invalid value"},
    "msg_x_toml_unclosed_array": {"zh": "列表 [ … ] 没有闭合", "en": "Unclosed array"},
    "msg_x_toml_unclosed_table": {"zh": "内联表 { … } 没有闭合", "en": "Unclosed inline table"},
    "msg_x_toml_backslash": {
        "zh": "字符串中有未转义的反斜杠“\\”",
        "en": "Unescaped '\\' in a string",
    },
    "msg_x_toml_scalar": {
        "zh": "转义字符不是有效的 Unicode 字符",
        "en": "Escaped character is not a Unicode scalar value",
    },
    "msg_x_toml_unterminated": {"zh": "字符串没有结束引号", "en": "Unterminated string"},
    # the operating system's words for a path that cannot be used (inside msg_x_path)
    "msg_x_os_no_such": {"zh": "没有该文件或文件夹", "en": "No such file or directory"},
    "msg_x_os_permission": {"zh": "没有权限", "en": "Permission denied"},
    "msg_x_os_is_dir": {"zh": "这是一个文件夹，不是文件", "en": "Is a directory"},
    "msg_x_os_not_dir": {"zh": "不是文件夹", "en": "Not a directory"},
    "msg_x_os_exists": {"zh": "文件已存在", "en": "File exists"},
    "msg_x_os_no_space": {"zh": "磁盘空间不足", "en": "No space left on device"},
    "msg_x_os_read_only": {"zh": "文件系统是只读的", "en": "Read-only file system"},
}


# pydantic names the schema's class of a table that is not a table
_TABLES = {
    "Demand": "demand",
    "TechnologyMix": "technology_mix",
    "RampUp": "ramp_up",
    "StatusOverride": "status",
    "NewProject": "projects.add",
    "ProjectChanges": "projects",
    "Power": "power",
}
_EXPECTED_MORE.update(
    {
        f"msg_x_table_{cls}": {
            "zh": f"应为一组键和值（TOML 表，如 [{table}]）",
            "en": f"Input should be a valid dictionary or instance of {cls}",
        }
        for cls, table in _TABLES.items()
    }
)

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
    "plants": ("项目数", "plants"),
    "low": ("下限", "low"),
    "central": ("中值", "central"),
    "high": ("上限", "high"),
    "unit": ("单位", "unit"),
    "year": ("年份", "year"),
    "subject": ("对象", "subject"),
    "growth": ("增长", "growth"),
    "company": ("企业", "company"),
    "project": ("项目", "project"),
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
    **_EXPECTED_MORE,
    **{f"field_name_{k}": {"zh": zh, "en": en} for k, (zh, en) in _FIELDS.items()},
}

# the ``file`` of a problem when it names an object rather than a file
TEXT.update(
    {
        "msg_f_scenario": {"zh": "情景“{name}”", "en": "scenario '{name}'"},
        "msg_f_scenario_plain": {"zh": "情景", "en": "scenario"},
        "msg_f_command_line": {"zh": "命令行", "en": "command line"},
        "msg_f_file_system": {"zh": "文件系统", "en": "file system"},
        "msg_f_projection": {"zh": "预测文件", "en": "projection"},
        "msg_f_simulate": {"zh": "模拟", "en": "simulate"},
        "msg_f_simulation_start": {"zh": "模拟起点", "en": "simulation start"},
        "msg_f_memory_limit": {"zh": "内存上限", "en": "memory limit"},
        "msg_f_environment": {"zh": "环境变量", "en": "environment"},
        "msg_x_path": {
            "zh": "{error}；请检查路径及其权限",
            "en": "{error}; check the path and its permissions",
        },
    }
)
