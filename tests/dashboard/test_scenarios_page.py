"""The scenarios page (情景对比): the default stage shows a difference, axes in 万/亿, every
line labelled, the differing inputs in words, the waterfall of a pair computed once."""

from __future__ import annotations

import re
import time
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest
import xarray as xr
from dash import Dash

from dashboard import fan_charts, figures
from dashboard.figure_axes import nice_ticks, scaled_number, tick_labels, value_axis
from dashboard.figures import figure_values
from dashboard.state import AppState
from dashboard.views import differences_rows, input_in_words
from model.scenario import SHIPPED, differences

QUARTERS = ["2029Q4", "2030Q4"]
STAGES = ["separator", "lfp_cell", "polysilicon"]
#: separator m² per GWh of cells, cells 1 GWh per GWh, polysilicon no storage yardstick
STICKS = {"separator": 1.2e7, "lfp_cell": 1.0, "polysilicon": float("nan")}
NOISE_TEXT = re.compile(r"\d\.\d*0000\d|e[+-]\d")


def summary(nameplate: dict[str, float], gap: dict[str, float] | None = None) -> xr.Dataset:
    """A summarize-like Dataset: the same value in every quarter and stat."""
    stats = ["p10", "p50", "p90", "mean"]

    def var(values: dict[str, float]) -> xr.DataArray:
        row = np.array([values.get(s, 0.0) for s in STAGES], dtype=float)
        data = np.broadcast_to(row, (len(stats), len(QUARTERS), len(STAGES))).copy()
        return xr.DataArray(
            data,
            dims=("stat", "quarter", "stage"),
            coords={"stat": stats, "quarter": QUARTERS, "stage": STAGES},
        )

    ds = xr.Dataset({"nameplate": var(nameplate), "gap": var(gap or {})})
    ds = ds.assign_coords(
        unit=("stage", ["m**2 / a", "GWh / a", "t / a"]),
        stage_name_zh=("stage", ["隔膜", "磷酸铁锂电芯", "多晶硅"]),
        stage_name_en=("stage", ["Separator", "LFP cells", "Polysilicon"]),
    )
    return ds


# ---------------------------------------------------------------------------
# the default stage: where the chosen scenarios differ most
# ---------------------------------------------------------------------------
def test_default_stage_is_where_the_scenarios_differ_most_in_cell_eq(app: Dash) -> None:
    from dashboard.pages.scenarios import most_different_stage, stage_spreads

    a = summary({"separator": 1.5e8, "lfp_cell": 37.5, "polysilicon": 1e5})
    b = summary({"separator": 3.0e8, "lfp_cell": 37.5, "polysilicon": 1e5})
    spreads = stage_spreads({"a": a, "b": b}, STICKS)
    # 1.5亿 m² of separator covers 12.5 GWh of cells at 1200万 m² per GWh
    assert spreads["separator"] == pytest.approx(12.5)
    assert spreads["lfp_cell"] == 0.0
    assert most_different_stage({"a": a, "b": b}, STICKS) == ("separator", True)
    # the cells now differ by 20 GWh: more than the separator's 12.5 GWh-eq
    c = summary({"separator": 3.0e8, "lfp_cell": 57.5, "polysilicon": 1e5})
    assert most_different_stage({"a": a, "c": c}, STICKS) == ("lfp_cell", True)
    # a gap that differs counts as well as a nameplate
    d = summary({"separator": 1.5e8, "lfp_cell": 37.5}, gap={"lfp_cell": 30.0})
    assert most_different_stage({"a": a, "d": d}, STICKS)[0] == "lfp_cell"


def test_identical_scenarios_fall_back_to_the_default_stage_and_say_so(app: Dash) -> None:
    from dashboard.pages.scenarios import DEFAULT_STAGE, most_different_stage

    a = summary({"separator": 1.5e8, "lfp_cell": 37.5})
    noisy = summary({"separator": 1.5e8 * (1 + 1e-9), "lfp_cell": 37.5})  # float32 noise
    assert most_different_stage({"a": a, "b": noisy}, STICKS) == (DEFAULT_STAGE, False)
    # a stage without a storage yardstick counts by its relative spread
    pv = summary({"separator": 1.5e8, "lfp_cell": 37.5, "polysilicon": 2e5})
    base = summary({"separator": 1.5e8, "lfp_cell": 37.5, "polysilicon": 1e5})
    assert most_different_stage({"a": base, "b": pv}, STICKS) == ("polysilicon", True)


def test_page_opens_on_a_stage_whose_lines_differ(app: Dash, state: AppState) -> None:
    from dashboard.pages import scenarios

    names = list(SHIPPED)
    with app.server.app_context():
        out = scenarios.render(names, scenarios.AUTO, "zh", None, None, None, None)
        picked = scenarios.render(names, "separator", "en", None, None, None, None)
    cap, gap, note = out[0], out[1], out[-1]
    stage, differs = scenarios.resolve_stage(state, names, scenarios.AUTO)
    assert differs is True
    assert state.park.stages[stage].name("zh") in note
    assert state.park.stages[stage].name("zh") in cap["layout"]["title"]["text"]
    p50 = {}
    for fig in map(go.Figure, (cap, gap)):
        for tr in fig.data:
            if tr.name in {state.scenario(n).title("zh") for n in names}:
                p50.setdefault(fig.layout.title.text, []).append(np.asarray(tr.y))
    # at the horizon the P50 lines of at least one chart are apart
    assert any(max(v[-1] for v in lines) - min(v[-1] for v in lines) > 0 for lines in p50.values())
    # the waterfall's pickers offer the scenarios by their titles
    assert out[4] == [{"label": state.scenario(n).title("zh"), "value": n} for n in names]
    # a picked stage is drawn as picked, with no note
    assert "Separator" in picked[0]["layout"]["title"]["text"]
    assert picked[-1] is None


def test_known_as_of_date_is_honoured(app: Dash, state: AppState) -> None:
    from datetime import date

    from dashboard.pages import scenarios

    names = ["baseline", "lithium-led"]
    day = date(2024, 7, 1)
    known = state.park.as_known_on(day)
    # a stage whose capacity records were all made after the date: unknown then
    dropped = sorted(
        {r.stage for r in state.park.capacity_records} - {r.stage for r in known.capacity_records}
    )
    stage = dropped[0] if dropped else "lfp_cell"
    with app.server.app_context():
        now = scenarios.render(names, stage, "en", None, None, None, None)
        then = scenarios.render(names, stage, "en", day.isoformat(), None, None, None)
        odd = scenarios.render(names, stage, "en", "../../etc/passwd", None, None, None)
    assert then[3] is None  # no error message
    versions = {k[1] for k in state.derived._data if isinstance(k, tuple) and k[0] == "view"}
    assert f"{state.park.data_version}@{day.isoformat()}" in versions
    if dropped:  # what was not yet recorded is not drawn
        first = [np.asarray(tr.y)[0] for tr in go.Figure(then[0]).data if tr.name == "Baseline"]
        assert first[0] < next(
            np.asarray(tr.y)[0] for tr in go.Figure(now[0]).data if tr.name == "Baseline"
        )
    assert odd[3] is None  # not a date: every record, no error
    assert odd[8] == now[8]


# ---------------------------------------------------------------------------
# axes and labels
# ---------------------------------------------------------------------------
def test_axis_of_150_million_square_metres_reads_yi_in_chinese() -> None:
    axis = value_axis([1.5e8, 1.500000012e8, 0.0], "m**2 / a", "zh", "名义产能")
    assert axis["ticktext"] == ["0", "0.5亿", "1亿", "1.5亿"]
    assert axis["title"]["text"] == "名义产能（平方米/年）"
    en = value_axis([1.5e8, 0.0], "m**2 / a", "en", "Nameplate capacity")
    assert "150M" in en["ticktext"]
    assert en["title"]["text"] == "Nameplate capacity (m²/a)"
    for text in axis["ticktext"] + en["ticktext"]:
        assert not NOISE_TEXT.search(text), text
    # the labels are the tick values, scaled
    for value, text in zip(axis["tickvals"], axis["ticktext"], strict=True):
        assert float(text.removesuffix("亿") or 0) * (1e8 if "亿" in text else 1) == pytest.approx(
            value
        )


def test_ticks_are_round_and_without_float_noise() -> None:
    ticks = nice_ticks(150.000001, 150.000001)
    assert ticks[0] == 0.0
    assert ticks[-1] == 150.0  # a millionth past the tick is noise: no 200 for it
    assert all(not NOISE_TEXT.search(s) for s in tick_labels(ticks, "en"))
    assert tick_labels(nice_ticks(0, 3.6e4), "zh")[-1].endswith("万")
    assert tick_labels([0.0, 2.5e7, 5e7], "zh") == ["0", "2500万", "5000万"]
    assert tick_labels([0.0, 2.5e7, 5e7, 7.5e7, 1e8], "en") == ["0", "25M", "50M", "75M", "100M"]
    assert scaled_number(150000001.2, "zh") == "1.5亿"
    assert scaled_number(150000001.2, "en") == "150M"
    assert scaled_number(-36000, "zh") == "-3.6万"
    assert scaled_number(37.5, "en") == "37.5"
    assert scaled_number(float("nan")) == "–"


def test_every_line_is_labelled_and_identical_ones_say_so() -> None:
    a = summary({"separator": 1.5e8})
    b = summary({"separator": 3.0e8})
    titles = {"a": "基准情景", "b": "锂电主导", "c": "钠电/液流多元化"}
    fig = go.Figure(
        fan_charts.fan_chart({"a": a, "b": b, "c": a}, "separator", "nameplate", "zh", titles)
    )
    labels = [ann.text for ann in fig.layout.annotations]
    assert len(labels) == 2  # two distinct lines
    joined = " ".join(labels)
    for title in titles.values():
        assert title in joined
    assert "钠电/液流多元化（同基准情景）" in joined
    dotted = [tr for tr in fig.data if tr.name == "钠电/液流多元化"]
    assert dotted[0].line.dash == "dot"  # drawn so the line under it still shows
    assert fig.layout.yaxis.ticktext[-1] in {"3亿", "3.5亿", "4亿"}
    en = fan_charts.fan_chart(
        {"a": a, "c": a}, "separator", "nameplate", "en", {"a": "A", "c": "C"}
    )
    assert "C (same as A)" in en["layout"]["annotations"][0]["text"]


def test_labels_of_close_lines_do_not_overlap() -> None:
    ends = [
        {"x": QUARTERS, "p50": np.array([0, 100.0]), "labels": ["A"], "colour": "#000"},
        {"x": QUARTERS, "p50": np.array([0, 100.5]), "labels": ["B", "C"], "colour": "#111"},
        {"x": QUARTERS, "p50": np.array([0, 101.0]), "labels": ["D"], "colour": "#222"},
    ]
    anns = fan_charts.end_labels(ends, [0.0, 200.0], 300)
    px = [(a["y"] / 200 * 300 + a["yshift"], a["text"].count("<br>") + 1) for a in anns]
    for (low, lines), (high, _) in zip(px, px[1:], strict=False):
        assert high - low >= fan_charts.LABEL_PX * lines


def test_waterfall_bars_carry_their_values() -> None:
    result = {
        "start": 1.5e8,
        "end": 4.5e8,
        "unit": "m**2 / a",
        "variable": "nameplate",
        "steps": [
            {"key": "p", "label_zh": "隔膜二期", "label_en": "Separator 2", "delta": 3.0e8},
            {"key": "d", "label_zh": "需求", "label_en": "Demand", "delta": 0.0},
        ],
    }
    fig = go.Figure(figures.waterfall_figure(result, "zh"))
    assert list(fig.data[0].text) == ["1.5亿", "+3亿", "4.5亿"]
    assert "1 项" in fig.layout.title.text  # the step with no effect is said, not drawn
    assert fig.layout.yaxis.title.text == "名义产能（平方米/年）"
    assert all(not NOISE_TEXT.search(s) for s in fig.layout.yaxis.ticktext)


# ---------------------------------------------------------------------------
# the inputs that differ, in words
# ---------------------------------------------------------------------------
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
QUARTER = re.compile(r"\d{4}Q[1-4]")
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_differing_inputs_read_in_words_in_both_languages(state: AppState) -> None:
    names = list(SHIPPED)
    diffs = differences([state.scenario(n) for n in names])
    zh = differences_rows(diffs, names, state.park, "zh")
    en = differences_rows(diffs, names, state.park, "en")
    assert len(zh) == len(en) >= 5
    by_zh = {r["key"]: r for r in zh}
    assert by_zh["钠离子占储能新增"]["sodium-flow"] == "30%"
    assert by_zh["钠离子占储能新增"]["baseline"] == "0%"
    assert by_zh["项目：钠离子电池生产线"]["lithium-led"] == "移除"
    assert "备案/环评" in by_zh["项目：200兆瓦时重力储能"]["sodium-flow"]  # not "permitted"
    assert "3亿平方米/年" in by_zh["项目：隔膜二期"]["lithium-led"]
    by_en = {r["key"]: r for r in en}
    assert by_en["Sodium-ion share of new storage"]["sodium-flow"] == "30 %"
    assert by_en["Project: Sodium-ion battery line"]["lithium-led"] == "removed"
    assert "Filed / permitted" in by_en["Project: 200 MWh gravity storage"]["sodium-flow"]
    for row in zh:
        for text in row.values():
            assert not LATIN_WORD.search(QUARTER.sub("", text)), text
    for row in en:
        for text in row.values():
            assert not CJK.search(text), text
    assert not any("." in r["key"] and r["key"].startswith(("projects", "technology")) for r in zh)


@pytest.mark.parametrize(
    ("key", "value", "zh", "en"),
    [
        (
            "demand.growth",
            0.2,
            ("储能需求年增长", "+20%"),
            ("Storage demand growth a year", "+20 %"),
        ),
        ("utilisation.separator", [0.55, 0.85], ("产能利用率：隔膜", "55–85%"), None),
        ("status.permitted.p_complete", 0.5, ("“备案/环评”项目的完成概率", "50%"), None),
        (
            "ramp_up.quarters",
            [2, 6],
            ("投产爬坡时长", "2–6个季度"),
            ("Ramp-up time", "2–6 quarters"),
        ),
        ("intensity", "high", ("单耗取值", "高值"), ("Recipe intensities", "high")),
        ("demand.base_gwh", None, ("起始储能需求", "自动（按电芯产能）"), None),
    ],
)
def test_each_kind_of_lever_in_words(
    state: AppState, key: str, value: Any, zh: tuple[str, str], en: tuple[str, str] | None
) -> None:
    assert input_in_words(key, value, state.park, "zh") == zh
    if en is not None:
        assert input_in_words(key, value, state.park, "en") == en


def test_scaled_and_delayed_projects_are_described(state: AppState) -> None:
    base = state.scenario("baseline")
    other = base.with_changes(
        name="slower",
        **{"projects.scale": {"haide-cabinet": 0.5}, "projects.delay": {"vrfb-line": 2}},
    )
    rows = differences_rows(differences([base, other]), ["baseline", "slower"], state.park, "zh")
    texts = {r["key"]: r["slower"] for r in rows}
    assert texts["项目：海得20GWh储能电池机柜生产线"] == "产能×0.5"
    assert texts["项目：全钒液流电池生产线"] == "推迟2个季度"


# ---------------------------------------------------------------------------
# the waterfall: one computation per pair
# ---------------------------------------------------------------------------
def test_changing_the_stage_or_quarter_of_a_waterfall_costs_nothing(
    app: Dash, fresh_state: AppState, monkeypatch: pytest.MonkeyPatch
) -> None:
    import model.attribution
    from dashboard.pages import scenarios

    calls: list[Any] = []
    real = model.attribution.waterfall

    def counting(*a: Any, **k: Any) -> dict[str, Any]:
        calls.append(a[3])
        return real(*a, **k)

    monkeypatch.setattr(model.attribution, "waterfall", counting)
    first = scenarios.waterfall_result(
        fresh_state, "baseline", "lithium-led", "lfp_cell", "2030Q4", "gap"
    )
    t0 = time.perf_counter()
    other = scenarios.waterfall_result(
        fresh_state, "baseline", "lithium-led", "separator", "2028Q4", "nameplate"
    )
    elapsed = time.perf_counter() - t0
    assert calls == [None]  # one table of every stage and quarter
    assert elapsed < 0.2
    assert first["stage"] == "lfp_cell"
    assert other["stage"] == "separator"
    assert other["start"] + sum(s["delta"] for s in other["steps"]) == pytest.approx(other["end"])
    # the lithium-led scenario adds 3亿 m² of separator, started 2027Q1: it is there by 2028Q4
    project = {s["key"]: s["delta"] for s in other["steps"]}["separator-phase2"]
    assert 1.5e8 < project <= 3.0e8
    with pytest.raises(Exception, match="choice|选项|unknown"):
        scenarios.waterfall_result(
            fresh_state, "baseline", "lithium-led", "lfp_cell", "1999Q1", "gap"
        )


def test_waterfall_figure_of_the_page_uses_the_auto_stage(app: Dash, state: AppState) -> None:
    from dashboard.pages import scenarios

    with app.server.app_context():
        fig, message = scenarios.render_waterfall(
            "baseline", "lithium-led", "2030Q4", "gap", scenarios.AUTO, "en", None
        )
    assert message is None
    stage, _ = scenarios.resolve_stage(state, ["baseline", "lithium-led"], scenarios.AUTO)
    assert state.park.stages[stage].name("en") in fig["layout"]["title"]["text"]
    values = figure_values(fig)
    assert values.size >= 3
    assert values[0] != values[-1]  # the default waterfall shows a change
