"""The value-chain page's shortfall heatmap: P(short) per stage and quarter.

A pure figure builder: the page (``dashboard/pages/chain.py``) reads the model result and
passes in the probabilities; the stages never short are collapsed out and listed under it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dashboard.figure_frame import Figure, _figure
from dashboard.i18n import norm_lang
from model.catalogue import t


def shortfall_heatmap(
    stages: Sequence[str],
    names: Sequence[str],
    quarters: Sequence[str],
    p_short: np.ndarray,
    lang: str = "zh",
    title: str = "",
    highlight: str | None = None,
    source: str = "",
) -> tuple[Figure, list[str]]:
    """Heatmap of the probability of a shortfall, stage (rows, chain order) × quarter.

    Parameters
    ----------
    stages, names
        Stage ids and their names in ``lang``, in chain order (top row first).
    quarters
        Quarter labels (columns).
    p_short
        (stage, quarter) probabilities, 0-1.
    highlight
        A quarter to outline (the page's chosen quarter).
    source
        Where the probabilities come from (the model run), added to every cell's hover
        (one template for all cells: stage, quarter and probability filled in by plotly).

    Returns
    -------
    (Figure, list of str)
        The figure of the stages short in at least one quarter, and the names of the
        stages never short (collapsed out of the figure, listed under it).
    """
    lang = norm_lang(lang)
    p = np.asarray(p_short, dtype=float)
    keep = [k for k in range(len(stages)) if np.nanmax(p[k], initial=0.0) > 0]
    never = [names[k] for k in range(len(stages)) if k not in keep]
    z = p[keep] if keep else np.zeros((0, len(quarters)))
    # one hover template for every cell (the cell's stage, quarter and probability are
    # plotly's %{y}, %{x} and %{z}): per-cell texts made the figure ten times larger
    hover = t("chain_heatmap_hover", lang, stage="%{y}", quarter="%{x}", p="%{z:.0%}")
    if source:  # text, never a template: a "%{" in it stays as written
        hover += "<br>" + source.replace("%{", "%\u200b{")
    trace = {
        "type": "heatmap",
        "z": z.tolist(),
        "x": list(quarters),
        "y": [names[k] for k in keep],
        "zmin": 0,
        "zmax": 1,
        "colorscale": [[0, "#ffffff"], [0.05, "#fde0dd"], [0.5, "#fb6a4a"], [1, "#a50f15"]],
        "xgap": 1,
        "ygap": 1,
        "hovertemplate": hover + "<extra></extra>",
        # below the plot, so a phone's narrow width goes to the quarters
        "colorbar": {
            "title": {"text": t("chain_heatmap_axis", lang), "side": "top"},
            "tickformat": ".0%",
            "orientation": "h",
            "thickness": 10,
            "len": 0.6,
            "x": 0,
            "xanchor": "left",
            "y": 0,
            "yref": "container",
            "yanchor": "bottom",
        },
    }
    shapes = (
        [
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": list(quarters).index(highlight) - 0.5,
                "x1": list(quarters).index(highlight) + 0.5,
                "y0": 0,
                "y1": 1,
                "line": {"color": "#1f77b4", "width": 2},
            }
        ]
        if highlight in quarters and keep
        else []
    )
    fig = _figure(
        [trace],
        title or t("chain_heatmap_title", lang),
        shapes=shapes,
        left=20,
        bottom=150,
        height=max(300, 24 * len(keep) + 250),
        xaxis={"type": "category", "tickangle": -45, "dtick": 4, "showgrid": False},
        yaxis={"autorange": "reversed", "showgrid": False, "automargin": True},
    )
    return fig, never
