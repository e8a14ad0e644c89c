"""One investment target as a one-page brief (zh/en) for investment-attraction staff (招商).

A target of :func:`model.gaps.investment_targets` becomes a self-contained HTML page: the
stage, its gap, the probability of a shortfall, the capacity to recruit, that capacity in
plant-sized units, the matching pipeline projects, the sources of the figures, and the
scenario, quarter and date it was made. Inline CSS, no script, nothing fetched: it opens
offline and prints on one A4 page.

The typical plant size of a stage (:func:`typical_plant`) comes from the data, never from
code: first the ``plant_size`` of ``data/economics.csv`` (the median of the announced plants
the reference cites, with their smallest and largest), else the size of the stage's
pipeline project (the median one if several), else the park's existing capacity of the
stage taken as one line; the last two are said to be assumptions.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from model.catalogue import t
from model.economics import plant_size
from model.park import Park
from model.pipeline import Project
from model.units import Q_, format_quantity

#: where a typical plant size was taken from, in the order :func:`typical_plant` tries them
PLANT_BASES = ("economics", "project", "existing")


@dataclass(frozen=True)
class PlantSize:
    """A typical plant of a stage: its annual capacity and where that figure comes from.

    Attributes
    ----------
    value
        Annual capacity of one plant, in the stage's canonical unit per year.
    unit
        The stage's canonical unit (``"t"``, ``"m**2"``, ``"GWh"``).
    basis
        ``"economics"`` (the median of announced plants, ``economics.csv``), ``"project"``
        (a pipeline project of the stage) or ``"existing"`` (the park's recorded capacity
        of the stage, taken as one line).
    ref
        The ``economics.csv`` row (``"economics.csv:<row>"``), the project id or the
        capacity record id.
    source
        The source id the figure cites.
    name_zh, name_en
        The project's name (empty for the other bases).
    low, high
        The smallest and largest announced plant (``"economics"`` only; else ``value``),
        in the same unit as ``value``.
    plants
        How many announced plants ``low`` … ``high`` cover (``"economics"``; else 1).
    sources
        Every source id behind the figure (the row's source and the ids its assumption
        cites); ``(source,)`` for the other bases.
    """

    value: float
    unit: str
    basis: str
    ref: str
    source: str
    name_zh: str = ""
    name_en: str = ""
    low: float | None = None
    high: float | None = None
    plants: int = 1
    sources: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        """The project's name in ``lang`` (``""`` for an existing line)."""
        return self.name_zh if lang == "zh" else self.name_en


def matching_projects(park: Park, stage: str) -> list[Project]:
    """The pipeline projects (``projects.csv``) that would add capacity to ``stage``, largest first."""
    return sorted((p for p in park.projects if p.stage == stage), key=lambda p: (-p.value, p.id))


def typical_plant(park: Park, stage: str) -> PlantSize | None:
    """A typical plant size for ``stage``, with where it comes from; ``None`` if none is known.

    In this order:

    1. ``"economics"``: the stage's ``plant_size`` in ``economics.csv``, its central value
       (the median of the announced plants the reference gives), with the smallest and
       largest plant and how many there are;
    2. ``"project"``: the median-sized pipeline project of the stage (the larger of the
       two middle ones), an assumption;
    3. ``"existing"``: the park's capacity record in force at the data's date (as known to
       ``park``: use :meth:`model.park.Park.as_known_on` first), taken as one line, an
       assumption.

    A sourced market-wide size comes first: it is the yardstick for recruiting new
    investors, while the park's own projects are listed beside it on every card and brief.

    Parameters
    ----------
    park
        The park (its economics, projects and capacity records).
    stage
        Stage id.

    Returns
    -------
    PlantSize or None
        ``value`` (and ``low``, ``high``) in the stage's canonical unit per year
        (``unit`` is the stage's unit: ``"t"`` means tonnes a year).
    """
    param = plant_size(park, stage)
    if param is not None and stage in park.stages:
        return PlantSize(
            param.central,
            park.stages[stage].unit,
            "economics",
            f"economics.csv:{param.line}",
            param.source,
            low=param.low,
            high=param.high,
            plants=param.plants or 1,
            sources=param.cited(),
        )
    projects = [p for p in matching_projects(park, stage) if p.value > 0]
    if projects:
        p = projects[(len(projects) - 1) // 2]
        return PlantSize(
            p.value, p.unit, "project", p.id, p.source, p.name_zh, p.name_en, sources=(p.source,)
        )
    if not park.capacity_records:
        return None
    record = park.capacity_as_of(park.latest_date()).get(stage)
    if record is None or record.value <= 0:
        return None
    return PlantSize(
        record.value,
        record.unit,
        "existing",
        record.record_id,
        record.source,
        sources=(record.source,),
    )


def plants_needed(to_close: float, plant: PlantSize | None) -> float | None:
    """How many typical plants ``to_close`` (stage unit per year) makes; ``None`` without a size."""
    if plant is None or plant.value <= 0 or not math.isfinite(to_close):
        return None
    return max(to_close, 0.0) / plant.value


def plant_count(ratio: float) -> int:
    """Whole plants for a gap of ``ratio`` typical plants: the nearest, at least 1 when short.

    The exact ratio is shown beside it (``约 2 个 … （缺口为单个项目的 2.05 倍）``).
    """
    return max(1, math.floor(ratio + 0.5)) if ratio > 0 else 0


def rate(value: float | None, unit: str, lang: str) -> str:
    """An annual rate for a reader: ``"5万吨/年"``, ``"50,000 t/a"``; ``"–"`` for none."""
    if value is None or not math.isfinite(value):
        return "–"
    return format_quantity(Q_(float(value), unit), lang, digits=3) + t("ui_per_year_suffix", lang)


def span(low: float, high: float, unit: str, lang: str) -> str:
    """A range of annual rates, the rate unit said once: ``"4万吨–10万吨/年"``."""
    if low == high:
        return rate(low, unit, lang)
    first = format_quantity(Q_(float(low), unit), lang, digits=3)
    return (
        f"{first}–{rate(high, unit, lang)}"
        if lang == "zh"
        else f"{first} – {rate(high, unit, lang)}"
    )


def plant_text(to_close: float, plant: PlantSize | None, lang: str) -> str:
    """The capacity to recruit in plant-sized units, e.g. ``"约 2 个 5万吨/年 规模的项目"``.

    A gap under half a plant says what share of one plant it is (``"1 个 20万吨/年 规模的
    项目即可覆盖（缺口仅为其产能的 3.5%）"``); a gap of about one plant is said in the
    singular.
    """
    ratio = plants_needed(to_close, plant)
    if plant is None or ratio is None:
        return t("chain_plants_unknown", lang)
    if 0 < ratio < 0.5:
        return t(
            "chain_plants_fraction",
            lang,
            size=rate(plant.value, plant.unit, lang),
            share=f"{100 * ratio:.2g}%" if ratio >= 0.001 else "<0.1%",
        )
    n = plant_count(ratio)
    return t(
        "chain_plants_one" if n == 1 else "chain_plants",
        lang,
        n=n,
        size=rate(plant.value, plant.unit, lang),
        ratio=f"{ratio:.3g}",
    )


def plant_basis_text(plant: PlantSize | None, lang: str) -> str:
    """Where the plant size comes from, in ``lang``.

    Announced plants (how many, smallest–largest, the row's source), or, said as an
    assumption, the pipeline project or the existing line.
    """
    if plant is None:
        return t("chain_plant_basis_none", lang)
    if plant.basis == "economics":
        low = plant.value if plant.low is None else plant.low
        high = plant.value if plant.high is None else plant.high
        return t(
            "chain_plant_basis_economics"
            if plant.plants > 1
            else "chain_plant_basis_economics_one",
            lang,
            n=plant.plants,
            range=span(low, high, plant.unit, lang),
            source=plant.source,
        )
    return t(f"chain_plant_basis_{plant.basis}", lang, ref=plant.ref, name=plant.name(lang))


def source_label(park: Park, source: str, lang: str) -> str:
    """A source for a reader: its id and date, and in English its title.

    The Chinese text keeps to the id and date: titles in ``sources.csv`` mix languages.
    """
    if source.startswith("recipes.csv:"):
        return t("chain_recipe_assumption", lang, row=source.partition(":")[2])
    src = park.sources.get(source)
    if src is None:
        return source
    when = src.date.isoformat() if src.date else t("chain_undated", lang)
    if lang == "zh":
        return f"{src.id}（{when}）"
    return f"{src.id} ({when}): {src.title}"


def target_sources(park: Park, target: Mapping[str, Any]) -> list[str]:
    """Source ids behind a target's figures: capacity records, recipe lines, projects, plants.

    The capacity record in force for the stage, the recipe lines that take the stage as
    input (its need; a line without a source is an assumption, named
    ``"recipes.csv:<row>"``), the pipeline projects of the stage, and the announced plants
    behind its typical plant size (``economics.csv``); each once, in order.
    """
    stage = str(target["stage"])
    ids: list[str] = []
    if park.capacity_records:
        record = park.capacity_as_of(park.latest_date()).get(stage)
        if record is not None:
            ids.append(record.source)
    ids += [rl.source or f"recipes.csv:{rl.line}" for rl in park.recipes if rl.input == stage]
    ids += [p.source for p in matching_projects(park, stage)]
    plant = typical_plant(park, stage)
    if plant is not None:
        ids += plant.sources
    return list(dict.fromkeys(i for i in ids if i))


_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;
margin:18mm;color:#222;line-height:1.5;max-width:180mm}
h1{font-size:20px;margin:0 0 4px}.sub{color:#555;font-size:13px;margin:0 0 14px}
table{border-collapse:collapse;width:100%;margin:8px 0 14px;font-size:14px}
th,td{border-bottom:1px solid #ddd;padding:5px 6px;text-align:left;vertical-align:top}
th{width:38%;color:#444;font-weight:600}.big{font-size:18px;font-weight:700}
.status{display:inline-block;padding:1px 8px;border-radius:9px;color:#fff;font-size:12px}
h2{font-size:15px;margin:14px 0 4px}ul{margin:4px 0 10px;padding-left:20px;font-size:13px}
.note{font-size:12px;color:#555}@media print{body{margin:12mm}}
"""

#: colours of the status badge (the same as the app's gap bars)
_BADGE = {
    "short": "#d62728",
    "missing": "#8c1c13",
    "unreported": "#ff9896",
    "surplus": "#2ca02c",
    "balanced": "#7f7f7f",
    "not_needed": "#c7c7c7",
}


def target_brief(
    park: Park,
    target: Mapping[str, Any],
    *,
    lang: str,
    scenario_name: str,
    scenario_title: str,
    made_on: date,
    known_as_of: date | None = None,
) -> str:
    """A one-page HTML brief of one investment target, in ``lang``.

    Parameters
    ----------
    park
        The park the target was computed from (as known on ``known_as_of``).
    target
        One record of :func:`model.gaps.investment_targets` (``stage``, ``name``, ``unit``,
        ``status``, ``rank``, ``ranked_gap``, ``ranked_gap_cell_gwh_eq``, ``p_short``,
        ``to_close``, ``supply``, ``demand``, ``quarter``, ``basis``, ``boundary``).
    lang
        ``"zh"`` or ``"en"``: every word of the page is in it, apart from units and ids.
    scenario_name, scenario_title
        The scenario's file name (an id) and its title in ``lang``.
    made_on
        The date printed as the brief's date.
    known_as_of
        The "as known on" date of the records, if one was chosen.

    Returns
    -------
    str
        A complete HTML document (UTF-8 text): inline CSS, no script, no external asset.
        Every text taken from the data files is escaped.
    """
    e = html.escape
    stage = str(target["stage"])
    unit = str(target["unit"])
    name = park.stages[stage].name(lang) if stage in park.stages else str(target["name"])
    plant = typical_plant(park, stage)
    own = target.get("reference") == stage  # a product is its own yardstick: no ≈
    eq = None if own else target.get("ranked_gap_cell_gwh_eq")
    wafer = None if own else target.get("ranked_gap_wafer_gw_eq")
    status = str(target["status"])
    rows = [
        (t("chain_brief_stage", lang), f"{e(name)} <span class='note'>({e(stage)})</span>"),
        (
            t("status", lang),
            f"<span class='status' style='background:{_BADGE.get(status, '#7f7f7f')}'>"
            f"{e(t('status_' + status, lang))}</span>",
        ),
        (t("supply", lang), e(rate(target.get("supply"), unit, lang))),
        (t("ui_need", lang), e(rate(target.get("demand"), unit, lang))),
        (
            t("chain_brief_gap", lang),
            e(rate(target.get("ranked_gap"), unit, lang))
            + (f" ≈ {e(rate(eq, 'GWh', lang))} {e(t('chain_cell_eq_note', lang))}" if eq else "")
            + (
                f" ≈ {e(rate(wafer, 'GW', lang))} {e(t('chain_wafer_eq_note', lang))}"
                if wafer
                else ""
            ),
        ),
        (t("p_short", lang), f"<span class='big'>{100 * float(target['p_short']):.0f}%</span>"),
        (
            t("to_close", lang),
            f"<span class='big'>{e(rate(target.get('to_close'), unit, lang))}</span>",
        ),
        (
            t("chain_brief_plants", lang),
            e(plant_text(float(target.get("to_close") or 0.0), plant, lang))
            + (
                f"<br><span class='note'>{e(plant_basis_text(plant, lang))}</span>"
                if plant is not None
                else ""
            ),
        ),
    ]
    projects = matching_projects(park, stage)
    project_items = [
        f"<li>{e(p.name(lang))} <span class='note'>({e(p.id)})</span>: "
        f"{e(rate(p.value, p.unit, lang))}, {e(t('chain_project_status_' + p.status, lang))}"
        f"<span class='note'> · {e(source_label(park, p.source, lang))}</span></li>"
        for p in projects
    ] or [f"<li>{e(t('chain_no_projects', lang))}</li>"]
    sources = [
        f"<li>{e(source_label(park, s, lang))}</li>" for s in target_sources(park, target)
    ] or [f"<li>{e(t('chain_no_sources', lang))}</li>"]
    context = t(
        "chain_brief_context",
        lang,
        scenario=scenario_title,
        name=scenario_name,
        quarter=str(target.get("quarter", "")),
        basis=t(f"ui_basis_{target.get('basis', 'nameplate')}", lang),
        boundary=t(f"ui_boundary_{target.get('boundary', 'park')}", lang),
    )
    known = (
        t("chain_brief_known", lang, date=known_as_of.isoformat())
        if known_as_of is not None
        else t("chain_brief_known_all", lang)
    )
    body = "".join(f"<tr><th>{e(k)}</th><td>{v}</td></tr>" for k, v in rows)
    title = t("chain_brief_title", lang, rank=int(target.get("rank", 0)), name=name)
    return (
        f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head>"
        "<meta charset='utf-8'><meta name='viewport' content='width=device-width'>"
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{e(title)}</h1>"
        f"<p class='sub'>{e(context)}<br>{e(known)} · "
        f"{e(t('chain_brief_made', lang, date=made_on.isoformat()))}</p>"
        f"<table>{body}</table>"
        f"<h2>{e(t('chain_projects', lang))}</h2><ul>{''.join(project_items)}</ul>"
        f"<h2>{e(t('chain_sources', lang))}</h2><ul>{''.join(sources)}</ul>"
        f"<p class='note'>{e(t('chain_brief_method', lang))}</p>"
        "</body></html>"
    )


def brief_filename(target: Mapping[str, Any], lang: str) -> str:
    """The download's file name: ``brief-<rank>-<stage>-<quarter>-<lang>.html`` (ids only)."""
    safe = "".join(c for c in str(target["stage"]) if c.isalnum() or c in "_-")[:40]
    quarter = "".join(c for c in str(target.get("quarter", "")) if c.isalnum())[:8]
    return f"brief-{int(target.get('rank', 0))}-{safe}-{quarter}-{lang}.html"
