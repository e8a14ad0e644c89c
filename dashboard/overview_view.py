"""Pure builders of the overview page (概览): headline cards, chain strip, stocks table.

Everything here takes the park, its capacity stocks (:func:`model.tracking.stock_table`)
and a gap table (:func:`model.gaps.gap_table`, nameplate basis) and returns plain strings
and dicts; no Dash, no state. Quantities are written for a reader (万/亿, 吨/年, GWh/年);
cell-equivalents are GWh a year of the stage's reference storage product, wafer
equivalents GW a year of mono-silicon (the photovoltaic chain's own yardstick). The
one-sentence finding is in :mod:`dashboard.overview_finding`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np

from dashboard.i18n import norm_lang, number, quantity
from dashboard.views import source_title, stocks_rows
from model.catalogue import t
from model.gaps import investment_targets, scenario_intensity
from model.park import CHAINS, Park
from model.scenario import Scenario

Row = Mapping[str, Any]

#: statuses of :func:`model.gaps.gap_table`, in the order the legend lists them
STATUSES = ("surplus", "balanced", "short", "missing", "unreported", "not_needed")
#: relative tolerance under which two gaps count as tied
TIE = 1e-6
_PAREN = re.compile(r"\s*[（(][^）)]*[）)]\s*$")


# ---------------------------------------------------------------------------
# stages: names, order, presence
# ---------------------------------------------------------------------------
def short_name(name: str, lang: str) -> str:
    """A stage name for a sentence: the bracketed part dropped, English in lower case.

    ``"负极材料（石墨）"`` -> ``"负极材料"``; ``"Anode material (graphite)"`` ->
    ``"anode material"``; acronyms (``"LFP ..."``) keep their capitals.
    """
    text = _PAREN.sub("", name).strip() or name
    if norm_lang(lang) == "en" and len(text) > 1 and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return text


def _title(name: str, lang: str) -> str:
    """A stage name for a card: the bracketed part dropped, capitals kept."""
    return _PAREN.sub("", name).strip() or name


def stage_order(park: Park) -> list[str]:
    """Stage ids grouped by chain (in :data:`model.stages.CHAINS` order), upstream first.

    Within a chain the order of ``stages.csv`` is kept, except that a stage's inputs of the
    same chain come before it (polysilicon, carbon fibre, C/C parts, then mono-silicon).
    """
    chain = park.chain
    out: list[str] = []

    def place(sid: str) -> None:
        if sid in out:
            return
        same = park.stages[sid].chain
        for up in park.stage_ids:
            if park.stages[up].chain == same and up not in out and chain.is_upstream(up, sid):
                place(up)
        out.append(sid)

    for c in (*CHAINS, *sorted({s.chain for s in park.stages.values()} - set(CHAINS))):
        for sid in park.stage_ids:
            if park.stages[sid].chain == c:
                place(sid)
    return out


def present_stages(stocks: Sequence[Row]) -> list[str]:
    """Stages the park has: a capacity above zero recorded, or a source naming the stage."""
    return [
        str(r["stage"])
        for r in stocks
        if (r["presence"] == "recorded" and float(r["value"]) > 0)
        or r["presence"] == "reported_no_capacity"
    ]


def needed_stages(park: Park, present: Sequence[str], scenario: Scenario | None) -> list[str]:
    """Stages the park's chain needs: those it has, and every input they take, however far up.

    Inputs follow the scenario's technology mix (:func:`model.gaps.scenario_intensity`):
    the cabinets of an all-LFP mix need LFP cells, PCS, EMS and thermal management but no
    sodium-ion cells. In ``park.stage_ids`` order.
    """
    a = scenario_intensity(park, scenario)
    n = a.shape[0]
    total = np.linalg.inv(np.eye(n) - a) - np.eye(n)
    have = [park.stage_ids.index(s) for s in present]
    need = set(have)
    for j in have:
        need.update(int(i) for i in np.flatnonzero(total[:, j] > 1e-12))
    return [park.stage_ids[i] for i in sorted(need)]


# ---------------------------------------------------------------------------
# sources
# ---------------------------------------------------------------------------
def record_note(park: Park, row: Row, lang: str) -> str:
    """Where a stocks row comes from: source (id and title), record, its as-of and recorded dates."""
    lang = norm_lang(lang)
    if row["presence"] == "recorded":
        return t(
            "ov_source_line",
            lang,
            source=source_title(park, row.get("source")),
            record=row.get("record_id") or "–",
            quantity=quantity(float(row["value"]), str(row["unit"]), lang),
            as_of=row.get("as_of") or "–",
            recorded=row.get("recorded") or "–",
        )
    if row["presence"] == "reported_no_capacity":
        return t("ov_source_presence", lang, source=source_title(park, row.get("source")))
    return t("ov_source_none", lang)


def users_note(park: Park, stage: str, stocks: Sequence[Row], lang: str) -> str:
    """The records of the present stages that take ``stage`` as a direct input ("" if none)."""
    by_stage = {str(r["stage"]): r for r in stocks}
    present = set(present_stages(stocks))
    lines = [
        f"{park.stages[j].name(lang)} — {record_note(park, by_stage[j], lang)}"
        for j in park.stage_ids
        if j in present and stage in park.chain.inputs_of(j)
    ]
    return t("ov_source_users", lang, lines=" | ".join(lines)) if lines else ""


def stage_note(park: Park, stage: str, stocks: Sequence[Row], lang: str) -> str:
    """A stage's own record and, where it has users in the park, theirs."""
    row = next(r for r in stocks if r["stage"] == stage)
    users = users_note(park, stage, stocks, lang)
    return record_note(park, row, lang) + (f"\n{users}" if users else "")


# ---------------------------------------------------------------------------
# headline cards
# ---------------------------------------------------------------------------
def _ties(rows: Sequence[Row], key: str) -> list[Row]:
    """The rows whose ``key`` equals the first row's (within :data:`TIE`), first included."""
    if not rows:
        return []
    top = float(rows[0][key])
    return [r for r in rows if abs(float(r[key]) - top) <= TIE * max(abs(top), 1.0)]


def biggest_gap(table: Sequence[Row], order: Sequence[str]) -> list[Row]:
    """The stages with the largest supply-chain gap in cell-GWh-eq (ties in chain order).

    The gap is what the park's plants need of the stage minus local supply
    (``gap_cell_gwh_eq``); empty if no stage falls short. The photovoltaic chain, measured
    in GW of wafers, is never compared with it.
    """
    pos = {s: k for k, s in enumerate(order)}
    short = [r for r in table if r["gap_cell_gwh_eq"] is not None and r["gap_cell_gwh_eq"] > 0]
    short.sort(key=lambda r: (-float(r["gap_cell_gwh_eq"]), pos.get(r["stage"], 0)))
    return _ties(short, "gap_cell_gwh_eq")


def top_targets(table: Sequence[Row], order: Sequence[str]) -> list[Row]:
    """The first investment target(s) of :func:`model.gaps.investment_targets` (cell-eq rank).

    Stages tied with the first are returned with it, in chain order.
    """
    pos = {s: k for k, s in enumerate(order)}
    targets = [r for r in investment_targets(table) if r["score"] is not None]
    tied = _ties(targets, "score")
    return sorted(tied, key=lambda r: pos.get(r["stage"], 0))


def _ties_text(rows: Sequence[Row], lang: str) -> str:
    if len(rows) < 2:
        return ""
    names = t("ov_list_sep", lang).join(short_name(str(r["name"]), lang) for r in rows[1:])
    return t("ov_ties", lang, n=len(rows) - 1, names=names)


def headline(
    park: Park,
    stocks: Sequence[Row],
    table: Sequence[Row],
    scenario: Scenario | None,
    lang: str,
    scenario_title: str = "",
) -> list[dict[str, str]]:
    """The four headline cards: cells, stages present, biggest gap, top investment target.

    Parameters
    ----------
    park, stocks
        The park and its stocks on the data's date (:func:`model.tracking.stock_table`).
    table
        Gap table (nameplate basis) of ``scenario`` at one quarter, stage names in ``lang``.
    scenario
        Its technology mix decides which inputs the chain needs.
    lang
        ``"zh"`` or ``"en"``.
    scenario_title
        How the scenario is named on the cards.

    Returns
    -------
    list of dict
        ``key`` (``cells``, ``stages``, ``gap``, ``target``), ``label``, ``value`` (the
        number with its unit, or the stage), ``figure`` (the stage's gap in GWh/a of cells,
        or ``""``), ``sub`` (what it is), ``ties`` and ``source`` (where it
        comes from: source title and id, record, as-of and recorded dates).
    """
    lang = norm_lang(lang)
    order = stage_order(park)
    by_stage = {str(r["stage"]): r for r in stocks}
    quarter = str(table[0]["quarter"]) if table else "–"
    model_note = t("ov_source_model", lang, scenario=scenario_title, quarter=quarter)

    cells = by_stage.get("lfp_cell")
    recorded = cells is not None and cells["presence"] == "recorded"
    cards = [
        {
            "key": "cells",
            "label": t("ov_card_cells", lang),
            "value": quantity(float(cells["value"]), "GWh", lang)
            if recorded and cells is not None
            else t("ov_card_cells_none", lang),
            "sub": t("ov_card_cells_sub", lang, date=cells["as_of"])
            if recorded and cells is not None
            else "",
            "figure": "",
            "ties": "",
            "source": record_note(park, cells, lang) if cells is not None else "",
        }
    ]

    present = present_stages(stocks)
    needed = needed_stages(park, present, scenario)
    status = {str(r["stage"]): r["status"] for r in table}
    sources = sorted({str(by_stage[s]["source"]) for s in present if by_stage[s].get("source")})
    cards.append(
        {
            "key": "stages",
            "label": t("ov_card_stages", lang),
            "value": f"{len([s for s in needed if s in present])} / {len(needed)}",
            "sub": t(
                "ov_card_stages_sub",
                lang,
                absent=len([s for s in needed if s not in present]),
                short=sum(status.get(s) == "short" for s in needed),
            ),
            "figure": "",
            "ties": "",
            "source": t(
                "ov_source_stages",
                lang,
                date=max((str(by_stage[s].get("as_of") or "") for s in present), default="–"),
                sources="; ".join(source_title(park, s) for s in sources),
            )
            + f"\n{model_note}",
        }
    )

    gap = biggest_gap(table, order)
    sub = t("ov_card_gap_sub", lang, scenario=scenario_title, quarter=quarter)
    cards.append(
        {
            "key": "gap",
            "label": t("ov_card_gap", lang),
            "value": _title(str(gap[0]["name"]), lang) if gap else t("ov_card_none", lang),
            "figure": t("ov_eq_cell", lang, value=number(gap[0]["gap_cell_gwh_eq"])) if gap else "",
            "sub": sub,
            "ties": _ties_text(gap, lang),
            "source": (stage_note(park, str(gap[0]["stage"]), stocks, lang) if gap else "")
            + f"\n{model_note}",
        }
    )

    top = top_targets(table, order)
    first = top[0] if top else None
    cards.append(
        {
            "key": "target",
            "label": t("ov_card_target", lang),
            "value": _title(str(first["name"]), lang)
            if first is not None
            else t("ov_card_none", lang),
            "figure": t("ov_eq_cell", lang, value=number(first["ranked_gap_cell_gwh_eq"]))
            if first is not None
            else "",
            "sub": t(
                "ov_card_target_sub",
                lang,
                to_close=quantity(float(first["to_close"]), str(first["unit"]), lang),
            )
            if first is not None
            else "",
            "ties": _ties_text(top, lang),
            "source": (stage_note(park, str(first["stage"]), stocks, lang) if first else "")
            + f"\n{model_note}",
        }
    )
    return cards


# ---------------------------------------------------------------------------
# the chain strip
# ---------------------------------------------------------------------------
def coverage(row: Row, lang: str) -> str:
    """A tile's figure: local supply against what the park's plants need, in equivalents.

    Cell-GWh-eq for the storage chains, GW-of-wafers-eq for the photovoltaic chain; where
    nothing in the park needs the stage, its own capacity (e.g. ``"2.5万吨/年"``); ``""``
    where it has neither.
    """
    lang = norm_lang(lang)
    if row["demand_cell_gwh_eq"] is not None and row["demand_cell_gwh_eq"] > 0:
        return t(
            "ov_cov_cell",
            lang,
            supply=number(row["supply_cell_gwh_eq"]),
            demand=number(row["demand_cell_gwh_eq"]),
        )
    if row.get("demand_wafer_gw_eq") is not None and row["demand_wafer_gw_eq"] > 0:
        return t(
            "ov_cov_wafer",
            lang,
            supply=number(row["supply_wafer_gw_eq"]),
            demand=number(row["demand_wafer_gw_eq"]),
        )
    if row["supply"] > 0:
        return t(
            "ov_cov_own", lang, capacity=quantity(float(row["supply"]), str(row["unit"]), lang)
        )
    return ""


def chain_strip(
    park: Park,
    stocks: Sequence[Row],
    table: Sequence[Row],
    lang: str,
    needed: Collection[str] = (),
) -> list[dict[str, Any]]:
    """The stage tiles grouped by chain, upstream first.

    A stage in ``needed`` (:func:`needed_stages`) that nothing in the park draws on yet —
    the electrolyte's salt while there is no electrolyte plant, the cabinets' PCS while
    their capacity is not reported — says so instead of showing no figure.

    Returns
    -------
    list of dict
        One per chain: ``chain``, ``label``, ``quiet`` (no stage of the chain is in the
        park or needed by it) and ``tiles``, each ``stage``, ``name``, ``status`` (of
        :func:`model.gaps.gap_table`), ``status_text``, ``coverage`` and ``source``.
    """
    lang = norm_lang(lang)
    rows = {str(r["stage"]): r for r in table}
    groups: list[dict[str, Any]] = []
    for sid in stage_order(park):
        row = rows.get(sid)
        if row is None:
            continue
        chain = park.stages[sid].chain
        if not groups or groups[-1]["chain"] != chain:
            groups.append(
                {"chain": chain, "label": t(f"chain_{chain}", lang), "quiet": True, "tiles": []}
            )
        groups[-1]["tiles"].append(
            {
                "stage": sid,
                "name": park.stages[sid].name(lang),
                "status": row["status"],
                "status_text": t(f"status_{row['status']}", lang),
                "coverage": coverage(row, lang)
                or (t("ov_needed_later", lang) if sid in needed else ""),
                "source": stage_note(park, sid, stocks, lang),
            }
        )
        if row["status"] != "not_needed" or row["supply"] > 0:
            groups[-1]["quiet"] = False
    return groups


# ---------------------------------------------------------------------------
# the folded stocks table
# ---------------------------------------------------------------------------
def stocks_rows_ordered(park: Park, stocks: Sequence[Row], lang: str) -> list[dict[str, str]]:
    """Rows of the full stocks table: recorded stages first, then reported, then absent.

    Each row is :func:`dashboard.views.stocks_rows`'s with ``presence`` added (the table
    greys out ``"absent"`` rows); chain order within each group.
    """
    rank = {"recorded": 0, "reported_no_capacity": 1, "absent": 2}
    pos = {s: k for k, s in enumerate(stage_order(park))}
    ordered = sorted(stocks, key=lambda r: (rank.get(str(r["presence"]), 3), pos[r["stage"]]))
    return [
        {**row, "presence": str(r["presence"])}
        for r, row in zip(ordered, stocks_rows(park, ordered, lang), strict=True)
    ]
