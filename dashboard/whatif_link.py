"""The what-if page's levers in its URL query: a link opens the page with the same levers.

:func:`query_from_values` writes the levers that differ from the start scenario's into a
query (``?base=baseline&growth=30&na=40``); :func:`values_from_query` reads an untrusted
query back into lever values, refusing what it cannot take; :func:`link_refusals` words
those refusals. Nothing here registers a callback, so it imports without an app.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from dashboard.controls import AUTO, INTENSITIES, LIMITS, RAMP_SHAPES, lever_label, refusal
from dashboard.state import get_state
from dashboard.whatif_levers import box_value, lever_value, set_lever
from model.catalogue import LANGS, t
from model.pipeline import ACTIVE

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
#: longest URL query the page reads (characters, keys and values together)
MAX_QUERY_CHARS = 4000


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


def address_query(query: str, search: Any) -> str | None:
    """The address bar's query for the levers' ``query``, or ``None`` if it reads so already.

    A ``lang`` the address had (``zh`` or ``en``) is kept: a link keeps its language. The
    page writes the result into its own ``dcc.Location`` (no reload, a new history entry).
    """
    had = parse_qsl(search.lstrip("?")) if isinstance(search, str) else []
    langs = [v for k, v in had if k == "lang" and v in LANGS]
    pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True) + [("lang", v) for v in langs[:1]]
    text = "?" + urlencode(pairs, safe=",")
    return None if text == search else text


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


def link_refusals(refused: list[Any], lang: str) -> list[str]:
    """The sentences of the link's refused values (:func:`values_from_query`'s third part)."""
    state = get_state()
    out = []
    for item in refused if isinstance(refused, list) else []:
        if not (isinstance(item, list | tuple) and len(item) == 3):
            continue
        kind, lever, value = (str(x)[:MAX_QUERY_VALUE] for x in item)
        if kind == "repeated":
            out.append(t("wi_link_repeated", lang, label=_label(lever, lang)))
        elif kind == "too_long":
            out.append(t("wi_link_too_long", lang))
        elif kind == "base":
            out.append(t("wi_link_unknown_base", lang))  # never the visitor's text (a path?)
        else:
            out.append(refusal(kind, lever, value, lang, state.park))
    return out


def _label(lever: str, lang: str) -> str:
    return lever_label(lever, lang, get_state().park)
