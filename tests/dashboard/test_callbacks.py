"""Callback logic as plain functions and over HTTP (Flask test client): every what-if lever
moves something a user sees, bad input gives a message, saving is safe."""

from __future__ import annotations

import base64
import copy
import io
import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import dash
import numpy as np
import openpyxl
import pandas as pd
import pytest
import xarray as xr
from dash import Dash

from dashboard.controls import defaults, save_scenario, scenario_from_controls
from dashboard.figures import figure_values
from dashboard.protocol import update_body
from dashboard.state import LRU, AppState
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
    whatif: Any, state: AppState, values: dict[str, Any], stage: str = "storage_cabinet"
) -> dict[str, Any]:
    return whatif.compute(state, "baseline", values, stage, "en")


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
    tr = fig.data[1]
    return float(dict(zip(tr.y, tr.x, strict=True))[stage_name])


def supply_total(fig: Any) -> float:
    return float(np.nansum(np.asarray(fig.data[0].x, dtype=float)))


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


@pytest.mark.parametrize("status", ["signed", "reserve"])
def test_lower_completion_probability_lowers_expected_capacity(
    whatif: Any, state: AppState, base_values: dict[str, Any], status: str
) -> None:
    stage = "storage_cabinet" if status == "signed" else "na_cell"
    hi = run(whatif, state, changed(base_values, f"p_complete.{status}", 100), stage=stage)
    lo = run(whatif, state, changed(base_values, f"p_complete.{status}", 10), stage=stage)
    assert figure_values(lo["fan_cap"], MEAN)[-1] < figure_values(hi["fan_cap"], MEAN)[-1]


def test_longer_delay_lowers_capacity_along_the_way(
    whatif: Any, state: AppState, base_values: dict[str, Any]
) -> None:
    short = run(whatif, state, changed(base_values, "delay.signed", 0))
    long = run(whatif, state, changed(base_values, "delay.signed", 12))
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
    assert "Separator" in a["fan_cap"].layout.title.text
    assert "m**2 / a" in a["fan_cap"].layout.yaxis.title.text


def test_results_are_cached_by_content_hash(
    whatif: Any, fresh_state: AppState, base_values: dict[str, Any]
) -> None:
    run(whatif, fresh_state, base_values)
    misses = fresh_state.datasets.misses
    run(whatif, fresh_state, copy.deepcopy(base_values))
    assert fresh_state.datasets.misses == misses


def test_lru_is_bounded() -> None:
    cache = LRU(2)
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
        ("util", [0, 50], "utilisation.default"),
        ("util", "x", "utilisation.default"),
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


# ---------------------------------------------------------------------------
# over HTTP, as the browser calls them
# ---------------------------------------------------------------------------
def _whatif_values(app: Dash, state: AppState, **over: Any) -> dict[str, Any]:
    from dashboard.pages.whatif import CONTROL_IDS, args_from_values

    v = defaults(state.park, state.scenario("baseline"))
    args = args_from_values(v)
    values = {f"{i}.value": a for i, a in zip(CONTROL_IDS, args, strict=True)}
    values.update(
        {"wi-stage.value": "storage_cabinet", "lang.data": "zh", "wi-base.value": "baseline"}
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
    assert "2030Q4" in resp["wi-summary"]["children"]


@pytest.mark.parametrize(
    "over",
    [
        {"wi-growth.value": 10_000},
        {"wi-growth.value": None},
        {"wi-util.value": "nonsense"},
        {"wi-base.value": "../../etc/passwd"},
        {"wi-projects.value": ["x"]},
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


def test_save_callback_over_http_refuses_path_names(
    app: Dash, state: AppState, scenarios_copy: Path
) -> None:
    client = app.server.test_client()
    scenario = state.scenario("baseline").with_changes(name="what-if")
    values = {
        "wi-save.n_clicks": 1,
        "wi-name.value": "../outside",
        "wi-overwrite.value": [],
        "wi-scenario.data": scenario.model_dump_json(),
        "lang.data": "en",
    }
    r = client.post(
        "/_dash-update-component",
        json=update_body(app, "wi-save-message.children", values, ["wi-save.n_clicks"]),
    )
    assert r.status_code == 200
    assert "letters, digits" in json.dumps(r.get_json())
    assert not (scenarios_copy.parent / "outside.toml").exists()
    values["wi-name.value"] = "saved-over-http"
    r = client.post(
        "/_dash-update-component",
        json=update_body(app, "wi-save-message.children", values, ["wi-save.n_clicks"]),
    )
    assert (scenarios_copy / "saved-over-http.toml").exists()
    assert "saved-over-http" in json.dumps(r.get_json()["response"]["wi-base"]["options"])


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
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        ds.load()
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
    assert (df["variable"] == "Capacity|Cells|LFP").any()
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
    for fmt in ("csv", "xlsx", "iamc", None, "pdf"):
        assert export_page.show_summary_option(fmt) == {"display": "none"}
    formats, summary = export_page.translate_options("en")
    assert [o["value"] for o in formats] == ["csv", "xlsx", "netcdf", "iamc"]
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
