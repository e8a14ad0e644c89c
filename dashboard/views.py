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
from model.units import display_unit, rate_unit, spell_unit

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


#: sort keys of the pipeline grid's capacity column: storage stages by cell-GWh-eq,
#: then photovoltaic stages by GW-of-wafers-eq from here on, then stages with neither
#: yardstick by their own number from :data:`OTHER_SORT` on (ascending: storage first)
PV_SORT = 1e7
OTHER_SORT = 2e7


def pipeline_grid_rows(park: Park, lang: str) -> list[dict[str, Any]]:
    """Rows of the project grid: one per pipeline project.

    Every field is a display string, except ``capacity_sort``, the number the grid's
    capacity column sorts by, so that 5万吨 of cathode and 20 GWh of cells compare on
    one yardstick (:mod:`model.chain`): a storage stage's nameplate in cell-GWh-eq a year
    (GWh of its reference storage product the capacity could supply); a photovoltaic
    stage's in GW-of-wafers-eq a year plus :data:`PV_SORT`; a stage with neither in its
    own unit plus :data:`OTHER_SORT`. The shown ``capacity`` keeps the project's own unit
    (``"5万吨/年"``), ``capacity_eq`` says the yardstick's value (``"折合电芯 25 GWh/年"``);
    ``capacity_value`` and ``unit`` are the canonical number and its unit spelled for
    ``lang``; ``source_id`` the source's id alone (``source`` adds its title).
    """
    lang = norm_lang(lang)
    chain = park.chain
    rows: list[dict[str, Any]] = []
    for p in park.projects:
        start = (
            quarters.label(p.expected_start)
            if p.expected_start is not None
            else t("ui_start_derived", lang)
        )
        cell = float(chain.cell_equivalent(p.stage, p.value))
        wafer = float(chain.wafer_equivalent(p.stage, p.value)) if cell != cell else cell
        if cell == cell:
            key, eq = cell, t("ui_pipeline_cell_eq", lang, value=quantity(cell, "GWh", lang))
        elif wafer == wafer:
            key = PV_SORT + wafer
            eq = t("ui_pipeline_wafer_eq", lang, value=quantity(wafer, "GW", lang))
        else:
            key, eq = OTHER_SORT + float(p.value), "–"
        rows.append(
            {
                "id": p.id,
                "name": p.name(lang),
                "company": p.company or "–",
                "stage": park.stages[p.stage].name(lang),
                "technology": t(f"tech_{p.technology}", lang),
                "capacity": quantity(p.value, p.unit, lang),
                "capacity_sort": round(key, 6),
                "capacity_eq": eq,
                "capacity_value": p.value,
                "unit": spell_unit(rate_unit(p.unit), lang),
                "status": park.status_params[p.status].name(lang),
                "announced": p.announced.isoformat(),
                "expected_start": start,
                "source": source_title(park, p.source),
                "source_id": p.source or "–",
                "assumption": p.assumption or "–",
            }
        )
    return rows


#: levers of ``demand`` written as a growth a year, a spread, or a [low, high] share
_DEMAND_RATES = ("growth", "power_growth")
_DEMAND_SPREADS = ("growth_spread", "power_growth_spread")
_DEMAND_RANGES = ("storage_share", "start_utilisation")


def _percent(value: float, lang: str, sign: bool = False) -> str:
    """``0.3`` -> ``30%`` (zh) or ``30 %`` (en); ``sign``: ``+20 %``."""
    text = f"{100 * float(value):.3g}"
    if sign and float(value) > 0:
        text = "+" + text
    return text + ("%" if lang == "zh" else " %")


def _share_range(value: Sequence[float], lang: str) -> str:
    """``[0.55, 0.85]`` -> ``55–85%`` (zh) or ``55–85 %`` (en)."""
    lo, hi = (f"{100 * float(v):.3g}" for v in value)
    return f"{lo}–{hi}" + ("%" if lang == "zh" else " %")


def _status_name(park: Park | None, status: Any, lang: str) -> str:
    """A status id (``permitted``) by its name in ``status_params.csv`` (备案/环评)."""
    sp = park.status_params.get(str(status)) if park is not None else None
    return sp.name(lang) if sp is not None else str(status)


def _capacity(text: str, lang: str) -> str:
    """A project's capacity as written in a scenario file (``20GWh``) the way tables write it."""
    from model.units import format_quantity, parse_quantity

    try:
        return format_quantity(parse_quantity(text), lang, digits=3) + t("ui_per_year_suffix", lang)
    except (ValueError, TypeError):
        return str(text)


def input_in_words(key: str, value: Any, park: Park | None, lang: str) -> tuple[str, str]:
    """One differing scenario input (a dotted key of ``model.scenario.flatten``) in words.

    Returns
    -------
    tuple of str
        The row's label (``"钠离子占储能新增"``) and the value as text (``"30%"``), both in
        ``lang``. A key this function does not know is shown as it is.
    """
    lang = norm_lang(lang)
    head, _, rest = key.partition(".")
    if head == "technology_mix":
        if rest == "reached":
            return t("scen_row_mix_reached", lang), str(value)
        return t("scen_row_mix", lang, tech=t(f"tech_{rest}", lang)), _percent(value, lang)
    if head == "demand":
        label = t(f"scen_row_{rest}", lang)
        if value is None:
            kind = "scen_v_auto_demand" if rest == "base_gwh" else "scen_v_from_data"
            return label, t(kind, lang)
        if rest == "base_gwh":
            return label, quantity(value, "GWh", lang)
        if rest in _DEMAND_RATES:
            return label, _percent(value, lang, sign=True)
        if rest in _DEMAND_SPREADS:
            return label, t("scen_v_points", lang, n=f"{100 * float(value):.3g}")
        if rest in _DEMAND_RANGES:
            return label, _share_range(value, lang)
    if head == "utilisation":
        if rest == "default":
            label = t("scen_row_util_default", lang)
        else:
            stage = park.stages.get(rest) if park is not None else None
            label = t("scen_row_util", lang, stage=stage.name(lang) if stage else rest)
        if value is None:
            return label, t("scen_v_as_other_stages", lang)
        return label, _share_range(value, lang)
    if head == "status" and rest.count(".") == 1:
        status, what = rest.split(".")
        label = t(f"scen_row_{what}", lang, status=_status_name(park, status, lang))
        if value is None:
            return label, t("scen_v_from_data", lang)
        if what == "p_complete":
            return label, _percent(value, lang)
        return label, t("scen_v_quarters", lang, n=f"{float(value):g}")
    if head == "ramp_up":
        if rest == "quarters":
            lo, hi = value
            n = str(lo) if lo == hi else f"{lo}–{hi}"
            return t("scen_row_ramp_quarters", lang), t("scen_v_quarters", lang, n=n)
        return t("scen_row_ramp_shape", lang), t(f"scen_v_shape_{value}", lang)
    if head == "power":
        label = t("scen_row_green_share" if rest == "green_share" else "scen_row_allowance", lang)
        if value is None:
            return label, t("scen_v_from_data", lang)
        if rest == "green_share":
            return label, _percent(value, lang)
        return label, quantity(value, "MW", lang, per_year=False)
    simple = {
        "horizon": ("scen_row_horizon", lambda v: str(v)),
        "draws": ("scen_row_draws", lambda v: f"{int(v):,}"),
        "seed": ("scen_row_seed", lambda v: str(v)),
        "intensity": ("scen_row_intensity", lambda v: t(f"scen_v_intensity_{v}", lang)),
        "status_from_history": (
            "scen_row_from_history",
            lambda v: t("scen_v_yes" if v else "scen_v_no", lang),
        ),
        "history_min_transitions": ("scen_row_min_transitions", lambda v: str(v)),
    }
    if key in simple:
        label_key, write = simple[key]
        return t(label_key, lang), t("scen_v_default", lang) if value is None else write(value)
    return key, "–" if value is None else str(value)


def _project_rows(
    diffs: Sequence[Mapping[str, Any]], names: Sequence[str], park: Park | None, lang: str
) -> list[dict[str, str]]:
    """One row per project that a scenario adds, removes, re-dates, re-states or scales."""
    by_key = {str(d["key"]): d["values"] for d in diffs}
    adds: dict[str, dict[str, dict[str, Any]]] = {
        n: {p["id"]: p for p in (by_key.get("projects.add", {}).get(n) or [])} for n in names
    }
    removes = {n: set(by_key.get("projects.remove", {}).get(n) or []) for n in names}
    ids: list[str] = []
    for n in names:
        ids.extend(adds[n])
        ids.extend(sorted(removes[n]))
    for key in by_key:
        parts = key.split(".", 2)
        if parts[0] == "projects" and len(parts) == 3:
            ids.append(parts[2])
    known = {p.id: p for p in park.projects} if park is not None else {}
    rows = []
    for pid in dict.fromkeys(ids):
        added = next((adds[n][pid] for n in names if pid in adds[n]), None)
        if pid in known:
            name = known[pid].name(lang)
        elif added is not None:
            name = (added.get("name_zh") if lang == "zh" else added.get("name_en")) or pid
        else:
            name = pid
        row = {"key": t("scen_row_project", lang, name=name)}
        for n in names:
            row[n] = _project_change(pid, n, adds, removes, by_key, park, lang, pid in known)
        rows.append(row)
    return rows


def _project_change(
    pid: str,
    name: str,
    adds: Mapping[str, Mapping[str, Mapping[str, Any]]],
    removes: Mapping[str, set[str]],
    by_key: Mapping[str, Mapping[str, Any]],
    park: Park | None,
    lang: str,
    in_park: bool,
) -> str:
    """What scenario ``name`` does with project ``pid``, in words (``"移除"``)."""
    parts: list[str] = []
    if pid in removes[name]:
        parts.append(t("scen_v_removed", lang))
    if pid in adds[name]:
        p = adds[name][pid]
        parts.append(t("scen_v_added", lang, capacity=_capacity(p["capacity"], lang)))
        parts.append(t("scen_v_status", lang, status=_status_name(park, p["status"], lang)))
        if p.get("start"):
            parts.append(t("scen_v_start", lang, quarter=p["start"]))
    for field in ("status", "start", "scale", "delay"):
        v = by_key.get(f"projects.{field}.{pid}", {}).get(name)
        if v is None:
            continue
        if field == "status":
            parts.append(t("scen_v_status", lang, status=_status_name(park, v, lang)))
        elif field == "start":
            parts.append(t("scen_v_start", lang, quarter=v))
        elif field == "scale":
            parts.append(t("scen_v_scale", lang, factor=f"{float(v):g}"))
        else:
            parts.append(t("scen_v_delay", lang, n=f"{float(v):g}"))
    if not parts:
        parts.append(t("scen_v_kept" if in_park else "scen_v_not_added", lang))
    return "，".join(parts) if lang == "zh" else ", ".join(parts)


def differences_rows(
    diffs: Sequence[Mapping[str, Any]],
    names: Sequence[str],
    park: Park | None = None,
    lang: str = "zh",
) -> list[dict[str, str]]:
    """Rows of the table of differing inputs (``model.scenario.differences``), in words.

    Each row: ``key``, what differs (``"钠离子占储能新增"``, ``"项目：钠离子电池生产线"``), and
    for each scenario name its value as people say it (``"30%"``, ``"移除"``, ``"状态设为
    “备案/环评”"``). Levers first, in the order of the scenario file, then one row per
    project (names and statuses from ``park``; without it, the ids).
    """
    lang = norm_lang(lang)
    out = []
    for d in diffs:
        key = str(d["key"])
        if key.startswith("projects."):
            continue
        row: dict[str, str] = {}
        for n in names:
            label, text = input_in_words(key, d["values"].get(n), park, lang)
            row["key"] = label
            row[n] = text
        out.append(row)
    return out + _project_rows(diffs, names, park, lang)
