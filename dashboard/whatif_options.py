"""The what-if page's levers that are choices, their option lists, and the reset button.

The option lists and hints, labelled in the chosen language (the layout and the page's
translation callback both use them): the project checklist, the intensity and ramp-up
shape choices, the start demand's 'auto' box, the utilisation hint. The widgets of the
levers that are not sliders (:data:`CHOICE_RESETS`), each with the reset button that every
lever has (:func:`reset_button`). The numeric levers' widgets and the page's lever column
are in :mod:`dashboard.whatif_widgets`. Nothing here registers a callback, so it imports
without an app.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.components import field
from dashboard.controls import AUTO, INTENSITIES, RAMP_SHAPES, project_ids
from dashboard.i18n import Texts, quantity
from model.catalogue import t
from model.park import Park
from model.scenario import Scenario

#: the levers that are not numbers, each with a reset (``<id>-reset``) of its own: the start
#: demand (its box and 'auto'), the ramp-up shape, the intensity, the project checklist
CHOICE_RESETS = ("wi-base-gwh", "wi-shape", "wi-intensity", "wi-projects")


def project_options(park: Park, base: Scenario, lang: str) -> list[dict[str, str]]:
    """Checklist options: each listed project with its stage, capacity and status."""
    by_id = {p.id: p for p in park.projects}
    added = {a.id: a for a in base.projects.add}
    out = []
    for pid in project_ids(park, base):
        p = by_id.get(pid)
        if p is not None:
            label = f"{p.name(lang)} — {quantity(p.value, p.unit, lang)}, {park.status_params[p.status].name(lang)}"
        else:
            a = added[pid]
            label = f"{(a.name_zh if lang == 'zh' else a.name_en) or pid} — {a.capacity}"
        out.append({"label": label, "value": pid})
    return out


def intensity_options(lang: str) -> list[dict[str, str]]:
    """The four intensity settings."""
    return [{"label": t(f"ui_intensity_{k}", lang), "value": k} for k in INTENSITIES]


def shape_options(lang: str) -> list[dict[str, str]]:
    """The ramp-up curves."""
    return [{"label": t(f"ui_shape_{k}", lang), "value": k} for k in RAMP_SHAPES]


def auto_options(lang: str) -> list[dict[str, str]]:
    """The start demand's 'auto' box."""
    return [{"label": t("ui_base_gwh_auto", lang), "value": AUTO}]


def util_hint(park: Park, base: Scenario, lang: str) -> str | None:
    """Which stages the base scenario gives their own utilisation range, or ``None``.

    The slider shows the default range and, once moved, replaces them all.
    """
    own = [
        f"{park.stages[k].name(lang)} {100 * lo:g}–{100 * hi:g} %"
        for k, (lo, hi) in base.utilisation.items()
        if k != "default" and k in park.stages
    ]
    return t("ui_util_hint", lang, stages=", ".join(own)) if own else None


# ---------------------------------------------------------------------------
# the reset button, and the levers that are choices
# ---------------------------------------------------------------------------
#: the one hidden span that says "restore the start scenario's value" for every reset
RESET_NAME = "wi-reset-name"


def reset_name(lang: str) -> html.Span:
    """The hidden span (:data:`RESET_NAME`, once on the page) that names every reset button.

    One span for all the buttons (each names it with ``aria-labelledby``): the page has
    some thirty, and every component costs the browser time at each update.
    """
    return html.Span(Texts("wi-reset", lang)("wi_reset"), id=RESET_NAME, className="wi-sr-only")


def reset_button(ident: str, lang: str, also: str | None = None) -> html.Button:
    """The small button (``<ident>-reset``) that restores the start scenario's value of a lever.

    Its accessible name is "restore the start scenario's value" (:func:`reset_name`), the
    text of the element ``also`` if given (a status lever's status name) and the field's
    label (``<ident>-label``), all re-translated by the shell or the page; the tooltip
    (``title``) is re-translated by the page's language callback (:mod:`dashboard.whatif_reword`).
    """
    names = " ".join(n for n in (RESET_NAME, also, f"{ident}-label") if n)
    return html.Button(
        "↺",
        id=f"{ident}-reset",
        n_clicks=0,
        className="wi-reset",
        title=t("wi_reset", lang),
        **{"aria-labelledby": names},
    )


def choice_field(label: Any, control: Any, lang: str) -> html.Div:
    """A labelled choice (radio items) with its reset button beside it.

    The label is ``<id>-label`` (:func:`dashboard.components.field`); the reset is
    ``<id>-reset``.
    """
    box = field(label, control)
    box.children.append(reset_button(control.id, lang))  # beside the choice (CSS grid)
    box.className = "pc-field wi-choice"
    return box


def project_field(label: Any, options: list[dict[str, str]], value: Any, lang: str) -> html.Div:
    """The project checklist (``wi-projects``) under its heading, with its reset.

    Parameters
    ----------
    label
        The heading (``wi-projects-label``).
    options, value
        The checklist's options (:func:`dashboard.whatif_options.project_options`) and the
        ids of the projects included.
    lang
        Language of the reset's tooltip.
    """
    checklist = dcc.Checklist(
        id="wi-projects", options=options, value=value, className="pc-checklist"
    )
    return html.Div(
        [
            html.H4(label, id="wi-projects-label"),
            html.Div(
                [checklist, reset_button("wi-projects", lang)],
                className="wi-choice-row",
            ),
        ],
        role="group",
        **{"aria-labelledby": "wi-projects-label"},
    )


def start_demand_input(value: Any, lang: str) -> html.Div:
    """The start-demand number box (GWh/a) and its 'auto' tick box.

    Parameters
    ----------
    value
        The lever's value: a number, or :data:`~dashboard.controls.AUTO` (box off and
        empty, 'auto' ticked).
    lang
        Language of the placeholder and the tick box's label.

    Returns
    -------
    dash.html.Div
        The two controls, ``wi-base-gwh`` and ``wi-base-auto``, side by side.
    """
    return html.Div(
        [
            dcc.Input(
                id="wi-base-gwh",
                type="number",
                step="any",
                value=None if value == AUTO else value,
                disabled=value == AUTO,
                placeholder=t("ui_auto_value", lang, value="…"),
                debounce=True,
                className="pc-num pc-num-wide",
            ),
            dcc.Checklist(
                id="wi-base-auto",
                options=auto_options(lang),
                value=[AUTO] if value == AUTO else [],
                inline=True,
            ),
        ],
        className="pc-inline",
    )


def start_demand_field(label: Any, value: Any, lang: str) -> html.Div:
    """The start-demand lever: label, number box and 'auto' box, reset, message.

    The label (``wi-base-gwh-label``) names the box and the group; the message
    (``wi-base-gwh-msg``) says what is wrong with a typed value.
    """
    return html.Div(
        [
            html.Label(label, htmlFor="wi-base-gwh", id="wi-base-gwh-label", className="pc-label"),
            html.Div(
                [start_demand_input(value, lang), reset_button("wi-base-gwh", lang)],
                className="wi-choice-row",
            ),
            html.Div(id="wi-base-gwh-msg", className="wi-msg", role="alert"),
        ],
        className="pc-field",
        role="group",
        **{"aria-labelledby": "wi-base-gwh-label"},
    )
