"""Pure figure builders: model results (Datasets, gap tables, waterfalls) in, plotly figures out.

Nothing here reads files, touches Dash or keeps state; every function is tested without a
browser (``tests/dashboard/test_figures.py``). Axis titles carry the unit of what is drawn,
taken from the Dataset (the per-stage ``unit`` coordinate or ``attrs["units"]``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
import xarray as xr

from dashboard.i18n import norm_lang, number, quantity
from dashboard.views import CELL_EQ_UNIT
from model.catalogue import t
from model.park import Park
from model.units import UnitParseError, display_unit, format_money, rate_unit, spell_unit

FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif'
#: colour of a stage by its gap status (model.gaps)
STATUS_COLOURS = {
    "short": "#d62728",
    "missing": "#8c1c13",
    "unreported": "#ff9896",
    "surplus": "#2ca02c",
    "balanced": "#7f7f7f",
    "not_needed": "#c7c7c7",
}
SCENARIO_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2")
TECH_COLOURS = {
    "lfp": "#1f77b4",
    "sodium_ion": "#ff7f0e",
    "vanadium_flow": "#9467bd",
    "gravity": "#8c564b",
}
#: a small template: plotly's named templates cost ~30 ms a figure to copy and validate
TEMPLATE: dict[str, Any] = {
    "layout": {
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "colorway": list(SCENARIO_COLOURS),
        "xaxis": {"gridcolor": "#e5e5e5", "zerolinecolor": "#bbbbbb", "automargin": True},
        "yaxis": {"gridcolor": "#e5e5e5", "zerolinecolor": "#bbbbbb", "automargin": True},
    }
}
#: plotly config of every graph: no logo, no link to plotly's cloud, nothing fetched
GRAPH_CONFIG = {
    "displaylogo": False,
    "showLink": False,
    "displayModeBar": "hover",
    "toImageButtonOptions": {"scale": 2},
}


#: bottom margin (px) that holds the x tick labels and, below them, the legend
BOTTOM = 72
#: the same when the x axis also has a title
BOTTOM_WITH_AXIS_TITLE = 100
#: x axis of the charts through the horizon: every fourth quarter labelled, unrotated, so
#: the legend below has room
YEARLY_TICKS = {"tickangle": 0, "dtick": 4, "type": "category"}
#: the same for the fan charts, whose labels plotly may turn when the chart is narrow (a
#: phone): unturned, eight quarter labels run into each other at 390 px
FAN_TICKS = {"dtick": 4, "type": "category"}


def _figure(
    traces: Sequence[Mapping[str, Any]],
    title: str,
    bottom: int = BOTTOM,
    left: int = 60,
    **layout: Any,
) -> go.Figure:
    """A figure with the app's template, built in one go from trace and layout dicts.

    Title at the top left, the legend at the bottom edge of the figure: the legend is
    pinned to the container, so it never covers the x axis's labels or title, whatever the
    height. ``layout`` adds or replaces layout keys (``xaxis``, ``height``, ...).

    One constructor call validates everything once; adding traces and updating the layout
    step by step costs about seven times as much (plotly's update machinery), which the
    what-if page pays at every lever move.
    """
    base: dict[str, Any] = {
        "template": TEMPLATE,
        # anchored by its top, so a two-line title (with a <sup> subtitle) is never cut off
        "title": {
            "text": title,
            "font": {"size": 14},
            "x": 0.01,
            "xanchor": "left",
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 22},
        },
        "font": {"family": FONT, "size": 12},
        "margin": {"l": left, "r": 20, "t": 70, "b": bottom},
        "legend": {
            "orientation": "h",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "x": 0.01,
            "xanchor": "left",
        },
    }
    return go.Figure(data=list(traces), layout={**base, **layout})


def empty_figure(message: str) -> go.Figure:
    """A blank figure that shows ``message`` (no data, or bad input)."""
    note = {"text": message, "showarrow": False, "x": 0.5, "y": 0.5}
    return _figure(
        [],
        "",
        annotations=[{**note, "xref": "paper", "yref": "paper"}],
        xaxis={"visible": False},
        yaxis={"visible": False},
    )


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
#: height in pixels kept free for one line of a line's end label
LABEL_PX = 16


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


def stage_rate_unit(stage_unit: str) -> str:
    """The shown annual-rate unit of a stage counted in ``stage_unit`` (``"t"`` -> ``"t/a"``)."""
    return shown_unit(rate_unit(stage_unit))


def unit_of(ds: xr.Dataset, variable: str, stage: str | None = None) -> str:
    """Unit of ``variable`` (of ``stage`` for stage variables) as recorded in the Dataset."""
    da = ds[variable]
    if "units" in da.attrs:
        return str(da.attrs["units"])
    if stage is not None and "unit" in ds.coords:
        return str(ds["unit"].sel(stage=stage).values)
    return ""


def stage_name(ds: xr.Dataset, stage: str, lang: str) -> str:
    """The stage's display name from the Dataset's coordinates."""
    coord = "stage_name_zh" if norm_lang(lang) == "zh" else "stage_name_en"
    return str(ds[coord].sel(stage=stage).values)


# ---------------------------------------------------------------------------
# fan charts (P10-P50-P90 through the horizon)
# ---------------------------------------------------------------------------
def fan_chart(
    summaries: Mapping[str, xr.Dataset],
    stage: str,
    variable: str,
    lang: str = "zh",
    titles: Mapping[str, str] | None = None,
) -> go.Figure:
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
        values = sm[variable].sel(stage=stage).transpose("stat", "quarter").values
        row = {str(s): i for i, s in enumerate(sm["stat"].values)}
        x = [str(q) for q in sm["quarter"].values]
        unit = unit_of(sm, variable, stage)
        shown = axis_unit(unit, lang)
        name = stage_name(sm, stage, lang)
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


# ---------------------------------------------------------------------------
# technology demand
# ---------------------------------------------------------------------------
def technology_demand(ds: xr.Dataset, lang: str = "zh") -> go.Figure:
    """Mean storage demand by technology (stacked, GWh/a) through the horizon.

    ``ds`` is a full simulation result (``technology_demand`` over draw, quarter,
    technology) or any Dataset holding that variable without the draw dim.
    """
    lang = norm_lang(lang)
    da = ds["technology_demand"]
    if "draw" in da.dims:
        da = da.mean("draw")
    unit = shown_unit(str(da.attrs.get("units", rate_unit("GWh"))))
    x = [str(q) for q in ds["quarter"].values]
    techs = [str(k) for k in ds["technology"].values.tolist()]
    values = da.transpose("technology", "quarter").values
    traces = [
        {
            "type": "scatter",
            "x": x,
            "y": values[i].tolist(),
            "mode": "lines",
            "stackgroup": "tech",
            "name": t(f"tech_{tech}", lang),
            "line": {"color": TECH_COLOURS.get(tech)},
            "hovertemplate": "%{y:,.3g} " + unit + "<extra>%{fullData.name}</extra>",
        }
        for i, tech in enumerate(techs)
    ]
    return _figure(
        traces,
        t("fig_tech_demand", lang),
        hovermode="x unified",
        height=460,
        xaxis=YEARLY_TICKS,
        yaxis={"title": {"text": f"{t('ui_new_storage_demand', lang)} ({unit})"}},
    )


# ---------------------------------------------------------------------------
# the value chain: flows, Sankey, gap bars, targets
# ---------------------------------------------------------------------------
def sankey(
    park: Park,
    flows: Sequence[Mapping[str, Any]],
    table: Sequence[Mapping[str, Any]],
    lang: str = "zh",
    title: str = "",
) -> go.Figure:
    """Sankey of the chain: link width = downstream need in cell-GWh-eq a year.

    Node colour = the stage's gap status (red short/missing, green surplus, grey balanced).

    Parameters
    ----------
    park
        For stage names and units.
    flows
        From :func:`model.gaps.chain_flows`.
    table
        ``model.gaps.gap_table`` of the same quarter and basis (status, supply, demand).
    """
    lang = norm_lang(lang)
    by_stage = {r["stage"]: r for r in table}
    nodes = [
        s for s in park.chain.stages if any(f["source"] == s or f["target"] == s for f in flows)
    ]
    index = {s: k for k, s in enumerate(nodes)}
    colours, hover = [], []
    for s in nodes:
        row = by_stage.get(s, {})
        status = row.get("status", "not_needed")
        colours.append(STATUS_COLOURS.get(status, "#7f7f7f"))
        unit = park.stages[s].unit
        hover.append(
            f"{park.stages[s].name(lang)}<br>{t('status', lang)}: {t('status_' + status, lang)}"
            f"<br>{t('supply', lang)}: {quantity(row.get('supply'), unit, lang)}"
            f"<br>{t('ui_need', lang)}: {quantity(row.get('demand'), unit, lang)}"
            f"<br>{t('gap_cell_eq', lang)}: {number(row.get('gap_cell_gwh_eq'))}"
        )
    link_hover = [
        f"{park.stages[f['source']].name(lang)} → {park.stages[f['target']].name(lang)}"
        f"<br>{quantity(f['amount'], f['unit'], lang)}<br>{number(f['value'])} {CELL_EQ_UNIT} ({t('ui_cell_eq_short', lang)})"
        for f in flows
    ]
    trace = {
        "type": "sankey",
        "arrangement": "snap",
        "node": {
            "label": [park.stages[s].name(lang) for s in nodes],
            "color": colours,
            "customdata": hover,
            "hovertemplate": "%{customdata}<extra></extra>",
            "pad": 12,
            "thickness": 14,
        },
        "link": {
            "source": [index[f["source"]] for f in flows],
            "target": [index[f["target"]] for f in flows],
            "value": [f["value"] for f in flows],
            "customdata": link_hover,
            "hovertemplate": "%{customdata}<extra></extra>",
            "color": [
                _rgba(
                    STATUS_COLOURS.get(
                        by_stage.get(f["source"], {}).get("status", "balanced"), "#7f7f7f"
                    ),
                    0.35,
                )
                for f in flows
            ],
        },
        "valueformat": ",.3g",
        "valuesuffix": f" {CELL_EQ_UNIT}",
    }
    return _figure([trace], title or t("fig_sankey", lang), height=520)


def gap_bars(table: Sequence[Mapping[str, Any]], lang: str = "zh", title: str = "") -> go.Figure:
    """Local supply against downstream need per stage, in cell-GWh-eq a year (horizontal bars).

    Stages with no storage yardstick (photovoltaic) and stages with neither supply nor need
    are left out; the hover shows both in the stage's own unit.
    """
    lang = norm_lang(lang)
    rows = [
        r
        for r in table
        if r.get("gap_cell_gwh_eq") is not None and (r["supply"] > 0 or r["demand"] > 0)
    ]
    rows = rows[::-1]  # plotly draws the first category at the bottom
    names = [r["name"] for r in rows]
    custom = [
        [
            quantity(r["supply"], r["unit"], lang),
            quantity(r["demand"], r["unit"], lang),
            t("status_" + r["status"], lang),
            number(r["gap_cell_gwh_eq"]),
        ]
        for r in rows
    ]
    bar = {"type": "bar", "y": names, "orientation": "h", "customdata": custom}
    traces = [
        {
            **bar,
            "x": [r["supply_cell_gwh_eq"] for r in rows],
            "name": t("supply", lang),
            "marker": {"color": "#1f77b4"},
            "hovertemplate": "%{y}<br>"
            + t("supply", lang)
            + ": %{customdata[0]}<br>= %{x:,.3g} "
            + CELL_EQ_UNIT
            + "<br>%{customdata[2]}<extra></extra>",
        },
        {
            **bar,
            "x": [r["demand_cell_gwh_eq"] for r in rows],
            "name": t("ui_need", lang),
            "marker": {"color": [STATUS_COLOURS.get(r["status"], "#7f7f7f") for r in rows]},
            "hovertemplate": "%{y}<br>"
            + t("ui_need", lang)
            + ": %{customdata[1]}<br>= %{x:,.3g} "
            + CELL_EQ_UNIT
            + "<br>"
            + t("gap_cell_eq", lang)
            + ": %{customdata[3]}<extra></extra>",
        },
    ]
    return _figure(
        traces,
        title or t("fig_gap_bars", lang),
        bottom=BOTTOM_WITH_AXIS_TITLE,
        left=180,
        barmode="group",
        height=max(320, 26 * len(rows) + 150),
        xaxis={"title": {"text": t("ui_cell_eq_axis", lang)}},
    )


def targets_rows(
    targets: Sequence[Mapping[str, Any]], lang: str = "zh", rank: str = "cell-eq"
) -> list[dict[str, str]]:
    """Rows of the investment-target table.

    Each row: rank, stage, status, the ranked gap (the park's own need or the product's
    market, in the stage's unit and in cell-eq), P(short), the capacity that would close the
    gap, written with its unit, and the ranking figure (``score``) for the value, capex and
    jobs rankings.
    """
    lang = norm_lang(lang)
    rows = []
    for r in targets:
        eq = r.get("ranked_gap_cell_gwh_eq", r.get("gap_cell_gwh_eq"))
        score = r.get("score")
        rows.append(
            {
                "rank": str(r["rank"]),
                "name": r["name"],
                "status": t("status_" + r["status"], lang),
                "gap": quantity(r.get("ranked_gap", r["gap"]), r["unit"], lang),
                "gap_cell_gwh_eq": "–" if eq is None else f"{number(eq)} {CELL_EQ_UNIT}",
                "p_short": f"{100 * r['p_short']:.0f} %",
                "to_close": quantity(r["to_close"], r["unit"], lang),
                "score": "–"
                if score is None or rank == "cell-eq"
                else f"{score:,.0f}"
                if rank == "jobs"
                else format_money(score, lang, per_year=rank == "value"),
            }
        )
    return rows


# ---------------------------------------------------------------------------
# overview and waterfall
# ---------------------------------------------------------------------------
def stocks_bars(rows: Sequence[Mapping[str, Any]], lang: str = "zh", title: str = "") -> go.Figure:
    """Today's capacity of each stage in cell-GWh-eq a year.

    From ``model.tracking.stock_table``, with the capacity in the stage's unit in the hover.
    """
    lang = norm_lang(lang)
    shown = [r for r in rows if r.get("cell_gwh_eq") is not None and r["value"] > 0][::-1]
    trace = {
        "type": "bar",
        "y": [r["name"] for r in shown],
        "x": [r["cell_gwh_eq"] for r in shown],
        "orientation": "h",
        "marker": {"color": "#1f77b4"},
        "customdata": [[quantity(r["value"], str(r["unit"]), lang)] for r in shown],
        "hovertemplate": "%{y}<br>%{customdata[0]}<br>= %{x:,.3g} "
        + CELL_EQ_UNIT
        + "<extra></extra>",
    }
    return _figure(
        [trace],
        title or t("fig_stocks", lang),
        left=180,
        height=max(300, 26 * len(shown) + 120),
        xaxis={"title": {"text": t("ui_cell_eq_axis", lang)}},
    )


def waterfall_figure(result: Mapping[str, Any], lang: str = "zh", title: str = "") -> go.Figure:
    """Waterfall of ``model.attribution.waterfall``: start, one bar per lever or project, end.

    Every bar is labelled with its value (``+1.2亿``, ``-3.5万``; the start and end without a
    sign) and the value axis has round ticks in 万/亿 or k/M/bn with the result's ``unit`` in
    its title (:func:`value_axis`). Steps that change nothing here (a lever of another
    chain) get no bar; the subtitle says how many there are.
    """
    lang = norm_lang(lang)
    every = list(result.get("steps", []))
    size = max(abs(float(result["start"])), abs(float(result["end"])), 1e-12)
    steps = [s for s in every if abs(float(s["delta"])) > 1e-9 * size]
    idle = len(every) - len(steps)
    label_key = "label_zh" if lang == "zh" else "label_en"
    x = (
        [t("ui_wf_start", lang)]
        + [s.get(label_key) or s["key"] for s in steps]
        + [t("ui_wf_end", lang)]
    )
    deltas = [float(s["delta"]) for s in steps]
    y = [float(result["start"])] + deltas + [float(result["end"])]
    measure = ["absolute"] + ["relative"] * len(steps) + ["total"]
    unit = str(result.get("unit", ""))
    levels = np.cumsum([y[0], *deltas])
    text = (
        [scaled_number(y[0], lang)]
        + [("+" if d > 0 else "") + scaled_number(d, lang) for d in deltas]
        + [scaled_number(y[-1], lang)]
    )
    shown = axis_unit(unit, lang)
    trace = {
        "type": "waterfall",
        "x": x,
        "y": y,
        "measure": measure,
        "text": text,
        "textposition": "outside",
        "cliponaxis": False,
        "connector": {"line": {"color": "#999"}},
        "increasing": {"marker": {"color": STATUS_COLOURS["short"]}},
        "decreasing": {"marker": {"color": STATUS_COLOURS["surplus"]}},
        "totals": {"marker": {"color": "#1f77b4"}},
        "hovertemplate": "%{x}<br>%{text} " + shown + "<extra></extra>",
    }
    variable = result.get("variable")
    label = t("var_" + str(variable), lang) if variable else t("scen_wf_value", lang)
    yaxis = value_axis([*levels, y[-1]], unit, lang, label, include_zero=True)
    low, high = yaxis["range"]
    room = 0.08 * (high - low)  # the labels outside the bars
    yaxis["range"] = [low - room if low < 0 else low, high + room]
    heading = title or t("fig_waterfall", lang)
    if idle:  # under the title's own subtitle, if it has one
        note = t("scen_wf_idle", lang, n=idle)
        heading = (
            heading.replace("</sup>", f"<br>{note}</sup>")
            if heading.endswith("</sup>")
            else f"{heading}<br><sup>{note}</sup>"
        )
    return _figure(
        [trace],
        heading,
        bottom=BOTTOM_WITH_AXIS_TITLE,
        yaxis=yaxis,
        xaxis={"automargin": True},
    )


def figure_values(
    fig: go.Figure | Mapping[str, Any], trace_name_part: str | None = None
) -> np.ndarray:
    """All y values of a figure's traces whose name contains ``trace_name_part``.

    The x values for horizontal bars, the values for Sankey links. Used by tests to compare
    what a user would see.
    """
    data = fig["data"] if isinstance(fig, Mapping) else fig.to_dict()["data"]
    out: list[float] = []
    for tr in data:
        if trace_name_part is not None and trace_name_part not in str(tr.get("name", "")):
            continue
        if tr.get("type") == "sankey":
            out.extend(tr["link"]["value"])
        elif tr.get("orientation") == "h":
            out.extend(v for v in tr["x"] if v is not None)
        elif tr.get("y") is not None:
            out.extend(v for v in tr["y"] if v is not None)
    return np.asarray(out, dtype=float)
