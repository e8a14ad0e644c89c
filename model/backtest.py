"""Backtesting a saved projection against the capacity records observed since.

A projection written by ``parkcap run --out`` (or ``parkcap export --format netcdf``)
starts from the park as it was on its ``as_of`` date. Records made later say what the
capacity turned out to be. For every stage and quarter of the projection in which a
capacity record takes effect after the projection's start and up to the backtest date
(and was recorded by then), :func:`backtest` sets the actual capacity against the
projected P10 / P50 / P90 of nameplate capacity and says whether it fell inside the
P10–P90 band. The share inside (coverage) should be near 80 % for a well-calibrated
projection; far less means the bands are too narrow or biased.
"""

from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import xarray as xr

from model import quarters
from model.errors import DataError, Problem
from model.export.netcdf import from_cf
from model.units import Q_, rate_unit, ureg

if TYPE_CHECKING:
    from model.park import CapacityRecord, Park

logger = logging.getLogger(__name__)

REQUIRED = ("nameplate",)


def load_projection(path: str | os.PathLike[str]) -> xr.Dataset:
    """Open a saved projection, or raise :class:`~model.errors.DataError` saying why not.

    Accepts a full Dataset (``draw`` dimension) or summaries (``stat`` dimension), with or
    without a ``scenario`` dimension. The data are loaded into memory and the file closed.
    """
    p = Path(path)
    name = str(path)
    if not p.is_file():
        raise DataError(
            [
                Problem(
                    name,
                    None,
                    None,
                    None,
                    "file not found; expected a NetCDF projection written by "
                    "'parkcap run SCENARIO --out FILE.nc'",
                )
            ]
        )
    try:
        with xr.open_dataset(p, engine="h5netcdf") as ds:
            ds = from_cf(ds.load())  # an export in the CF layout back in the simulator's
    except Exception as exc:  # h5py/h5netcdf raise assorted errors on other files
        raise DataError(
            [Problem(name, None, None, None, f"cannot read as NetCDF ({type(exc).__name__})")]
        ) from None
    problems = []
    for var in REQUIRED:
        if var not in ds.data_vars:
            problems.append(
                Problem(
                    name,
                    None,
                    var,
                    None,
                    "variable missing; expected a projection written by 'parkcap run --out' "
                    "or 'parkcap export --format netcdf'",
                )
            )
    for coord in ("quarter", "stage", "unit"):
        if coord not in ds.coords:
            problems.append(
                Problem(
                    name, None, coord, None, "coordinate missing; expected a parkcap projection"
                )
            )
    if "nameplate" in ds.data_vars and not ({"draw", "stat"} & set(ds["nameplate"].dims)):
        problems.append(
            Problem(
                name,
                None,
                "nameplate",
                list(ds["nameplate"].dims),
                "expected a 'draw' dimension (every draw) or a 'stat' dimension (summaries)",
            )
        )
    if problems:
        raise DataError(problems)
    return ds


def _bands(da: xr.DataArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P10, P50, P90 of ``da`` over draws (or read from its ``stat`` dimension)."""
    if "draw" in da.dims:
        arr = da.transpose("draw", ...).values
        with np.errstate(invalid="ignore"):
            p10, p50, p90 = np.nanpercentile(arr, [10, 50, 90], axis=0)
        return p10, p50, p90
    return (da.sel(stat="p10").values, da.sel(stat="p50").values, da.sel(stat="p90").values)


def _start_of(ds: xr.Dataset) -> date:
    value = ds["as_of"].values if "as_of" in ds.coords else ds.attrs.get("as_of")
    if value is None:
        raise DataError(
            [
                Problem(
                    "projection", None, "as_of", None, "attribute missing; expected its start date"
                )
            ]
        )
    return date.fromisoformat(str(np.asarray(value).item() if hasattr(value, "shape") else value))


def observations(
    park: Park, ds: xr.Dataset, start: date, as_of: date
) -> dict[tuple[str, str], CapacityRecord]:
    """(stage, quarter) -> the capacity record in force at the end of that quarter's observations.

    Records with ``start < valid_from <= as_of``, recorded by ``as_of``, taking effect in
    one of the projection's quarters (a later correction wins).
    """
    labels = {str(x) for x in ds["quarter"].values}
    stages = {str(s) for s in ds["stage"].values}
    best: dict[tuple[str, str], CapacityRecord] = {}
    for rec in park.capacity_records:
        if not (start < rec.valid_from <= as_of) or rec.recorded > as_of:
            continue
        key = (rec.stage, quarters.label(quarters.of_date(rec.valid_from)))
        if key[1] not in labels or rec.stage not in stages:
            continue
        cur = best.get(key)
        if cur is None or (rec.valid_from, rec.recorded, rec.line) >= (
            cur.valid_from,
            cur.recorded,
            cur.line,
        ):
            best[key] = rec
    return best


def backtest(
    park: Park, projection: xr.Dataset, as_of: date, scenario: str | None = None
) -> dict[str, Any]:
    """Compare a projection with the capacity records observed since it was made.

    Parameters
    ----------
    park
        The park as it is now (its records include those made after the projection).
    projection
        From :func:`load_projection` (or :func:`model.simulate.simulate`).
    as_of
        The backtest date: records taking effect and recorded up to this date count.
    scenario
        With a ``scenario`` dimension: the scenario to test (default: all of them).

    Returns
    -------
    dict
        ``as_of``, ``scenarios``, ``rows`` (one per scenario, stage and quarter with an
        observation: ``scenario``, ``stage``, ``name_en``, ``name_zh``, ``quarter``,
        ``start`` (the projection's start date), ``unit`` (the projection's, per year),
        ``p10``, ``p50``, ``p90``, ``actual`` (converted with pint into that unit),
        ``inside`` (P10 <= actual <= P90), ``position`` (``inside``, ``below``,
        ``above``), ``record_id``, ``valid_from``, ``recorded``, ``source``), ``n``,
        ``n_inside`` and ``coverage`` (share inside; ``None`` without observations).
    """
    if "scenario" in projection.dims:
        names = [str(s) for s in projection["scenario"].values]
        if scenario is not None:
            if scenario not in names:
                raise DataError(
                    [
                        Problem(
                            "command line",
                            None,
                            "--scenario",
                            scenario,
                            f"not in the projection; expected one of {', '.join(names)}",
                        )
                    ]
                )
            names = [scenario]
        parts = [(n, projection.sel(scenario=n)) for n in names]
    else:
        parts = [(str(projection.attrs.get("scenario", "")), projection)]
    rows: list[dict[str, Any]] = []
    for name, ds in parts:
        start = _start_of(ds)
        obs = observations(park, ds, start, as_of)
        if not obs:
            continue
        p10, p50, p90 = _bands(ds["nameplate"].transpose(..., "quarter", "stage"))
        q_index = {str(x): k for k, x in enumerate(ds["quarter"].values)}
        s_index = {str(x): k for k, x in enumerate(ds["stage"].values)}
        units = [str(u) for u in ds["unit"].values]
        for (sid, label), rec in sorted(obs.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            i, j = q_index[label], s_index[sid]
            unit = units[j]
            actual = float(Q_(rec.value, rate_unit(rec.unit)).to(ureg.parse_units(unit)).magnitude)
            lo, mid, hi = float(p10[i, j]), float(p50[i, j]), float(p90[i, j])
            if not np.isfinite([lo, mid, hi]).all():
                continue  # the quarter lies outside this scenario's horizon
            tol = 1e-9 * max(abs(lo), abs(hi), 1.0)
            position = "below" if actual < lo - tol else "above" if actual > hi + tol else "inside"
            stage = park.stages.get(sid)
            rows.append(
                {
                    "scenario": name,
                    "stage": sid,
                    "name_zh": stage.name_zh if stage else sid,
                    "name_en": stage.name_en if stage else sid,
                    "quarter": label,
                    "start": start.isoformat(),
                    "unit": unit,
                    "p10": lo,
                    "p50": mid,
                    "p90": hi,
                    "actual": actual,
                    "inside": position == "inside",
                    "position": position,
                    "record_id": rec.record_id,
                    "valid_from": rec.valid_from.isoformat(),
                    "recorded": rec.recorded.isoformat(),
                    "source": rec.source,
                }
            )
    n = len(rows)
    inside = sum(r["inside"] for r in rows)
    logger.info("backtest: %d of %d observations inside P10-P90", inside, n)
    return {
        "as_of": as_of.isoformat(),
        "scenarios": [n_ for n_, _ in parts],
        "rows": rows,
        "n": n,
        "n_inside": inside,
        "coverage": inside / n if n else None,
    }
