"""Value chain (产业链): Sankey, gap bars and ranked investment targets.

The Sankey of the chain for a scenario and quarter, the gap bars, and the ranked investment
targets with the capacity that would close each gap.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboard.components import error_message, field, graph, table
from dashboard.figures import gap_bars, sankey, targets_rows
from dashboard.guards import UNKNOWN_CHOICE, Rejected, one_of
from dashboard.i18n import Texts, norm_lang
from dashboard.state import AppState, get_state
from model.catalogue import t
from model.gaps import (
    BOUNDARIES,
    RANKS,
    chain_flows,
    gap_table,
    investment_targets,
    rank_figures,
)
from model.scenario import Scenario

dash.register_page(__name__, path="/chain", order=1, title_key="page_chain", name="chain")


def layout(scenario: str = "baseline", lang: str | None = None, **_query: str) -> html.Div:
    """Controls (scenario, quarter, basis), the Sankey, the gap bars and the targets table."""
    tx = Texts("chain", lang)
    state = get_state()
    names = state.scenario_names()
    return html.Div(
        [
            html.H2(tx("page_chain")),
            html.P(tx("ui_chain_intro"), className="pc-intro"),
            html.Div(
                [
                    field(
                        tx("scenario"),
                        dcc.Dropdown(
                            id="chain-scenario",
                            options=state.scenario_options(),
                            value=scenario if scenario in names else (names[0] if names else None),
                            clearable=False,
                        ),
                    ),
                    field(tx("quarter"), dcc.Dropdown(id="chain-quarter", clearable=False)),
                    field(
                        tx("ui_basis"),
                        dcc.RadioItems(
                            id="chain-basis",
                            options=basis_options(tx.lang),
                            value="nameplate",
                            inline=True,
                        ),
                    ),
                    field(
                        tx("ui_rank"),
                        dcc.RadioItems(
                            id="chain-rank",
                            options=rank_options(tx.lang),
                            value="cell-eq",
                            inline=True,
                        ),
                    ),
                    field(
                        tx("ui_boundary"),
                        dcc.RadioItems(
                            id="chain-boundary",
                            options=boundary_options(tx.lang),
                            value="park",
                            inline=True,
                        ),
                    ),
                ],
                className="pc-controls",
            ),
            html.Div(id="chain-message"),
            graph("chain-sankey"),
            graph("chain-gaps"),
            html.H3(tx("targets_title")),
            html.Div(id="chain-targets"),
        ]
    )


def basis_options(lang: str) -> list[dict[str, str]]:
    """Labels of the two gap bases in ``lang``."""
    return [{"label": t(f"ui_basis_{b}", lang), "value": b} for b in ("nameplate", "effective")]


def rank_options(lang: str) -> list[dict[str, str]]:
    """Labels of the ways to rank investment targets in ``lang``."""
    return [{"label": t(f"ui_rank_{r.replace('-', '_')}", lang), "value": r} for r in RANKS]


def boundary_options(lang: str) -> list[dict[str, str]]:
    """Labels of the supply boundaries (park, province) in ``lang``."""
    return [{"label": t(f"ui_boundary_{b}", lang), "value": b} for b in BOUNDARIES]


@callback(
    Output("chain-basis", "options"),
    Output("chain-rank", "options"),
    Output("chain-boundary", "options"),
    Input("lang", "data"),
)
def translate_options(lang: str | None) -> tuple[list[dict[str, str]], ...]:
    """Re-label the basis, rank and boundary choices when the language changes."""
    lang = norm_lang(lang)
    return basis_options(lang), rank_options(lang), boundary_options(lang)


@callback(
    Output("chain-quarter", "options"),
    Output("chain-quarter", "value"),
    Output("chain-message", "children", allow_duplicate=True),
    Input("chain-scenario", "value"),
    State("chain-quarter", "value"),
    State("lang", "data"),
    prevent_initial_call="initial_duplicate",
)
def quarters_of(
    name: str | None, current: str | None, lang: str | None
) -> tuple[list[str], str | None, Any]:
    """The quarters of the chosen scenario's projection; keeps the chosen one if present.

    Computed from the park's start and the scenario's horizon, without simulating.
    """
    lang = norm_lang(lang)
    if not name:
        return [], None, None
    try:
        state = get_state()
        qs = state.quarter_labels(state.scenario(name))
        if not qs:
            raise ValueError(t("ui_no_quarters", lang))
    except Exception as exc:
        return [], None, error_message(exc, lang)
    return qs, current if current in qs else qs[-1], None


def content(
    state: AppState,
    name: str,
    quarter: str,
    basis: str,
    lang: str,
    rank: str = "cell-eq",
    boundary: str = "park",
) -> tuple[Any, Any, Any]:
    """Sankey, gap bars and targets table of one scenario, quarter, basis, rank and boundary.

    ``name`` must be a scenario of the folder and ``quarter`` one of its projection
    (:class:`~dashboard.guards.Rejected` otherwise, before anything is simulated).
    """
    scenario = state.scenario(name)
    if not isinstance(quarter, str) or quarter not in state.quarter_labels(scenario):
        raise Rejected(UNKNOWN_CHOICE)
    return state.cached(
        scenario,
        ("chain-view", quarter, basis, lang, rank, boundary),
        lambda: _content(state, scenario, quarter, basis, lang, rank, boundary),
    )


def _content(
    state: AppState,
    scenario: Scenario,
    quarter: str,
    basis: str,
    lang: str,
    rank: str = "cell-eq",
    boundary: str = "park",
) -> tuple[Any, Any, Any]:
    ds = state.dataset(scenario)
    table_ = state.cached(
        scenario,
        ("gaps", quarter, basis, lang, boundary),
        lambda: gap_table(
            state.park, ds, quarter, basis=basis, scenario=scenario, lang=lang, boundary=boundary
        ),
    )
    flows = state.cached(
        scenario,
        ("flows", quarter, basis),
        lambda: chain_flows(state.park, ds, quarter, basis, scenario),
    )
    title = f"{scenario.title(lang)} · {quarter}"
    rows = targets_rows(
        investment_targets(table_, rank, rank_figures(state.park, rank)), lang, rank
    )
    targets = table(
        [
            ("rank", t("rank", lang)),
            ("name", t("stage", lang)),
            ("status", t("status", lang)),
            ("gap", t("gap", lang)),
            ("gap_cell_gwh_eq", t("gap_cell_eq", lang)),
            ("p_short", t("p_short", lang)),
            ("to_close", t("to_close", lang)),
            *([("score", t(f"rank_{rank}", lang))] if rank != "cell-eq" else []),
        ],
        rows,
        ident="chain-targets-table",
    )
    return (
        sankey(
            state.park, flows, table_, lang, title=f"{t('fig_sankey', lang)}<br><sup>{title}</sup>"
        ),
        gap_bars(table_, lang, title=f"{t('fig_gap_bars', lang)}<br><sup>{title}</sup>"),
        targets,
    )


@callback(
    Output("chain-sankey", "figure"),
    Output("chain-gaps", "figure"),
    Output("chain-targets", "children"),
    Output("chain-message", "children"),
    Input("chain-scenario", "value"),
    Input("chain-quarter", "value"),
    Input("chain-basis", "value"),
    Input("lang", "data"),
    Input("chain-rank", "value"),
    Input("chain-boundary", "value"),
)
def render(
    name: str | None,
    quarter: str | None,
    basis: str | None,
    lang: str | None,
    rank: str | None = None,
    boundary: str | None = None,
) -> tuple[Any, ...]:
    """Draw the chain for the chosen scenario, quarter, basis, ranking and boundary."""
    lang = norm_lang(lang)
    if not name or not quarter:
        return dash.no_update, dash.no_update, dash.no_update, None
    try:
        sk, bars, targets = content(
            get_state(),
            name,
            quarter,
            one_of(basis, ("nameplate", "effective"), "nameplate"),
            lang,
            one_of(rank, RANKS, "cell-eq"),
            one_of(boundary, BOUNDARIES, "park"),
        )
    except Exception as exc:
        return dash.no_update, dash.no_update, None, error_message(exc, lang)
    return sk, bars, targets, None
