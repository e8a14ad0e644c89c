"""Export (导出): the quarterly projections of chosen scenarios in every format.

The formats are those of ``model.export`` (tidy CSV, Excel workbook, NetCDF, IAMC); the
projections cover a chosen quarter range.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboard.components import error_message, field, ok_message
from dashboard.exports import export_formats, file_name, parse_quarters
from dashboard.guards import scenario_names
from dashboard.i18n import Texts, norm_lang, page_lang, page_lang_store
from dashboard.state import AppState, get_state
from model.catalogue import t

dash.register_page(__name__, path="/export", order=5, title_key="page_export", name="export")


def format_options(lang: str) -> list[dict[str, str]]:
    """The formats offered (see ``dashboard.exports.export_formats``)."""
    return [{"label": t(f.label_key, lang), "value": k} for k, f in export_formats().items()]


def layout(lang: str | None = None, stored_lang: str | None = None, **_query: str) -> html.Div:
    """Scenario, format and quarter pickers, the NetCDF summary switch, the button."""
    tx = Texts("exp", page_lang(lang, stored_lang))
    state = get_state()
    names = state.scenario_names()
    return html.Div(
        [
            tx.element(html.H2, "page_export"),
            tx.element(html.P, "ui_export_intro", className="pc-intro"),
            html.Div(
                [
                    field(
                        tx("ui_scenarios_pick"),
                        dcc.Checklist(
                            id="exp-names",
                            options=state.scenario_options(tx.lang),
                            value=names[:1],
                            className="pc-checklist",
                        ),
                    ),
                    field(
                        tx("ui_format"),
                        dcc.RadioItems(
                            id="exp-format",
                            options=format_options(tx.lang),
                            value="csv",
                            inline=True,
                        ),
                    ),
                    field(
                        tx("ui_export_quarters"),
                        dcc.Input(
                            id="exp-quarters",
                            type="text",
                            value="",
                            placeholder="2025Q1:2030Q4",
                            debounce=False,
                            className="pc-text",
                        ),
                        tx("ui_export_quarters_hint"),
                    ),
                    html.Div(
                        dcc.Checklist(
                            id="exp-summary",
                            options=summary_options(tx.lang),
                            value=["summary"],
                            className="pc-checklist",
                        ),
                        id="exp-summary-field",
                        className="pc-field",
                        style={"display": "none"},
                    ),
                ],
                className="pc-controls",
            ),
            html.Button(tx("ui_download"), id="exp-button", n_clicks=0, className="pc-button"),
            html.Div(id="exp-message"),
            dcc.Download(id="exp-download"),
            page_lang_store(tx.lang),
        ]
    )


def summary_options(lang: str) -> list[dict[str, str]]:
    """The one option of the NetCDF "summaries only" checkbox."""
    return [{"label": t("ui_export_summary", lang), "value": "summary"}]


@callback(
    Output("exp-format", "options"),
    Output("exp-summary", "options"),
    Input("lang", "data"),
    # the page is built in the chosen language (``page_lang``): a switch relabels it
    prevent_initial_call=True,
)
def translate_options(lang: str | None) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Format and checkbox labels in the chosen language."""
    lang = norm_lang(lang)
    return format_options(lang), summary_options(lang)


@callback(
    Output("exp-names", "options"),
    Input("lang", "data"),
    # the page is built in the chosen language (``page_lang``): a switch relabels it
    prevent_initial_call=True,
)
def translate_scenarios(lang: str | None) -> list[dict[str, str]]:
    """The scenarios labelled by their titles in the chosen language."""
    return get_state().scenario_options(norm_lang(lang))


@callback(Output("exp-summary-field", "style"), Input("exp-format", "value"))
def show_summary_option(fmt: str | None) -> dict[str, str]:
    """The "summaries only" checkbox is shown for the formats it applies to (NetCDF)."""
    f = export_formats().get(fmt or "")
    return {} if f is not None and f.has_summary_option else {"display": "none"}


def build_download(
    state: AppState,
    names: Any,
    fmt: str,
    lang: str,
    quarters: str | None = None,
    summary: bool = True,
) -> dict[str, Any]:
    """The ``dcc.Download`` data of the chosen scenarios in format ``fmt``.

    ``names`` is what the browser sent: scenarios of the folder's list only, at most as
    many as it has (:class:`~dashboard.guards.Rejected` otherwise, before any work).
    ``quarters`` is the text of the quarter box (empty: the whole projection); ``summary``
    writes summaries instead of every draw to NetCDF. Raises ``ValueError`` (a
    ``DataError`` for a bad range or scenario) with what to fix.
    """
    formats = export_formats()
    if not isinstance(fmt, str) or fmt not in formats:
        raise ValueError(t("ui_expected_one_of", lang, options=", ".join(formats)))
    names = scenario_names(names, state.scenario_names())
    if not names:
        raise ValueError(t("ui_pick_one", lang))
    f = formats[fmt]
    rng = parse_quarters(quarters, lang)  # checked before anything is simulated
    scenarios = [state.scenario(n) for n in names]
    content = f.build(state, scenarios, lang, rng, summary)
    return dcc.send_bytes(content, file_name(names, f))


@callback(
    Output("exp-download", "data"),
    Output("exp-message", "children"),
    Input("exp-button", "n_clicks"),
    State("exp-names", "value"),
    State("exp-format", "value"),
    State("exp-quarters", "value"),
    State("exp-summary", "value"),
    State("lang", "data"),
    prevent_initial_call=True,
)
def download(
    _n: int,
    names: list[str] | None,
    fmt: str | None,
    quarters: str | None,
    summary: list[str] | None,
    lang: str | None,
) -> tuple[Any, Any]:
    """Send the file, or show what is wrong with the choices."""
    lang = norm_lang(lang)
    try:
        data = build_download(
            get_state(),
            names,
            fmt or "csv",
            lang,
            quarters if isinstance(quarters, str) else None,
            "summary" in (summary or []),
        )
    except Exception as exc:
        return dash.no_update, error_message(exc, lang)
    return data, ok_message(t("ui_export_done", lang, file=data["filename"]))
