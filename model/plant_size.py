"""The typical plant of a stage, and a gap said in plants of that size (zh/en).

For investment-attraction staff (招商) a gap is easiest to act on as "about two plants of
5万吨/年". The typical plant size of a stage (:func:`typical_plant`) comes from the data,
never from code: first the ``plant_size`` of ``data/economics.csv`` (the median of the
announced plants the reference cites, with their smallest and largest), else the size of
the stage's pipeline project (the median one if several), else the park's existing
capacity of the stage taken as one line; the last two are said to be assumptions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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
