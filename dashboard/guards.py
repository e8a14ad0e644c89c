"""Checks of what the browser sends, made before any work is done.

The browser is not trusted: any input or state of a callback may hold anything JSON can
(a path instead of a scenario name, 100,000 ids instead of a few). Scenarios are taken by
NAME from the scenarios folder's list only, never as a path; lists are at most as long as
what they choose from and hold only known values.

A refused input raises :class:`Rejected`, whose message is a catalogue key shown by
:func:`dashboard.components.error_message` in the page's language. The message never
repeats the value sent, so nothing read from a file or typed by an attacker comes back.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from model.catalogue import t

#: catalogue keys of the refusals
UNKNOWN_SCENARIO = "ui_unknown_scenario"
UNKNOWN_CHOICE = "ui_unknown_choice"
TOO_MANY = "ui_too_many_choices"
BAD_EXTENDS = "ui_bad_extends"
BUSY = "ui_busy"


class Rejected(Exception):  # noqa: N818 (a refusal, not a failure of the app)
    """An input refused before any work, with a translatable message.

    Parameters
    ----------
    key
        Catalogue key of the message (:mod:`model.catalogue`).
    **fmt
        Values of the message's placeholders (counts, never the refused value).
    """

    def __init__(self, key: str, **fmt: Any) -> None:
        super().__init__(key)
        self.key = key
        self.fmt = fmt

    def message(self, lang: str) -> str:
        """The message in ``lang``."""
        return t(self.key, lang, **self.fmt)


class UnknownScenarioError(Rejected):
    """A scenario name that is not in the scenarios folder's list (a path, a typo, ...)."""

    def __init__(self) -> None:
        super().__init__(UNKNOWN_SCENARIO)


def scenario_name(value: Any, known: Sequence[str]) -> str:
    """``value`` if it is one of the ``known`` scenario names, else raise.

    Parameters
    ----------
    value
        What the browser sent.
    known
        The names of the scenarios folder (``AppState.scenario_names()``).

    Returns
    -------
    str
        The name.

    Raises
    ------
    UnknownScenarioError
        Anything else: a path, a file name, a number, a list.
    """
    if isinstance(value, str) and value in known:
        return value
    raise UnknownScenarioError


def choices(value: Any, known: Sequence[str], unknown: Rejected | None = None) -> list[str]:
    """A multiple choice (checklist, multi-select dropdown): known values, each once.

    Parameters
    ----------
    value
        What the browser sent: a list, or ``None`` for nothing chosen.
    known
        What may be chosen; the list may not be longer than this.
    unknown
        What to raise for a value not in ``known`` (default: "not in the list").

    Returns
    -------
    list of str
        The values in the order sent, repeats dropped.

    Raises
    ------
    Rejected
        Not a list, longer than ``known``, or a value not in ``known``.
    """
    if value is None:
        return []
    if not isinstance(value, list):
        raise Rejected(UNKNOWN_CHOICE)
    if len(value) > len(known):
        raise Rejected(TOO_MANY, n=len(known))
    allowed = set(known)
    out: list[str] = []
    for v in value:
        if not isinstance(v, str) or v not in allowed:
            raise unknown if unknown is not None else Rejected(UNKNOWN_CHOICE)
        out.append(v)
    return list(dict.fromkeys(out))


def scenario_names(value: Any, known: Sequence[str]) -> list[str]:
    """A multiple choice of scenarios (see :func:`choices`); unknown names say so."""
    return choices(value, known, UnknownScenarioError())


def one_of(value: Any, allowed: Collection[str], default: str) -> str:
    """``value`` if it is one of ``allowed`` (a string), else ``default``.

    For pickers that fall back quietly (stage, basis, variable): no message, no error for
    unhashable values such as a list or a dict.
    """
    return value if isinstance(value, str) and value in allowed else default
