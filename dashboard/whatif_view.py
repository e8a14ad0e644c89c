"""What the what-if page shows for some lever values: fan charts, demand, gaps, a summary.

:func:`compute` turns the levers into a scenario, simulates it (cached by content hash in
the app state) and builds the page's figures and summary sentence beside the base
scenario's. Nothing here registers a callback, so it imports without an app.
"""

from __future__ import annotations

from typing import Any

from dashboard import workers
from dashboard.controls import WHATIF_NAME, project_ids, scenario_from_controls
from dashboard.figures import fan_chart, gap_bars, technology_demand
from dashboard.guards import Rejected, choices
from dashboard.i18n import quantity
from dashboard.state import AppState
from model.catalogue import t
from model.scenario import Scenario

#: what the first fan chart can show (the second shows the gap)
CAP_VARIABLES = ("nameplate", "effective_capacity", "output")
#: what the fan charts draw (summarised over draws; the rest is not needed here)
FAN_VARIABLES = workers.FAN_VARIABLES


def cap_variable_options(lang: str) -> list[dict[str, str]]:
    """What the capacity fan chart can show."""
    return [{"label": t(f"var_{v}", lang), "value": v} for v in CAP_VARIABLES]


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
        control values, :class:`~dashboard.guards.Rejected` for a base that is not a
        scenario of the folder or a project list that is longer than the page's or names
        a project the page does not list (checked before anything is simulated).
    """
    base = state.scenario(base_name)
    if values.get("included") is not None:  # a checklist: known project ids only, each once
        listed = project_ids(state.park, base)
        included = choices(values["included"], listed, Rejected("ui_unknown_project"))
        values = {**values, "included": included}
    scenario = scenario_from_controls(state.park, base, values, name=WHATIF_NAME, lang=lang)
    var = cap_variable if cap_variable in CAP_VARIABLES else "nameplate"
    key = ("whatif-view", base.content_hash(), stage, var, lang)
    return state.cached(scenario, key, lambda: _view(state, base, scenario, stage, var, lang))


def results(state: AppState, scenario: Scenario, stage: str, lang: str) -> dict[str, Any]:
    """What the page shows of one what-if scenario for one stage and language.

    One simulation, of which only small results are kept (:func:`dashboard.workers.results_of`),
    cached by the scenario's content hash, the stage and the language: a lever moves far
    more often than the stage or the language changes. It runs in the app's worker process
    if it has one, else here without keeping the full result in the dataset cache (a
    what-if's result is rarely asked for again; kept, such one-off datasets would push out
    the ones the other pages use); a result already in that cache is used as it is.
    """

    def compute() -> dict[str, Any]:
        pool = state.workers
        if pool is not None and state.key(scenario, "ds") not in state.datasets:
            try:
                with state.queued("simulate"):
                    data = scenario.model_dump(mode="json")
                    return pool.run("simulate", workers.whatif_results, data, stage, lang)
            except workers.WorkerUnavailableError:
                pass  # computed here instead
        ds = state.dataset(scenario, keep=False)
        return workers.results_of(state.park, scenario, ds, stage, lang)

    return state.cached(scenario, ("whatif-results", stage, lang), compute)


def _view(
    state: AppState, base: Scenario, scenario: Scenario, stage: str, cap_variable: str, lang: str
) -> dict[str, Any]:
    park = state.park
    res = results(state, scenario, stage, lang)
    sm = res["summary"]
    sm_base = state.summary(base, FAN_VARIABLES)
    quarter = res["quarter"]
    table = res["table"]
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
        "auto_gwh": res["auto_gwh"],
        "fan_cap": fan_chart(summaries, stage, cap_variable, lang, titles),
        "fan_gap": fan_chart(summaries, stage, "gap", lang, titles),
        "tech": technology_demand(res["tech"], lang),
        "gaps": gap_bars(
            table,
            lang,
            title=f"{t('fig_gap_bars', lang)}<br><sup>{label} · {quarter} · {t('ui_basis_effective', lang)}</sup>",
        ),
        "summary": summary,
    }
