"""NetCDF in the CF conventions (CF-1.10): every scenario in one NetCDF4 file.

Layout
------
A stage variable of the simulator (``nameplate``, ``output``, ``gap``, ...) holds every stage,
each in its own unit (tonnes, m², GWh, sets a year), which no single ``units`` attribute can
say. In the file it is split into **one variable per unit family**: ``nameplate_mass``
(``t year^-1``) over the stages counted in tonnes (dimension ``stage_mass``),
``nameplate_area`` (``m^2 year^-1``, ``stage_area``), ``nameplate_energy``
(``GW h year^-1``, ``stage_energy``), ``nameplate_power`` (``GW year^-1``) and
``nameplate_sets`` (``set year^-1``). Families are :data:`FAMILIES`; a stage joins the
family whose unit has its dimensionality. Variables whose unit is the same for every stage
(``gap_cell_gwh_eq``, ``utilisation``, ``p_short``) keep the ``stage`` dimension, which
also carries each stage's names, chain, family and unit as auxiliary coordinates.

Every data variable has a ``units`` attribute spelled for UDUNITS
(:func:`model.units.spell_unit` with ``"udunits"``) that pint reads too, so
``ds.pint.quantify(unit_registry=model.units.ureg)`` quantifies all of them (counting units
such as ``set`` are not in UDUNITS and need that registry). The quarter-end dates are the
time coordinate (``quarter_end``: ``axis = "T"``, ``standard_name = "time"``); every
coordinate has a ``long_name``.

The file is written straight to a temporary file beside the target, scenario by scenario
and block by block of draws (zlib-compressed, chunked), then renamed into place: writing
needs little memory beyond the results themselves. :func:`from_cf` turns a file read back
into the simulator's own layout (``stage`` dimension, per-stage ``unit`` coordinate).
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from model import quarters as q
from model.datafiles import file_mode, remove_stale_temporaries
from model.export.results import SCENARIO_ATTRS, select_quarters, summaries
from model.units import rate_unit, spell_unit, unspell_unit, ureg

logger = logging.getLogger(__name__)

CONVENTIONS = "CF-1.10"
#: ``parkcap_layout`` global attribute of a file in this layout (read by :func:`from_cf`)
LAYOUT = "cf-unit-families-1"
#: unit family -> its unit (pint, a stage's canonical unit). A stage joins the first family
#: whose unit has the same dimensionality as its own; its values are converted to that unit.
FAMILIES: dict[str, str] = {
    "mass": "t",
    "area": "m**2",
    "volume": "m**3",
    "energy": "GWh",
    "power": "GW",
    "sets": "set",
    "pieces": "piece",
}
#: HDF5 filters of every data variable: zlib level 1 after byte shuffling (on 10,000 draws
#: level 4 gives a 5 % smaller file in 50 % more time)
COMPRESSION: dict[str, Any] = {"compression": "gzip", "compression_opts": 1, "shuffle": True}
#: target size of one HDF5 chunk, and of one block of values in memory while writing
CHUNK_BYTES = 1 << 20
BLOCK_BYTES = 16 << 20
#: dimensions along which scenarios are sampled (every draw, or summary statistics)
SAMPLE_DIMS = ("draw", "stat")

_COORD_NAMES = {
    "scenario": "scenario (a file in scenarios/)",
    "draw": "Monte Carlo draw",
    "stat": "statistic over the draws (P10, P50, P90, mean)",
    "quarter": "quarter (label)",
    "quarter_end": "last day of the quarter",
    "stage": "stage of the value chain (id in data/stages.csv)",
    "stage_name_zh": "stage name (Chinese)",
    "stage_name_en": "stage name (English)",
    "chain": "value chain of the stage",
    "reference": "reference product of the stage's cell-equivalent (none: empty)",
    "stage_family": "unit family of the stage: the variables <name>_<family> hold it",
    "stage_unit": "the stage's counting unit (UDUNITS; its rates are per year)",
    "project": "pipeline project (id in data/projects.csv or a scenario)",
    "project_stage": "stage of the project",
    "technology": "storage technology of the stationary market",
    "scenario_title_zh": "scenario title (Chinese)",
    "scenario_title_en": "scenario title (English)",
    "scenario_hash": "content hash of the scenario",
    "scenario_json": "the scenario's settings as JSON",
    "seed": "random seed",
    "draws": "number of Monte Carlo draws",
    "deterministic": "1: the deterministic central path (one draw)",
    "as_of": "date of the park the projection starts from",
    "start_quarter": "first quarter of the projection",
    "horizon": "last quarter of the projection",
    "created": "time the projection was made (UTC)",
    "known_as_of": "only records made by this date were used (empty: all)",
}


def package_version() -> str:
    """The installed version of parkcap (``"0.1.0"``), or ``"0+unknown"``."""
    try:
        return version("parkcap")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


def stage_family(unit: str) -> tuple[str, str]:
    """The unit family of a stage counted in ``unit`` and the family's unit.

    Parameters
    ----------
    unit
        A stage's canonical unit (``"t"``, ``"m**2"``, ``"GWh"``, ``"set"``).

    Returns
    -------
    tuple of str
        The family name of :data:`FAMILIES` and its unit (``("area", "m**2")``); a unit
        no family has gets a family of its own, named by its UDUNITS spelling.
    """
    dim = ureg.parse_units(unit).dimensionality
    for name, ref in FAMILIES.items():
        if ureg.parse_units(ref).dimensionality == dim:
            return name, ref
    own = "".join(c if c.isalnum() else "_" for c in spell_unit(unit, "udunits"))
    return own, unit


# ---------------------------------------------------------------------------
# what a file holds: coordinates and variable specifications
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Var:
    """One data variable of the file and where its values come from."""

    name: str
    source: str  # the variable in each scenario's Dataset
    dims: tuple[str, ...]  # in the file (``scenario`` first)
    shape: tuple[int, ...]
    dtype: np.dtype
    attrs: dict[str, Any]
    family: str | None = None  # stage variables split by unit: the family held
    family_stages: tuple[str, ...] = ()
    factors: tuple[float, ...] = ()  # per family stage: its unit -> the family's unit


@dataclass(frozen=True)
class _Plan:
    coords: xr.Dataset  # every coordinate and the global attributes, no data
    variables: list[_Var]
    labels: dict[str, list[Any]]  # dimension -> its labels in the file


def _union(lists: Sequence[Sequence[Any]], key: Callable[[Any], Any] | None = None) -> list[Any]:
    out: list[Any] = []
    seen: set[Any] = set()
    for items in lists:
        for x in items:
            if x not in seen:
                seen.add(x)
                out.append(x)
    return sorted(out, key=key) if key else out


def _per_stage(parts: Mapping[str, xr.Dataset], coord: str, stages: list[str]) -> list[str]:
    found: dict[str, str] = {}
    for ds in parts.values():
        if coord in ds.coords and "stage" in ds[coord].dims:
            for s, v in zip(ds["stage"].values.tolist(), ds[coord].values.tolist(), strict=True):
                found.setdefault(str(s), str(v))
    return [found.get(s, "") for s in stages]


def _stage_units(parts: Mapping[str, xr.Dataset], stages: list[str]) -> dict[str, str]:
    """Stage -> its canonical unit (``unit_stock``; else the rate unit without ``/ a``)."""
    stock = dict(zip(stages, _per_stage(parts, "unit_stock", stages), strict=True))
    rate = dict(zip(stages, _per_stage(parts, "unit", stages), strict=True))
    out = {}
    for s in stages:
        if stock[s]:
            out[s] = stock[s]
        elif rate[s]:
            out[s] = str(ureg.parse_units(rate[s]) * ureg.year)
        else:
            out[s] = "dimensionless"
    return out


def _plan(parts: Mapping[str, xr.Dataset], title: str) -> _Plan:
    """Coordinates and variables of the file holding ``parts`` (scenario -> Dataset)."""
    names = list(parts)
    datasets = list(parts.values())
    sample = next((d for d in SAMPLE_DIMS if any(d in ds.dims for ds in datasets)), None)
    labels: dict[str, list[Any]] = {"scenario": names}
    if sample == "draw":
        labels["draw"] = list(range(max(ds.sizes.get("draw", 0) for ds in datasets)))
    elif sample == "stat":
        labels["stat"] = _union([ds["stat"].values.tolist() for ds in datasets])
    labels["quarter"] = _union(
        [[str(x) for x in ds["quarter"].values] for ds in datasets], key=q.parse_quarter
    )
    stages = _union([[str(x) for x in ds["stage"].values] for ds in datasets])
    labels["stage"] = stages
    for dim in ("project", "technology"):
        if any(dim in ds.dims for ds in datasets):
            labels[dim] = _union([[str(x) for x in ds[dim].values] for ds in datasets if dim in ds])
    units = _stage_units(parts, stages)
    family_of = {s: stage_family(units[s]) for s in stages}
    families: dict[str, list[str]] = {}
    for s in stages:
        families.setdefault(family_of[s][0], []).append(s)
    for fam, members in families.items():
        labels[f"stage_{fam}"] = members

    coords: dict[str, Any] = {}
    for dim, values in labels.items():
        coords[dim] = (dim, np.array(values, dtype=np.int64 if dim == "draw" else object))
    ends = [q.end_date(q.parse_quarter(x)) for x in labels["quarter"]]
    coords["quarter_end"] = ("quarter", np.array(ends, dtype="datetime64[ns]"))
    for c in ("stage_name_zh", "stage_name_en", "chain", "reference"):
        values = _per_stage(parts, c, stages)
        if any(values):
            coords[c] = ("stage", np.array(values, dtype=object))
    coords["stage_family"] = ("stage", np.array([family_of[s][0] for s in stages], dtype=object))
    coords["stage_unit"] = (
        "stage",
        np.array([spell_unit(family_of[s][1], "udunits") for s in stages], dtype=object),
    )
    if "project" in labels:
        found: dict[str, str] = {}
        for ds in datasets:
            if "project_stage" in ds.coords:
                for p, s in zip(
                    ds["project"].values.tolist(), ds["project_stage"].values.tolist(), strict=True
                ):
                    found.setdefault(str(p), str(s))
        coords["project_stage"] = (
            "project",
            np.array([found.get(p, "") for p in labels["project"]], dtype=object),
        )
    # attributes of the scenarios: per-scenario ones (and any that differ) become coordinates
    shared: dict[str, Any] = {}
    keys = [k for k in datasets[0].attrs if all(k in ds.attrs for ds in datasets)]
    for key in keys:
        values = [ds.attrs[key] for ds in datasets]
        if key in ("title", "scenario"):
            continue
        if key in SCENARIO_ATTRS or any(not _same(v, values[0]) for v in values):
            coords[key] = ("scenario", np.array(values, dtype=_attr_dtype(values)))
        else:
            shared[key] = values[0]
    ds_coords = xr.Dataset(coords=coords)
    for name in ds_coords.coords:
        ds_coords[name].attrs["long_name"] = _COORD_NAMES.get(
            str(name), str(name).replace("_", " ")
        )
    for fam, members in families.items():
        unit = spell_unit(family_of[members[0]][1], "udunits")
        ds_coords[f"stage_{fam}"].attrs["long_name"] = f"stages counted in {unit}"
    ds_coords["quarter_end"].attrs.update({"axis": "T", "standard_name": "time"})
    ds_coords["quarter"].attrs["comment"] = "the quarter_end coordinate gives its last day"
    ds_coords.attrs.update({k: v for k, v in shared.items() if _attr_ok(v)})
    ds_coords.attrs.update(
        {
            "Conventions": CONVENTIONS,
            "title": title,
            "source": f"parkcap {package_version()} Monte Carlo capacity model",
            "history": f"{pd.Timestamp.now(tz='UTC').isoformat(timespec='seconds')} "
            f"written by parkcap {package_version()}",
            "scenarios": ", ".join(names),
            "comment": "Stage variables are split by unit family: <variable>_<family> over "
            "the dimension stage_<family> (families: "
            + ", ".join(f"{f} ({spell_unit(u, 'udunits')})" for f, u in FAMILIES.items())
            + "). Capacities and flows are annual rates. Counting units (set, piece) are "
            "not in UDUNITS: read the units with parkcap's pint registry (model.units.ureg).",
            "parkcap_layout": LAYOUT,
        }
    )
    ds_coords.attrs.pop("units_note", None)

    variables = _variables(parts, labels, units, family_of, families)
    return _Plan(ds_coords, variables, labels)


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b) or (
            isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b)
        )
    except (TypeError, ValueError):
        return False


def _attr_ok(v: Any) -> bool:
    return isinstance(v, str | int | float | np.integer | np.floating)


def _attr_dtype(values: list[Any]) -> Any:
    if all(isinstance(v, int | np.integer) for v in values):
        return np.int64
    if all(isinstance(v, int | float | np.integer | np.floating) for v in values):
        return np.float64
    return object


def _variables(
    parts: Mapping[str, xr.Dataset],
    labels: dict[str, list[Any]],
    units: dict[str, str],
    family_of: dict[str, tuple[str, str]],
    families: dict[str, list[str]],
) -> list[_Var]:
    out: list[_Var] = []
    names = _union([list(ds.data_vars) for ds in parts.values()])
    for name in names:
        da = next(ds[name] for ds in parts.values() if name in ds)
        dtype = np.dtype("int8") if da.dtype == bool else da.dtype
        attrs = {k: v for k, v in da.attrs.items() if k not in ("units", "units_coordinate")}
        coord = da.attrs.get("units_coordinate")
        if "stage" in da.dims and coord and "units" not in da.attrs:
            per_year = coord != "unit_stock"
            for fam, members in families.items():
                fam_unit = family_of[members[0]][1]
                unit = rate_unit(fam_unit) if per_year else fam_unit
                factors = tuple(
                    float(ureg.Quantity(1.0, units[s]).to(fam_unit).magnitude) for s in members
                )
                dims = ("scenario", *(f"stage_{fam}" if d == "stage" else d for d in da.dims))
                out.append(
                    _Var(
                        name=f"{name}_{fam}",
                        source=name,
                        dims=dims,
                        shape=tuple(len(labels[d]) for d in dims),
                        dtype=dtype,
                        attrs={
                            **attrs,
                            "units": spell_unit(unit, "udunits"),
                            "long_name": f"{attrs.get('long_name', name)} "
                            f"(stages counted in {spell_unit(fam_unit, 'udunits')})",
                        },
                        family=fam,
                        family_stages=tuple(members),
                        factors=factors,
                    )
                )
            continue
        unit = str(da.attrs.get("units", "dimensionless"))
        dims = ("scenario", *da.dims)
        out.append(
            _Var(
                name=str(name),
                source=str(name),
                dims=dims,
                shape=tuple(len(labels[d]) for d in dims),
                dtype=dtype,
                attrs={
                    **attrs,
                    "units": spell_unit(unit, "udunits"),
                    "long_name": attrs.get("long_name", str(name)),
                },
            )
        )
    return out


# ---------------------------------------------------------------------------
# filling variables, block by block
# ---------------------------------------------------------------------------
def _positions(src: Sequence[Any], dst: Sequence[Any]) -> tuple[Any, Any]:
    """Indexers (into the source, into the file) that put ``src`` labels where ``dst`` has them."""
    where = {x: k for k, x in enumerate(dst)}
    pos = np.array([where[x] for x in src], dtype=np.int64)
    order = np.argsort(pos, kind="stable")
    pos = pos[order]
    src_index: Any = slice(None) if np.array_equal(order, np.arange(len(order))) else order
    if len(pos) and np.array_equal(pos, np.arange(pos[0], pos[0] + len(pos))):
        return src_index, slice(int(pos[0]), int(pos[0]) + len(pos))
    return src_index, pos.tolist()


def _assign(target: Any, index: tuple[Any, ...], block: np.ndarray) -> None:
    """``target[index] = block``, one list index at a time (HDF5 allows one per selection)."""
    lists = [k for k, ix in enumerate(index) if isinstance(ix, list)]
    if len(lists) <= 1:
        if isinstance(target, np.ndarray):  # a view of the scenario first: numpy would move
            target[index[0]][index[1:]] = block  # the list's axis to the front otherwise
        else:
            target[index] = block
        return
    k = lists[0]
    for j, pos in enumerate(index[k]):
        sub = list(index)
        sub[k] = slice(pos, pos + 1)
        _assign(target, tuple(sub), np.take(block, [j], axis=k))


def _blocks(n: int, row_bytes: int) -> Iterator[slice]:
    step = max(1, BLOCK_BYTES // max(row_bytes, 1))
    for start in range(0, n, step):
        yield slice(start, min(n, start + step))


def _fill(plan: _Plan, parts: Mapping[str, xr.Dataset], targets: Mapping[str, Any]) -> None:
    """Write every scenario's values into ``targets`` (variable name -> array-like).

    Each variable is written in blocks of draws (at most :data:`BLOCK_BYTES` of the
    source at a time); labelled dimensions are matched by label, so scenarios with other
    quarters, stages or projects land in the right places.
    """
    for s, ds in enumerate(parts.values()):
        for var in plan.variables:
            if var.source not in ds:
                continue  # left at the fill value
            da = ds[var.source]
            values = da.values  # the results' own array: no copy
            src_ix: list[Any] = []
            dst_ix: list[Any] = [s]
            for dim in da.dims:
                if dim == "draw" or dim not in ds.coords:
                    src_ix.append(slice(None))
                    dst_ix.append(slice(0, da.sizes[dim]))
                    continue
                own = [str(x) for x in ds[dim].values]
                if dim == "stage" and var.family:
                    members = set(var.family_stages)
                    keep = np.array([k for k, x in enumerate(own) if x in members], dtype=np.int64)
                    sub, dst = _positions(
                        [own[k] for k in keep], plan.labels[f"stage_{var.family}"]
                    )
                    src_ix.append(keep if isinstance(sub, slice) else keep[sub])
                    dst_ix.append(dst)
                    continue
                sub, dst = _positions(own, [str(x) for x in plan.labels[dim]])
                src_ix.append(sub)
                dst_ix.append(dst)
            factors = None
            if var.family:
                axis = da.dims.index("stage")
                own = [str(x) for x in ds["stage"].values]
                order = {x: k for k, x in enumerate(var.family_stages)}
                f = np.array([var.factors[order[own[k]]] for k in src_ix[axis]], dtype=np.float64)
                if not np.all(f == 1.0):
                    factors = f.reshape([len(f) if k == axis else 1 for k in range(values.ndim)])
            if da.dims and da.dims[0] == "draw":
                row_bytes = values.itemsize * int(np.prod(values.shape[1:], dtype=np.int64))
                blocks = list(_blocks(values.shape[0], row_bytes))
            else:
                blocks = [None]
            for rows in blocks:
                dst = list(dst_ix)
                if rows is None:
                    block = _take(values, src_ix)
                else:
                    block = _take(values[rows], [slice(None), *src_ix[1:]])
                    dst[1] = slice(rows.start, rows.stop)
                if factors is not None:
                    block = block * factors
                _assign(targets[var.name], tuple(dst), block.astype(var.dtype, copy=False))


def _take(values: np.ndarray, index: Sequence[Any]) -> np.ndarray:
    """``values`` selected axis by axis (slices are views; index arrays copy once each)."""
    out = values
    for axis, ix in enumerate(index):
        if isinstance(ix, slice) and ix == slice(None):
            continue
        out = out[(slice(None),) * axis + (ix,)]
    return out


def _chunks(var: _Var) -> tuple[int, ...]:
    """HDF5 chunk shape: one scenario, about :data:`CHUNK_BYTES`, whole trailing dimensions."""
    shape = list(var.shape)
    chunk = [1] + shape[1:]
    row = var.dtype.itemsize * int(np.prod(shape[2:], dtype=np.int64)) if len(shape) > 2 else 8
    if len(shape) > 1 and var.dims[1] in SAMPLE_DIMS:
        chunk[1] = max(1, min(shape[1], CHUNK_BYTES // max(row, 1)))
    return tuple(max(1, c) for c in chunk)


def compression_encoding(ds: xr.Dataset) -> dict[str, dict[str, Any]]:
    """The xarray ``encoding`` that compresses and chunks the sampled variables of ``ds``.

    Parameters
    ----------
    ds
        A Dataset with a ``draw`` (or ``stat``) dimension, in any layout.

    Returns
    -------
    dict
        Variable -> ``zlib``, ``complevel``, ``shuffle`` and ``chunksizes`` (about
        :data:`CHUNK_BYTES`, along the leading sample dimension) for every data variable
        that starts with a sample dimension.
    """
    out: dict[str, dict[str, Any]] = {}
    for name, da in ds.data_vars.items():
        if not da.dims or da.dims[0] not in SAMPLE_DIMS or da.dtype.kind not in "fiu":
            continue
        row = da.dtype.itemsize * int(np.prod(da.shape[1:], dtype=np.int64))
        chunks = (max(1, min(da.shape[0], CHUNK_BYTES // max(row, 1))), *da.shape[1:])
        out[str(name)] = {
            "zlib": True,
            "complevel": COMPRESSION["compression_opts"],
            "shuffle": COMPRESSION["shuffle"],
            "chunksizes": chunks,
        }
    return out


def _fill_value(dtype: np.dtype) -> Any:
    return np.nan if dtype.kind == "f" else None


# ---------------------------------------------------------------------------
# the public functions
# ---------------------------------------------------------------------------
def _parts(
    results: Mapping[str, xr.Dataset],
    quarters: str | tuple[int, int] | None,
    summary: bool,
) -> dict[str, xr.Dataset]:
    if not results:
        msg = "no results to export"
        raise ValueError(msg)
    if summary:
        return summaries(results, quarters)
    return {name: select_quarters(ds, quarters) for name, ds in results.items()}


def _title(names: Sequence[str], summary: bool) -> str:
    kind = "summaries over the draws" if summary else "every Monte Carlo draw"
    return f"parkcap projection ({kind}): " + ", ".join(names)


def netcdf_dataset(
    results: Mapping[str, xr.Dataset],
    quarters: str | tuple[int, int] | None = None,
    summary: bool = False,
) -> xr.Dataset:
    """The Dataset a NetCDF export holds, in memory (the CF layout of the module docstring).

    Parameters
    ----------
    results
        Scenario name -> ``simulate()`` Dataset (or its summary).
    quarters
        A quarter range such as ``"2024Q3:2030Q4"`` (default: every quarter).
    summary
        Summaries (``stat`` = p10/p50/p90/mean, plus ``p_short``) instead of every draw.

    Returns
    -------
    xarray.Dataset
        The same variables, coordinates and attributes as the file :func:`write_cf_netcdf`
        writes. It is a copy of the results: for large runs write the file instead.
    """
    parts = _parts(results, quarters, summary)
    plan = _plan(parts, _title(list(parts), summary))
    arrays = {
        v.name: np.full(v.shape, _fill_value(v.dtype) or 0, dtype=v.dtype) for v in plan.variables
    }
    _fill(plan, parts, arrays)
    ds = plan.coords.copy()
    for v in plan.variables:
        ds[v.name] = (v.dims, arrays[v.name], dict(v.attrs))
    return ds


def write_cf_netcdf(
    results: Mapping[str, xr.Dataset],
    path: str | os.PathLike[str],
    quarters: str | tuple[int, int] | None = None,
    summary: bool = False,
) -> Path:
    """Write the CF NetCDF of ``results`` to ``path``, straight from the results, atomically.

    Parameters
    ----------
    results
        Scenario name -> ``simulate()`` Dataset (or its summary); draws may differ between
        scenarios (missing draws are fill values).
    path
        The file to write; its folder is created. A temporary file beside it is renamed
        into place at the end, so a failure leaves no partial file and an existing file
        intact.
    quarters
        A quarter range such as ``"2024Q3:2030Q4"`` (default: every quarter).
    summary
        Summaries (``stat`` = p10/p50/p90/mean, plus ``p_short``) instead of every draw.

    Returns
    -------
    pathlib.Path
        ``path``.

    Notes
    -----
    The coordinates are written by xarray; each data variable is then created with
    h5netcdf (zlib, chunks of about 1 MiB) and filled scenario by scenario in blocks of at
    most 16 MiB, so the memory needed beyond the results is a few blocks.
    """
    import h5netcdf

    path = Path(path)
    parts = _parts(results, quarters, summary)
    plan = _plan(parts, _title(list(parts), summary))
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        plan.coords.to_netcdf(
            tmp,
            engine="h5netcdf",
            encoding={
                "quarter_end": {
                    "units": "days since 1970-01-01",
                    "calendar": "proleptic_gregorian",
                    "dtype": "int32",
                }
            },
        )
        aux = {
            str(c): set(plan.coords[c].dims)
            for c in plan.coords.coords
            if c not in plan.coords.dims
        }
        with h5netcdf.File(tmp, "a") as f:
            targets = {}
            for v in plan.variables:
                h5var = f.create_variable(
                    v.name,
                    dimensions=v.dims,
                    dtype=v.dtype,
                    fillvalue=_fill_value(v.dtype),
                    chunks=_chunks(v),
                    **COMPRESSION,
                )
                linked = [c for c, dims in aux.items() if dims <= set(v.dims)]
                attrs = {**v.attrs, **({"coordinates": " ".join(linked)} if linked else {})}
                for key, value in attrs.items():
                    if _attr_ok(value):
                        h5var.attrs[key] = value
                targets[v.name] = h5var
            if "coordinates" in f.attrs:
                del f.attrs["coordinates"]  # every auxiliary coordinate is linked above
            _fill(plan, parts, targets)
        os.chmod(tmp, file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    logger.info("wrote %s (%d bytes)", path, path.stat().st_size)
    return path


def netcdf_bytes(
    results: Mapping[str, xr.Dataset],
    quarters: str | tuple[int, int] | None = None,
    summary: bool = False,
) -> bytes:
    """The bytes of the file :func:`write_cf_netcdf` writes (for downloads).

    The file is written to a temporary folder and read back: the bytes are the compressed
    file, not a copy of the results.
    """
    with tempfile.TemporaryDirectory(prefix="parkcap-nc-") as tmp:
        path = write_cf_netcdf(results, Path(tmp) / "export.nc", quarters, summary)
        return path.read_bytes()


def is_cf_layout(ds: xr.Dataset) -> bool:
    """Whether ``ds`` is in this module's CF layout (read from a file, not yet converted)."""
    return ds.attrs.get("parkcap_layout") == LAYOUT and "stage_family" in ds.coords


def from_cf(ds: xr.Dataset) -> xr.Dataset:
    """A Dataset in the CF layout back in the simulator's own layout.

    Parameters
    ----------
    ds
        Read from a file of :func:`write_cf_netcdf` (any other Dataset is returned as is).

    Returns
    -------
    xarray.Dataset
        Stage variables with a ``stage`` dimension again and their units in the per-stage
        ``unit`` (rates) or ``unit_stock`` coordinate (pint spellings, ``"m**2 / a"``), as
        :func:`model.results.quantify` and :mod:`model.backtest` read them; other units
        in pint spelling. Values are loaded into memory.
    """
    if not is_cf_layout(ds):
        return ds
    stages = [str(s) for s in ds["stage"].values]
    fam_of = dict(zip(stages, [str(f) for f in ds["stage_family"].values], strict=True))
    stage_unit = {
        s: unspell_unit(str(u), "udunits")
        for s, u in zip(stages, ds["stage_unit"].values, strict=True)
    }
    family_dims = {f"stage_{f}" for f in fam_of.values()}
    groups: dict[str, list[str]] = {}
    for name, da in ds.data_vars.items():
        fam_dims = [d for d in da.dims if d in family_dims]
        if fam_dims:
            fam = fam_dims[0][len("stage_") :]
            groups.setdefault(str(name)[: -(len(fam) + 1)], []).append(str(name))
    out = ds.drop_vars([n for names in groups.values() for n in names])
    for base, names in groups.items():
        pieces = []
        per_year = True
        long_name = base
        for n in names:
            da = ds[n]
            fam_dim = next(d for d in da.dims if d in family_dims)
            members = [str(x) for x in ds[fam_dim].values]
            unit = ureg.parse_units(unspell_unit(str(da.attrs.get("units", "1")), "udunits"))
            per_year = (
                unit.dimensionality != ureg.parse_units(stage_unit[members[0]]).dimensionality
            )
            long_name = str(da.attrs.get("long_name", base)).split(" (stages counted in")[0]
            pieces.append(
                da.rename({fam_dim: "stage"})
                .drop_vars([c for c in da.coords if c == fam_dim], errors="ignore")
                .assign_coords(stage=members)
            )
        merged = xr.concat(pieces, dim="stage", coords="minimal", compat="override")
        merged = merged.reindex(stage=stages)
        merged.attrs = {
            "long_name": long_name,
            "units_coordinate": "unit" if per_year else "unit_stock",
        }
        out[base] = merged
    for name in out.data_vars:
        if "units" in out[name].attrs:
            out[name].attrs["units"] = unspell_unit(str(out[name].attrs["units"]), "udunits")
    out = out.assign_coords(
        unit=("stage", [rate_unit(stage_unit[s]) for s in stages]),
        unit_stock=("stage", [stage_unit[s] for s in stages]),
    )
    out = out.drop_vars(
        ["stage_family", "stage_unit", *sorted(family_dims & set(out.coords))], errors="ignore"
    ).drop_dims([d for d in family_dims if d in out.dims], errors="ignore")
    out.attrs.pop("parkcap_layout", None)  # converted: from_cf(from_cf(ds)) is from_cf(ds)
    return out


def open_netcdf(path: str | os.PathLike[str]) -> xr.Dataset:
    """A NetCDF projection loaded into memory, in the simulator's layout (:func:`from_cf`).

    Reads files in the CF layout and in the simulator's own layout (``parkcap run --out``).
    """
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return from_cf(ds.load())
