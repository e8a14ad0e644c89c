"""Value axes and numbers as people read them: round ticks in 万/亿 or k/M/bn, units spelt out.

Scale choice (:func:`magnitude`), round tick values (:func:`nice_ticks`) and their labels
(:func:`tick_labels`), value labels (:func:`scaled_number`), the axis dict that puts these
together with the unit in its title (:func:`value_axis`), and units as the page writes
them (:func:`shown_unit`, :func:`axis_unit`). Nothing here builds a figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from dashboard.i18n import norm_lang
from model.units import UnitParseError, display_unit, spell_unit


def shown_unit(unit: str) -> str:
    """A unit as the page writes it (``"m**2 / a"`` -> ``"m²/a"``); unknown text unchanged."""
    try:
        return display_unit(unit)
    except (UnitParseError, ValueError, TypeError):
        return unit


#: magnitude words of the axes and labels, largest first: 万/亿 for Chinese readers, k/M/bn
#: for English ones (format_quantity writes the same 万/亿 in the tables)
MAGNITUDES: dict[str, tuple[tuple[float, str], ...]] = {
    "zh": ((1e8, "亿"), (1e4, "万")),
    "en": ((1e9, "bn"), (1e6, "M"), (1e3, "k")),
}


def axis_unit(unit: str, lang: str) -> str:
    """A unit as an axis title writes it: ``平方米/年`` in Chinese, ``m²/a`` in English.

    The Chinese spelling is that of the tables (:func:`model.units.spell_unit`); text that is
    not a unit is returned unchanged.
    """
    if norm_lang(lang) == "zh":
        try:
            return spell_unit(unit, "zh") if unit else ""
        except (UnitParseError, ValueError, TypeError, AttributeError):
            return shown_unit(unit)
    return shown_unit(unit)


def magnitude(value: float, lang: str) -> tuple[float, str]:
    """The scale and word (``(1e8, "亿")``, ``(1e6, "M")`` or ``(1.0, "")``) for ``value``."""
    for scale, word in MAGNITUDES[norm_lang(lang)]:
        if abs(value) >= scale:
            return scale, word
    return 1.0, ""


def _plain(value: float, decimals: int, lang: str) -> str:
    """``value`` with at most ``decimals`` decimals, trailing zeros dropped, no ``-0``."""
    text = f"{value:,.{max(decimals, 0)}f}" if lang == "en" else f"{value:.{max(decimals, 0)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def scaled_number(value: float | None, lang: str = "zh", digits: int = 3) -> str:
    """A number people read at a glance: ``1.5亿``, ``3.6万``, ``150M``, ``37.5``; ``–`` if none.

    ``digits`` significant digits, with the magnitude word of :data:`MAGNITUDES` (万/亿 for
    ``zh``, k/M/bn for ``en``); no float noise (``150000001.2`` gives ``1.5亿``).
    """
    if value is None or not np.isfinite(value):
        return "–"
    lang = norm_lang(lang)
    rounded = float(f"{float(value):.{digits}g}")
    scale, word = magnitude(rounded, lang)
    scaled = rounded / scale
    if scaled == 0:
        return "0"
    decimals = digits - 1 - int(np.floor(np.log10(abs(scaled))))
    return _plain(round(scaled, max(decimals, 0)), decimals, lang) + word


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 times a power of ten) from ``lo`` to ``hi``.

    The first tick is at or below ``lo``, the last at or above ``hi``; about ``count``
    intervals. Equal ends give ticks around the value (and zero).
    """
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return [0.0, 1.0]
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
        if hi == lo:
            return [0.0, 1.0]
    raw = (hi - lo) / max(count, 1)
    power = 10.0 ** np.floor(np.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-12))
    # a value a millionth of a step past a tick is float noise: no tick more for it
    first = np.floor(lo / step + 1e-6) * step
    n = int(np.ceil((hi - first) / step - 1e-6))
    # integer multiples of the step, then rounded: no 150.00000001 from adding floats
    digits = max(0, -int(np.floor(np.log10(step))) + 2)
    ticks = [float(round(first + k * step, digits)) for k in range(max(n, 1) + 1)]
    return [0.0 if v == 0 else v for v in ticks]


def tick_labels(ticks: Sequence[float], lang: str = "zh") -> list[str]:
    """Labels of axis ticks with one magnitude word for all: ``["0", "0.5亿", "1亿", "1.5亿"]``.

    The scale is chosen by the largest tick; decimals are those the step needs, so labels
    never show float noise.
    """
    lang = norm_lang(lang)
    if not ticks:
        return []
    scale, word = magnitude(max(abs(v) for v in ticks), lang)
    step = min((abs(b - a) for a, b in zip(ticks, ticks[1:], strict=False)), default=1.0) or 1.0
    scaled_step = step / scale
    decimals = max(0, -int(np.floor(np.log10(scaled_step) + 1e-9)))
    if round(scaled_step * 10**decimals, 6) % 1:  # 2.5, 0.25: one decimal more
        decimals += 1
    return [
        "0" if v == 0 else _plain(round(v / scale, decimals), decimals, lang) + word for v in ticks
    ]


def value_axis(
    values: Sequence[float] | np.ndarray,
    unit: str,
    lang: str,
    label: str,
    include_zero: bool = False,
) -> dict[str, Any]:
    """A value axis (plotly layout dict) with round ticks written in 万/亿 or k/M/bn.

    Parameters
    ----------
    values
        Every value drawn on the axis (NaN ignored), in ``unit``.
    unit
        Unit of the values (pint text: ``"m**2 / a"``); the title says it as people read it.
    lang
        ``zh`` (ticks ``1.5亿``, title ``名义产能（平方米/年）``) or ``en`` (``150M``,
        ``Nameplate (m²/a)``).
    label
        What the axis shows, before the unit.
    include_zero
        Let the axis run to zero (bars).

    Returns
    -------
    dict
        ``title``, ``tickvals``, ``ticktext`` and ``range`` (the first and last tick).
    """
    lang = norm_lang(lang)
    arr = np.asarray(values, dtype=float)
    arr = arr[np.isfinite(arr)]
    lo, hi = (float(arr.min()), float(arr.max())) if arr.size else (0.0, 1.0)
    if include_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    ticks = nice_ticks(lo, hi)
    shown = axis_unit(unit, lang)
    around = "{}（{}）" if lang == "zh" else "{} ({})"
    title = around.format(label, shown) if shown else label
    pad = 0.02 * (ticks[-1] - ticks[0])
    return {
        "title": {"text": title},
        "tickmode": "array",
        "tickvals": ticks,
        "ticktext": tick_labels(ticks, lang),
        "range": [ticks[0] - pad, ticks[-1] + pad],
    }
