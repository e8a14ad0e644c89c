"""Fuzzing the loaders: whatever bytes a data or scenario file holds, it loads or is a DataError.

Random bytes, random text, and valid files with random edits go through
:func:`model.load_park` (as ``capacity.csv`` or ``recipes.csv`` of the small "mini" park)
and :func:`model.scenario.load_scenario` (a scenario TOML for that park); random values
at the schema's own key paths go through :meth:`Scenario.from_dict`. Anything other than
success or :class:`DataError` fails, warnings included (they are errors in this suite).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.errors import DataError, Problem
from model.examples import write_example
from model.park import Park, load_park
from model.scenario import Scenario, load_scenario

#: examples per test; ``PARKCAP_FUZZ_EXAMPLES=5000`` for a deeper run by hand
EXAMPLES = int(os.environ.get("PARKCAP_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def mini_folder() -> Iterator[Path]:
    """One mini park for the whole module; each example rewrites one file and restores it."""
    with tempfile.TemporaryDirectory(prefix="parkcap-fuzz-") as tmp:
        yield write_example("mini", Path(tmp) / "mini")


@pytest.fixture(scope="module")
def mini(mini_folder: Path) -> Park:
    return load_park(mini_folder)


def problems_of(load: Callable[[], object]) -> list[Problem]:
    """The problems of the DataError ``load()`` raises ([] if it succeeds); others propagate."""
    try:
        load()
    except DataError as exc:
        return exc.problems
    return []


def check(problems: list[Problem], failed: bool) -> None:
    """A DataError lists at least one problem, each saying what was expected."""
    if failed:
        assert problems, "a DataError lists at least one problem"
    assert all(isinstance(p, Problem) and p.expected for p in problems)


def load_with(folder: Path, name: str, content: bytes) -> None:
    """Load the park with ``name`` replaced by ``content``: success or DataError only."""
    path = folder / name
    original = path.read_bytes()
    path.write_bytes(content)
    try:
        check(problems_of(lambda: load_park(folder)), failed=False)
    finally:
        path.write_bytes(original)


# text that a spreadsheet user could plausibly type into a cell, and then some
CELL_CHARS = st.characters(
    codec="utf-8", categories=("L", "N", "P", "S", "Zs", "Cc"), exclude_characters="\x00"
)
INTERESTING = st.sampled_from(
    [
        ",",
        '"',
        "\n",
        "\r\n",
        "\ufeff",
        "nan",
        "inf",
        "-",
        "1e400",
        "1e-400",
        "万",
        "亿",
        "吨",
        "GWh",
        "**",
        "/",
        "(",
        "0",
        "-0",
        "2024-02-30",
        "9999-12-31",
        "0001-01-01",
        "2025Q5",
        "\x00",
        "\t",
        " ",
        "e",
        ".",
        "%",
        "倍",
    ]
)


@st.composite
def mutated(draw: st.DrawFn, original: str) -> str:
    """``original`` with a few random insertions, deletions and replacements."""
    text = original
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        piece = draw(st.one_of(INTERESTING, st.text(CELL_CHARS, max_size=8)))
        if action == "insert":
            text = text[:pos] + piece + text[pos:]
        elif action == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 12)) :]
        elif action == "replace":
            text = text[:pos] + piece + text[pos + len(piece) :]
        else:
            end = min(len(text), pos + draw(st.integers(1, 40)))
            text = text[:end] + text[pos:end] + text[end:]
    return text


# ---------------------------------------------------------------------------
# CSV data files
# ---------------------------------------------------------------------------
@FUZZ
@given(content=st.binary(max_size=2000))
def test_random_bytes_as_a_data_file(mini_folder: Path, content: bytes) -> None:
    load_with(mini_folder, "capacity.csv", content)


@FUZZ
@given(content=st.text(max_size=600))
def test_random_text_as_a_data_file(mini_folder: Path, content: str) -> None:
    load_with(mini_folder, "capacity.csv", content.encode("utf-8", "surrogatepass"))


@FUZZ
@given(data=st.data(), name=st.sampled_from(["capacity.csv", "recipes.csv", "projects.csv"]))
def test_mutated_data_files(mini_folder: Path, data: st.DataObject, name: str) -> None:
    original = (mini_folder / name).read_text(encoding="utf-8")
    text = data.draw(mutated(original))
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    load_with(mini_folder, name, text.encode(encoding, "replace"))


# ---------------------------------------------------------------------------
# scenario TOML files
# ---------------------------------------------------------------------------
VALID_TOML = """\
extends = "parent"
title_en = "Fuzz"
horizon = "2027Q4"
draws = 5
seed = 3
intensity = "sampled"

[demand]
growth = 0.2
growth_spread = 0.05

[technology_mix]
lfp = 0.8
sodium_ion = 0.2

[ramp_up]
quarters = [2, 6]
shape = "linear"

[utilisation]
default = [0.55, 0.85]
lfp_cell = [0.6, 0.9]

[status.signed]
p_complete = 0.5

[projects]
remove = []

[projects.start]
cell-2 = "2025Q4"

[[projects.add]]
id = "new-1"
stage = "lfp_cell"
technology = "lfp"
capacity = "5GWh"
start = "2026Q2"
source = "mini-src"
"""


def load_scenario_with(folder: Path, park: Park, content: bytes) -> None:
    """Load ``case.toml`` holding ``content`` (beside a valid parent): success or DataError."""
    (folder / "parent.toml").write_text('draws = 5\nhorizon = "2026Q4"\n', encoding="utf-8")
    (folder / "case.toml").write_bytes(content)
    check(problems_of(lambda: load_scenario(folder / "case.toml", park=park)), failed=False)


@pytest.fixture(scope="module")
def toml_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="parkcap-fuzz-toml-") as tmp:
        yield Path(tmp)


def test_the_valid_scenario_loads(toml_folder: Path, mini: Park) -> None:
    load_scenario_with(toml_folder, mini, VALID_TOML.encode())
    assert load_scenario(toml_folder / "case.toml", park=mini).projects.add[0].id == "new-1"


@FUZZ
@given(content=st.binary(max_size=2000))
def test_random_bytes_as_a_scenario(toml_folder: Path, mini: Park, content: bytes) -> None:
    load_scenario_with(toml_folder, mini, content)


@FUZZ
@given(content=st.text(max_size=600))
def test_random_text_as_a_scenario(toml_folder: Path, mini: Park, content: str) -> None:
    load_scenario_with(toml_folder, mini, content.encode("utf-8", "surrogatepass"))


@FUZZ
@given(text=mutated(VALID_TOML))
def test_mutated_scenarios(toml_folder: Path, mini: Park, text: str) -> None:
    load_scenario_with(toml_folder, mini, text.encode("utf-8", "surrogatepass"))


# random values of every JSON/TOML type at the schema's own key paths
VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["2026Q4", "9999Q4", "lfp_cell", "cell-2", "signed", "5GWh", "mini-src"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
PATHS = [
    "horizon",
    "draws",
    "seed",
    "intensity",
    "demand",
    "demand.base_gwh",
    "demand.growth",
    "demand.growth_spread",
    "technology_mix",
    "technology_mix.lfp",
    "technology_mix.gravity",
    "ramp_up.quarters",
    "ramp_up.shape",
    "utilisation",
    "utilisation.default",
    "utilisation.lfp_cell",
    "status",
    "status.signed",
    "status.signed.p_complete",
    "projects",
    "projects.add",
    "projects.remove",
    "projects.start",
    "projects.start.cell-2",
    "projects.status.cell-2",
    "history_min_transitions",
    "status_from_history",
]


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(PATHS), VALUES, min_size=1, max_size=4))
def test_random_values_at_the_schemas_keys(mini: Park, changes: dict[str, object]) -> None:
    data: dict[str, object] = {"name": "fuzz"}
    for path, value in changes.items():
        node = data
        keys = path.split(".")
        for k in keys[:-1]:
            child = node.get(k)
            if not isinstance(child, dict):
                child = {}
                node[k] = child
            node = child
        node[keys[-1]] = value
    check(problems_of(lambda: Scenario.from_dict(data).check_against(mini)), failed=False)
