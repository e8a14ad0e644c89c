"""The sensitivity page (敏感性): figure and sentence builders, input checks, the callbacks.

The builders are tested on dicts of the shape :func:`model.sensitivity.sobol_indices`
returns, written here (test data, with the model's factor ids and names); the callbacks
over HTTP on the app; the real analysis with the smallest sample offered.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from dash import Dash

from dashboard.guards import Rejected
from dashboard.protocol import update_body
from dashboard.sensitivity_view import (
    DRAWN_MIN,
    N_CHOICES,
    by_total,
    check_n,
    check_quarter,
    drawn_factors,
    driver_sentence,
    indices_figure,
    is_constant,
    parse_result,
    stage_entry,
    wrap,
)
from dashboard.state import AppState
from model.catalogue import t
from model.sensitivity import factor_label

LABELS = ["2024Q3", "2024Q4", "2030Q4", "2035Q4"]


def factor(name: str, s1: float, s1c: float, st: float, stc: float) -> dict[str, Any]:
    return {"factor": name, "S1": s1, "S1_conf": s1c, "ST": st, "ST_conf": stc}


@pytest.fixture
def result() -> dict[str, Any]:
    """Indices of two stages, factors deliberately not in ST order."""
    return {
        "scenario": "baseline",
        "quarter": "2030Q4",
        "n": 64,
        "stages": [
            {
                "stage": "separator",
                "unit": "m**2",
                "factors": [
                    factor("utilisation:lithium", 0.10, 0.03, 0.21, 0.04),
                    factor("demand_growth", 0.55, 0.08, 0.62, 0.09),
                    factor("ramp", 0.01, 0.01, 0.02, 0.01),
                    factor("intensity:lithium", 0.08, 0.02, 0.13, 0.05),
                ],
            },
            {
                "stage": "separator",
                "variable": "market_gap",
                "unit": "m**2",
                "factors": [factor("demand_growth", 0.9, 0.05, 0.95, 0.04)],
            },
            {
                "stage": "lfp_cell",
                "variable": "gap",
                "unit": "GWh",
                "factors": [factor("demand_growth", 0.0, 0.0, 0.0, 0.0)],
            },
        ],
        "constant": ["lipf6:gap"],
        "absent": ["technology_mix"],
    }


@pytest.fixture(scope="module")
def labels(state: AppState) -> dict[str, dict[str, str]]:
    """Factor names as the page makes them, per language."""
    ids = ["utilisation:lithium", "demand_growth", "ramp", "intensity:lithium"]
    return {lang: {f: factor_label(f, lang, state.park) for f in ids} for lang in ("zh", "en")}


# ---------------------------------------------------------------------------
# the figure
# ---------------------------------------------------------------------------
def test_bars_are_sorted_by_total_index_with_the_largest_on_top(
    result: dict[str, Any], labels: dict[str, dict[str, str]]
) -> None:
    entry = stage_entry(result, "separator", "gap")
    assert entry is not None
    fig = indices_figure(entry, labels["zh"], "隔膜", "2030Q4", "gap", "zh")
    s1, st = fig.data
    assert s1.orientation == st.orientation == "h"
    # plotly draws the first category at the bottom: the list ends with the largest ST
    assert list(st.x) == sorted(st.x)
    assert st.y[-1] == labels["zh"]["demand_growth"] == "储能需求增速"
    assert st.y[0] == labels["zh"]["ramp"]
    assert list(st.x)[-1] == pytest.approx(0.62)
    assert list(s1.y) == list(st.y)


def test_error_bars_are_the_confidence_values(
    result: dict[str, Any], labels: dict[str, dict[str, str]]
) -> None:
    entry = stage_entry(result, "separator", "gap")
    assert entry is not None
    fig = indices_figure(entry, labels["en"], "Separator", "2030Q4", "gap", "en")
    s1, st = fig.data
    by_name = {f["factor"]: f for f in entry["factors"]}
    order = [f["factor"] for f in by_total(entry["factors"])][::-1]
    assert list(st.error_x.array) == [by_name[f]["ST_conf"] for f in order]
    assert list(s1.error_x.array) == [by_name[f]["S1_conf"] for f in order]
    assert list(s1.x) == [by_name[f]["S1"] for f in order]
    assert st.error_x.visible
    assert s1.error_x.visible
    assert "Separator" in fig.layout.title.text
    assert "2030Q4" in fig.layout.title.text


def test_the_market_gap_is_a_separate_entry(result: dict[str, Any]) -> None:
    gap = stage_entry(result, "separator", "gap")
    market = stage_entry(result, "separator", "market_gap")
    assert gap is not None
    assert market is not None
    assert gap is not market
    assert [f["factor"] for f in market["factors"]] == ["demand_growth"]
    assert stage_entry(result, "lfp_cell", "market_gap") is None
    assert is_constant(result, "lipf6", "gap")
    assert not is_constant(result, "separator", "gap")


# ---------------------------------------------------------------------------
# the sentence
# ---------------------------------------------------------------------------
def test_sentence_names_the_top_driver_in_both_languages(
    result: dict[str, Any], labels: dict[str, dict[str, str]]
) -> None:
    entry = stage_entry(result, "separator", "gap")
    assert entry is not None
    zh = driver_sentence(entry, labels["zh"], "隔膜", "2030Q4", "gap", "zh")
    en = driver_sentence(entry, labels["en"], "Separator", "2030Q4", "gap", "en")
    top_zh, top_en = labels["zh"]["demand_growth"], labels["en"]["demand_growth"]
    assert zh.startswith("2030Q4 隔膜供应链缺口的主要驱动因素是" + top_zh + "（总效应 0.62）")
    assert "其次是" in zh
    assert labels["zh"]["utilisation:lithium"] in zh
    assert en.startswith("The supply-chain gap of Separator in 2030Q4 is driven mostly by")
    assert top_en in en
    assert "(total index 0.62)" in en
    assert ", then " in en
    # the second and third drivers, in order; a factor below 0.05 is not named
    second, third = labels["en"]["utilisation:lithium"], labels["en"]["intensity:lithium"]
    assert en.index(second) < en.index(third)
    assert labels["en"]["ramp"] not in en
    # one sentence each
    assert zh.count("。") == 1
    assert zh.endswith("。")
    assert en.count(". ") == 0
    assert en.endswith(".")


def test_chinese_sentence_has_no_english(
    result: dict[str, Any], labels: dict[str, dict[str, str]]
) -> None:
    for variable in ("gap", "market_gap"):
        entry = stage_entry(result, "separator", variable)
        assert entry is not None
        zh = driver_sentence(entry, labels["zh"], "隔膜", "2030Q4", variable, "zh")
        assert not re.search(r"[A-Za-z]{2,}", zh.replace("2030Q4", "")), zh


def test_a_gap_without_spread_says_so(
    result: dict[str, Any], labels: dict[str, dict[str, str]]
) -> None:
    entry = stage_entry(result, "lfp_cell", "gap")
    assert entry is not None
    zh = driver_sentence(entry, labels["zh"], "磷酸铁锂电芯", "2030Q4", "gap", "zh")
    en = driver_sentence(entry, labels["en"], "LFP cells", "2030Q4", "gap", "en")
    assert "没有波动" in zh
    assert "does not vary" in en
    assert "主要驱动因素" not in zh


def test_the_top_driver_follows_the_indices(
    result: dict[str, Any], labels: dict[str, dict[str, str]]
) -> None:
    entry = stage_entry(result, "separator", "gap")
    assert entry is not None
    entry["factors"][0]["ST"] = 0.9  # utilisation now drives the gap most
    en = driver_sentence(entry, labels["en"], "Separator", "2030Q4", "gap", "en")
    assert f"mostly by {labels['en']['utilisation:lithium']} (total index 0.90)" in en


# ---------------------------------------------------------------------------
# checks of what the browser sends
# ---------------------------------------------------------------------------
def test_quarter_check_names_value_and_range() -> None:
    assert check_quarter("2030Q4", LABELS) == "2030Q4"
    with pytest.raises(Rejected) as bad:
        check_quarter("2099Q1", LABELS)
    for lang in ("zh", "en"):
        text = bad.value.message(lang)
        assert "2099Q1" in text
        assert "2024Q3" in text
        assert "2035Q4" in text
    with pytest.raises(Rejected) as odd:
        check_quarter("../../etc/passwd", LABELS)
    assert "passwd" not in odd.value.message("en")
    assert "2030Q4" in odd.value.message("en")
    with pytest.raises(Rejected):
        check_quarter(["2030Q4"], LABELS)


def test_sample_size_check() -> None:
    assert check_n(N_CHOICES[0]) == N_CHOICES[0]
    for bad in (10**9, "64", True, None, 63):
        with pytest.raises(Rejected) as exc:
            check_n(bad)
        assert str(N_CHOICES[-1]) in exc.value.message("zh")


def test_a_forged_store_is_refused(result: dict[str, Any]) -> None:
    assert parse_result(result)["stages"][0]["factors"][1]["ST"] == 0.62
    for bad in (
        None,
        "x",
        {"stages": "x"},
        {"stages": [{"stage": 1, "factors": []}]},
        {"stages": [{"stage": "separator", "variable": "nameplate", "factors": []}]},
        {"stages": [{"stage": "separator", "factors": [{"factor": "a", "ST": "0.5"}]}]},
    ):
        with pytest.raises(Rejected):
            parse_result(bad)


# ---------------------------------------------------------------------------
# the callbacks over HTTP
# ---------------------------------------------------------------------------
def _plan_values(**over: Any) -> dict[str, Any]:
    values = {
        "sp-run.n_clicks": 1,
        "sp-scenario.value": "baseline",
        "sp-quarter.value": "2030Q4",
        "sp-n.value": N_CHOICES[0],
        "known-as-of.data": None,
        "lang.data": "en",
    }
    values.update(over)
    return values


def _post(app: Dash, output: str, values: dict[str, Any], changed: list[str]) -> dict[str, Any]:
    client = app.server.test_client()
    r = client.post("/_dash-update-component", json=update_body(app, output, values, changed))
    assert r.status_code == 200
    return r.get_json()["response"]


@pytest.mark.parametrize(
    ("over", "lang", "expected"),
    [
        ({"sp-scenario.value": "../../etc/passwd"}, "en", "unknown scenario"),
        ({"sp-scenario.value": "nope"}, "zh", "未知情景"),
        ({"sp-quarter.value": "2099Q1"}, "en", "Quarter “2099Q1” is outside"),
        ({"sp-quarter.value": "2099Q1"}, "zh", "季度“2099Q1”不在该情景的预测期内"),
        ({"sp-quarter.value": {"x": 1}}, "en", "not a quarter"),
        ({"sp-n.value": 5000000}, "en", "sample size must be one of"),
    ],
)
def test_plan_refuses_bad_input_with_one_sentence(
    app: Dash, over: dict[str, Any], lang: str, expected: str
) -> None:
    resp = _post(
        app, "sp-request.data", _plan_values(**over, **{"lang.data": lang}), ["sp-run.n_clicks"]
    )
    text = json.dumps(resp["sp-message"], ensure_ascii=False)
    assert "pc-alert" in text
    assert expected in text
    assert "Traceback" not in text
    assert "/etc" not in text
    assert "sp-request" not in resp  # nothing is run


def test_plan_asks_for_a_run_only_when_run_is_pressed(app: Dash) -> None:
    resp = _post(
        app, "sp-request.data", _plan_values(**{"sp-n.value": N_CHOICES[-1]}), ["sp-run.n_clicks"]
    )
    request = resp["sp-request"]["data"]
    assert request["scenario"] == "baseline"
    assert request["quarter"] == "2030Q4"
    assert request["n"] == N_CHOICES[-1]
    # moving a control does not start anything: it says how to start
    resp = _post(
        app, "sp-request.data", _plan_values(**{"sp-n.value": N_CHOICES[-1]}), ["sp-n.value"]
    )
    assert "sp-request" not in resp
    assert "Run the analysis" in json.dumps(resp["sp-message"], ensure_ascii=False)


def test_render_draws_the_chosen_stage_from_the_store(app: Dash, result: dict[str, Any]) -> None:
    values = {
        "sp-result.data": result,
        "sp-stage.value": "separator",
        "sp-variable.value": "gap",
        "lang.data": "zh",
    }
    resp = _post(app, "sp-graph.figure", values, ["sp-result.data"])
    assert resp["sp-graph-box"]["hidden"] is False
    assert "主要驱动因素" in resp["sp-sentence"]["children"]
    assert len(resp["sp-graph"]["figure"]["data"]) == 2
    # a forged store gives a message, not a traceback
    values["sp-result.data"] = {"stages": [{"stage": "separator", "factors": "rm -rf"}]}
    resp = _post(app, "sp-graph.figure", values, ["sp-result.data"])
    assert resp["sp-graph-box"]["hidden"] is True
    assert "pc-alert" in json.dumps(resp["sp-sentence"], ensure_ascii=False)


# ---------------------------------------------------------------------------
# the real analysis, once it exists
# ---------------------------------------------------------------------------
def test_a_small_run_gives_indices_for_the_chosen_stage(app: Dash, state: AppState) -> None:
    from dashboard import sensitivity_jobs
    from dashboard.pages import sensitivity

    seen: list[tuple[int, int]] = []
    with app.server.test_request_context():
        # a quarter no other test asks for: its result is not kept yet
        scenario, quarter, n = sensitivity.checked(state, "baseline", "2030Q3", N_CHOICES[0])
        key = sensitivity_jobs.result_key(state, scenario, quarter, n)
        assert sensitivity_jobs.cached_result(key) is None
        out = sensitivity_jobs.compute(
            state, scenario, quarter, n, lambda d, t: seen.append((d, t))
        )
        assert sensitivity_jobs.cached_result(key) == out  # kept for the next visit
        again = sensitivity_jobs.compute(
            state, scenario, quarter, n, lambda d, t: seen.append((0, 0))
        )
    assert again == out
    parsed = parse_result(json.loads(json.dumps(out)))  # through the store's JSON
    entry = stage_entry(parsed, "separator", "gap")
    assert entry is not None
    assert entry["factors"]
    assert seen
    assert seen[-1][0] == seen[-1][1] > 0  # progress reached its total; the cache ran nothing
    assert (0, 0) not in seen
    top = by_total(entry["factors"])[0]
    assert 0.1 < top["ST"] <= 1.2
    for f in entry["factors"]:
        assert f["S1"] <= f["ST"] + f["S1_conf"] + f["ST_conf"]
    # the page's sentence names that factor in both languages
    for lang in ("zh", "en"):
        name = state.park.stages["separator"].name(lang)
        names = {f["factor"]: factor_label(f["factor"], lang, state.park) for f in entry["factors"]}
        text = driver_sentence(entry, names, name, quarter, "gap", lang)
        assert names[top["factor"]] in text


def test_factors_that_explain_almost_nothing_are_not_drawn(
    result: dict[str, Any], labels: dict[str, dict[str, str]]
) -> None:
    entry = stage_entry(result, "separator", "gap")
    assert entry is not None
    entry["factors"] += [factor(f"x{k}", 0.0, 0.001, 0.004, 0.002) for k in range(6)]
    drawn, hidden = drawn_factors(entry)
    assert hidden == 6
    assert [f["factor"] for f in drawn][0] == "demand_growth"
    fig = indices_figure(entry, labels["en"], "Separator", "2030Q4", "gap", "en")
    assert len(fig.data[1].y) == 4
    # at least three are drawn, however small
    tiny = {"factors": [factor(f"y{k}", 0.0, 0.0, 0.001 * k, 0.0) for k in range(5)]}
    assert [f["factor"] for f in drawn_factors(tiny)[0]] == ["y4", "y3", "y2"]


def _indices(app: Dash, state: AppState, quarter: str, n: int) -> dict[str, Any]:
    from dashboard import sensitivity_jobs
    from dashboard.pages import sensitivity

    with app.server.test_request_context():
        scenario, label, size = sensitivity.checked(state, "baseline", quarter, n)
        return parse_result(sensitivity_jobs.compute(state, scenario, label, size))


def _st(result: dict[str, Any], stage: str, variable: str) -> dict[str, float]:
    entry = stage_entry(result, stage, variable)
    assert entry is not None
    return {f["factor"]: f["ST"] for f in entry["factors"]}


def test_a_larger_sample_narrows_the_intervals(app: Dash, state: AppState) -> None:
    """Four times the sample halves the intervals (they shrink as 1/sqrt(n))."""
    small, large = (_indices(app, state, "2030Q4", n) for n in (256, 1024))

    def mean_conf(result: dict[str, Any]) -> float:
        confs = [
            f["ST_conf"] for e in result["stages"] for f in e["factors"] if f["ST"] >= DRAWN_MIN
        ]
        return sum(confs) / len(confs)

    ratio = mean_conf(large) / mean_conf(small)
    assert 0.3 < ratio < 0.75, ratio
    # and the answer itself stays: the same top driver of the separator gap
    before, after = _st(small, "separator", "gap"), _st(large, "separator", "gap")
    assert max(before, key=before.get) == max(after, key=after.get)


def test_growth_drives_the_cell_market_gap_more_the_further_out(app: Dash, state: AppState) -> None:
    """Near the start, the cells' market gap hangs on today's utilisation; by 2030 demand
    growth has compounded and takes over (baseline: growth's total index about 0.24 in
    2025Q4 against 0.88 in 2030Q4; start utilisation 0.50 against 0.12)."""
    near, far = (
        _st(_indices(app, state, q, 256), "lfp_cell", "market_gap") for q in ("2025Q4", "2030Q4")
    )
    growth = ("demand_growth", "power_growth")
    assert sum(far[f] for f in growth) > sum(near[f] for f in growth) + 0.3
    assert near["start_utilisation"] > far["start_utilisation"] + 0.2
    # the page's answer for the stage and gap chosen differs with the quarter
    assert max(near, key=near.get) == "start_utilisation"
    assert max(far, key=far.get) == "power_growth"


def test_stage_and_gap_choices_change_the_chart(app: Dash, state: AppState) -> None:
    result = _indices(app, state, "2030Q4", 256)
    shown = {}
    for stage, variable in (
        ("separator", "gap"),
        ("lfp_cathode", "gap"),
        ("lfp_cell", "market_gap"),
    ):
        values = {
            "sp-result.data": result,
            "sp-stage.value": stage,
            "sp-variable.value": variable,
            "lang.data": "en",
        }
        resp = _post(app, "sp-graph.figure", values, ["sp-stage.value"])
        title = resp["sp-graph"]["figure"]["layout"]["title"]["text"].replace("<br>", " ")
        assert state.park.stages[stage].name("en") in title
        top = resp["sp-graph"]["figure"]["data"][1]["y"][-1]  # the top driver
        shown[(stage, variable)] = top.replace("<br>", " ")
    assert shown[("separator", "gap")] == factor_label("intensity:lithium", "en", state.park)
    assert shown[("lfp_cathode", "gap")] == factor_label("utilisation:lithium", "en", state.park)
    assert shown[("lfp_cell", "market_gap")] == factor_label("power_growth", "en", state.park)


# ---------------------------------------------------------------------------
# the background job over HTTP, behind the access token
# ---------------------------------------------------------------------------
TOKEN = "sensitivity-test-token-0123456789"


def _run_body(app: Dash, request: Any) -> dict[str, Any]:
    """The body the page sends to start (and poll) the background run."""
    key = next(k for k, v in app.callback_map.items() if v.get("background"))
    return {
        "output": key,
        "outputs": [
            {"id": "sp-result", "property": "data"},
            {"id": "sp-message", "property": "children"},
        ],
        "inputs": [{"id": "sp-request", "property": "data", "value": request}],
        "changedPropIds": ["sp-request.data"],
        "state": [{"id": "lang", "property": "data", "value": "zh"}],
    }


def _run_over_http(app: Dash, request: Any) -> tuple[dict[str, Any], list[Any]]:
    """Start the run as the browser does, poll it to the end: (response, progress seen)."""
    from urllib.parse import quote

    client = app.server.test_client()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    page = client.get("/", headers=auth).get_data(as_text=True)
    config = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', page)
    assert config is not None
    end_id = quote(json.loads(config.group(1))["end_id"])
    body = _run_body(app, request)
    started = client.post(f"/_dash-update-component?endId={end_id}", json=body, headers=auth)
    assert started.status_code == 200
    assert "script-src 'self'" in started.headers["Content-Security-Policy"]
    handles = started.get_json()
    assert set(handles) >= {"cacheKey", "job"}
    url = (
        f"/_dash-update-component?endId={end_id}"
        f"&cacheKey={quote(handles['cacheKey'])}&job={quote(handles['job'])}"
    )
    progress = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        polled = client.post(url, json=body, headers=auth)
        assert polled.status_code == 200
        data = polled.get_json()
        if "progress" in data:
            progress.append(data["progress"])
        if "response" in data:
            return data["response"], progress
        time.sleep(0.2)
    raise AssertionError("the background run did not finish")


def test_the_background_run_works_behind_the_token(scenarios_copy: Path) -> None:
    from dashboard import create_app

    app = create_app(scenarios_dir=scenarios_copy, token=TOKEN)
    client = app.server.test_client()
    refused = client.post("/_dash-update-component", json=_run_body(app, {"scenario": "baseline"}))
    assert refused.status_code == 401  # no token: nothing starts

    request = {"scenario": "baseline", "quarter": "2030Q4", "n": 256, "known": None, "clicks": 1}
    response, progress = _run_over_http(app, request)
    result = parse_result(response["sp-result"]["data"])
    assert result["quarter"] == "2030Q4"
    assert stage_entry(result, "separator", "gap") is not None
    assert progress  # the bar was fed: (done, total, per cent) in the page's outputs
    assert progress[-1]["sp-progress.max"] == str(result["runs"])

    # a forged request is refused by the job with one sentence, in the page's language
    forged = {**request, "scenario": "../../etc/passwd"}
    response, _ = _run_over_http(app, forged)
    text = json.dumps(response["sp-message"], ensure_ascii=False)
    assert "未知情景" in text
    assert "passwd" not in text


def test_long_names_are_broken_over_lines() -> None:
    assert wrap("单耗（锂电）", 16) == "单耗（锂电）"
    assert wrap("Input intensities (Lithium)", 16) == "Input intensities<br>(Lithium)"
    assert wrap("建成概率（在建项目）等一系列很长的因素名称", 8).startswith("建成概率<br>（")
    assert (
        max(len(x) for x in wrap("What drives the supply-chain gap of Separator", 20).split("<br>"))
        <= 20
    )


def test_the_known_date_keys_results_apart(app: Dash, state: AppState) -> None:
    from datetime import date

    from dashboard import sensitivity_jobs

    scenario = state.scenario("baseline")
    earlier = state.known_on(date(2024, 7, 1))
    now_key = sensitivity_jobs.result_key(state, scenario, "2030Q4", 256)
    assert sensitivity_jobs.result_key(earlier, scenario, "2030Q4", 256) != now_key
    assert sensitivity_jobs.result_key(state, scenario, "2030Q3", 256) != now_key
    assert sensitivity_jobs.result_key(state, scenario, "2030Q4", 1024) != now_key


def test_each_app_gets_its_own_job_folder_unless_one_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.app import CACHE_DIR_ENV, job_manager

    monkeypatch.delenv(CACHE_DIR_ENV, raising=False)
    first, second = job_manager(), job_manager()
    assert first.handle.directory != second.handle.directory
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    shared = job_manager()
    assert Path(shared.handle.directory) == tmp_path / "jobs"
    shared.handle.set("k", 1)
    assert job_manager().handle.get("k") == 1  # the next app (or restart) finds it


def test_a_third_analysis_at_once_is_told_the_server_is_busy(app: Dash, state: AppState) -> None:
    import os
    import subprocess
    import sys

    from dashboard import sensitivity_jobs
    from dashboard.pages import sensitivity

    sleepers = [
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])  # noqa: S603
        for _ in range(sensitivity_jobs.MAX_JOBS)
    ]
    try:
        with app.server.test_request_context():
            store = sensitivity_jobs._store()  # noqa: SLF001 (the slots live in the jobs' cache)
            store.set(sensitivity_jobs.SLOTS_KEY, [p.pid for p in sleepers])
            scenario, quarter, n = sensitivity.checked(state, "baseline", "2026Q4", 256)
            with pytest.raises(Rejected) as busy:
                sensitivity_jobs.compute(state, scenario, quarter, n)
            assert busy.value.message("zh") == t("ui_busy", "zh")
            # a job that was killed (a cancelled run) frees its place
            sleepers[0].kill()
            sleepers[0].wait()
            out = sensitivity_jobs.compute(state, scenario, quarter, n)
            assert out["quarter"] == "2026Q4"
            assert os.getpid() not in store.get(sensitivity_jobs.SLOTS_KEY)  # given back
    finally:
        for p in sleepers:
            p.kill()
            p.wait()
