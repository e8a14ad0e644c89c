"""Reading a simulation result: percentiles, shortfall probability and units.

The Dataset of :func:`model.simulate.simulate` keeps every draw; :func:`summarize` reduces
it to P10/P50/P90, mean and ``p_short``; :func:`quantify` gives a stage's values back as a
pint quantity in the unit the Dataset records.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
import xarray as xr

from model.units import Q_

PERCENTILES = {"p10": 10, "p50": 50, "p90": 90}
#: The (draw, quarter, stage) variables summarised by default, in this order (also the
#: stage variables of the exports and of a streamed run's summary).
SUMMARY_VARIABLES = (
    "nameplate",
    "effective_capacity",
    "output",
    "demand",
    "gap",
    "gap_cell_gwh_eq",
    "market_demand",
    "market_gap",
)


def percentiles(values: np.ndarray, axis: int) -> np.ndarray:
    """P10, P50 and P90 of ``values`` along ``axis``, stacked on a new first axis.

    The same numbers as ``np.percentile(values, [10, 50, 90], axis=axis)`` (linear
    interpolation, float64 for float32 input, NaN wherever a slice holds a NaN), bit for
    bit, in about a third of the time: one sort along the axis, then each percentile is read
    from its two neighbouring order statistics with NumPy's own interpolation formula.

    Parameters
    ----------
    values
        Any real array (the draws of one variable, in its own unit).
    axis
        The axis to reduce (the draws).

    Returns
    -------
    numpy.ndarray
        Shape ``(3, *shape without axis)``, in the unit of ``values``.
    """
    ordered = np.sort(np.moveaxis(values, axis, -1), axis=-1)
    n = ordered.shape[-1]
    out = []
    for q in PERCENTILES.values():
        virtual = q / 100 * (n - 1)
        below = int(np.floor(virtual))
        above = min(below + 1, n - 1)
        gamma = np.float64(virtual - below)
        lo, hi = ordered[..., below], ordered[..., above]
        diff = hi - lo
        # numpy's _lerp: from the nearer neighbour, so that gamma 0 and 1 are exact
        value = np.subtract(hi, diff * (1 - gamma)) if gamma >= 0.5 else np.add(lo, diff * gamma)
        out.append(np.asarray(value, dtype=np.result_type(value, np.float64)))
    stacked = np.stack(out)
    if np.issubdtype(ordered.dtype, np.floating):
        has_nan = np.isnan(ordered[..., -1])  # sorting puts NaN last
        stacked = np.where(has_nan, np.nan, stacked)
    return stacked


def _in_threads(
    fn: Callable[[str], np.ndarray], names: list[str], threads: int
) -> dict[str, np.ndarray]:
    """``fn`` of every name, ``threads`` names at a time: the caller takes its share too.

    New threads at each call (a kept pool's idle threads can be stopped from outside, as
    Dash's test server does to every thread it did not start, and would then never answer);
    the first exception of any thread is raised here.
    """
    done: dict[str, np.ndarray] = {}
    failed: list[BaseException] = []

    def work(share: list[str]) -> None:
        try:
            for name in share:
                done[name] = fn(name)
        except BaseException as exc:  # noqa: BLE001 (raised again in the caller)
            failed.append(exc)

    n = max(1, min(threads, len(names)))
    helpers = [threading.Thread(target=work, args=(names[k::n],)) for k in range(1, n)]
    for h in helpers:
        h.start()
    work(names[0::n])
    for h in helpers:
        h.join()
    if failed:
        raise failed[0]
    return done


def is_short(gap: np.ndarray, demand: np.ndarray) -> np.ndarray:
    """Where a stage is short: the gap exceeds rounding noise.

    The noise threshold is 1e-9 of the demand, at least 1e-9 of one unit. The one definition
    used by summaries and gap tables.
    """
    return gap > 1e-9 * np.maximum(np.abs(demand), 1.0)


def summarize(
    ds: xr.Dataset,
    variables: tuple[str, ...] = SUMMARY_VARIABLES,
    threads: int = 1,
) -> xr.Dataset:
    """P10 / P50 / P90 and mean over draws, and ``p_short``.

    ``p_short`` is the probability that each stage is short (gap > 0) in each quarter. Keeps
    the units of the variables; a variable the Dataset lacks (a projection saved before
    end markets were modelled) is left out. The statistics are float64 whatever the
    variables' dtype (the simulator stores most stage variables as float32).

    ``threads`` > 1 sorts that many variables at once (NumPy's sort releases the
    interpreter lock): for a caller waiting on one result with a core to spare, such as the
    web app's what-if update. The numbers are the same either way.
    """
    names = [v for v in variables if v in ds]

    def stats(var: str) -> np.ndarray:
        values = ds[var].values
        axis = ds[var].dims.index("draw")
        # NaN only where a stage has no yardstick (whole columns): it propagates, no warning.
        # Stored float32 values are summarised in float64 (percentiles interpolate in it).
        pct = percentiles(values, axis)
        mean = values.mean(axis=axis, dtype=np.float64)
        return np.concatenate([pct, mean[None]], axis=0)

    done = _in_threads(stats, names, threads)
    out = {}
    for var in names:
        values = done[var]
        da = ds[var]
        dims = ("stat",) + tuple(d for d in da.dims if d != "draw")
        out[var] = (dims, values, dict(da.attrs))
    p_short = is_short(ds["gap"].values, ds["demand"].values).mean(axis=0)
    out["p_short"] = (
        ("quarter", "stage"),
        p_short,
        {
            "long_name": "probability that local supply falls short of downstream demand",
            "units": "dimensionless",
        },
    )
    coords = {
        k: v for k, v in ds.coords.items() if "draw" not in v.dims and "project" not in v.dims
    }
    coords["stat"] = [*PERCENTILES, "mean"]
    summary = xr.Dataset(out, coords=coords)
    summary.attrs.update(ds.attrs)
    return summary


def quantify(ds: xr.Dataset, var: str, stage: str) -> Q_:
    """One stage's values of ``var`` as a pint quantity in the recorded unit.

    Stage variables take the stage's entry of the ``unit`` coordinate; others their
    ``attrs["units"]``. This is how units survive files: ``xarray.open_dataset`` keeps both.
    """
    da = ds[var]
    if "stage" in da.dims:
        da = da.sel(stage=stage)
        coord = da.attrs.get("units_coordinate", "unit")
        unit = (
            str(ds[coord].sel(stage=stage).values) if "units" not in da.attrs else da.attrs["units"]
        )
    else:
        unit = da.attrs["units"]
    return Q_(np.asarray(da.values), unit)


def units_of(ds: xr.Dataset) -> dict[str, object]:
    """Every data variable -> its unit (a string, or stage -> unit for stage variables)."""
    out: dict[str, object] = {}
    for name, da in ds.data_vars.items():
        if "units" in da.attrs:
            out[str(name)] = da.attrs["units"]
        elif da.attrs.get("units_coordinate") in ds.coords:
            coord = ds[da.attrs["units_coordinate"]]
            out[str(name)] = dict(
                zip(ds["stage"].values.tolist(), coord.values.tolist(), strict=True)
            )
    return out
