"""Overview (概览): today's capacity stocks, the 2023 growth indicators, the pipeline in numbers."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, callback, html

from dashboard.components import error_message, graph, table
from dashboard.figures import stocks_bars
from dashboard.i18n import Texts, norm_lang
from dashboard.state import AppState, get_state
from dashboard.views import (
    facts_rows,
    growth_rows,
    pipeline_by_stage,
    pipeline_by_status,
    stocks_rows,
)
from model.catalogue import t
from model.tracking import stock_table

dash.register_page(__name__, path="/", order=0, title_key="page_overview", name="overview")


def layout(lang: str | None = None, **_query: str) -> html.Div:
    """The page: a title, then the content that the callback fills in the chosen language."""
    tx = Texts("ov", lang)
    return html.Div(
        [
            html.H2(tx("page_overview")),
            html.P(tx("ui_overview_intro"), className="pc-intro"),
            html.Div(id="ov-content"),
            graph("ov-stocks-fig"),
        ]
    )


def content(state: AppState, lang: str) -> tuple[list[Any], Any]:
    """The overview's tables and the stocks chart for ``lang`` (pure apart from the data)."""
    park = state.park
    as_of = park.latest_date()
    stocks = stock_table(park, as_of, lang=lang)
    rows = stocks_rows(park, stocks, lang)
    children = [
        html.H3(t("stocks_title", lang, date=as_of.isoformat())),
        table(
            [
                ("stage", t("stage", lang)),
                ("chain", t("chain", lang)),
                ("capacity", t("ui_capacity_per_year", lang)),
                ("cell_eq", t("cell_eq", lang)),
                ("as_of", t("as_of", lang)),
                ("source", t("source", lang)),
            ],
            rows,
            ident="ov-stocks",
        ),
        html.H3(t("growth_title", lang)),
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
        ),
        html.H3(t("ui_pipeline_numbers", lang)),
        html.Div(
            [
                html.Div(
                    table(
                        [
                            ("fact", t("ui_fact", lang)),
                            ("value", t("ui_value", lang)),
                            ("year", t("ui_year", lang)),
                            ("source", t("source", lang)),
                        ],
                        facts_rows(park, lang),
                        ident="ov-facts",
                    ),
                    className="pc-col",
                ),
                html.Div(
                    table(
                        [("status", t("status", lang)), ("count", t("ui_count", lang))],
                        pipeline_by_status(park, lang),
                        ident="ov-status",
                    ),
                    className="pc-col",
                ),
                html.Div(
                    table(
                        [
                            ("stage", t("stage", lang)),
                            ("projects", t("ui_count", lang)),
                            ("capacity", t("ui_pipeline_capacity", lang)),
                        ],
                        pipeline_by_stage(park, lang),
                        ident="ov-by-stage",
                    ),
                    className="pc-col",
                ),
            ],
            className="pc-row",
        ),
    ]
    return children, stocks_bars(stocks, lang)


@callback(
    Output("ov-content", "children"),
    Output("ov-stocks-fig", "figure"),
    Input("lang", "data"),
)
def render(lang: str | None) -> tuple[Any, Any]:
    """Fill the overview in the chosen language."""
    lang = norm_lang(lang)
    try:
        state = get_state()
        return state.view(("overview", lang), lambda: content(state, lang))
    except Exception as exc:  # shown on the page, logged with its traceback
        return error_message(exc, lang), dash.no_update
