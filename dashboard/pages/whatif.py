"""What-if (假设分析): move the levers of a scenario and see capacity, gaps and demand change.

Runs 1,000 draws, results cached by scenario content hash; result cards compare the
what-if with its start scenario (same seed). The levers travel in the URL query, so a link
reproduces the page. Save the result as a titled scenario file or download it. This module
holds the page's layout and callbacks; the levers' ids, widgets and URL query are in
:mod:`dashboard.whatif_levers`, what the page shows for them in :mod:`dashboard.whatif_view`.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import dash
from dash import Input, Output, State, callback, callback_context, clientside_callback, dcc, html

from dashboard.components import field, graph, stage_options
from dashboard.controls import (
    AUTO,
    WHATIF_NAME,
    check_cost,
    check_number,
    check_text,
    defaults,
    file_stem,
    lever_label,
    project_ids,
    refusal,
    save_scenario,
    scenario_file_text,
    titled,
)
from dashboard.guards import Rejected, one_of
from dashboard.i18n import Texts, norm_lang, number
from dashboard.known import known_date
from dashboard.state import get_state
from dashboard.whatif_levers import (
    CONTROL_IDS,
    DEMAND_UNIT,
    LEVERS,
    LEVERS_BY_ID,
    MAX_QUERY_VALUE,
    args_from_values,
    auto_options,
    intensity_options,
    lever_field,
    lever_value,
    project_options,
    query_from_values,
    ramp_max,
    range_slider,
    scenario_from_store,
    shape_options,
    slider,
    start_demand_input,
    status_levers,
    typed_value,
    util_hint,
    values_from_args,
    values_from_query,
)
from dashboard.whatif_levers import RAMP_MAX as RAMP_MAX  # re-exported: tests read it here
from dashboard.whatif_view import CAP_VARIABLES, cap_variable_options, cards_view, compute
from model.catalogue import t
from model.errors import DataError
from model.pipeline import ACTIVE

dash.register_page(__name__, path="/what-if", order=3, title_key="page_whatif", name="what-if")

logger = logging.getLogger(__name__)
DEFAULT_STAGE = "storage_cabinet"
CONTROL_INPUTS = [Input(i, "value") for i in CONTROL_IDS]
#: how long the page waits before it shows that it is computing (ms)
LOADING_DELAY_MS = 300
#: the results container's class, and with a failed update (stale charts greyed out)
RESULTS_CLASS = "wi-results"
STALE_CLASS = "wi-results wi-stale"
#: longest URL query the page reads (characters, keys and values together)
MAX_QUERY_CHARS = 4000


def _messages(sentences: list[str], role: str = "alert") -> html.Div | None:
    """Sentences under a field or above the charts (``None`` for none)."""
    if not sentences:
        return None
    return html.Div([html.Div(s) for s in sentences], className="pc-alert wi-msg-box", role=role)


def sentences(exc: BaseException, lang: str) -> list[str]:
    """What the page says about an exception: one sentence per problem, in ``lang``.

    A refused input: its translated message; a ``DataError``: each problem's sentence
    (the controls write them whole: label, value, what is expected); anything else: a
    short message, the traceback in the server log only. Never a Python repr, never a path.
    """
    if isinstance(exc, Rejected):
        return [exc.message(lang)]
    if isinstance(exc, DataError):
        return [p.expected for p in exc.problems]
    if isinstance(exc, ValueError) and str(exc) and "\n" not in str(exc):
        return [str(exc)]
    logger.exception("what-if callback failed", exc_info=exc)
    return [t("ui_internal_error", lang)]


def link_refusals(refused: list[Any], lang: str) -> list[str]:
    """The sentences of the link's refused values (:func:`values_from_query`'s third part)."""
    state = get_state()
    out = []
    for item in refused if isinstance(refused, list) else []:
        if not (isinstance(item, list | tuple) and len(item) == 3):
            continue
        kind, lever, value = (str(x)[:MAX_QUERY_VALUE] for x in item)
        if kind == "repeated":
            out.append(t("wi_link_repeated", lang, label=_label(lever, lang)))
        elif kind == "too_long":
            out.append(t("wi_link_too_long", lang))
        elif kind == "base":
            out.append(t("wi_link_unknown_base", lang))  # never the visitor's text (a path?)
        else:
            out.append(refusal(kind, lever, value, lang, state.park))
    return out


def _label(lever: str, lang: str) -> str:
    return lever_label(lever, lang, get_state().park)


def layout(base: str = "baseline", lang: str | None = None, **query: Any) -> html.Div:
    """The levers on the left, the result cards and charts on the right, save below.

    ``base`` and the other query keys are the URL's (untrusted): the levers start from the
    start scenario's values, changed by the query's (:func:`values_from_query`).
    """
    tx = Texts("wi", lang)
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
    stage = view.get("stage", DEFAULT_STAGE)
    cap_var = view["var"] if view.get("var") in CAP_VARIABLES else "nameplate"
    lv = LEVERS_BY_ID
    controls = html.Div(
        [
            field(
                tx("ui_base_scenario"),
                dcc.Dropdown(
                    id="wi-base",
                    options=state.scenario_options(tx.lang),
                    value=base_name,
                    clearable=False,
                ),
            ),
            html.H4(tx("ui_group_demand")),
            lever_field(
                tx("ui_growth"),
                lv["wi-growth"],
                slider("wi-growth", -50, 300, 1, v["growth"], [-50, 0, 100, 200, 300]),
                v["growth"],
                tx.lang,
            ),
            lever_field(
                tx("ui_spread"),
                lv["wi-spread"],
                slider("wi-spread", 0, 100, 1, v["spread"], [0, 25, 50, 100]),
                v["spread"],
                tx.lang,
            ),
            field(
                tx("ui_base_gwh", unit=DEMAND_UNIT),
                html.Div(
                    [
                        start_demand_input(v["base_gwh"], tx.lang),
                        html.Div(id="wi-base-gwh-msg", className="wi-msg", role="alert"),
                    ]
                ),
            ),
            html.H4(tx("ui_group_mix")),
            *[
                lever_field(
                    tx(f"tech_{k}"),
                    lv[f"wi-mix-{k}"],
                    slider(f"wi-mix-{k}", 0, 100, 5, v["mix"][k], [0, 50, 100]),
                    v["mix"][k],
                    tx.lang,
                )
                for k in ("lfp", "sodium_ion", "vanadium_flow", "gravity")
            ],
            html.H4(tx("ui_group_supply")),
            lever_field(
                tx("ui_util"),
                lv["wi-util"],
                range_slider("wi-util", 100, v["util"], [1, 25, 50, 75, 100]),
                v["util"],
                tx.lang,
                hint=html.Div(util_hint(park, base_s, tx.lang), id="wi-util-hint"),
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
            lever_field(
                tx("ui_ramp_quarters"),
                lv["wi-ramp"],
                range_slider("wi-ramp", ramp_max(v), v["ramp"], [1, 4, 8, 12, 20, 40]),
                v["ramp"],
                tx.lang,
            ),
            field(
                tx("ui_ramp_shape"),
                dcc.RadioItems(
                    id="wi-shape", options=shape_options(tx.lang), value=v["shape"], inline=True
                ),
            ),
            html.H4(tx("ui_group_status")),
            status_levers(park, v, tx),
            html.H4(tx("ui_group_projects")),
            dcc.Checklist(
                id="wi-projects",
                options=project_options(park, base_s, tx.lang),
                value=v["included"],
                className="pc-checklist",
            ),
        ],
        className="pc-side wi-side",
    )
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
            html.P(tx("wi_copy_link"), className="pc-hint wi-link-hint"),
            html.H3(tx("ui_save_title")),
            html.Div(
                [
                    field(
                        tx("wi_save_title_label"),
                        dcc.Input(
                            id="wi-name",
                            type="text",
                            placeholder=tx.text("wi_save_title_placeholder"),
                            debounce=False,
                            maxLength=200,
                            className="pc-text wi-title",
                        ),
                    ),
                    field(
                        tx("wi_save_note_label"),
                        dcc.Textarea(
                            id="wi-note", maxLength=2000, rows=2, className="pc-text wi-note"
                        ),
                    ),
                    html.Div(id="wi-file-name", className="pc-hint wi-file-name"),
                    html.Div(
                        [
                            dcc.Checklist(
                                id="wi-overwrite",
                                options=[{"label": tx.text("ui_overwrite"), "value": "yes"}],
                                value=[],
                                inline=True,
                            ),
                            html.Button(
                                tx("ui_save"), id="wi-save", n_clicks=0, className="pc-button"
                            ),
                            html.Button(
                                tx("ui_download_toml"),
                                id="wi-download-btn",
                                n_clicks=0,
                                className="pc-button",
                            ),
                        ],
                        className="pc-controls",
                    ),
                ],
                className="wi-save",
            ),
            html.Div(id="wi-save-message"),
            dcc.Download(id="wi-download"),
            dcc.Store(id="wi-scenario"),
            dcc.Store(id="wi-auto-gwh"),
            dcc.Store(id="wi-url-refused", data=[list(r) for r in refused]),
            dcc.Store(id="wi-query"),
            dcc.Location(id="wi-url", refresh=False),
        ],
        className="pc-charts wi-charts",
    )
    return html.Div(
        [
            html.H2(tx("page_whatif")),
            html.P(tx("ui_whatif_intro"), className="pc-intro"),
            html.Div(id="wi-url-message"),
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
    Output("wi-url-message", "children"),
    Input("wi-url-refused", "data"),
    Input("lang", "data"),
)
def show_link_refusals(refused: Any, lang: str | None) -> Any:
    """What the opened link asked for that was refused, in the page's language."""
    lang = norm_lang(lang)
    lines = link_refusals(refused, lang)
    if not lines:
        return None
    return _messages([t("wi_link_value_refused", lang), *lines])


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
    Output("wi-base-gwh-msg", "children"),
    Input("wi-base-gwh", "value"),
    Input("wi-base-auto", "value"),
    State("lang", "data"),
    prevent_initial_call=True,
)
def check_start_demand(value: Any, auto: Any, lang: str | None) -> Any:
    """A sentence under the start-demand box when its number is refused."""
    if isinstance(auto, list) and AUTO in auto:
        return None
    try:
        check_number(value, "base_gwh", norm_lang(lang))
    except ValueError as exc:
        return _messages([str(exc)])
    return None


def _sync(lever_id: str) -> None:
    """Register the callback that keeps a lever's slider, boxes and message in step.

    A slider moved: its boxes show the value. A box typed (applied on Enter or on leaving
    it): the value goes to the slider, or is refused with a sentence under the field (the
    slider keeps its value: nothing is clamped). The reset button: the start scenario's value.
    """
    lever = LEVERS_BY_ID[lever_id]
    boxes = lever.boxes()

    @callback(
        Output(lever_id, "value", allow_duplicate=True),
        *[Output(b, "value") for b in boxes],
        Output(f"{lever_id}-msg", "children"),
        Input(lever_id, "value"),
        *[Input(b, "value") for b in boxes],
        Input(f"{lever_id}-reset", "n_clicks"),
        State("wi-base", "value"),
        State("lang", "data"),
        prevent_initial_call=True,
    )
    def sync(value: Any, *rest: Any) -> tuple[Any, ...]:
        *typed, _reset, base, lang = rest
        return sync_lever(lever_id, callback_context.triggered_id, value, typed, base, lang)

    sync.__name__ = f"sync_{lever_id.replace('-', '_')}"


def sync_lever(
    lever_id: str, trigger: Any, value: Any, typed: list[Any], base: Any, lang: Any
) -> tuple[Any, ...]:
    """The body of a lever's sync callback (see :func:`_sync`), as a plain function.

    Returns
    -------
    tuple
        (the lever's value, each box's value, the message under the field).
    """
    lang = norm_lang(lang)
    lever = LEVERS_BY_ID[lever_id]
    keep = dash.no_update
    n = len(lever.boxes())
    if trigger == f"{lever_id}-reset":
        state = get_state()
        try:
            start = lever_value(defaults(state.park, state.scenario(base)), lever.lever)
        except (DataError, Rejected) as exc:
            return (keep, *([keep] * n), _messages(sentences(exc, lang)))
        shown = list(start) if lever.pair else [start]
        return (start, *shown, None)
    if trigger == lever_id:  # the slider moved (or the start scenario changed)
        shown = list(value) if lever.pair and isinstance(value, list | tuple) else [value]
        if len(shown) != n:
            return (keep, *([keep] * n), None)
        return (keep, *shown, None)
    try:
        accepted = typed_value(lever, typed, lang, get_state().park)
    except ValueError as exc:
        return (keep, *([keep] * n), _messages([str(exc)]))
    if accepted == value:
        return (keep, *([keep] * n), None)
    return (accepted, *([keep] * n), None)


for _lever in LEVERS:
    _sync(_lever.ident)


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
        return (*([dash.no_update] * (len(CONTROL_IDS) + 3)), _messages(sentences(exc, lang)))
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
    Output("wi-cards", "children"),
    Output("wi-message", "children"),
    Output("wi-scenario", "data"),
    Output("wi-auto-gwh", "data"),
    Output("wi-base-gwh", "placeholder"),
    Output("wi-results", "className"),
    Output("wi-query", "data"),
    *CONTROL_INPUTS,
    Input("wi-stage", "value"),
    Input("wi-cap-var", "value"),
    Input("lang", "data"),
    Input("known-as-of", "data"),
    State("wi-base", "value"),
)
def update(*args: Any) -> tuple[Any, ...]:
    """Re-simulate (cached) and redraw when any lever moves.

    A failure keeps the last charts, greyed out (``wi-stale``), with one sentence per
    problem above them; the URL query follows the levers.
    """
    *controls, stage, cap_var, lang, known, base = args
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
        msg = _messages([t("wi_stale", lang), *said])
        return (*([dash.no_update] * 5), msg, None, *([dash.no_update] * 2), STALE_CLASS, None)
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
        query,
    )


# the URL follows the levers: history.pushState through the page's own Location (no
# reload, no new page render); a ``lang`` the link had is kept
clientside_callback(
    """function(query, search) {
        if (typeof query !== 'string' || !query) { return window.dash_clientside.no_update; }
        var had = new URLSearchParams(search || '');
        var want = new URLSearchParams(query);
        if (had.has('lang')) { want.set('lang', had.get('lang')); }
        var text = '?' + want.toString();
        return text === search ? window.dash_clientside.no_update : text;
    }""",
    Output("wi-url", "search"),
    Input("wi-query", "data"),
    State("wi-url", "search"),
)


@callback(
    Output("wi-file-name", "children"),
    Input("wi-name", "value"),
    Input("wi-overwrite", "value"),
    Input("lang", "data"),
    prevent_initial_call=True,
)
def show_file_name(title: Any, _overwrite: Any, lang: str | None) -> Any:
    """The file a title saves to, shown before saving (and whether it replaces one)."""
    lang = norm_lang(lang)
    try:
        text = check_text(title, "title", lang, required=False)
    except ValueError as exc:
        return _messages([str(exc)])
    if not text:
        return None
    stem = file_stem(text)
    state = get_state()
    exists = any(p.stem.casefold() == stem.casefold() for p in state.scenarios_dir.glob("*.toml"))
    key = "wi_file_exists" if exists else "wi_file_name"
    return t(key, lang, file=f"{stem}.toml")


# the note travels in the stored scenario (its ``rationale``), kept there when the levers
# move and the update writes a new one; checked again when saved
clientside_callback(
    """function(note, data) {
        if (typeof data !== 'string' || !data) { return window.dash_clientside.no_update; }
        var s = JSON.parse(data);
        var text = (typeof note === 'string') ? note.trim() : '';
        if ((s.rationale || '') === text) { return window.dash_clientside.no_update; }
        s.rationale = text;
        return JSON.stringify(s);
    }""",
    Output("wi-scenario", "data", allow_duplicate=True),
    Input("wi-note", "value"),
    Input("wi-scenario", "data"),
    prevent_initial_call=True,
)


@callback(
    Output("wi-base", "options"),
    Input("lang", "data"),
    Input("wi-save-message", "children"),
)
def base_options(lang: str | None, _saved: Any) -> list[dict[str, str]]:
    """The scenarios, titled in the chosen language (again after a save adds one)."""
    return get_state().scenario_options(norm_lang(lang))


@callback(
    Output("wi-save-message", "children"),
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
    title: str | None,
    overwrite: list[str] | None,
    data: str | None,
    base: str | None,
    lang: str | None,
) -> Any:
    """Save the what-if scenario under a file name derived from its title.

    The title (Chinese or English) and the note (the stored scenario's ``rationale``, set
    from the note box in the browser and checked again here) go into the file; the name is
    :func:`~dashboard.controls.file_stem` of the title. Never a shipped one; an existing
    file only with 'overwrite' ticked; at most :data:`~dashboard.controls.MAX_SAVED` saved
    scenarios of at most :data:`~dashboard.controls.MAX_FILE_BYTES` each; only a scenario
    that costs no more to simulate than its base (:func:`~dashboard.controls.check_cost`).
    One save at a time.
    """
    lang = norm_lang(lang)
    state = get_state()
    try:
        text = check_text(title, "title", lang, required=True)
        scenario = scenario_from_store(data, lang)
        check_cost(scenario, state.scenario(base), lang)
        remark = check_text(scenario.rationale, "note", lang, required=False)
        with state.save_lock:
            path = save_scenario(
                state.scenarios_dir,
                file_stem(text),
                titled(scenario, text, remark),
                overwrite=isinstance(overwrite, list) and "yes" in overwrite,
                lang=lang,
                park=state.park,
            )
    except Exception as exc:
        return _messages(sentences(exc, lang))
    return html.Div(t("ui_saved", lang, path=path.name), className="pc-ok", role="status")


@callback(
    Output("wi-download", "data"),
    Output("wi-save-message", "children", allow_duplicate=True),
    Input("wi-download-btn", "n_clicks"),
    State("wi-name", "value"),
    State("wi-scenario", "data"),
    State("lang", "data"),
    prevent_initial_call=True,
)
def download(_n: int, title: str | None, data: str | None, lang: str | None) -> tuple[Any, Any]:
    """The what-if scenario as a TOML file (named after its title, if it has one)."""
    lang = norm_lang(lang)
    try:
        text = check_text(title, "title", lang, required=False)
        scenario = scenario_from_store(data, lang)
        remark = check_text(scenario.rationale, "note", lang, required=False)
        stem = file_stem(text) if text else WHATIF_NAME
        scenario = scenario.with_changes(name=stem)
        if text:
            scenario = titled(scenario, text, remark)
    except Exception as exc:
        return dash.no_update, _messages(sentences(exc, lang))
    return {
        "content": scenario_file_text(scenario),
        "filename": f"{stem}.toml",
        "type": "application/toml",
    }, None
