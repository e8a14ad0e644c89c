"""Every problem a user can meet reads in the chosen language, down to the field names.

Issue 12. Four walks, each checking every problem's ``message("zh")`` for English left
over and its ``message("en")`` for Chinese:

- the corpus of bad inputs (``tests/corpus/cases.toml``), loaded as ``tests/test_corpus.py``
  loads it;
- every key of the scenario schema, given values of the wrong kind, size and form;
- the command line: problems that only its commands provoke (a missing scenario or data
  folder, a date before every record, a path that cannot be written, the memory limit);
- the source: every phrase a validator in ``model/`` writes into a :class:`Problem`
  (string or f-string, read with :mod:`ast`), with stand-in values, must match a
  catalogue template.

What a Chinese message may keep in Latin letters: what the user typed (the value, the
file, a mistyped key) and what the user must type (ids, column names, keys of the scenario
files, choices, units, file formats, command options); see :func:`allowed_words`.
"""

from __future__ import annotations

import ast
import copy
import math
import re
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import model.cli
from model import economics, pipeline, stages
from model.catalogue import TEXT
from model.cli import main
from model.cli.output import report_problems
from model.errors import DataError, Problem, plain_value, translate_phrase
from model.examples import write_example
from model.park import Park, load_park
from model.scenario_schema import SHIPPED, Scenario
from model.units import UnitParseError, parse_unit
from tests.test_corpus import CASES, CORPUS, load, park_for
from tests.test_messages import ALLOWED, CJK, latin

ROOT = Path(__file__).resolve().parent.parent
#: Chinese a message in English may hold: the code's own examples of what people write
EN_EXAMPLES = (
    "18.3万吨",
    "万吨",
    "吉瓦时",
    "亿平方米",
    "套",
    "增长1.3倍",
    "增长45.1%",
    "亿CNY",
    "万CNY",
)
#: Latin words besides ids that a Chinese message may hold: formats, tools, literals
#: ids the code gives as examples (``expected a lower-case id such as 'copper_foil'``)
FORMATS = {
    "copper_foil",
    "csv",
    "xlsx",
    "XLSX",
    "zip",
    "NetCDF",
    "Dask",
    "true",
    "false",
    "parkcap",
    "null",
}
#: placeholders of the command line's usage (what the user replaces; 文件.nc) and byte units
METAVARS = {
    "N",
    "nc",
    "GiB",
    "MiB",
    "KiB",
    "TiB",
    "DIR",
    "SCENARIO",
    "FILE.nc",
    "PARKCAP_DATA",
    "PARKCAP_MEMORY_LIMIT",
    "host",
}
FILE_SUFFIXES = (".csv", ".toml", ".xlsx", ".nc", ".py", ".txt", ".json")
#: command options, a parkcap command, backslash escapes (``\n``) and URLs: kept as typed
#: record ids as the code writes them (``cap-0006``, the next id of capacity.csv)
RECORD_ID = re.compile(r"[a-z]+-\d{4}")
TYPED = re.compile(r"--[\w-]+|parkcap(?: [a-z][a-z-]*)+|\\.|\w+://[\w.:/-]+")


def schema_literals(model: type[BaseModel] = Scenario) -> set[str]:
    """Every choice of a ``Literal`` field of the scenario schema, nested models included."""
    found: set[str] = set()
    for field in model.model_fields.values():
        stack = [field.annotation]
        while stack:
            tp = stack.pop()
            if typing.get_origin(tp) is typing.Literal:
                found |= {str(a) for a in typing.get_args(tp)}
            elif isinstance(tp, type) and issubclass(tp, BaseModel):
                found |= schema_literals(tp)
            else:
                stack.extend(typing.get_args(tp))
    return found


def allowed_words(park: Park) -> set[str]:
    """Latin words a Chinese message may hold besides those of the problem itself."""
    ids = set(park.stages) | set(park.status_params) | set(park.sources)
    ids |= {p.id for p in park.projects} | {r.record_id for r in park.capacity_records}
    ids |= set(stages.CHAINS) | set(stages.STAGE_CLASSES) | set(stages.TECHNOLOGIES)
    ids |= set(pipeline.STATUSES) | set(economics.MEASURES) | set(economics.LEVELS)
    ids |= set(SHIPPED) | {"default"} | schema_literals()
    fields = {k.removeprefix("field_name_") for k in TEXT if k.startswith("field_name_")}
    keys = {part for key in fields for part in key.split(".")} | fields  # columns, keys
    return ids | keys | ALLOWED | FORMATS | METAVARS


def english_left(problem: Problem, message: str, allowed: set[str]) -> set[str]:
    """Latin words of a Chinese ``message`` that are none of what it may hold."""
    # a file's name stays as it is; an object a problem names ("command line") is translated
    named = problem.file if re.search(r"[./\\]", problem.file) else ""
    own = f"{named} {plain_value(problem.value, 'zh')} {problem.value}"
    own += " " + re.sub(r"[.\[\]]", " ", problem.field or "")
    left = set()
    for word in latin(TYPED.sub(" ", message)):
        if word in allowed or word in own or word.endswith(FILE_SUFFIXES):
            continue
        if RECORD_ID.fullmatch(word):
            continue
        if "/" in word and _is_unit(word):
            continue
        left.add(word)
    return left


def _is_unit(text: str) -> bool:
    try:
        parse_unit(text)
    except UnitParseError:
        return False
    return True


def chinese_left(problem: Problem, message: str) -> str:
    """The Chinese of an English ``message`` that is neither the value nor a code example."""
    rest = message.replace(str(problem.value), "").replace(plain_value(problem.value, "en"), "")
    rest = rest.replace(problem.file, "")
    for example in EN_EXAMPLES:
        rest = rest.replace(example, "")
    return "".join(CJK.findall(rest))


def assert_reads_in_each_language(
    problems: list[Problem], allowed: set[str], langs: tuple[str, ...] = ("zh", "en")
) -> None:
    """Every problem: no English left in Chinese, no Chinese in English, values kept."""
    assert problems
    for p in problems:
        if "zh" in langs:
            zh = p.message("zh")
            left = english_left(p, zh, allowed)
            assert not left, f"English left in: {zh}\n  words: {sorted(left)}\n  code: {p}"
            assert CJK.search(zh), zh
        if "en" in langs:
            en = p.message("en")
            assert not chinese_left(p, en), en
            assert p.expected in en  # the code's phrase, unchanged in English


@pytest.fixture(scope="module")
def mini_park(tmp_path_factory: pytest.TempPathFactory) -> Park:
    return load_park(write_example("mini", tmp_path_factory.mktemp("mini") / "mini"))


@pytest.fixture(scope="module")
def allowed(mini_park: Park) -> set[str]:
    return allowed_words(mini_park)


BAD_CASES = [c for c in CASES if not c.get("valid")]


@pytest.mark.parametrize("case", BAD_CASES, ids=[c["id"] for c in BAD_CASES])
def test_every_corpus_problem_reads_in_each_language(
    case: dict[str, Any], tmp_path: Path, allowed: set[str]
) -> None:
    data_dir = park_for(case, tmp_path)
    with pytest.raises(DataError) as err:
        load(case, data_dir)
    names = {p.stem for p in (CORPUS / case["path"]).glob("*.toml")}  # scenarios it names
    assert_reads_in_each_language(err.value.problems, allowed | names)


# ---------------------------------------------------------------------------
# every key of the scenario schema, given wrong values
# ---------------------------------------------------------------------------
WRONG: list[Any] = [
    *("abc", "", "2099Q9", "9999Q4", "1e9GWh", "5 zorkmids", "5t"),
    *(-1, 0, 2.5, 1e9, -1e9, math.inf, math.nan, True),
    *([1], [1, 2, 3], [], [0.9, 0.1], [-1, 2], {"a": 1}),
]


def full_scenario(park: Park) -> dict[str, Any]:
    """A valid scenario for ``park`` that sets every key of the schema."""
    pid = park.projects[0].id
    stage = park.projects[0].stage
    return {
        "name": "full",
        "title_zh": "全",
        "title_en": "Full",
        "rationale": "every key",
        "horizon": "2030Q4",
        "draws": 10,
        "seed": 1,
        "intensity": "sampled",
        "demand": {
            "base_gwh": 10.0,
            "growth": 0.2,
            "growth_spread": 0.1,
            "power_growth": 0.2,
            "power_growth_spread": 0.1,
            "storage_share": [0.2, 0.5],
            "start_utilisation": [0.4, 0.6],
        },
        "technology_mix": {"lfp": 1.0, "sodium_ion": 0.0, "reached": "2030Q4"},
        "ramp_up": {"quarters": [2, 6], "shape": "s_curve"},
        "utilisation": {"default": [0.5, 0.8]},
        "status": {"signed": {"p_complete": 0.5, "delay_mean_q": 2, "delay_sd_q": 1}},
        "status_from_history": False,
        "history_min_transitions": 5,
        "projects": {
            "add": [
                {
                    "id": "new-1",
                    "stage": stage,
                    "technology": "lfp",
                    "capacity": "5GWh",
                    "status": "signed",
                    "start": "2026Q2",
                    "source": next(iter(park.sources)),
                }
            ],
            "remove": [pid],
            "start": {pid: "2026Q1"},
            "status": {pid: "signed"},
            "scale": {pid: 1.0},
            "delay": {pid: 1.0},
        },
        "power": {"green_share": 0.5, "allowance_mw": 100.0},
    }


def key_paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key path of ``data`` (tables, lists of tables, leaves), each table's too."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from key_paths(v, (*path, k))
    elif isinstance(data, list) and data and isinstance(data[0], dict):
        for i, v in enumerate(data):
            yield from key_paths(v, (*path, i))
    if path:
        yield path


def with_value(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    inner: Any = out
    for p in path[:-1]:
        inner = inner[p]
    inner[path[-1]] = value
    return out


def scenario_problems(data: dict[str, Any], park: Park) -> list[Problem]:
    try:
        return Scenario.from_dict(data).check_against(park)
    except DataError as exc:
        return exc.problems


def test_the_full_scenario_is_valid(mini_park: Park) -> None:
    data = full_scenario(mini_park)
    assert scenario_problems(data, mini_park) == []
    assert len(list(key_paths(data))) >= 45


def test_every_scenario_key_with_a_wrong_value_reads_in_each_language(
    mini_park: Park, allowed: set[str]
) -> None:
    data = full_scenario(mini_park)
    seen: dict[str, Problem] = {}
    refused = 0
    for path in key_paths(data):
        for value in WRONG:
            problems = scenario_problems(with_value(data, path, value), mini_park)
            refused += bool(problems)
            for p in problems:
                seen.setdefault(p.expected, p)
        # a key nobody defined, in every table
        table = path[:-1]
        inner: Any = data
        for p in table:
            inner = inner[p]
        if isinstance(inner, dict):
            problems = scenario_problems(with_value(data, (*table, "zz_unknown"), 1), mini_park)
            assert any(p.field and p.field.endswith("zz_unknown") for p in problems), table
            seen.update({p.expected: p for p in problems})
    assert refused >= 400  # most wrong values of most keys are refused
    assert len(seen) >= 40  # as many different phrases
    assert_reads_in_each_language(list(seen.values()), allowed | {"zz_unknown", "full"})


# ---------------------------------------------------------------------------
# problems only the command line provokes
# ---------------------------------------------------------------------------
def cli_problems(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[list[Problem], str]:
    """The problems ``parkcap argv`` reports, and its stderr."""
    found: list[Problem] = []

    def spy(problems: list[Problem], lang: str = "zh") -> int:
        found.extend(problems)
        return report_problems(problems, lang)

    monkeypatch.setattr(model.cli, "report_problems", spy)
    assert main(argv) == 2
    return found, capsys.readouterr().err


def cli_cases(mini: Path, tmp: Path) -> list[list[str]]:
    data = ["--data", str(mini)]
    return [
        ["run", "no-such-scenario", *data],
        ["validate", "--data", str(tmp / "no-such-folder")],
        ["run", "baseline", "--as-of", "1990-01-01", "--draws", "5", *data],
        ["run", "baseline", "--horizon", "2020Q1", "--draws", "5", *data],
        ["gaps", "baseline", "--quarter", "2020Q1", "--draws", "5", *data],
        ["track", "capacity", "lfp_x", "10 zorkmids", "--as-of", "2024-13-01"]
        + ["--source", "nope", *data],
        ["track", "project", "ghost", "--status", "dreaming", "--as-of", "2099-01-01"]
        + ["--source", "nope", "--start", "2026Q9", *data],
        ["track", "import", str(tmp / "missing.csv"), *data],
        ["backtest", str(tmp / "missing.nc"), "--as-of", "2024-06-30", *data],
        ["export", "baseline", "--format", "csv", "--out", str(tmp / "x.csv")]
        + ["--draws", "5", "--quarters", "2040Q1:2041Q4", *data],
        ["export", "baseline", "--format", "csv", "--draws", "5", *data]
        + ["--out", str(tmp / "a-file" / "x.csv")],  # a folder that is a file
        ["run", "baseline", "--draws", "5000000", *data],
    ]


def test_command_line_problems_read_in_each_language(
    mini_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    allowed: set[str],
) -> None:
    monkeypatch.setenv("PARKCAP_MEMORY_LIMIT", "50MB")
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    for argv in cli_cases(mini_dir, tmp_path):
        problems, err_zh = cli_problems([*argv, "--lang", "zh"], monkeypatch, capsys)
        assert_reads_in_each_language(problems, allowed | {"no-such-scenario"}, ("zh",))
        assert "Traceback" not in err_zh
        again, err_en = cli_problems([*argv, "--lang", "en"], monkeypatch, capsys)
        assert [(p.file, p.field) for p in again] == [(p.file, p.field) for p in problems]
        assert_reads_in_each_language(again, allowed, ("en",))
        assert all(p.message("zh") in err_zh for p in problems), err_zh
        assert all(p.message("en") in err_en for p in again), err_en


# ---------------------------------------------------------------------------
# the source: every phrase a validator writes
# ---------------------------------------------------------------------------
#: exceptions whose text becomes a problem's expectation (``str(exc)``)
USER_ERRORS = {"UnitParseError", "QuarterError", "ArgumentTypeError"}
#: phrases put together from parts at run time; each part is a template, and the whole
#: is checked with real values in test_composed_phrases_translate
COMPOSED = {
    "V0; nothing V2V3",
    "duplicate id; already used on V1",
    "this run needs about V1 for V3 draws × V5 quarters × V7 stagesV9; the limit is V11 (V13);"
    " use fewer draws or an earlier horizon, or raise V15",
    "V0; expected e.g. 'V2'",
    "horizon is before the start quarter V1V2",
    "'V0': V2",
}


def stand_in(node: ast.expr) -> str | None:
    """The text of a string expression with stand-ins ``V<i>`` for its values."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        out = []
        for i, v in enumerate(node.values):
            if isinstance(v, ast.Constant):
                out.append(str(v.value))
            else:
                assert isinstance(v, ast.FormattedValue)
                out.append(f"'V{i}'" if v.conversion == ord("r") else f"V{i}")
        return "".join(out)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = stand_in(node.left), stand_in(node.right)
        return None if left is None or right is None else left + right
    is_join = isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "join"
    if is_join and isinstance(getattr(node.func, "value", None), ast.Constant):
        return "V1 -> V2"  # ' -> '.join(cycle)
    return None


def validator_phrases() -> Iterator[tuple[str, str]]:
    """(where, phrase) of every expectation the code in model/ writes as text."""
    for path in sorted((ROOT / "model").rglob("*.py")):
        if "catalogue" in path.parts or path.name == "errors.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            assigned: dict[str, list[ast.expr]] = {}
            for node in ast.walk(func):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            assigned.setdefault(target.id, []).append(node.value)
            for node in ast.walk(func):
                for expr in _expectations(node):
                    if isinstance(expr, ast.Name):
                        exprs = assigned.get(expr.id, [])
                    elif isinstance(expr, ast.IfExp):
                        exprs = [expr.body, expr.orelse]
                    else:
                        exprs = [expr]
                    for e in exprs:
                        text = stand_in(e)
                        if text is not None:
                            yield f"{path.relative_to(ROOT)}:{node.lineno}", text


def _expectations(node: ast.AST) -> list[ast.expr]:
    """The expressions ``node`` makes an expectation of: Problem(..., expected) or raise."""
    if isinstance(node, ast.Call):
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name == "Problem":
            if len(node.args) >= 5:
                return [node.args[4]]
            return [k.value for k in node.keywords if k.arg == "expected"]
    if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
        name = getattr(node.exc.func, "id", getattr(node.exc.func, "attr", ""))
        if name in USER_ERRORS:
            return [node.exc.args[0]]
    return []


def test_every_validator_phrase_in_the_code_has_a_translation() -> None:
    phrases = sorted(set(validator_phrases()))
    assert len(phrases) >= 150  # the walk reaches the validators
    untranslated = []
    for where, text in phrases:
        if text in COMPOSED:
            continue
        zh = translate_phrase(text, "zh")
        if zh == text or not CJK.search(zh):
            untranslated.append(f"{where}: {text!r}")
        assert translate_phrase(text, "en") == text
    assert not untranslated, "\n".join(untranslated)
    assert {text for _, text in phrases} >= COMPOSED  # no stale entry


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        (
            "already recorded as capacity.csv row 7, record cap-0006 (lfp_cell 10GWh,"
            " as_of 2024-06-30) (same stage, quantity, as_of, source); nothing imported;"
            " leave the row out or pass --skip-existing",
            "已记录为 capacity.csv 第 7 行的记录 cap-0006（lfp_cell 10GWh，截至 2024-06-30）"
            "（stage, quantity, as_of, source 相同）；未导入；请删去这一行，或加上 --skip-existing",
        ),
        (
            "repeats row 4 of this import (same stage, quantity, as_of, source); nothing"
            " recorded; leave one of them out",
            "与本次导入的第 4 行重复（stage, quantity, as_of, source 相同）；未记录；请只保留其中一行",
        ),
        ("duplicate id; already used on this import", "编号重复，本次导入中已用过"),
        ("duplicate id; already used on row 5", "编号重复，已在第 5 行使用"),
        (
            "this run needs about 9.5 GiB for 5,000,000 draws × 24 quarters × 3 stages; the"
            " limit is 50.0 MiB (at most 12,345 draws fit to this horizon); use fewer draws or"
            " an earlier horizon, or raise PARKCAP_MEMORY_LIMIT",
            "这次运行约需 9.5 GiB（5,000,000 次抽样 × 24 个季度 × 3 个环节），上限为 50.0 MiB"
            "（到该预测期末最多容纳 12,345 次抽样）；请减少抽样次数、提前预测期末，"
            "或调高 PARKCAP_MEMORY_LIMIT",
        ),
        (
            "numerator 'USD' is not 'CNY', '万CNY' or '亿CNY'; expected e.g. '亿CNY/(t/a)'",
            "分子“USD”不是 CNY、万CNY 或 亿CNY，应写作例如“亿CNY/(t/a)”",
        ),
        ("horizon is before the start quarter 2026Q1", "预测期末早于起始季度 2026Q1"),
        (
            "'9999Q4': expected a quarter no later than 2060Q4",
            "“9999Q4”太晚，应为不晚于 2060Q4 的季度",
        ),
        (
            "not valid TOML: Unclosed array (at line 3, column 9)",
            "不是有效的 TOML：列表 [ … ] 没有闭合（第 3 行第 9 列）",
        ),
        (
            "No such file or directory; check the path and its permissions",
            "没有该文件或文件夹；请检查路径及其权限",
        ),
    ],
)
def test_composed_phrases_translate(english: str, chinese: str) -> None:
    assert translate_phrase(english, "zh") == chinese
    assert translate_phrase(english, "en") == english


def test_choices_and_list_items_read_as_words() -> None:
    p = Problem("s.toml", None, "intensity", "medium", "Input should be 'sampled', 'low' or 'high'")
    assert p.message("zh").endswith("应为 sampled、low 或 high")
    q = Problem("s.toml", None, "projects.add.0.stage", "x", "unknown stage id")
    assert "“新增项目 · 第 1 项 · 环节”" in q.message("zh")
    r = Problem("s.toml", None, "projects.remove[2]", "x", "unknown project id")
    assert "“移除项目 · 第 3 项”" in r.message("zh")
    assert "field 'projects.remove[2]'" in r.message("en")  # as the file holds it
