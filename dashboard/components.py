"""Layout fragments shared by the pages (functions, no state)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from dash import dcc, html

from dashboard.figures import GRAPH_CONFIG, stage_rate_unit
from dashboard.guards import Rejected
from model.catalogue import t
from model.errors import DataError, Problem, translate_phrase
from model.park import Park

logger = logging.getLogger(__name__)


def graph(ident: str, height: int | None = None) -> dcc.Graph:
    """A graph with the app's offline config (no plotly logo or cloud link)."""
    style = {"height": f"{height}px"} if height else None
    return dcc.Graph(id=ident, config=GRAPH_CONFIG, style=style)


#: the texts Dash's own dropdown writes (``dcc.Dropdown(labels=...)``, Dash 4)
DROPDOWN_TEXTS = (
    "select_all",
    "deselect_all",
    "selected_count",
    "search",
    "clear_search",
    "clear_selection",
    "no_options_found",
)


def dropdown_labels(lang: str) -> dict[str, str]:
    """The ``labels`` of a ``dcc.Dropdown`` in ``lang``: "已选 3 项", "全选", "搜索", ...

    Dash writes these in English unless told; give them at layout time and again from
    the page's language callback (``Output(<id>, "labels")``).
    """
    return {k: t(f"ui_shell_dd_{k}", lang) for k in DROPDOWN_TEXTS}


def stage_options(park: Park, lang: str) -> list[dict[str, str]]:
    """Every stage as a dropdown option labelled in ``lang`` with its annual-rate unit.

    For example ``"隔膜 (m²/a)"``.
    """
    return [
        {"label": f"{s.name(lang)} ({stage_rate_unit(s.unit)})", "value": sid}
        for sid, s in park.stages.items()
    ]


def table(
    columns: Sequence[tuple[str, str]], rows: Sequence[Mapping[str, Any]], ident: str | None = None
) -> html.Table:
    """A plain HTML table; ``columns`` are (row key, header text)."""
    head = html.Thead(html.Tr([html.Th(label) for _, label in columns]))
    body = html.Tbody([html.Tr([html.Td(str(r.get(k, ""))) for k, _ in columns]) for r in rows])
    kw = {"id": ident} if ident else {}
    return html.Table([head, body], className="pc-table", **kw)


def field(label: Any, control: Any, hint: Any = None) -> html.Div:
    """A labelled control: the label names the control for screen readers too.

    A control with a string id gets a label ``<id>-label`` pointing at it (``for``) and a
    group named by that label; the shell's browser-side namer
    (:data:`dashboard.shell._NAMES_JS`) gives the parts Dash renders without a name
    (slider handles, the boxes of typed values) the label's text as ``aria-label``.
    """
    ident = getattr(control, "id", None)
    if isinstance(ident, str):
        label_el = html.Label(label, htmlFor=ident, id=f"{ident}-label", className="pc-label")
        group = {"role": "group", "aria-labelledby": f"{ident}-label"}
    else:
        label_el, group = html.Label(label, className="pc-label"), {}
    parts = [label_el, control]
    if hint is not None:
        parts.append(html.Div(hint, className="pc-hint"))
    return html.Div(parts, className="pc-field", **group)


def problems_box(
    problems: Sequence[Problem | str], lang: str, title_key: str = "ui_input_problems"
) -> html.Div:
    """A message listing every problem, one sentence each in ``lang``, never a traceback.

    A :class:`~model.errors.Problem` is written by :meth:`~model.errors.Problem.message`
    (field names and the validators' phrases translated); a plain string is translated
    when it is one of the catalogue's phrases, else shown as given.
    """
    return html.Div(
        [
            html.Strong(t(title_key, lang, n=len(problems))),
            html.Ul(
                [
                    html.Li(
                        p.message(lang) if isinstance(p, Problem) else translate_phrase(p, lang)
                    )
                    for p in problems
                ]
            ),
        ],
        className="pc-alert",
        role="alert",
    )


def error_message(exc: BaseException, lang: str) -> html.Div:
    """What the page shows for an exception.

    A refused input (:class:`~dashboard.guards.Rejected`): its short translated message,
    never the value sent; the problems of a ``DataError``; else a short message (the
    traceback goes to the server log only).
    """
    if isinstance(exc, Rejected):
        return problems_box([exc.message(lang)], lang)
    if isinstance(exc, DataError):
        return problems_box(exc.problems, lang)
    if isinstance(exc, ValueError):
        return problems_box([translate_phrase(str(exc), lang)], lang)
    logger.exception("callback failed", exc_info=exc)
    return problems_box([t("ui_internal_error", lang)], lang, "ui_error_title")


def ok_message(text: str) -> html.Div:
    """A confirmation line."""
    return html.Div(text, className="pc-ok", role="status")
