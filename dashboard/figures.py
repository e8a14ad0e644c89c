"""Pure figure builders: model results (Datasets, gap tables, waterfalls) in, plotly figures out.

Here: technology demand, gap bars, the investment-target rows, the waterfall and
:func:`figure_values` (what a figure shows, for tests). The shared frame (template,
colours, margins) is in :mod:`dashboard.figure_frame`, value axes and numbers in 万/亿 or
k/M/bn in :mod:`dashboard.figure_axes`, fan charts in :mod:`dashboard.fan_charts`; the
names the pages import from here are re-exported (``__all__``).

Nothing here reads files, touches Dash or keeps state; every function is tested without a
browser (``tests/dashboard/test_figures.py``). Axis titles carry the unit of what is drawn,
taken from the Dataset (the per-stage ``unit`` coordinate or ``attrs["units"]``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

from dashboard.fan_charts import fan_chart
from dashboard.figure_axes import axis_unit, scaled_number, shown_unit, value_axis
from dashboard.figure_frame import (
    BOTTOM_WITH_AXIS_TITLE,
    FONT,
    GRAPH_CONFIG,
    STATUS_COLOURS,
    TECH_COLOURS,
    TEMPLATE,
    YEARLY_TICKS,
    Figure,
    _figure,
    empty_figure,
)
from dashboard.i18n import norm_lang, number, quantity
from dashboard.views import CELL_EQ_UNIT
from model.catalogue import t
from model.units import format_money, rate_unit

#: the builders here and the names the pages and views import from here, though they live
#: in the modules above
__all__ = [
    "FONT",
    "GRAPH_CONFIG",
    "STATUS_COLOURS",
    "TEMPLATE",
    "_figure",
    "empty_figure",
    "fan_chart",
    "figure_values",
    "gap_bars",
    "shown_unit",
    "stage_rate_unit",
    "targets_rows",
    "technology_demand",
    "waterfall_figure",
]


def stage_rate_unit(stage_unit: str) -> str:
    """The shown annual-rate unit of a stage counted in ``stage_unit`` (``"t"`` -> ``"t/a"``)."""
    return shown_unit(rate_unit(stage_unit))


# ---------------------------------------------------------------------------
# technology demand
# ---------------------------------------------------------------------------
def technology_demand(ds: xr.Dataset, lang: str = "zh") -> Figure:
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
# the value chain: gap bars, targets
# ---------------------------------------------------------------------------
def gap_bars(table: Sequence[Mapping[str, Any]], lang: str = "zh", title: str = "") -> Figure:
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
# waterfall
# ---------------------------------------------------------------------------
def waterfall_figure(result: Mapping[str, Any], lang: str = "zh", title: str = "") -> Figure:
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
    fig: Figure | Mapping[str, Any], trace_name_part: str | None = None
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
