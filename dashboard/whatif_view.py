"""What the what-if page shows for some lever values: result cards, fan charts, demand, gaps.

:func:`compute` turns the levers into a scenario, simulates it (cached by content hash in
the app state, in a worker process if the app has one) and builds the page's figures and
result cards beside the start scenario's, simulated with the same seed, so a difference
is the levers' effect. What is kept of a simulation covers every stage and both
languages (:func:`dashboard.workers.page_results`): changing the chart's stage or the
language only redraws. Nothing here registers a callback, so it imports without an app.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from dash import html

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
#: the stage whose output the first card shows
CELL_STAGE = "lfp_cell"


def cap_variable_options(lang: str) -> list[dict[str, str]]:
    """What the capacity fan chart can show."""
    return [{"label": t(f"var_{v}", lang), "value": v} for v in CAP_VARIABLES]


@dataclass(frozen=True)
class Card:
    """One result card: a figure of the what-if against the start scenario.

    Attributes
    ----------
    key
        What it shows: ``lfp_output``, ``demand``, ``gap``, ``p_short``, ``market_gap``.
    label
        Its heading, in the page's language.
    value
        The what-if's value in words, with its unit per year (a gap below zero is a surplus).
    delta
        The what-if minus the start scenario, in the card's unit (``nan`` if there is none).
    arrow
        ``"▲"``, ``"▼"`` or ``""`` (no difference, or nothing to compare).
    versus
        "vs base ▲ 1.2 GWh/a" in the page's language ("" if there is nothing to compare).
    """

    key: str
    label: str
    value: str
    delta: float
    arrow: str
    versus: str


def compute(
    state: AppState,
    base_name: str,
    values: dict[str, Any],
    stage: str,
    lang: str,
    cap_variable: str = "nameplate",
    known_as_of: date | None = None,
) -> dict[str, Any]:
    """Everything the what-if page shows for some control values.

    Parameters
    ----------
    state
        The app state, already :meth:`~dashboard.state.AppState.known_on` ``known_as_of``.
    cap_variable
        What the first fan chart shows: one of :data:`CAP_VARIABLES`.
    known_as_of
        The "as known on" date the state's park was cut at (passed to a worker process,
        which holds the whole park), or ``None``.

    Returns
    -------
    dict
        ``scenario`` (the what-if Scenario), ``fan_cap``, ``fan_gap``, ``tech``, ``gaps``
        (plotly figures), ``cards`` (:class:`Card` list), ``quarter``, ``summary`` (the
        cards as one plain text, for logs and tests) and ``auto_gwh`` (today's LFP cell
        output, GWh/a: what 'auto' start demand means). Raises ``DataError`` for bad
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
    # not cached: what is kept per scenario (:func:`results`) makes a redraw cheap, and
    # sizing the figures for the cache would cost a cold update more than the redraw saves
    return _view(state, base, scenario, stage, var, lang, known_as_of)


def results(state: AppState, scenario: Scenario, known_as_of: date | None = None) -> dict[str, Any]:
    """What the page keeps of one scenario's simulation (:func:`dashboard.workers.page_results`).

    One simulation per scenario content (and data version, so per "as known on" date),
    cached. It runs in the app's worker process if it has one, else here without keeping
    the full result in the dataset cache (a what-if's result is rarely asked for again;
    kept, such one-off datasets would push out the ones the other pages use); a result
    already in that cache is used as it is.
    """

    def compute() -> dict[str, Any]:
        pool = state.workers
        if pool is not None and state.key(scenario, "ds") not in state.datasets:
            try:
                with state.queued("simulate"):
                    data = scenario.model_dump(mode="json")
                    known = known_as_of.isoformat() if known_as_of else None
                    return pool.run("simulate", workers.whatif_page, data, known)
            except workers.WorkerUnavailableError:
                pass  # computed here instead
        ds = state.dataset(scenario, keep=False)
        return workers.page_results(state.park, scenario, ds)

    return state.cached(scenario, ("whatif-page",), compute)


def _mean(res: dict[str, Any], var: str, stage: str) -> float:
    """Mean over draws of ``var`` for ``stage`` in the last quarter (NaN if not there)."""
    return res["last"].get(var, {}).get(stage, math.nan)


def _p_short(res: dict[str, Any], stage: str) -> float:
    """P(short) of ``stage`` in the last quarter (NaN if not there)."""
    return res["last"]["p_short"].get(stage, math.nan)


def _tiny(a: float, b: float) -> float:
    """A difference too small to mention: float32 rounding.

    Both runs share their random draws, so any larger difference is the levers' effect,
    however small.
    """
    return 1e-6 * max(abs(a), abs(b), 1e-3)


def _versus(delta: float, text: str, lang: str) -> tuple[str, str]:
    """The arrow and the "vs base" line of a difference already written as ``text``."""
    if math.isnan(delta):
        return "", ""
    if text == "":
        return "", t("wi_vs_base_same", lang)
    arrow = "▲" if delta > 0 else "▼"
    return arrow, t("wi_vs_base", lang, arrow=arrow, delta=text)


def _balance(gap: float, unit: str, lang: str, market: bool = False) -> str:
    """A gap in words: short, surplus (a negative gap) or balanced."""
    if math.isnan(gap):
        return t("wi_no_market", lang) if market else "–"
    if abs(gap) <= _tiny(gap, 0.0):
        return t("wi_balanced", lang)
    amount = quantity(abs(gap), unit, lang)
    if gap > 0:
        return t("wi_market_short" if market else "wi_short", lang, value=amount)
    return t("wi_market_surplus" if market else "wi_surplus", lang, value=amount)


def cards(
    state: AppState,
    what: dict[str, Any],
    base: dict[str, Any],
    stage: str,
    lang: str,
) -> list[Card]:
    """The result cards of the chosen ``stage``: what-if values against the start scenario.

    Parameters
    ----------
    what, base
        :func:`results` of the what-if and of its start scenario (same seed and draws).
    stage
        The chosen stage.

    Returns
    -------
    list of Card
        LFP cell output (if the park has the stage), the stage's park demand, its gap
        (short or surplus in words), its P(short) and its market gap, each with the
        difference from the start scenario.
    """
    park = state.park
    name = park.stages[stage].name(lang)
    unit = park.stages[stage].unit
    out = []

    def quantity_card(key: str, label: str, var: str, sid: str, text: str | None = None) -> None:
        a, b = _mean(what, var, sid), _mean(base, var, sid)
        u = park.stages[sid].unit
        delta = a - b
        same = math.isnan(delta) or abs(delta) <= _tiny(a, b)
        arrow, versus = _versus(delta, "" if same else quantity(abs(delta), u, lang), lang)
        value = text if text is not None else quantity(a, u, lang)
        out.append(Card(key, label, value, delta, arrow, versus))

    if CELL_STAGE in park.stages:
        quantity_card("lfp_output", t("wi_card_lfp_output", lang), "output", CELL_STAGE)
    quantity_card("demand", t("wi_card_demand", lang, stage=name), "demand", stage)
    gap = _mean(what, "gap", stage)
    quantity_card(
        "gap", t("wi_card_gap", lang, stage=name), "gap", stage, _balance(gap, unit, lang)
    )
    pa, pb = _p_short(what, stage), _p_short(base, stage)
    points = 100 * (pa - pb)
    same = math.isnan(points) or abs(points) < 0.05
    arrow, versus = _versus(
        points, "" if same else t("wi_points", lang, value=f"{abs(points):.1f}"), lang
    )
    shown = "–" if math.isnan(pa) else f"{100 * pa:.0f}%"
    out.append(
        Card("p_short", t("wi_card_p_short", lang, stage=name), shown, points, arrow, versus)
    )
    market = _mean(what, "market_gap", stage)
    quantity_card(
        "market_gap",
        t("wi_card_market_gap", lang, stage=name),
        "market_gap",
        stage,
        _balance(market, unit, lang, market=True),
    )
    return out


def cards_view(items: list[Card], quarter: str, lang: str) -> html.Div:
    """The cards as the page shows them (``.wi-card`` boxes under a one-line heading)."""
    sep = "：" if lang == "zh" else ": "
    boxes = [
        html.Div(
            [
                html.Div(c.label, className="wi-card-label"),
                # "surplus 18.7 GWh/a: local supply exceeds ..." as a figure and its meaning
                html.Div(c.value.partition(sep)[0], className="wi-card-value"),
                html.Div(c.value.partition(sep)[2] or None, className="wi-card-note"),
                html.Div(
                    c.versus,
                    className="wi-card-delta"
                    + (" wi-up" if c.arrow == "▲" else " wi-down" if c.arrow == "▼" else ""),
                ),
            ],
            className="wi-card",
            id=f"wi-card-{c.key}",
        )
        for c in items
    ]
    return html.Div(
        [
            html.Div(t("wi_cards_title", lang, quarter=quarter), className="wi-cards-title"),
            html.Div(boxes, className="wi-card-row"),
        ]
    )


def _view(
    state: AppState,
    base: Scenario,
    scenario: Scenario,
    stage: str,
    cap_variable: str,
    lang: str,
    known_as_of: date | None,
) -> dict[str, Any]:
    res = results(state, scenario, known_as_of)
    res_base = results(state, base, known_as_of)
    quarter = res["quarter"]
    label = t("ui_whatif_label", lang)
    summaries = {base.name: res_base["summary"], WHATIF_NAME: res["summary"]}
    titles = {base.name: base.title(lang), WHATIF_NAME: label}
    items = cards(state, res, res_base, stage, lang)
    summary = f"{quarter}: " + "; ".join(f"{c.label} {c.value} ({c.versus})" for c in items)
    return {
        "scenario": scenario,
        "quarter": quarter,
        "auto_gwh": res["auto_gwh"],
        "cards": items,
        "summary": summary,
        "fan_cap": fan_chart(summaries, stage, cap_variable, lang, titles),
        "fan_gap": fan_chart(summaries, stage, "gap", lang, titles),
        "tech": technology_demand(res["tech"], lang),
        "gaps": gap_bars(
            res["tables"][lang],
            lang,
            title=f"{t('fig_gap_bars', lang)}<br><sup>{label} · {quarter} · {t('ui_basis_effective', lang)}</sup>",
        ),
    }
