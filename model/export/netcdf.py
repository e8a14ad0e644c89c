"""NetCDF: every scenario along a ``scenario`` dimension, in one NetCDF4 (h5netcdf) file.

The full Dataset (every draw), or its summaries with ``summary=True``. Units are in the
``unit`` coordinate (stage variables) and in ``attrs["units"]``; read the file with
``xarray.open_dataset(path, engine="h5netcdf")``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

import xarray as xr

from model.export.results import combine, select_quarters, summaries


def netcdf_dataset(
    results: Mapping[str, xr.Dataset],
    quarters: str | tuple[int, int] | None = None,
    summary: bool = False,
) -> xr.Dataset:
    """The Dataset a NetCDF export holds: all scenarios along ``scenario``.

    Every draw (or the summaries with ``summary=True``).
    """
    if summary:
        return combine(summaries(results, quarters))
    return combine({n: select_quarters(ds, quarters) for n, ds in results.items()})


def netcdf_bytes(
    results: Mapping[str, xr.Dataset],
    quarters: str | tuple[int, int] | None = None,
    summary: bool = False,
) -> bytes:
    """NetCDF4 (h5netcdf) bytes of :func:`netcdf_dataset`."""
    ds = netcdf_dataset(results, quarters, summary)
    with tempfile.TemporaryDirectory(prefix="parkcap-nc-") as tmp:
        path = Path(tmp) / "export.nc"
        ds.to_netcdf(path, engine="h5netcdf")
        return path.read_bytes()
