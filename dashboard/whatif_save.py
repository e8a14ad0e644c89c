"""The what-if page's save and download: the title and note boxes, and their callbacks.

:func:`save_panel` is the page's save section; its callbacks show the file a title saves
to, save the what-if scenario with its title and note to the scenarios folder and download it
(the checks and the writing are in :mod:`dashboard.scenario_save`). The page module
registers the callbacks (:func:`register_callbacks`) when Dash imports it.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboard.components import field
from dashboard.controls import WHATIF_NAME
from dashboard.i18n import Texts, norm_lang
from dashboard.scenario_save import (
    check_cost,
    check_text,
    file_stem,
    save_scenario,
    scenario_file_text,
    scenario_from_store,
    titled,
)
from dashboard.state import get_state
from dashboard.whatif_messages import messages, sentences
from model.catalogue import t


def save_panel(tx: Texts) -> list[Any]:
    """The save section, folded: its boxes are built when first opened (:func:`save_fields`).

    Parameters
    ----------
    tx
        The page's translatable spans.

    Returns
    -------
    list
        The fold (``wi-save-fold``, its boxes in ``wi-save-box``), the message
        (``wi-save-message``) and the download (``wi-download``), to go into the page's
        chart column. Folded, the page has some fifteen components fewer, each of which
        costs the browser time at every update.
    """
    return [
        html.Details(
            [
                tx.element(html.Summary, "ui_save_title", className="wi-save-summary"),
                html.Div(id="wi-save-box"),
            ],
            id="wi-save-fold",
            className="wi-save-fold",
        ),
        html.Div(id="wi-save-message"),
        dcc.Download(id="wi-download"),
    ]


def save_fields(lang: str, title: Any = None, note: Any = None, overwrite: Any = None) -> html.Div:
    """The save boxes in ``lang``: title, note, the file name, overwrite, save and download.

    ``title``, ``note`` and ``overwrite`` are the boxes' values when they are built again
    in another language (from the browser: shown as typed, checked when saved). The texts
    are plain: the boxes are built again on a switch of language (:func:`fill_save`).
    """
    title = title if isinstance(title, str) else None
    note = note if isinstance(note, str) else None
    ticked = ["yes"] if isinstance(overwrite, list) and "yes" in overwrite else []
    return html.Div(
        [
            field(
                t("wi_save_title_label", lang),
                dcc.Input(
                    id="wi-name",
                    type="text",
                    value=title,
                    placeholder=t("wi_save_title_placeholder", lang),
                    debounce=False,
                    maxLength=200,
                    className="pc-text wi-title",
                ),
            ),
            field(
                t("wi_save_note_label", lang),
                dcc.Textarea(
                    id="wi-note", value=note, maxLength=2000, rows=2, className="pc-text wi-note"
                ),
            ),
            html.Div(
                show_file_name(title, ticked, lang),
                id="wi-file-name",
                className="pc-hint wi-file-name",
            ),
            html.Div(
                [
                    dcc.Checklist(
                        id="wi-overwrite",
                        options=[{"label": t("ui_overwrite", lang), "value": "yes"}],
                        value=ticked,
                        inline=True,
                    ),
                    html.Button(
                        t("ui_save", lang), id="wi-save", n_clicks=0, className="pc-button"
                    ),
                    html.Button(
                        t("ui_download_toml", lang),
                        id="wi-download-btn",
                        n_clicks=0,
                        className="pc-button",
                    ),
                ],
                className="pc-controls",
            ),
        ],
        className="wi-save",
    )


def fill_save(_clicks: Any, lang: str | None, box: Any, *held: Any) -> Any:
    """The save boxes, built when the fold is first opened.

    Once they exist, a switch of language builds them again with the values typed
    (``held``: title, note, overwrite).
    """
    lang = norm_lang(lang)
    if dash.callback_context.triggered_id == "wi-save-fold":
        return dash.no_update if box else save_fields(lang)
    return save_fields(lang, *held) if box else dash.no_update


def follow_language(_lang: str | None, said: Any = None) -> Any:
    """A message of the last save or download is cleared on a switch of language.

    That message (``said``) was said in the language of the time (saving again to say it
    anew would write the file again). With no message, the message is left alone: writing
    it would also relabel the start-scenario choice a second time.
    """
    return None if said else dash.no_update


def show_file_name(title: Any, _overwrite: Any, lang: str | None) -> Any:
    """The file a title saves to, shown before saving (and whether it replaces one)."""
    lang = norm_lang(lang)
    try:
        text = check_text(title, "title", lang, required=False)
    except ValueError as exc:
        return messages([str(exc)])
    if not text:
        return None
    stem = file_stem(text)
    state = get_state()
    exists = any(p.stem.casefold() == stem.casefold() for p in state.scenarios_dir.glob("*.toml"))
    key = "wi_file_exists" if exists else "wi_file_name"
    return t(key, lang, file=f"{stem}.toml")


def save(
    _n: int,
    title: str | None,
    note: str | None,
    overwrite: list[str] | None,
    data: str | None,
    base: str | None,
    lang: str | None,
) -> Any:
    """Save the what-if scenario under a file name derived from its title.

    The title (Chinese or English) and the note (the note box's text, checked here; it
    becomes the scenario's ``rationale``) go into the file; the name is
    :func:`~dashboard.scenario_save.file_stem` of the title. Never a shipped one; an existing
    file only with 'overwrite' ticked; at most :data:`~dashboard.scenario_save.MAX_SAVED` saved
    scenarios of at most :data:`~dashboard.scenario_save.MAX_FILE_BYTES` each; only a scenario
    that costs no more to simulate than its base (:func:`~dashboard.scenario_save.check_cost`).
    One save at a time.
    """
    lang = norm_lang(lang)
    state = get_state()
    try:
        text = check_text(title, "title", lang, required=True)
        scenario = scenario_from_store(data, lang)
        check_cost(scenario, state.scenario(base), lang)
        remark = check_text(note, "note", lang, required=False)
        with state.save_lock:
            path = save_scenario(
                state.scenarios_dir,
                file_stem(text),
                titled(scenario, text, remark),
                overwrite=isinstance(overwrite, list) and "yes" in overwrite,
                lang=lang,
                park=state.park,
            )
    except Exception as exc:
        return messages(sentences(exc, lang))
    return html.Div(t("ui_saved", lang, path=path.name), className="pc-ok", role="status")


def download(
    _n: int, title: str | None, note: str | None, data: str | None, lang: str | None
) -> tuple[Any, Any]:
    """The what-if scenario as a TOML file, named after its title if it has one.

    The note box's text is its ``rationale``.
    """
    lang = norm_lang(lang)
    try:
        text = check_text(title, "title", lang, required=False)
        scenario = scenario_from_store(data, lang)
        remark = check_text(note, "note", lang, required=False)
        stem = file_stem(text) if text else WHATIF_NAME
        scenario = scenario.with_changes(name=stem, rationale=remark)
        if text:
            scenario = titled(scenario, text, remark)
    except Exception as exc:
        return dash.no_update, messages(sentences(exc, lang))
    return {
        "content": scenario_file_text(scenario),
        "filename": f"{stem}.toml",
        "type": "application/toml",
    }, None


def register_callbacks() -> None:
    """Register the save callbacks with ``dash.callback``.

    The page module calls this when it is imported, which Dash does once for every app
    (a module imported once would register them for the first app only).
    """
    callback(
        Output("wi-save-box", "children"),
        Input("wi-save-fold", "n_clicks"),
        Input("lang", "data"),
        State("wi-save-box", "children"),
        State("wi-name", "value", allow_optional=True),
        State("wi-note", "value", allow_optional=True),
        State("wi-overwrite", "value", allow_optional=True),
        prevent_initial_call=True,
    )(fill_save)
    # the boxes exist once the fold has been opened; a switch of language builds them anew
    callback(
        Output("wi-file-name", "children"),
        Input("wi-name", "value"),
        Input("wi-overwrite", "value"),
        State("lang", "data"),
        prevent_initial_call=True,
    )(show_file_name)
    callback(
        Output("wi-save-message", "children"),
        Input("wi-save", "n_clicks"),
        State("wi-name", "value"),
        State("wi-note", "value"),
        State("wi-overwrite", "value"),
        State("wi-scenario", "data"),
        State("wi-base", "value"),
        State("lang", "data"),
        prevent_initial_call=True,
    )(save)
    callback(
        Output("wi-download", "data"),
        Output("wi-save-message", "children", allow_duplicate=True),
        Input("wi-download-btn", "n_clicks"),
        State("wi-name", "value"),
        State("wi-note", "value"),
        State("wi-scenario", "data"),
        State("lang", "data"),
        prevent_initial_call=True,
    )(download)
    callback(
        Output("wi-save-message", "children", allow_duplicate=True),
        Input("lang", "data"),
        State("wi-save-message", "children"),
        # on a switch only: the page is built in the chosen language (``page_lang``)
        prevent_initial_call=True,
    )(follow_language)
