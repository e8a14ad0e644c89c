"""Problems as people read them: one sentence in Chinese or English (``Problem.message``).

A Chinese reader meets no English of the code: the row and field labels, the names of the
fields of the data files and scenario keys, and the validators' own phrases are all
translated; the value is written plainly (no Python quotes, brackets or braces). What is
left in Latin letters is what the user typed or must type: the value, the file's name,
ids (``lfp_cathode``), units and date formats.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from model.catalogue import TEXT, t
from model.cli import main
from model.errors import DataError, Problem, field_label, plain_value, translate_phrase
from model.park import Park, load_park
from model.scenario_schema import Scenario

CJK = re.compile(r"[\u4e00-\u9fff]")
#: a run of Latin letters, ids kept whole (``lfp_cathode``, ``stages.csv``, ``2025Q9``)
LATIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-*/]*")
#: Latin text a Chinese message may hold besides the value, the file and the park's ids:
#: units, the date format and the names of the files a fix points to
ALLOWED = {"t", "GWh", "m**2", "set", "YYYY-MM-DD", "TOML", "UTF-8", "GB18030", "GBK", "CSV"}
ALLOWED |= {"README", "model/scenario_schema.py"}


def latin(text: str) -> set[str]:
    """The Latin words and ids of ``text`` (numbers, dates and quarters such as 2026Q4 aside)."""
    return {w.strip(".") for w in LATIN.findall(text) if re.match(r"[A-Za-z_]", w)}


def park_ids(park: Park) -> set[str]:
    """Every id a message may quote: stages, statuses, technologies, sources, files."""
    ids = set(park.stages) | set(park.status_params) | set(park.sources)
    ids |= {p.id for p in park.projects}
    ids |= {f"{name}.csv" for name in ("stages", "sources", "projects", "capacity")}
    ids |= {"lfp", "sodium_ion", "vanadium_flow", "gravity", "pv_silicon", "default"}
    return ids


def english_left(problem: Problem, message: str, ids: set[str]) -> set[str]:
    """Latin words of a Chinese message that are not the value, the file, an id or a unit."""
    mine = (
        latin(problem.file) | latin(plain_value(problem.value, "zh")) | latin(problem.field or "")
    )
    return latin(message) - mine - ids - ALLOWED


@pytest.fixture
def broken_mini(mini_dir: Path) -> Path:
    """The mini park with seven mistakes in four files."""
    edits = {
        "capacity.csv": [
            ("1.5万吨", "1.5万GWh"),
            ("c1,lfp_cell,10GWh,2024-06-30", "c1,lfp_cel,10GWh,2024-13-30"),
        ],
        "projects.csv": [
            (
                ",lfp,5GWh,construction,2024-03-01,2025Q2,mini-src",
                ",lfpx,5GWh,built,2024-03-01,2025Q9,",
            )
        ],
        "status_params.csv": [("reserve,储备,Reserve,0.3", "reserve,储备,Reserve,1.3")],
    }
    for name, pairs in edits.items():
        path = mini_dir / name
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, (name, old)
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return mini_dir


def data_problems(folder: Path) -> list[Problem]:
    with pytest.raises(DataError) as err:
        load_park(folder)
    return err.value.problems


def test_str_stays_the_developer_form() -> None:
    p = Problem("capacity.csv", 3, "quantity", "1.5万GWh", "wrong dimension")
    assert str(p) == "capacity.csv, row 3, field 'quantity': value '1.5万GWh': wrong dimension"


def test_data_file_problems_read_in_chinese(broken_mini: Path, park: Park) -> None:
    problems = data_problems(broken_mini)
    assert len(problems) >= 7
    ids = park_ids(park)
    for p in problems:
        zh = p.message("zh")
        assert f"第 {p.row} 行" in zh
        assert t(f"field_name_{p.field}", "zh") in zh, zh
        assert not english_left(p, zh, ids), (zh, english_left(p, zh, ids))
        assert not {"field", "value", "row", "expected"} & latin(zh)
    by_field = {p.field: p.message("zh") for p in problems}
    assert "“环节”" in by_field["stage"]
    assert "未知的环节编号" in by_field["stage"]
    assert "不是有效日期" in by_field["as_of"]
    assert "应为 0 到 1 之间的数" in by_field["p_complete"]
    assert "“2025Q9”不是季度" in by_field["expected_start"]


def test_data_file_problems_read_in_english(broken_mini: Path) -> None:
    for p in data_problems(broken_mini):
        en = p.message("en")
        assert en.startswith(f"{p.file}, row {p.row}, field '{p.field}'")  # the column as written
        assert p.expected in en  # the code's own phrase, unchanged
        assert not CJK.search(en.replace(str(p.value), "")), en


def test_scenario_problems_name_the_key_and_translate_pydantic(park: Park) -> None:
    data: dict[str, Any] = {
        "name": "x",
        "demand": {"growth": 5, "growht": 0.3},
        "ramp_up": {"quarters": [3, 1]},
        "draws": "many",
    }
    with pytest.raises(DataError) as err:
        Scenario.from_dict(data, source="scenario 'x'")
    messages = {p.field: p.message("zh") for p in err.value.problems}
    assert messages["demand.growth"].startswith(
        "情景“x”，“需求年增长率”，填写的是“5”：应小于或等于 3"
    )
    assert "需求 · growht" in messages["demand.growht"]
    assert "未知的键" in messages["demand.growht"]
    assert "应为整数" in messages["draws"]
    assert "1 ≤ 下限 ≤ 上限 ≤ 40" in messages["ramp_up.quarters"]
    assert "填写的是“3、1”" in messages["ramp_up.quarters"]  # a list, not "[3, 1]"
    ids = park_ids(park)
    for p in err.value.problems:
        assert not english_left(p, p.message("zh"), ids | {"growht"}), p.message("zh")
    english = {p.field: p.message("en") for p in err.value.problems}
    assert "field 'demand.growth'" in english["demand.growth"]  # the key as in the file
    assert "field 'demand.growht'" in english["demand.growht"]


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (
            {"lfp": 0.5, "sodium_ion": [0.2, 0.9]},
            "lfp = 0.5、sodium_ion = 0.2、0.9",
            "lfp = 0.5, sodium_ion = 0.2, 0.9",
        ),
        ((0.9, 0.2), "0.9、0.2", "0.9, 0.2"),
        (True, "是", "true"),
        (2.0, "2", "2"),
        ("  a  ", "a", "a"),
        ("x" * 200, "x" * 80 + "…", "x" * 80 + "…"),
    ],
)
def test_values_are_written_plainly(value: Any, zh: str, en: str) -> None:
    assert plain_value(value, "zh") == zh
    assert plain_value(value, "en") == en
    message = Problem("f", None, "name", value, "bad").message("zh")
    assert not set("{}[]'") & set(message)


def test_empty_value_is_said_in_words() -> None:
    p = Problem("情景名称", None, "name", "", "请填写情景名称")
    assert p.message("zh") == "情景名称，“名称”，内容为空：请填写情景名称"
    assert "the value is empty" in p.message("en")


def test_every_expectation_phrase_translates_with_its_values() -> None:
    keys = [k for k in TEXT if k.startswith("msg_x_")]
    assert len(keys) >= 60
    for key in keys:
        names = re.findall(r"\{(\w+)\}", TEXT[key]["en"])
        values = {n: f"V{i}" for i, n in enumerate(names)}
        english = TEXT[key]["en"].format(**values)
        zh = translate_phrase(english, "zh")
        assert CJK.search(zh), (key, zh)
        assert zh == t(key, "zh", **values), key
        for v in values.values():
            if "{" + next(n for n in names if values[n] == v) + "}" in TEXT[key]["zh"]:
                assert v in zh, (key, zh)
        assert translate_phrase(english, "en") == english


def test_unknown_phrases_and_fields_are_kept_as_written() -> None:
    assert translate_phrase("something new went wrong", "zh") == "something new went wrong"
    assert field_label("no_such_column", "zh") == "no_such_column"
    assert field_label("projects.start.p-017", "zh") == "投产季度调整 · p-017"
    assert field_label("projects.start.p-017", "en") == "projects.start.p-017"
    assert field_label("demand.growth", "en") == "demand.growth"  # as in the file


def test_field_names_are_chinese_in_chinese() -> None:
    fields = [k for k in TEXT if k.startswith("field_name_")]
    assert len(fields) >= 80
    for key in fields:
        assert CJK.search(TEXT[key]["zh"]), key
        assert not CJK.search(TEXT[key]["en"]), key


def test_cli_lists_problems_in_the_chosen_language(capsys, broken_mini: Path) -> None:
    code = main(["validate", "--data", str(broken_mini), "--lang", "zh"])
    err = capsys.readouterr().err
    assert code == 2
    assert "capacity.csv，第 3 行，“数量”，填写的是“1.5万GWh”：单位量纲不对" in err
    assert not {"field", "value", "row", "expected"} & latin(err)
    code = main(["validate", "--data", str(broken_mini), "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2
    assert "capacity.csv, row 3, field 'quantity': value '1.5万GWh': wrong dimension" in err
