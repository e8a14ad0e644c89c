"""Export (导出): the quarterly projections of chosen scenarios as a tidy table to download
(P10/P50/P90/mean per scenario, stage, quarter and variable, each with its unit)."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboard.components import error_message, field, ok_message
from dashboard.exports import export_formats
from dashboard.i18n import Texts, norm_lang
from dashboard.state import AppState, get_state
from model.catalogue import t

dash.register_page(__name__, path="/export", order=5, title_key="page_export", name="export")


def format_options(lang: str) -> list[dict[str, str]]:
    """The formats offered (see ``dashboard.exports.export_formats``)."""
    return [{"label": t(f.label_key, lang), "value": k} for k, f in export_formats().items()]


def layout(lang: str | None = None, **_query: str) -> html.Div:
    """Scenario and format pickers, the download button."""
    tx = Texts("exp", lang)
    names = get_state().scenario_names()
    return html.Div(
        [
            html.H2(tx("page_export")),
            html.P(tx("ui_export_intro"), className="pc-intro"),
            html.Div(
                [
                    field(
                        tx("ui_scenarios_pick"),
                        dcc.Checklist(
                            id="exp-names", options=names, value=names[:1], className="pc-checklist"
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
                ],
                className="pc-controls",
            ),
            html.Button(tx("ui_download"), id="exp-button", n_clicks=0, className="pc-button"),
            html.Div(id="exp-message"),
            dcc.Download(id="exp-download"),
        ]
    )


@callback(Output("exp-format", "options"), Input("lang", "data"))
def translate_options(lang: str | None) -> list[dict[str, str]]:
    """Format labels in the chosen language."""
    return format_options(norm_lang(lang))


def build_download(state: AppState, names: list[str], fmt: str, lang: str) -> dict[str, Any]:
    """The ``dcc.Download`` data of the chosen scenarios in format ``fmt``."""
    formats = export_formats()
    if fmt not in formats:
        raise ValueError(t("ui_expected_one_of", lang, options=", ".join(formats)))
    if not names:
        raise ValueError(t("ui_pick_one", lang))
    f = formats[fmt]
    content = f.build(state, [state.scenario(n) for n in names], lang)
    stem = "parkcap-" + "-".join(names) if len(names) <= 3 else f"parkcap-{len(names)}-scenarios"
    return dcc.send_bytes(content, f"{stem}.{f.extension}")


@callback(
    Output("exp-download", "data"),
    Output("exp-message", "children"),
    Input("exp-button", "n_clicks"),
    State("exp-names", "value"),
    State("exp-format", "value"),
    State("lang", "data"),
    prevent_initial_call=True,
)
def download(
    _n: int, names: list[str] | None, fmt: str | None, lang: str | None
) -> tuple[Any, Any]:
    """Send the file."""
    lang = norm_lang(lang)
    try:
        data = build_download(
            get_state(), [n for n in (names or []) if isinstance(n, str)], fmt or "csv", lang
        )
    except Exception as exc:
        return dash.no_update, error_message(exc, lang)
    return data, ok_message(t("ui_export_done", lang, file=data["filename"]))
