"""Value-chain gaps: shortfalls of local supply, missing stages, and whom to recruit first.

Where local supply falls short of what the park's own downstream stages need, which stages
the park lacks, and which to recruit a company for first.

Two bases, both read from a simulation Dataset:

``"nameplate"`` (default)
    Capacity against capacity: what the downstream stages would need running at nameplate,
    against the stage's nameplate. "Does the park have the separator for its 37.5 GWh of
    cells?" — the planning view, independent of utilisation and market demand.
``"effective"``
    The simulated operation: demand from the downstream stages' simulated output (which
    follows the storage market) against effective capacity (nameplate × utilisation).

Every record gives the gap in the stage's own unit (per year) and in GWh a year of the
stage's reference product (cell-equivalent), so that gaps in tonnes, m² and sets can be
ranked against each other. The photovoltaic chain has its own yardstick, GW a year of
mono-silicon (wafers): its stages carry ``*_wafer_gw_eq`` fields instead, are never mixed
into the cell-equivalents and follow the battery chain in the investment targets.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

from model import quarters
from model.chain import PV_REFERENCE_PRODUCTS
from model.park import Park
from model.scenario import Scenario, differences
from model.simulate import is_short
from model.units import rate_unit

BASES = ("nameplate", "effective")


class QuarterOutOfRange(ValueError):
    """The quarter asked for is not in the projection."""


def nameplate_demand(
    park: Park, nameplate: xr.DataArray, scenario: Scenario | None = None
) -> np.ndarray:
    """Demand on every stage if all its users ran at nameplate (central intensities).

    ``nameplate`` has dims (..., stage); cabinets take LFP and sodium-ion cells in the
    scenario's technology-mix proportion of the two.
    """
    return np.einsum("...j,ij->...i", nameplate.values, scenario_intensity(park, scenario))


#: storage products: what the park sells to end markets (the rest is inputs to them)
PRODUCTS = ("lfp_cell", "na_cell", "vrfb_system", "gravity_storage", "storage_cabinet")
#: the photovoltaic chain's final product (its yardstick): what the park's own PV need of
#: polysilicon, C/C thermal-field parts and carbon fibre is counted from
PV_PRODUCTS = PV_REFERENCE_PRODUCTS
#: ways to rank investment targets (``gaps --rank``)
RANKS = ("cell-eq", "value", "capex", "jobs")
#: where local supply is counted: the park alone, or Qinghai province (``gaps --boundary``)
BOUNDARIES = ("park", "province")


def captive_demand(park: Park, x: np.ndarray, scenario: Scenario | None = None) -> np.ndarray:
    """What the park's own storage products need of every stage, directly and through the chain.

    ``x`` (..., stage) is each stage's output (or nameplate). The park's final products are
    the storage products' output less what other products of the park take (cells in its
    own cabinets); their total requirements ``(L - I) f`` (central intensities) are the
    captive need. An intermediate plant's output beyond that (the cathode plant's surplus,
    sold outside) is not counted: its own inputs are the *merchant* need. The photovoltaic
    chain's final product, mono-silicon (:data:`PV_PRODUCTS`), counts the same way for its
    own inputs (polysilicon, C/C thermal-field parts and, through them, carbon fibre); the
    two chains share no stage.
    """
    a = scenario_intensity(park, scenario)
    idx = [park.stage_ids.index(p) for p in (*PRODUCTS, *PV_PRODUCTS) if p in park.stages]
    final = np.zeros_like(x)
    sub = a[np.ix_(idx, idx)]  # products used by other products
    final[..., idx] = np.maximum(x[..., idx] - x[..., idx] @ sub.T, 0.0)
    total = np.linalg.inv(np.eye(a.shape[0]) - a) - np.eye(a.shape[0])
    return final @ total.T


def scenario_intensity(park: Park, scenario: Scenario | None = None) -> np.ndarray:
    """Direct requirements ``A[i, j]`` for capacity-to-capacity comparisons.

    The scenario's intensity level (``central`` when intensities are sampled) and the
    cabinets' LFP / sodium-ion cell split of its technology mix (all LFP without a scenario).
    """
    shares = (
        scenario.technology_mix.shares()
        if scenario is not None
        else {"lfp": 1.0, "sodium_ion": 0.0}
    )
    level = (
        scenario.intensity
        if scenario is not None and scenario.intensity != "sampled"
        else "central"
    )
    chain = park.chain
    weights = chain.weights(
        {"storage_cabinet": {"lfp": shares["lfp"], "sodium_ion": shares["sodium_ion"]}}
    )
    return chain.intensity(level, weights)


def chain_flows(
    park: Park,
    ds: xr.Dataset,
    quarter: str,
    basis: str = "nameplate",
    scenario: Scenario | None = None,
) -> list[dict[str, Any]]:
    """What each stage needs of each of its inputs in one quarter, per recipe link.

    The flow of input ``i`` to stage ``j`` is ``A[i, j]`` (:func:`scenario_intensity`) times
    ``j``'s mean nameplate (``basis="nameplate"``) or mean simulated output
    (``"effective"``). On the effective basis the links use fixed intensities, so they can
    differ slightly from the stage totals of :func:`gap_table`, which use the drawn ones.

    Returns
    -------
    list of dict
        ``source``, ``target`` (stage ids), ``amount`` (input's unit per year), ``unit``,
        ``value`` (GWh/a of the input's reference product: cell-equivalent). Links whose
        input has no storage yardstick (photovoltaic chain) or no flow are left out.
    """
    chain = park.chain
    a = scenario_intensity(park, scenario)
    var = "nameplate" if basis == "nameplate" else "output"
    x = ds[var].sel(quarter=quarter)
    x = (x.mean("draw") if "draw" in x.dims else x).sel(stage=chain.stages).values
    flows = []
    for i, src in enumerate(chain.stages):
        yard = chain.yardstick(src)
        if not yard > 0:
            continue
        for j, dst in enumerate(chain.stages):
            amount = float(a[i, j] * x[j])
            if a[i, j] > 0 and amount > 0:
                flows.append(
                    {
                        "source": src,
                        "target": dst,
                        "amount": amount,
                        "unit": park.stages[src].unit,
                        "value": amount / yard,
                    }
                )
    return flows


def _status(supply: float, demand: float, gap: float, presence: str) -> str:
    if demand <= 0:
        return "not_needed"
    if supply <= 0:
        return "unreported" if presence else "missing"
    if is_short(np.float64(gap), np.float64(demand)):
        return "short"
    if gap < -0.05 * demand:
        return "surplus"
    return "balanced"


def gap_table(
    park: Park,
    ds: xr.Dataset,
    quarter: str | int,
    basis: str = "nameplate",
    scenario: Scenario | None = None,
    lang: str = "zh",
    boundary: str = "park",
) -> list[dict[str, Any]]:
    """Every stage's local supply against what the park's downstream stages need.

    Parameters
    ----------
    park
        The park the Dataset was simulated from.
    ds
        From :func:`model.simulate.simulate`.
    quarter
        ``"2026Q4"`` or a quarter index; must lie within the Dataset.
    basis
        ``"nameplate"`` or ``"effective"`` (see the module docstring).
    scenario
        Used for the cabinet's LFP / sodium-ion cell split on the nameplate basis.
    lang
        Language of the ``name`` field.
    boundary
        ``"park"`` (default): local supply is the park's own. ``"province"``: Qinghai's own
        supply of a stage (``data/province.csv``, e.g. the Qaidam salt lakes' lithium
        carbonate) counts as local; the larger of the park's and the province's figure is
        taken, since a provincial figure includes the park's plants.

    Returns
    -------
    list of dict
        One record per stage, in chain order: ``stage``, ``name``, ``chain``, ``unit``
        (the stage's canonical unit; values are per year), ``supply``, ``demand``,
        ``gap`` (demand − supply; means over draws), ``gap_p10``/``gap_p50``/``gap_p90``,
        ``reference`` (the storage product that is the stage's yardstick, or for the
        photovoltaic chain ``"mono_silicon"``), ``supply_cell_gwh_eq``,
        ``demand_cell_gwh_eq``, ``gap_cell_gwh_eq`` (GWh/a of ``reference``; ``None`` where
        the stage feeds no storage product), ``supply_wafer_gw_eq``, ``demand_wafer_gw_eq``,
        ``gap_wafer_gw_eq``, ``ranked_gap_wafer_gw_eq`` (the photovoltaic chain's yardstick:
        GW/a of mono-silicon, i.e. of wafers; ``None`` for every other stage), ``p_short``
        (share of draws with a shortfall), ``market_demand`` (what the stage's end market takes
        per year, storage products only, else ``None``), ``market_gap`` (market demand −
        supply: positive when the market takes more than the park can make),
        ``p_market_short``, ``captive_demand`` (what the park's own storage products, or
        for the photovoltaic chain its mono-silicon, need, see :func:`captive_demand`),
        ``merchant_demand`` (the rest of ``demand``),
        ``captive_gap``, ``ranked_gap`` / ``ranked_gap_cell_gwh_eq`` (the larger of the
        captive and market gaps, at least 0), ``to_close`` (nameplate that would close
        ``ranked_gap`` at the stage's typical utilisation: the mean drawn utilisation on the
        effective basis, 1 on the nameplate basis; in the stage's unit), ``status``
        (``short`` — the park's own stages or the market need more than it makes —
        ``missing``, ``unreported``, ``surplus``, ``balanced`` or ``not_needed``),
        ``quarter``, ``basis``.
    """
    if basis not in BASES:
        msg = f"basis must be one of {BASES}, not {basis!r}"
        raise ValueError(msg)
    label = quarter if isinstance(quarter, str) else quarters.label(quarter)
    label = quarters.label(quarters.parse_quarter(label))
    if label not in ds["quarter"].values:
        first, last = str(ds["quarter"].values[0]), str(ds["quarter"].values[-1])
        msg = f"quarter {label} is outside the projection ({first} to {last}); choose a quarter in that range"
        raise QuarterOutOfRange(msg)
    if boundary not in BOUNDARIES:
        msg = f"boundary must be one of {BOUNDARIES}, not {boundary!r}"
        raise ValueError(msg)
    sub = ds.sel(quarter=label)
    if basis == "nameplate":
        supply = sub["nameplate"].values
        demand = nameplate_demand(park, sub["nameplate"], scenario)
        captive = captive_demand(park, supply, scenario)
    else:
        supply = sub["effective_capacity"].values
        demand = sub["demand"].values
        captive = captive_demand(park, sub["output"].values, scenario)
    captive = np.minimum(captive, demand)  # central intensities: never above the drawn total
    province = (
        _province_supply(park, ds["stage"].values.tolist()) if boundary == "province" else None
    )
    if province is not None:
        supply = np.maximum(supply, province[None, :])
    gap = demand - supply  # (draw, stage)
    captive_gap = captive - supply
    p_short = is_short(gap, demand).mean(axis=0)
    # NaN where a stage has no end market (and in projections saved before markets existed)
    market = sub["market_demand"].values if "market_demand" in sub else np.full_like(supply, np.nan)
    has_market = ~np.isnan(market).any(axis=0)
    market_gap = market - supply
    p_market_short = np.where(
        has_market, is_short(np.nan_to_num(market_gap), np.nan_to_num(market)).mean(axis=0), 0.0
    )
    util = ds["utilisation"].values.mean(axis=0) if basis == "effective" else np.ones(gap.shape[1])
    chain = park.chain
    pct = np.percentile(gap, [10, 50, 90], axis=0)
    rows = []
    for k, sid in enumerate(ds["stage"].values.tolist()):
        stage = park.stages[sid]
        ref = chain.reference_product(sid)
        yard = chain.yardstick(sid)
        yard = yard if yard > 0 else 0.0
        # the photovoltaic chain's own yardstick (GW of wafers); never mixed with cell-eq
        wafer_ref = chain.wafer_reference(sid)
        wafer_yard = chain.wafer_yardstick(sid) if wafer_ref is not None else 0.0
        wafer_yard = wafer_yard if wafer_yard > 0 else 0.0
        s_mean, d_mean, g_mean = (
            float(supply[:, k].mean()),
            float(demand[:, k].mean()),
            float(gap[:, k].mean()),
        )

        def eq(v: float, yard: float = yard) -> float | None:
            return None if yard <= 0 else v / yard

        def wafer_eq(v: float, yard: float = wafer_yard) -> float | None:
            return None if yard <= 0 else v / yard

        m_mean = float(market[:, k].mean()) if has_market[k] else None
        mg_mean = m_mean - s_mean if m_mean is not None else None
        c_mean = float(captive[:, k].mean())
        cg_mean = float(captive_gap[:, k].mean())
        # a product's need is the larger of its market and what the park's own stages take
        need = max(d_mean, m_mean) if m_mean is not None else d_mean
        status = _status(s_mean, need, need - s_mean, stage.presence_source)
        if (
            status != "unreported"  # an unreported capacity cannot be judged against a market
            and mg_mean is not None
            and is_short(np.float64(mg_mean), np.float64(m_mean))
        ):
            status = "short"
        # what a company recruited for this stage would fill: the park's own need, or the
        # product's market; the merchant need of an intermediate plant is reported apart
        ranked = max(cg_mean, mg_mean if mg_mean is not None else 0.0, 0.0)

        rows.append(
            {
                "stage": sid,
                "name": stage.name(lang),
                "chain": stage.chain,
                "unit": stage.unit,
                "per": "year",
                "rate_unit": rate_unit(stage.unit),
                "quarter": label,
                "basis": basis,
                "boundary": boundary,
                "supply": s_mean,
                "demand": d_mean,
                "gap": g_mean,
                "gap_p10": float(pct[0, k]),
                "gap_p50": float(pct[1, k]),
                "gap_p90": float(pct[2, k]),
                "reference": ref or wafer_ref,
                "supply_cell_gwh_eq": eq(s_mean),
                "demand_cell_gwh_eq": eq(d_mean),
                "gap_cell_gwh_eq": eq(g_mean),
                "supply_wafer_gw_eq": wafer_eq(s_mean),
                "demand_wafer_gw_eq": wafer_eq(d_mean),
                "gap_wafer_gw_eq": wafer_eq(g_mean),
                "p_short": float(p_short[k]),
                "market_demand": m_mean,
                "market_gap": mg_mean,
                "p_market_short": float(p_market_short[k]) if has_market[k] else None,
                "captive_demand": c_mean,
                "merchant_demand": max(d_mean - c_mean, 0.0),
                "captive_gap": cg_mean,
                "ranked_gap": ranked,
                "ranked_gap_cell_gwh_eq": eq(ranked),
                "ranked_gap_wafer_gw_eq": wafer_eq(ranked),
                "to_close": ranked / max(float(util[k]), 1e-9),
                "status": status,
            }
        )
    return rows


def _province_supply(park: Park, stages: Sequence[str]) -> np.ndarray:
    """Qinghai's own supply of each stage (stage unit per year; 0 where none is recorded).

    The latest capacity figure of ``data/province.csv``, else the latest output figure.
    """
    out = []
    for s in stages:
        figures = park.province.get(s, ())
        best = max(figures, key=lambda f: (f.kind == "capacity", f.as_of), default=None)
        out.append(float(best.value) if best is not None else 0.0)
    return np.array(out)


def missing_stages(table: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stages the park's chain needs but the park lacks entirely (no capacity at all).

    Largest gap in cell-GWh-equivalent first; the photovoltaic chain's stages follow, by
    their gap in GW of wafers (the two yardsticks are never compared).
    """
    return sorted(
        (r for r in table if r["status"] == "missing"),
        key=lambda r: (
            r["gap_cell_gwh_eq"] is None,
            -(r["gap_cell_gwh_eq"] if r["gap_cell_gwh_eq"] is not None else 0.0),
            -(r.get("gap_wafer_gw_eq") or 0.0),
        ),
    )


def investment_targets(
    table: Sequence[Mapping[str, Any]],
    rank: str = "cell-eq",
    per_unit: Mapping[str, float] | None = None,
) -> list[dict[str, Any]]:
    """Stages to recruit a company for, first first, with the capacity that would close each gap.

    A stage is a target where the park's own need of it (``captive_gap``) or its product's
    market (``market_gap``) exceeds local supply; the cathode plant's merchant need (its
    surplus sold outside) does not make lithium carbonate a target by itself.

    Parameters
    ----------
    table
        From :func:`gap_table`.
    rank
        ``"cell-eq"``: the gap in cell-GWh-equivalent (comparable across units). The
        photovoltaic chain is never mixed into it: its stages follow the battery chain's,
        ordered by their own gap in GW of wafers (``ranked_gap_wafer_gw_eq``), with
        ``score`` ``None``; a stage with neither yardstick comes last, by shortfall
        probability. ``"value"``: output value a year of the gap (gap × price, CNY/a);
        ``"capex"``: investment to build ``to_close`` (CNY); ``"jobs"``: jobs of
        ``to_close`` (one currency or head count for both chains). Stages without the
        figure follow, in cell-eq order, then the photovoltaic ones in GW-of-wafers order.
    per_unit
        Stage -> the ``rank`` measure per unit (price per stage unit, capex or jobs per unit
        of annual capacity), from ``data/economics.csv``. Needed for every rank but cell-eq.

    Returns
    -------
    list of dict
        The table's records of the targets, each with ``rank`` (1 = first) and ``score``
        (the ranking figure, ``None`` where the stage has none).
    """
    if rank not in RANKS:
        msg = f"rank must be one of {RANKS}, not {rank!r}"
        raise ValueError(msg)
    per_unit = per_unit or {}
    short = [dict(r) for r in table if r["ranked_gap"] > 0 and r["status"] != "not_needed"]
    for r in short:
        if rank == "cell-eq":
            r["score"] = r["ranked_gap_cell_gwh_eq"]
        elif r["stage"] not in per_unit:
            r["score"] = None
        else:
            size = r["ranked_gap"] if rank == "value" else r["to_close"]
            r["score"] = size * per_unit[r["stage"]]
    short.sort(
        key=lambda r: (
            r["score"] is None,
            -(r["score"] or 0.0),
            r["ranked_gap_cell_gwh_eq"] is None,  # the photovoltaic chain after the battery
            -(r["ranked_gap_cell_gwh_eq"] or 0.0),
            -(r.get("ranked_gap_wafer_gw_eq") or 0.0),
            -r["p_short"],
        )
    )
    for k, r in enumerate(short, start=1):
        r["rank"] = k
    return short


def electricity(ds: xr.Dataset, quarter: str) -> dict[str, Any]:
    """The park's electricity in ``quarter``: demand (MW), green part, grid allowance, P(over).

    Returns ``{"demand_mw", "demand_p90_mw", "green_share", "green_mw", "allowance_mw",
    "p_over"}``; ``allowance_mw`` and ``p_over`` are ``None`` when no allowance is known.
    Demand counts only the stages with an electricity figure (``powered_stages``).
    """
    if "electricity_demand" not in ds:
        return {}
    mw = ds["electricity_demand"].sel(quarter=quarter).values
    allowance = float(ds.attrs.get("grid_allowance_mw", math.nan))
    green = float(ds.attrs.get("green_share", 0.0))
    known = math.isfinite(allowance)
    return {
        "demand_mw": float(mw.mean()),
        "demand_p90_mw": float(np.percentile(mw, 90)),
        "green_share": green,
        "green_mw": float(mw.mean()) * green,
        "allowance_mw": allowance if known else None,
        "p_over": float((mw > allowance).mean()) if known else None,
        "powered_stages": str(ds.attrs.get("powered_stages", "")).split(),
    }


def rank_figures(park: Park, rank: str) -> dict[str, float]:
    """Stage -> the per-unit figure a ``rank`` needs (``data/economics.csv``, central values).

    ``"value"`` takes the price per stage unit, ``"capex"`` the capital cost per unit of
    annual capacity, ``"jobs"`` the jobs per unit of annual capacity; ``"cell-eq"`` none.
    """
    measure = {"value": "value", "capex": "capex", "jobs": "jobs"}.get(rank)
    figures = getattr(park, "economics", {}) or {}
    return {
        stage: float(param.central)
        for (stage, m), param in figures.items()
        if measure is not None and m == measure
    }


def compare(
    park: Park,
    results: Mapping[str, xr.Dataset],
    scenarios: Sequence[Scenario],
    quarter: str,
    basis: str = "nameplate",
    lang: str = "zh",
) -> dict[str, Any]:
    """The gap table of several scenarios side by side, with the inputs that differ.

    Returns ``{"quarter", "basis", "rows": [record with a "scenario" field, ...],
    "differences": [{"key", "values": {scenario: value}}, ...], "changed_stages": [...]}``
    where ``changed_stages`` lists stages whose gap differs between scenarios by more than
    1 % of their demand, largest difference (in cell-GWh-eq where it exists) first.
    """
    by_name = {s.name: s for s in scenarios}
    rows: list[dict[str, Any]] = []
    tables = {}
    for name, ds in results.items():
        table = gap_table(park, ds, quarter, basis=basis, scenario=by_name.get(name), lang=lang)
        tables[name] = {r["stage"]: r for r in table}
        rows.extend({"scenario": name, **r} for r in table)
    changed = []
    names = list(tables)
    for sid in park.stage_ids:
        gaps = [tables[n][sid]["gap"] for n in names if sid in tables[n]]
        demands = [abs(tables[n][sid]["demand"]) for n in names if sid in tables[n]]
        markets = [tables[n][sid]["market_demand"] or 0.0 for n in names if sid in tables[n]]
        spread = max(gaps) - min(gaps) if gaps else 0.0
        market_spread = max(markets) - min(markets) if markets else 0.0
        demands += [abs(m) for m in markets]
        spread = max(spread, market_spread)
        if spread > 0.01 * max(max(demands, default=0.0), 1e-9) and spread > 1e-9:
            eqs = [tables[n][sid]["gap_cell_gwh_eq"] for n in names]
            eq_spread = None if any(e is None for e in eqs) else max(eqs) - min(eqs)
            changed.append(
                {
                    "stage": sid,
                    "name": park.stages[sid].name(lang),
                    "unit": park.stages[sid].unit,
                    "gap": {n: tables[n][sid]["gap"] for n in names},
                    "gap_spread": spread,
                    "gap_cell_gwh_eq_spread": eq_spread,
                }
            )
    changed.sort(
        key=lambda r: (r["gap_cell_gwh_eq_spread"] is None, -(r["gap_cell_gwh_eq_spread"] or 0.0))
    )
    return {
        "quarter": rows[0]["quarter"] if rows else quarter,
        "basis": basis,
        "rows": rows,
        "differences": differences(list(scenarios)),
        "changed_stages": changed,
    }


def finite_or_none(value: float | None) -> float | None:
    """JSON-friendly: NaN and infinities become ``None``."""
    if value is None or not math.isfinite(value):
        return None
    return value
