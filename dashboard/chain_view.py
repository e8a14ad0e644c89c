"""Pure builders of the value-chain page's tiered chain view: its graph and its figure.

Nothing here reads files or touches Dash callbacks; the page (``dashboard/pages/chain.py``)
computes the gap table and flows and passes them in. The shortfall heatmap is in
:mod:`dashboard.chain_heatmap`, the investment cards in :mod:`dashboard.chain_cards`, the
hover notes naming where the numbers come from in :mod:`dashboard.chain_sources`.

The chain view is not a Sankey: a stage's inputs complement each other (a GWh of cells needs
cathode *and* separator *and* foil), so they cannot be added into the stage. Each link
shows what the downstream stage needs of one input, in GWh a year of cells (cell-GWh-eq,
the input's yardstick), split into the part the park supplies and the part to import or
recruit; each node shows its own local supply against the sum of its outgoing links (its
need). Nothing flows out of a node beyond what it holds without being marked as missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from dashboard.chain_sources import recipe_note
from dashboard.figure_frame import STATUS_COLOURS, Figure, _figure
from dashboard.i18n import norm_lang
from dashboard.i18n import quantity as _quantity
from model.catalogue import t
from model.chain import REFERENCE_PRODUCTS
from model.park import Park

#: tiers left to right: raw materials, materials and components, cells and systems, products
TIERS = (0, 1, 2, 3)
#: statuses in the legend, in the order people read them
LEGEND_STATUSES = ("short", "missing", "surplus", "balanced", "unreported")
#: the colour of the locally supplied part of a link (the gap bars' supply colour)
LOCAL_COLOUR = "#1f77b4"
#: a node whose supply and need are both below this share of the largest is grouped
SMALL_SHARE = 0.05
#: where, within a column (0-1), a node's label ends and its outgoing links start
LINK_START = 0.6
#: the worst status first: a group of stages takes the worst of its members
_SEVERITY = ("missing", "short", "unreported", "balanced", "surplus", "not_needed")


@lru_cache(maxsize=8192)
def _cached_quantity(value: float, unit: str, lang: str) -> str:
    return _quantity(value, unit, lang)


def quantity(value: float | None, unit: str, lang: str) -> str:
    """:func:`dashboard.i18n.quantity` (an annual rate for a reader), memoised.

    Building a pint quantity costs about a millisecond; the page writes some two hundred.
    The value is rounded to 6 significant digits for the key (3 are shown).
    """
    if value is None or value != value:
        return "–"
    return _cached_quantity(float(f"{float(value):.6g}"), unit, lang)


def tiers(park: Park) -> dict[str, int]:
    """Tier (0-3) of every stage with a storage yardstick, from the recipe graph.

    A storage product that takes another product (cabinets take cells) is tier 3, another
    storage product (cells, flow batteries, gravity storage) tier 2; every other stage sits
    one tier left of its leftmost user: PCS, EMS and thermal management, inputs of the
    cabinet, are tier 2 beside the cells; cathode tier 1; lithium carbonate tier 0.
    Photovoltaic stages (no storage yardstick) are left out.
    """
    chain = park.chain
    products = [p for p in REFERENCE_PRODUCTS if p in chain.index]
    users: dict[str, list[str]] = {}
    for rl in park.recipes:
        users.setdefault(rl.input, [])
        if rl.output not in users[rl.input]:
            users[rl.input].append(rl.output)
    out: dict[str, int] = {}

    def tier(s: str, depth: int = 0) -> int:
        if s in out:
            return out[s]
        if s in products:
            value = 3 if any(i in products for i in chain.inputs_of(s)) else 2
        elif depth > len(chain.stages):  # a cycle (recipes refuse them): leftmost
            value = 0
        else:
            above = [tier(u, depth + 1) for u in users.get(s, []) if u in chain.index]
            value = max(0, min(above, default=1) - 1)
        out[s] = value
        return value

    return {s: tier(s) for s in chain.stages if chain.reference_product(s) is not None}


@dataclass
class Node:
    """One box of the chain view: a stage, or a group of small stages of one tier.

    ``supply`` and ``need`` are in cell-GWh-eq a year; ``members`` the grouped stage ids;
    ``market`` what the product's end market takes (cell-GWh-eq a year), for products only.
    """

    id: str
    name: str
    tier: int
    status: str
    supply: float
    need: float
    members: list[str] = field(default_factory=list)
    y: float = 0.0
    market: float | None = None


@dataclass
class Link:
    """What ``target`` needs of ``source`` (cell-GWh-eq a year), split local / missing."""

    source: str
    target: str
    value: float
    local: float
    amount: float
    unit: str
    members: list[tuple[str, str]] = field(default_factory=list)

    @property
    def missing(self) -> float:
        """The part to import or recruit (cell-GWh-eq a year)."""
        return max(self.value - self.local, 0.0)


def _worst(statuses: Sequence[str]) -> str:
    return min(statuses, key=lambda s: _SEVERITY.index(s) if s in _SEVERITY else 99)


def chain_graph(
    park: Park,
    table: Sequence[Mapping[str, Any]],
    flows: Sequence[Mapping[str, Any]],
    lang: str = "zh",
    small_share: float = SMALL_SHARE,
) -> tuple[list[Node], list[Link]]:
    """Nodes and links of the chain view, small stages grouped per tier.

    Parameters
    ----------
    park
        For stage names and the recipe graph.
    table
        :func:`model.gaps.gap_table` of the quarter (supply, demand and status per stage).
    flows
        :func:`model.gaps.chain_flows` of the same quarter and basis.
    lang
        Language of the names.
    small_share
        A stage whose local supply and need are both below this share of the largest
        stage's is merged into its tier's "other inputs" node (its links too: a grouped
        link carries the largest of its members, since inputs are not added).

    Returns
    -------
    (list of Node, list of Link)
        A node's ``need`` equals the sum of its outgoing links on the nameplate basis; a
        link's ``local`` part is its value times the source's supplied share (at most 1).
    """
    lang = norm_lang(lang)
    tier_of = tiers(park)
    rows = {r["stage"]: r for r in table}
    used = {f["source"] for f in flows} | {f["target"] for f in flows}
    stages = [s for s in park.chain.stages if s in tier_of and s in used]
    eq = {
        s: (
            float(rows[s].get("supply_cell_gwh_eq") or 0.0),
            float(rows[s].get("demand_cell_gwh_eq") or 0.0),
        )
        for s in stages
        if s in rows
    }
    scale = max((max(v) for v in eq.values()), default=0.0)
    small = {s for s, (sup, need) in eq.items() if max(sup, need) < small_share * scale}
    group_of = {s: (f"other-{tier_of[s]}" if s in small else s) for s in stages}
    nodes: dict[str, Node] = {}
    for s in stages:
        sup, need = eq.get(s, (0.0, 0.0))
        status = str(rows.get(s, {}).get("status", "not_needed"))
        gid = group_of[s]
        if gid == s:
            nodes[s] = Node(s, park.stages[s].name(lang), tier_of[s], status, sup, need, [s])
            market = rows.get(s, {}).get("market_demand")
            yard = park.chain.yardstick(s)
            if market is not None and yard > 0:
                nodes[s].market = float(market) / yard
        elif gid in nodes:
            g = nodes[gid]
            g.members.append(s)
            g.status = _worst([g.status, status])
            g.supply, g.need = max(g.supply, sup), max(g.need, need)
        else:
            nodes[gid] = Node(gid, "", tier_of[s], status, sup, need, [s])
    for g in nodes.values():
        if g.id.startswith("other-"):
            g.name = t("chain_other_inputs", lang, n=len(g.members))
    share = {s: (min(1.0, sup / need) if need > 0 else 1.0) for s, (sup, need) in eq.items()}
    links: dict[tuple[str, str], Link] = {}
    for f in flows:
        src, dst = f["source"], f["target"]
        if src not in group_of or dst not in group_of:
            continue
        key = (group_of[src], group_of[dst])
        value = float(f["value"])
        local = value * share.get(src, 1.0)
        if key not in links:
            links[key] = Link(key[0], key[1], value, local, float(f["amount"]), str(f["unit"]))
        else:  # inputs are complements: the group needs the most any member needs, and
            # the scarcest member limits what is local
            ln = links[key]
            frac = min(ln.local / ln.value if ln.value else 1.0, local / value if value else 1.0)
            ln.value = max(ln.value, value)
            ln.local = ln.value * frac
        links[key].members.append((src, dst))
    _place(nodes, links)
    return list(nodes.values()), list(links.values())


def _place(nodes: dict[str, Node], links: dict[tuple[str, str], Link]) -> None:
    """Vertical positions of the nodes (0 top – 1 bottom).

    The right tiers keep file order, the others follow the mean position of the stages they
    feed (fewer crossings); a tier's group of small stages comes last.
    """
    by_tier: dict[int, list[Node]] = {k: [] for k in TIERS}
    for n in nodes.values():
        by_tier[n.tier].append(n)
    for k in sorted(TIERS, reverse=True):
        col = by_tier[k]
        order = {n.id: i for i, n in enumerate(col)}

        def centre(n: Node, order: dict[str, int] = order, k: int = k) -> tuple[bool, float, int]:
            ys = [nodes[d].y for (s, d) in links if s == n.id and nodes[d].tier > k]
            mean = float(np.mean(ys)) if ys else 0.5
            return (n.id.startswith("other-"), mean, order[n.id])

        col.sort(key=centre)
        for i, n in enumerate(col):
            n.y = (i + 0.5) / max(len(col), 1)


def _wrap(name: str, width: int) -> str:
    """A long name on two lines (at a bracket or space near its middle)."""
    if len(name) <= width:
        return name
    for mark in ("（", " ("):
        if mark in name:
            head, _, tail = name.partition(mark)
            return f"{head}<br>{mark.strip()}{tail}"
    cut = name.rfind(" ", 0, width + 1)
    return name if cut <= 0 else f"{name[:cut]}<br>{name[cut + 1 :]}"


def chain_figure(
    park: Park,
    nodes: Sequence[Node],
    links: Sequence[Link],
    lang: str = "zh",
    title: str = "",
    node_notes: Mapping[str, str] | None = None,
    model_note: str = "",
) -> Figure:
    """The tiered chain view of :func:`chain_graph`'s nodes and links.

    Nodes are squares coloured by status, labelled outside (to their right) with name and
    ``has X / needs Y`` in cell-GWh-eq; links run from the end of the source's label to the
    target, their width the need, solid blue for the locally supplied part and dotted in
    the source's status colour for the part to import or recruit. The legend names the
    statuses (same colours as the gap bars) and the two link styles.

    Parameters
    ----------
    node_notes
        Stage id -> extra hover lines (the capacity record's source, as-of and recorded).
    model_note
        Where the model's figures come from (scenario, draws, quarter, basis), added to
        every link's hover with the sources of the recipe lines behind it.
    """
    lang = norm_lang(lang)
    notes = node_notes or {}
    by_id = {n.id: n for n in nodes}
    top = max((max(ln.value, 1e-9) for ln in links), default=1.0)
    traces: list[dict[str, Any]] = []
    unit = "GWh"

    def eqs(v: float) -> str:
        return quantity(v, unit, lang)

    hover_x, hover_y, hover_text = [], [], []
    for ln in links:
        a, b = by_id[ln.source], by_id[ln.target]
        x0, x1 = a.tier + LINK_START, b.tier - 0.03
        parts = [(ln.local, LOCAL_COLOUR, "solid", 0.0)]
        if ln.missing > 1e-9:
            off = 0.006 if ln.local > 1e-9 else 0.0
            parts = [(ln.local, LOCAL_COLOUR, "solid", -off)] if ln.local > 1e-9 else []
            parts.append((ln.missing, STATUS_COLOURS.get(a.status, "#d62728"), "dot", off))
        for value, colour, dash, off in parts:
            traces.append(
                {
                    "type": "scatter",
                    "x": [x0, x1],
                    "y": [a.y + off, b.y + off],
                    "mode": "lines",
                    "line": {"color": colour, "width": 1.2 + 9 * value / top, "dash": dash},
                    "hoverinfo": "skip",
                    "showlegend": False,
                }
            )
        src_name = (
            a.name
            if len(a.members) == 1
            else ", ".join(park.stages[s].name(lang) for s in a.members)
        )
        hover_x.append((x0 + x1) / 2)
        hover_y.append((a.y + b.y) / 2)
        amount = quantity(ln.amount, ln.unit, lang) if len(ln.members) == 1 else eqs(ln.value)
        hover_text.append(
            t(
                "chain_link_hover",
                lang,
                src=src_name,
                dst=b.name,
                amount=amount,
                eq=eqs(ln.value) + " " + t("ui_cell_eq_short", lang),
                local=eqs(ln.local),
                missing=eqs(ln.missing),
            )
            + "".join(
                f"<br>{line}"
                for line in (
                    model_note,
                    *(recipe_note(park, s, lang) for s in dict.fromkeys(m[0] for m in ln.members)),
                )
                if line
            )
        )
    traces.append(
        {
            "type": "scatter",
            "x": hover_x,
            "y": hover_y,
            "mode": "markers",
            "marker": {"size": 14, "color": "rgba(0,0,0,0)"},
            "hovertext": hover_text,
            "hovertemplate": "%{hovertext}<extra></extra>",
            "showlegend": False,
            "name": "links",
        }
    )
    width = 14 if lang == "zh" else 24
    labels, hovers = [], []
    for n in nodes:
        head = _wrap(n.name, width)
        label = f"<b>{head}</b><br>" + t(
            "chain_node_label", lang, supply=eqs(n.supply), need=eqs(n.need)
        )
        if n.market is not None and n.market > n.need:
            label += "<br>" + t("chain_market_need", lang, need=eqs(n.market))
        labels.append(label)
        lines = [n.name, f"{t('status', lang)}: {t('status_' + n.status, lang)}"]
        for s in n.members:
            row_note = notes.get(s, "")
            if len(n.members) > 1:
                lines.append(f"· {park.stages[s].name(lang)}")
            if row_note:
                lines.append(row_note)
        hovers.append("<br>".join(lines))
    traces.append(
        {
            "type": "scatter",
            "x": [n.tier for n in nodes],
            "y": [n.y for n in nodes],
            "mode": "markers+text",
            "marker": {
                "symbol": "square",
                "size": 16,
                "color": [STATUS_COLOURS.get(n.status, "#7f7f7f") for n in nodes],
                "line": {"color": "#333", "width": 1},
            },
            "text": labels,
            "textposition": "middle right",
            "textfont": {"size": 11},
            "hovertext": hovers,
            "hovertemplate": "%{hovertext}<extra></extra>",
            "showlegend": False,
            "name": "stages",
            "cliponaxis": False,
        }
    )
    legend = [
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "marker": {"symbol": "square", "size": 12, "color": STATUS_COLOURS[s]},
            "name": t("status_" + s, lang),
        }
        for s in LEGEND_STATUSES
    ] + [
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "lines",
            "line": {"color": LOCAL_COLOUR, "width": 4},
            "name": t("chain_local", lang),
        },
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "lines",
            "line": {"color": STATUS_COLOURS["missing"], "width": 4, "dash": "dot"},
            "name": t("chain_missing", lang),
        },
    ]
    headings = [
        {
            "text": f"<b>{t(f'chain_tier_{k}', lang)}</b>",
            "x": k,
            "y": 1.0,
            "xref": "x",
            "yref": "paper",
            "xanchor": "left",
            "yanchor": "bottom",
            "showarrow": False,
            "font": {"size": 12, "color": "#444"},
        }
        for k in TIERS
    ]
    rows = max((sum(1 for n in nodes if n.tier == k) for k in TIERS), default=1)
    return _figure(
        [*traces, *legend],
        title or t("chain_view_title", lang),
        left=20,
        height=max(380, 52 * rows + 190),
        annotations=headings,
        hovermode="closest",
        xaxis={"visible": False, "range": [-0.05, 3.95], "fixedrange": True},
        yaxis={"visible": False, "range": [1.02, -0.04], "fixedrange": True},
        margin={"l": 10, "r": 10, "t": 90, "b": 80},
    )
