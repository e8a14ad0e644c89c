"""What the value-chain page shows for one scenario, quarter, basis, ranking and boundary.

Pure builders behind the page's callbacks (``dashboard/pages/chain.py``): the gap table and
ranked targets, the shortfall probabilities of every stage and quarter, the chain view,
heatmap, cards and ranked table (:func:`content`, cached per scenario), and the one-page
brief of a target (:func:`brief`). Nothing here registers a callback.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dash import html

from dashboard.chain_cards import target_cards
from dashboard.chain_heatmap import shortfall_heatmap
from dashboard.chain_sources import recipe_note, record_note
from dashboard.chain_view import chain_figure, chain_graph
from dashboard.components import table
from dashboard.figures import targets_rows
from dashboard.guards import UNKNOWN_CHOICE, Rejected
from dashboard.state import AppState
from model.catalogue import t
from model.gaps import chain_flows, gap_table, investment_targets, rank_figures
from model.scenario import Scenario
from model.target_brief import brief_filename, target_brief


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
