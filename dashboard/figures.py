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
from model.units import UnitParseError, display_unit, format_money, rate_unit

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
GRAPH_CONFIG = {"displaylogo": False, "showLink": False, "toImageButtonOptions": {"scale": 2}}


#: bottom margin (px) that holds the x tick labels and, below them, the legend
BOTTOM = 72
#: the same when the x axis also has a title
BOTTOM_WITH_AXIS_TITLE = 100
#: x axis of the charts through the horizon: every fourth quarter labelled, unrotated, so
#: the legend below has room
YEARLY_TICKS = {"tickangle": 0, "dtick": 4, "type": "category"}


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
    for k, (scen, sm) in enumerate(summaries.items()):
        colour = SCENARIO_COLOURS[k % len(SCENARIO_COLOURS)]
        label = (titles or {}).get(scen, scen)
        values = sm[variable].sel(stage=stage).transpose("stat", "quarter").values
        row = {str(s): i for i, s in enumerate(sm["stat"].values)}
        x = [str(q) for q in sm["quarter"].values]
        unit = unit_of(sm, variable, stage)
        name = stage_name(sm, stage, lang)
        p10, p50, p90, mean = (values[row[s]].tolist() for s in ("p10", "p50", "p90", "mean"))
        line = {"type": "scatter", "x": x, "mode": "lines", "legendgroup": scen}
        traces += [
            {
                **line,
                "y": p90,
                "line": {"width": 0, "color": colour},
                "name": f"{label} P90",
                "showlegend": False,
                "hovertemplate": "P90 %{y:,.4g}<extra></extra>",
            },
            {
                **line,
                "y": p10,
                "line": {"width": 0, "color": colour},
                "fill": "tonexty",
                "fillcolor": _rgba(colour, 0.2),
                "name": f"{label} P10–P90",
                "showlegend": False,
                "hovertemplate": "P10 %{y:,.4g}<extra></extra>",
            },
            {
                **line,
                "y": p50,
                "line": {"color": colour, "width": 2},
                "name": label,
                "hovertemplate": "P50 %{y:,.4g}<extra></extra>",
            },
            {
                **line,
                "y": mean,
                "line": {"color": colour, "width": 1.5, "dash": "dash"},
                "name": f"{label} {t('ui_mean', lang)}",
                "showlegend": False,
                "hovertemplate": t("ui_mean", lang) + " %{y:,.4g}<extra></extra>",
            },
        ]
    # one legend entry per scenario (clicking it hides the band, P50 and mean together);
    # the subtitle says which line is which
    title = f"{name}: {t('var_' + variable, lang)}<br><sup>{t('fig_fan_key', lang)}</sup>"
    return _figure(
        traces,
        title,
        hovermode="x unified",
        height=460,
        xaxis=YEARLY_TICKS,
        yaxis={"title": {"text": f"{t('var_' + variable, lang)} ({shown_unit(unit)})"}},
    )


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

    The y axis carries the result's ``unit``.
    """
    lang = norm_lang(lang)
    steps = list(result.get("steps", []))
    label_key = "label_zh" if lang == "zh" else "label_en"
    x = (
        [t("ui_wf_start", lang)]
        + [s.get(label_key) or s["key"] for s in steps]
        + [t("ui_wf_end", lang)]
    )
    y = [result["start"]] + [s["delta"] for s in steps] + [result["end"]]
    measure = ["absolute"] + ["relative"] * len(steps) + ["total"]
    unit = shown_unit(str(result.get("unit", "")))
    trace = {
        "type": "waterfall",
        "x": x,
        "y": y,
        "measure": measure,
        "connector": {"line": {"color": "#999"}},
        "increasing": {"marker": {"color": STATUS_COLOURS["short"]}},
        "decreasing": {"marker": {"color": STATUS_COLOURS["surplus"]}},
        "totals": {"marker": {"color": "#1f77b4"}},
        "hovertemplate": "%{x}<br>%{y:,.4g} " + unit + "<extra></extra>",
    }
    return _figure([trace], title or t("fig_waterfall", lang), yaxis={"title": {"text": unit}})


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
