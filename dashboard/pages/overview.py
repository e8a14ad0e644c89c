"""Overview (概览): the park at a glance, then the full tables folded away.

Headline cards (cells, stages present, biggest gap, top investment target), a one-sentence
finding, the chain strip of stage tiles coloured by gap status, and — folded — the full
capacity stocks, the growth indicators and the pipeline in numbers. Every card and tile
names the record behind it (hover, click or keyboard focus). The park is shown as known
on the date in the shell's ``known-as-of`` store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import dash
from dash import Input, Output, State, callback, html

from dashboard.components import error_message, table
from dashboard.i18n import Texts, norm_lang, page_lang
from dashboard.known import known_date
from dashboard.overview_finding import finding
from dashboard.overview_view import (
    STATUSES,
    chain_strip,
    headline,
    needed_stages,
    present_stages,
    stocks_rows_ordered,
)
from dashboard.state import AppState, get_state
from dashboard.views import facts_rows, growth_rows, pipeline_by_stage, pipeline_by_status
from model.catalogue import t
from model.gaps import gap_table
from model.scenario import Scenario
from model.tracking import stock_table

dash.register_page(__name__, path="/", order=0, title_key="page_overview", name="overview")

#: the scenario whose gaps the headline shows (the first of the folder if it is absent)
BASELINE = "baseline"


def layout(lang: str | None = None, stored_lang: str | None = None, **_query: str) -> html.Div:
    """The page: a title, then the content that the callback fills in the chosen language."""
    tx = Texts("ov", page_lang(lang, stored_lang))
    return html.Div(
        [
            tx.element(html.H2, "page_overview"),
            tx.element(html.P, "ov_intro", className="pc-intro"),
            html.Div(id="ov-content", className="pc-ov"),
        ]
    )


# ---------------------------------------------------------------------------
# layout fragments (pure)
# ---------------------------------------------------------------------------
def _source(text: str) -> html.Div:
    """The source lines of a card or tile, shown when it has focus (CSS)."""
    return html.Div(text, className="pc-ov-src")


def card(c: Mapping[str, str], lang: str) -> html.Div:
    """A headline card: label, value, what it is; the source on hover, click or focus."""
    parts = [
        html.Div(c["label"], className="pc-ov-card-label"),
        html.Div(c["value"], className="pc-ov-card-value"),
    ]
    if c.get("figure"):
        parts.append(html.Div(c["figure"], className="pc-ov-card-figure"))
    if c["sub"]:
        parts.append(html.Div(c["sub"], className="pc-ov-card-sub"))
    if c["ties"]:
        parts.append(html.Div(c["ties"], className="pc-ov-card-sub"))
    parts.append(_source(c["source"]))
    return html.Div(
        parts,
        id=f"ov-card-{c['key']}",
        className="pc-ov-card",
        title=f"{c['source']}\n({t('ov_show_source', lang)})",
        tabIndex="0",
    )


def tile(x: Mapping[str, str], quiet: bool) -> html.Div:
    """A stage tile: name, status in words, coverage; coloured by status; source on focus."""
    parts = [
        html.Div(x["name"], className="pc-ov-tile-name"),
        html.Div(x["status_text"], className="pc-ov-tile-status"),
    ]
    if x["coverage"]:
        parts.append(html.Div(x["coverage"], className="pc-ov-tile-cov"))
    parts.append(_source(x["source"]))
    return html.Div(
        parts,
        id=f"ov-tile-{x['stage']}",
        className=f"pc-ov-tile pc-ov-{x['status']}" + (" pc-ov-tile--quiet" if quiet else ""),
        title=x["source"],
        tabIndex="0",
    )


def strip(groups: Sequence[Mapping[str, Any]], lang: str) -> html.Div:
    """The chain strip: one row of tiles per chain, upstream first; chains the park lacks dimmed."""
    rows = []
    for g in groups:
        head = [html.Div(g["label"], className="pc-ov-chain-name")]
        if g["quiet"]:
            head.append(html.Div(t("ov_quiet_chain", lang), className="pc-ov-chain-note"))
        rows.append(
            html.Div(
                [
                    html.Div(head, className="pc-ov-chain-head"),
                    html.Div(
                        [tile(x, g["quiet"]) for x in g["tiles"]],
                        className="pc-ov-tiles",
                    ),
                ],
                className="pc-ov-group" + (" pc-ov-group--quiet" if g["quiet"] else ""),
            )
        )
    return html.Div(rows, id="ov-strip")


def legend(groups: Sequence[Mapping[str, Any]], lang: str) -> html.Div:
    """The colours of the statuses that appear in the strip, each with its word."""
    shown = {x["status"] for g in groups for x in g["tiles"]}
    return html.Div(
        [html.Span(t("ov_legend", lang), className="pc-ov-hint")]
        + [
            html.Span(t(f"status_{s}", lang), className=f"pc-ov-key pc-ov-{s}")
            for s in STATUSES
            if s in shown
        ],
        id="ov-legend",
        className="pc-ov-legend",
    )


def stocks_table(rows: Sequence[Mapping[str, str]], lang: str) -> html.Div:
    """The full stocks table; stages the park lacks greyed out; scrolls inside its box."""
    columns = [
        ("stage", t("stage", lang)),
        ("chain", t("chain", lang)),
        ("capacity", t("ui_capacity_per_year", lang)),
        ("cell_eq", t("cell_eq", lang)),
        ("as_of", t("as_of", lang)),
        ("source", t("source", lang)),
    ]
    head = html.Thead(html.Tr([html.Th(label) for _, label in columns]))
    body = html.Tbody(
        [
            html.Tr(
                [html.Td(r.get(k, "")) for k, _ in columns],
                className="pc-ov-absent" if r["presence"] == "absent" else None,
            )
            for r in rows
        ]
    )
    return _scroll(html.Table([head, body], className="pc-table", id="ov-stocks"))


def _scroll(child: Any) -> html.Div:
    return html.Div(child, className="pc-ov-scroll")


def more(lang: str) -> html.Details:
    """The folded part, empty until it is first opened (:func:`fill_more` fills it).

    Its tables are some three hundred components, which the browser would build at every
    visit (and keep up to date at every callback) for a part most visits never open.
    """
    return html.Details(
        [html.Summary(t("ov_more", lang)), html.Div(id="ov-more-body")],
        id="ov-more",
        className="pc-ov-more",
    )


def more_body(state: AppState, lang: str) -> list[Any]:
    """The folded part's content: full stocks table, growth indicators, pipeline in numbers."""
    park = state.park
    stocks = stock_table(park, park.latest_date(), lang=lang)
    pipeline_note = t("ov_pipeline_source", lang, n=len(park.projects))
    return [
        html.H3(t("stocks_title", lang, date=park.latest_date().isoformat())),
        html.P(t("ov_stocks_hint", lang), className="pc-ov-hint"),
        stocks_table(stocks_rows_ordered(park, stocks, lang), lang),
        html.H3(t("growth_title", lang)),
        _scroll(
            table(
                [
                    ("subject", t("ui_indicator", lang)),
                    ("year", t("ui_year", lang)),
                    ("text", t("ui_as_printed", lang)),
                    ("increase", t("ui_increase", lang)),
                    ("ratio", t("ui_ratio_title", lang)),
                    ("source", t("source", lang)),
                ],
                growth_rows(park, lang),
                ident="ov-growth",
            )
        ),
        html.H3(t("ui_pipeline_numbers", lang)),
        html.P(pipeline_note, className="pc-ov-hint", id="ov-pipeline-source"),
        html.Div(
            [
                html.Div(
                    _scroll(
                        table(
                            [
                                ("fact", t("ui_fact", lang)),
                                ("value", t("ui_value", lang)),
                                ("year", t("ui_year", lang)),
                                ("source", t("source", lang)),
                            ],
                            facts_rows(park, lang),
                            ident="ov-facts",
                        )
                    ),
                    className="pc-col",
                ),
                html.Div(
                    _scroll(
                        table(
                            [("status", t("status", lang)), ("count", t("ui_count", lang))],
                            pipeline_by_status(park, lang),
                            ident="ov-status",
                        )
                    ),
                    title=pipeline_note,
                    className="pc-col",
                ),
                html.Div(
                    _scroll(
                        table(
                            [
                                ("stage", t("stage", lang)),
                                ("projects", t("ui_count", lang)),
                                ("capacity", t("ui_pipeline_capacity", lang)),
                            ],
                            pipeline_by_stage(park, lang),
                            ident="ov-by-stage",
                        )
                    ),
                    title=pipeline_note,
                    className="pc-col",
                ),
            ],
            className="pc-row",
        ),
    ]


# ---------------------------------------------------------------------------
# content
# ---------------------------------------------------------------------------
def headline_scenario(state: AppState) -> Scenario:
    """The baseline scenario of the folder, else its first scenario."""
    names = state.scenario_names()
    return state.scenario(BASELINE if BASELINE in names else names[0])


def content(state: AppState, lang: str) -> list[Any]:
    """The overview for ``lang`` of the park in ``state`` (as known on its date, if any).

    The gaps are the scenario's (:func:`headline_scenario`) on the nameplate basis in the
    projection's first quarter: the quarter of the latest capacity record.
    """
    park = state.park
    if not park.capacity_records:
        return []
    scenario = headline_scenario(state)
    ds = state.dataset(scenario)
    quarter = str(ds["quarter"].values[0])
    gaps = state.cached(
        scenario,
        ("gaps", quarter, "nameplate", lang, "park"),
        lambda: gap_table(park, ds, quarter, basis="nameplate", scenario=scenario, lang=lang),
    )
    stocks = stock_table(park, park.latest_date(), lang=lang)
    needed = needed_stages(park, present_stages(stocks), scenario)
    groups = chain_strip(park, stocks, gaps, lang, needed)
    cards = headline(park, stocks, gaps, scenario, lang, scenario.title(lang))
    return [
        html.P(
            [
                html.Strong(t("ov_finding_title", lang)),
                html.Span(finding(park, stocks, gaps, lang)),
            ],
            id="ov-finding",
            className="pc-ov-finding",
        ),
        html.Div([card(c, lang) for c in cards], id="ov-headline", className="pc-ov-cards"),
        html.H3(t("ov_strip_title", lang)),
        html.P(t("ov_strip_intro", lang, quarter=quarter), className="pc-ov-hint"),
        legend(groups, lang),
        strip(groups, lang),
        more(lang),
    ]


def page(state: AppState, lang: str, known: Any = None) -> list[Any]:
    """Everything under the title: a note on the "as known on" date, then the content."""
    lang = norm_lang(lang)
    day = known_date(known)
    view = state.known_on(day)
    note = (
        [
            html.P(
                t("ov_known_on", lang, date=day.isoformat()), id="ov-known", className="pc-ov-known"
            )
        ]
        if day is not None
        else []
    )
    if not view.park.capacity_records:
        date = day.isoformat() if day is not None else "–"
        return [*note, html.P(t("ov_finding_no_data", lang, date=date), id="ov-finding")]
    scenario = headline_scenario(view)
    body = view.view(("overview", lang, scenario.content_hash()), lambda: content(view, lang))
    return [*note, *body]


@callback(
    Output("ov-more-body", "children"),
    Input("ov-more", "n_clicks"),
    State("ov-more-body", "children"),
    State("lang", "data"),
    State("known-as-of", "data"),
    prevent_initial_call=True,
)
def fill_more(clicks: int | None, body: Any, lang: str | None, known: Any = None) -> Any:
    """Fill the folded part the first time it is opened (later clicks leave it as it is)."""
    if not clicks or body:
        return dash.no_update
    lang = norm_lang(lang)
    state = get_state().known_on(known_date(known))
    if not state.park.capacity_records:
        return None
    try:
        return state.view(("overview-more", lang), lambda: more_body(state, lang))
    except Exception as exc:  # shown in the folded part, logged with its traceback
        return error_message(exc, lang)


def warm(state: AppState, lang: str) -> None:
    """Compute what the page shows first (:mod:`dashboard.warmup`)."""
    page(state, lang)


@callback(
    Output("ov-content", "children"),
    Input("lang", "data"),
    Input("known-as-of", "data"),
)
def render(lang: str | None, known: Any = None) -> Any:
    """Fill the overview in the chosen language, for the park as known on the chosen date."""
    lang = norm_lang(lang)
    try:
        return page(get_state(), lang, known)
    except Exception as exc:  # shown on the page, logged with its traceback
        return error_message(exc, lang)
