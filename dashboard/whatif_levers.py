"""The what-if page's levers: their ids, widgets, option lists and hints, and their values.

The page's update callback receives the levers' values as positional arguments in the
order of :data:`CONTROL_IDS`; :func:`values_from_args` turns them into the dict that
:func:`dashboard.controls.scenario_from_controls` reads and :func:`args_from_values` back.
The levers also travel in the page's URL query (:func:`query_from_values`,
:func:`values_from_query`): a link opens the page with the same levers, so the same figures.
Nothing here registers a callback, so it imports without an app.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from dash import dcc, html

from dashboard.controls import (
    AUTO,
    INTENSITIES,
    LIMITS,
    MIX_KEYS,
    RAMP_SHAPES,
    check_number,
    project_ids,
    refusal,
)
from dashboard.figures import shown_unit
from dashboard.i18n import Texts, quantity
from model.catalogue import t
from model.park import Park
from model.pipeline import ACTIVE
from model.scenario import Scenario
from model.units import rate_unit

#: the ramp-up slider's range in quarters: what its boxes accept (wider if the base's ramp-up is longer)
RAMP_MAX = int(LIMITS["ramp"][1])
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
# the numeric levers: a slider (or a hidden value) and the number boxes beside it
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Lever:
    """A numeric lever of the page.

    Attributes
    ----------
    ident
        Id of the component whose ``value`` the update callback reads (a slider, a range
        slider, or a hidden input for the delay boxes).
    lever
        Its name for :func:`dashboard.controls.lever_label` and :data:`~dashboard.controls.LIMITS`
        (``"growth"``, ``"mix.lfp"``, ``"delay.signed"``...).
    pair
        A [low, high] range: two number boxes (``<ident>-lo``, ``<ident>-hi``), else one
        (``<ident>-num``).
    step
        The slider's step (the number boxes take any value in range).
    """

    ident: str
    lever: str
    pair: bool = False
    step: float = 1

    def boxes(self) -> list[str]:
        """Ids of the number boxes."""
        return [f"{self.ident}-lo", f"{self.ident}-hi"] if self.pair else [f"{self.ident}-num"]


#: every numeric lever, in page order
LEVERS = (
    Lever("wi-growth", "growth"),
    Lever("wi-spread", "spread"),
    *(Lever(f"wi-mix-{k}", f"mix.{k}", step=5) for k in MIX_KEYS),
    Lever("wi-util", "util", pair=True),
    Lever("wi-ramp", "ramp", pair=True),
    *(Lever(f"wi-p-{s}", f"p_complete.{s}", step=5) for s in ACTIVE),
    *(Lever(f"wi-d-{s}", f"delay.{s}", step=0.5) for s in ACTIVE),
    *(Lever(f"wi-sd-{s}", f"delay_sd.{s}", step=0.5) for s in ACTIVE),
)
LEVERS_BY_ID = {lv.ident: lv for lv in LEVERS}


def lever_value(values: Mapping[str, Any], lever: str) -> Any:
    """The value of ``lever`` (``"mix.lfp"``) in a values dict as :func:`defaults` gives it."""
    head, _, sub = lever.partition(".")
    return values[head][sub] if sub else values[head]


def set_lever(values: dict[str, Any], lever: str, value: Any) -> None:
    """Set ``lever`` in ``values`` (in place)."""
    head, _, sub = lever.partition(".")
    if sub:
        values[head] = {**values[head], sub: value}
    else:
        values[head] = value


def box_value(value: Any) -> Any:
    """A lever value as a number box shows it (whole numbers without ``.0``)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def typed_value(lever: Lever, typed: list[Any], lang: str, park: Park | None = None) -> Any:
    """The lever's new value from what its number boxes hold; ``ValueError(sentence)`` if bad.

    Out of range is refused (never clamped); a ramp-up takes whole quarters only; a pair
    comes back in order.
    """
    numbers = [check_number(v, lever.lever, lang, park) for v in typed]
    if lever.lever == "ramp" and any(not x.is_integer() for x in numbers):
        bad = next(x for x in numbers if not x.is_integer())
        raise ValueError(refusal("whole", "ramp", bad, lang, park))
    numbers = [box_value(x) for x in numbers]
    return sorted(numbers) if lever.pair else numbers[0]


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
# the levers in the URL query
# ---------------------------------------------------------------------------
#: query key -> lever (numbers in the page's units: percent, quarters, GWh/a)
QUERY_LEVERS = {
    "growth": "growth",
    "spread": "spread",
    "lfp": "mix.lfp",
    "na": "mix.sodium_ion",
    "vrfb": "mix.vanadium_flow",
    "grav": "mix.gravity",
    **{f"p_{s}": f"p_complete.{s}" for s in ACTIVE},
    **{f"d_{s}": f"delay.{s}" for s in ACTIVE},
    **{f"sd_{s}": f"delay_sd.{s}" for s in ACTIVE},
}
#: query keys of ranges ("60-90"), choices and the rest
QUERY_PAIRS = {"util": "util", "ramp": "ramp"}
QUERY_OTHER = ("base", "start", "shape", "int", "drop", "stage", "var")
#: longest query value read (characters) and most query keys read
MAX_QUERY_VALUE = 400
MAX_QUERY_KEYS = 64


def _num(x: float) -> str:
    return f"{float(x):.10g}"


def query_from_values(
    values: Mapping[str, Any],
    base_values: Mapping[str, Any],
    base: str,
    listed: list[str],
    stage: str | None = None,
    variable: str | None = None,
) -> str:
    """The URL query of the levers that differ from the start scenario's.

    For example ``?base=baseline&growth=30&na=40``: a fixed order, the start scenario always.

    Parameters
    ----------
    values, base_values
        Lever values (as :func:`dashboard.controls.defaults` gives them) of the page and of
        the start scenario.
    base
        The start scenario's name.
    listed
        The project ids the page lists (``drop`` names those not included).
    stage, variable
        The chart's stage and capacity variable, written when given.
    """
    out: list[tuple[str, str]] = [("base", base)]
    for key, lever in QUERY_LEVERS.items():
        v = lever_value(values, lever)
        if v is not None and v != lever_value(base_values, lever):
            out.append((key, _num(v)))
    for key, lever in QUERY_PAIRS.items():
        v = values[lever]
        if v is not None and [float(x) for x in v] != [float(x) for x in base_values[lever]]:
            out.append((key, f"{_num(min(v))}-{_num(max(v))}"))
    if values["base_gwh"] != base_values["base_gwh"] and values["base_gwh"] is not None:
        start = values["base_gwh"]
        out.append(("start", AUTO if start == AUTO else _num(start)))
    if values["shape"] != base_values["shape"]:
        out.append(("shape", str(values["shape"])))
    if values["intensity"] != base_values["intensity"]:
        out.append(("int", str(values["intensity"])))
    included = values.get("included")
    if included is not None and set(included) != set(base_values["included"]):
        dropped = [pid for pid in listed if pid not in included]
        out.append(("drop", ",".join(dropped)))
    if stage:
        out.append(("stage", stage))
    if variable:
        out.append(("var", variable))
    return "?" + urlencode(out, safe=",")


def values_from_query(
    query: Mapping[str, Any],
    base_values: Mapping[str, Any],
    listed: list[str],
    stages: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, str], list[tuple[str, str, str]]]:
    """The levers a URL query asks for, on top of the start scenario's.

    The query is untrusted: unknown keys are ignored; a value given twice, longer than
    :data:`MAX_QUERY_VALUE`, not a number, out of range or not a choice is refused and the
    lever keeps the start scenario's value. At most :data:`MAX_QUERY_KEYS` keys are read.

    Parameters
    ----------
    query
        Key -> value as Dash passes a page's query to its layout (a list if repeated).
    base_values
        The start scenario's lever values (:func:`dashboard.controls.defaults`).
    listed
        The project ids the page lists.
    stages
        The park's stages (for ``stage``); ``None``: ``stage`` is not read.

    Returns
    -------
    tuple
        (values, view, refused): the lever values; ``{"stage": ..., "var": ...}`` as
        asked for; and each refusal as ``(kind, lever, value)`` for
        :func:`dashboard.controls.refusal` to word in the page's language.
    """
    values = json.loads(json.dumps(base_values))  # a deep copy of plain data
    refused: list[tuple[str, str, str]] = []
    view: dict[str, str] = {}
    known = [k for k in query if k in QUERY_LEVERS or k in QUERY_PAIRS or k in QUERY_OTHER]
    for key in known[:MAX_QUERY_KEYS]:
        raw = query[key]
        lever = QUERY_LEVERS.get(key) or QUERY_PAIRS.get(key) or _OTHER_LEVER.get(key, key)
        if isinstance(raw, list):
            refused.append(("repeated", lever, ""))
            continue
        text = str(raw).strip()
        if len(text) > MAX_QUERY_VALUE:
            refused.append(("too_long", lever, ""))
            continue
        try:
            _apply(key, lever, text, values, view, listed, stages)
        except _Refused as exc:
            refused.append((exc.kind, lever, text))
    return values, view, refused


_OTHER_LEVER = {"start": "base_gwh", "int": "intensity", "drop": "included", "var": "var"}


class _Refused(Exception):  # noqa: N818 (a refusal, carried to values_from_query)
    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


# kinds of refusal (see :func:`dashboard.controls.refusal`)
_NUMBER, _RANGE, _PAIR, _WHOLE, _PROJECT = "number", "range", "pair", "whole", "project"


def _number_of(text: str, lever: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise _Refused(_NUMBER) from None
    lo, hi = LIMITS[lever.partition(".")[0]]
    if not math.isfinite(x):
        raise _Refused(_NUMBER)
    if not lo <= x <= hi:
        raise _Refused(_RANGE)
    return x


def _apply(
    key: str,
    lever: str,
    text: str,
    values: dict[str, Any],
    view: dict[str, str],
    listed: list[str],
    stages: Mapping[str, Any] | None,
) -> None:
    """Set one query value in ``values`` (or ``view``), or raise :class:`_Refused`."""
    if key in QUERY_LEVERS:
        set_lever(values, lever, box_value(_number_of(text, lever)))
    elif key in QUERY_PAIRS:
        lo, sep, hi = text.partition("-")
        if not sep:
            raise _Refused(_PAIR)
        pair = sorted([_number_of(lo, lever), _number_of(hi, lever)])
        if lever == "ramp" and any(not x.is_integer() for x in pair):
            raise _Refused(_WHOLE)
        values[lever] = [box_value(x) for x in pair]
    elif key == "start":
        values["base_gwh"] = AUTO if text == AUTO else box_value(_number_of(text, "base_gwh"))
    elif key == "shape":
        if text not in RAMP_SHAPES:
            raise _Refused("choice:" + ",".join(RAMP_SHAPES))
        values["shape"] = text
    elif key == "int":
        if text not in INTENSITIES:
            raise _Refused("choice:" + ",".join(INTENSITIES))
        values["intensity"] = text
    elif key == "drop":
        dropped = [x for x in text.split(",") if x]
        unknown = [x for x in dropped if x not in listed]
        if unknown:
            raise _Refused(_PROJECT)
        values["included"] = [pid for pid in listed if pid not in dropped]
    elif key == "stage" and stages is not None:
        if text in stages:  # a picker: an unknown stage falls back quietly
            view["stage"] = text
    elif key == "var":
        view["var"] = text
