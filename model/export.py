"""Writing projections to files. Every writer goes through a temporary file in the target
folder and a rename, so a failure leaves no partial file and never damages an existing one.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import xarray as xr

logger = logging.getLogger(__name__)


def _tmp_beside(path: Path) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(tmp)


def write_netcdf(ds: xr.Dataset, path: str | os.PathLike[str]) -> Path:
    """Write ``ds`` to NetCDF4 (h5netcdf) atomically; units stay in attributes and the
    per-stage ``unit`` coordinate, so ``xarray.open_dataset`` gives them back."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_beside(path)
    try:
        ds.to_netcdf(tmp, engine="h5netcdf")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    logger.info("wrote %s", path)
    return path
