"""Fan charts: P10–P90 band, P50 line and mean of one stage's variable per scenario.

Drawn by the scenarios and what-if pages through the horizon. Each P50 line is named at
its end (:func:`end_labels`, pushed apart so none overlap), and a line equal to an earlier
one is drawn dotted and says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

from dashboard.figure_axes import axis_unit, scaled_number, value_axis
from dashboard.figure_frame import BOTTOM, FAN_TICKS, SCENARIO_COLOURS, Figure, _figure
from dashboard.i18n import norm_lang
from model.catalogue import t

#: height in pixels kept free for one line of a line's end label
LABEL_PX = 16


def _stage_values(
    sm: xr.Dataset, variable: str, stage: str, lang: str
) -> tuple[np.ndarray, str, str]:
    """One stage's statistics of ``variable`` (stat × quarter), its unit and display name.

    The unit is the variable's ``units`` attribute, else the stage's entry of the ``unit``
    coordinate. Read by position from the arrays: an xarray selection per line would cost
    more than the rest of the chart.
    """
    found = np.flatnonzero(sm["stage"].values == stage)
    if not found.size:
        raise KeyError(stage)  # as xarray's selection says of an unknown label
    i = int(found[0])
    da = sm[variable]
    values = np.take(da.values, i, axis=da.dims.index("stage"))
    rest = [d for d in da.dims if d != "stage"]
    values = np.transpose(values, [rest.index("stat"), rest.index("quarter")])
    if "units" in da.attrs:
        unit = str(da.attrs["units"])
    else:
        unit = str(sm["unit"].values[i]) if "unit" in sm.coords else ""
    coord = "stage_name_zh" if norm_lang(lang) == "zh" else "stage_name_en"
    return values, unit, str(sm[coord].values[i])


def fan_chart(
    summaries: Mapping[str, xr.Dataset],
    stage: str,
    variable: str,
    lang: str = "zh",
    titles: Mapping[str, str] | None = None,
) -> Figure:
    """P10–P90 band, P50 line and mean (dashed) of one stage's ``variable`` per scenario.

    Every P50 line is labelled at its end with its scenario's title; a line identical to an
    earlier one is drawn dotted and its label says which it equals ("同…" / "same as …"),
    so no line hides under another unsaid. The value axis has round ticks in 万/亿 (zh) or
    k/M/bn (en) and the unit in its title (:func:`value_axis`); the hover writes values the
    same way.

    Parameters
    ----------
    summaries
        Scenario name -> ``model.simulate.summarize`` result (``stat`` dim p10/p50/p90/mean).
    stage
        Stage id.
    variable
        ``nameplate``, ``effective_capacity``, ``output``, ``demand``, ``gap`` (stage unit
        per year) or ``gap_cell_gwh_eq`` (GWh/a of the stage's reference product).
    lang
        Language of the labels.
    titles
        Scenario name -> display title (default: the name).

    Returns
    -------
    plotly.graph_objects.Figure
        The y axis is titled with the variable and its unit.
    """
    lang = norm_lang(lang)
    traces: list[dict[str, Any]] = []
    unit = ""
    name = stage
    drawn: list[np.ndarray] = []
    ends: list[dict[str, Any]] = []  # one per distinct P50 line: where it ends, who it is
    for k, (scen, sm) in enumerate(summaries.items()):
        colour = SCENARIO_COLOURS[k % len(SCENARIO_COLOURS)]
        label = (titles or {}).get(scen, scen)
        values, unit, name = _stage_values(sm, variable, stage, lang)
        row = {str(s): i for i, s in enumerate(sm["stat"].values)}
        x = [str(q) for q in sm["quarter"].values]
        shown = axis_unit(unit, lang)
        drawn.append(values[[row[s] for s in ("p10", "p50", "p90", "mean")]].ravel())
        p10, p50, p90, mean = (values[row[s]] for s in ("p10", "p50", "p90", "mean"))
        same = next((e for e in ends if _same_line(e["p50"], e["x"], p50, x)), None)
        if same is None:
            ends.append({"x": x, "p50": p50, "labels": [label], "colour": colour})
        else:
            same["labels"].append(t("scen_same_as", lang, name=label, other=same["labels"][0]))
        line = {"type": "scatter", "x": x, "mode": "lines", "legendgroup": scen}

        traces += [
            {
                **line,
                **_hover(p90, "P90", label, lang, shown),
                "line": {"width": 0, "color": colour},
                "name": f"{label} P90",
                "showlegend": False,
            },
            {
                **line,
                **_hover(p10, "P10", label, lang, shown),
                "line": {"width": 0, "color": colour},
                "fill": "tonexty",
                "fillcolor": _rgba(colour, 0.2),
                "name": f"{label} P10–P90",
                "showlegend": False,
            },
            {
                **line,
                **_hover(p50, "P50", label, lang, shown),
                # a line equal to an earlier one is dotted, so both colours show
                "line": {"color": colour, "width": 2, "dash": "solid" if same is None else "dot"},
                "name": label,
            },
            {
                **line,
                **_hover(mean, t("ui_mean", lang), label, lang, shown),
                "line": {"color": colour, "width": 1.5, "dash": "dash"},
                "name": f"{label} {t('ui_mean', lang)}",
                "showlegend": False,
            },
        ]
    label_text = t("var_" + variable, lang)
    yaxis = value_axis(np.concatenate(drawn) if drawn else [], unit, lang, label_text)
    height = 460
    # one legend entry per scenario (clicking it hides the band, P50 and mean together);
    # the subtitle says which line is which
    title = f"{name}: {label_text}<br><sup>{t('fig_fan_key', lang)}</sup>"
    return _figure(
        traces,
        title,
        hovermode="x unified",
        height=height,
        xaxis=FAN_TICKS,
        yaxis=yaxis,
        annotations=end_labels(ends, yaxis["range"], height - 70 - BOTTOM),
    )


def _hover(values: np.ndarray, what: str, label: str, lang: str, unit: str = "") -> dict[str, Any]:
    """``y`` of a line and its hover text: ``P50 1.5亿 平方米/年`` with the scenario's title."""
    shown = f" {unit}" if unit else ""
    return {
        "y": values.tolist(),
        "customdata": [scaled_number(float(v), lang) for v in values],
        "hovertemplate": f"{what} %{{customdata}}{shown}<extra>{label}</extra>",
    }


def _same_line(a: np.ndarray, ax: Sequence[str], b: np.ndarray, bx: Sequence[str]) -> bool:
    """Whether two P50 lines are the same over the same quarters (float32 noise aside)."""
    if list(ax) != list(bx) or a.shape != b.shape:
        return False
    return bool(np.allclose(a, b, rtol=1e-6, atol=1e-9, equal_nan=True))


def end_labels(
    ends: Sequence[Mapping[str, Any]], yrange: Sequence[float], plot_px: int
) -> list[dict[str, Any]]:
    """Annotations naming each line at its last point, pushed apart so none overlap.

    Parameters
    ----------
    ends
        One per line: ``x`` (categories), ``p50`` (values), ``labels`` (the titles of the
        scenarios drawn by that line: more than one when lines coincide) and ``colour``.
    yrange
        The value axis's range, to turn values into pixels.
    plot_px
        Height of the plotting area in pixels.
    """
    span = float(yrange[1] - yrange[0]) or 1.0
    items = []
    for e in ends:
        finite = [i for i, v in enumerate(e["p50"]) if np.isfinite(v)]
        if not finite:
            continue
        i = finite[-1]
        y = float(e["p50"][i])
        items.append((y, e["x"][i], e["labels"], e["colour"]))
    items.sort(key=lambda it: it[0])
    out = []
    top = -np.inf  # pixel height reached by the label below
    for y, x, labels, colour in items:
        px = (y - yrange[0]) / span * plot_px
        lines = len(labels)
        place = max(px + 4, top)
        top = place + LABEL_PX * lines
        out.append(
            {
                "x": x,
                "y": y,
                "xref": "x",
                "yref": "y",
                "text": "<br>".join(labels),
                "showarrow": False,
                "xanchor": "right",
                "yanchor": "bottom",
                "align": "right",
                "yshift": place - px,
                "font": {"color": colour, "size": 12},
                "bgcolor": "rgba(255,255,255,0.75)",
            }
        )
    return out


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"
