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
ranked against each other.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

from model import quarters
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

    Returns
    -------
    list of dict
        One record per stage, in chain order: ``stage``, ``name``, ``chain``, ``unit``
        (the stage's canonical unit; values are per year), ``supply``, ``demand``,
        ``gap`` (demand − supply; means over draws), ``gap_p10``/``gap_p50``/``gap_p90``,
        ``supply_cell_gwh_eq``, ``demand_cell_gwh_eq``, ``gap_cell_gwh_eq`` (GWh/a of
        ``reference``; ``None`` where the stage feeds no storage product), ``p_short``
        (share of draws with a shortfall), ``to_close`` (nameplate capacity that would close
        the mean gap, in the stage's unit), ``status`` (``short``, ``missing``,
        ``unreported``, ``surplus``, ``balanced`` or ``not_needed``), ``quarter``, ``basis``.
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
    sub = ds.sel(quarter=label)
    if basis == "nameplate":
        supply = sub["nameplate"].values
        demand = nameplate_demand(park, sub["nameplate"], scenario)
    else:
        supply = sub["effective_capacity"].values
        demand = sub["demand"].values
    gap = demand - supply  # (draw, stage)
    p_short = is_short(gap, demand).mean(axis=0)
    util = ds["utilisation"].values.mean(axis=0) if basis == "effective" else np.ones(gap.shape[1])
    chain = park.chain
    pct = np.percentile(gap, [10, 50, 90], axis=0)
    rows = []
    for k, sid in enumerate(ds["stage"].values.tolist()):
        stage = park.stages[sid]
        ref = chain.reference_product(sid)
        yard = chain.yardstick(sid)
        yard = yard if yard > 0 else 0.0
        s_mean, d_mean, g_mean = (
            float(supply[:, k].mean()),
            float(demand[:, k].mean()),
            float(gap[:, k].mean()),
        )

        def eq(v: float, yard: float = yard) -> float | None:
            return None if yard <= 0 else v / yard

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
                "supply": s_mean,
                "demand": d_mean,
                "gap": g_mean,
                "gap_p10": float(pct[0, k]),
                "gap_p50": float(pct[1, k]),
                "gap_p90": float(pct[2, k]),
                "reference": ref,
                "supply_cell_gwh_eq": eq(s_mean),
                "demand_cell_gwh_eq": eq(d_mean),
                "gap_cell_gwh_eq": eq(g_mean),
                "p_short": float(p_short[k]),
                "to_close": max(g_mean, 0.0) / max(float(util[k]), 1e-9),
                "status": _status(s_mean, d_mean, g_mean, stage.presence_source),
            }
        )
    return rows


def missing_stages(table: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stages the park's chain needs but the park lacks entirely (no capacity at all)."""
    return sorted(
        (r for r in table if r["status"] == "missing"),
        key=lambda r: -(r["gap_cell_gwh_eq"] if r["gap_cell_gwh_eq"] is not None else 0.0),
    )


def investment_targets(table: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stages with a shortfall, largest first, with the capacity that would close each gap.

    Ranked by the gap in cell-GWh-equivalent (comparable across units); stages without a
    yardstick (the photovoltaic chain) follow, by probability of shortfall. Each record
    gains ``rank``.
    """
    short = [
        dict(r) for r in table if r["gap"] > 0 and r["status"] in ("short", "missing", "unreported")
    ]
    short.sort(
        key=lambda r: (r["gap_cell_gwh_eq"] is None, -(r["gap_cell_gwh_eq"] or 0.0), -r["p_short"])
    )
    for k, r in enumerate(short, start=1):
        r["rank"] = k
    return short


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
        spread = max(gaps) - min(gaps) if gaps else 0.0
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
