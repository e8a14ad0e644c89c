"""What every export format starts from: simulated scenarios, selected and combined.

Running scenarios with the same draws (:func:`run_scenarios`), reading and applying a
quarter range (:func:`parse_quarters`, :func:`select_quarters`), the per-scenario
summaries the tables are built from (:func:`summaries`), all scenarios as one Dataset
along ``scenario`` (:func:`combine`) and the metadata a file's cover names
(:func:`metadata`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from model import quarters as q
from model.errors import DataError, Problem
from model.results import SUMMARY_VARIABLES

if TYPE_CHECKING:
    from model.park import Park
    from model.scenario import Scenario

#: the stage variables of the tidy CSV and the workbook, in this order
VARIABLES = SUMMARY_VARIABLES
STATS = ("p10", "p50", "p90", "mean")
#: per-scenario Dataset attributes that become ``scenario`` coordinates when combining
SCENARIO_ATTRS = (
    "scenario_title_zh",
    "scenario_title_en",
    "scenario_hash",
    "scenario_json",
    "seed",
    "draws",
    "deterministic",
    "as_of",
    "start_quarter",
    "horizon",
    "created",
)


def run_scenarios(
    park: Park,
    scenarios: Sequence[Scenario],
    draws: int | None = None,
    seed: int | None = None,
    as_of: date | None = None,
    known_as_of: date | None = None,
    on_done: Callable[[str], object] | None = None,
) -> dict[str, xr.Dataset]:
    """Simulate each scenario (name -> Dataset), with the same draws for all.

    ``draws`` defaults to the first scenario's, so that every Dataset has the same draws
    and they combine along ``scenario``; ``seed`` defaults to each scenario's. The
    ``known_as_of`` date is kept in each Dataset's attributes.
    """
    from model.simulate import simulate

    n = draws if draws is not None else (scenarios[0].draws if scenarios else None)
    out = {}
    for sc in scenarios:
        ds = simulate(park, sc, draws=n, seed=seed, as_of=as_of, known_as_of=known_as_of)
        ds.attrs["known_as_of"] = known_as_of.isoformat() if known_as_of else ""
        out[sc.name] = ds
        if on_done is not None:
            on_done(sc.name)
    return out


def parse_quarters(
    spec: str | tuple[int, int] | None, argument: str = "--quarters"
) -> tuple[int, int] | None:
    """``"2024Q3:2030Q4"`` (or a pair of quarter indices, or ``None``) -> (start, end).

    Raises :class:`~model.errors.DataError` naming ``argument`` on a bad range.
    """
    if spec is None or isinstance(spec, tuple):
        return spec
    try:
        return q.parse_range(spec)
    except q.QuarterError as exc:
        raise DataError([Problem("command line", None, argument, spec, str(exc))]) from None


def select_quarters(ds: xr.Dataset, spec: str | tuple[int, int] | None) -> xr.Dataset:
    """The quarters of ``ds`` inside ``spec`` (all of them for ``None``).

    Raises :class:`~model.errors.DataError` if no quarter of the projection is inside.
    """
    rng = parse_quarters(spec)
    if rng is None:
        return ds
    labels = [str(x) for x in ds["quarter"].values]
    keep = [lab for lab in labels if rng[0] <= q.parse_quarter(lab) <= rng[1]]
    if not keep:
        text = spec if isinstance(spec, str) else f"{q.label(rng[0])}:{q.label(rng[1])}"
        raise DataError(
            [
                Problem(
                    "command line",
                    None,
                    "--quarters",
                    text,
                    f"no quarter of the projection ({labels[0]} to {labels[-1]}) lies in "
                    "the range; expected a range that overlaps it",
                )
            ]
        )
    return ds.sel(quarter=keep)


def summaries(
    results: Mapping[str, xr.Dataset], spec: str | tuple[int, int] | None
) -> dict[str, xr.Dataset]:
    """The summary of each scenario over the quarters in ``spec``.

    Parameters
    ----------
    results
        Scenario name -> ``simulate()`` Dataset (with draws) or its summary.
    spec
        A quarter range as :func:`select_quarters` takes it (``None``: every quarter).

    Returns
    -------
    dict[str, xarray.Dataset]
        Scenario name -> Dataset with a ``stat`` dimension (``p10, p50, p90, mean``);
        an input that is already a summary is only cut to the quarters.
    """
    from model.simulate import summarize

    out = {}
    for name, ds in results.items():
        ds = select_quarters(ds, spec)
        out[name] = ds if "stat" in ds.dims else summarize(ds)
    return out


def combine(results: Mapping[str, xr.Dataset]) -> xr.Dataset:
    """Scenario Datasets (full or summaries) as one Dataset with a ``scenario`` dimension.

    Projects are the union over scenarios (a project a scenario lacks has NaN values);
    quarters too (NaN outside a scenario's horizon). Attributes that differ per scenario
    (seed, draws, hash, ...) become ``scenario`` coordinates; the rest stay attributes.
    """
    names = list(results)
    if not names:
        msg = "no results to combine"
        raise ValueError(msg)
    datasets = list(results.values())
    project_stage: dict[str, str] = {}
    for ds in datasets:
        if "project" in ds.dims:
            for pid, st in zip(
                ds["project"].values.tolist(), ds["project_stage"].values.tolist(), strict=True
            ):
                project_stage.setdefault(str(pid), str(st))
    prepared = []
    for ds in datasets:
        ds = ds.drop_attrs(deep=False)
        if "project" in ds.dims:
            ds = ds.drop_vars("project_stage").reindex(project=list(project_stage))
        prepared.append(ds.drop_vars("quarter_end", errors="ignore"))
    combined = xr.concat(
        prepared,
        dim=pd.Index(names, name="scenario"),
        join="outer",
        coords="minimal",
        compat="override",
        combine_attrs="override",  # variables keep their attrs (units); the dataset's are reset
        data_vars="all",
    )
    combined.attrs = {}
    labels = [str(x) for x in combined["quarter"].values]
    combined = combined.assign_coords(
        quarter_end=(
            "quarter",
            np.array([q.end_date(q.parse_quarter(x)) for x in labels], dtype="datetime64[ns]"),
        )
    )
    if project_stage:
        combined = combined.assign_coords(project_stage=("project", list(project_stage.values())))
    first = datasets[0].attrs
    per = {}
    for key in SCENARIO_ATTRS:
        if all(key in ds.attrs for ds in datasets):
            per[key] = ("scenario", [ds.attrs[key] for ds in datasets])
    combined = combined.assign_coords(per)
    combined.attrs.update(
        {
            k: v
            for k, v in first.items()
            if k not in SCENARIO_ATTRS and k not in ("scenario", "title")
        }
    )
    combined.attrs["title"] = "parkcap projection: " + ", ".join(names)
    combined.attrs["scenarios"] = ", ".join(names)
    combined.attrs["units_note"] = (
        "stage variables: unit per stage in the 'unit' coordinate (annual rates); "
        "other variables: attrs['units']"
    )
    return combined


def metadata(results: Mapping[str, xr.Dataset]) -> dict[str, Any]:
    """What the results were made from, for a file's cover.

    Parameters
    ----------
    results
        Scenario name -> ``simulate()`` Dataset (at least one).

    Returns
    -------
    dict[str, Any]
        ``as_of``, ``known_as_of`` and ``data_version`` of the first scenario (ISO dates
        and a version string, ``""`` if missing) and the sorted distinct ``seeds`` and
        ``draws`` of all of them.
    """
    first = next(iter(results.values())).attrs
    return {
        "as_of": first.get("as_of", ""),
        "known_as_of": first.get("known_as_of", ""),
        "data_version": first.get("data_version", ""),
        "seeds": sorted({int(ds.attrs.get("seed", 0)) for ds in results.values()}),
        "draws": sorted({int(ds.attrs.get("draws", 0)) for ds in results.values()}),
    }


def file_float(x: float) -> float | None:
    """A float for a file: ``None`` for NaN and infinities.

    Parameters
    ----------
    x
        A number (a NumPy scalar too).

    Returns
    -------
    float or None
        ``float(x)`` if it is finite, else ``None`` (an empty cell).
    """
    x = float(x)
    return x if math.isfinite(x) else None


#: status -> order of severity in tables for people (shortfalls first)
SEVERITY = {
    "missing": 0,
    "short": 0,
    "unreported": 1,
    "balanced": 2,
    "surplus": 3,
    "not_needed": 4,
}


def by_severity(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Gap-table records, most severe first.

    Parameters
    ----------
    rows
        Records of :func:`model.gaps.gap_table`.

    Returns
    -------
    list
        Shortfalls (``missing`` and ``short``) first, by the gap that ranks investment
        targets (``ranked_gap_cell_gwh_eq``, then the photovoltaic chain's
        ``ranked_gap_wafer_gw_eq``, never mixed), then by shortfall probability; then
        stages whose capacity is not reported, balanced, in surplus, and not needed.
    """

    def key(r: Mapping[str, Any]) -> tuple[Any, ...]:
        cell = r.get("ranked_gap_cell_gwh_eq")
        wafer = r.get("ranked_gap_wafer_gw_eq")
        gap_eq = r.get("gap_cell_gwh_eq")
        return (
            SEVERITY.get(str(r.get("status")), len(SEVERITY)),
            cell is None,
            -(cell or 0.0),
            -(wafer or 0.0),
            -(gap_eq or 0.0) if gap_eq is not None and math.isfinite(gap_eq) else 0.0,
            -float(r.get("p_short") or 0.0),
            str(r.get("stage", "")),
        )

    return sorted(rows, key=key)


def sources_cited(park: Park, as_of: date | None) -> list[str]:
    """Ids of the sources the park's figures cite, in first-cited order.

    Parameters
    ----------
    park
        The park.
    as_of
        The capacity records in force on this date count (none without a date), with every
        project's and recipe line's source.

    Returns
    -------
    list of str
        Source ids that ``sources.csv`` lists.
    """
    ids: list[str] = []
    records = park.capacity_as_of(as_of) if as_of else {}
    ids += [rec.source for rec in records.values()]
    ids += [p.source for p in park.projects if p.source]
    ids += [rl.source for rl in park.recipes if rl.source]
    seen: list[str] = []
    for i in ids:
        if i in park.sources and i not in seen:
            seen.append(i)
    return seen
