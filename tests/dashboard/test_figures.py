"""The pure figure and table builders, without a browser."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import plotly.graph_objects as go
import pytest
import xarray as xr

from dashboard import fan_charts, figure_axes, figures, views
from dashboard.exports import export_formats, file_name, parse_quarters
from dashboard.i18n import number, quantity, translate
from model.catalogue import LANGS, TEXT
from model.errors import DataError
from model.export import FORMATS
from model.gaps import chain_flows, gap_table, investment_targets
from model.park import Park
from model.scenario import load_scenario
from model.simulate import simulate, summarize
from model.tracking import stock_table


@pytest.fixture(scope="module")
def baseline_ds(park: Park) -> xr.Dataset:
    """200 draws of the baseline."""
    return simulate(park, load_scenario("baseline", park=park), draws=200)


@pytest.fixture(scope="module")
def baseline_sm(baseline_ds: xr.Dataset) -> xr.Dataset:
    return summarize(baseline_ds)


def test_fan_chart_has_band_median_and_mean_with_unit_on_axis(baseline_sm: xr.Dataset) -> None:
    fig = go.Figure(fan_charts.fan_chart({"baseline": baseline_sm}, "separator", "nameplate", "en"))
    names = [tr.name for tr in fig.data]
    assert any("P10–P90" in n for n in names)
    assert any("mean" in n for n in names)
    shown = [tr.name for tr in fig.data if tr.showlegend is not False]
    assert shown == ["baseline"]  # one legend entry per scenario; the subtitle keys the lines
    assert "P50" in fig.layout.title.text
    assert "(m²/a)" in fig.layout.yaxis.title.text  # as people read it, not pint's m**2 / a
    assert len(fig.data[0].x) == baseline_sm.sizes["quarter"]


def test_fan_chart_gap_in_cell_equivalent_takes_attrs_unit(baseline_sm: xr.Dataset) -> None:
    fig = go.Figure(fan_charts.fan_chart({"b": baseline_sm}, "separator", "gap_cell_gwh_eq", "zh"))
    assert "（吉瓦时/年）" in fig.layout.yaxis.title.text  # spelled as the zh tables spell it
    fig = go.Figure(fan_charts.fan_chart({"b": baseline_sm}, "separator", "gap_cell_gwh_eq", "en"))
    assert "(GWh/a)" in fig.layout.yaxis.title.text


def test_fan_chart_overlays_scenarios(baseline_sm: xr.Dataset) -> None:
    fig = go.Figure(
        fan_charts.fan_chart(
            {"a": baseline_sm, "b": baseline_sm}, "lfp_cell", "gap", "zh", {"a": "A", "b": "B"}
        )
    )
    assert {tr.legendgroup for tr in fig.data} == {"a", "b"}


def test_chain_flows_are_positive_in_cell_equivalent(park: Park, baseline_ds: xr.Dataset) -> None:
    scenario = load_scenario("baseline", park=park)
    q = str(baseline_ds["quarter"].values[-1])
    flows = chain_flows(park, baseline_ds, q, "nameplate", scenario)
    assert flows
    assert all(f["value"] > 0 and f["amount"] > 0 for f in flows)
    # separator feeds LFP cells: its flow in cell-eq equals the cells' nameplate (one step, yardstick = L)
    sep = next(f for f in flows if f["source"] == "separator")
    assert sep["target"] == "lfp_cell"
    assert sep["unit"] == "m**2"


def test_chain_flows_live_in_the_model_only() -> None:
    assert not hasattr(figures, "chain_flows")


def test_gap_bars_leave_out_pv_and_show_units_in_hover(park: Park, baseline_ds: xr.Dataset) -> None:
    table = gap_table(park, baseline_ds, "2030Q4", lang="en")
    fig = go.Figure(figures.gap_bars(table, "en"))
    shown = set(fig.data[0].y)
    assert "Polysilicon" not in shown
    assert "Separator" in shown
    hover = [c[0] for c in fig.data[0].customdata]
    assert any("m²/a" in h for h in hover)
    assert fig.layout.xaxis.title.text.endswith("(GWh/a)")


def test_targets_rows_format_capacity_to_close_with_unit(
    park: Park, baseline_ds: xr.Dataset
) -> None:
    table = gap_table(park, baseline_ds, "2030Q4", lang="zh")
    rows = figures.targets_rows(investment_targets(table), "zh")
    assert rows
    assert rows[0]["rank"] == "1"
    assert all(r["to_close"].endswith("/年") for r in rows)


def test_technology_demand_stacks_every_technology(baseline_ds: xr.Dataset) -> None:
    fig = go.Figure(figures.technology_demand(baseline_ds, "en"))
    assert [tr.name for tr in fig.data] == ["LFP", "Sodium-ion", "Vanadium flow", "Gravity"]
    assert "(GWh/a)" in fig.layout.yaxis.title.text


def test_waterfall_figure_runs_from_start_to_end() -> None:
    result = {
        "start": 10.0,
        "end": 7.0,
        "unit": "GWh / a",
        "steps": [
            {"key": "demand", "label_zh": "需求", "label_en": "Demand", "delta": -5.0},
            {"key": "x", "label_zh": "项目", "label_en": "Project", "delta": 2.0},
        ],
    }
    fig = go.Figure(figures.waterfall_figure(result, "en"))
    wf = fig.data[0]
    assert list(wf.measure) == ["absolute", "relative", "relative", "total"]
    assert list(wf.x)[1:3] == ["Demand", "Project"]
    assert fig.layout.yaxis.title.text == "Value (GWh/a)"
    assert list(wf.text) == ["10", "-5", "+2", "7"]  # every bar labelled with its value
    result["unit"] = "m**2 / a"
    assert (
        figures.waterfall_figure(result, "en")["layout"]["yaxis"]["title"]["text"] == "Value (m²/a)"
    )


def test_stage_units_are_shown_as_people_read_them(park: Park) -> None:
    from dashboard.components import stage_options

    labels = {o["value"]: o["label"] for o in stage_options(park, "en")}
    assert labels["separator"].endswith("(m²/a)")
    assert labels["lfp_cathode"].endswith("(t/a)")
    assert labels["lfp_cell"].endswith("(GWh/a)")
    assert not any("**" in label or " / a" in label for label in labels.values())
    assert figures.stage_rate_unit("m**2") == "m²/a"
    assert figure_axes.shown_unit("not a unit ((") == "not a unit (("


def test_stocks_rows_carry_units(park: Park) -> None:
    stocks = stock_table(park, park.latest_date(), lang="zh")
    rows = views.stocks_rows(park, stocks, "zh")
    recorded = [r for r in rows if "万吨" in r["capacity"] or "吉瓦时" in r["capacity"]]
    assert recorded, rows


def test_growth_rows_read_times_as_increase(park: Park) -> None:
    rows = {r["text"]: r for r in views.growth_rows(park, "en")}
    assert rows["增长1.3倍"]["increase"] == "+130 %"
    assert rows["增长1.3倍"]["ratio"] == "2.3 times"


def test_pipeline_rows_and_facts(park: Park) -> None:
    rows = views.pipeline_grid_rows(park, "zh")
    assert len(rows) == len(park.projects)
    assert any(r["capacity"] == "20吉瓦时/年" for r in rows)
    facts = views.facts_rows(park, "en")
    assert any(f["value"].startswith("74 ") for f in facts)
    assert any(f["value"].startswith("10 ") for f in facts)


def test_export_formats_are_those_of_model_export() -> None:
    formats = export_formats()
    assert tuple(formats) == FORMATS
    assert {k: f.extension for k, f in formats.items()} == {
        "csv": ".csv",
        "xlsx": ".xlsx",
        "netcdf": ".nc",
        "iamc": "-iamc.csv",
        "iamc-yearly": "-iamc-yearly.csv",
    }
    for f in formats.values():
        for lang in LANGS:
            assert TEXT[f.label_key][lang]  # a label in the one catalogue, both languages
    assert [k for k, f in formats.items() if f.has_summary_option] == ["netcdf"]
    assert formats["xlsx"].needs_draws(summary=True)
    assert formats["netcdf"].needs_draws(summary=False)
    assert not formats["netcdf"].needs_draws(summary=True)
    assert not formats["csv"].needs_draws(summary=False)


def test_export_file_names() -> None:
    formats = export_formats()
    day = date(2025, 3, 7)
    assert file_name(["baseline"], formats["csv"], day) == "parkcap-baseline-20250307.csv"
    assert (
        file_name(["baseline", "sodium-flow"], formats["iamc"], day)
        == "parkcap-baseline-sodium-flow-20250307-iamc.csv"
    )
    assert file_name(["a", "b", "c", "d"], formats["netcdf"], day) == (
        "parkcap-4-scenarios-20250307.nc"
    )


def test_export_quarter_range_is_checked() -> None:
    assert parse_quarters("", "en") is None
    assert parse_quarters(None, "en") is None
    assert parse_quarters(" 2025Q1:2026q4 ", "en") == (2025 * 4, 2026 * 4 + 3)
    for bad in ("2025Q1", "2026Q4:2025Q1", "2025Q5:2026Q1", "soon"):
        with pytest.raises(DataError) as info:
            parse_quarters(bad, "en")
        assert info.value.problems[0].file == "Quarters"
        assert "command line" not in str(info.value.problems[0])


def test_i18n_helpers() -> None:
    assert quantity(183000, "t", "zh") == "18.3万吨/年"
    assert quantity(183000, "t", "en") == "183,000 t/a"
    assert quantity(None, "t", "en") == "–"
    assert number(12.345) == "12.3"
    ident = {"type": "i18n", "key": "page_whatif", "n": "x-1", "fmt": "{}"}
    assert translate([ident], "zh") == ["假设分析"]
    assert translate([ident], "en") == ["What-if"]
    assert translate([ident], "fr") == ["假设分析"]


def test_figure_values_helper() -> None:
    fig = figures.empty_figure("nothing")
    assert figures.figure_values(fig).size == 0
    assert np.isfinite(figures.figure_values({"data": [{"y": [1, 2]}]})).all()


def test_figures_are_plain_dicts_plotly_accepts_as_they_are(park: Park) -> None:
    """The app sends plain figure dicts (speed): plotly must read each unchanged."""
    import plotly.io as pio

    from dashboard.fan_charts import fan_chart
    from dashboard.figures import technology_demand, waterfall_figure
    from model.attribution import waterfall

    base, other = load_scenario("baseline"), load_scenario("sodium-flow")
    ds = simulate(park, base, draws=200)
    sm = summarize(ds)
    steps = waterfall(park, base, other, stage="lfp_cathode", quarter="2030Q4", draws=200)
    for fig in (
        fan_chart({"baseline": sm}, "separator", "nameplate", "zh", {"baseline": "基准"}),
        fan_chart({"baseline": sm}, "lfp_cell", "gap", "en", {"baseline": "Base"}),
        technology_demand(ds, "en"),
        waterfall_figure(steps, "zh"),
    ):
        assert isinstance(fig, dict)
        checked = go.Figure(fig)  # validates every property (raises on an unknown one)
        sent = json.loads(pio.to_json(fig))
        assert json.loads(pio.to_json(checked))["data"] == sent["data"]
        assert sent["layout"]["title"]["text"]


def test_a_misspelt_property_fails_the_tests_not_the_visitor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dashboard import figure_frame

    bad = [{"type": "scatter", "y": [1, 2], "colour": "red"}]
    monkeypatch.setattr(figure_frame, "VALIDATE", True)  # as in the tests
    with pytest.raises(ValueError, match="colour"):
        figure_frame._figure(bad, "t")
    monkeypatch.setattr(figure_frame, "VALIDATE", False)  # as in the app
    assert figure_frame._figure(bad, "t")["data"] == bad
