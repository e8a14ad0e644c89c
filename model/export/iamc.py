"""IAMC: the wide CSV of the mean over draws that pyam reads.

Columns ``model, scenario, region, variable, unit, <periods>``, periods written as the
quarter's last day (pyam's datetime time domain). A variable is ``<quantity>|<path>``:
the quantity (:data:`IAMC_VARIABLES`) is a *stock* or a *flow*, the path names the stage
(:data:`IAMC_PATHS`); :func:`yearly` aggregates quarters to years respecting that.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from model import quarters as q
from model.export.results import summaries
from model.units import Q_, ureg

if TYPE_CHECKING:
    from model.park import Park

logger = logging.getLogger(__name__)

IAMC_MODEL = "parkcap"
IAMC_REGION = "Xining ETDZ"
IAMC_INDEX = ["model", "scenario", "region", "variable", "unit"]
#: stage id -> IAMC variable path below the quantity (``Capacity|Cells|LFP``). Siblings
#: share a unit, so a parent (``Capacity|Cells``) can be their sum.
IAMC_PATHS: dict[str, str] = {
    "lithium_carbonate": "Lithium Carbonate",
    "lfp_cathode": "Cathode|LFP",
    "anode_graphite": "Anode|Graphite",
    "separator": "Separator",
    "electrolyte": "Electrolyte",
    "copper_foil": "Copper Foil",
    "aluminium_foil": "Aluminium Foil",
    "cell_casing": "Cell Casings",
    "lfp_cell": "Cells|LFP",
    "sodium_carbonate": "Sodium Carbonate",
    "na_cathode": "Cathode|Sodium-ion",
    "hard_carbon": "Anode|Hard Carbon",
    "na_cell": "Cells|Sodium-ion",
    "vanadium_pentoxide": "Vanadium Pentoxide",
    "ion_exchange_membrane": "Ion Exchange Membrane",
    "vrfb_system": "Storage Systems|Vanadium Flow",
    "gravity_block": "Gravity Blocks",
    "gravity_storage": "Storage Systems|Gravity",
    "storage_cabinet": "Storage Systems|Cabinets",
    "pcs": "Power Conversion Systems",
    "ems": "Energy Management Systems",
    "thermal_management": "Thermal Management Systems",
    "polysilicon": "Polysilicon",
    "mono_silicon": "Monocrystalline Silicon",
    "cc_thermal_field": "Carbon-Carbon Thermal Fields",
    "carbon_fibre": "Carbon Fibre",
}
#: IAMC quantity -> (Dataset variable, kind). A *stock* holds at the end of the quarter and
#: is never summed over time (its unit is the stage unit per year: a capacity is a rate);
#: a *flow* is the amount over the quarter: annual rate × one calendar quarter.
IAMC_VARIABLES: dict[str, tuple[str, str]] = {
    "Capacity": ("nameplate", "stock"),
    "Production": ("output", "flow"),
    "Demand": ("demand", "flow"),
}
#: how a stage unit is spelled in the IAMC unit column (a pint string either way)
_IAMC_UNIT_SPELLING = {"m**2": "m^2", "m ** 2": "m^2"}


def iamc_path(stage_id: str, name_en: str = "") -> str:
    """The IAMC variable path of a stage (:data:`IAMC_PATHS`; else its English name)."""
    if stage_id in IAMC_PATHS:
        return IAMC_PATHS[stage_id]
    logger.warning("stage %s has no IAMC path in IAMC_PATHS; using its English name", stage_id)
    return (name_en or stage_id).replace("|", "/")


def iamc_unit(stage_unit: str, kind: str) -> str:
    """The IAMC unit string of a stage's stock (``"GWh/yr"``) or flow (``"GWh"``).

    Both are pint strings (``ureg.parse_units`` reads them; note that
    :func:`model.units.parse_unit` would drop a trailing ``/yr``, as data files write
    annual capacities that way).
    """
    base = _IAMC_UNIT_SPELLING.get(stage_unit, stage_unit)
    return f"{base}/yr" if kind == "stock" else base


def variable_kind(variable: str) -> str:
    """``"stock"`` or ``"flow"`` of an IAMC variable, from its first path component."""
    head = variable.split("|", 1)[0]
    if head not in IAMC_VARIABLES:
        raise ValueError(
            f"unknown IAMC variable {variable!r}; expected one starting with "
            + ", ".join(f"'{k}|'" for k in IAMC_VARIABLES)
        )
    return IAMC_VARIABLES[head][1]


def iamc_frame(
    park: Park,
    results: Mapping[str, xr.Dataset],
    quarters: str | tuple[int, int] | None = None,
    model: str = IAMC_MODEL,
    region: str = IAMC_REGION,
) -> pd.DataFrame:
    """The wide IAMC table of the mean over draws.

    Columns ``model, scenario, region, variable, unit`` and one per quarter, named by the
    quarter's last day (``2024-09-30``). ``Capacity|…`` (stock) is nameplate capacity at
    the end of the quarter in the stage unit per year (``GWh/yr``); ``Production|…`` and
    ``Demand|…`` (flows) are the amounts over the quarter (``GWh``): the simulated annual
    rate times one calendar quarter, converted with pint.
    """
    quarter = Q_(1.0, "calendar_quarter")
    rows = []
    periods: list[str] = []
    for name, summary in summaries(results, quarters).items():
        labels = [str(x) for x in summary["quarter"].values]
        cols = [q.end_date(q.parse_quarter(x)).isoformat() for x in labels]
        periods = sorted(set(periods) | set(cols))
        for sid, unit in zip(
            summary["stage"].values.tolist(), summary["unit"].values.tolist(), strict=True
        ):
            stage = park.stages[sid]
            path = iamc_path(sid, stage.name_en)
            for head, (var, kind) in IAMC_VARIABLES.items():
                values = Q_(summary[var].sel(stage=sid, stat="mean").values, unit)
                target = iamc_unit(stage.unit, kind)
                amount = values if kind == "stock" else values * quarter
                converted = np.asarray(amount.to(ureg.parse_units(target)).magnitude, dtype=float)
                rows.append(
                    {
                        "model": model,
                        "scenario": name,
                        "region": region,
                        "variable": f"{head}|{path}",
                        "unit": target,
                        **dict(zip(cols, converted.tolist(), strict=True)),
                    }
                )
    df = pd.DataFrame(rows)
    return df[IAMC_INDEX + periods]


def iamc_bytes(
    park: Park,
    results: Mapping[str, xr.Dataset],
    quarters: str | tuple[int, int] | None = None,
) -> bytes:
    """:func:`iamc_frame` as UTF-8 CSV."""
    df = iamc_frame(park, results, quarters)
    return df.to_csv(index=False, lineterminator="\n", float_format="%.10g").encode("utf-8")


def yearly(df_iamc: pd.DataFrame | Any) -> pd.DataFrame:
    """Aggregate a quarterly IAMC table to years, respecting stock and flow.

    Parameters
    ----------
    df_iamc
        A wide IAMC table as :func:`iamc_frame` returns or the export writes (period
        columns are dates or date strings), or a ``pyam.IamDataFrame``.

    Returns
    -------
    pandas.DataFrame
        The IAMC index columns and one integer column per year. A **stock**
        (``Capacity|…``) takes its value at the end of the year (the Q4 column; NaN if the
        year's Q4 is not in the table) and keeps its unit (``GWh/yr``). A **flow**
        (``Production|…``, ``Demand|…``) is the sum of the year's four quarters (NaN for a
        year with fewer) and keeps its amount unit (``GWh``, now per year).

    Examples
    --------
    Capacity 10, 20, 30, 40 GWh/yr at the ends of 2025's quarters gives 40 GWh/yr for
    2025; production of 2.5 GWh in each quarter gives 10 GWh.
    """
    if hasattr(df_iamc, "timeseries") and not isinstance(df_iamc, pd.DataFrame):
        df_iamc = df_iamc.timeseries().reset_index()
    df = pd.DataFrame(df_iamc)
    index = [c for c in IAMC_INDEX if c in df.columns]
    periods = [c for c in df.columns if c not in index]
    stamps = {c: pd.Timestamp(c) for c in periods}
    kinds = np.array([variable_kind(v) for v in df["variable"]])
    out = df[index].copy()
    for year in sorted({s.year for s in stamps.values()}):
        cols = [c for c in periods if stamps[c].year == year]
        by_q = {(stamps[c].month - 1) // 3: c for c in cols}
        if len(by_q) != len(cols):
            msg = f"{year}: more than one period column in a quarter"
            raise ValueError(msg)
        values = df[cols].astype(float)
        stock = values[by_q[3]] if 3 in by_q else pd.Series(np.nan, index=df.index)
        flow = (
            values.sum(axis=1, min_count=4) if len(by_q) == 4 else pd.Series(np.nan, index=df.index)
        )
        out[year] = np.where(kinds == "stock", stock, flow)
    return out
