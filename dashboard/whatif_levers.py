"""The what-if page's levers: their ids, widgets, option lists and hints, and their values.

The page's update callback receives the levers' values as positional arguments in the
order of :data:`CONTROL_IDS`; :func:`values_from_args` turns them into the dict that
:func:`dashboard.controls.scenario_from_controls` reads and :func:`args_from_values` back.
Nothing here registers a callback, so it imports without an app.
"""

from __future__ import annotations

import json
from typing import Any

from dash import dcc, html

from dashboard.controls import AUTO, INTENSITIES, MIX_KEYS, RAMP_SHAPES, project_ids
from dashboard.figures import shown_unit
from dashboard.i18n import Texts, quantity
from model.catalogue import t
from model.park import Park
from model.pipeline import ACTIVE
from model.scenario import Scenario
from model.units import rate_unit

#: the ramp-up slider's range in quarters (wider if the base scenario's ramp-up is longer)
RAMP_MAX = 12
#: unit of the start-demand control
DEMAND_UNIT = shown_unit(rate_unit("GWh"))
#: control ids in the order of the update callback's inputs and of ``values_from_args``
CONTROL_IDS = (
    ["wi-growth", "wi-spread", "wi-base-auto", "wi-base-gwh"]
    + [f"wi-mix-{k}" for k in MIX_KEYS]
    + ["wi-util", "wi-ramp", "wi-shape"]
    + [f"wi-p-{s}" for s in ACTIVE]
    + [f"wi-d-{s}" for s in ACTIVE]
    + [f"wi-sd-{s}" for s in ACTIVE]
    + ["wi-projects", "wi-intensity"]
)


def values_from_args(args: tuple[Any, ...] | list[Any]) -> dict[str, Any]:
    """Control values in :data:`CONTROL_IDS` order -> the dict ``scenario_from_controls`` reads.

    The start demand is :data:`~dashboard.controls.AUTO` while its 'auto' box is ticked,
    else the number typed (``None`` if the box is empty: reported as a problem).
    """
    it = iter(args)
    growth, spread, auto, base_gwh = next(it), next(it), next(it), next(it)
    mix = {k: next(it) for k in MIX_KEYS}
    util, ramp, shape = next(it), next(it), next(it)
    p = {s: next(it) for s in ACTIVE}
    d = {s: next(it) for s in ACTIVE}
    sd = {s: next(it) for s in ACTIVE}
    included, intensity = next(it), next(it)
    auto_on = isinstance(auto, list | tuple) and AUTO in auto
    return {
        "growth": growth,
        "spread": spread,
        "base_gwh": AUTO if auto_on else base_gwh,
        "mix": mix,
        "util": util,
        "ramp": ramp,
        "shape": shape,
        "p_complete": p,
        "delay": d,
        "delay_sd": sd,
        "included": included,
        "intensity": intensity,
    }


def args_from_values(values: dict[str, Any]) -> list[Any]:
    """Inverse of :func:`values_from_args`."""
    auto = values["base_gwh"] == AUTO
    return (
        [values["growth"], values["spread"]]
        + [[AUTO] if auto else [], None if auto else values["base_gwh"]]
        + [values["mix"][k] for k in MIX_KEYS]
        + [values["util"], values["ramp"], values["shape"]]
        + [values["p_complete"][s] for s in ACTIVE]
        + [values["delay"][s] for s in ACTIVE]
        + [values["delay_sd"][s] for s in ACTIVE]
        + [values["included"], values["intensity"]]
    )


def ramp_max(values: dict[str, Any]) -> int:
    """Upper end of the ramp-up slider: :data:`RAMP_MAX`, or the base's longer ramp-up."""
    try:
        return max(RAMP_MAX, int(max(values["ramp"])))
    except (TypeError, ValueError, KeyError):
        return RAMP_MAX


def scenario_from_store(data: str | None, lang: str) -> Scenario:
    """The what-if scenario the browser holds, validated again (the browser is not trusted).

    Parameters
    ----------
    data
        The JSON the page keeps in its ``wi-scenario`` store (``None`` before a first run).
    lang
        Language of the message when there is nothing to save.

    Returns
    -------
    Scenario
        The scenario, validated as a file would be; raises ``ValueError`` without data and
        a validation error for data that is not a scenario.
    """
    if not data:
        raise ValueError(t("ui_nothing_to_save", lang))
    return Scenario.from_dict(json.loads(data), source="what-if")


# ---------------------------------------------------------------------------
# option lists and hints (labels in the chosen language)
# ---------------------------------------------------------------------------
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
# widgets
# ---------------------------------------------------------------------------
def number_input(ident: str, value: Any, hi: float = 80, step: float = 0.5) -> dcc.Input:
    """A small number box from 0 to ``hi`` (a delay in quarters by default).

    Parameters
    ----------
    ident
        The component id.
    value
        The starting value.
    hi, step
        Upper limit and step of the box.

    Returns
    -------
    dash.dcc.Input
        A debounced number input (its value is sent when the user leaves the box).
    """
    return dcc.Input(
        id=ident,
        type="number",
        min=0,
        max=hi,
        step=step,
        value=value,
        debounce=True,
        className="pc-num",
    )


def slider(
    ident: str, lo: float, hi: float, step: float, value: float, marks: list[float]
) -> dcc.Slider:
    """A slider from ``lo`` to ``hi`` that reports on release and takes typed values.

    Parameters
    ----------
    ident
        The component id.
    lo, hi, step
        Range and step.
    value
        The starting value.
    marks
        Values labelled under the track.

    Returns
    -------
    dash.dcc.Slider
        The slider (``updatemode="mouseup"``: one simulation per move, not per pixel).
    """
    return dcc.Slider(
        id=ident,
        min=lo,
        max=hi,
        step=step,
        value=value,
        marks={m: f"{m:g}" for m in marks},
        allow_direct_input=True,
        updatemode="mouseup",
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
                min=0.1,
                max=10_000,
                step=0.1,
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


def status_table(park: Park, values: dict[str, Any], tx: Texts) -> html.Table:
    """One row of levers per active pipeline status: completion probability and delays.

    Parameters
    ----------
    park
        The park (status names).
    values
        Lever values as :func:`dashboard.controls.defaults` returns them.
    tx
        The page's translatable spans (the header row).

    Returns
    -------
    dash.html.Table
        Status name (``wi-status-name-<status>``), a completion slider (``wi-p-<status>``,
        %) and mean delay and spread boxes (``wi-d-<status>``, ``wi-sd-<status>``,
        quarters).
    """
    rows = [
        html.Tr(
            [
                html.Td(park.status_params[s].name(tx.lang), id=f"wi-status-name-{s}"),
                html.Td(slider(f"wi-p-{s}", 0, 100, 5, values["p_complete"][s], [0, 50, 100])),
                html.Td(number_input(f"wi-d-{s}", values["delay"][s])),
                html.Td(number_input(f"wi-sd-{s}", values["delay_sd"][s])),
            ]
        )
        for s in ACTIVE
    ]
    return html.Table(
        [
            html.Thead(
                html.Tr(
                    [
                        html.Th(tx("status")),
                        html.Th(tx("ui_p_complete")),
                        html.Th(tx("ui_delay")),
                        html.Th(tx("ui_delay_sd")),
                    ]
                )
            ),
            html.Tbody(rows),
        ],
        className="pc-table pc-status",
    )
