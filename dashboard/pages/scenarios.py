"""Scenarios (情景对比): two or more scenarios side by side.

Fan charts of capacity and gap of a chosen stage, the inputs in which they differ (in
words), and a waterfall attributing the difference in one stage's gap (or capacity) to the
levers and projects that differ. By default the stage is the one where the chosen
scenarios differ most (:func:`most_different_stage`), so the page opens on a difference.
The waterfall of a pair is computed once for every stage and quarter and cached, so
changing the stage, quarter or variable costs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dash
import numpy as np
import xarray as xr
from dash import Input, Output, State, callback, dcc, html

from dashboard import workers
from dashboard.components import (
    dropdown_labels,
    error_message,
    field,
    graph,
    problems_box,
    stage_options,
    table,
)
from dashboard.figures import empty_figure, fan_chart, waterfall_figure
from dashboard.guards import UNKNOWN_CHOICE, Rejected, one_of, scenario_names
from dashboard.i18n import Texts, norm_lang, page_lang, page_lang_store
from dashboard.known import STORE, known_date
from dashboard.state import AppState, get_state
from dashboard.views import differences_rows
from model.catalogue import t
from model.scenario import SHIPPED, Scenario, differences

dash.register_page(
    __name__, path="/scenarios", order=2, title_key="page_scenarios", name="scenarios"
)

DEFAULT_STAGE = "lfp_cell"
#: the stage picker's value that means "where the chosen scenarios differ most"
AUTO = "auto"
#: what the fan charts draw (summarised over draws; the rest is not needed here)
FAN_VARIABLES = ("nameplate", "gap")
#: spreads below this share of the stage's own scale are float noise, not a difference
NOISE = 1e-6


def stage_spreads(
    summaries: Mapping[str, xr.Dataset],
    yardsticks: Mapping[str, float],
    variables: Sequence[str] = FAN_VARIABLES,
) -> dict[str, float]:
    """How far apart the scenarios' P50s are at the horizon, per stage, in cell-GWh-eq.

    Parameters
    ----------
    summaries
        Scenario name -> ``summarize`` result (``stat`` p50, dims quarter and stage).
    yardsticks
        Stage -> units of the stage per GWh of its reference product
        (:meth:`model.chain.Chain.yardstick`); NaN for stages with no storage yardstick.
    variables
        The variables compared (the fan charts': nameplate and gap).

    Returns
    -------
    dict
        Stage -> the largest, over ``variables``, of (max - min) of the P50 in the last
        quarter the scenarios share, in GWh a year of the stage's reference product. A
        stage with no yardstick (photovoltaic) counts by its relative spread (spread over
        the largest P50), which is at most 1: it is chosen only where no storage stage
        differs by as much as 1 GWh-eq. Spreads below :data:`NOISE` of the values are 0.
    """
    sms = list(summaries.values())
    if len(sms) < 2:
        return {}
    shared = [q for q in sms[0]["quarter"].values if all(q in sm["quarter"].values for sm in sms)]
    if not shared:
        return {}
    last = shared[-1]
    stages = [str(x) for x in sms[0]["stage"].values]
    out = dict.fromkeys(stages, 0.0)
    for var in variables:
        p50 = np.stack(
            [
                sm[var].sel(stat="p50", quarter=last).sel(stage=stages).values.astype(float)
                for sm in sms
            ]
        )  # scenario x stage
        spread = np.nanmax(p50, axis=0) - np.nanmin(p50, axis=0)
        scale = np.nanmax(np.abs(p50), axis=0)
        for j, stage in enumerate(stages):
            if not np.isfinite(spread[j]) or spread[j] <= NOISE * scale[j]:
                continue
            stick = float(yardsticks.get(stage, float("nan")))
            value = spread[j] / stick if np.isfinite(stick) and stick > 0 else spread[j] / scale[j]
            out[stage] = max(out[stage], float(value))
    return out


def most_different_stage(
    summaries: Mapping[str, xr.Dataset],
    yardsticks: Mapping[str, float],
    default: str = DEFAULT_STAGE,
) -> tuple[str, bool]:
    """The stage where the scenarios differ most (:func:`stage_spreads`), and whether any do.

    Returns
    -------
    tuple
        ``(stage, True)``; ``(default, False)`` if the scenarios' P50s agree everywhere.
        Ties go to the earlier stage in the park's order.
    """
    spreads = stage_spreads(summaries, yardsticks)
    if not spreads or max(spreads.values()) <= 0:
        return default, False
    best = max(spreads.values())
    return next(s for s, v in spreads.items() if v == best), True


def resolve_stage(state: AppState, names: Sequence[str], stage: Any) -> tuple[str, bool | None]:
    """The stage to draw: the picked one, or where ``names`` differ most for :data:`AUTO`.

    Returns
    -------
    tuple
        ``(stage, differs)``: ``differs`` is ``None`` for a picked stage, else whether the
        scenarios differ at all (:func:`most_different_stage`).
    """
    if isinstance(stage, str) and stage in state.park.stages:
        return stage, None
    scenarios = [state.scenario(n) for n in names]
    key = ("auto-stage", tuple(s.content_hash() for s in scenarios))

    def compute() -> tuple[str, bool]:
        summaries = {s.name: state.summary(s, FAN_VARIABLES) for s in scenarios}
        chain = state.park.chain
        sticks = {sid: chain.yardstick(sid) for sid in state.park.stages}
        return most_different_stage(summaries, sticks)

    return state.view(key, compute)


def stage_picker_options(state: AppState, lang: str) -> list[dict[str, str]]:
    """The stage picker's options: "automatic" first, then every stage."""
    return [{"label": t("scen_stage_auto", lang), "value": AUTO}] + stage_options(state.park, lang)


def variable_options(lang: str) -> list[dict[str, str]]:
    """The waterfall's variables."""
    return [{"label": t(f"var_{v}", lang), "value": v} for v in ("gap", "nameplate")]


def default_names(state: AppState) -> list[str]:
    """The scenarios the page opens with: the shipped ones in the folder, else the first two."""
    names = state.scenario_names()
    return [n for n in names if n in SHIPPED] or names[:2]


def warm(state: AppState, lang: str) -> None:
    """Compute what the page shows first (:mod:`dashboard.warmup`): the default comparison."""
    names = default_names(state)
    if len(names) >= 2:
        stage, _differs = resolve_stage(state, names, AUTO)
        compare_figures(state, names, stage, lang)


def layout(lang: str | None = None, stored_lang: str | None = None, **_query: str) -> html.Div:
    """Scenario picker, stage picker, two fan charts, differences, waterfall."""
    tx = Texts("scen", page_lang(lang, stored_lang))
    state = get_state()
    chosen = default_names(state)
    return html.Div(
        [
            tx.element(html.H2, "page_scenarios"),
            tx.element(html.P, "ui_scenarios_intro", className="pc-intro"),
            html.Div(
                [
                    field(
                        tx("ui_scenarios_pick"),
                        dcc.Dropdown(
                            id="scen-names",
                            options=state.scenario_options(tx.lang),
                            value=chosen,
                            multi=True,
                            labels=dropdown_labels(tx.lang),
                        ),
                    ),
                    field(
                        tx("stage"),
                        dcc.Dropdown(
                            id="scen-stage",
                            options=stage_picker_options(state, tx.lang),
                            value=AUTO,
                            clearable=False,
                        ),
                    ),
                ],
                className="pc-controls",
            ),
            html.Div(id="scen-message"),
            page_lang_store(tx.lang),
            html.P(id="scen-stage-note", className="scen-note", role="status"),
            html.Div(
                [
                    html.Div(graph("scen-fan-cap"), className="pc-col"),
                    html.Div(graph("scen-fan-gap"), className="pc-col"),
                ],
                className="pc-row",
            ),
            tx.element(html.H3, "differs_title"),
            html.Div(id="scen-diffs"),
            tx.element(html.H3, "fig_waterfall"),
            tx.element(html.P, "ui_waterfall_intro", className="pc-intro"),
            html.Div(
                [
                    field(tx("ui_wf_base"), dcc.Dropdown(id="scen-wf-base", clearable=False)),
                    field(tx("ui_wf_other"), dcc.Dropdown(id="scen-wf-other", clearable=False)),
                    field(tx("quarter"), dcc.Dropdown(id="scen-wf-quarter", clearable=False)),
                    field(
                        tx("ui_variable"),
                        dcc.RadioItems(
                            id="scen-wf-variable",
                            options=variable_options(tx.lang),
                            value="gap",
                            inline=True,
                        ),
                    ),
                ],
                className="pc-controls",
            ),
            html.Div(id="scen-wf-message"),
            dcc.Loading(graph("scen-waterfall")),
        ]
    )


@callback(
    Output("scen-stage", "options"),
    Output("scen-wf-variable", "options"),
    Output("scen-names", "options"),
    Output("scen-names", "labels"),
    Input("lang", "data"),
    # the page is built in the chosen language (``page_lang``): a switch relabels it
    prevent_initial_call=True,
)
def translate_options(lang: str | None) -> tuple[list[dict[str, str]], ...]:
    """Re-label the pickers in the chosen language."""
    lang = norm_lang(lang)
    state = get_state()
    return (
        stage_picker_options(state, lang),
        variable_options(lang),
        state.scenario_options(lang),
        dropdown_labels(lang),
    )


def compare_figures(
    state: AppState, names: list[str], stage: str, lang: str
) -> tuple[Any, Any, Any]:
    """Fan charts of nameplate and gap, and the table of differing inputs (cached)."""
    scenarios = [state.scenario(n) for n in names]
    key = ("compare", tuple(names), tuple(s.content_hash() for s in scenarios), stage, lang)
    return state.view(key, lambda: _compare(state, names, scenarios, stage, lang))


def _compare(
    state: AppState, names: list[str], scenarios: list[Scenario], stage: str, lang: str
) -> tuple[Any, Any, Any]:
    summaries = {s.name: state.summary(s, FAN_VARIABLES) for s in scenarios}
    titles = {s.name: s.title(lang) for s in scenarios}
    cap = fan_chart(summaries, stage, "nameplate", lang, titles)
    gap = fan_chart(summaries, stage, "gap", lang, titles)
    diffs = differences(scenarios)
    rows = differences_rows(diffs, names, state.park, lang)
    if not rows:
        diff_table: Any = html.P(t("ui_no_differences", lang))
    else:
        diff_table = table(
            [("key", t("ui_input", lang))] + [(n, titles[n]) for n in names],
            rows,
            ident="scen-diff-table",
        )
        diff_table = html.Div(diff_table, className="scen-table-wrap")
    return cap, gap, diff_table


@callback(
    Output("scen-fan-cap", "figure"),
    Output("scen-fan-gap", "figure"),
    Output("scen-diffs", "children"),
    Output("scen-message", "children"),
    Output("scen-wf-base", "options"),
    Output("scen-wf-other", "options"),
    Output("scen-wf-base", "value"),
    Output("scen-wf-other", "value"),
    Output("scen-wf-quarter", "options"),
    Output("scen-wf-quarter", "value"),
    Output("scen-stage-note", "children"),
    Input("scen-names", "value"),
    Input("scen-stage", "value"),
    Input("lang", "data"),
    Input(STORE, "data"),
    State("scen-wf-base", "value"),
    State("scen-wf-other", "value"),
    State("scen-wf-quarter", "value"),
)
def render(
    names: list[str] | None,
    stage: str | None,
    lang: str | None,
    known: Any,
    wf_base: str | None,
    wf_other: str | None,
    wf_q: str | None,
) -> tuple[Any, ...]:
    """Compare the chosen scenarios; offer them to the waterfall.

    The stage is the picked one, or for "automatic" the one where the chosen scenarios
    differ most; a note under the pickers says which. The park is the one known on the
    shell's "as known on" date (:mod:`dashboard.known`).
    """
    lang = norm_lang(lang)
    keep = (dash.no_update,) * 6
    state = get_state().known_on(known_date(known))
    try:
        names = scenario_names(names, state.scenario_names())
    except Rejected as exc:
        return (dash.no_update, dash.no_update, None, error_message(exc, lang), *keep, None)
    if len(names) < 2:
        msg = problems_box([t("ui_pick_two", lang)], lang)
        blank = empty_figure(t("ui_pick_two", lang))
        return (blank, blank, None, msg, *keep, None)
    try:
        stage_, differs = resolve_stage(state, names, stage)
        cap, gap, diffs = compare_figures(state, names, stage_, lang)
        qs = state.quarter_labels(state.scenario(names[0]))
    except Exception as exc:
        return (dash.no_update, dash.no_update, None, error_message(exc, lang), *keep, None)
    base = wf_base if wf_base in names else names[0]
    other = (
        wf_other if wf_other in names and wf_other != base else next(n for n in names if n != base)
    )
    note = stage_note(state, stage_, differs, lang)
    q = wf_q if wf_q in qs else qs[-1]
    options = [{"label": state.scenario(n).title(lang), "value": n} for n in names]
    return cap, gap, diffs, None, options, options, base, other, qs, q, note


def stage_note(state: AppState, stage: str, differs: bool | None, lang: str) -> str | None:
    """The line saying which stage "automatic" chose, or ``None`` for a picked stage."""
    if differs is None:
        return None
    key = "scen_auto_note" if differs else "scen_auto_none"
    return t(key, lang, stage=state.park.stages[stage].name(lang))


def waterfall_table(state: AppState, base: Scenario, other: Scenario, variable: str) -> Any:
    """The waterfall of every stage and quarter of a pair (``waterfall(stage=None)``), cached.

    One entry per pair, draws and data version (the "as known on" date included): changing
    the stage, quarter or variable afterwards only reads it.
    """
    from model.attribution import TABLE_VARIABLES, waterfall

    variables = tuple(dict.fromkeys((*TABLE_VARIABLES, variable)))
    draws = base.draws

    def compute() -> dict[str, Any]:
        pool = state.workers
        # a worker holds the park with every record: not for an "as known on" date
        if pool is not None and pool.data_version == state.park.data_version:
            try:
                with state.queued("waterfall"):
                    return pool.run(
                        "waterfall",
                        workers.waterfall,
                        base.model_dump(mode="json"),
                        other.model_dump(mode="json"),
                        None,
                        None,
                        variables,
                        draws,
                    )
            except workers.WorkerUnavailableError:
                pass  # computed here instead
        with state.running("waterfall"):
            return waterfall(state.park, base, other, None, None, variable=variables, draws=draws)

    return state.cached(other, ("waterfall-table", base.content_hash(), variables, draws), compute)


def waterfall_result(
    state: AppState, base_name: str, other_name: str, stage: str, quarter: str, variable: str
) -> dict[str, Any]:
    """``model.attribution.waterfall`` of two scenarios with the base scenario's draws.

    The draws (and seed) are those of its fan chart, so the waterfall starts where that
    chart's mean is. Taken from the pair's table of every stage and quarter
    (:func:`waterfall_table`, computed once), and cached by both content hashes, stage,
    quarter, variable, draws and the park's data version. Both names must be scenarios of
    the folder and ``quarter`` one of both projections (:class:`~dashboard.guards.Rejected`
    otherwise); the waterfall's simulations run in the app's waterfall worker process if it
    has one (:mod:`dashboard.workers`), else in its waterfall lane
    (:meth:`AppState.running`).
    """
    from model.attribution import pick

    base = state.scenario(base_name)
    other = state.scenario(other_name)
    if (
        not isinstance(quarter, str)
        or quarter not in state.quarter_labels(base)
        or quarter not in state.quarter_labels(other)
    ):
        raise Rejected(UNKNOWN_CHOICE)
    draws = base.draws
    return state.cached(
        other,
        ("waterfall", base.content_hash(), stage, quarter, variable, draws),
        lambda: pick(waterfall_table(state, base, other, variable), stage, quarter, variable),
    )


@callback(
    Output("scen-waterfall", "figure"),
    Output("scen-wf-message", "children"),
    Input("scen-wf-base", "value"),
    Input("scen-wf-other", "value"),
    Input("scen-wf-quarter", "value"),
    Input("scen-wf-variable", "value"),
    Input("scen-stage", "value"),
    Input("lang", "data"),
    Input(STORE, "data"),
)
def render_waterfall(
    base: str | None,
    other: str | None,
    quarter: str | None,
    variable: str | None,
    stage: str | None,
    lang: str | None,
    known: Any = None,
) -> tuple[Any, Any]:
    """The waterfall from the base scenario to the other one.

    For the "automatic" stage, the stage where these two scenarios differ most.
    """
    lang = norm_lang(lang)
    if not isinstance(base, str) or not isinstance(other, str) or not quarter:
        return dash.no_update, None
    if base == other:
        return empty_figure(t("ui_pick_two", lang)), problems_box([t("ui_pick_two", lang)], lang)
    try:
        state = get_state().known_on(known_date(known))
        names = scenario_names([base, other], state.scenario_names())
        stage_, _differs = resolve_stage(state, names, stage)
        var = one_of(variable, ("gap", "nameplate"), "gap")
        result = waterfall_result(state, base, other, stage_, quarter, var)
        title = (
            f"{state.park.stages[stage_].name(lang)} · {t('var_' + var, lang)} · {quarter}"
            f"<br><sup>{state.scenario(base).title(lang)} → {state.scenario(other).title(lang)}"
            "</sup>"
        )
        return waterfall_figure(result, lang, title=title), None
    except Exception as exc:
        return dash.no_update, error_message(exc, lang)
