"""The value-chain page's investment cards: one per ranked target, with its brief's buttons.

Each card shows the target's gap, P(short), local supply, capacity to recruit (also in
plant-sized units), matching projects and sources; every number's hover names where it
comes from (:mod:`dashboard.chain_sources`). Pure builders: the page
(``dashboard/pages/chain.py``) ranks the targets and passes them in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import html

from dashboard.chain_sources import recipe_note, record_note
from dashboard.chain_view import quantity
from dashboard.figures import STATUS_COLOURS
from dashboard.i18n import norm_lang
from model.catalogue import t
from model.park import Park
from model.plant_size import matching_projects, plant_basis_text, plant_text, typical_plant
from model.target_brief import source_label, target_sources
from model.units import format_money


def _number(text: str, title: str, cls: str = "chain-num") -> html.Span:
    return html.Span(text, title=title, className=cls)


def target_cards(
    park: Park,
    targets: Sequence[Mapping[str, Any]],
    lang: str,
    rank: str,
    model_note: str,
) -> list[html.Div]:
    """One card per ranked target, with buttons that download its brief (zh or en).

    Each card: gap, P(short), local supply, capacity to recruit and that capacity in
    plant-sized units, matching projects, sources.

    Every number carries a hover ``title`` naming where it comes from: ``model_note`` (the
    scenario, draws, quarter and basis) for model results, the capacity record (source,
    as-of, recorded) for supply, the announced plants' sources (or the project or record)
    for the plant size.

    Parameters
    ----------
    targets
        :func:`model.gaps.investment_targets` (ranked, with ``score``).
    rank
        The ranking in force (``cell-eq``, ``value``, ``capex``, ``jobs``).
    model_note
        The model result's description, shown as the title of its numbers.
    """
    lang = norm_lang(lang)
    if not targets:
        return [html.P(t("chain_cards_none", lang), className="chain-none")]
    cards = []
    for r in targets:
        sid, unit = str(r["stage"]), str(r["unit"])
        plant = typical_plant(park, sid)
        own = r.get("reference") == sid  # a product is its own yardstick: no ≈
        eq = None if own else r.get("ranked_gap_cell_gwh_eq")
        wafer = None if own else r.get("ranked_gap_wafer_gw_eq")
        gap_title = f"{model_note}\n{recipe_note(park, sid, lang)}\n{record_note(park, sid, lang)}"
        gap = [_number(quantity(r.get("ranked_gap"), unit, lang), gap_title, "chain-num big")]
        if eq is not None:
            gap.append(
                _number(
                    f" ≈ {quantity(eq, 'GWh', lang)} {t('chain_cell_eq_note', lang)}", gap_title
                )
            )
        elif wafer is not None:
            gap.append(
                _number(
                    f" ≈ {quantity(wafer, 'GW', lang)} {t('chain_wafer_eq_note', lang)}",
                    gap_title,
                )
            )
        plant_title = "\n".join(
            [
                plant_basis_text(plant, lang),
                *(source_label(park, i, lang) for i in (plant.sources if plant else ())),
            ]
        )
        score = r.get("score")
        rows: list[Any] = [
            html.Div([html.Span(t("chain_card_gap", lang), className="chain-k"), *gap]),
            html.Div(
                [
                    html.Span(t("p_short", lang), className="chain-k"),
                    _number(f"{100 * float(r['p_short']):.0f}%", model_note, "chain-num big"),
                    *(
                        [
                            _number(
                                t(
                                    "chain_market_p",
                                    lang,
                                    p=f"{100 * float(r['p_market_short']):.0f}%",
                                ),
                                model_note,
                            )
                        ]
                        if r.get("p_market_short") is not None
                        else []
                    ),
                ]
            ),
            html.Div(
                [
                    html.Span(t("supply", lang), className="chain-k"),
                    _number(quantity(r.get("supply"), unit, lang), record_note(park, sid, lang)),
                ]
            ),
            html.Div(
                [
                    html.Span(t("to_close", lang), className="chain-k"),
                    _number(quantity(r.get("to_close"), unit, lang), gap_title, "chain-num big"),
                ]
            ),
            html.Div(
                [
                    html.Span(t("chain_brief_plants", lang), className="chain-k"),
                    _number(plant_text(float(r.get("to_close") or 0.0), plant, lang), plant_title),
                    *(
                        [html.Div(plant_basis_text(plant, lang), className="chain-note")]
                        if plant is not None
                        else []
                    ),
                ]
            ),
        ]
        if rank != "cell-eq":
            shown = (
                "–"
                if score is None
                else f"{score:,.0f}"
                if rank == "jobs"
                else format_money(score, lang, per_year=rank == "value")
            )
            rows.append(
                html.Div(
                    [
                        html.Span(t(f"rank_{rank}", lang), className="chain-k"),
                        _number(shown, t("chain_card_score", lang)),
                    ]
                )
            )
        projects = matching_projects(park, sid)
        rows.append(
            html.Div(
                [
                    html.Span(t("chain_projects", lang), className="chain-k"),
                    html.Ul(
                        [
                            html.Li(
                                [
                                    p.name(lang) + ": ",
                                    _number(
                                        quantity(p.value, p.unit, lang),
                                        source_label(park, p.source, lang),
                                    ),
                                    f" · {t('chain_project_status_' + p.status, lang)}",
                                ]
                            )
                            for p in projects
                        ]
                        or [html.Li(t("chain_no_projects", lang))],
                        className="chain-projects",
                    ),
                ]
            )
        )
        rows.append(
            html.Div(
                [
                    html.Span(t("chain_sources", lang), className="chain-k"),
                    html.Span(
                        ", ".join(
                            source_label(park, i, lang) if i.startswith("recipes") else i
                            for i in target_sources(park, r)
                        )
                        or t("chain_no_sources", lang),
                        className="chain-note",
                    ),
                ]
            )
        )
        buttons = [
            html.Button(
                t("chain_card_download", lang, language=t(f"chain_lang_{b}", lang)),
                id={"type": "chain-brief", "stage": sid, "lang": b},
                className="chain-brief-button",
                n_clicks=0,
            )
            for b in ("zh", "en")
        ]
        status = str(r["status"])
        cards.append(
            html.Div(
                [
                    html.Div(
                        [
                            html.Span(
                                t("chain_card_rank", lang, rank=int(r["rank"])),
                                className="chain-rank",
                            ),
                            html.Strong(park.stages[sid].name(lang), className="chain-name"),
                            html.Span(
                                t("status_" + status, lang),
                                className="chain-badge",
                                style={"background": STATUS_COLOURS.get(status, "#7f7f7f")},
                            ),
                        ],
                        className="chain-card-head",
                    ),
                    *rows,
                    html.Div(buttons, className="chain-card-buttons"),
                ],
                className="chain-card",
                id=f"chain-card-{sid}",
            )
        )
    return cards
