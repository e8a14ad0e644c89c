"""The what-if page as plain functions: levers <-> URL query, refusals in both languages,
result cards that move the right way, saving under a title, the "as known on" date."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import dash
import numpy as np
import pytest
import xarray as xr
from dash import Dash

from dashboard.controls import (
    LIMITS,
    defaults,
    project_ids,
    scenario_from_controls,
)
from dashboard.protocol import update_body
from dashboard.scenario_save import check_text, file_stem, save_scenario, titled
from dashboard.state import AppState
from model.errors import DataError
from model.results import percentiles, summarize
from model.scenario import NAME_RE, load_scenario

LATIN = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(scope="module")
def page(app: Dash) -> Any:
    """The what-if page module (exists once an app has been made)."""
    from dashboard.pages import whatif

    return whatif


@pytest.fixture
def base_values(state: AppState) -> dict[str, Any]:
    return defaults(state.park, state.scenario("baseline"))


def _query(text: str) -> dict[str, Any]:
    """A query string as Dash passes it to a page layout (lists for repeated keys)."""
    parsed = parse_qs(text.lstrip("?"), keep_blank_values=True)
    return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


def _no_english(text: str) -> None:
    """Chinese text without English words (a quoted value the user sent and units aside)."""
    own = re.sub(r"“[^”]*”", "", text)
    words = [w for w in LATIN.findall(own) if w not in {"GWh", "MWh", "TOML"}]
    assert not words, f"English in the Chinese UI: {words} in {text!r}"


# ---------------------------------------------------------------------------
# levers <-> URL query
# ---------------------------------------------------------------------------
def test_levers_round_trip_through_the_url_query(
    state: AppState, base_values: dict[str, Any]
) -> None:
    from dashboard.whatif_link import query_from_values, values_from_query

    listed = project_ids(state.park, state.scenario("baseline"))
    values = copy.deepcopy(base_values)
    values["growth"] = 37
    values["mix"]["sodium_ion"] = 42.5
    values["util"] = [55, 85]
    values["ramp"] = [2, 9]
    values["p_complete"]["signed"] = 15
    values["delay_sd"]["construction"] = 3.5
    values["base_gwh"] = 12.25
    values["shape"] = "linear"
    values["intensity"] = "high"
    values["included"] = listed[1:]
    text = query_from_values(values, base_values, "baseline", listed, "lfp_cathode", "output")
    assert "growth=37" in text
    assert "na=42.5" in text
    assert f"drop={listed[0]}" in text
    again, view, refused = values_from_query(_query(text), base_values, listed, state.park.stages)
    assert refused == []
    assert view == {"stage": "lfp_cathode", "var": "output"}
    assert again == values
    # levers at the start scenario's values are left out: the link stays short
    plain = query_from_values(base_values, base_values, "baseline", listed)
    assert plain == "?base=baseline"
    assert values_from_query(_query(plain), base_values, listed)[0] == base_values


def test_the_address_follows_the_levers_and_keeps_its_language() -> None:
    from dashboard.whatif_link import address_query

    query = "?base=baseline&growth=30&drop=a,b"
    assert address_query(query, None) == query
    assert address_query(query, "") == query
    assert address_query(query, "?base=baseline") == query
    assert address_query(query, query) is None  # reads so already: no new history entry
    kept = address_query(query, "?lang=en&growth=10")
    assert kept == query + "&lang=en"
    assert address_query(query, kept) is None
    assert address_query(query, "?lang=../etc") == query  # not a language: dropped
    assert address_query("?base=baseline", "?lang=zh&lang=en") == "?base=baseline&lang=zh"


@pytest.mark.parametrize(
    ("query", "lever", "kind"),
    [
        ({"growth": "500"}, "growth", "range"),
        ({"growth": "-51"}, "growth", "range"),
        ({"na": "abc"}, "mix.sodium_ion", "number"),
        ({"na": "nan"}, "mix.sodium_ion", "number"),
        ({"p_signed": "1e9"}, "p_complete.signed", "range"),
        ({"util": "50"}, "util", "pair"),
        ({"util": "0-50"}, "util", "range"),
        ({"ramp": "1.5-3"}, "ramp", "whole"),
        ({"shape": "zigzag"}, "shape", "choice"),
        ({"int": "<script>"}, "intensity", "choice"),
        ({"drop": "no-such-project"}, "included", "project"),
        ({"growth": ["10", "20"]}, "growth", "repeated"),
        ({"growth": "9" * 500}, "growth", "too_long"),
    ],
)
def test_bad_link_values_are_refused_and_keep_the_start_value(
    app: Dash,
    page: Any,
    state: AppState,
    base_values: dict[str, Any],
    query: dict[str, Any],
    lever: str,
    kind: str,
) -> None:
    from dashboard.whatif_levers import lever_value
    from dashboard.whatif_link import link_refusals, values_from_query

    listed = project_ids(state.park, state.scenario("baseline"))
    values, _view, refused = values_from_query(
        {**query, "unknown_key": "1", "lang": "en"}, base_values, listed
    )
    assert [(k.split(":")[0], lv) for k, lv, _ in refused] == [(kind, lever)]
    assert lever_value(values, lever) == lever_value(base_values, lever)
    with app.server.test_request_context():
        zh = link_refusals([list(r) for r in refused], "zh")
        en = link_refusals([list(r) for r in refused], "en")
    assert len(zh) == len(en) == 1
    _no_english(zh[0])
    assert not re.search(r"[\u4e00-\u9fff]", en[0]), en[0]
    for text in (zh[0], en[0]):
        assert "Traceback" not in text
        assert "'" + "9" * 30 not in text  # a long value is never echoed in full


def test_out_of_range_typed_values_are_refused_not_clamped(state: AppState) -> None:
    from dashboard.whatif_levers import LEVERS_BY_ID, typed_value

    growth = LEVERS_BY_ID["wi-growth"]
    assert typed_value(growth, [250], "en") == 250
    for lang in ("zh", "en"):
        with pytest.raises(ValueError, match="500") as err:
            typed_value(growth, [500], lang)
        text = str(err.value)
        assert f"{LIMITS['growth'][1]:g}" in text  # says what is allowed
        assert text.count("。") + text.count(".") >= 1
        if lang == "zh":
            _no_english(text)
            assert "需求年增长率" in text
        else:
            assert "Demand growth" in text
    p = LEVERS_BY_ID["wi-p-signed"]
    with pytest.raises(ValueError, match="150"):
        typed_value(p, [150], "en", state.park)
    with pytest.raises(ValueError, match="not a number"):
        typed_value(p, ["x"], "en", state.park)
    ramp = LEVERS_BY_ID["wi-ramp"]
    assert typed_value(ramp, [9, 2], "en") == [2, 9]
    with pytest.raises(ValueError, match="whole"):
        typed_value(ramp, [2.5, 9], "en")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("growth", 1000),
        ("growth", "abc"),
        ("growth", None),
        ("mix.lfp", 101),
        ("util", "x"),
        ("ramp", [1.5, 3]),
        ("shape", "zigzag"),
        ("included", ["no-such-project"]),
        ("delay.reserve", -3),
    ],
)
def test_control_problems_are_one_sentence_in_the_page_language(
    state: AppState, base_values: dict[str, Any], path: str, value: Any
) -> None:
    values = copy.deepcopy(base_values)
    node = values
    keys = path.split(".")
    for k in keys[:-1]:
        node = node[k]
    node[keys[-1]] = value
    for lang in ("zh", "en"):
        with pytest.raises(DataError) as err:
            scenario_from_controls(state.park, state.scenario("baseline"), values, lang=lang)
        (problem,) = err.value.problems
        text = problem.expected
        assert "field" not in text
        assert "[" not in text  # no Python list repr
        assert "None" not in text
        if lang == "zh":
            _no_english(text)
        else:
            assert not re.search(r"[\u4e00-\u9fff]", text), text


def test_an_all_zero_mix_says_so_in_words(state: AppState, base_values: dict[str, Any]) -> None:
    values = copy.deepcopy(base_values)
    values["mix"] = dict.fromkeys(values["mix"], 0)
    with pytest.raises(DataError) as err:
        scenario_from_controls(state.park, state.scenario("baseline"), values, lang="zh")
    assert "技术结构" in err.value.problems[0].expected
    _no_english(err.value.problems[0].expected)


# ---------------------------------------------------------------------------
# result cards: the what-if against its start scenario
# ---------------------------------------------------------------------------
def _cards(state: AppState, values: dict[str, Any], stage: str, lang: str = "en") -> Any:
    from dashboard.whatif_view import compute

    out = compute(state, "baseline", values, stage, lang)
    return {c.key: c for c in out["cards"]}


def test_cards_equal_the_base_for_the_base_levers(
    state: AppState, base_values: dict[str, Any]
) -> None:
    cards = _cards(state, base_values, "lfp_cathode", "zh")
    assert set(cards) == {"lfp_output", "demand", "gap", "p_short", "market_gap"}
    for c in cards.values():
        assert c.arrow == ""
        assert c.versus in ("与基准相同", "")
        _no_english(c.label + c.value + c.versus)


def test_higher_growth_raises_the_market_gap_by_years_of_compounding(
    state: AppState, base_values: dict[str, Any]
) -> None:
    more = copy.deepcopy(base_values)
    more["growth"] = base_values["growth"] + 30
    cards = _cards(state, more, "storage_cabinet")
    market, output = cards["market_gap"], cards["lfp_output"]
    assert market.delta > 0
    assert market.arrow == "▲"
    assert market.versus.startswith("vs base ▲")
    assert "GWh/a" in market.versus
    assert output.delta >= 0  # the cells run near nameplate: more demand, not less output
    base = state.summary(state.scenario("baseline"), ("market_demand",))
    last = str(base["quarter"].values[-1])
    demand = float(base["market_demand"].sel(stage="storage_cabinet", quarter=last, stat="mean"))
    g0 = base_values["growth"] / 100
    factor = (1 + g0 + 0.3) / (1 + g0)
    # the market compounds 30 points faster for the projection's 6 to 7 years: between
    # 3 and 8 years of it on the base's market demand
    assert demand * (factor**3 - 1) < market.delta < demand * (factor**8 - 1)


def test_more_sodium_ion_means_less_lfp_cathode_demand(
    state: AppState, base_values: dict[str, Any]
) -> None:
    some, all_ = copy.deepcopy(base_values), copy.deepcopy(base_values)
    some["mix"]["sodium_ion"] = 40
    all_["mix"] = {"lfp": 0, "sodium_ion": 100, "vanadium_flow": 0, "gravity": 0}
    part = _cards(state, some, "lfp_cathode", "zh")["demand"]
    whole = _cards(state, all_, "lfp_cathode", "zh")["demand"]
    assert part.delta < 0
    assert part.arrow == "▼"
    assert part.versus.startswith("较基准 ▼")
    assert "吨/年" in part.versus
    # all new demand sodium-ion cuts more than 40 % of it does, and never more than the
    # whole demand (the cells already built keep taking cathode)
    assert whole.delta < part.delta
    base = state.summary(state.scenario("baseline"), ("demand",))
    last = str(base["quarter"].values[-1])
    level = float(base["demand"].sel(stage="lfp_cathode", quarter=last, stat="mean"))
    assert -level < whole.delta


def test_a_surplus_is_said_in_words_not_as_a_negative_gap(
    state: AppState, base_values: dict[str, Any]
) -> None:
    from dashboard.whatif_view import results

    res = results(state, state.scenario("baseline"))
    gaps = res["summary"]["gap"].sel(quarter=res["quarter"], stat="mean")
    stage = str(gaps["stage"].values[int(np.nanargmin(gaps.values))])
    assert float(gaps.sel(stage=stage)) < 0  # some stage has a surplus in the baseline
    zh = _cards(state, base_values, stage, "zh")["gap"].value
    en = _cards(state, base_values, stage, "en")["gap"].value
    assert zh.startswith("富余 ")
    assert "本地供给超过园区需求" in zh
    assert en.startswith("surplus ")
    assert "local supply exceeds the park's demand" in en
    assert "-" not in zh.split("：")[0]
    assert "–" not in en.split(":")[0]


def test_changing_the_stage_does_not_simulate_again(
    fresh_state: AppState, base_values: dict[str, Any]
) -> None:
    from dashboard.whatif_view import compute

    values = copy.deepcopy(base_values)
    values["growth"] = 41
    compute(fresh_state, "baseline", values, "storage_cabinet", "zh")
    misses = fresh_state.datasets.misses
    compute(fresh_state, "baseline", values, "lfp_cathode", "zh")
    compute(fresh_state, "baseline", values, "separator", "en", "output")
    assert fresh_state.datasets.misses == misses


def test_known_as_of_changes_what_the_page_starts_from(
    state: AppState, base_values: dict[str, Any]
) -> None:
    from dashboard.whatif_view import compute

    later = [r for r in state.park.capacity_records if r.recorded > date(2024, 7, 1)]
    if not later:
        pytest.skip("no capacity record was recorded after the date")
    stage = later[0].stage
    early = date(2024, 7, 1)
    old = state.known_on(early)
    assert old.park.data_version != state.park.data_version
    now = compute(state, "baseline", base_values, stage, "en")
    then = compute(old, "baseline", base_values, stage, "en", known_as_of=early)
    # the stage's capacity was not known then: less nameplate on the fan chart
    mean_now = np.nansum(np.asarray(now["fan_cap"]["data"][-1]["y"], dtype=float))
    mean_then = np.nansum(np.asarray(then["fan_cap"]["data"][-1]["y"], dtype=float))
    assert mean_then < mean_now


def test_the_worker_uses_the_park_as_known_on_the_date(state: AppState) -> None:
    from dashboard import workers

    park = workers.park_known_on(state.park, "2024-07-01")
    assert park.data_version == state.park.as_known_on(date(2024, 7, 1)).data_version
    assert workers.park_known_on(state.park, None) is state.park
    assert workers.park_known_on(state.park, "2024-07-01") is park  # kept


# ---------------------------------------------------------------------------
# summaries: the fast percentiles are numpy's
# ---------------------------------------------------------------------------
def test_fast_percentiles_equal_numpy_bit_for_bit(state: AppState) -> None:
    ds = state.dataset(state.scenario("baseline"))
    for var in ("nameplate", "output", "gap", "market_gap"):
        values = ds[var].values
        axis = ds[var].dims.index("draw")
        expected = np.percentile(values, [10, 50, 90], axis=axis)
        assert np.array_equal(percentiles(values, axis), expected, equal_nan=True), var
    rng = np.random.default_rng(3)
    odd = rng.normal(size=(7, 13, 2)).astype(np.float32)
    odd[2, 5, 1] = np.nan
    assert np.array_equal(
        percentiles(odd, 1), np.percentile(odd, [10, 50, 90], axis=1), equal_nan=True
    )
    sm = summarize(ds, variables=("gap",))
    assert isinstance(sm, xr.Dataset)
    assert sm["gap"].dtype == np.float64


# ---------------------------------------------------------------------------
# saving under a title
# ---------------------------------------------------------------------------
def test_file_names_derive_from_titles() -> None:
    assert file_stem("Sodium-ion share 30 %") == "sodium-ion-share-30"
    zh = file_stem("钠电份额提高")
    assert re.fullmatch(r"wi-[0-9a-f]{6}", zh)
    assert file_stem("钠电份额提高") == zh  # the same title, the same file
    assert file_stem("钠电份额降低") != zh
    mixed = file_stem("2030 钠电")
    assert mixed.startswith("2030-")
    for title in ("../../etc/passwd", "a" * 300, "  x  ", "C:\\evil", "钠"):
        assert NAME_RE.fullmatch(file_stem(title)), title


@pytest.mark.parametrize(
    ("title", "needle_zh", "needle_en"),
    [
        ("", "请填写标题", "enter a title"),
        ("=HYPERLINK(1)", "公式", "formula"),
        ("x" * 81, "80", "80"),
        ("a\x07b", "控制字符", "control characters"),
    ],
)
def test_bad_titles_are_refused_in_words(title: str, needle_zh: str, needle_en: str) -> None:
    with pytest.raises(ValueError, match=needle_zh) as err:
        check_text(title, "title", "zh", required=True)
    _no_english(str(err.value))
    with pytest.raises(ValueError, match=needle_en):
        check_text(title, "title", "en", required=True)


def test_a_chinese_title_and_note_are_saved_and_load_back(
    state: AppState, base_values: dict[str, Any], tmp_path: Path
) -> None:
    values = copy.deepcopy(base_values)
    values["growth"] = 28
    s = scenario_from_controls(state.park, state.scenario("baseline"), values)
    title = "钠电份额提高到三成"
    path = save_scenario(tmp_path, file_stem(title), titled(s, title, "招商会用"), park=state.park)
    again = load_scenario(path.stem, tmp_path, park=state.park)
    assert again.title_zh == title
    assert again.rationale == "招商会用"
    assert again.demand.growth == pytest.approx(0.28)
    with pytest.raises(DataError) as err:  # the overwrite rule stays
        save_scenario(tmp_path, file_stem(title), titled(s, title, ""), park=state.park)
    _no_english(err.value.problems[0].expected)


def _nodes(node: Any) -> list[Any]:
    """Every component in a layout tree, depth first."""
    if node is None or isinstance(node, str | int | float):
        return []
    if isinstance(node, list | tuple):
        return [c for n in node for c in _nodes(n)]
    return [node, *_nodes(getattr(node, "children", None))]


def _by_id(tree: Any) -> dict[str, Any]:
    """The components of a layout tree that have a plain string id, by id."""
    return {c.id: c for c in _nodes(tree) if isinstance(getattr(c, "id", None), str)}


def _texts(tree: Any) -> list[str]:
    """Every text in a layout tree: children strings, labels, placeholders."""
    out = []
    for c in _nodes(tree):
        out += [
            v
            for v in (getattr(c, "children", None), getattr(c, "placeholder", None))
            if isinstance(v, str)
        ]
        out += [o["label"] for o in getattr(c, "options", None) or [] if isinstance(o, dict)]
    return out


def test_the_layout_takes_the_levers_of_a_link(app: Dash, page: Any) -> None:
    with app.server.test_request_context():
        tree = page.layout(base="baseline", growth="45", na="30", util="50-80", shape="bogus")
        broken = page.layout(base="../etc/passwd", growth="1e999")
    found = _by_id(tree)
    assert found["wi-growth"].value == 45
    assert found["wi-growth-num"].value == 45
    assert found["wi-mix-sodium_ion-num"].value == 30
    assert found["wi-util-lo"].value == 50
    assert found["wi-util-hi"].value == 80
    assert found["wi-shape"].value == "s_curve"  # refused: the start scenario's
    assert [r[:2] for r in found["wi-url-refused"].data] == [
        ["choice:s_curve,linear,instant", "shape"]
    ]
    for ident in ("wi-growth-reset", "wi-p-signed", "wi-d-signed", "wi-growth-msg"):
        assert ident in found, ident
    # the status levers' table stays folded (built when opened) unless the link changed one
    assert found["wi-status-fold"].open is False
    assert "wi-p-signed-num" not in found
    found.clear()
    with app.server.test_request_context():
        found = _by_id(page.layout(base="baseline", p_signed="35"))
    assert found["wi-status-fold"].open is True
    assert found["wi-p-signed"].value == 35
    assert found["wi-p-signed-num"].value == 35
    assert found["wi-d-signed-num"].value == found["wi-d-signed"].value
    found.clear()
    found = _by_id(broken)
    kinds = [r[0] for r in found["wi-url-refused"].data]
    assert kinds == ["base", "number"]
    assert found["wi-base"].value == "baseline"


def test_a_lever_box_sets_its_slider_or_is_refused_under_the_field(app: Dash, page: Any) -> None:
    import dash

    from dashboard.whatif_sync import sync_lever

    keep = dash.no_update
    with app.server.test_request_context():
        # typed 45: the slider takes it, no message
        assert sync_lever("wi-growth", "wi-growth-num", 20, [45], "baseline", "en") == (
            45,
            keep,
            None,
        )
        # typed 500: refused, the slider keeps 20 (nothing clamped), a sentence in Chinese
        value, box, msg = sync_lever("wi-growth", "wi-growth-num", 20, [500], "baseline", "zh")
        assert (value, box) == (keep, keep)
        text = json.dumps(msg.to_plotly_json(), default=str, ensure_ascii=False)
        assert "500" in text
        assert "超出范围" in text
        # the slider moved: the box follows
        assert sync_lever("wi-growth", "wi-growth", 33, [20], "baseline", "en") == (
            keep,
            33,
            None,
        )
        # a range: two boxes, kept in order
        assert sync_lever("wi-util", "wi-util-hi", [50, 90], [60, 40], "baseline", "en")[0] == [
            40,
            60,
        ]
        # reset: the start scenario's value in the slider and the box
        start = sync_lever("wi-growth", "wi-growth-reset", 80, [80], "baseline", "en")
        assert start == (20, 20, None)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_failed_update_greys_out_the_charts_and_says_why_in_one_language(
    app: Dash, state: AppState, lang: str
) -> None:
    from dashboard.protocol import update_body
    from dashboard.whatif_levers import CONTROL_IDS, args_from_values

    v = defaults(state.park, state.scenario("baseline"))
    values = {f"{i}.value": a for i, a in zip(CONTROL_IDS, args_from_values(v), strict=True)}
    values.update(
        {
            "wi-stage.value": "storage_cabinet",
            "wi-cap-var.value": "nameplate",
            "lang.data": lang,
            "wi-base.value": "baseline",
            "known-as-of.data": None,
            "wi-mix-lfp.value": 0,  # with the other shares at 0: no technology at all
        }
    )
    body = update_body(app, "wi-fan-cap.figure", values, ["wi-mix-lfp.value"])
    resp = app.server.test_client().post("/_dash-update-component", json=body).get_json()
    out = resp["response"]
    assert out["wi-results"]["className"] == "wi-results wi-stale"
    assert "wi-fan-cap" not in out  # the last charts stay, greyed out
    text = json.dumps(out["wi-message"], ensure_ascii=False)
    assert ("技术结构" in text) if lang == "zh" else ("Technology mix" in text)
    if lang == "zh":
        lines = re.findall(r'"children": "([^"]+)"', text)
        for line in lines:
            _no_english(line)
    values["wi-mix-lfp.value"] = 100
    body = update_body(app, "wi-fan-cap.figure", values, ["wi-mix-lfp.value"])
    out = app.server.test_client().post("/_dash-update-component", json=body).get_json()
    assert out["response"]["wi-results"]["className"] == "wi-results"
    assert out["response"]["wi-url"]["search"] == "?base=baseline"


def test_a_worker_process_simulates_the_park_as_known_on_the_date(state: AppState) -> None:
    from dashboard import workers

    base = state.scenario("baseline")
    values = defaults(state.park, base)
    values["growth"] = 31
    scenario = scenario_from_controls(state.park, base, values)
    day = date(2024, 7, 1)
    pool = workers.Workers(state.park)
    try:
        if not pool.start(("simulate",)):
            pytest.skip("the data changed on disk while the tests ran")
        got = pool.run(
            "simulate", workers.whatif_page, scenario.model_dump(mode="json"), "2024-07-01"
        )
        now = pool.run("simulate", workers.whatif_page, scenario.model_dump(mode="json"), None)
    finally:
        pool.close()
    old = state.park.as_known_on(day)
    here = workers.page_results(old, scenario, state.known_on(day).dataset(scenario))
    assert got["summary"].equals(here["summary"])
    assert got["tables"] == here["tables"]
    later = {r.stage for r in state.park.capacity_records if r.recorded > day}
    if later:
        stage = sorted(later)[0]
        q = got["quarter"]
        then_np = float(got["summary"]["nameplate"].sel(stage=stage, quarter=q, stat="mean"))
        now_np = float(now["summary"]["nameplate"].sel(stage=stage, quarter=q, stat="mean"))
        assert then_np < now_np


def test_the_save_box_follows_the_language(app: Dash) -> None:
    from dashboard.whatif_save import follow_language, save_fields

    assert follow_language("en", "已保存为 a.toml") is None  # said in the old language: goes
    assert follow_language("en") is dash.no_update  # nothing to clear: nothing written
    with app.server.test_request_context():
        zh, en = save_fields("zh"), save_fields("en", "招商 case", "a note", ["yes"])
    assert any("例如" in text for text in _texts(zh))
    assert any("e.g." in text for text in _texts(en))
    assert not any(
        re.search(r"[\u4e00-\u9fff]", text) for text in _texts(en) if text != "招商 case"
    )
    # built again in another language, the boxes keep what was typed, and show the file
    found = _by_id(en)
    assert found["wi-name"].value == "招商 case"
    assert found["wi-name"].placeholder.startswith("e.g.")
    assert found["wi-note"].value == "a note"
    assert found["wi-overwrite"].value == ["yes"]
    assert ".toml" in str(found["wi-file-name"].children)


def test_the_status_table_is_built_when_first_opened_with_the_values_held(
    app: Dash, page: Any
) -> None:
    from dashboard.whatif_widgets import STATUS_IDS
    from tests.dashboard.test_layout import walk

    held = [{"wi-p-signed": 35, "wi-d-signed": 4.5}.get(i, 1) for i in STATUS_IDS]
    with app.server.test_request_context():
        assert page.fill_status(None, None, "en", *held) is dash.no_update  # not opened
        table = page.fill_status(1, None, "en", *held)
        assert page.fill_status(2, table, "en", *held) is dash.no_update  # built once
    found = {n.id: n for n, _ in walk(table) if isinstance(getattr(n, "id", None), str)}
    assert found["wi-p-signed-num"].value == 35
    assert found["wi-d-signed-num"].value == 4.5
    assert found["wi-sd-shelved-num"].value == 1
    assert "Signed" in str(found["wi-status-name-signed"].children)
    assert sum(1 for i in found if i.endswith("-reset")) == len(STATUS_IDS)


def test_the_save_boxes_are_built_when_opened_and_again_on_a_switch(app: Dash) -> None:
    client = app.server.test_client()

    def call(changed: str, box: Any, title: Any = None) -> str | None:
        """The boxes built (as JSON text), or ``None`` when nothing is built."""
        values = {
            "wi-save-fold.n_clicks": 1,
            "lang.data": "en",
            "wi-save-box.children": box,
            "wi-name.value": title,
            "wi-note.value": None,
            "wi-overwrite.value": None,
        }
        body = update_body(app, "wi-save-box.children", values, [changed])
        resp = client.post("/_dash-update-component", json=body)
        assert resp.status_code in (200, 204)
        out = resp.get_json()["response"] if resp.status_code == 200 else {}
        return json.dumps(out["wi-save-box"], ensure_ascii=False) if out else None

    text = call("wi-save-fold.n_clicks", None)  # first opened: built, in English
    assert text is not None
    assert "wi-name" in text
    assert "e.g." in text
    assert call("wi-save-fold.n_clicks", "built") is None  # closed and opened again
    assert call("lang.data", None) is None  # a switch before it was ever opened
    text = call("lang.data", "built", title="Sodium case")  # built anew, what was typed kept
    assert text is not None
    assert "Sodium case" in text
    assert "sodium-case.toml" in text
