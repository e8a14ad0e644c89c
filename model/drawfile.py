"""The draws file: every draw of a run, written chunk by chunk, and summaries read from it.

A run too big for one process (:mod:`model.scaleout`) never holds all its draws: each chunk
of :data:`model.simulate.CHUNK` draws is compressed where it was computed (a worker, or the
process itself) and written into one NetCDF4 file at its draw offset. The file has the
simulator's layout, the one :func:`model.export.write_netcdf` writes for ``parkcap run
--out`` (``xarray.open_dataset`` reads it back as the Dataset :func:`model.simulate.simulate`
would return, bit for bit), with HDF5 chunks of one simulator chunk of draws and, for the
(draw, quarter, stage) variables, one stage: a stage's values are read without
decompressing the others.

Compression is HDF5's own pipeline, done by the worker: byte shuffle then deflate (zlib,
level :data:`LEVEL`), written with ``write_direct_chunk`` so the writing process only copies
bytes. Summaries (P10/P50/P90, mean and ``p_short``, as :func:`model.results.summarize`
computes them) are read back one stage at a time: one stage of every draw is in memory at
once, never the whole run.
"""

from __future__ import annotations

import logging
import os
import tempfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import h5netcdf
import h5py
import numpy as np
import xarray as xr

from model.datafiles import file_mode, remove_stale_temporaries
from model.results import PERCENTILES, SUMMARY_VARIABLES, is_short, percentiles

__all__ = [
    "LEVEL",
    "SUMMARY_VARIABLES",
    "DrawFile",
    "EncodedChunk",
    "encode_chunk",
    "stage_summary",
    "summary_dataset",
]

logger = logging.getLogger(__name__)

#: Deflate level of the draws (1: the fastest; draws of a stage compress about 8:1 anyway).
LEVEL = 1
STAGE_DIMS = ("draw", "quarter", "stage")
#: One compressed chunk: variable -> list of (HDF5 chunk offset, compressed bytes).
EncodedChunk = dict[str, list[tuple[tuple[int, ...], bytes]]]


def _chunk_shape(da: xr.DataArray, chunk: int) -> tuple[int, ...]:
    """The HDF5 chunk of a per-draw variable: ``chunk`` draws, one stage if it has stages."""
    if da.dims == STAGE_DIMS:
        return (chunk, da.shape[1], 1)
    return (chunk, *da.shape[1:])


def _draw_variables(ds: xr.Dataset) -> list[str]:
    """The data variables with a leading ``draw`` dimension (the ones written by chunk)."""
    return [str(k) for k, da in ds.data_vars.items() if da.dims and da.dims[0] == "draw"]


def _compress(block: np.ndarray, level: int = LEVEL) -> bytes:
    """HDF5's shuffle then deflate filters applied to one full chunk of values."""
    raw = np.ascontiguousarray(block)
    size = raw.dtype.itemsize
    shuffled = raw.view(np.uint8).reshape(-1, size).T.tobytes() if size > 1 else raw.tobytes()
    return zlib.compress(shuffled, level)


def encode_chunk(ds: xr.Dataset, chunk: int) -> EncodedChunk:
    """Compress the per-draw variables of one chunk of draws as the file's HDF5 chunks.

    Parameters
    ----------
    ds
        The Dataset of one simulator chunk (:meth:`model.simulate.Run.dataset`), its draws
        numbered from their place in the run (a multiple of ``chunk``).
    chunk
        Draws per HDF5 chunk (:data:`model.simulate.CHUNK`); a last, shorter chunk is
        padded with the variable's fill value (NaN), as HDF5 stores edge chunks.

    Returns
    -------
    EncodedChunk
        Variable -> (offset in the file's array, shuffled and deflated bytes) per HDF5 chunk.
    """
    first = int(ds["draw"].values[0])
    n = ds.sizes["draw"]
    out: EncodedChunk = {}
    for name in _draw_variables(ds):
        da = ds[name]
        shape = _chunk_shape(da, chunk)
        values = da.values
        fill = np.nan if values.dtype.kind == "f" else 0
        pieces = []
        for s in range(da.shape[2] if da.dims == STAGE_DIMS else 1):
            block = np.full(shape, fill, dtype=values.dtype)
            if da.dims == STAGE_DIMS:
                block[:n] = values[:, :, s : s + 1]
                offset: tuple[int, ...] = (first, 0, s)
            else:
                block[:n] = values
                offset = (first, *(0,) * (values.ndim - 1))
            pieces.append((offset, _compress(block)))
        out[name] = pieces
    return out


class DrawFile:
    """A NetCDF4 file of ``n`` draws, filled chunk by chunk in any order.

    Written to a temporary file beside ``path`` and renamed into place by :meth:`close`;
    :meth:`discard` removes it (a failed run leaves no partial file and keeps an older one).

    Parameters
    ----------
    path
        The file to write (NetCDF4 / HDF5, read by ``xarray.open_dataset``).
    template
        A Dataset of the run with any number of draws (its coordinates, attributes and the
        dtypes and shapes of its variables are taken; its draws are not written).
    n
        Draws of the run.
    chunk
        Draws per HDF5 chunk (:data:`model.simulate.CHUNK`).
    """

    def __init__(
        self, path: str | os.PathLike[str], template: xr.Dataset, n: int, chunk: int
    ) -> None:
        self.path = Path(path).absolute()  # workers that read it may start elsewhere
        self.path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(self.path)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        os.close(fd)
        self.tmp = Path(tmp)
        self.n = int(n)
        self.chunk = int(chunk)
        skeleton = template.isel(draw=slice(0, 0))
        skeleton.attrs.update({"draws": self.n, "deterministic": int(self.n == 1)})
        encoding: dict[str, dict[str, Any]] = {"draw": {"chunksizes": (self.chunk,)}}
        for name in _draw_variables(skeleton):
            encoding[name] = {
                "zlib": True,
                "complevel": LEVEL,
                "shuffle": True,
                "chunksizes": _chunk_shape(template[name], self.chunk),
            }
        try:
            skeleton.to_netcdf(
                self.tmp, engine="h5netcdf", encoding=encoding, unlimited_dims=["draw"]
            )
            with h5netcdf.File(self.tmp, "a") as f:
                f.resize_dimension("draw", self.n)
            self._h5 = h5py.File(self.tmp, "r+")
        except BaseException:
            self.tmp.unlink(missing_ok=True)
            raise
        self.written = 0

    def write(self, first_draw: int, encoded: EncodedChunk) -> None:
        """Store one encoded chunk (:func:`encode_chunk`) whose first draw is ``first_draw``.

        Parameters
        ----------
        first_draw
            Index of the chunk's first draw in the run.
        encoded
            The chunk's compressed HDF5 chunks.
        """
        for name, pieces in encoded.items():
            dset = self._h5[name]
            for offset, data in pieces:
                dset.id.write_direct_chunk(offset, data)
        stop = min(self.n, first_draw + self.chunk)
        self._h5["draw"][first_draw:stop] = np.arange(first_draw, stop)
        self.written += stop - first_draw

    def close(self) -> Path:
        """Finish the file and rename it into place.

        Returns
        -------
        pathlib.Path
            The file written.

        Raises
        ------
        RuntimeError
            If some draws were never written (a bug of the caller).
        """
        self._h5.close()
        if self.written != self.n:
            self.tmp.unlink(missing_ok=True)
            msg = f"{self.written} of {self.n} draws were written to {self.path.name}"
            raise RuntimeError(msg)
        os.chmod(self.tmp, file_mode(self.path))
        os.replace(self.tmp, self.path)
        logger.info("wrote %s (%d draws)", self.path, self.n)
        return self.path

    def discard(self) -> None:
        """Close and remove the temporary file (the run failed or was interrupted)."""
        try:
            self._h5.close()
        finally:
            self.tmp.unlink(missing_ok=True)


def _stats(values: np.ndarray) -> np.ndarray:
    """P10, P50, P90 and mean over the first axis, exactly as :func:`~model.results.summarize`.

    ``values`` is (draw, quarter); returns (stat, quarter), float64.
    """
    pct = percentiles(values, 0)
    mean = values.mean(axis=0, dtype=np.float64)
    return np.concatenate([pct, mean[None]], axis=0)


def stage_summary(
    path: str | os.PathLike[str], stage: int, variables: Sequence[str] = SUMMARY_VARIABLES
) -> dict[str, np.ndarray]:
    """The summaries of one stage, read from a draws file (one stage of every draw at a time).

    Parameters
    ----------
    path
        A file written by :class:`DrawFile` (or :func:`model.export.write_netcdf`).
    stage
        Position of the stage along the ``stage`` dimension.
    variables
        (draw, quarter, stage) variables to summarise (those the file lacks are skipped).

    Returns
    -------
    dict
        Variable -> (stat, quarter) array (P10, P50, P90, mean; float64), and ``p_short``
        -> (quarter,) probability that the stage is short.
    """
    out: dict[str, np.ndarray] = {}
    with h5py.File(path, "r") as f:
        for var in variables:
            if var in f:
                out[var] = _stats(f[var][:, :, stage])
        gap = f["gap"][:, :, stage]
        demand = f["demand"][:, :, stage]
        out["p_short"] = is_short(gap, demand).mean(axis=0)
    return out


def summary_dataset(
    path: str | os.PathLike[str],
    variables: Sequence[str] = SUMMARY_VARIABLES,
    run_stages: Callable[[list[int]], list[dict[str, np.ndarray]]] | None = None,
) -> xr.Dataset:
    """What :func:`model.results.summarize` returns for the run in a draws file.

    Parameters
    ----------
    path
        A file written by :class:`DrawFile`.
    variables
        The variables to summarise (default: :func:`~model.results.summarize`'s).
    run_stages
        Computes :func:`stage_summary` for a list of stage positions and returns the
        results in that order (e.g. on the workers of a cluster that sees the file);
        default: one after the other in this process.

    Returns
    -------
    xarray.Dataset
        ``stat`` × quarter × stage summaries of each variable, ``p_short`` (quarter ×
        stage), the file's coordinates and attributes.
    """
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        names = [v for v in variables if v in ds]
        stages = list(range(ds.sizes["stage"]))
        if run_stages is None:
            parts = [stage_summary(path, s, names) for s in stages]
        else:
            parts = run_stages(stages)
        out = {}
        for var in names:
            stacked = np.stack([p[var] for p in parts], axis=-1)
            out[var] = (("stat", "quarter", "stage"), stacked, dict(ds[var].attrs))
        out["p_short"] = (
            ("quarter", "stage"),
            np.stack([p["p_short"] for p in parts], axis=-1),
            {
                "long_name": "probability that local supply falls short of downstream demand",
                "units": "dimensionless",
            },
        )
        coords = {
            k: v.load()
            for k, v in ds.coords.items()
            if "draw" not in v.dims and "project" not in v.dims
        }
        coords["stat"] = [*PERCENTILES, "mean"]
        summary = xr.Dataset(out, coords=coords)
        summary.attrs.update(ds.attrs)
    return summary
