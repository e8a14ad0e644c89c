"""The shell's "as known on" row: the date picker, its badge and clear button, and its callback.

The date in force comes from the picker, the clear button or ``?known=YYYY-MM-DD`` in the
URL (:func:`known_in_force`) and goes into the store ``known-as-of``, which the pages read
(:mod:`dashboard.known`); the badge says it (:func:`known_badge`). The shell
(:mod:`dashboard.shell`) places the row (:func:`known_row`) and registers the callback
(:func:`known_callbacks`).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import parse_qs

from dash import Dash, Input, Output, State, callback_context, dcc, html, no_update

from dashboard.i18n import Texts, norm_lang
from dashboard.known import EARLIEST, known_date
from model.catalogue import t


def known_row(tx: Texts) -> html.Div:
    """The "as known on" date: a date picker, the badge of the date in force, a clear button."""
    return html.Div(
        [
            html.Div(
                [
                    html.Label(
                        tx("ui_shell_known_label"),
                        htmlFor="known-input",
                        id="known-label",
                        className="pc-label",
                    ),
                    dcc.DatePickerSingle(
                        id="known-input",
                        min_date_allowed=EARLIEST,
                        max_date_allowed=date.today(),
                        display_format="YYYY-MM-DD",
                        placeholder="YYYY-MM-DD",
                        clearable=False,
                        first_day_of_week=1,
                    ),
                ],
                className="pc-field pc-known-field",
            ),
            html.Span(id="known-badge", className="pc-badge", hidden=True, role="status"),
            html.Button(
                tx("ui_shell_known_clear"),
                id="known-clear",
                n_clicks=0,
                className="pc-button",
                hidden=True,
            ),
            tx.element(html.Span, "ui_shell_known_hint", className="pc-hint"),
            html.Div(id="known-message"),
        ],
        className="pc-settings",
    )


def parse_known(search: str | None) -> tuple[str | None, str | None]:
    """The ``known=YYYY-MM-DD`` of a URL's query.

    Parameters
    ----------
    search
        The query (``"?known=2024-07-01&lang=en"``).

    Returns
    -------
    tuple
        (asked, value): the text the query gives as the date (``None``: it names none),
        and the ISO date if it is one :func:`dashboard.known.known_date` accepts (else
        ``None``).
    """
    text = search if isinstance(search, str) else ""
    asked = parse_qs(text.lstrip("?"), keep_blank_values=True).get("known")
    if not asked:
        return None, None
    d = known_date(asked[0])
    return asked[0], (d.isoformat() if d else None)


def known_refused(value: Any, lang: str) -> str:
    """One sentence in ``lang`` refusing ``value`` as the "as known on" date."""
    shown = str(value)[:40]
    return t("msg_known_invalid", lang, value=shown, earliest=EARLIEST.isoformat())


def known_in_force(
    search: str, picked: Any, trigger: Any, lang: str, current: Any, applied: str | None
) -> tuple[Any, Any, Any, Any]:
    """The date in force: picked, cleared, or given as ``?known=YYYY-MM-DD``; else kept.

    Returns the values of ``known-as-of``, the picker, the message and ``known-url``
    (``no_update`` where nothing changes). A URL's date is applied once per URL
    (``known-url`` keeps the query applied last), so that switching the language does not
    undo a date picked since. A date that is not one (or lies in the future) changes
    nothing and is refused with one sentence in ``lang`` (the caller takes ``?lang=`` of
    the same URL first: the language store may not have caught up yet).
    """
    if trigger == "known-clear":
        return None, None, "", no_update
    if trigger == "known-input":
        if picked in (None, ""):
            return None, no_update, "", no_update
        d = known_date(str(picked)[:10])
        if d is None:
            return no_update, None, _refusal(known_refused(picked, lang)), no_update
        return d.isoformat(), no_update, "", no_update
    asked, value = parse_known(search)
    fresh = search != applied
    if asked is not None and value is None:
        return no_update, no_update, _refusal(known_refused(asked, lang)), search
    if asked is not None and fresh:
        return value, value, "", search
    kept = known_date(current)
    shown = kept.isoformat() if kept else no_update
    return no_update, shown, ("" if fresh else no_update), (search if fresh else no_update)


def known_badge(value: Any, lang: str) -> tuple[str, bool, bool]:
    """The badge "数据截至认知日 2024-07-01" while a date is set: text, hidden, clear hidden."""
    d = known_date(value)
    if d is None:
        return "", True, True
    return t("ui_shell_known_badge", norm_lang(lang), date=d.isoformat()), False, False


def known_callbacks(app: Dash) -> None:
    """Register the "as known on" date's callback on ``app`` (:func:`known_in_force`)."""

    @app.callback(
        Output("known-as-of", "data"),
        Output("known-input", "date"),
        Output("known-message", "children"),
        Output("known-url", "data"),
        Output("known-badge", "children"),
        Output("known-badge", "hidden"),
        Output("known-clear", "hidden"),
        Input("url", "search"),
        Input("known-input", "date"),
        Input("known-clear", "n_clicks"),
        Input("lang", "data"),
        State("known-as-of", "data"),
        State("known-url", "data"),
    )
    def set_known(
        search: str | None,
        picked: Any,
        _clear: int | None,
        lang: str | None,
        current: Any,
        applied: str | None,
    ) -> tuple[Any, ...]:
        """The date in force (:func:`known_in_force`) and its badge (:func:`known_badge`).

        One callback for both: the badge follows the date and the language, and each
        callback a page opens with costs the browser an update of the whole page.
        """
        search = search if isinstance(search, str) else ""
        trigger = callback_context.triggered_id
        if trigger != "lang":  # the link's language first: the store may not have caught up
            query = parse_qs(search.lstrip("?"), keep_blank_values=True)
            lang = query.get("lang", [lang])[0]
        lang = norm_lang(lang)
        out = known_in_force(search, picked, trigger, lang, current, applied)
        in_force = current if out[0] is no_update else out[0]
        return (*out, *known_badge(in_force, lang))


def _refusal(text: str) -> html.Div:
    return html.Div(text, className="pc-alert", role="alert")
