"""The what-if page's lever callbacks: slider, number boxes and reset kept in step.

Each numeric lever (:data:`~dashboard.whatif_levers.LEVERS`) gets one callback
(:func:`sync_lever` is its body); the start demand's 'auto' box switches its number box.
The page module (:mod:`dashboard.pages.whatif`) registers them (:func:`register_callbacks`)
when Dash imports it.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, callback, callback_context

from dashboard.controls import AUTO, check_number, defaults
from dashboard.guards import Rejected
from dashboard.i18n import norm_lang
from dashboard.state import get_state
from dashboard.whatif_levers import LEVERS, LEVERS_BY_ID, lever_value, typed_value
from dashboard.whatif_messages import messages, sentences
from model.errors import DataError


def toggle_auto(auto: Any, value: Any, auto_gwh: Any) -> tuple[bool, Any]:
    """Switch the start-demand number box on or off with the 'auto' tick box.

    'auto' ticked: the number box is off (and emptied, so it shows what 'auto' means);
    unticked: the box starts from today's LFP cell output if it is empty.
    """
    if isinstance(auto, list) and AUTO in auto:
        return True, None
    if value is None and isinstance(auto_gwh, int | float):
        return False, round(float(auto_gwh), 1)
    return False, dash.no_update


def check_start_demand(value: Any, auto: Any, lang: str | None) -> Any:
    """A sentence under the start-demand box when its number is refused."""
    if isinstance(auto, list) and AUTO in auto:
        return None
    try:
        check_number(value, "base_gwh", norm_lang(lang))
    except ValueError as exc:
        return messages([str(exc)])
    return None


def _sync(lever_id: str) -> None:
    """Register the callback that keeps a lever's slider, boxes and message in step.

    A slider moved: its boxes show the value. A box typed (applied on Enter or on leaving
    it): the value goes to the slider, or is refused with a sentence under the field (the
    slider keeps its value: nothing is clamped). The reset button: the start scenario's value.
    """
    lever = LEVERS_BY_ID[lever_id]
    boxes = lever.boxes()

    @callback(
        Output(lever_id, "value", allow_duplicate=True),
        *[Output(b, "value") for b in boxes],
        Output(f"{lever_id}-msg", "children"),
        Input(lever_id, "value"),
        *[Input(b, "value") for b in boxes],
        Input(f"{lever_id}-reset", "n_clicks"),
        State("wi-base", "value"),
        State("lang", "data"),
        prevent_initial_call=True,
    )
    def sync(value: Any, *rest: Any) -> tuple[Any, ...]:
        *typed, _reset, base, lang = rest
        return sync_lever(lever_id, callback_context.triggered_id, value, typed, base, lang)

    sync.__name__ = f"sync_{lever_id.replace('-', '_')}"


def sync_lever(
    lever_id: str, trigger: Any, value: Any, typed: list[Any], base: Any, lang: Any
) -> tuple[Any, ...]:
    """The body of a lever's sync callback (see :func:`_sync`), as a plain function.

    Returns
    -------
    tuple
        (the lever's value, each box's value, the message under the field).
    """
    lang = norm_lang(lang)
    lever = LEVERS_BY_ID[lever_id]
    keep = dash.no_update
    n = len(lever.boxes())
    if trigger == f"{lever_id}-reset":
        state = get_state()
        try:
            start = lever_value(defaults(state.park, state.scenario(base)), lever.lever)
        except (DataError, Rejected) as exc:
            return (keep, *([keep] * n), messages(sentences(exc, lang)))
        shown = list(start) if lever.pair else [start]
        return (start, *shown, None)
    if trigger == lever_id:  # the slider moved (or the start scenario changed)
        shown = list(value) if lever.pair and isinstance(value, list | tuple) else [value]
        if len(shown) != n:
            return (keep, *([keep] * n), None)
        return (keep, *shown, None)
    try:
        accepted = typed_value(lever, typed, lang, get_state().park)
    except ValueError as exc:
        return (keep, *([keep] * n), messages([str(exc)]))
    if accepted == value:
        return (keep, *([keep] * n), None)
    return (accepted, *([keep] * n), None)


def register_callbacks() -> None:
    """Register the lever callbacks with ``dash.callback``.

    The page module calls this when it is imported, which Dash does once for every app
    (a module imported once would register them for the first app only).
    """
    callback(
        Output("wi-base-gwh", "disabled"),
        Output("wi-base-gwh", "value", allow_duplicate=True),
        Input("wi-base-auto", "value"),
        State("wi-base-gwh", "value"),
        State("wi-auto-gwh", "data"),
        prevent_initial_call=True,
    )(toggle_auto)
    callback(
        Output("wi-base-gwh-msg", "children"),
        Input("wi-base-gwh", "value"),
        Input("wi-base-auto", "value"),
        State("lang", "data"),
        prevent_initial_call=True,
    )(check_start_demand)
    for lever in LEVERS:
        _sync(lever.ident)
