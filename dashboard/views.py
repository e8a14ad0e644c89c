"""Pure builders of the tables the pages show: rows of plain strings.

Every quantity is written with its unit. No Dash, no state; tested as plain functions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from dashboard.i18n import norm_lang, number, quantity
from model import quarters
from model.catalogue import t
from model.park import Park
from model.pipeline import ACTIVE
from model.units import display_unit, rate_unit

#: unit of cell-equivalent values (GWh a year of the reference product), as shown
CELL_EQ_UNIT = display_unit(rate_unit("GWh"))


def source_title(park: Park, source_id: str | None) -> str:
    """``"id: title"`` of a source, or the id alone if unknown, or ``"–"``."""
    if not source_id:
        return "–"
    src = park.sources.get(source_id)
    title = getattr(src, "title", "") if src is not None else ""
    return f"{source_id}: {title}" if title else source_id


def stocks_rows(park: Park, rows: Sequence[Mapping[str, Any]], lang: str) -> list[dict[str, str]]:
    """Rows of the capacity-stock table from ``model.tracking.stock_table``.

    Each row: stage, chain, capacity with its unit (per year), cell-GWh-eq with its
    yardstick, date and source.
    """
    lang = norm_lang(lang)
    out = []
    for r in rows:
        if r["presence"] == "recorded":
            cap = quantity(r["value"], str(r["unit"]), lang)
        elif r["presence"] == "reported_no_capacity":
            cap = t("no_capacity_reported", lang)
        else:
            cap = t("no_record", lang)
        ref = r.get("reference")
        eq = r.get("cell_gwh_eq")
        out.append(
            {
                "stage": str(r["name"]),
                "chain": t(f"chain_{r['chain']}", lang),
                "capacity": cap,
                "cell_eq": "–"
                if eq is None or r["presence"] != "recorded"
                else f"{number(eq)} {CELL_EQ_UNIT} ({park.stages[ref].name(lang) if ref else ''})",
                "as_of": str(r.get("as_of") or "–"),
                "source": source_title(park, r.get("source")),
            }
        )
    return out


def growth_rows(park: Park, lang: str) -> list[dict[str, str]]:
    """The growth indicators: subject, year, the text as printed and the increase it means.

    For example the text ``增长1.3倍`` means ``+130 %``, i.e. 2.3 times the previous year.
    """
    lang = norm_lang(lang)
    return [
        {
            "subject": g.name_zh if lang == "zh" else g.name_en,
            "year": str(g.year),
            "text": g.text,
            "increase": f"+{100 * g.increase:.1f} %".replace(".0 %", " %"),
            "ratio": t("ui_ratio", lang, ratio=f"{1 + g.increase:.3g}"),
            "source": source_title(park, g.source),
        }
        for g in park.growth
    ]


def facts_rows(park: Park, lang: str) -> list[dict[str, str]]:
    """Counted facts (74 projects in 2023, 10 reserve storage projects) with their sources."""
    lang = norm_lang(lang)
    return [
        {
            "fact": f.name_zh if lang == "zh" else f.name_en,
            "value": f"{f.value:,.0f} {t('ui_projects_unit', lang)}",
            "year": str(f.year),
            "source": source_title(park, f.source),
        }
        for f in park.facts
    ]


def pipeline_by_status(park: Park, lang: str) -> list[dict[str, str]]:
    """Number of pipeline projects per status, in the order of ``status_params.csv``."""
    lang = norm_lang(lang)
    counts = Counter(p.status for p in park.projects)
    return [
        {"status": sp.name(lang), "count": str(counts[s])}
        for s, sp in park.status_params.items()
        if counts[s]
    ]


def pipeline_by_stage(park: Park, lang: str) -> list[dict[str, str]]:
    """Pipeline capacity per stage (active projects only), with the stage's unit."""
    lang = norm_lang(lang)
    total: dict[str, float] = defaultdict(float)
    n: Counter[str] = Counter()
    for p in park.projects:
        if p.status in ACTIVE:
            total[p.stage] += p.value
            n[p.stage] += 1
    return [
        {
            "stage": park.stages[s].name(lang),
            "projects": str(n[s]),
            "capacity": quantity(total[s], park.stages[s].unit, lang),
        }
        for s in park.stage_ids
        if s in total
    ]


def pipeline_grid_rows(park: Park, lang: str) -> list[dict[str, str]]:
    """Rows of the project grid: one per pipeline project, every field a display string."""
    lang = norm_lang(lang)
    rows = []
    for p in park.projects:
        start = (
            quarters.label(p.expected_start)
            if p.expected_start is not None
            else t("ui_start_derived", lang)
        )
        rows.append(
            {
                "id": p.id,
                "name": p.name(lang),
                "company": p.company or "–",
                "stage": park.stages[p.stage].name(lang),
                "technology": t(f"tech_{p.technology}", lang),
                "capacity": quantity(p.value, p.unit, lang),
                "capacity_value": p.value,
                "unit": p.unit,
                "status": park.status_params[p.status].name(lang),
                "announced": p.announced.isoformat(),
                "expected_start": start,
                "source": source_title(park, p.source),
                "assumption": p.assumption or "–",
            }
        )
    return rows


def differences_rows(
    diffs: Sequence[Mapping[str, Any]], names: Sequence[str]
) -> list[dict[str, str]]:
    """Rows of the table of differing inputs (``model.scenario.differences``).

    Each row: the dotted key and each scenario's value as text.
    """
    out = []
    for d in diffs:
        row = {"key": str(d["key"])}
        for n in names:
            v = d["values"].get(n)
            row[n] = "–" if v is None else str(v)
        out.append(row)
    return out
