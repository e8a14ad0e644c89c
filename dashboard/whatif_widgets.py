"""The what-if page's widgets: sliders, number boxes, reset buttons, option lists, hints.

Each numeric lever is shown by :func:`lever_field` (label, slider, number boxes, reset,
message); :func:`status_levers` and :func:`start_demand_input` lay out the status and
start-demand levers, :func:`lever_panel` the page's whole lever column; the option lists
and hints are labelled in the chosen language.
The levers' ids and values are in :mod:`dashboard.whatif_levers`. Nothing here registers
a callback, so it imports without an app.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.components import field
from dashboard.controls import AUTO, INTENSITIES, RAMP_SHAPES, project_ids
from dashboard.i18n import Texts, quantity
from dashboard.whatif_levers import DEMAND_UNIT, LEVERS_BY_ID, Lever, box_value, ramp_max
from model.catalogue import t
from model.park import Park
from model.pipeline import ACTIVE
from model.scenario import Scenario


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
# the numeric levers' widgets: a slider (or a hidden value) and the number boxes beside it
# ---------------------------------------------------------------------------
def number_box(ident: str, value: Any, label: str = "") -> dcc.Input:
    """A number box that applies on Enter and on leaving it (``debounce=True``).

    No ``min``/``max``: the browser would clamp or drop a value silently; the page checks
    it and says what is wrong instead.
    """
    return dcc.Input(
        id=ident,
        type="number",
        value=box_value(value),
        step="any",
        debounce=True,
        className="pc-num wi-num",
        placeholder=label or None,
    )


def reset_button(ident: str, lang: str) -> html.Button:
    """The small button that restores the start scenario's value of one lever."""
    return html.Button(
        "↺",
        id=f"{ident}-reset",
        n_clicks=0,
        className="wi-reset",
        title=t("wi_reset", lang),
        **{"aria-label": t("wi_reset", lang)},
    )


def lever_field(
    label: Any, lever: Lever, control: Any, value: Any, lang: str, hint: Any = None
) -> html.Div:
    """A lever: label, its control (slider or nothing), number box(es), reset, message.

    The message (``<ident>-msg``) sits under the field and says in one sentence what is
    wrong with a typed value.
    """
    if lever.pair:
        boxes = [
            number_box(f"{lever.ident}-lo", value[0], t("wi_low", lang)),
            html.Span("–", className="wi-dash"),
            number_box(f"{lever.ident}-hi", value[1], t("wi_high", lang)),
        ]
    else:
        boxes = [number_box(f"{lever.ident}-num", value)]
    row = html.Div(
        [html.Div(control, className="wi-slider") if control is not None else None]
        + [html.Div([*boxes, reset_button(lever.ident, lang)], className="wi-boxes")],
        className="wi-lever-row",
    )
    parts = [html.Label(label, className="pc-label"), row]
    if hint is not None:
        parts.append(html.Div(hint, className="pc-hint"))
    parts.append(html.Div(id=f"{lever.ident}-msg", className="wi-msg", role="alert"))
    return html.Div(parts, className="pc-field wi-lever")


def slider(
    ident: str, lo: float, hi: float, step: float, value: float, marks: list[float]
) -> dcc.Slider:
    """A slider from ``lo`` to ``hi`` that reports on release (its number box is separate).

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
        allow_direct_input=False,
        updatemode="mouseup",
    )


def range_slider(ident: str, hi: float, value: list[float], marks: list[float]) -> dcc.RangeSlider:
    """A [low, high] slider from 1 to ``hi`` (its two number boxes are separate)."""
    return dcc.RangeSlider(
        id=ident,
        min=1,
        max=hi,
        step=1,
        value=value,
        marks={m: f"{m:g}" for m in marks},
        updatemode="mouseup",
        allow_direct_input=False,
    )


def hidden_value(ident: str, value: Any) -> dcc.Input:
    """The accepted value of a lever that has a number box only (the update reads this)."""
    return dcc.Input(id=ident, type="hidden", value=value)


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


def status_levers(park: Park, values: dict[str, Any], tx: Texts) -> html.Div:
    """The levers of each active pipeline status: completion probability and delays.

    Parameters
    ----------
    park
        The park (status names).
    values
        Lever values as :func:`dashboard.controls.defaults` returns them.
    tx
        The page's translatable spans.

    Returns
    -------
    dash.html.Div
        Per status a heading (``wi-status-name-<status>``), a completion slider
        (``wi-p-<status>``, %) with its box, and mean delay and spread boxes
        (``wi-d-<status>``, ``wi-sd-<status>``, quarters; hidden values with boxes).
    """
    blocks = []
    for s in ACTIVE:
        p, d, sd = values["p_complete"][s], values["delay"][s], values["delay_sd"][s]
        blocks.append(
            html.Div(
                [
                    html.H5(park.status_params[s].name(tx.lang), id=f"wi-status-name-{s}"),
                    lever_field(
                        tx("ui_p_complete"),
                        LEVERS_BY_ID[f"wi-p-{s}"],
                        slider(f"wi-p-{s}", 0, 100, 5, p, [0, 50, 100]),
                        p,
                        tx.lang,
                    ),
                    html.Div(
                        [
                            lever_field(
                                tx("ui_delay"),
                                LEVERS_BY_ID[f"wi-d-{s}"],
                                hidden_value(f"wi-d-{s}", d),
                                d,
                                tx.lang,
                            ),
                            lever_field(
                                tx("ui_delay_sd"),
                                LEVERS_BY_ID[f"wi-sd-{s}"],
                                hidden_value(f"wi-sd-{s}", sd),
                                sd,
                                tx.lang,
                            ),
                        ],
                        className="wi-pair",
                    ),
                ],
                className="wi-status",
            )
        )
    return html.Div(blocks, className="wi-statuses")


# ---------------------------------------------------------------------------
# the page's lever column
# ---------------------------------------------------------------------------
def lever_panel(
    tx: Texts,
    scenario_options: list[dict[str, str]],
    base_name: str,
    park: Park,
    base_s: Scenario,
    v: dict[str, Any],
) -> html.Div:
    """The levers' column of the page: start scenario, then every lever in groups.

    Parameters
    ----------
    tx
        The page's translatable spans.
    scenario_options, base_name
        The start-scenario dropdown's options and value (``wi-base``).
    park, base_s
        The park and the start scenario (project list, utilisation hint).
    v
        Lever values as :func:`dashboard.controls.defaults` returns them (a link's
        applied).

    Returns
    -------
    dash.html.Div
        The column (``pc-side wi-side``).
    """
    lv = LEVERS_BY_ID
    return html.Div(
        [
            field(
                tx("ui_base_scenario"),
                dcc.Dropdown(
                    id="wi-base",
                    options=scenario_options,
                    value=base_name,
                    clearable=False,
                ),
            ),
            html.H4(tx("ui_group_demand")),
            lever_field(
                tx("ui_growth"),
                lv["wi-growth"],
                slider("wi-growth", -50, 300, 1, v["growth"], [-50, 0, 100, 200, 300]),
                v["growth"],
                tx.lang,
            ),
            lever_field(
                tx("ui_spread"),
                lv["wi-spread"],
                slider("wi-spread", 0, 100, 1, v["spread"], [0, 25, 50, 100]),
                v["spread"],
                tx.lang,
            ),
            field(
                tx("ui_base_gwh", unit=DEMAND_UNIT),
                html.Div(
                    [
                        start_demand_input(v["base_gwh"], tx.lang),
                        html.Div(id="wi-base-gwh-msg", className="wi-msg", role="alert"),
                    ]
                ),
            ),
            html.H4(tx("ui_group_mix")),
            *[
                lever_field(
                    tx(f"tech_{k}"),
                    lv[f"wi-mix-{k}"],
                    slider(f"wi-mix-{k}", 0, 100, 5, v["mix"][k], [0, 50, 100]),
                    v["mix"][k],
                    tx.lang,
                )
                for k in ("lfp", "sodium_ion", "vanadium_flow", "gravity")
            ],
            html.H4(tx("ui_group_supply")),
            lever_field(
                tx("ui_util"),
                lv["wi-util"],
                range_slider("wi-util", 100, v["util"], [1, 25, 50, 75, 100]),
                v["util"],
                tx.lang,
                hint=html.Div(util_hint(park, base_s, tx.lang), id="wi-util-hint"),
            ),
            field(
                tx("ui_intensity"),
                dcc.RadioItems(
                    id="wi-intensity",
                    options=intensity_options(tx.lang),
                    value=v["intensity"],
                    inline=True,
                ),
            ),
            html.H4(tx("ui_group_ramp")),
            lever_field(
                tx("ui_ramp_quarters"),
                lv["wi-ramp"],
                range_slider("wi-ramp", ramp_max(v), v["ramp"], [1, 4, 8, 12, 20, 40]),
                v["ramp"],
                tx.lang,
            ),
            field(
                tx("ui_ramp_shape"),
                dcc.RadioItems(
                    id="wi-shape", options=shape_options(tx.lang), value=v["shape"], inline=True
                ),
            ),
            html.H4(tx("ui_group_status")),
            status_levers(park, v, tx),
            html.H4(tx("ui_group_projects")),
            dcc.Checklist(
                id="wi-projects",
                options=project_options(park, base_s, tx.lang),
                value=v["included"],
                className="pc-checklist",
            ),
        ],
        className="pc-side wi-side",
    )
