"""The frame every figure shares: fonts, colours, template, margins, graph config.

:func:`_figure` builds a plotly figure with the app's template, title and legend in one
constructor call; :func:`empty_figure` is the blank figure that says why there is nothing
to draw. The figure builders (:mod:`dashboard.figures`, :mod:`dashboard.fan_charts`, the
chain and sensitivity views) all start here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

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
#: A figure as the browser receives it: ``{"data": [trace dicts], "layout": {...}}``, the
#: JSON plotly.js reads. Built as plain dicts, not ``plotly.graph_objects.Figure``: the
#: object costs a what-if update about a tenth of its time (its construction, then a deep
#: copy when Dash serialises it) for a figure the browser receives as the same JSON.
Figure = dict[str, Any]
#: Whether every figure is also checked by plotly (``plotly.graph_objects.Figure`` with
#: validation: unknown or misspelt properties raise). The figures come from this code, not
#: from visitors, so the checks run in the tests (``tests/dashboard/conftest.py`` turns
#: them on) and not at every lever move.
VALIDATE = False
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
) -> Figure:
    """A figure with the app's template, from trace and layout dicts.

    Title at the top left, the legend at the bottom edge of the figure: the legend is
    pinned to the container, so it never covers the x axis's labels or title, whatever the
    height. ``layout`` adds or replaces layout keys (``xaxis``, ``height``, ...).

    Checked by plotly only when :data:`VALIDATE` (the tests); the figure returned is the
    plain dict either way.
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
    fig = {"data": list(traces), "layout": {**base, **layout}}
    if VALIDATE:
        go.Figure(fig)  # raises ValueError naming any property plotly does not know
    return fig


def empty_figure(message: str) -> Figure:
    """A blank figure that shows ``message`` (no data, or bad input)."""
    note = {"text": message, "showarrow": False, "x": 0.5, "y": 0.5}
    return _figure(
        [],
        "",
        annotations=[{**note, "xref": "paper", "yref": "paper"}],
        xaxis={"visible": False},
        yaxis={"visible": False},
    )
