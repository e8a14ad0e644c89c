"""The what-if page's lever callbacks: slider, number boxes and reset kept in step.

Each numeric lever (:data:`~dashboard.whatif_levers.LEVERS`) gets one callback
(:func:`sync_lever` is its body); the start demand's 'auto' box switches its number box;
the levers that are choices (:data:`~dashboard.whatif_options.CHOICE_RESETS`) get their
reset (:func:`choice_reset`, :func:`start_demand_reset`). A message under a field is
what the field holds, checked; :mod:`dashboard.whatif_reword` writes them again when the
language changes. The page module
(:mod:`dashboard.pages.whatif`) registers them (:func:`register_callbacks`) when Dash
imports it.
"""

from __future__ import annotations

import logging
from typing import Any

import dash
from dash import Input, Output, State, callback, callback_context

from dashboard.controls import AUTO, check_number, defaults
from dashboard.guards import Rejected
from dashboard.i18n import norm_lang
from dashboard.state import get_state
from dashboard.whatif_levers import (
    FOLDED_LEVERS,
    LEVERS,
    LEVERS_BY_ID,
    Lever,
    lever_value,
    typed_value,
)
from dashboard.whatif_messages import messages, sentences
from dashboard.whatif_options import CHOICE_RESETS
from model.errors import DataError
from model.park import Park

logger = logging.getLogger(__name__)

#: choice lever id -> its key in :func:`dashboard.controls.defaults`
CHOICE_VALUES = {"wi-shape": "shape", "wi-intensity": "intensity", "wi-projects": "included"}
#: every reset button, numeric levers first
RESETS = tuple(f"{i}-reset" for i in (*(lv.ident for lv in LEVERS), *CHOICE_RESETS))


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
    # a folded lever's boxes exist once its table is opened: its value is then no Input of
    # this callback (a callback whose Input is missing from the page is an error in the
    # browser), and the boxes follow the value in :func:`_follow_status` instead
    moved = State if lever.folded else Input

    @callback(
        Output(lever_id, "value", allow_duplicate=True),
        *[Output(b, "value", allow_duplicate=lever.folded) for b in boxes],
        Output(f"{lever_id}-msg", "children", allow_duplicate=lever.folded),
        moved(lever_id, "value"),
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


def follow_status(triggered: set[str], values: list[Any]) -> tuple[Any, ...]:
    """The folded status table's boxes after their accepted values changed (a new start scenario).

    ``values``: each status lever's value (:data:`~dashboard.whatif_levers.FOLDED_LEVERS`
    order); a changed one is shown in its box and its message cleared, the others are left.
    Returns each lever's box value and message, in that order.
    """
    out: list[Any] = []
    for lever, value in zip(FOLDED_LEVERS, values, strict=True):
        changed = lever.ident in triggered
        out += [value, None] if changed else [dash.no_update, dash.no_update]
    return tuple(out)


def _follow_status(*values: Any) -> tuple[Any, ...]:
    """The callback of :func:`follow_status` (registered only for the table's components)."""
    triggered = {str(t["prop_id"]).rsplit(".", 1)[0] for t in callback_context.triggered}
    return follow_status(triggered, list(values))


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
        except (DataError, Rejected) as exc:  # said again in a new language by reword
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


def box_message(lever: Lever, typed: list[Any], lang: str, park: Park | None) -> Any:
    """The message under a numeric lever for what its boxes hold: ``None`` if accepted."""
    try:
        typed_value(lever, typed, lang, park)
    except ValueError as exc:
        return messages([str(exc)])
    return None


def _base_values(base: Any) -> dict[str, Any] | None:
    """The start scenario's lever values, or ``None`` if it cannot be read (logged)."""
    state = get_state()
    try:
        return defaults(state.park, state.scenario(base))
    except (DataError, Rejected) as exc:
        # the page says why above the charts (the start scenario's own callback)
        logger.info("reset: start scenario %r not read: %s", str(base)[:40], exc)
        return None


def choice_reset(lever_id: str, base: Any) -> Any:
    """The start scenario's value of a choice lever (its reset button's callback body).

    Parameters
    ----------
    lever_id
        ``"wi-shape"`` (ramp-up shape), ``"wi-intensity"`` or ``"wi-projects"`` (the ids
        of the projects the start scenario includes).
    base
        The start scenario's name, from the browser (untrusted).

    Returns
    -------
    Any
        The value, or ``dash.no_update`` if the start scenario cannot be read.
    """
    values = _base_values(base)
    if values is None:
        return dash.no_update
    return values[CHOICE_VALUES[lever_id]]


def start_demand_reset(base: Any) -> tuple[Any, Any]:
    """The start scenario's start demand as the 'auto' box and the number box show it.

    Returns
    -------
    tuple
        ('auto' box value: ``["auto"]`` or ``[]``, number box value in GWh/a or ``None``);
        ``dash.no_update`` twice if the start scenario cannot be read.
    """
    values = _base_values(base)
    if values is None:
        return dash.no_update, dash.no_update
    start = values["base_gwh"]
    return ([AUTO], None) if start == AUTO else ([], start)


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
    callback(
        *[
            o
            for lv in FOLDED_LEVERS
            for o in (
                Output(lv.boxes()[0], "value", allow_duplicate=True),
                Output(f"{lv.ident}-msg", "children", allow_duplicate=True),
            )
        ],
        *[Input(lv.ident, "value") for lv in FOLDED_LEVERS],
        prevent_initial_call=True,
    )(_follow_status)
    for ident in CHOICE_VALUES:
        callback(
            Output(ident, "value", allow_duplicate=True),
            Input(f"{ident}-reset", "n_clicks"),
            State("wi-base", "value"),
            prevent_initial_call=True,
        )(_choice_callback(ident))
    callback(
        Output("wi-base-auto", "value", allow_duplicate=True),
        Output("wi-base-gwh", "value", allow_duplicate=True),
        Input("wi-base-gwh-reset", "n_clicks"),
        State("wi-base", "value"),
        prevent_initial_call=True,
    )(_start_demand_callback)


def _start_demand_callback(_clicks: Any, base: Any) -> tuple[Any, Any]:
    """The start-demand reset's callback (its body is :func:`start_demand_reset`)."""
    return start_demand_reset(base)


def _choice_callback(lever_id: str) -> Any:
    """The body of a choice lever's reset callback, named for the lever."""

    def reset(_clicks: Any, base: Any) -> Any:
        return choice_reset(lever_id, base)

    reset.__name__ = f"reset_{lever_id.replace('-', '_')}"
    return reset
