"""What-if (假设分析): move the levers of a scenario and see capacity, gaps and demand change.

Runs 1,000 draws, results cached by scenario content hash; save the result as a named
scenario file or download it.
"""

from __future__ import annotations

import json
from typing import Any

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboard.components import error_message, field, graph, ok_message, stage_options
from dashboard.controls import (
    AUTO,
    INTENSITIES,
    MIX_KEYS,
    RAMP_SHAPES,
    WHATIF_NAME,
    defaults,
    project_ids,
    save_scenario,
    scenario_file_text,
    scenario_from_controls,
)
from dashboard.figures import fan_chart, gap_bars, shown_unit, technology_demand
from dashboard.i18n import Texts, norm_lang, number, quantity
from dashboard.state import AppState, get_state
from model.catalogue import t
from model.errors import DataError
from model.gaps import gap_table
from model.park import Park
from model.pipeline import ACTIVE
from model.scenario import Scenario
from model.units import rate_unit

dash.register_page(__name__, path="/what-if", order=3, title_key="page_whatif", name="what-if")

DEFAULT_STAGE = "storage_cabinet"
#: what the first fan chart can show (the second shows the gap)
CAP_VARIABLES = ("nameplate", "effective_capacity", "output")
#: what the fan charts draw (summarised over draws; the rest is not needed here)
FAN_VARIABLES = (*CAP_VARIABLES, "gap")
#: the ramp-up slider's range in quarters (wider if the base scenario's ramp-up is longer)
RAMP_MAX = 12
#: unit of the start-demand control
DEMAND_UNIT = shown_unit(rate_unit("GWh"))
#: control ids in the order of ``CONTROL_INPUTS`` and of ``values_from_args``
CONTROL_IDS = (
    ["wi-growth", "wi-spread", "wi-base-auto", "wi-base-gwh"]
    + [f"wi-mix-{k}" for k in MIX_KEYS]
    + ["wi-util", "wi-ramp", "wi-shape"]
    + [f"wi-p-{s}" for s in ACTIVE]
    + [f"wi-d-{s}" for s in ACTIVE]
    + [f"wi-sd-{s}" for s in ACTIVE]
    + ["wi-projects", "wi-intensity"]
)
CONTROL_INPUTS = [Input(i, "value") for i in CONTROL_IDS]


def values_from_args(args: tuple[Any, ...] | list[Any]) -> dict[str, Any]:
    """Control values in :data:`CONTROL_IDS` order -> the dict ``scenario_from_controls`` reads.

    The start demand is :data:`~dashboard.controls.AUTO` while its 'auto' box is ticked,
    else the number typed (``None`` if the box is empty: reported as a problem).
    """
    it = iter(args)
    growth, spread, auto, base_gwh = next(it), next(it), next(it), next(it)
    mix = {k: next(it) for k in MIX_KEYS}
    util, ramp, shape = next(it), next(it), next(it)
    p = {s: next(it) for s in ACTIVE}
    d = {s: next(it) for s in ACTIVE}
    sd = {s: next(it) for s in ACTIVE}
    included, intensity = next(it), next(it)
    auto_on = isinstance(auto, list | tuple) and AUTO in auto
    return {
        "growth": growth,
        "spread": spread,
        "base_gwh": AUTO if auto_on else base_gwh,
        "mix": mix,
        "util": util,
        "ramp": ramp,
        "shape": shape,
        "p_complete": p,
        "delay": d,
        "delay_sd": sd,
        "included": included,
        "intensity": intensity,
    }


def args_from_values(values: dict[str, Any]) -> list[Any]:
    """Inverse of :func:`values_from_args`."""
    auto = values["base_gwh"] == AUTO
    return (
        [values["growth"], values["spread"]]
        + [[AUTO] if auto else [], None if auto else values["base_gwh"]]
        + [values["mix"][k] for k in MIX_KEYS]
        + [values["util"], values["ramp"], values["shape"]]
        + [values["p_complete"][s] for s in ACTIVE]
        + [values["delay"][s] for s in ACTIVE]
        + [values["delay_sd"][s] for s in ACTIVE]
        + [values["included"], values["intensity"]]
    )


def project_options(park: Park, base: Scenario, lang: str) -> list[dict[str, str]]:
    """Checklist options: each listed project with its stage, capacity and status."""
    by_id = {p.id: p for p in park.projects}
    added = {a.id: a for a in base.projects.add}
    out = []
    for pid in project_ids(park, base):
        p = by_id.get(pid)
        if p is not None:
            label = f"{p.name(lang)} — {quantity(p.value, p.unit, lang)}, {park.status_params[p.status].name(lang)}"
        else:
            a = added[pid]
            label = f"{(a.name_zh if lang == 'zh' else a.name_en) or pid} — {a.capacity}"
        out.append({"label": label, "value": pid})
    return out


def intensity_options(lang: str) -> list[dict[str, str]]:
    """The four intensity settings."""
    return [{"label": t(f"ui_intensity_{k}", lang), "value": k} for k in INTENSITIES]


def shape_options(lang: str) -> list[dict[str, str]]:
    """The ramp-up curves."""
    return [{"label": t(f"ui_shape_{k}", lang), "value": k} for k in RAMP_SHAPES]


def auto_options(lang: str) -> list[dict[str, str]]:
    """The start demand's 'auto' box."""
    return [{"label": t("ui_base_gwh_auto", lang), "value": AUTO}]


def cap_variable_options(lang: str) -> list[dict[str, str]]:
    """What the capacity fan chart can show."""
    return [{"label": t(f"var_{v}", lang), "value": v} for v in CAP_VARIABLES]


def _number_input(ident: str, value: Any, hi: float = 80, step: float = 0.5) -> dcc.Input:
    return dcc.Input(
        id=ident,
        type="number",
        min=0,
        max=hi,
        step=step,
        value=value,
        debounce=True,
        className="pc-num",
    )


def util_hint(park: Park, base: Scenario, lang: str) -> str | None:
    """Which stages the base scenario gives their own utilisation range, or ``None``.

    The slider shows the default range and, once moved, replaces them all.
    """
    own = [
        f"{park.stages[k].name(lang)} {100 * lo:g}–{100 * hi:g} %"
        for k, (lo, hi) in base.utilisation.items()
        if k != "default" and k in park.stages
    ]
    return t("ui_util_hint", lang, stages=", ".join(own)) if own else None


def ramp_max(values: dict[str, Any]) -> int:
    """Upper end of the ramp-up slider: :data:`RAMP_MAX`, or the base's longer ramp-up."""
    try:
        return max(RAMP_MAX, int(max(values["ramp"])))
    except (TypeError, ValueError, KeyError):
        return RAMP_MAX


def _slider(
    ident: str, lo: float, hi: float, step: float, value: float, marks: list[float]
) -> dcc.Slider:
    return dcc.Slider(
        id=ident,
        min=lo,
        max=hi,
        step=step,
        value=value,
        marks={m: f"{m:g}" for m in marks},
        allow_direct_input=True,
        updatemode="mouseup",
    )


def layout(base: str = "baseline", lang: str | None = None, **_query: str) -> html.Div:
    """The levers on the left, the charts on the right, save and download below."""
    tx = Texts("wi", lang)
    state = get_state()
    names = state.scenario_names()
    base_name = base if base in names else ("baseline" if "baseline" in names else names[0])
    base_s = state.scenario(base_name)
    v = defaults(state.park, base_s)
    park = state.park
    status_rows = [
        html.Tr(
            [
                html.Td(park.status_params[s].name(tx.lang), id=f"wi-status-name-{s}"),
                html.Td(_slider(f"wi-p-{s}", 0, 100, 5, v["p_complete"][s], [0, 50, 100])),
                html.Td(_number_input(f"wi-d-{s}", v["delay"][s])),
                html.Td(_number_input(f"wi-sd-{s}", v["delay_sd"][s])),
            ]
        )
        for s in ACTIVE
    ]
    controls = html.Div(
        [
            field(
                tx("ui_base_scenario"),
                dcc.Dropdown(
                    id="wi-base", options=state.scenario_options(), value=base_name, clearable=False
                ),
            ),
            html.H4(tx("ui_group_demand")),
            field(
                tx("ui_growth"),
                _slider("wi-growth", -50, 150, 1, v["growth"], [-50, 0, 50, 100, 150]),
            ),
            field(tx("ui_spread"), _slider("wi-spread", 0, 50, 1, v["spread"], [0, 25, 50])),
            field(
                tx("ui_base_gwh", unit=DEMAND_UNIT),
                html.Div(
                    [
                        dcc.Input(
                            id="wi-base-gwh",
                            type="number",
                            min=0.1,
                            max=10_000,
                            step=0.1,
                            value=None if v["base_gwh"] == AUTO else v["base_gwh"],
                            disabled=v["base_gwh"] == AUTO,
                            placeholder=t("ui_auto_value", tx.lang, value="…"),
                            debounce=True,
                            className="pc-num pc-num-wide",
                        ),
                        dcc.Checklist(
                            id="wi-base-auto",
                            options=auto_options(tx.lang),
                            value=[AUTO] if v["base_gwh"] == AUTO else [],
                            inline=True,
                        ),
                    ],
                    className="pc-inline",
                ),
            ),
            html.H4(tx("ui_group_mix")),
            *[
                field(tx(f"tech_{k}"), _slider(f"wi-mix-{k}", 0, 100, 5, v["mix"][k], [0, 50, 100]))
                for k in MIX_KEYS
            ],
            html.H4(tx("ui_group_supply")),
            field(
                tx("ui_util"),
                dcc.RangeSlider(
                    id="wi-util",
                    min=1,
                    max=100,
                    step=1,
                    value=v["util"],
                    marks={m: f"{m}" for m in (1, 25, 50, 75, 100)},
                    updatemode="mouseup",
                    allow_direct_input=True,
                ),
                html.Div(util_hint(park, base_s, tx.lang), id="wi-util-hint"),
            ),
            field(
                tx("ui_intensity"),
                dcc.RadioItems(
                    id="wi-intensity",
                    options=intensity_options(tx.lang),
                    value=v["intensity"],
                    inline=True,
                ),
            ),
            html.H4(tx("ui_group_ramp")),
            field(
                tx("ui_ramp_quarters"),
                dcc.RangeSlider(
                    id="wi-ramp",
                    min=1,
                    max=ramp_max(v),
                    step=1,
                    value=v["ramp"],
                    marks={m: f"{m}" for m in (1, 4, 8, 12)},
                    updatemode="mouseup",
                    allow_direct_input=True,
                ),
            ),
            field(
                tx("ui_ramp_shape"),
                dcc.RadioItems(
                    id="wi-shape", options=shape_options(tx.lang), value=v["shape"], inline=True
                ),
            ),
            html.H4(tx("ui_group_status")),
            html.Table(
                [
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(tx("status")),
                                html.Th(tx("ui_p_complete")),
                                html.Th(tx("ui_delay")),
                                html.Th(tx("ui_delay_sd")),
                            ]
                        )
                    ),
                    html.Tbody(status_rows),
                ],
                className="pc-table pc-status",
            ),
            html.H4(tx("ui_group_projects")),
            dcc.Checklist(
                id="wi-projects",
                options=project_options(park, base_s, tx.lang),
                value=v["included"],
                className="pc-checklist",
            ),
        ],
        className="pc-side",
    )
    charts = html.Div(
        [
            html.Div(
                [
                    field(
                        tx("ui_chart_stage"),
                        dcc.Dropdown(
                            id="wi-stage",
                            options=stage_options(park, tx.lang),
                            value=DEFAULT_STAGE,
                            clearable=False,
                        ),
                    ),
                    field(
                        tx("ui_fan_variable"),
                        dcc.RadioItems(
                            id="wi-cap-var",
                            options=cap_variable_options(tx.lang),
                            value="nameplate",
                            inline=True,
                        ),
                    ),
                ],
                className="pc-controls",
            ),
            html.Div(id="wi-message"),
            html.Div(id="wi-summary", className="pc-summary"),
            html.Div(
                [
                    html.Div(graph("wi-fan-cap"), className="pc-col"),
                    html.Div(graph("wi-fan-gap"), className="pc-col"),
                ],
                className="pc-row",
            ),
            html.Div(
                [
                    html.Div(graph("wi-tech"), className="pc-col"),
                    html.Div(graph("wi-gaps"), className="pc-col"),
                ],
                className="pc-row",
            ),
            html.H3(tx("ui_save_title")),
            html.Div(
                [
                    dcc.Input(
                        id="wi-name",
                        type="text",
                        placeholder=tx.text("ui_save_placeholder"),
                        debounce=False,
                        className="pc-text",
                    ),
                    dcc.Checklist(
                        id="wi-overwrite",
                        options=[{"label": tx.text("ui_overwrite"), "value": "yes"}],
                        value=[],
                        inline=True,
                    ),
                    html.Button(tx("ui_save"), id="wi-save", n_clicks=0, className="pc-button"),
                    html.Button(
                        tx("ui_download_toml"),
                        id="wi-download-btn",
                        n_clicks=0,
                        className="pc-button",
                    ),
                ],
                className="pc-controls",
            ),
            html.Div(id="wi-save-message"),
            dcc.Download(id="wi-download"),
            dcc.Store(id="wi-scenario"),
            dcc.Store(id="wi-auto-gwh"),
        ],
        className="pc-charts",
    )
    return html.Div(
        [
            html.H2(tx("page_whatif")),
            html.P(tx("ui_whatif_intro"), className="pc-intro"),
            html.Div([controls, charts], className="pc-split"),
        ]
    )


@callback(
    Output("wi-projects", "options"),
    Output("wi-stage", "options"),
    Output("wi-intensity", "options"),
    Output("wi-overwrite", "options"),
    Output("wi-shape", "options"),
    Output("wi-base-auto", "options"),
    Output("wi-cap-var", "options"),
    Output("wi-util-hint", "children"),
    *[Output(f"wi-status-name-{s}", "children") for s in ACTIVE],
    Input("lang", "data"),
    State("wi-base", "value"),
)
def translate_options(lang: str | None, base: str | None) -> tuple[Any, ...]:
    """Labels that come from the data (projects, stages, statuses) in the chosen language."""
    lang = norm_lang(lang)
    state = get_state()
    try:
        base_s = state.scenario(base or "baseline")
    except DataError:
        return (dash.no_update,) * (8 + len(ACTIVE))
    park = state.park
    return (
        project_options(park, base_s, lang),
        stage_options(park, lang),
        intensity_options(lang),
        [{"label": t("ui_overwrite", lang), "value": "yes"}],
        shape_options(lang),
        auto_options(lang),
        cap_variable_options(lang),
        util_hint(park, base_s, lang),
        *[park.status_params[s].name(lang) for s in ACTIVE],
    )


@callback(
    Output("wi-base-gwh", "disabled"),
    Output("wi-base-gwh", "value", allow_duplicate=True),
    Input("wi-base-auto", "value"),
    State("wi-base-gwh", "value"),
    State("wi-auto-gwh", "data"),
    prevent_initial_call=True,
)
def toggle_auto(auto: Any, value: Any, auto_gwh: Any) -> tuple[bool, Any]:
    """Switch the start-demand number box on or off with the 'auto' tick box.

    'auto' ticked: the number box is off (and emptied, so it shows what 'auto' means);
    unticked: the box starts from today's LFP cell output if it is empty.
    """
    if isinstance(auto, list) and AUTO in auto:
        return True, None
    if value is None and isinstance(auto_gwh, int | float):
        return False, round(float(auto_gwh), 1)
    return False, dash.no_update


@callback(
    *[Output(i, "value", allow_duplicate=True) for i in CONTROL_IDS],
    Output("wi-ramp", "max"),
    Output("wi-util-hint", "children", allow_duplicate=True),
    Output("wi-projects", "options", allow_duplicate=True),
    Output("wi-message", "children", allow_duplicate=True),
    Input("wi-base", "value"),
    State("lang", "data"),
    prevent_initial_call=True,
)
def reset_to_base(base: str | None, lang: str | None) -> tuple[Any, ...]:
    """Set every lever to the chosen base scenario."""
    lang = norm_lang(lang)
    state = get_state()
    try:
        base_s = state.scenario(base or "")
    except Exception as exc:
        return (*([dash.no_update] * (len(CONTROL_IDS) + 3)), error_message(exc, lang))
    values = defaults(state.park, base_s)
    return (
        *args_from_values(values),
        ramp_max(values),
        util_hint(state.park, base_s, lang),
        project_options(state.park, base_s, lang),
        None,
    )


def auto_base_gwh(ds: Any) -> float:
    """What 'auto' start demand is in a simulation result.

    Today's (first quarter's) LFP cell output, mean over draws, GWh/a (0 if the park has no
    LFP cell stage).
    """
    if "lfp_cell" not in ds["stage"].values:
        return 0.0
    return float(ds["output"].sel(stage="lfp_cell").isel(quarter=0).mean())


def compute(
    state: AppState,
    base_name: str,
    values: dict[str, Any],
    stage: str,
    lang: str,
    cap_variable: str = "nameplate",
) -> dict[str, Any]:
    """Everything the what-if page shows for some control values.

    Parameters
    ----------
    cap_variable
        What the first fan chart shows: one of :data:`CAP_VARIABLES`.

    Returns
    -------
    dict
        ``scenario`` (the what-if Scenario), ``fan_cap``, ``fan_gap``, ``tech``, ``gaps``
        (plotly figures), ``summary`` (a sentence with units) and ``auto_gwh`` (today's LFP
        cell output, GWh/a: what 'auto' start demand means). Raises ``DataError`` for bad
        control values.
    """
    base = state.scenario(base_name)
    scenario = scenario_from_controls(state.park, base, values, name=WHATIF_NAME, lang=lang)
    var = cap_variable if cap_variable in CAP_VARIABLES else "nameplate"
    key = ("whatif-view", base.content_hash(), stage, var, lang)
    return state.cached(scenario, key, lambda: _view(state, base, scenario, stage, var, lang))


def _view(
    state: AppState, base: Scenario, scenario: Scenario, stage: str, cap_variable: str, lang: str
) -> dict[str, Any]:
    park = state.park
    ds = state.dataset(scenario)
    sm = state.summary(scenario, FAN_VARIABLES)
    sm_base = state.summary(base, FAN_VARIABLES)
    quarter = str(sm["quarter"].values[-1])
    table = state.cached(
        scenario,
        ("gaps", quarter, "effective", lang),
        lambda: gap_table(park, ds, quarter, basis="effective", scenario=scenario, lang=lang),
    )
    label = t("ui_whatif_label", lang)
    summaries = {base.name: sm_base, WHATIF_NAME: sm}
    titles = {base.name: base.title(lang), WHATIF_NAME: label}
    unit = park.stages[stage].unit

    def mean(var: str) -> str:
        return quantity(float(sm[var].sel(stage=stage, quarter=quarter, stat="mean")), unit, lang)

    p_short = float(sm["p_short"].sel(stage=stage, quarter=quarter))
    summary = t(
        "ui_whatif_summary",
        lang,
        quarter=quarter,
        stage=park.stages[stage].name(lang),
        cap=mean("nameplate"),
        gap=mean("gap"),
        p=f"{100 * p_short:.0f}",
    ) + t("ui_whatif_summary_ops", lang, eff=mean("effective_capacity"), out=mean("output"))
    return {
        "scenario": scenario,
        "auto_gwh": auto_base_gwh(ds),
        "fan_cap": fan_chart(summaries, stage, cap_variable, lang, titles),
        "fan_gap": fan_chart(summaries, stage, "gap", lang, titles),
        "tech": technology_demand(ds, lang),
        "gaps": gap_bars(
            table,
            lang,
            title=f"{t('fig_gap_bars', lang)}<br><sup>{label} · {quarter} · {t('ui_basis_effective', lang)}</sup>",
        ),
        "summary": summary,
    }


@callback(
    Output("wi-fan-cap", "figure"),
    Output("wi-fan-gap", "figure"),
    Output("wi-tech", "figure"),
    Output("wi-gaps", "figure"),
    Output("wi-summary", "children"),
    Output("wi-message", "children"),
    Output("wi-scenario", "data"),
    Output("wi-auto-gwh", "data"),
    Output("wi-base-gwh", "placeholder"),
    *CONTROL_INPUTS,
    Input("wi-stage", "value"),
    Input("wi-cap-var", "value"),
    Input("lang", "data"),
    State("wi-base", "value"),
)
def update(*args: Any) -> tuple[Any, ...]:
    """Re-simulate (cached) and redraw when any lever moves."""
    *controls, stage, cap_var, lang, base = args
    lang = norm_lang(lang)
    state = get_state()
    stage_ = stage if stage in state.park.stages else DEFAULT_STAGE
    try:
        out = compute(state, base or "baseline", values_from_args(controls), stage_, lang, cap_var)
    except Exception as exc:
        return (*([dash.no_update] * 5), error_message(exc, lang), None, *([dash.no_update] * 2))
    data = out["scenario"].model_dump(mode="json")
    auto_gwh = out["auto_gwh"]
    return (
        out["fan_cap"],
        out["fan_gap"],
        out["tech"],
        out["gaps"],
        out["summary"],
        None,
        json.dumps(data, ensure_ascii=False),
        auto_gwh,
        t("ui_auto_value", lang, value=f"{number(auto_gwh)} {DEMAND_UNIT}"),
    )


def _scenario_from_store(data: str | None, lang: str) -> Scenario:
    """The what-if scenario the browser holds, validated again (the browser is not trusted)."""
    if not data:
        raise ValueError(t("ui_nothing_to_save", lang))
    return Scenario.from_dict(json.loads(data), source="what-if")


@callback(
    Output("wi-save-message", "children"),
    Output("wi-base", "options"),
    Input("wi-save", "n_clicks"),
    State("wi-name", "value"),
    State("wi-overwrite", "value"),
    State("wi-scenario", "data"),
    State("lang", "data"),
    prevent_initial_call=True,
)
def save(
    _n: int, name: str | None, overwrite: list[str] | None, data: str | None, lang: str | None
) -> tuple[Any, Any]:
    """Save the what-if scenario under ``name`` in the scenarios folder.

    Never a shipped one; an existing file only with 'overwrite' ticked.
    """
    lang = norm_lang(lang)
    state = get_state()
    try:
        scenario = _scenario_from_store(data, lang)
        path = save_scenario(
            state.scenarios_dir,
            name,
            scenario,
            overwrite="yes" in (overwrite or []),
            lang=lang,
            park=state.park,
        )
    except Exception as exc:
        return error_message(exc, lang), dash.no_update
    return ok_message(t("ui_saved", lang, path=path.name)), state.scenario_options()


@callback(
    Output("wi-download", "data"),
    Output("wi-save-message", "children", allow_duplicate=True),
    Input("wi-download-btn", "n_clicks"),
    State("wi-name", "value"),
    State("wi-scenario", "data"),
    State("lang", "data"),
    prevent_initial_call=True,
)
def download(_n: int, name: str | None, data: str | None, lang: str | None) -> tuple[Any, Any]:
    """The what-if scenario as a TOML file (named after the name box if it is valid)."""
    lang = norm_lang(lang)
    try:
        scenario = _scenario_from_store(data, lang)
        stem = name.strip() if isinstance(name, str) and name.strip() else WHATIF_NAME
        if stem != scenario.name:
            scenario = scenario.with_changes(name=stem)
    except Exception as exc:
        return dash.no_update, error_message(exc, lang)
    return {
        "content": scenario_file_text(scenario),
        "filename": f"{stem}.toml",
        "type": "application/toml",
    }, None
