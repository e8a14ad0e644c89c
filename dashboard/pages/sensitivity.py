"""Sensitivity (敏感性): which assumption drives a stage's gap, as Sobol indices.

The analysis (:func:`model.sensitivity.sobol_indices`) runs the model hundreds to thousands
of times, so it runs as a Dash **background callback** in a process of its own (the app's
``DiskcacheManager``, see :func:`dashboard.app.job_manager`) with a progress bar and a
cancel button. Results are kept in the manager's disk cache under the scenario's content
hash, the park's data version, the quarter and the sample size, so a revisit (or another
visitor asking the same) is shown at once without running again (the cache and the limit
on runs at once are in :mod:`dashboard.sensitivity_jobs`); the page keeps the result in a
``dcc.Store`` and draws the chosen stage and gap from it.

Flow: :func:`plan` checks the controls (in the request; refusals are one sentence) and
either shows a cached result or, on "run", writes a request to ``sp-request``;
:func:`run` (background) checks the request again, computes and caches; :func:`render`
draws the figure and the sentence from ``sp-result``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import dash
from dash import Input, Output, State, callback, callback_context, dcc, html

from dashboard.components import error_message, field, graph, stage_options
from dashboard.figures import empty_figure
from dashboard.guards import Rejected, one_of
from dashboard.i18n import Texts, norm_lang, page_lang, page_lang_store
from dashboard.known import known_date
from dashboard.sensitivity_jobs import cached_result, compute, progress_reporter, result_key
from dashboard.sensitivity_view import (
    DEFAULT_N,
    DRAWN_MIN,
    check_n,
    check_quarter,
    drawn_factors,
    driver_sentence,
    indices_figure,
    is_constant,
    n_options,
    parse_result,
    stage_entry,
    variable_label,
    variable_options,
)
from dashboard.state import AppState, get_state
from model.catalogue import t
from model.errors import DataError
from model.park import Park
from model.scenario import Scenario
from model.sensitivity import factor_label

logger = logging.getLogger(__name__)

dash.register_page(
    __name__, path="/sensitivity", order=4.5, title_key="sp_page_title", name="sensitivity"
)

#: catalogue key of the message of a run that failed (the details go to the log)
FAILED = "sp_failed"
DEFAULT_STAGE = "separator"
DEFAULT_QUARTER = "2030Q4"


# ---------------------------------------------------------------------------
# checks
# ---------------------------------------------------------------------------
def checked(state: AppState, name: Any, quarter: Any, n: Any) -> tuple[Scenario, str, int]:
    """The scenario (by name from the folder's list), quarter and sample size, checked.

    Raises
    ------
    Rejected
        An unknown scenario name, a quarter outside the scenario's horizon, a sample size
        not offered.
    DataError
        The scenario file does not validate.
    """
    scenario = state.scenario(name)
    label = check_quarter(quarter, state.quarter_labels(scenario))
    return scenario, label, check_n(n)


def quarter_choice(labels: list[str], current: Any) -> str | None:
    """The quarter to show: ``current`` if it is on the horizon, else 2030Q4, else the last."""
    if isinstance(current, str) and current in labels:
        return current
    if DEFAULT_QUARTER in labels:
        return DEFAULT_QUARTER
    return labels[-1] if labels else None


# ---------------------------------------------------------------------------
# layout
# ---------------------------------------------------------------------------
def layout(lang: str | None = None, stored_lang: str | None = None, **_query: str) -> html.Div:
    """Controls and run button, progress bar, the chosen stage's chart and sentence, a note."""
    tx = Texts("sp", page_lang(lang, stored_lang))
    state = get_state()
    names = state.scenario_names()
    base = "baseline" if "baseline" in names else names[0]
    try:
        labels = state.quarter_labels(state.scenario(base))
    except (DataError, Rejected):
        labels = []
    stages = stage_options(state.park, tx.lang)
    controls = html.Div(
        [
            field(
                tx("sp_scenario"),
                dcc.Dropdown(
                    id="sp-scenario",
                    options=state.scenario_options(tx.lang),
                    value=base,
                    clearable=False,
                ),
            ),
            field(
                tx("sp_quarter"),
                dcc.Dropdown(
                    id="sp-quarter",
                    options=labels,
                    value=quarter_choice(labels, None),
                    clearable=False,
                ),
            ),
            field(
                tx("sp_n"),
                dcc.Dropdown(id="sp-n", options=n_options(), value=DEFAULT_N, clearable=False),
            ),
            html.Div(
                [
                    html.Button(tx("sp_run"), id="sp-run", n_clicks=0, className="pc-button"),
                    html.Button(
                        tx("sp_cancel"),
                        id="sp-cancel",
                        n_clicks=0,
                        disabled=True,
                        className="pc-button",
                    ),
                ],
                className="sp-buttons",
            ),
        ],
        className="pc-controls",
    )
    progress = html.Div(
        [
            html.Label(tx("sp_running"), htmlFor="sp-progress", className="sp-progress-label"),
            html.Progress(id="sp-progress", value="0", max="1", className="sp-progress"),
            html.Span("", id="sp-progress-text", className="sp-progress-text"),
        ],
        id="sp-progress-box",
        hidden=True,
        className="sp-progress-box",
        role="status",
    )
    view = html.Div(
        [
            field(
                tx("sp_stage"),
                dcc.Dropdown(
                    id="sp-stage",
                    options=stages,
                    value=DEFAULT_STAGE
                    if DEFAULT_STAGE in state.park.stages
                    else stages[0]["value"],
                    clearable=False,
                ),
            ),
            field(
                tx("sp_variable"),
                dcc.RadioItems(
                    id="sp-variable",
                    options=variable_options(tx.lang),
                    value="gap",
                    inline=True,
                    className="sp-radio",
                ),
            ),
        ],
        className="pc-controls",
    )
    note = html.Details(
        [
            tx.element(html.Summary, "sp_note_title"),
            html.Ul(
                [
                    html.Li(tx("sp_note_s1")),
                    html.Li(tx("sp_note_st")),
                    html.Li(tx("sp_note_conf")),
                ]
            ),
        ],
        open=True,
        className="sp-note",
    )
    return html.Div(
        [
            tx.element(html.H2, "sp_page_title"),
            tx.element(html.P, "sp_intro", className="pc-intro"),
            controls,
            progress,
            html.Div(id="sp-message"),
            view,
            html.P(id="sp-sentence", className="sp-sentence"),
            html.Div(graph("sp-graph"), id="sp-graph-box", hidden=True, className="sp-graph-box"),
            html.Div(id="sp-details"),
            note,
            dcc.Store(id="sp-request"),
            dcc.Store(id="sp-result"),
            page_lang_store(tx.lang),
        ],
        className="sp-page",
    )


# ---------------------------------------------------------------------------
# callbacks
# ---------------------------------------------------------------------------
@callback(
    Output("sp-scenario", "options"),
    Input("lang", "data"),
    # the page is built in the chosen language (``page_lang``): a switch relabels it
    prevent_initial_call=True,
)
def translate_scenarios(lang: str | None) -> list[dict[str, str]]:
    """The scenarios labelled by their titles in the chosen language."""
    return get_state().scenario_options(norm_lang(lang))


@callback(
    Output("sp-quarter", "options"),
    Output("sp-quarter", "value"),
    Output("sp-n", "options"),
    Output("sp-stage", "options"),
    Output("sp-variable", "options"),
    Input("sp-scenario", "value"),
    Input("lang", "data"),
    State("sp-quarter", "value"),
)
def choices(name: Any, lang: str | None, quarter: Any) -> tuple[Any, ...]:
    """The scenario's quarters (keeping the chosen one if it is on the horizon); labels."""
    lang = norm_lang(lang)
    state = get_state()
    try:
        labels = state.quarter_labels(state.scenario(name))
    except (DataError, Rejected):
        labels, quarter_out = dash.no_update, dash.no_update
    else:
        quarter_out = quarter_choice(labels, quarter)
    return (
        labels,
        quarter_out,
        n_options(),
        stage_options(state.park, lang),
        variable_options(lang),
    )


@callback(
    Output("sp-request", "data"),
    Output("sp-result", "data"),
    Output("sp-message", "children"),
    Input("sp-run", "n_clicks"),
    Input("sp-scenario", "value"),
    Input("sp-quarter", "value"),
    Input("sp-n", "value"),
    Input("known-as-of", "data"),
    State("lang", "data"),
)
def plan(
    clicks: Any, name: Any, quarter: Any, n: Any, known: Any, lang: str | None
) -> tuple[Any, Any, Any]:
    """Check the controls; show a kept result at once, or ask for a run on "run".

    Returns
    -------
    tuple
        The run request (``{"scenario", "quarter", "n", "known", "clicks"}``, read by
        :func:`run`), the result to show (kept, or ``None``) and the message.
    """
    lang = norm_lang(lang)
    base = get_state()
    state = base.known_on(known_date(known))
    try:
        scenario, label, size = checked(state, name, quarter, n)
    except Exception as exc:
        return dash.no_update, None, error_message(exc, lang)
    hit = cached_result(result_key(state, scenario, label, size))
    if hit is not None:
        return dash.no_update, hit, None
    if callback_context.triggered_id == "sp-run":
        request = {
            "scenario": scenario.name,
            "quarter": label,
            "n": size,
            "known": known if known_date(known) else None,
            "clicks": clicks if isinstance(clicks, int) else 0,
        }
        return request, None, None
    return dash.no_update, None, html.P(t("sp_press_run", lang), className="pc-hint")


@callback(
    Output("sp-result", "data", allow_duplicate=True),
    Output("sp-message", "children", allow_duplicate=True),
    Input("sp-request", "data"),
    State("lang", "data"),
    background=True,
    running=[
        (Output("sp-run", "disabled"), True, False),
        (Output("sp-cancel", "disabled"), False, True),
        (Output("sp-progress-box", "hidden"), False, True),
    ],
    progress=[
        Output("sp-progress", "value"),
        Output("sp-progress", "max"),
        Output("sp-progress-text", "children"),
    ],
    progress_default=["0", "1", "0%"],
    cancel=[Input("sp-cancel", "n_clicks")],
    interval=500,
    prevent_initial_call=True,
)
def run(
    set_progress: Callable[[tuple[str, str, str]], None], request: Any, lang: str | None
) -> tuple[Any, Any]:
    """Compute the analysis asked for in a job process, moving the progress bar.

    The request comes back from the browser: everything in it is checked again.
    """
    lang = norm_lang(lang)
    if not isinstance(request, Mapping):
        return dash.no_update, dash.no_update
    state = get_state().known_on(known_date(request.get("known")))
    try:
        scenario, quarter, n = checked(
            state, request.get("scenario"), request.get("quarter"), request.get("n")
        )
        result = compute(state, scenario, quarter, n, progress_reporter(set_progress))
    except (Rejected, DataError, ValueError) as exc:
        return None, error_message(exc, lang)
    except Exception:
        logger.exception("sensitivity analysis failed")
        return None, error_message(Rejected(FAILED), lang)
    return result, None


def factor_labels(park: Park, factors: list[str], lang: str) -> dict[str, str]:
    """Factor id -> its name in ``lang`` (utilisation and intensities by chain, ...)."""
    return {f: factor_label(f, lang, park) for f in dict.fromkeys(factors)}


def details(
    result: dict[str, Any], labels: dict[str, str], lang: str, hidden: int = 0
) -> list[html.P]:
    """Factors not drawn, the sample size and runs, and the factors that could not vary."""
    out = []
    if hidden:
        text = t("sp_hidden", lang, count=hidden, min=f"{DRAWN_MIN:.2f}")
        out.append(html.P(text, className="pc-hint"))
    if result.get("n") and result.get("runs"):
        text = t("sp_runs", lang, n=f"{result['n']:,}", runs=f"{result['runs']:,}")
        out.append(html.P(text, className="pc-hint"))
    if result.get("absent"):
        names = t("sp_list_sep", lang).join(labels.get(f, f) for f in result["absent"])
        out.append(html.P(t("sens_absent", lang, factors=names), className="pc-hint"))
    return out


@callback(
    Output("sp-graph", "figure"),
    Output("sp-graph-box", "hidden"),
    Output("sp-sentence", "children"),
    Output("sp-details", "children"),
    Input("sp-result", "data"),
    Input("sp-stage", "value"),
    Input("sp-variable", "value"),
    Input("lang", "data"),
)
def render(data: Any, stage: Any, variable: Any, lang: str | None) -> tuple[Any, ...]:
    """The chosen stage's bars, the sentence naming its top driver, what was analysed."""
    lang = norm_lang(lang)
    if data is None:
        return dash.no_update, True, None, None
    state = get_state()
    stage_id = one_of(stage, state.park.stages, DEFAULT_STAGE)
    var = one_of(variable, ("gap", "market_gap"), "gap")
    try:
        result = parse_result(data)
    except Rejected as exc:
        return dash.no_update, True, error_message(exc, lang), None
    factors = [f["factor"] for e in result["stages"] for f in e["factors"]] + result["absent"]
    labels = factor_labels(state.park, factors, lang)
    name = state.park.stages[stage_id].name(lang)
    quarter = result["quarter"]
    entry = stage_entry(result, stage_id, var)
    if entry is None:
        fmt = {"stage": name, "variable": variable_label(var, lang, in_sentence=True)}
        if is_constant(result, stage_id, var):
            text = t("sp_no_spread", lang, quarter=quarter, **fmt)
        else:
            text = t("sp_no_stage", lang, **fmt)
        return empty_figure(text), True, text, details(result, labels, lang)
    figure = indices_figure(entry, labels, name, quarter, var, lang)
    sentence = driver_sentence(entry, labels, name, quarter, var, lang)
    hidden = drawn_factors(entry)[1]
    return figure, False, sentence, details(result, labels, lang, hidden)
