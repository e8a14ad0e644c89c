"""Pipeline (项目库): every pipeline project in a sortable, filterable grid.

The grid is dash-ag-grid, community features only. It fits its box: seven columns
(project, company, stage, capacity, status, expected start, source id) share the width,
long names wrap; the rest of a project (technology, canonical value and unit, yardstick,
announcement date, the source's title, assumption) shows in a details panel when a row is clicked, and on a
narrow screen the grid scrolls inside its own box.

Sorting: text columns sort as text; the capacity column shows the project's own unit
(``5万吨/年``) but sorts by the number in ``capacity_sort`` (cell-GWh-eq for storage
stages, then GW-of-wafers-eq for photovoltaic ones; see
:func:`dashboard.views.pipeline_grid_rows`). The formatter is a dash-ag-grid function
string, which dash-ag-grid reads with its own parser (no ``eval``: the page's
Content-Security-Policy holds).
"""

from __future__ import annotations

import logging
from typing import Any

import dash
import dash_ag_grid as dag
from dash import Input, Output, callback, html

from dashboard.i18n import Texts, norm_lang, page_lang
from dashboard.known import known_date
from dashboard.state import get_state
from dashboard.views import pipeline_grid_rows
from model.catalogue import t

logger = logging.getLogger(__name__)

dash.register_page(__name__, path="/pipeline", order=4, title_key="page_pipeline", name="pipeline")

#: grid columns: (row key, catalogue key of the header, flex share, minimum width in px)
COLUMNS = (
    ("name", "ui_project", 2.2, 190),
    ("company", "ui_company", 1.5, 140),
    ("stage", "stage", 1.6, 150),
    ("capacity", "ui_capacity_per_year", 1.0, 120),
    ("status", "status", 1.1, 110),
    ("expected_start", "ui_expected_start", 1.1, 110),
    ("source_id", "source", 1.0, 120),
)
#: what the details panel lists: (row key, catalogue key of the label)
DETAILS = (
    ("name", "ui_project"),
    ("company", "ui_company"),
    ("stage", "stage"),
    ("technology", "ui_technology"),
    ("capacity", "ui_capacity_per_year"),
    ("capacity_eq", "ui_pipeline_yardstick"),
    ("status", "status"),
    ("announced", "ui_announced"),
    ("expected_start", "ui_expected_start"),
    ("source", "source"),
    ("assumption", "ui_assumption"),
)
#: columns whose long text wraps onto more lines (the row grows)
WRAPPED = ("name", "company", "stage", "status", "expected_start")


def column_defs(lang: str) -> list[dict[str, Any]]:
    """Column definitions with headers in ``lang``.

    Text columns filter and sort as text. The capacity column's value is
    ``capacity_sort`` (a number, so it sorts numerically) and shows ``capacity``.
    """
    defs = []
    for key, label, flex, min_width in COLUMNS:
        col: dict[str, Any] = {
            "field": key,
            "colId": key,
            "headerName": t(label, lang),
            "filter": "agTextColumnFilter",
            "sortable": True,
            "resizable": True,
            "flex": flex,
            "minWidth": min_width,
            "tooltipField": key if key in WRAPPED else None,
        }
        if key in WRAPPED:
            col.update(wrapText=True, autoHeight=True)
        if key == "source_id":  # the id; its title on hover and in the details
            col.update(tooltipField="source")
        if key == "capacity":
            col.update(
                field="capacity_sort",
                cellDataType="number",
                valueFormatter={"function": "params.data.capacity"},
                filterValueGetter={"function": "params.data.capacity"},
                tooltipField="capacity_eq",
                type="rightAligned",
            )
        defs.append(col)
    return defs


def layout(lang: str | None = None, stored_lang: str | None = None, **_query: str) -> html.Div:
    """The grid and its details panel; rows and headers follow the language and date."""
    tx = Texts("pipe", page_lang(lang, stored_lang))
    return html.Div(
        [
            tx.element(html.H2, "page_pipeline"),
            tx.element(html.P, "ui_pipeline_intro", className="pc-intro"),
            html.P([tx("ui_pipeline_sort_note"), " ", tx("ui_pipeline_pick")], className="pc-hint"),
            html.Div(
                dag.AgGrid(
                    id="pipeline-grid",
                    columnDefs=column_defs(tx.lang),
                    rowData=pipeline_grid_rows(get_state().park, tx.lang),
                    getRowId="params.data.id",
                    defaultColDef={"floatingFilter": True, "wrapHeaderText": True},
                    columnSize="responsiveSizeToFit",
                    dashGridOptions={
                        "pagination": False,
                        "tooltipShowDelay": 300,
                        "domLayout": "autoHeight",
                        "suppressDragLeaveHidesColumns": True,
                    },
                    style={"width": "100%"},
                    className="pc-grid",
                ),
                className="pc-scroll",
            ),
            html.Section(id="pipeline-details", className="pc-details", hidden=True),
        ]
    )


@callback(
    Output("pipeline-grid", "columnDefs"),
    Output("pipeline-grid", "rowData"),
    Input("lang", "data"),
    Input("known-as-of", "data"),
)
def translate_grid(
    lang: str | None, known: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Headers and rows in the chosen language, for the park as known on the date set."""
    lang = norm_lang(lang)
    park = get_state().known_on(known_date(known)).park
    return column_defs(lang), pipeline_grid_rows(park, lang)


@callback(
    Output("pipeline-details", "children"),
    Output("pipeline-details", "hidden"),
    Input("pipeline-grid", "cellClicked"),
    Input("lang", "data"),
    Input("known-as-of", "data"),
)
def show_details(
    clicked: dict[str, Any] | None, lang: str | None, known: str | None
) -> tuple[list[Any], bool]:
    """Every field of the project whose row was clicked (nothing before a click)."""
    lang = norm_lang(lang)
    row_id = clicked.get("rowId") if isinstance(clicked, dict) else None
    if not isinstance(row_id, str):
        return [], True
    park = get_state().known_on(known_date(known)).park
    row = next((r for r in pipeline_grid_rows(park, lang) if r["id"] == row_id), None)
    if row is None:  # a row of another date or a forged click: show nothing
        logger.info("pipeline details: no project %.40r", row_id)
        return [], True
    return details(row, lang), False


def details(row: dict[str, Any], lang: str) -> list[Any]:
    """The details panel of one grid row: a heading and a list of label / value pairs."""
    items: list[Any] = []
    for key, label in DETAILS:
        items += [html.Dt(t(label, lang)), html.Dd(str(row.get(key, "–")))]
    return [html.H3(t("ui_pipeline_details", lang)), html.Dl(items)]
