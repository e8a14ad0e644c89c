"""The what-if page's messages and tooltips written again when the language changes.

A message under a lever says what is wrong with what its boxes hold, so on a switch of
language it is written anew from the boxes (:func:`lever_messages`): :func:`reword` for
the levers always on the page (with the resets' tooltips), :func:`reword_status` for the
folded status table once it has been built (with the statuses' names). The page module
(:mod:`dashboard.pages.whatif`) registers the two callbacks (:func:`register_callbacks`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dash import Input, Output, State, callback

from dashboard.controls import defaults
from dashboard.guards import Rejected
from dashboard.i18n import norm_lang
from dashboard.state import get_state
from dashboard.whatif_levers import FOLDED_LEVERS, SHOWN_LEVERS, Lever
from dashboard.whatif_messages import messages, sentences
from dashboard.whatif_options import CHOICE_RESETS
from dashboard.whatif_sync import box_message, check_start_demand
from model.catalogue import t
from model.errors import DataError
from model.pipeline import ACTIVE

#: the resets always on the page (the order of :func:`reword`'s tooltips), and those of the
#: folded status table (:func:`reword_status`'s)
SHOWN_RESETS = tuple(f"{i}-reset" for i in (*(lv.ident for lv in SHOWN_LEVERS), *CHOICE_RESETS))
FOLDED_RESETS = tuple(f"{lv.ident}-reset" for lv in FOLDED_LEVERS)


def lever_messages(
    levers: tuple[Lever, ...], lang: str, held: list[Any], base: Any, shown: tuple[Any, ...]
) -> list[Any]:
    """The message under each of ``levers`` for what its boxes hold (``held``, in order).

    A field whose boxes are accepted has none, unless it showed one (``shown``) that its
    boxes do not explain: a reset that failed because the start scenario ``base`` cannot be
    read, said again if it still cannot be.
    """
    park = get_state().park
    it = iter(held)
    said = [box_message(lv, [next(it) for _ in lv.boxes()], lang, park) for lv in levers]
    unexplained = [k for k, had in enumerate(shown[: len(said)]) if had and said[k] is None]
    if unexplained:
        failed = start_unreadable(base, lang)
        for k in unexplained:
            said[k] = failed
    return said


def reword(lang: Any, *held: Any, base: Any = None, shown: tuple[Any, ...] = ()) -> tuple[Any, ...]:
    """Every message under a lever on the page, and every reset's tooltip, in ``lang``.

    A message says what is wrong with what a field holds, so it is written again from the
    boxes (what the browser holds now), see :func:`lever_messages`. The folded status
    levers have their own (:func:`reword_status`).

    Parameters
    ----------
    lang
        The new language (the ``lang`` store; anything else gives Chinese).
    *held
        Each lever's box values (:data:`~dashboard.whatif_levers.SHOWN_LEVERS` order, one
        or two each), then the start-demand box and its 'auto' box.
    base
        The start scenario's name (from the browser, untrusted).
    shown
        The messages under those levers now (same order; empty: none).

    Returns
    -------
    tuple
        Each lever's message, the start demand's, then each reset's tooltip
        (:data:`SHOWN_RESETS` order).
    """
    lang = norm_lang(lang)
    n = sum(len(lv.boxes()) for lv in SHOWN_LEVERS)
    said = lever_messages(SHOWN_LEVERS, lang, list(held[:n]), base, shown)
    start, auto = held[n], held[n + 1]
    said.append(check_start_demand(start, auto, lang))
    return (*said, *([t("wi_reset", lang)] * len(SHOWN_RESETS)))


def reword_status(
    lang: Any, *held: Any, base: Any = None, shown: tuple[Any, ...] = ()
) -> tuple[Any, ...]:
    """The folded status table in ``lang``: messages, resets' tooltips and status names.

    ``held``: each status lever's box (:data:`~dashboard.whatif_levers.FOLDED_LEVERS`
    order); ``base``, ``shown`` as for :func:`reword`. Returns each lever's message, each
    reset's tooltip (:data:`FOLDED_RESETS` order), then each active status's name.
    """
    lang = norm_lang(lang)
    said = lever_messages(FOLDED_LEVERS, lang, list(held), base, shown)
    park = get_state().park
    names = [park.status_params[s].name(lang) for s in ACTIVE]
    return (*said, *([t("wi_reset", lang)] * len(FOLDED_RESETS)), *names)


def start_unreadable(base: Any, lang: str) -> Any:
    """Why the start scenario ``base`` cannot be read (a reset's message), or ``None``."""
    state = get_state()
    try:
        defaults(state.park, state.scenario(base))
    except (DataError, Rejected) as exc:
        return messages(sentences(exc, lang))
    return None


def _on_switch(
    reword_fn: Callable[..., tuple[Any, ...]], levers: tuple[Lever, ...]
) -> Callable[..., tuple[Any, ...]]:
    """The language callback of ``reword_fn`` (:func:`reword` or :func:`reword_status`).

    Its arguments: the language, the start scenario, the messages under ``levers``, then
    ``reword_fn``'s ``held``.
    """

    def follow(lang: Any, base: Any, *rest: Any) -> tuple[Any, ...]:
        n = len(levers)
        return reword_fn(lang, *rest[n:], base=base, shown=tuple(rest[:n]))

    follow.__name__ = f"{reword_fn.__name__}_on_switch"
    return follow


def register_callbacks() -> None:
    """Register the two language callbacks with ``dash.callback`` (see the module)."""
    callback(
        *[Output(f"{lv.ident}-msg", "children", allow_duplicate=True) for lv in SHOWN_LEVERS],
        Output("wi-base-gwh-msg", "children", allow_duplicate=True),
        *[Output(r, "title") for r in SHOWN_RESETS],
        Input("lang", "data"),
        State("wi-base", "value"),
        *[State(f"{lv.ident}-msg", "children") for lv in SHOWN_LEVERS],
        *[State(b, "value") for lv in SHOWN_LEVERS for b in lv.boxes()],
        State("wi-base-gwh", "value"),
        State("wi-base-auto", "value"),
        # on a switch only: the page is built in the chosen language (``page_lang``)
        prevent_initial_call=True,
    )(_on_switch(reword, SHOWN_LEVERS))
    # the folded status table's own: its components exist once it has been opened (in the
    # language of the moment)
    callback(
        *[Output(f"{lv.ident}-msg", "children", allow_duplicate=True) for lv in FOLDED_LEVERS],
        *[Output(r, "title") for r in FOLDED_RESETS],
        *[Output(f"wi-status-name-{s}", "children") for s in ACTIVE],
        Input("lang", "data"),
        State("wi-base", "value"),
        *[State(f"{lv.ident}-msg", "children") for lv in FOLDED_LEVERS],
        *[State(b, "value") for lv in FOLDED_LEVERS for b in lv.boxes()],
        prevent_initial_call=True,
    )(_on_switch(reword_status, FOLDED_LEVERS))
