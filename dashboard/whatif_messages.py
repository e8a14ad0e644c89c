"""What the what-if page says when something is wrong: sentences, and the box that holds them.

:func:`sentences` turns an exception into one sentence per problem in the page's language
(never a Python repr, never a path); :func:`messages` puts sentences under a field or above
the charts. Nothing here registers a callback, so it imports without an app.
"""

from __future__ import annotations

import logging

from dash import html

from dashboard.guards import Rejected
from model.catalogue import t
from model.errors import DataError

logger = logging.getLogger(__name__)


def messages(sentences: list[str], role: str = "alert") -> html.Div | None:
    """Sentences under a field or above the charts (``None`` for none)."""
    if not sentences:
        return None
    return html.Div([html.Div(s) for s in sentences], className="pc-alert wi-msg-box", role=role)


def sentences(exc: BaseException, lang: str) -> list[str]:
    """What the page says about an exception: one sentence per problem, in ``lang``.

    A refused input: its translated message; a ``DataError``: each problem's sentence
    (the controls write them whole: label, value, what is expected); anything else: a
    short message, the traceback in the server log only. Never a Python repr, never a path.
    """
    if isinstance(exc, Rejected):
        return [exc.message(lang)]
    if isinstance(exc, DataError):
        return [p.expected for p in exc.problems]
    if isinstance(exc, ValueError) and str(exc) and "\n" not in str(exc):
        return [str(exc)]
    logger.exception("what-if callback failed", exc_info=exc)
    return [t("ui_internal_error", lang)]
