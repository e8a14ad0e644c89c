"""The what-if page's resets and messages as plain functions: every lever has a reset to
its start scenario's value (another start scenario, another value), and the messages
under the fields follow the language switch."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import dash
import pytest
from dash import Dash
from flask import Flask

from dashboard.controls import AUTO, defaults, scenario_from_controls
from dashboard.state import EXTENSION_KEY, AppState, make_state
from model.pipeline import ACTIVE
from tests.dashboard.conftest import copy_scenarios

CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3,}")

#: a start scenario whose choice levers all differ from the baseline's
SLOW_START = """extends = "baseline"
title_zh = "慢速起步"
title_en = "Slow start"
intensity = "central"

[demand]
base_gwh = 12.5

[ramp_up]
shape = "linear"

[projects]
remove = ["haide-cabinet"]
"""


def _text(component: Any) -> str:
    """The words a component shows: its children's text, in order."""
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


@pytest.fixture(scope="module")
def two_bases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppState]:
    """A state whose scenarios are the shipped ones and ``slow-start``, as the callbacks see it."""
    folder = copy_scenarios(tmp_path_factory.mktemp("reset-scenarios"))
    (folder / "slow-start.toml").write_text(SLOW_START, encoding="utf-8")
    state = make_state(scenarios_dir=folder)
    server = Flask(__name__)
    server.extensions[EXTENSION_KEY] = state
    with server.app_context():
        yield state


@pytest.fixture(scope="module")
def sync(app: Dash) -> Any:
    """The lever callbacks' module (its callbacks registered by the page)."""
    from dashboard import whatif_sync

    return whatif_sync


@pytest.fixture(scope="module")
def rw(app: Dash) -> Any:
    """The module that writes the levers' messages again on a switch of language."""
    from dashboard import whatif_reword

    return whatif_reword


# ---------------------------------------------------------------------------
# a reset for every lever that is a choice
# ---------------------------------------------------------------------------
MOVED = {"wi-shape": "instant", "wi-intensity": "high", "wi-projects": ["vrfb-line"]}


@pytest.mark.parametrize("lever_id", ["wi-shape", "wi-intensity", "wi-projects"])
def test_a_choice_reset_restores_its_start_scenarios_value(
    two_bases: AppState, sync: Any, lever_id: str
) -> None:
    park = two_bases.park
    key = sync.CHOICE_VALUES[lever_id]
    for name in ("baseline", "slow-start"):
        base = two_bases.scenario(name)
        start = defaults(park, base)
        moved = {**start, key: MOVED[lever_id]}
        assert moved[key] != start[key]  # the lever was moved away from the start
        # the moved lever moves the scenario...
        assert scenario_from_controls(park, base, moved) != scenario_from_controls(
            park, base, start
        )
        reset = sync.choice_reset(lever_id, name)
        assert reset == start[key]
        # ...and after the reset the scenario is the start scenario's again
        back = scenario_from_controls(park, base, {**moved, key: reset})
        assert back == scenario_from_controls(park, base, start)
    # another start scenario, another value
    assert sync.choice_reset(lever_id, "slow-start") != sync.choice_reset(lever_id, "baseline")


def test_the_choice_resets_give_each_start_scenarios_own_values(
    two_bases: AppState, sync: Any
) -> None:
    assert sync.choice_reset("wi-shape", "baseline") == "s_curve"
    assert sync.choice_reset("wi-shape", "slow-start") == "linear"
    assert sync.choice_reset("wi-intensity", "baseline") == "sampled"
    assert sync.choice_reset("wi-intensity", "slow-start") == "central"
    baseline = sync.choice_reset("wi-projects", "baseline")
    slow = sync.choice_reset("wi-projects", "slow-start")
    assert "haide-cabinet" in baseline
    assert set(baseline) - set(slow) == {"haide-cabinet"}  # the one it removes
    # a scenario that adds projects: its added ones are included again
    led = sync.choice_reset("wi-projects", "lithium-led")
    assert "lfp-cell-phase2" in led
    assert "lfp-cell-phase2" not in baseline


def test_the_start_demand_reset_restores_auto_or_the_number(two_bases: AppState, sync: Any) -> None:
    # baseline: 'auto' ticked, the box empty (the toggle callback disables it)
    assert sync.start_demand_reset("baseline") == ([AUTO], None)
    # a start scenario with its own start demand: the box holds it, 'auto' off
    assert sync.start_demand_reset("slow-start") == ([], 12.5)
    park = two_bases.park
    base = two_bases.scenario("slow-start")
    auto, box = sync.start_demand_reset("slow-start")
    values = {**defaults(park, base), "base_gwh": AUTO if AUTO in auto else box}
    assert scenario_from_controls(park, base, values).demand.base_gwh == 12.5


@pytest.mark.parametrize("base", ["../x", None, 3, "no-such-scenario"])
def test_a_reset_from_an_unreadable_start_scenario_changes_nothing(
    two_bases: AppState, sync: Any, base: Any
) -> None:
    for lever_id in ("wi-shape", "wi-intensity", "wi-projects"):
        assert sync.choice_reset(lever_id, base) is dash.no_update
    assert sync.start_demand_reset(base) == (dash.no_update, dash.no_update)


def test_every_lever_has_a_named_reset_and_each_reset_a_callback(app: Dash, sync: Any) -> None:
    from dashboard.i18n import Texts
    from dashboard.pages import whatif
    from dashboard.whatif_levers import CONTROL_IDS
    from dashboard.whatif_options import RESET_NAME
    from dashboard.whatif_widgets import status_levers
    from tests.dashboard.test_layout import walk

    with app.server.test_request_context("/what-if"):
        tree = whatif.layout(lang="en")
        state = app.server.extensions[EXTENSION_KEY]
        values = defaults(state.park, state.scenario("baseline"))
        folded = status_levers(state.park, values, Texts("wi-st", "en"))  # built when opened
    nodes = [n for root in (tree, folded) for n, _ in walk(root)]
    by_id = {n.id: n for n in nodes if isinstance(getattr(n, "id", None), str)}
    # every control id of the levers is reset by a button: its own or its lever's
    reset_of = {i: f"{i}-reset" for i in CONTROL_IDS}
    reset_of["wi-base-auto"] = "wi-base-gwh-reset"
    for ident, reset in reset_of.items():
        assert reset in by_id, ident
        assert reset in sync.RESETS
        button = by_id[reset].to_plotly_json()["props"]
        # named by "restore..." and the field's label, both spans in the layout, and a
        # status lever's also by its row's status
        name_ids = button["aria-labelledby"].split()
        # (one hidden "restore..." span for every reset: fewer components on the page)
        status = [f"wi-status-name-{s}" for s in ACTIVE if reset.endswith(f"-{s}-reset")]
        assert name_ids == [RESET_NAME, *status, reset.removesuffix("reset") + "label"]
        assert all(i in by_id for i in name_ids), (reset, name_ids)
        assert "restore" in _text(by_id[name_ids[0]])
        assert button["title"] == "restore the start scenario's value"
        assert button["className"] == "wi-reset"  # same look as the numeric levers'
    # each new reset drives its lever
    driven = {}
    for outputs, spec in app.callback_map.items():
        for inp in spec["inputs"]:
            driven.setdefault(inp["id"], set()).add(str(outputs))
    for reset, target in [
        ("wi-shape-reset", "wi-shape.value"),
        ("wi-intensity-reset", "wi-intensity.value"),
        ("wi-projects-reset", "wi-projects.value"),
        ("wi-base-gwh-reset", "wi-base-auto.value"),
        ("wi-base-gwh-reset", "wi-base-gwh.value"),
    ]:
        assert any(target in out for out in driven.get(reset, ())), (reset, target)


# ---------------------------------------------------------------------------
# messages that follow the language
# ---------------------------------------------------------------------------
def _boxes(levers: Any, boxes: dict[str, Any]) -> list[Any]:
    """Every box of ``levers`` at its baseline value unless given."""
    from dashboard.controls import defaults as start_values
    from dashboard.state import get_state
    from dashboard.whatif_levers import lever_value

    state = get_state()
    v = start_values(state.park, state.scenario("baseline"))
    held: list[Any] = []
    for lv in levers:
        value = lever_value(v, lv.lever)
        shown = list(value) if lv.pair else [value]
        held += [boxes.get(b, s) for b, s in zip(lv.boxes(), shown, strict=True)]
    return held


def _held(sync: Any, boxes: dict[str, Any], start: Any = None, auto: Any = None) -> list[Any]:
    """The states :func:`reword` reads: every box at its baseline value unless given."""
    from dashboard.whatif_levers import SHOWN_LEVERS

    return [*_boxes(SHOWN_LEVERS, boxes), start, [AUTO] if auto is None else auto]


def _held_status(boxes: dict[str, Any]) -> list[Any]:
    """The states :func:`reword_status` reads (the folded status table's boxes)."""
    from dashboard.whatif_levers import FOLDED_LEVERS

    return _boxes(FOLDED_LEVERS, boxes)


def test_a_refused_value_in_chinese_is_said_again_in_english(app: Dash, sync: Any, rw: Any) -> None:
    from dashboard.whatif_levers import SHOWN_LEVERS as LEVERS

    with app.server.test_request_context():
        # typed 500 for growth (to 300) with the page in Chinese: a Chinese sentence
        _, _, said_zh = sync.sync_lever("wi-growth", "wi-growth-num", 20, [500], "baseline", "zh")
        assert "超出范围" in _text(said_zh)
        # the language switches to English, the 500 still in the box
        out = rw.reword("en", *_held(sync, {"wi-growth-num": 500}))
    n = len(LEVERS)
    assert len(out) == n + 1 + len(rw.SHOWN_RESETS)
    said = dict(zip([lv.ident for lv in LEVERS], out[:n], strict=True))
    text = _text(said["wi-growth"])
    assert "500" in text
    assert "out of range" in text
    assert "-50" in text  # the range it expected
    assert "300" in text
    assert not CJK.search(text), text
    # only the field that holds a refused value has a message
    assert [k for k, m in said.items() if m is not None] == ["wi-growth"]
    assert out[n] is None  # the start demand's: 'auto', nothing to say
    assert set(out[n + 1 :]) == {"restore the start scenario's value"}


def test_messages_follow_the_language_back_and_forth(app: Dash, sync: Any, rw: Any) -> None:
    from dashboard.whatif_levers import FOLDED_LEVERS, SHOWN_LEVERS

    n = len(SHOWN_LEVERS)
    held = _held(sync, {"wi-ramp-lo": 2.5}, start=50_000, auto=[])
    held_status = _held_status({"wi-p-signed-num": "x"})
    with app.server.test_request_context():
        en, zh = rw.reword("en", *held), rw.reword("zh", *held)
        st_en, st_zh = (
            rw.reword_status("en", *held_status),
            rw.reword_status("zh", *held_status),
        )
    said = {lv.ident: i for i, lv in enumerate(SHOWN_LEVERS)}
    said_status = {lv.ident: i for i, lv in enumerate(FOLDED_LEVERS)}
    for lever_id, word_en, word_zh, out_en, out_zh, at in [
        ("wi-ramp", "whole number", "整数", en, zh, said),
        ("wi-p-signed", "not a number", "不是数字", st_en, st_zh, said_status),
    ]:
        assert word_en in _text(out_en[at[lever_id]])
        assert not CJK.search(_text(out_en[at[lever_id]]))
        assert word_zh in _text(out_zh[at[lever_id]])
        assert not LATIN.search(_text(out_zh[at[lever_id]]))
    # the start demand: 50,000 GWh/a is over its 10,000
    assert "out of range" in _text(en[n])
    assert "50000" in _text(en[n])
    assert "超出范围" in _text(zh[n])
    assert set(zh[n + 1 :]) == {"恢复起始情景的值"}
    # the status table: its resets' tooltips and the statuses' names follow too
    m = len(FOLDED_LEVERS)
    assert set(st_en[m : m + len(rw.FOLDED_RESETS)]) == {"restore the start scenario's value"}
    names_en, names_zh = st_en[-len(ACTIVE) :], st_zh[-len(ACTIVE) :]
    assert all(CJK.search(x) for x in names_zh)
    assert not any(CJK.search(x) for x in names_en)
    # unreadable language: Chinese, the default
    with app.server.test_request_context():
        assert _text(rw.reword("fr", *held)[n]) == _text(zh[n])


def test_accepted_values_leave_no_message_in_either_language(app: Dash, sync: Any, rw: Any) -> None:
    from dashboard.whatif_levers import FOLDED_LEVERS, SHOWN_LEVERS

    held = _held(sync, {"wi-growth-num": 45, "wi-util-lo": 60, "wi-util-hi": 90}, start=12, auto=[])
    held_status = _held_status({"wi-d-signed-num": 3})
    with app.server.test_request_context():
        for lang in ("zh", "en"):
            out = rw.reword(lang, *held)
            assert all(m is None for m in out[: len(SHOWN_LEVERS) + 1]), lang
            out = rw.reword_status(lang, *held_status)
            assert all(m is None for m in out[: len(FOLDED_LEVERS)]), lang


def test_the_link_refusal_message_follows_the_language(app: Dash) -> None:
    from dashboard.pages import whatif

    refused = [["range", "growth", "900"], ["choice:s_curve,linear,instant", "shape", "zz"]]
    with app.server.test_request_context():
        zh = _text(whatif.show_link_refusals("zh", refused))
        en = _text(whatif.show_link_refusals("en", refused))
        assert whatif.link_message([], "en") is None
    assert "900" in zh
    assert "超出范围" in zh
    assert "900" in en
    assert "out of range" in en
    assert "linear" in en.lower()
    assert not CJK.search(en), en


def test_a_failed_reset_says_why_again_in_the_new_language(app: Dash, sync: Any, rw: Any) -> None:
    """A reset from a start scenario that cannot be read: its sentence follows the language."""
    from dashboard.whatif_levers import SHOWN_LEVERS

    n = len(SHOWN_LEVERS)
    at = [lv.ident for lv in SHOWN_LEVERS].index("wi-spread")
    with app.server.test_request_context():
        *_, said = sync.sync_lever(
            "wi-spread", "wi-spread-reset", 10, [10], "no-such-scenario", "zh"
        )
        assert CJK.search(_text(said))
        shown = tuple(said if k == at else None for k in range(n))
        held = _held(sync, {})
        en = rw.reword("en", *held, base="no-such-scenario", shown=shown)
        zh = rw.reword("zh", *held, base="no-such-scenario", shown=shown)
        readable = rw.reword("en", *held, base="baseline", shown=shown)
    assert _text(en[at])
    assert not CJK.search(_text(en[at]))
    assert _text(zh[at]) == _text(said)
    assert [k for k in range(n) if en[k] is not None] == [at]  # only where it was said
    assert readable[at] is None  # the start scenario reads now: nothing left to say


def test_the_status_boxes_follow_only_the_values_that_changed(sync: Any) -> None:
    from dashboard.whatif_levers import FOLDED_LEVERS

    values = list(range(len(FOLDED_LEVERS)))
    out = sync.follow_status({"wi-p-signed"}, values)
    assert len(out) == 2 * len(FOLDED_LEVERS)  # a box and a message each
    at = [lv.ident for lv in FOLDED_LEVERS].index("wi-p-signed")
    assert out[2 * at : 2 * at + 2] == (at, None)  # shown, its message cleared
    rest = out[: 2 * at] + out[2 * at + 2 :]
    assert all(x is dash.no_update for x in rest)
