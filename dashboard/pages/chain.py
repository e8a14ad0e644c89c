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
from datetime import date
from typing import Any

import dash
from dash import ALL, Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.chain_cards import target_cards
from dashboard.chain_heatmap import shortfall_heatmap
from dashboard.chain_sources import recipe_note, record_note
from dashboard.chain_view import chain_figure, chain_graph
from dashboard.components import error_message, field, graph, table
from dashboard.figures import targets_rows
from dashboard.guards import UNKNOWN_CHOICE, Rejected, one_of
from dashboard.i18n import Texts, already_in, norm_lang
from dashboard.known import known_date
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
from model.target_brief import brief_filename, target_brief

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


def layout(scenario: str = "baseline", lang: str | None = None, **_query: str) -> html.Div:
    """Controls (scenario, quarter, basis, rank, boundary), heatmap, chain view and cards.

    The scenario and its last quarter are chosen here, so the page's content is computed
    in one round trip after it opens.
    """
    tx = Texts("chain", lang)
    state = get_state()
    name = default_scenario(state, scenario)
    try:  # the scenario's quarters, the last one chosen; a broken scenario is said here
        qs, problem = (state.quarter_labels(state.scenario(name)) if name else []), None
    except Exception as exc:
        qs, problem = [], error_message(exc, tx.lang)
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
            html.H3(tx("chain_cards_title")),
            html.Div(id="chain-cards", className="chain-cards"),
            html.Div(id="chain-more"),
            html.Details(
                [html.Summary(tx("chain_table_title")), html.Div(id="chain-targets")],
                id="chain-table-box",
                className="chain-table",
            ),
            dcc.Download(id="chain-brief-download"),
            dcc.Store(id="chain-lang-shown", data=tx.lang),
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
    State("chain-lang-shown", "data"),
)
def translate_options(
    lang: str | None, shown: str | None = None
) -> tuple[list[dict[str, str]], ...]:
    """Re-label the scenario, basis, rank and boundary choices when the language changes."""
    if already_in(lang, shown):  # the page opened in it
        raise PreventUpdate
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


def targets(
    state: AppState,
    scenario: Scenario,
    quarter: str,
    basis: str,
    lang: str,
    rank: str,
    boundary: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The gap table and the ranked investment targets of one quarter (cached).

    Cached per scenario hash, data version (the "as known on" date), quarter, basis,
    language, rank and boundary.
    """
    table_ = state.cached(
        scenario,
        ("gaps", quarter, basis, lang, boundary),
        lambda: gap_table(
            state.park,
            state.dataset(scenario),
            quarter,
            basis=basis,
            scenario=scenario,
            lang=lang,
            boundary=boundary,
        ),
    )
    ranked = state.cached(
        scenario,
        ("targets", quarter, basis, lang, rank, boundary),
        lambda: investment_targets(table_, rank, rank_figures(state.park, rank)),
    )
    return table_, ranked


def shortfall_matrix(
    state: AppState, scenario: Scenario, basis: str, boundary: str
) -> tuple[list[str], list[str], Any]:
    """Stage ids (chain order), quarters and P(short) (stage × quarter), cached per scenario.

    The probabilities are those of :func:`model.gaps.gap_table` on the page's basis and
    boundary, so the heatmap and the cards agree.
    """

    def compute() -> tuple[list[str], list[str], Any]:
        import numpy as np

        ds = state.dataset(scenario)
        qs = [str(q) for q in ds["quarter"].values]
        stages = state.park.stage_ids
        p = np.zeros((len(stages), len(qs)))
        for j, q in enumerate(qs):
            rows = gap_table(
                state.park, ds, q, basis=basis, scenario=scenario, lang="en", boundary=boundary
            )
            by = {r["stage"]: r["p_short"] for r in rows}
            p[:, j] = [by.get(s, 0.0) for s in stages]
        return stages, qs, p

    return state.cached(scenario, ("p-short-matrix", basis, boundary), compute)


def content(
    state: AppState,
    name: str,
    quarter: str,
    basis: str,
    lang: str,
    rank: str = "cell-eq",
    boundary: str = "park",
) -> dict[str, Any]:
    """Everything the page shows for one scenario, quarter, basis, rank and boundary.

    ``name`` must be a scenario of the folder and ``quarter`` one of its projection
    (:class:`~dashboard.guards.Rejected` otherwise, before anything is simulated).

    Returns
    -------
    dict
        ``view`` (chain figure), ``heatmap`` (figure), ``never`` (text), ``note``
        (the chain view's key), ``cards`` (list of cards), ``table`` (the ranked table).
    """
    scenario = state.scenario(name)
    if not isinstance(quarter, str) or quarter not in state.quarter_labels(scenario):
        raise Rejected(UNKNOWN_CHOICE)
    return state.cached(
        scenario,
        ("chain-page", quarter, basis, lang, rank, boundary),
        lambda: _content(state, scenario, quarter, basis, lang, rank, boundary),
    )


def _content(
    state: AppState,
    scenario: Scenario,
    quarter: str,
    basis: str,
    lang: str,
    rank: str,
    boundary: str,
) -> dict[str, Any]:
    park = state.park
    table_, ranked = targets(state, scenario, quarter, basis, lang, rank, boundary)
    flows = state.cached(
        scenario,
        ("flows", quarter, basis),
        lambda: chain_flows(park, state.dataset(scenario), quarter, basis, scenario),
    )
    subtitle = f"{scenario.title(lang)} · {quarter} · {t('ui_basis_' + basis, lang)}"
    model_note = t(
        "chain_model_source",
        lang,
        scenario=scenario.title(lang),
        draws=scenario.draws,
        quarter=quarter,
        basis=t("ui_basis_" + basis, lang),
    )
    nodes, links = chain_graph(park, table_, flows, lang)
    notes = {
        n: f"{record_note(park, n, lang)}<br>{recipe_note(park, n, lang)}"
        for node in nodes
        for n in node.members
    }
    view = chain_figure(
        park,
        nodes,
        links,
        lang,
        title=f"{t('chain_view_title', lang)}<br><sup>{subtitle}</sup>",
        node_notes=notes,
        model_note=model_note,
    )
    stages, qs, p = shortfall_matrix(state, scenario, basis, boundary)
    heatmap, never = shortfall_heatmap(
        stages,
        [park.stages[s].name(lang) for s in stages],
        qs,
        p,
        lang,
        title=f"{t('chain_heatmap_title', lang)}<br><sup>{scenario.title(lang)} · "
        f"{t('ui_basis_' + basis, lang)}</sup>",
        highlight=quarter,
        source=t(
            "chain_model_source",
            lang,
            scenario=scenario.title(lang),
            draws=scenario.draws,
            quarter=f"{qs[0]}–{qs[-1]}",
            basis=t("ui_basis_" + basis, lang),
        ),
    )
    note = [t("chain_view_key", lang), t("chain_pv_note", lang)]
    if basis == "effective":
        note.append(t("chain_effective_note", lang))
    rows = targets_rows(ranked, lang, rank)
    ranked_table = table(
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
    return {
        "view": view,
        "heatmap": heatmap,
        "never": t(
            "chain_never_short", lang, n=len(never), names=t("msg_list_join", lang).join(never)
        )
        if never
        else None,
        "note": [html.Span(n + " ") for n in note],
        "cards": target_cards(park, ranked, lang, rank, model_note),
        "table": ranked_table,
    }


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
        out = content(
            get_state().known_on(known_date(known)),
            name,
            quarter,
            one_of(basis, BASES, "nameplate"),
            lang,
            one_of(rank, RANKS, "cell-eq"),
            one_of(boundary, BOUNDARIES, "park"),
        )
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


def _shown_content(
    name: str | None,
    quarter: str | None,
    basis: str | None,
    lang: str | None,
    rank: str | None = None,
    boundary: str | None = None,
    known: str | None = None,
) -> dict[str, Any] | None:
    """What :func:`content` gives for the page's controls; ``None`` where it fails.

    The page's own callback (:func:`render`) says why it fails.
    """
    if not name or not quarter:
        return None
    try:
        return content(
            get_state().known_on(known_date(known)),
            name,
            quarter,
            one_of(basis, BASES, "nameplate"),
            norm_lang(lang),
            one_of(rank, RANKS, "cell-eq"),
            one_of(boundary, BOUNDARIES, "park"),
        )
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


def brief(
    state: AppState,
    name: str,
    quarter: str,
    basis: str,
    lang: str,
    rank: str,
    boundary: str,
    stage: Any,
    known_as_of: date | None = None,
    today: date | None = None,
) -> dict[str, str]:
    """The brief of the target ``stage`` as a ``dcc.Download`` payload (HTML, in ``lang``).

    Raises
    ------
    Rejected
        Unknown scenario or quarter; or
        ``stage`` is not a current target (message ``chain_bad_target``, naming the stage
        if it is one of the park's, never echoing other text).
    """
    scenario = state.scenario(name)
    if not isinstance(quarter, str) or quarter not in state.quarter_labels(scenario):
        raise Rejected(UNKNOWN_CHOICE)
    _table, ranked = targets(state, scenario, quarter, basis, lang, rank, boundary)
    target = next((r for r in ranked if r["stage"] == stage), None)
    if target is None:
        # a known stage id is named; anything else the browser sent is not echoed
        shown = state.park.stages[stage].name(lang) if stage in state.park.stages else "?"
        key = "chain_bad_target"
        raise Rejected(key, value=shown)
    page = target_brief(
        state.park,
        target,
        lang=lang,
        scenario_name=scenario.name,
        scenario_title=scenario.title(lang),
        made_on=today or date.today(),
        known_as_of=known_as_of,
    )
    return {"content": page, "filename": brief_filename(target, lang), "type": "text/html"}


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
