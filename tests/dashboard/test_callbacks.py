"""Callback logic as plain functions and over HTTP (Flask test client): every what-if lever
moves something a user sees, bad input gives a message, saving is safe."""

from __future__ import annotations

import base64
import copy
import io
import json
import os
import re
import stat
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import dash
import numpy as np
import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
import xarray as xr
from dash import Dash

from dashboard.controls import defaults, scenario_from_controls
from dashboard.figures import figure_values
from dashboard.protocol import update_body
from dashboard.scenario_save import save_scenario
from dashboard.state import LRU, AppState
from dashboard.whatif_levers import RAMP_MAX
from model.catalogue import t
from model.errors import DataError
from model.scenario import SHIPPED, load_scenario

WHATIF = t("ui_whatif_label", "en")
MEAN = f"{WHATIF} {t('ui_mean', 'en')}"


@pytest.fixture(scope="module")
def whatif(app: Dash) -> Any:
    """The what-if page module (exists once an app has been made)."""
    from dashboard.pages import whatif

    return whatif


@pytest.fixture
def base_values(state: AppState) -> dict[str, Any]:
    return defaults(state.park, state.scenario("baseline"))


def run(
    whatif: Any,
    state: AppState,
    values: dict[str, Any],
    stage: str = "storage_cabinet",
    variable: str = "nameplate",
) -> dict[str, Any]:
    return whatif.compute(state, "baseline", values, stage, "en", variable)


def changed(values: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(values)
    node = out
    keys = path.split(".")
    for k in keys[:-1]:
        node = node[k]
    node[keys[-1]] = value
    return out


def need(fig: Any, stage_name: str) -> float:
    """The 'downstream need' bar of one stage (cell-GWh-eq) in a gap-bars figure."""
    tr = go.Figure(fig).data[1]
    return float(dict(zip(tr.y, tr.x, strict=True))[stage_name])


def supply_total(fig: Any) -> float:
    return float(np.nansum(np.asarray(go.Figure(fig).data[0].x, dtype=float)))


# ---------------------------------------------------------------------------
# every lever moves a figure, in the expected direction
# ---------------------------------------------------------------------------
def test_defaults_reproduce_the_base(
    whatif: Any, state: AppState, base_values: dict[str, Any]
) -> None:
    base = state.scenario("baseline")
    s = scenario_from_controls(state.park, base, base_values, name="baseline")
    assert s.content_hash() == base.content_hash()


def test_raising_demand_growth_raises_storage_and_upstream_demand(
    whatif: Any, state: AppState, base_values: dict[str, Any]
) -> None:
    lo = run(whatif, state, changed(base_values, "growth", 5))
    hi = run(whatif, state, changed(base_values, "growth", 60))
    assert figure_values(hi["tech"]).sum() > figure_values(lo["tech"]).sum()
    assert need(hi["gaps"], "Cathode material (LFP)") > need(lo["gaps"], "Cathode material (LFP)")


def test_wider_growth_spread_widens_the_gap_band(
    whatif: Any, state: AppState, base_values: dict[str, Any]
) -> None:
    def band(out: dict[str, Any]) -> float:
        p90 = figure_values(out["fan_gap"], f"{WHATIF} P90")
        p10 = figure_values(out["fan_gap"], f"{WHATIF} P10")
        return float((p90 - p10).sum())

    narrow = run(whatif, state, changed(base_values, "spread", 0), stage="lfp_cathode")
    wide = run(whatif, state, changed(base_values, "spread", 50), stage="lfp_cathode")
    assert band(wide) > band(narrow)


def test_mix_toward_sodium_ion_raises_sodium_ion_demand(
    whatif: Any, state: AppState, base_values: dict[str, Any]
) -> None:
    base = run(whatif, state, base_values)
    mixed = run(whatif, state, changed(base_values, "mix.sodium_ion", 50))
    assert (
        figure_values(mixed["tech"], "Sodium-ion").sum()
        > figure_values(base["tech"], "Sodium-ion").sum()
    )
    assert figure_values(mixed["tech"], "LFP").sum() < figure_values(base["tech"], "LFP").sum()


def test_lower_utilisation_lowers_local_supply(
    whatif: Any, state: AppState, base_values: dict[str, Any]
) -> None:
    hi = run(whatif, state, changed(base_values, "util", [80, 95]))
    lo = run(whatif, state, changed(base_values, "util", [20, 30]))
    assert supply_total(lo["gaps"]) < supply_total(hi["gaps"])


@pytest.mark.parametrize("variable", ["effective_capacity", "output"])
def test_utilisation_slider_moves_every_stage_including_lfp_cells(
    whatif: Any, state: AppState, base_values: dict[str, Any], variable: str
) -> None:
    # baseline gives LFP cells their own range; the slider is the range of all stages
    assert state.scenario("baseline").utilisation_range("lfp_cell") != tuple(
        u / 100 for u in base_values["util"]
    )
    lo = run(whatif, state, changed(base_values, "util", [20, 30]), "lfp_cell", variable)
    hi = run(whatif, state, changed(base_values, "util", [80, 95]), "lfp_cell", variable)
    assert hi["scenario"].utilisation == {"default": (0.8, 0.95)}
    lo_mean, hi_mean = figure_values(lo["fan_cap"], MEAN), figure_values(hi["fan_cap"], MEAN)
    assert (hi_mean > lo_mean).all()
    assert t(f"var_{variable}", "en") in hi["fan_cap"]["layout"]["title"]["text"]
    assert t("ui_util", "en") == "Utilisation range (%, all stages)"
    assert "全部环节" in t("ui_util", "zh")


def test_page_says_which_stage_ranges_the_slider_replaces(
    app: Dash, whatif: Any, state: AppState
) -> None:
    hint = whatif.util_hint(state.park, state.scenario("baseline"), "en")
    assert hint is not None
    lo, hi = state.scenario("baseline").utilisation_range("lfp_cell")
    assert "LFP" in hint
    assert f"{100 * lo:g}–{100 * hi:g} %" in hint
    with app.server.test_request_context():
        out = whatif.reset_to_base("baseline", "en")
        assert len(out) == len(whatif.CONTROL_IDS) + 4
        assert out[len(whatif.CONTROL_IDS)] == RAMP_MAX
        assert out[len(whatif.CONTROL_IDS) + 1] == hint
        assert out[-1] is None
        bad = whatif.reset_to_base("../x", "en")
    assert "pc-alert" in json.dumps(bad[-1].to_plotly_json(), default=str)


def test_slower_ramp_up_lowers_capacity_in_early_quarters(
    whatif: Any, state: AppState, base_values: dict[str, Any]
) -> None:
    fast = figure_values(run(whatif, state, changed(base_values, "ramp", [1, 1]))["fan_cap"], MEAN)
    slow = figure_values(
        run(whatif, state, changed(base_values, "ramp", [10, 12]))["fan_cap"], MEAN
    )
    assert (slow <= fast + 1e-9).all()
    assert (slow < fast - 1).any()


def test_instant_ramp_up_raises_capacity_along_the_way(
    whatif: Any, state: AppState, base_values: dict[str, Any]
) -> None:
    values = changed(base_values, "ramp", [8, 8])
    linear = run(whatif, state, changed(values, "shape", "linear"))
    instant = run(whatif, state, changed(values, "shape", "instant"))
    assert instant["scenario"].ramp_up.shape == "instant"
    assert (
        figure_values(instant["fan_cap"], MEAN).sum() > figure_values(linear["fan_cap"], MEAN).sum()
    )


def test_higher_start_demand_raises_cell_output(
    whatif: Any, state: AppState, base_values: dict[str, Any]
) -> None:
    low = run(whatif, state, changed(base_values, "base_gwh", 5), "lfp_cell", "output")
    high = run(whatif, state, changed(base_values, "base_gwh", 15), "lfp_cell", "output")
    assert high["scenario"].demand.base_gwh == 15
    assert figure_values(high["fan_cap"], MEAN)[0] > figure_values(low["fan_cap"], MEAN)[0]
    assert figure_values(high["fan_cap"], MEAN).sum() > figure_values(low["fan_cap"], MEAN).sum()
    assert figure_values(high["tech"], "LFP").sum() > figure_values(low["tech"], "LFP").sum()
    # 'auto' is today's LFP cell output: the first quarter's output under 'auto'
    auto = run(whatif, state, base_values, "lfp_cell", "output")
    assert auto["scenario"].demand.base_gwh is None
    assert auto["auto_gwh"] == pytest.approx(figure_values(auto["fan_cap"], MEAN)[0])


def test_wider_delay_spread_widens_the_capacity_band(
    whatif: Any, state: AppState, base_values: dict[str, Any]
) -> None:
    def band(out: dict[str, Any]) -> float:
        p90 = figure_values(out["fan_cap"], f"{WHATIF} P90")
        p10 = figure_values(out["fan_cap"], f"{WHATIF} P10")
        return float((p90 - p10).sum())

    # Haide and PowerChina (cabinets, the chart's stage) are under construction
    narrow = run(whatif, state, changed(base_values, "delay_sd.construction", 0))
    wide = run(whatif, state, changed(base_values, "delay_sd.construction", 8))
    assert wide["scenario"].status["construction"].delay_sd_q == 8
    assert band(wide) > band(narrow)


def test_control_values_round_trip_through_the_page_controls(
    whatif: Any, base_values: dict[str, Any]
) -> None:
    args = whatif.args_from_values(base_values)
    assert len(args) == len(whatif.CONTROL_IDS)
    assert whatif.values_from_args(args) == base_values
    fixed = changed(base_values, "base_gwh", 12.5)
    assert whatif.values_from_args(whatif.args_from_values(fixed)) == fixed


def test_auto_box_switches_the_start_demand_box(whatif: Any) -> None:
    from dashboard.whatif_sync import toggle_auto

    assert toggle_auto(["auto"], 12.0, 16.9) == (True, None)
    assert toggle_auto([], None, 16.875) == (False, 16.9)
    assert toggle_auto([], 12.0, 16.9) == (False, dash.no_update)
    assert toggle_auto("junk", None, "junk") == (False, dash.no_update)


@pytest.mark.parametrize("status", ["construction", "reserve"])
def test_lower_completion_probability_lowers_expected_capacity(
    whatif: Any, state: AppState, base_values: dict[str, Any], status: str
) -> None:
    # the cabinet lines (Haide, PowerChina) are under construction; the sodium-ion line in reserve
    stage = "storage_cabinet" if status == "construction" else "na_cell"
    hi = run(whatif, state, changed(base_values, f"p_complete.{status}", 100), stage=stage)
    lo = run(whatif, state, changed(base_values, f"p_complete.{status}", 10), stage=stage)
    assert figure_values(lo["fan_cap"], MEAN)[-1] < figure_values(hi["fan_cap"], MEAN)[-1]


def test_longer_delay_lowers_capacity_along_the_way(
    whatif: Any, state: AppState, base_values: dict[str, Any]
) -> None:
    short = run(whatif, state, changed(base_values, "delay.construction", 0))
    long = run(whatif, state, changed(base_values, "delay.construction", 12))
    assert figure_values(long["fan_cap"], MEAN).sum() < figure_values(short["fan_cap"], MEAN).sum()


def test_excluding_a_project_lowers_its_stage_capacity(
    whatif: Any, state: AppState, base_values: dict[str, Any]
) -> None:
    without = [p for p in base_values["included"] if p != "haide-cabinet"]
    base = run(whatif, state, base_values)
    cut = run(whatif, state, changed(base_values, "included", without))
    assert figure_values(cut["fan_cap"], MEAN)[-1] < figure_values(base["fan_cap"], MEAN)[-1]
    assert "haide-cabinet" in cut["scenario"].projects.remove


def test_high_intensities_raise_upstream_need(
    whatif: Any, state: AppState, base_values: dict[str, Any]
) -> None:
    low = run(whatif, state, changed(base_values, "intensity", "low"))
    high = run(whatif, state, changed(base_values, "intensity", "high"))
    assert need(high["gaps"], "Separator") > need(low["gaps"], "Separator")


def test_stage_choice_changes_the_fan_chart(
    whatif: Any, state: AppState, base_values: dict[str, Any]
) -> None:
    a = run(whatif, state, base_values, stage="separator")
    assert "Separator" in a["fan_cap"]["layout"]["title"]["text"]
    assert "(m²/a)" in a["fan_cap"]["layout"]["yaxis"]["title"]["text"]
    assert "m²/a" in a["summary"]


def test_results_are_cached_by_content_hash(
    whatif: Any, fresh_state: AppState, base_values: dict[str, Any]
) -> None:
    run(whatif, fresh_state, base_values)
    misses = fresh_state.datasets.misses
    run(whatif, fresh_state, copy.deepcopy(base_values))
    assert fresh_state.datasets.misses == misses


def test_lru_is_bounded() -> None:
    cache = LRU(2, sizeof=lambda _value: 1)  # two entries of one byte
    for k in range(5):
        cache.get_or_compute(k, lambda k=k: k * k)
    assert len(cache) == 2
    assert cache.get_or_compute(4, lambda: -1) == 16


# ---------------------------------------------------------------------------
# bad input: a message, never a crash
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("growth", None, "demand.growth"),
        ("growth", 1000, "demand.growth"),
        ("growth", "abc", "demand.growth"),
        ("spread", -1, "demand.growth_spread"),
        ("mix.lfp", 101, "technology_mix.lfp"),
        ("util", [0, 50], "utilisation"),
        ("util", "x", "utilisation"),
        ("ramp", [0, 5], "ramp_up.quarters"),
        ("ramp", [1.5, 3], "ramp_up.quarters"),
        ("ramp", None, "ramp_up.quarters"),
        ("shape", "zigzag", "ramp_up.shape"),
        ("base_gwh", None, "demand.base_gwh"),
        ("base_gwh", -5, "demand.base_gwh"),
        ("base_gwh", "lots", "demand.base_gwh"),
        ("delay_sd.signed", -1, "status.signed.delay_sd_q"),
        ("delay_sd.reserve", 1e6, "status.reserve.delay_sd_q"),
        ("p_complete.signed", 150, "status.signed.p_complete"),
        ("delay.reserve", -3, "status.reserve.delay_mean_q"),
        ("included", ["no-such-project"], "projects"),
        ("intensity", "bogus", "intensity"),
    ],
)
def test_bad_control_values_name_the_field(
    state: AppState, base_values: dict[str, Any], path: str, value: Any, field: str
) -> None:
    with pytest.raises(DataError) as err:
        scenario_from_controls(
            state.park, state.scenario("baseline"), changed(base_values, path, value), lang="en"
        )
    assert any(p.field == field for p in err.value.problems), err.value.problems


def test_all_zero_mix_fails_the_scenario_validation(
    state: AppState, base_values: dict[str, Any]
) -> None:
    values = changed(
        base_values, "mix", dict.fromkeys(("lfp", "sodium_ion", "vanadium_flow", "gravity"), 0)
    )
    with pytest.raises(DataError) as err:
        scenario_from_controls(state.park, state.scenario("baseline"), values)
    assert "technology_mix" in str(err.value.problems[0])


# ---------------------------------------------------------------------------
# saving scenarios
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name", ["", "   ", None, "../evil", "a/b", "a\\b", "x.toml", "名字", *SHIPPED]
)
def test_bad_names_are_refused(state: AppState, tmp_path: Path, name: Any) -> None:
    scenario = state.scenario("baseline")
    with pytest.raises(DataError):
        save_scenario(tmp_path, name, scenario, park=state.park)
    assert list(tmp_path.iterdir()) == []


def test_save_writes_a_file_that_loads_back_and_overwrite_needs_consent(
    state: AppState, base_values: dict[str, Any], tmp_path: Path
) -> None:
    base = state.scenario("baseline")
    s = scenario_from_controls(state.park, base, changed(base_values, "growth", 35))
    path = save_scenario(tmp_path, "my-case", s, park=state.park)
    assert path == tmp_path / "my-case.toml"
    again = load_scenario("my-case", tmp_path, park=state.park)
    assert again.content_hash() == s.content_hash()
    assert again.demand.growth == pytest.approx(0.35)
    with pytest.raises(DataError) as err:
        save_scenario(tmp_path, "my-case", s, park=state.park, lang="en")
    assert "tick" in str(err.value.problems[0])
    save_scenario(tmp_path, "my-case", s, overwrite=True, park=state.park)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-case.toml"]  # no temp file left


def test_save_writes_through_atomic_write_bytes_with_the_usual_mode(
    state: AppState, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dashboard.scenario_save
    from model import datafiles

    calls: list[Path] = []

    def recording(path: Path, data: bytes) -> None:
        calls.append(Path(path))
        datafiles.atomic_write_bytes(path, data)

    monkeypatch.setattr(dashboard.scenario_save, "atomic_write_bytes", recording)
    fsyncs: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (fsyncs.append(fd), real_fsync(fd))[1])
    s = state.scenario("baseline")
    path = save_scenario(tmp_path, "moded", s, park=state.park)
    assert calls == [path]
    assert fsyncs
    assert stat.S_IMODE(path.stat().st_mode) == datafiles.file_mode(tmp_path / "absent")
    assert stat.S_IMODE(path.stat().st_mode) != 0o600  # mkstemp's mode is not kept
    path.chmod(0o640)
    save_scenario(tmp_path, "moded", s, overwrite=True, park=state.park)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # a replaced file keeps its mode


# ---------------------------------------------------------------------------
# over HTTP, as the browser calls them
# ---------------------------------------------------------------------------
def _whatif_values(app: Dash, state: AppState, **over: Any) -> dict[str, Any]:
    from dashboard.pages.whatif import CONTROL_IDS, args_from_values

    v = defaults(state.park, state.scenario("baseline"))
    args = args_from_values(v)
    values = {f"{i}.value": a for i, a in zip(CONTROL_IDS, args, strict=True)}
    values.update(
        {
            "wi-stage.value": "storage_cabinet",
            "wi-cap-var.value": "nameplate",
            "lang.data": "zh",
            "wi-base.value": "baseline",
            "known-as-of.data": None,
        }
    )
    values.update(over)
    return values


def test_whatif_callback_over_http(app: Dash, state: AppState) -> None:
    client = app.server.test_client()
    body = update_body(app, "wi-fan-cap.figure", _whatif_values(app, state), ["wi-growth.value"])
    r = client.post("/_dash-update-component", json=body)
    assert r.status_code == 200
    resp = r.get_json()["response"]
    assert resp["wi-fan-cap"]["figure"]["data"]
    assert "2030Q4" in json.dumps(resp["wi-cards"]["children"], ensure_ascii=False)
    assert resp["wi-auto-gwh"]["data"] > 0
    assert "GWh/a" in resp["wi-base-gwh"]["placeholder"]


# ---------------------------------------------------------------------------
# value chain and scenarios pages
# ---------------------------------------------------------------------------
def test_chain_quarters_come_without_summarising_or_simulating(
    app: Dash, state: AppState, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.pages import chain

    expected = [str(q) for q in state.dataset(state.scenario("baseline"))["quarter"].values]

    def boom(*_a: Any, **_k: Any) -> None:
        raise AssertionError("the quarter list must not need a summary or a simulation")

    monkeypatch.setattr(AppState, "summary", boom)
    monkeypatch.setattr(AppState, "dataset", boom)
    with app.server.test_request_context():
        qs, chosen, message = chain.quarters_of("baseline", "2027Q1", "en")
        assert (qs, chosen, message) == (expected, "2027Q1", None)
        assert chain.quarters_of("baseline", "1999Q1", "en")[1] == expected[-1]
        qs, chosen, message = chain.quarters_of("../nope", None, "en")
    assert (qs, chosen) == ([], None)
    assert "pc-alert" in json.dumps(message.to_plotly_json(), default=str)


def test_chain_view_shows_the_model_flows(app: Dash, state: AppState) -> None:
    from dashboard.chain_view import chain_graph
    from dashboard.pages import chain
    from model.gaps import chain_flows, gap_table

    scenario = state.scenario("baseline")
    out = chain.content(state, "baseline", "2030Q4", "effective", "en")
    ds = state.dataset(scenario)
    flows = chain_flows(state.park, ds, "2030Q4", "effective", scenario)
    table_ = gap_table(state.park, ds, "2030Q4", basis="effective", scenario=scenario, lang="en")
    _nodes, links = chain_graph(state.park, table_, flows, "en", small_share=0.0)
    by_key = {(f["source"], f["target"]): f["value"] for f in flows}
    assert [ln.value for ln in links] == pytest.approx(
        [by_key[ln.source, ln.target] for ln in links]
    )
    hover = next(tr for tr in go.Figure(out["view"]).data if tr.name == "links")
    assert any(h.startswith("Separator → ") for h in hover.hovertext)


def test_chain_targets_follow_the_rank_and_boundary_switches(app: Dash, state: AppState) -> None:
    from dashboard.pages import chain

    def targets(rank: str, boundary: str) -> list[list[str]]:
        tbl = chain.content(state, "baseline", "2024Q2", "nameplate", "en", rank, boundary)["table"]
        body = tbl.children[1]  # html.Table([Thead, Tbody])
        return [[td.children for td in tr.children] for tr in body.children]

    park_rows = targets("cell-eq", "park")
    names = [r[1] for r in park_rows]
    assert "Lithium carbonate" in names
    # Qinghai's salt lakes cover the cells' own lithium carbonate need
    assert "Lithium carbonate" not in [r[1] for r in targets("cell-eq", "province")]
    by_value = targets("value", "park")
    assert [r[1] for r in by_value] != names
    assert by_value[0][7].startswith("CNY")  # the score column: output value a year
    assert len(park_rows[0]) == 7  # no score column for the cell-eq ranking


def test_waterfall_uses_the_fan_charts_draws_and_is_cached(
    app: Dash, fresh_state: AppState, monkeypatch: pytest.MonkeyPatch
) -> None:
    import model.attribution
    from dashboard.pages import scenarios

    base, other = fresh_state.scenario("baseline"), fresh_state.scenario("sodium-flow")
    calls: list[int] = []
    real = model.attribution.waterfall

    def counting(*a: Any, **k: Any) -> dict[str, Any]:
        calls.append(k["draws"])
        return real(*a, **k)

    monkeypatch.setattr(model.attribution, "waterfall", counting)
    t0 = time.perf_counter()
    result = scenarios.waterfall_result(
        fresh_state, "baseline", "sodium-flow", "lfp_cell", "2030Q4", "nameplate"
    )
    elapsed = time.perf_counter() - t0
    assert calls == [base.draws]
    assert elapsed < 10  # about 0.3 s here; the page's budget is ~2 s
    # start and end are the means the fan charts show next to it
    for name, value in (("baseline", result["start"]), ("sodium-flow", result["end"])):
        sm = fresh_state.summary(fresh_state.scenario(name), scenarios.FAN_VARIABLES)
        mean = float(sm["nameplate"].sel(stage="lfp_cell", quarter="2030Q4", stat="mean"))
        assert value == pytest.approx(mean, rel=1e-9)
    again = scenarios.waterfall_result(
        fresh_state, "baseline", "sodium-flow", "lfp_cell", "2030Q4", "nameplate"
    )
    assert again is result
    assert calls == [base.draws]
    key = fresh_state.key(
        other,
        ("waterfall", base.content_hash(), "lfp_cell", "2030Q4", "nameplate", base.draws),
    )
    assert key in fresh_state.derived._data
    assert fresh_state.park.data_version in key


@pytest.mark.parametrize(
    "over",
    [
        {"wi-growth.value": 10_000},
        {"wi-growth.value": None},
        {"wi-util.value": "nonsense"},
        {"wi-base.value": "../../etc/passwd"},
        {"wi-projects.value": ["x"]},
        {"wi-ramp.value": "x"},
        {"wi-ramp.value": [0, 99]},
        {"wi-shape.value": 3},
        {"wi-base-auto.value": [], "wi-base-gwh.value": None},
        {"wi-base-auto.value": "auto", "wi-base-gwh.value": -1},
        {"wi-sd-signed.value": -4},
        {"wi-cap-var.value": {"x": 1}, "wi-growth.value": "abc"},
    ],
)
def test_bad_input_over_http_gives_a_message_not_a_traceback(
    app: Dash, state: AppState, over: dict[str, Any]
) -> None:
    client = app.server.test_client()
    body = update_body(
        app, "wi-fan-cap.figure", _whatif_values(app, state, **over), ["wi-growth.value"]
    )
    r = client.post("/_dash-update-component", json=body)
    assert r.status_code == 200
    text = json.dumps(r.get_json()["response"]["wi-message"], ensure_ascii=False)
    assert "pc-alert" in text
    assert "Traceback" not in text


def test_save_callback_over_http_keeps_titles_out_of_paths(
    app: Dash, state: AppState, scenarios_copy: Path
) -> None:
    client = app.server.test_client()
    scenario = state.scenario("baseline").with_changes(name="what-if", rationale="")
    values = {
        "wi-save.n_clicks": 1,
        "wi-name.value": "=HYPERLINK(1)",
        "wi-overwrite.value": [],
        "wi-scenario.data": scenario.model_dump_json(),
        "wi-base.value": "baseline",
        "lang.data": "en",
    }

    def post() -> Any:
        body = update_body(app, "wi-save-message.children", values, ["wi-save.n_clicks"])
        return client.post("/_dash-update-component", json=body)

    r = post()
    assert r.status_code == 200
    assert "formula" in json.dumps(r.get_json())
    values["wi-name.value"] = "../outside"  # a title, not a path: slugged inside the folder
    post()
    assert not (scenarios_copy.parent / "outside.toml").exists()
    assert (scenarios_copy / "outside.toml").exists()
    values["wi-name.value"] = "saved over http"
    values["wi-note.value"] = "growth at 20 %"
    # what the browser's store says of the note is not saved: the note box is
    values["wi-scenario.data"] = scenario.with_changes(rationale="smuggled").model_dump_json()
    r = post()
    assert (scenarios_copy / "saved-over-http.toml").exists()
    assert "saved-over-http.toml" in json.dumps(r.get_json(), ensure_ascii=False)
    # the start-scenario picker lists it next, titled in the page's language
    body = update_body(
        app, "wi-base.options", {"lang.data": "en", "wi-save-message.children": "saved"}
    )
    options = client.post("/_dash-update-component", json=body).get_json()["response"]
    assert "saved over http" in json.dumps(options["wi-base"]["options"])
    again = load_scenario("saved-over-http", scenarios_copy, park=state.park)
    assert again.rationale == "growth at 20 %"


@pytest.fixture(scope="module")
def export_page(app: Dash) -> Any:
    """The export page module (exists once an app has been made)."""
    from dashboard.pages import export

    return export


def exported(export_page: Any, state: AppState, fmt: str, **kw: Any) -> tuple[str, bytes]:
    """File name and bytes the export page sends for baseline and sodium-flow."""
    data = export_page.build_download(state, ["baseline", "sodium-flow"], fmt, "en", **kw)
    assert data["base64"]
    return data["filename"], base64.b64decode(data["content"])


def dated(stem: str, suffix: str) -> set[str]:
    """The file name ``<stem>-<yyyymmdd><suffix>`` as made today (or, around midnight, yesterday)."""
    days = {date.today(), date.today() - timedelta(days=1)}
    return {f"{stem}-{d:%Y%m%d}{suffix}" for d in days}


def test_export_csv_decodes_with_units(export_page: Any, state: AppState) -> None:
    name, content = exported(export_page, state, "csv")
    assert name in dated("parkcap-baseline-sodium-flow", ".csv")
    assert content.startswith("\ufeff".encode())
    df = pd.read_csv(io.BytesIO(content), encoding="utf-8-sig")
    assert {"scenario", "stage", "quarter", "variable", "unit", "p10", "p50", "p90", "mean"} <= set(
        df.columns
    )
    assert set(df["scenario"]) == {"baseline", "sodium-flow"}
    assert df["unit"].notna().all()
    sep = df[(df.stage == "separator") & (df.variable == "nameplate") & (df.quarter == "2030Q4")]
    assert list(sep["unit"].unique()) == ["m**2 / a"]
    expected = state.summary(state.scenario("baseline"))["nameplate"].sel(
        stage="separator", quarter="2030Q4", stat="p50"
    )
    got = sep[sep.scenario == "baseline"]["p50"].item()
    assert got == pytest.approx(float(expected), rel=1e-9)
    assert df["mean"].notna().all()


def test_export_xlsx_decodes_with_a_cover_sheet(export_page: Any, state: AppState) -> None:
    name, content = exported(export_page, state, "xlsx")
    assert name in dated("parkcap-baseline-sodium-flow", ".xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    try:
        assert wb.sheetnames[0] == t("cover_sheet", "en")
        assert {"baseline", "sodium-flow", t("gaps_sheet", "en")} <= set(wb.sheetnames)
        cover = wb[wb.sheetnames[0]]
        assert cover["A1"].value == t("export_title", "en")
        labels = {row[0] for row in cover.iter_rows(values_only=True)}
        assert t("scenarios", "en") in labels
    finally:
        wb.close()


def test_export_netcdf_decodes_with_units(
    export_page: Any, state: AppState, tmp_path: Path
) -> None:
    name, content = exported(export_page, state, "netcdf")  # summaries only by default
    assert name in dated("parkcap-baseline-sodium-flow", ".nc")
    path = tmp_path / name
    path.write_bytes(content)
    from model.export.netcdf import from_cf

    with xr.open_dataset(path, engine="h5netcdf") as raw:
        assert raw.attrs["Conventions"].startswith("CF-")  # the file is in the CF layout
        ds = from_cf(raw.load())  # and reads back into the simulator's layout
    assert list(ds["scenario"].values) == ["baseline", "sodium-flow"]
    assert "stat" in ds.dims
    assert "draw" not in ds.dims
    assert "unit" in ds.coords
    assert str(ds["unit"].sel(stage="separator").values) == "m**2 / a"
    assert ds["p_short"].attrs["units"] == "dimensionless"
    assert ds["gap_cell_gwh_eq"].attrs["units"]

    # every draw, of one year only
    _, content = exported(export_page, state, "netcdf", quarters="2030Q1:2030Q4", summary=False)
    path = tmp_path / "draws.nc"
    path.write_bytes(content)
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        ds.load()
    assert "draw" in ds.dims
    assert [str(x) for x in ds["quarter"].values] == ["2030Q1", "2030Q2", "2030Q3", "2030Q4"]


def test_export_iamc_decodes_with_dated_periods(export_page: Any, state: AppState) -> None:
    name, content = exported(export_page, state, "iamc", quarters="2026Q1:2026Q4")
    assert name in dated("parkcap-baseline-sodium-flow", "-iamc.csv")
    df = pd.read_csv(io.BytesIO(content))
    index = ["model", "scenario", "region", "variable", "unit"]
    assert list(df.columns[:5]) == index
    periods = pd.to_datetime(list(df.columns[5:]), format="%Y-%m-%d")
    assert [p.date() for p in periods] == [
        date(2026, 3, 31),
        date(2026, 6, 30),
        date(2026, 9, 30),
        date(2026, 12, 31),
    ]
    assert set(df["scenario"]) == {"baseline", "sodium-flow"}
    assert (df["variable"] == "Manufacturing Capacity|Cells|LFP").any()
    assert df["unit"].notna().all()


def test_export_bad_quarter_range_is_a_message(
    app: Dash, export_page: Any, state: AppState
) -> None:
    for bad, words in (("2030Q4:2024Q1", "ends before"), ("2040Q1:2041Q4", "no quarter")):
        with pytest.raises(DataError) as info:
            export_page.build_download(state, ["baseline"], "csv", "en", quarters=bad)
        assert words in str(info.value)
        assert info.value.problems[0].file == t("ui_export_quarters", "en")
    with app.server.test_request_context():
        data, message = export_page.download(1, ["baseline"], "xlsx", "2040Q1:2041Q4", [], "en")
    assert data is dash.no_update
    text = json.dumps(message.to_plotly_json(), default=str, ensure_ascii=False)
    assert "pc-alert" in text
    assert "Quarters" in text
    assert "no quarter" in text
    assert "Traceback" not in text


def test_export_callback_over_http(app: Dash) -> None:
    client = app.server.test_client()
    values = {
        "exp-button.n_clicks": 1,
        "exp-names.value": ["baseline", "sodium-flow"],
        "exp-format.value": "csv",
        "exp-quarters.value": "",
        "exp-summary.value": ["summary"],
        "lang.data": "zh",
    }
    r = client.post(
        "/_dash-update-component",
        json=update_body(app, "exp-download.data", values, ["exp-button.n_clicks"]),
    )
    data = r.get_json()["response"]["exp-download"]["data"]
    assert data["filename"] in dated("parkcap-baseline-sodium-flow", ".csv")
    assert data["base64"]
    values["exp-format.value"] = "pdf"
    r = client.post(
        "/_dash-update-component",
        json=update_body(app, "exp-download.data", values, ["exp-button.n_clicks"]),
    )
    assert "pc-alert" in json.dumps(r.get_json())
    values["exp-format.value"] = "iamc"
    values["exp-quarters.value"] = "2026Q9:2027Q1"
    r = client.post(
        "/_dash-update-component",
        json=update_body(app, "exp-download.data", values, ["exp-button.n_clicks"]),
    )
    body = json.dumps(r.get_json(), ensure_ascii=False)
    assert r.status_code == 200
    assert "pc-alert" in body
    assert "2026Q9" in body
    assert "Traceback" not in body
    assert "exp-download" not in r.get_json()["response"]


def test_export_summary_option_shown_for_netcdf_only(export_page: Any) -> None:
    assert export_page.show_summary_option("netcdf") == {}
    for fmt in ("csv", "xlsx", "iamc", "iamc-yearly", None, "pdf"):
        assert export_page.show_summary_option(fmt) == {"display": "none"}
    formats, summary = export_page.translate_options("en")
    assert [o["value"] for o in formats] == ["csv", "xlsx", "netcdf", "iamc", "iamc-yearly"]
    assert summary[0]["label"] == t("ui_export_summary", "en")


def test_page_is_self_contained_offline(app: Dash) -> None:
    client = app.server.test_client()
    html = client.get("/").get_data(as_text=True)
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert refs
    assert not [u for u in refs if u.startswith(("http:", "https:", "//"))]
    for u in refs:
        assert client.get(u).status_code == 200, u
    css = client.get("/assets/style.css").get_data(as_text=True)
    assert "Noto Sans CJK SC" in css
    assert "@import" not in css
    assert "url(" not in css


def test_language_callback(app: Dash) -> None:
    client = app.server.test_client()
    body = update_body(
        app,
        "lang.data",
        {"url.search": "?lang=en", "lang-toggle.n_clicks": 0, "lang.data": None},
        ["url.search"],
    )
    assert (
        client.post("/_dash-update-component", json=body).get_json()["response"]["lang"]["data"]
        == "en"
    )
    body = update_body(
        app,
        "lang.data",
        {"url.search": "", "lang-toggle.n_clicks": 1, "lang.data": "en"},
        ["lang-toggle.n_clicks"],
    )
    assert (
        client.post("/_dash-update-component", json=body).get_json()["response"]["lang"]["data"]
        == "zh"
    )


def test_two_apps_in_one_process_each_have_their_callbacks(app: Dash, tmp_path: Path) -> None:
    from dashboard import create_app

    other = create_app(scenarios_dir=Path(app.server.extensions["parkcap"].scenarios_dir))
    assert set(other.callback_map) == set(app.callback_map)
    assert other.server.extensions["parkcap"] is not app.server.extensions["parkcap"]


def test_serve_command_is_registered() -> None:
    from model.cli import build_parser

    args = build_parser().parse_args(["serve", "--scenarios", "x", "--port", "8123"])
    assert (args.host, args.port, args.debug, args.scenarios) == ("127.0.0.1", 8123, False, "x")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--port", "99999"])


def test_scenario_options_show_the_title_in_the_chosen_language(state: AppState) -> None:
    zh = {o["value"]: o["label"] for o in state.scenario_options("zh")}
    en = {o["value"]: o["label"] for o in state.scenario_options("en")}
    assert zh["baseline"] == "基准情景（baseline）"
    assert en["baseline"] == "Baseline (baseline)"
    assert zh["sodium-flow"].startswith("钠电/液流多元化（")
