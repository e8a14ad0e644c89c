"""What-if (假设分析): move the levers of a scenario and see capacity, gaps and demand change.

Runs 1,000 draws, results cached by scenario content hash; result cards compare the
what-if with its start scenario (same seed). The levers travel in the URL query, so a link
reproduces the page. Save the result as a titled scenario file or download it. This module
holds the page's layout and its callbacks for the start scenario, the results and the
labels; the levers' ids and values are in :mod:`dashboard.whatif_levers`, their widgets in
:mod:`dashboard.whatif_widgets`, the URL query in :mod:`dashboard.whatif_link`, what the
page shows for them in :mod:`dashboard.whatif_view`. The lever callbacks
(:mod:`dashboard.whatif_sync`), their messages on a switch of language
(:mod:`dashboard.whatif_reword`) and the save callbacks (:mod:`dashboard.whatif_save`) are
registered from here, so once for every app.
"""

from __future__ import annotations

import json
from typing import Any

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboard.components import field, graph, stage_options
from dashboard.controls import defaults, project_ids
from dashboard.guards import Rejected, one_of
from dashboard.i18n import Texts, norm_lang, number, page_lang, page_lang_store
from dashboard.known import known_date
from dashboard.state import AppState, get_state
from dashboard.whatif_levers import (
    CONTROL_IDS,
    DEMAND_UNIT,
    args_from_values,
    ramp_max,
    values_from_args,
)
from dashboard.whatif_link import (
    MAX_QUERY_CHARS,
    address_query,
    link_refusals,
    query_from_values,
    values_from_query,
)
from dashboard.whatif_messages import messages, sentences
from dashboard.whatif_reword import register_callbacks as register_reword_callbacks
from dashboard.whatif_save import register_callbacks as register_save_callbacks
from dashboard.whatif_save import save_panel
from dashboard.whatif_sync import register_callbacks as register_sync_callbacks
from dashboard.whatif_view import CAP_VARIABLES, cap_variable_options, cards_view, compute
from dashboard.whatif_widgets import (
    STATUS_IDS,
    auto_options,
    intensity_options,
    lever_panel,
    project_options,
    shape_options,
    status_held,
    status_levers,
    util_hint,
)
from model.catalogue import t
from model.errors import DataError

dash.register_page(__name__, path="/what-if", order=3, title_key="page_whatif", name="what-if")

DEFAULT_STAGE = "storage_cabinet"
CONTROL_INPUTS = [Input(i, "value") for i in CONTROL_IDS]
#: how long the page waits before it shows that it is computing (ms)
LOADING_DELAY_MS = 300
#: the results container's class, and with a failed update (stale charts greyed out)
RESULTS_CLASS = "wi-results"
STALE_CLASS = "wi-results wi-stale"

# the lever and save callbacks live in their own modules; registered here, once per app
register_sync_callbacks()
register_reword_callbacks()
register_save_callbacks()


def layout(
    base: str = "baseline",
    lang: str | None = None,
    stored_lang: str | None = None,
    **query: Any,
) -> html.Div:
    """The levers on the left, the result cards and charts on the right, save below.

    ``base`` and the other query keys are the URL's (untrusted): the levers start from the
    start scenario's values, changed by the query's (:func:`values_from_query`).
    """
    tx = Texts("wi", page_lang(lang, stored_lang))
    state = get_state()
    names = state.scenario_names()
    refused: list[tuple[str, str, str]] = []
    fallback = "baseline" if "baseline" in names else names[0]
    base_name = base if isinstance(base, str) and base in names else fallback
    if base_name != base:
        refused.append(("base", "base", ""))
    base_s = state.scenario(base_name)
    park = state.park
    base_values = defaults(park, base_s)
    listed = project_ids(park, base_s)
    if sum(len(str(k)) + len(str(v)) for k, v in query.items()) > MAX_QUERY_CHARS:
        refused.append(("too_long", "", ""))
        query = {}
    v, view, more = values_from_query(query, base_values, listed, park.stages)
    refused += more
    refusals = [list(r) for r in refused]
    stage = view.get("stage", DEFAULT_STAGE)
    cap_var = view["var"] if view.get("var") in CAP_VARIABLES else "nameplate"
    options = state.scenario_options(tx.lang)
    controls = lever_panel(tx, options, base_name, park, base_s, v, base_values)
    results = html.Div(
        [
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
        ],
        id="wi-results",
        className=RESULTS_CLASS,
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
                            value=stage,
                            clearable=False,
                        ),
                    ),
                    field(
                        tx("ui_fan_variable"),
                        dcc.RadioItems(
                            id="wi-cap-var",
                            options=cap_variable_options(tx.lang),
                            value=cap_var,
                            inline=True,
                        ),
                    ),
                ],
                className="pc-controls",
            ),
            html.Div(id="wi-message"),
            dcc.Loading(
                results,
                id="wi-loading",
                delay_show=LOADING_DELAY_MS,
                overlay_style={"visibility": "visible", "opacity": 0.6},
                type="circle",
            ),
            tx.element(html.P, "wi_copy_link", className="pc-hint wi-link-hint"),
            *save_panel(tx),
            dcc.Store(id="wi-scenario"),
            page_lang_store(tx.lang),
            dcc.Store(id="wi-auto-gwh"),
            dcc.Store(id="wi-url-refused", data=refusals),
            dcc.Location(id="wi-url", refresh=False),
        ],
        className="pc-charts wi-charts",
    )
    return html.Div(
        [
            tx.element(html.H2, "page_whatif"),
            tx.element(html.P, "ui_whatif_intro", className="pc-intro"),
            html.Div(link_message(refusals, tx.lang), id="wi-url-message"),
            # pinned above both columns: a lever moved anywhere shows its effect here
            html.Div(
                dcc.Loading(
                    html.Div(id="wi-cards", className="wi-cards"),
                    id="wi-cards-loading",
                    delay_show=LOADING_DELAY_MS,
                    overlay_style={"visibility": "visible", "opacity": 0.6},
                    type="dot",
                ),
                className="wi-cards-pin",
            ),
            html.Div([controls, charts], className="pc-split wi-split"),
        ],
        className="wi-page",
    )


@callback(
    Output("wi-projects", "options"),
    Output("wi-stage", "options"),
    Output("wi-intensity", "options"),
    Output("wi-shape", "options"),
    Output("wi-base-auto", "options"),
    Output("wi-cap-var", "options"),
    Output("wi-util-hint", "children"),
    Input("lang", "data"),
    State("wi-base", "value"),
    # the page is built in the chosen language (``page_lang``): a switch relabels it
    prevent_initial_call=True,
)
def translate_options(lang: str | None, base: str | None) -> tuple[Any, ...]:
    """Labels that come from the data (projects, stages, statuses) in the chosen language."""
    lang = norm_lang(lang)
    state = get_state()
    try:
        base_s = state.scenario(base or "baseline")
    except (DataError, Rejected):
        return (dash.no_update,) * 7
    park = state.park
    return (
        project_options(park, base_s, lang),
        stage_options(park, lang),
        intensity_options(lang),
        shape_options(lang),
        auto_options(lang),
        cap_variable_options(lang),
        util_hint(park, base_s, lang),
    )


@callback(
    Output("wi-status-box", "children"),
    Input("wi-status-fold", "n_clicks"),
    State("wi-status-box", "children"),
    State("lang", "data"),
    *[State(i, "value") for i in STATUS_IDS],
    prevent_initial_call=True,
)
def fill_status(clicks: int | None, body: Any, lang: str | None, *held: Any) -> Any:
    """Build the status levers' table the first time it is opened (with their values now)."""
    if not clicks or body:
        return dash.no_update
    tx = Texts("wi-st", lang)
    return status_levers(get_state().park, status_held(list(held)), tx)


@callback(
    Output("wi-url-message", "children"),
    Input("lang", "data"),
    State("wi-url-refused", "data"),
    # the layout says it first (:func:`link_message`); a switch of language says it anew
    prevent_initial_call=True,
)
def show_link_refusals(lang: str | None, refused: Any) -> Any:
    """What the opened link asked for that was refused, in the chosen language."""
    return link_message(refused, norm_lang(lang))


def link_message(refused: Any, lang: str) -> Any:
    """The sentences on what a link asked for that was refused (``None``: nothing was)."""
    lines = link_refusals(refused, lang)
    if not lines:
        return None
    return messages([t("wi_link_value_refused", lang), *lines])


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
        return (*([dash.no_update] * (len(CONTROL_IDS) + 3)), messages(sentences(exc, lang)))
    values = defaults(state.park, base_s)
    return (
        *args_from_values(values),
        ramp_max(values),
        util_hint(state.park, base_s, lang),
        project_options(state.park, base_s, lang),
        None,
    )


def warm(state: AppState, lang: str) -> None:
    """Compute what the page shows first (:mod:`dashboard.warmup`): the start scenario's run."""
    if "baseline" in state.scenario_names():
        values = values_from_args(
            args_from_values(defaults(state.park, state.scenario("baseline")))
        )
        compute(state, "baseline", values, DEFAULT_STAGE, lang)


@callback(
    Output("wi-fan-cap", "figure"),
    Output("wi-fan-gap", "figure"),
    Output("wi-tech", "figure"),
    Output("wi-gaps", "figure"),
    Output("wi-cards", "children"),
    Output("wi-message", "children"),
    Output("wi-scenario", "data"),
    Output("wi-auto-gwh", "data"),
    Output("wi-base-gwh", "placeholder"),
    Output("wi-results", "className"),
    Output("wi-url", "search"),
    *CONTROL_INPUTS,
    Input("wi-stage", "value"),
    Input("wi-cap-var", "value"),
    Input("lang", "data"),
    Input("known-as-of", "data"),
    State("wi-base", "value"),
    State("wi-url", "search"),
)
def update(*args: Any) -> tuple[Any, ...]:
    """Re-simulate (cached) and redraw when any lever moves.

    A failure keeps the last charts, greyed out (``wi-stale``), with one sentence per
    problem above them; the address's query follows the levers (:func:`address_query`).
    """
    *controls, stage, cap_var, lang, known, base, search = args
    lang = norm_lang(lang)
    day = known_date(known)
    state = get_state().known_on(day)
    stage_ = one_of(stage, state.park.stages, DEFAULT_STAGE)
    values = values_from_args(controls)
    try:
        out = compute(state, base or "baseline", values, stage_, lang, cap_var, day)
    except Exception as exc:
        said = sentences(exc, lang)
        if isinstance(exc, DataError) and all(p.field == "demand.base_gwh" for p in exc.problems):
            said = []  # said under the start-demand box
        msg = messages([t("wi_stale", lang), *said])
        keep = dash.no_update
        return (*([keep] * 5), msg, None, *([keep] * 2), STALE_CLASS, keep)
    scenario = out["scenario"]
    data = scenario.model_dump(mode="json")
    auto_gwh = out["auto_gwh"]
    base_s = state.scenario(base or "baseline")
    query = query_from_values(
        {**values, "included": values.get("included")},
        defaults(state.park, base_s),
        base_s.name,
        project_ids(state.park, base_s),
        stage_ if stage_ != DEFAULT_STAGE else None,
        cap_var if cap_var in CAP_VARIABLES and cap_var != "nameplate" else None,
    )
    return (
        out["fan_cap"],
        out["fan_gap"],
        out["tech"],
        out["gaps"],
        cards_view(out["cards"], out["quarter"], lang),
        None,
        json.dumps(data, ensure_ascii=False),
        auto_gwh,
        t("ui_auto_value", lang, value=f"{number(auto_gwh)} {DEMAND_UNIT}"),
        RESULTS_CLASS,
        address_query(query, search) or dash.no_update,
    )


@callback(
    Output("wi-base", "options"),
    Input("lang", "data"),
    Input("wi-save-message", "children"),
    # the page is built in the chosen language (``page_lang``): a switch relabels it
    prevent_initial_call=True,
)
def base_options(lang: str | None, _saved: Any) -> list[dict[str, str]]:
    """The scenarios, titled in the chosen language (again after a save adds one)."""
    return get_state().scenario_options(norm_lang(lang))
