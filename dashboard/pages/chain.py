"""Value chain (产业链): shortfall heatmap, tiered chain view and investment cards.

For a scenario and quarter: the probability of a shortfall of every stage through the
horizon (heatmap, :mod:`dashboard.chain_heatmap`), the chain in four tiers with local supply
against what the downstream stages need (:mod:`dashboard.chain_view`), and one card per
ranked investment target (:mod:`dashboard.chain_cards`) with a one-page brief to download
(:mod:`model.target_brief`). The ranked table stays below the
cards. Everything honours the "as known on" date (store ``known-as-of``).
"""

from __future__ import annotations

import logging
from typing import Any

import dash
from dash import ALL, Input, Output, State, callback, ctx, dcc, html

from dashboard.chain_content import brief, content
from dashboard.components import error_message, field, graph
from dashboard.guards import one_of
from dashboard.i18n import Texts, norm_lang, page_lang, page_lang_store
from dashboard.known import known_date
from dashboard.state import AppState, get_state
from model.catalogue import t
from model.gaps import (
    BOUNDARIES,
    RANKS,
)

logger = logging.getLogger(__name__)

dash.register_page(__name__, path="/chain", order=1, title_key="page_chain", name="chain")

BASES = ("nameplate", "effective")
#: the page's controls, in the order of :func:`_shown_content`'s arguments, for the
#: callbacks that fill in what is asked for later (more cards, the table, a brief)
PAGE_STATES = (
    State("chain-scenario", "value"),
    State("chain-quarter", "value"),
    State("chain-basis", "value"),
    State("lang", "data"),
    State("chain-rank", "value"),
    State("chain-boundary", "value"),
    State("known-as-of", "data"),
)
#: how many targets get their card when the page opens (the others on request)
FIRST_CARDS = 6


def default_scenario(state: AppState, scenario: str = "baseline") -> str | None:
    """The scenario the page opens with: ``scenario`` if it is in the folder, else the first."""
    names = state.scenario_names()
    return scenario if scenario in names else (names[0] if names else None)


def warm(state: AppState, lang: str) -> None:
    """Compute what the page shows first (:mod:`dashboard.warmup`): the default view."""
    name = default_scenario(state)
    qs = state.quarter_labels(state.scenario(name)) if name else []
    if name and qs:
        content(state, name, qs[-1], "nameplate", lang)


def layout(
    scenario: str = "baseline",
    lang: str | None = None,
    stored_lang: str | None = None,
    **_query: str,
) -> html.Div:
    """Controls (scenario, quarter, basis, rank, boundary), heatmap, chain view and cards.

    The scenario and its last quarter are chosen here, so the page's content is computed
    in one round trip after it opens.
    """
    tx = Texts("chain", page_lang(lang, stored_lang))
    state = get_state()
    name = default_scenario(state, scenario)
    try:  # the scenario's quarters, the last one chosen; a broken scenario is said here
        qs, problem = (state.quarter_labels(state.scenario(name)) if name else []), None
    except Exception as exc:
        qs, problem = [], error_message(exc, tx.lang)
    return html.Div(
        [
            tx.element(html.H2, "page_chain"),
            tx.element(html.P, "ui_chain_intro", className="pc-intro"),
            html.Div(
                [
                    field(
                        tx("scenario"),
                        dcc.Dropdown(
                            id="chain-scenario",
                            options=state.scenario_options(tx.lang),
                            value=name,
                            clearable=False,
                        ),
                    ),
                    field(
                        tx("quarter"),
                        dcc.Dropdown(
                            id="chain-quarter",
                            options=qs,
                            value=qs[-1] if qs else None,
                            clearable=False,
                        ),
                    ),
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
            html.Div(problem, id="chain-message"),
            html.Div(graph("chain-heatmap"), className="chain-scroll chain-heat"),
            html.P(id="chain-never", className="chain-note"),
            html.Div(graph("chain-view"), className="chain-scroll"),
            html.Div(id="chain-view-note", className="chain-note"),
            tx.element(html.H3, "chain_cards_title"),
            html.Div(id="chain-cards", className="chain-cards"),
            html.Div(id="chain-more"),
            html.Details(
                [tx.element(html.Summary, "chain_table_title"), html.Div(id="chain-targets")],
                id="chain-table-box",
                className="chain-table",
            ),
            dcc.Download(id="chain-brief-download"),
            page_lang_store(tx.lang),
        ],
        className="chain-page",
    )


def basis_options(lang: str) -> list[dict[str, str]]:
    """Labels of the two gap bases in ``lang``."""
    return [{"label": t(f"ui_basis_{b}", lang), "value": b} for b in BASES]


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
    Output("chain-scenario", "options"),
    Input("lang", "data"),
    # the page is built in the chosen language (``page_lang``): a switch relabels it
    prevent_initial_call=True,
)
def translate_options(lang: str | None) -> tuple[list[dict[str, str]], ...]:
    """Re-label the scenario, basis, rank and boundary choices when the language changes."""
    lang = norm_lang(lang)
    return (
        basis_options(lang),
        rank_options(lang),
        boundary_options(lang),
        get_state().scenario_options(lang),
    )


@callback(
    Output("chain-quarter", "options"),
    Output("chain-quarter", "value"),
    Output("chain-message", "children", allow_duplicate=True),
    Input("chain-scenario", "value"),
    State("chain-quarter", "value"),
    State("lang", "data"),
    prevent_initial_call=True,
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


@callback(
    Output("chain-view", "figure"),
    Output("chain-heatmap", "figure"),
    Output("chain-never", "children"),
    Output("chain-view-note", "children"),
    Output("chain-cards", "children"),
    Output("chain-more", "children"),
    Output("chain-targets", "children"),
    Output("chain-message", "children"),
    Input("chain-scenario", "value"),
    Input("chain-quarter", "value"),
    Input("chain-basis", "value"),
    Input("lang", "data"),
    Input("chain-rank", "value"),
    Input("chain-boundary", "value"),
    Input("known-as-of", "data"),
    State("chain-targets", "children"),
)
def render(
    name: str | None,
    quarter: str | None,
    basis: str | None,
    lang: str | None,
    rank: str | None = None,
    boundary: str | None = None,
    known: str | None = None,
    shown_table: Any = None,
) -> tuple[Any, ...]:
    """Draw the page for the chosen scenario, quarter, basis, ranking, boundary and date.

    The first :data:`FIRST_CARDS` targets get their cards at once, the others when asked
    (a button under the cards): every card is some thirty components that the browser
    builds one by one (and keeps up to date at every callback), and the top targets are
    what people read first. The folded ranked table, too, is built when first opened
    (:func:`unfold_table`) and from then on kept up to date.
    """
    lang = norm_lang(lang)
    keep = (dash.no_update,) * 4
    if not name or not quarter:
        return (*keep, dash.no_update, dash.no_update, dash.no_update, None)
    try:
        out = page_content(name, quarter, basis, lang, rank, boundary, known)
    except Exception as exc:
        return (*keep, None, None, None, error_message(exc, lang))
    cards, rest = out["cards"][:FIRST_CARDS], len(out["cards"]) - FIRST_CARDS
    more = (
        html.Button(
            t("chain_cards_more", lang, n=rest),
            id="chain-more-button",
            className="chain-more-button",
            n_clicks=0,
        )
        if rest > 0
        else None
    )
    table_ = out["table"] if shown_table else dash.no_update
    return (out["view"], out["heatmap"], out["never"], out["note"], cards, more, table_, None)


@callback(
    Output("chain-targets", "children", allow_duplicate=True),
    Input("chain-table-box", "n_clicks"),
    State("chain-targets", "children"),
    *PAGE_STATES,
    prevent_initial_call=True,
)
def unfold_table(clicks: int | None, shown: Any, *page: Any) -> Any:
    """The ranked table, the first time its folded box is opened (cached)."""
    if not clicks or shown:
        return dash.no_update
    out = _shown_content(*page)
    return dash.no_update if out is None else out["table"]


def page_content(
    name: str,
    quarter: str,
    basis: str | None,
    lang: str | None,
    rank: str | None = None,
    boundary: str | None = None,
    known: str | None = None,
) -> dict[str, Any]:
    """What :func:`~dashboard.chain_content.content` gives for the page's controls as sent.

    Unknown choices fall back to the defaults; the "as known on" date is the shell's.
    Raises what ``content`` raises.
    """
    return content(
        get_state().known_on(known_date(known)),
        name,
        quarter,
        one_of(basis, BASES, "nameplate"),
        norm_lang(lang),
        one_of(rank, RANKS, "cell-eq"),
        one_of(boundary, BOUNDARIES, "park"),
    )


def _shown_content(name: str | None, quarter: str | None, *rest: Any) -> dict[str, Any] | None:
    """:func:`page_content`, or ``None`` where it fails (:func:`render` says why)."""
    if not name or not quarter:
        return None
    try:
        return page_content(name, quarter, *rest)
    except Exception:
        return None


@callback(
    Output("chain-cards", "children", allow_duplicate=True),
    Output("chain-more", "children", allow_duplicate=True),
    Input("chain-more-button", "n_clicks"),
    *PAGE_STATES,
    prevent_initial_call=True,
)
def all_cards(clicks: int | None, *page: Any) -> tuple[Any, Any]:
    """Every target's card, once the button under the first ones is pressed (cached)."""
    out = _shown_content(*page) if clicks else None
    if out is None:
        return dash.no_update, dash.no_update
    return out["cards"], None


@callback(
    Output("chain-brief-download", "data"),
    Output("chain-message", "children", allow_duplicate=True),
    Input({"type": "chain-brief", "stage": ALL, "lang": ALL}, "n_clicks"),
    *PAGE_STATES,
    prevent_initial_call=True,
)
def download_brief(
    clicks: list[int | None],
    name: str | None,
    quarter: str | None,
    basis: str | None,
    page_lang: str | None,
    rank: str | None,
    boundary: str | None,
    known: str | None,
) -> tuple[Any, Any]:
    """Send the brief of the card whose button was clicked, in the button's language."""
    page_lang = norm_lang(page_lang)
    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not any(c for c in clicks or [] if c):
        return dash.no_update, dash.no_update
    value = next((c["value"] for c in ctx.triggered if c.get("value")), None)
    if not value:  # the buttons were just drawn (n_clicks 0): nothing was clicked
        return dash.no_update, dash.no_update
    d = known_date(known)
    try:
        payload = brief(
            get_state().known_on(d),
            str(name),
            str(quarter),
            one_of(basis, BASES, "nameplate"),
            norm_lang(trigger.get("lang")),
            one_of(rank, RANKS, "cell-eq"),
            one_of(boundary, BOUNDARIES, "park"),
            trigger.get("stage"),
            known_as_of=d,
        )
    except Exception as exc:
        return dash.no_update, error_message(exc, page_lang)
    return payload, None
