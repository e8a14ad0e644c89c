"""What-if (假设分析): move the levers of a scenario and see capacity, gaps and demand change.

Runs 1,000 draws, results cached by scenario content hash; save the result as a named
scenario file or download it. This module holds the page's layout and callbacks; the
levers' ids, values, options and widgets are in :mod:`dashboard.whatif_levers`, what the
page shows for them in :mod:`dashboard.whatif_view`.
"""

from __future__ import annotations

import json
from typing import Any

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboard.components import error_message, field, graph, ok_message, stage_options
from dashboard.controls import (
    AUTO,
    MIX_KEYS,
    WHATIF_NAME,
    check_cost,
    defaults,
    save_scenario,
    scenario_file_text,
)
from dashboard.guards import Rejected, one_of
from dashboard.i18n import Texts, norm_lang, number
from dashboard.state import get_state
from dashboard.whatif_levers import (
    CONTROL_IDS,
    DEMAND_UNIT,
    args_from_values,
    auto_options,
    intensity_options,
    project_options,
    ramp_max,
    scenario_from_store,
    shape_options,
    slider,
    start_demand_input,
    status_table,
    util_hint,
    values_from_args,
)
from dashboard.whatif_levers import RAMP_MAX as RAMP_MAX  # re-exported: tests read it here
from dashboard.whatif_view import cap_variable_options, compute
from model.catalogue import t
from model.errors import DataError
from model.pipeline import ACTIVE

dash.register_page(__name__, path="/what-if", order=3, title_key="page_whatif", name="what-if")

DEFAULT_STAGE = "storage_cabinet"
CONTROL_INPUTS = [Input(i, "value") for i in CONTROL_IDS]


def layout(base: str = "baseline", lang: str | None = None, **_query: str) -> html.Div:
    """The levers on the left, the charts on the right, save and download below."""
    tx = Texts("wi", lang)
    state = get_state()
    names = state.scenario_names()
    base_name = base if base in names else ("baseline" if "baseline" in names else names[0])
    base_s = state.scenario(base_name)
    v = defaults(state.park, base_s)
    park = state.park
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
                slider("wi-growth", -50, 150, 1, v["growth"], [-50, 0, 50, 100, 150]),
            ),
            field(tx("ui_spread"), slider("wi-spread", 0, 50, 1, v["spread"], [0, 25, 50])),
            field(
                tx("ui_base_gwh", unit=DEMAND_UNIT),
                start_demand_input(v["base_gwh"], tx.lang),
            ),
            html.H4(tx("ui_group_mix")),
            *[
                field(tx(f"tech_{k}"), slider(f"wi-mix-{k}", 0, 100, 5, v["mix"][k], [0, 50, 100]))
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
            status_table(park, v, tx),
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
    except (DataError, Rejected):
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
    stage_ = one_of(stage, state.park.stages, DEFAULT_STAGE)
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


@callback(
    Output("wi-save-message", "children"),
    Output("wi-base", "options"),
    Input("wi-save", "n_clicks"),
    State("wi-name", "value"),
    State("wi-overwrite", "value"),
    State("wi-scenario", "data"),
    State("wi-base", "value"),
    State("lang", "data"),
    prevent_initial_call=True,
)
def save(
    _n: int,
    name: str | None,
    overwrite: list[str] | None,
    data: str | None,
    base: str | None,
    lang: str | None,
) -> tuple[Any, Any]:
    """Save the what-if scenario under ``name`` in the scenarios folder.

    Never a shipped one; an existing file only with 'overwrite' ticked; at most
    :data:`~dashboard.controls.MAX_SAVED` saved scenarios of at most
    :data:`~dashboard.controls.MAX_FILE_BYTES` each; only a scenario that costs no more to
    simulate than its base (:func:`~dashboard.controls.check_cost`). One save at a time.
    """
    lang = norm_lang(lang)
    state = get_state()
    try:
        scenario = scenario_from_store(data, lang)
        check_cost(scenario, state.scenario(base), lang)
        with state.save_lock:
            path = save_scenario(
                state.scenarios_dir,
                name,
                scenario,
                overwrite=isinstance(overwrite, list) and "yes" in overwrite,
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
        scenario = scenario_from_store(data, lang)
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
