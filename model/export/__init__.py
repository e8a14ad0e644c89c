"""Writing projections to files: tidy CSV, an Excel workbook, NetCDF and IAMC.

Every format is first built in memory by a pure function that returns bytes
(:func:`export_bytes`, used by the dashboard's Export page as well as the CLI), then
written through a temporary file in the target folder and a rename (:func:`write_export`),
so a failure leaves no partial file and never damages an existing one.

Formats
-------
``csv``
    Tidy: one row per scenario × stage × quarter × variable with ``unit``, ``p10``,
    ``p50``, ``p90`` and ``mean``; UTF-8 with a byte-order mark so Excel shows Chinese.
``xlsx``
    A cover sheet (scenarios, data as-of date, seed, draws, sources, creation time), one
    sheet per scenario with a block per stage (units in the headers, numbers as numbers),
    and a gaps sheet; headers in Chinese or English.
``netcdf``
    The full Dataset (every draw), or its summaries with ``summary=True``, with a
    ``scenario`` dimension; units in the ``unit`` coordinate (stage variables) and in
    ``attrs["units"]``; read with ``xarray.open_dataset(path, engine="h5netcdf")``.
``iamc``
    Wide IAMC CSV (``model, scenario, region, variable, unit, <periods>``) of the mean over
    draws, periods written as the quarter's last day (pyam's datetime time domain). Each
    variable is a *stock* or a *flow* (:data:`IAMC_VARIABLES`); :func:`yearly` aggregates
    quarters to years respecting that.

Modules
-------
:mod:`model.export.results` runs, selects, summarises and combines scenarios for every
format; :mod:`~model.export.tidy`, :mod:`~model.export.xlsx`, :mod:`~model.export.netcdf`
and :mod:`~model.export.iamc` build one format each. Import from ``model.export``: the
names below are re-exported here.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import xarray as xr

from model.datafiles import atomic_write_bytes, file_mode
from model.export.iamc import (
    IAMC_INDEX,
    IAMC_MODEL,
    IAMC_PATHS,
    IAMC_REGION,
    IAMC_VARIABLES,
    iamc_bytes,
    iamc_frame,
    iamc_path,
    iamc_unit,
    variable_kind,
    yearly,
)
from model.export.netcdf import netcdf_bytes, netcdf_dataset
from model.export.results import (
    SCENARIO_ATTRS,
    STATS,
    VARIABLES,
    combine,
    parse_quarters,
    run_scenarios,
    select_quarters,
)
from model.export.tidy import TIDY_COLUMNS, csv_bytes, tidy_frame
from model.export.xlsx import xlsx_bytes

if TYPE_CHECKING:
    from model.park import Park
    from model.scenario import Scenario

__all__ = [
    "FORMATS",
    "IAMC_INDEX",
    "IAMC_MODEL",
    "IAMC_PATHS",
    "IAMC_REGION",
    "IAMC_VARIABLES",
    "SCENARIO_ATTRS",
    "STATS",
    "SUFFIX",
    "TIDY_COLUMNS",
    "VARIABLES",
    "combine",
    "csv_bytes",
    "export_bytes",
    "iamc_bytes",
    "iamc_frame",
    "iamc_path",
    "iamc_unit",
    "netcdf_bytes",
    "netcdf_dataset",
    "parse_quarters",
    "run_scenarios",
    "select_quarters",
    "tidy_frame",
    "variable_kind",
    "write_export",
    "write_netcdf",
    "xlsx_bytes",
    "yearly",
]

logger = logging.getLogger(__name__)

FORMATS = ("csv", "xlsx", "netcdf", "iamc")
#: file-name ending of each format
SUFFIX = {"csv": ".csv", "xlsx": ".xlsx", "netcdf": ".nc", "iamc": "-iamc.csv"}


def export_bytes(
    park: Park,
    results: Mapping[str, xr.Dataset],
    scenarios: Sequence[Scenario] = (),
    fmt: str = "csv",
    quarters: str | tuple[int, int] | None = None,
    lang: str = "zh",
    summary: bool = False,
) -> bytes:
    """The export of ``results`` (scenario name -> simulate() Dataset) in ``fmt``, as bytes.

    Pure: nothing is written. ``fmt`` is one of :data:`FORMATS`; ``quarters`` a range such
    as ``"2024Q3:2030Q4"`` (default: every simulated quarter); ``lang`` the language of
    names and headers; ``summary`` writes summaries instead of draws to NetCDF (the other
    formats always hold summaries). Raises :class:`~model.errors.DataError` on a bad
    quarter range.
    """
    if fmt not in FORMATS:
        msg = f"format must be one of {FORMATS}, not {fmt!r}"
        raise ValueError(msg)
    if not results:
        msg = "no results to export"
        raise ValueError(msg)
    if fmt == "csv":
        return csv_bytes(park, results, quarters, lang)
    if fmt == "xlsx":
        return xlsx_bytes(park, results, scenarios, quarters, lang)
    if fmt == "netcdf":
        return netcdf_bytes(results, quarters, summary)
    return iamc_bytes(park, results, quarters)


def write_export(data: bytes, path: str | os.PathLike[str]) -> Path:
    """Write export bytes to ``path`` through a temporary file and a rename."""
    path = Path(path)
    atomic_write_bytes(path, data)
    logger.info("wrote %s (%d bytes)", path, len(data))
    return path


def _tmp_beside(path: Path) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(tmp)


def write_netcdf(ds: xr.Dataset, path: str | os.PathLike[str]) -> Path:
    """Write ``ds`` to NetCDF4 (h5netcdf) atomically.

    Units stay in attributes and the per-stage ``unit`` coordinate, so
    ``xarray.open_dataset`` gives them back.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_beside(path)
    try:
        ds.to_netcdf(tmp, engine="h5netcdf")
        os.chmod(tmp, file_mode(path))  # mkstemp makes it private; keep the usual mode
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    logger.info("wrote %s", path)
    return path
