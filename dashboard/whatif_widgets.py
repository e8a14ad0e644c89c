"""The what-if page's numeric levers' widgets and its whole lever column.

Each numeric lever is shown by :func:`lever_field` (label, slider, number boxes, reset,
message); :func:`status_levers` lays out the status levers, :func:`lever_panel` the page's
whole lever column. The levers that are choices, their option lists and the reset button
are in :mod:`dashboard.whatif_options` (the option lists are importable from here too);
the levers' ids and values in :mod:`dashboard.whatif_levers`. Nothing here registers a
callback, so it imports without an app.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.components import field
from dashboard.i18n import Texts
from dashboard.whatif_levers import (
    DEMAND_UNIT,
    FOLDED_LEVERS,
    LEVERS_BY_ID,
    Lever,
    box_value,
    lever_value,
    ramp_max,
)
from dashboard.whatif_options import (
    auto_options as auto_options,  # the page imports the option lists from here
)
from dashboard.whatif_options import (
    choice_field,
    intensity_options,
    project_field,
    project_options,
    reset_button,
    reset_name,
    shape_options,
    start_demand_field,
    util_hint,
)
from model.catalogue import t
from model.park import Park
from model.pipeline import ACTIVE
from model.scenario import Scenario


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


def lever_field(
    label: Any, lever: Lever, control: Any, value: Any, lang: str, hint: Any = None
) -> html.Div:
    """A lever: label, its slider, number box(es), reset, hint, message.

    One grid (``wi-lever``, CSS) with no wrappers: label across; slider, boxes and reset in
    a row; then the hint (a component, class ``pc-hint``) and the message
    (``<ident>-msg``), which says in one sentence what is wrong with a typed value. Every
    component costs the browser time at each update of the page.
    """
    if lever.pair:
        boxes = [
            number_box(f"{lever.ident}-lo", value[0], t("wi_low", lang)),
            html.Span("–", className="wi-dash"),
            number_box(f"{lever.ident}-hi", value[1], t("wi_high", lang)),
        ]
    else:
        boxes = [number_box(f"{lever.ident}-num", value)]
    parts = [
        html.Label(label, className="pc-label", id=f"{lever.ident}-label"),
        control,
        *boxes,
        reset_button(lever.ident, lang),
    ]
    if hint is not None:
        parts.append(hint)
    parts.append(html.Div(id=f"{lever.ident}-msg", className="wi-msg", role="alert"))
    pair = " wi-pair" if lever.pair else ""
    return html.Div(parts, className=f"pc-field wi-lever{pair}")


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
        className="wi-slider",
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
        className="wi-slider",
    )


def hidden_value(ident: str, value: Any) -> dcc.Input:
    """The accepted value of a lever that has a number box only (the update reads this)."""
    return dcc.Input(id=ident, type="hidden", value=value)


#: the status levers' columns: lever id prefix and the label of its column
STATUS_COLUMNS = (("wi-p", "ui_p_complete"), ("wi-d", "ui_delay"), ("wi-sd", "ui_delay_sd"))


#: the status levers' ids (the folded levers', in :func:`status_values` order)
STATUS_IDS = tuple(lv.ident for lv in FOLDED_LEVERS)


def status_values(values: dict[str, Any]) -> html.Div:
    """The status levers' accepted values (hidden inputs ``wi-p-<status>`` ...): the update reads these.

    Always on the page, whether the table of their number boxes (:func:`status_fold`) has
    been opened or not.
    """
    return html.Div(
        [hidden_value(lv.ident, lever_value(values, lv.lever)) for lv in FOLDED_LEVERS],
        hidden=True,
    )


def status_held(held: list[Any]) -> dict[str, dict[str, Any]]:
    """The hidden inputs' values (:data:`STATUS_IDS` order) as :func:`status_levers` reads them."""
    out: dict[str, dict[str, Any]] = {}
    for lever, value in zip(FOLDED_LEVERS, held, strict=True):
        head, _, status = lever.lever.partition(".")
        out.setdefault(head, {})[status] = value
    return out


def status_fold(park: Park, values: dict[str, Any], tx: Texts, opened: bool) -> html.Details:
    """The status levers, folded (``wi-status-fold``): the table is built when first opened.

    Eighteen number boxes with their resets and messages are about a hundred and thirty
    components, which the browser would build at every visit and keep up to date at every
    lever move, for settings most visits leave alone. ``opened``: built and shown at once
    (a link that changed them).
    """
    body = status_levers(park, values, tx) if opened else None
    return html.Details(
        [
            tx.element(html.Summary, "ui_group_status", className="wi-status-summary"),
            html.Div(body, id="wi-status-box"),
        ],
        id="wi-status-fold",
        open=opened,
        className="wi-status-fold",
    )


def status_levers(park: Park, values: dict[str, Any], tx: Texts) -> html.Div:
    """The levers of each active pipeline status as one compact table: number boxes.

    One row per status, one column per lever: completion probability (``wi-p-<status>``,
    %), mean delay and its spread (``wi-d-<status>``, ``wi-sd-<status>``, quarters). Each
    cell holds the lever's number box and its reset (its accepted value is outside the
    table: :func:`status_values`); the messages follow the row, across its width. The box
    and the reset are named by the row's status and a hidden label (``<id>-label``: the
    column's name), "已签约 · 完成概率（%）": the cell says which status it is
    (``data-pc-also``) to the shell's namer.

    Parameters
    ----------
    park
        The park (status names).
    values
        Lever values as :func:`dashboard.controls.defaults` returns them (only
        ``p_complete``, ``delay`` and ``delay_sd`` are read).
    tx
        The translatable spans.

    Returns
    -------
    dash.html.Div
        The table (``wi-statuses``): a head row, then a row per status whose first cell is
        its name (``wi-status-name-<status>``).
    """
    head = html.Div(
        [html.Span()]
        + [html.Span(tx(key), className="wi-status-col") for _, key in STATUS_COLUMNS],
        className="wi-status-row wi-status-head",
        **{"aria-hidden": "true"},
    )
    rows = [head]
    for s in ACTIVE:
        cells = [
            html.Div(
                [
                    html.Label(tx(key), id=f"{prefix}-{s}-label", className="pc-label wi-sr-only"),
                    number_box(
                        f"{prefix}-{s}-num",
                        lever_value(values, LEVERS_BY_ID[f"{prefix}-{s}"].lever),
                    ),
                    reset_button(f"{prefix}-{s}", tx.lang, also=f"wi-status-name-{s}"),
                ],
                className="pc-field wi-status-cell",
                **{"data-pc-also": f"wi-status-name-{s}"},
            )
            for prefix, key in STATUS_COLUMNS
        ]
        # the messages under the row, across its width (a cell is too narrow for a sentence)
        said = [
            html.Div(id=f"{prefix}-{s}-msg", className="wi-msg", role="alert")
            for prefix, _ in STATUS_COLUMNS
        ]
        name = html.Span(park.status_params[s].name(tx.lang), id=f"wi-status-name-{s}")
        rows.append(html.Div([name, *cells, *said], className="wi-status-row"))
    return html.Div(rows, className="wi-statuses")


def status_changed(start: dict[str, Any], v: dict[str, Any]) -> bool:
    """Whether the status levers hold other values (``v``, a link's) than ``start``'s."""
    return any(lever_value(v, lv.lever) != lever_value(start, lv.lever) for lv in FOLDED_LEVERS)


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
    start: dict[str, Any],
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
    v, start
        Lever values as :func:`dashboard.controls.defaults` returns them: the page's (a
        link's applied) and the start scenario's (the status table is open at once if
        the link changed one of its levers).

    Returns
    -------
    dash.html.Div
        The column (``pc-side wi-side``).
    """
    lv = LEVERS_BY_ID
    return html.Div(
        [
            reset_name(tx.lang),
            field(
                tx("ui_base_scenario"),
                dcc.Dropdown(
                    id="wi-base",
                    options=scenario_options,
                    value=base_name,
                    clearable=False,
                ),
            ),
            tx.element(html.H4, "ui_group_demand"),
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
            start_demand_field(tx("ui_base_gwh", unit=DEMAND_UNIT), v["base_gwh"], tx.lang),
            tx.element(html.H4, "ui_group_mix"),
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
            tx.element(html.H4, "ui_group_supply"),
            lever_field(
                tx("ui_util"),
                lv["wi-util"],
                range_slider("wi-util", 100, v["util"], [1, 25, 50, 75, 100]),
                v["util"],
                tx.lang,
                hint=html.Div(
                    util_hint(park, base_s, tx.lang), id="wi-util-hint", className="pc-hint"
                ),
            ),
            choice_field(
                tx("ui_intensity"),
                dcc.RadioItems(
                    id="wi-intensity",
                    options=intensity_options(tx.lang),
                    value=v["intensity"],
                    inline=True,
                ),
                tx.lang,
            ),
            tx.element(html.H4, "ui_group_ramp"),
            lever_field(
                tx("ui_ramp_quarters"),
                lv["wi-ramp"],
                range_slider("wi-ramp", ramp_max(v), v["ramp"], [1, 4, 8, 12, 20, 40]),
                v["ramp"],
                tx.lang,
            ),
            choice_field(
                tx("ui_ramp_shape"),
                dcc.RadioItems(
                    id="wi-shape", options=shape_options(tx.lang), value=v["shape"], inline=True
                ),
                tx.lang,
            ),
            status_fold(park, v, tx, opened=status_changed(start, v)),
            status_values(v),
            project_field(
                tx("ui_group_projects"),
                project_options(park, base_s, tx.lang),
                v["included"],
                tx.lang,
            ),
        ],
        className="pc-side wi-side",
    )
