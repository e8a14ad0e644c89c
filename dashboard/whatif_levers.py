"""The what-if page's levers: their ids, their values, and what a number box accepts.

The page's update callback receives the levers' values as positional arguments in the
order of :data:`CONTROL_IDS`; :func:`values_from_args` turns them into the dict that
:func:`dashboard.controls.scenario_from_controls` reads and :func:`args_from_values` back.
:data:`LEVERS` are the numeric levers (a slider or hidden value with number boxes);
:func:`typed_value` checks what their boxes hold. The widgets that show the levers are in
:mod:`dashboard.whatif_widgets`, the levers in the URL query in :mod:`dashboard.whatif_link`.
Nothing here registers a callback, so it imports without an app.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dashboard.controls import (
    AUTO,
    LIMITS,
    MIX_KEYS,
    check_number,
    refusal,
)
from dashboard.figures import shown_unit
from model.park import Park
from model.pipeline import ACTIVE
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
    folded
        Its number box is in the folded status table (built when first opened), not always
        on the page.
    """

    ident: str
    lever: str
    pair: bool = False
    step: float = 1
    folded: bool = False

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
    *(Lever(f"wi-p-{s}", f"p_complete.{s}", step=5, folded=True) for s in ACTIVE),
    *(Lever(f"wi-d-{s}", f"delay.{s}", step=0.5, folded=True) for s in ACTIVE),
    *(Lever(f"wi-sd-{s}", f"delay_sd.{s}", step=0.5, folded=True) for s in ACTIVE),
)
LEVERS_BY_ID = {lv.ident: lv for lv in LEVERS}
#: the levers always on the page, and those of the folded status table
SHOWN_LEVERS = tuple(lv for lv in LEVERS if not lv.folded)
FOLDED_LEVERS = tuple(lv for lv in LEVERS if lv.folded)


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
