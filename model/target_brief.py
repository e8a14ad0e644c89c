"""One investment target as a one-page brief (zh/en) for investment-attraction staff (招商).

A target of :func:`model.gaps.investment_targets` becomes a self-contained HTML page: the
stage, its gap, the probability of a shortfall, the capacity to recruit, that capacity in
plant-sized units, the matching pipeline projects, the sources of the figures, and the
scenario, quarter and date it was made. Inline CSS, no script, nothing fetched: it opens
offline and prints on one A4 page.

The plant-sized units come from :mod:`model.plant_size`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import date
from typing import Any

from model.catalogue import t
from model.park import Park
from model.plant_size import (
    matching_projects,
    plant_basis_text,
    plant_text,
    rate,
    typical_plant,
)


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
