"""What the what-if page shows for some lever values: fan charts, demand, gaps, a summary.

:func:`compute` turns the levers into a scenario, simulates it (cached by content hash in
the app state) and builds the page's figures and summary sentence beside the base
scenario's. Nothing here registers a callback, so it imports without an app.
"""

from __future__ import annotations

from typing import Any

from dashboard.controls import WHATIF_NAME, scenario_from_controls
from dashboard.figures import fan_chart, gap_bars, technology_demand
from dashboard.i18n import quantity
from dashboard.state import AppState
from model.catalogue import t
from model.gaps import gap_table
from model.scenario import Scenario

#: what the first fan chart can show (the second shows the gap)
CAP_VARIABLES = ("nameplate", "effective_capacity", "output")
#: what the fan charts draw (summarised over draws; the rest is not needed here)
FAN_VARIABLES = (*CAP_VARIABLES, "gap")


def cap_variable_options(lang: str) -> list[dict[str, str]]:
    """What the capacity fan chart can show."""
    return [{"label": t(f"var_{v}", lang), "value": v} for v in CAP_VARIABLES]


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
