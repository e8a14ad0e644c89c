"""Pipeline (项目库): every pipeline project in a sortable, filterable grid.

The grid is dash-ag-grid, community features only; it shows status, stage, capacity with
its unit, expected start, source or assumption.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
from dash import Input, Output, callback, html

from dashboard.i18n import Texts, norm_lang
from dashboard.state import get_state
from dashboard.views import pipeline_grid_rows
from model.catalogue import t

dash.register_page(__name__, path="/pipeline", order=4, title_key="page_pipeline", name="pipeline")

#: grid columns: (row key, catalogue key of the header, filter)
COLUMNS = (
    ("name", "ui_project", "agTextColumnFilter"),
    ("company", "ui_company", "agTextColumnFilter"),
    ("stage", "stage", "agTextColumnFilter"),
    ("technology", "ui_technology", "agTextColumnFilter"),
    ("capacity", "ui_capacity_per_year", "agTextColumnFilter"),
    ("capacity_value", "ui_capacity_value", "agNumberColumnFilter"),
    ("unit", "unit", "agTextColumnFilter"),
    ("status", "status", "agTextColumnFilter"),
    ("announced", "ui_announced", "agTextColumnFilter"),
    ("expected_start", "ui_expected_start", "agTextColumnFilter"),
    ("source", "source", "agTextColumnFilter"),
    ("assumption", "ui_assumption", "agTextColumnFilter"),
)


def column_defs(lang: str) -> list[dict[str, Any]]:
    """Column definitions with headers in ``lang``."""
    return [
        {
            "field": key,
            "headerName": t(label, lang),
            "filter": flt,
            "sortable": True,
            "resizable": True,
            "tooltipField": key if key in ("source", "assumption", "name") else None,
        }
        for key, label, flt in COLUMNS
    ]


def layout(lang: str | None = None, **_query: str) -> html.Div:
    """The grid; rows and headers are filled by the callback in the chosen language."""
    tx = Texts("pipe", lang)
    return html.Div(
        [
            html.H2(tx("page_pipeline")),
            html.P(tx("ui_pipeline_intro"), className="pc-intro"),
            dag.AgGrid(
                id="pipeline-grid",
                columnDefs=column_defs(tx.lang),
                rowData=pipeline_grid_rows(get_state().park, tx.lang),
                defaultColDef={"floatingFilter": True, "minWidth": 110},
                columnSize="autoSize",
                dashGridOptions={"pagination": False, "tooltipShowDelay": 300},
                style={"height": "520px"},
            ),
        ]
    )


@callback(
    Output("pipeline-grid", "columnDefs"),
    Output("pipeline-grid", "rowData"),
    Input("lang", "data"),
)
def translate_grid(lang: str | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Headers and rows in the chosen language."""
    lang = norm_lang(lang)
    return column_defs(lang), pipeline_grid_rows(get_state().park, lang)
