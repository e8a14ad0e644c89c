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
    CF-1.10: every draw, or its summaries with ``summary=True``, with a ``scenario``
    dimension; stage variables split by unit family (``nameplate_mass`` in ``t year^-1``,
    ``nameplate_area`` in ``m^2 year^-1``, ...), a UDUNITS ``units`` attribute on every
    variable, the quarter ends as the time axis; zlib-compressed, written straight to the
    file (:func:`write_cf_netcdf`). :func:`open_netcdf` reads it back in the simulator's
    layout.
``iamc``
    Wide IAMC CSV (``model, scenario, region, variable, unit, <periods>``) of the mean over
    draws: model ``parkcap 0.1``, region ``China|Xining ETDZ``, periods written as the
    quarter's last day (pyam's datetime time domain). Each variable is a *stock* or a
    *flow* (:data:`IAMC_VARIABLES`); parent totals where their sum means something.
``iamc-yearly``
    The same in the ``year`` time domain, for tools that refuse datetimes: :func:`yearly`
    aggregates quarters to years respecting stock and flow. Both validate against the
    codelists in ``definitions/`` (nomenclature-iamc).

Modules
-------
:mod:`model.export.results` runs, selects, summarises and combines scenarios for every
format; :mod:`~model.export.tidy`, :mod:`~model.export.xlsx`, :mod:`~model.export.netcdf`
and :mod:`~model.export.iamc` build one format each; :mod:`~model.export.inert` keeps
text from running as a spreadsheet formula in all of them. Import from ``model.export``:
the names below are re-exported here.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import xarray as xr

from model.datafiles import atomic_write_bytes, file_mode, remove_stale_temporaries
from model.export.iamc import (
    IAMC_INDEX,
    IAMC_MODEL,
    IAMC_PATHS,
    IAMC_REGION,
    IAMC_TOTALS,
    IAMC_UNIT_EXTENSION,
    IAMC_VARIABLES,
    TIME_DOMAINS,
    definitions_text,
    iamc_bytes,
    iamc_frame,
    iamc_model,
    iamc_path,
    iamc_unit,
    validate_iamc,
    variable_kind,
    write_definitions,
    yearly,
)
from model.export.netcdf import (
    CONVENTIONS,
    FAMILIES,
    compression_encoding,
    from_cf,
    is_cf_layout,
    netcdf_bytes,
    netcdf_dataset,
    open_netcdf,
    stage_family,
    write_cf_netcdf,
)
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
    "CONVENTIONS",
    "FAMILIES",
    "FORMATS",
    "IAMC_INDEX",
    "IAMC_MODEL",
    "IAMC_PATHS",
    "IAMC_REGION",
    "IAMC_TOTALS",
    "IAMC_UNIT_EXTENSION",
    "IAMC_VARIABLES",
    "SCENARIO_ATTRS",
    "STATS",
    "SUFFIX",
    "TIDY_COLUMNS",
    "TIME_DOMAINS",
    "VARIABLES",
    "combine",
    "csv_bytes",
    "definitions_text",
    "export_bytes",
    "from_cf",
    "iamc_bytes",
    "iamc_frame",
    "iamc_model",
    "iamc_path",
    "iamc_unit",
    "is_cf_layout",
    "netcdf_bytes",
    "netcdf_dataset",
    "open_netcdf",
    "parse_quarters",
    "run_scenarios",
    "select_quarters",
    "stage_family",
    "tidy_frame",
    "validate_iamc",
    "variable_kind",
    "write_definitions",
    "write_cf_netcdf",
    "write_export",
    "write_export_file",
    "write_netcdf",
    "xlsx_bytes",
    "yearly",
]

logger = logging.getLogger(__name__)

FORMATS = ("csv", "xlsx", "netcdf", "iamc", "iamc-yearly")
#: file-name ending of each format
SUFFIX = {
    "csv": ".csv",
    "xlsx": ".xlsx",
    "netcdf": ".nc",
    "iamc": "-iamc.csv",
    "iamc-yearly": "-iamc-yearly.csv",
}


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
    if fmt == "iamc-yearly":
        return iamc_bytes(park, results, quarters, time_domain="year")
    return iamc_bytes(park, results, quarters)


def write_export_file(
    park: Park,
    results: Mapping[str, xr.Dataset],
    path: str | os.PathLike[str],
    scenarios: Sequence[Scenario] = (),
    fmt: str = "csv",
    quarters: str | tuple[int, int] | None = None,
    lang: str = "zh",
    summary: bool = False,
) -> Path:
    """Write the export of ``results`` in ``fmt`` to ``path``, atomically.

    The arguments are those of :func:`export_bytes`. NetCDF is written straight to the
    file (:func:`write_cf_netcdf`), never held in memory as bytes; the other formats go
    through :func:`export_bytes` and :func:`write_export`.
    """
    if fmt == "netcdf":
        if not results:
            msg = "no results to export"
            raise ValueError(msg)
        return write_cf_netcdf(results, path, quarters, summary)
    return write_export(export_bytes(park, results, scenarios, fmt, quarters, lang, summary), path)


def write_export(data: bytes, path: str | os.PathLike[str]) -> Path:
    """Write export bytes to ``path`` through a temporary file and a rename.

    Temporary files of ``path`` that a killed writer left more than ten minutes ago are
    removed first.
    """
    path = Path(path)
    remove_stale_temporaries(path)
    atomic_write_bytes(path, data)
    logger.info("wrote %s (%d bytes)", path, len(data))
    return path


def _tmp_beside(path: Path) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(tmp)


def write_netcdf(ds: xr.Dataset, path: str | os.PathLike[str]) -> Path:
    """Write one ``simulate()`` Dataset to NetCDF4 (h5netcdf) atomically, in its own layout.

    This is ``parkcap run --out``: the simulator's layout (a ``stage`` dimension, units
    in the per-stage ``unit`` coordinate and in ``attrs["units"]``), which
    ``xarray.open_dataset`` and ``parkcap backtest`` read back as it was; draws are
    zlib-compressed in chunks. For the CF layout that CF tools and pint-xarray read, use
    :func:`write_cf_netcdf` (``parkcap export --format netcdf``).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    tmp = _tmp_beside(path)
    try:
        ds.to_netcdf(tmp, engine="h5netcdf", encoding=compression_encoding(ds))
        os.chmod(tmp, file_mode(path))  # mkstemp makes it private; keep the usual mode
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    logger.info("wrote %s", path)
    return path
