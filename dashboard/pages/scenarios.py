"""Scenarios (情景对比): two or more scenarios side by side.

Fan charts of capacity and gap of a chosen stage, the inputs in which they differ, and a
waterfall attributing the difference in one stage's gap (or capacity) to the levers and
projects that differ.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboard import workers
from dashboard.components import (
    error_message,
    field,
    graph,
    problems_box,
    stage_options,
    table,
)
from dashboard.figures import empty_figure, fan_chart, waterfall_figure
from dashboard.guards import UNKNOWN_CHOICE, Rejected, one_of, scenario_names
from dashboard.i18n import Texts, norm_lang
from dashboard.state import AppState, get_state
from dashboard.views import differences_rows
from model.catalogue import t
from model.scenario import SHIPPED, Scenario, differences

dash.register_page(
    __name__, path="/scenarios", order=2, title_key="page_scenarios", name="scenarios"
)

DEFAULT_STAGE = "lfp_cell"
#: what the fan charts draw (summarised over draws; the rest is not needed here)
FAN_VARIABLES = ("nameplate", "gap")


def variable_options(lang: str) -> list[dict[str, str]]:
    """The waterfall's variables."""
    return [{"label": t(f"var_{v}", lang), "value": v} for v in ("gap", "nameplate")]


def layout(lang: str | None = None, **_query: str) -> html.Div:
    """Scenario picker, stage picker, two fan charts, differences, waterfall."""
    tx = Texts("scen", lang)
    state = get_state()
    names = state.scenario_names()
    chosen = [n for n in names if n in SHIPPED] or names[:2]
    return html.Div(
        [
            html.H2(tx("page_scenarios")),
            html.P(tx("ui_scenarios_intro"), className="pc-intro"),
            html.Div(
                [
                    field(
                        tx("ui_scenarios_pick"),
                        dcc.Dropdown(
                            id="scen-names",
                            options=state.scenario_options(),
                            value=chosen,
                            multi=True,
                        ),
                    ),
                    field(
                        tx("stage"),
                        dcc.Dropdown(
                            id="scen-stage",
                            options=stage_options(state.park, tx.lang),
                            value=DEFAULT_STAGE,
                            clearable=False,
                        ),
                    ),
                ],
                className="pc-controls",
            ),
            html.Div(id="scen-message"),
            html.Div(
                [
                    html.Div(graph("scen-fan-cap"), className="pc-col"),
                    html.Div(graph("scen-fan-gap"), className="pc-col"),
                ],
                className="pc-row",
            ),
            html.H3(tx("differs_title")),
            html.Div(id="scen-diffs"),
            html.H3(tx("fig_waterfall")),
            html.P(tx("ui_waterfall_intro"), className="pc-intro"),
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
    Input("lang", "data"),
)
def translate_options(lang: str | None) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Re-label the pickers in the chosen language."""
    lang = norm_lang(lang)
    return stage_options(get_state().park, lang), variable_options(lang)


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
    rows = differences_rows(diffs, names)
    if not rows:
        diff_table: Any = html.P(t("ui_no_differences", lang))
    else:
        diff_table = table(
            [("key", t("ui_input", lang))] + [(n, titles[n]) for n in names],
            rows,
            ident="scen-diff-table",
        )
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
    Input("scen-names", "value"),
    Input("scen-stage", "value"),
    Input("lang", "data"),
    State("scen-wf-base", "value"),
    State("scen-wf-other", "value"),
    State("scen-wf-quarter", "value"),
)
def render(
    names: list[str] | None,
    stage: str | None,
    lang: str | None,
    wf_base: str | None,
    wf_other: str | None,
    wf_q: str | None,
) -> tuple[Any, ...]:
    """Compare the chosen scenarios; offer them to the waterfall."""
    lang = norm_lang(lang)
    keep = (dash.no_update,) * 6
    state = get_state()
    try:
        names = scenario_names(names, state.scenario_names())
    except Rejected as exc:
        return (dash.no_update, dash.no_update, None, error_message(exc, lang), *keep)
    if len(names) < 2:
        msg = problems_box([t("ui_pick_two", lang)], lang)
        blank = empty_figure(t("ui_pick_two", lang))
        return (blank, blank, None, msg, *keep)
    try:
        stage_ = one_of(stage, state.park.stages, DEFAULT_STAGE)
        cap, gap, diffs = compare_figures(state, names, stage_, lang)
        qs = state.quarter_labels(state.scenario(names[0]))
    except Exception as exc:
        return (dash.no_update, dash.no_update, None, error_message(exc, lang), *keep)
    base = wf_base if wf_base in names else names[0]
    other = (
        wf_other if wf_other in names and wf_other != base else next(n for n in names if n != base)
    )
    return cap, gap, diffs, None, names, names, base, other, qs, wf_q if wf_q in qs else qs[-1]


def waterfall_result(
    state: AppState, base_name: str, other_name: str, stage: str, quarter: str, variable: str
) -> dict[str, Any]:
    """``model.attribution.waterfall`` of two scenarios with the base scenario's draws.

    The draws (and seed) are those of its fan chart, so the waterfall starts where that
    chart's mean is. Cached by both content hashes, stage, quarter, variable, draws and the
    park's data version. Both names must be scenarios of the folder and ``quarter`` one of
    the base's projection (:class:`~dashboard.guards.Rejected` otherwise); the waterfall's
    simulations run in the app's waterfall worker process if it has one
    (:mod:`dashboard.workers`), else in its waterfall lane (:meth:`AppState.running`).
    """
    from model.attribution import waterfall

    base = state.scenario(base_name)
    other = state.scenario(other_name)
    if not isinstance(quarter, str) or quarter not in state.quarter_labels(base):
        raise Rejected(UNKNOWN_CHOICE)
    draws = base.draws

    def compute() -> dict[str, Any]:
        pool = state.workers
        if pool is not None:
            try:
                with state.queued("waterfall"):
                    return pool.run(
                        "waterfall",
                        workers.waterfall,
                        base.model_dump(mode="json"),
                        other.model_dump(mode="json"),
                        stage,
                        quarter,
                        variable,
                        draws,
                    )
            except workers.WorkerUnavailableError:
                pass  # computed here instead
        with state.running("waterfall"):
            return waterfall(
                state.park, base, other, stage, quarter, variable=variable, draws=draws
            )

    return state.cached(
        other, ("waterfall", base.content_hash(), stage, quarter, variable, draws), compute
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
)
def render_waterfall(
    base: str | None,
    other: str | None,
    quarter: str | None,
    variable: str | None,
    stage: str | None,
    lang: str | None,
) -> tuple[Any, Any]:
    """The waterfall from the base scenario to the other one."""
    lang = norm_lang(lang)
    if not base or not other or not quarter:
        return dash.no_update, None
    if base == other:
        return empty_figure(t("ui_pick_two", lang)), problems_box([t("ui_pick_two", lang)], lang)
    try:
        state = get_state()
        stage_ = one_of(stage, state.park.stages, DEFAULT_STAGE)
        var = one_of(variable, ("gap", "nameplate"), "gap")
        result = waterfall_result(state, base, other, stage_, quarter, var)
        title = f"{state.park.stages[stage_].name(lang)} · {t('var_' + var, lang)} · {quarter}: {state.scenario(base).title(lang)} → {state.scenario(other).title(lang)}"
        return waterfall_figure(result, lang, title=title), None
    except Exception as exc:
        return dash.no_update, error_message(exc, lang)
