"""The command line's messages: its argument checks and argparse's own mistakes (zh/en).

The argument checks (``msg_x_cli_*``) are the ``expected`` phrases of
:mod:`model.cli.arguments` (and ``parkcap serve``), matched like every validator phrase by
:meth:`model.errors.Problem.message`; argparse's mistakes (``cli_err_*``) are said by
:mod:`model.cli.parser`.
"""

from __future__ import annotations

# the command line's own checks (model/cli/arguments.py), inside "argument --draws: …"
_CHECKS: dict[str, dict[str, str]] = {
    "msg_x_cli_not_date": {
        "zh": "“{text}”不是日期，应为 YYYY-MM-DD 格式，例如 2024-06-30",
        "en": "{text} is not a date; expected YYYY-MM-DD, e.g. 2024-06-30",
    },
    "msg_x_cli_not_whole": {
        "zh": "“{text}”不是整数，应只含数字，例如 1000",
        "en": "{text} is not a whole number; expected digits only, e.g. 1000",
    },
    "msg_x_cli_one_or_more": {
        "zh": "“{text}”太小，应为 1 或更大的整数",
        "en": "{text}: expected 1 or more",
    },
    "msg_x_cli_seed": {
        "zh": "“{text}”超出范围，应为 0 到 {most} 之间的整数",
        "en": "{text}: expected a whole number from 0 to {most}",
    },
    "msg_x_cli_draws": {
        "zh": "“{text}”太大，抽样次数最多为 {most}",
        "en": "{text}: expected at most {most} draws",
    },
    "msg_x_cli_workers": {
        "zh": "“{text}”太大，工作进程最多为 {most} 个",
        "en": "{text}: expected at most {most} worker processes",
    },
    "msg_x_cli_scheduler": {
        "zh": "“{text}”不是 Dask 调度器的地址，应写作例如 tcp://host:8786",
        "en": "{text}: expected a Dask scheduler address such as tcp://host:8786",
    },
    "msg_x_cli_quarter_first": {
        "zh": "“{text}”太早，应为不早于 {first} 的季度",
        "en": "{text}: expected a quarter no earlier than {first}",
    },
    # dashboard/serve.py (``parkcap serve``)
    "msg_x_cli_port": {
        "zh": "端口应为 1 到 65535 之间的整数，填写的是“{text}”",
        "en": "expected a port number 1-65535, not {text}",
    },
    "msg_x_cli_megabytes": {
        "zh": "应为以 MB 计的整数（0 或更大），填写的是“{text}”",
        "en": "expected a whole number of MB (0 or more), not {text}",
    },
    "msg_x_cli_quarter_last": {
        "zh": "“{text}”太晚，应为不晚于 {last} 的季度",
        "en": "{text}: expected a quarter no later than {last}",
    },
}

# argparse's own mistakes, said by model.cli.parser (``cli_err_<form>``)
_CLI_ERRORS: dict[str, dict[str, str]] = {
    "cli_err_usage": {"zh": "用法：", "en": "usage: "},
    "cli_err_line": {"zh": "{prog}：错误：{message}", "en": "{prog}: error: {message}"},
    "cli_err_choice": {
        "zh": "参数 {name} 的值“{value}”无效，应为以下之一：{choices}",
        "en": "argument {name}: invalid choice '{value}'; expected one of {choices}",
    },
    "cli_err_command": {
        "zh": "没有“{value}”这个命令（{name}），应为以下之一：{choices}",
        "en": "argument {name}: unknown command '{value}'; expected one of {choices}",
    },
    "cli_err_type": {
        "zh": "参数 {name} 的值“{value}”无效，应为{kind}",
        "en": "argument {name}: invalid value '{value}'; expected {kind}",
    },
    "cli_err_type_int": {"zh": "整数", "en": "a whole number"},
    "cli_err_type_float": {"zh": "数字", "en": "a number"},
    "cli_err_type_other": {"zh": "该参数接受的值", "en": "a value this option takes"},
    "cli_err_one_value": {
        "zh": "参数 {name} 缺少值，应在它后面写一个值",
        "en": "argument {name}: the value is missing; expected one value after it",
    },
    "cli_err_at_most_one": {
        "zh": "参数 {name} 后面的值太多，应最多写一个值",
        "en": "argument {name}: too many values; expected at most one after it",
    },
    "cli_err_at_least_one": {
        "zh": "参数 {name} 缺少值，应在它后面至少写一个值",
        "en": "argument {name}: the value is missing; expected at least one after it",
    },
    "cli_err_n_values": {
        "zh": "参数 {name} 的值个数不对，应在它后面写 {n} 个值",
        "en": "argument {name}: wrong number of values; expected {n} after it",
    },
    "cli_err_not_with": {
        "zh": "参数 {name} 不能与 {other} 同时使用，请只用其中一个",
        "en": "argument {name}: not allowed with argument {other}; expected one or the other",
    },
    "cli_err_no_value": {
        "zh": "参数 {name} 不接受值，填写的是“{value}”；应只写 {name}",
        "en": "argument {name}: takes no value, got '{value}'; expected {name} alone",
    },
    "cli_err_argument": {"zh": "参数 {name}：{detail}", "en": "argument {name}: {detail}"},
    "cli_err_unrecognized": {
        "zh": "不认识的参数“{args}”，应为该命令接受的参数（用 --help 查看）",
        "en": "unrecognized arguments: {args}; expected the options this command takes"
        " (see --help)",
    },
    "cli_err_required": {
        "zh": "缺少必填的参数：{names}；应按上一行的用法填写",
        "en": "the following arguments are required: {names}; expected as the usage line"
        " above shows",
    },
    "cli_err_one_of_required": {
        "zh": "缺少参数，应给出 {names} 之一",
        "en": "one of the arguments {names} is required",
    },
    "cli_err_ambiguous": {
        "zh": "参数 {option} 不明确，可能是 {matches}；应写出完整的参数名",
        "en": "ambiguous option: {option} could match {matches}; expected the full option name",
    },
}

TEXT: dict[str, dict[str, str]] = {
    **_CHECKS,
    **_CLI_ERRORS,
    "field_name_--quarter": {"zh": "季度（--quarter）", "en": "--quarter"},
    "field_name_--draws": {"zh": "抽样次数（--draws）", "en": "--draws"},
}
