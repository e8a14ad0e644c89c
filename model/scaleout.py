"""Runs that outgrow one process: chunks of draws on Dask workers, streamed to a file.

:func:`run_streamed` splits a run into the simulator's chunks of
:data:`model.simulate.CHUNK` draws. Each chunk is simulated and compressed by a worker of a
``dask.distributed`` cluster (a :class:`~distributed.LocalCluster` of ``workers`` processes,
or an existing cluster at ``scheduler``), or in this process when neither is given; the
writing process stores each finished chunk at its draw offset in one NetCDF4 file
(:class:`model.drawfile.DrawFile`) and keeps only a few chunks in flight. Summaries
(P10/P50/P90, mean, ``p_short``) are then read back from the file one stage at a time.

A chunk's random draws depend only on the seed and the chunk's number, so the file holds
the values :func:`model.simulate.simulate` would return, bit for bit, for any number of
workers. Memory is bounded per process, not per run: :func:`model.budget.check_streamed`
sizes one chunk and one stage of the summaries against the limit.

Each worker prepares a run once (:func:`model.simulate.Run.prepare`) and keeps it in
:data:`_RUNS`, keyed by a hash of the park, the scenario and the dates; the park and the
scenario are sent to every worker once (``Client.scatter``), so workers need the project's
code but not the data folder.

Other studies (the Sobol study of :mod:`model.sensitivity`) use the same machinery:
:func:`model.cluster.engine` opens a cluster (or none), :meth:`~model.cluster.Engine.imap`
runs a function over many calls on it with a bounded number in flight, and
:func:`run_streamed` takes ``sampler``.
"""

from __future__ import annotations

import hashlib
import logging
import math
import pickle
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import numpy as np
import xarray as xr

from model.budget import check_streamed
from model.cluster import CONNECT_TIMEOUT, ClusterUnavailable, Engine, engine
from model.drawfile import (
    SUMMARY_VARIABLES,
    DrawFile,
    EncodedChunk,
    encode_chunk,
    stage_summary,
    summary_dataset,
)
from model.park import Park
from model.scenario import Scenario
from model.simulate import CHUNK, Run

__all__ = [
    "CONNECT_TIMEOUT",
    "ClusterUnavailable",
    "Engine",
    "chunk_task",
    "engine",
    "run_streamed",
    "simulate_chunk",
]

logger = logging.getLogger(__name__)

#: Prepared runs a worker keeps (a study sends a few scenarios to the same workers).
RUNS_KEPT = 8
#: Prepared runs of this process (a worker's), by :func:`run_key`.
_RUNS: OrderedDict[str, Run] = OrderedDict()
_RUNS_LOCK = threading.Lock()


# ---------------------------------------------------------------------------
# one chunk, on a worker
# ---------------------------------------------------------------------------
def run_key(park: Park, scenario: Scenario, as_of: date | None, known_as_of: date | None) -> str:
    """A key of a prepared run: a hash of the park, the scenario and the dates."""
    digest = hashlib.sha256()
    for part in (park, scenario, as_of, known_as_of):
        digest.update(pickle.dumps(part, protocol=5))
    return digest.hexdigest()[:24]


def _prepared(
    key: str, park: Park, scenario: Scenario, as_of: date | None, known_as_of: date | None
) -> Run:
    """The run of ``key`` in this process, prepared on first use and kept (a few)."""
    with _RUNS_LOCK:  # a worker may run tasks in several threads
        run = _RUNS.get(key)
        if run is not None:
            _RUNS.move_to_end(key)
            return run
    run = Run.prepare(park, scenario, as_of, known_as_of)
    with _RUNS_LOCK:
        _RUNS[key] = run
        while len(_RUNS) > RUNS_KEPT:
            _RUNS.popitem(last=False)
    return run


def simulate_chunk(
    run: Run, seed: int, chunk: int, n: int, sampler: str = "mc"
) -> dict[str, np.ndarray]:
    """The raw arrays of the first ``n`` draws of chunk ``chunk`` of ``run``.

    The one call of :meth:`model.simulate.Run.chunk` of a streamed run, with its sampler
    (``"mc"``, Monte Carlo, or ``"sobol"``; see :mod:`model.sampling`).
    """
    return run.chunk(seed, chunk, n, sampler=sampler)


def chunk_task(
    key: str,
    park: Park,
    scenario: Scenario,
    as_of: date | None,
    known_as_of: date | None,
    seed: int,
    chunk: int,
    n: int,
    sampler: str = "mc",
) -> EncodedChunk:
    """Simulate chunk ``chunk`` (its first ``n`` draws) and compress it for the file.

    Runs on a worker (or in this process); the run is prepared once per process.

    Returns
    -------
    EncodedChunk
        The chunk's HDF5 chunks (:func:`model.drawfile.encode_chunk`).
    """
    run = _prepared(key, park, scenario, as_of, known_as_of)
    res = simulate_chunk(run, seed, chunk, n, sampler)
    ds = run.dataset(res, seed, first_draw=chunk * CHUNK, sampler=sampler)
    return encode_chunk(ds, CHUNK)


# ---------------------------------------------------------------------------
# the public function
# ---------------------------------------------------------------------------
def run_streamed(
    park: Park,
    scenario: Scenario,
    draws: int | None,
    seed: int | None,
    path: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    sampler: str = "mc",
    progress: Callable[[int, int], None] | None = None,
    as_of: date | None = None,
    known_as_of: date | None = None,
    variables: tuple[str, ...] = SUMMARY_VARIABLES,
    limit: str | int | float | None = None,
) -> xr.Dataset:
    """Simulate a run chunk by chunk into a NetCDF4 file; return its summaries.

    Parameters
    ----------
    park, scenario, draws, seed, as_of, known_as_of
        As for :func:`model.simulate.simulate` (``draws``/``seed`` ``None``: the scenario's).
    path
        The NetCDF4 file to write (simulator layout; ``xarray.open_dataset`` reads it).
    workers
        Run the chunks on a local Dask cluster of this many processes.
    scheduler
        Run them on the existing Dask cluster at this address (``tcp://host:8786``).
        Neither: in this process, with the same code and the same values.
    sampler
        ``"mc"`` (Monte Carlo) or another sampler of :meth:`model.simulate.Run.chunk`.
    progress
        Called as ``progress(done_draws, total_draws)`` after each chunk is written.
    variables
        The variables to summarise (default: :func:`model.results.summarize`'s).
    limit
        Memory limit per process (default ``$PARKCAP_MEMORY_LIMIT``), see
        :func:`model.budget.check_streamed`.

    Returns
    -------
    xarray.Dataset
        What :func:`model.results.summarize` returns for the full result.

    Raises
    ------
    model.errors.DataError
        If the run cannot start, or one chunk or one stage's summaries exceed the limit.
    ClusterUnavailable
        If the cluster cannot be reached or started.
    """
    from model.errors import DataError, Problem

    n = int(draws if draws is not None else scenario.draws)
    if n < 1:
        raise DataError([Problem("simulate", None, "draws", n, "expected 1 or more")])
    seed_ = int(seed if seed is not None else scenario.seed)
    check_streamed(park, scenario, n, as_of, known_as_of, limit=limit)
    if n == 1:  # the deterministic central path is not a chunk of draws
        return _deterministic(park, scenario, seed_, path, (as_of, known_as_of), variables, sampler)
    run = Run.prepare(park, scenario, as_of, known_as_of)  # problems show here, not on workers
    key = run_key(park, scenario, as_of, known_as_of)
    template = run.dataset(simulate_chunk(run, seed_, 0, 1, sampler), seed_, sampler=sampler)
    chunks = math.ceil(n / CHUNK)
    with engine(workers, scheduler) as eng:
        shared_park, shared_scenario = eng.share(park), eng.share(scenario)
        calls = (
            (key, shared_park, shared_scenario, as_of, known_as_of, seed_, k)
            + (min(CHUNK, n - k * CHUNK), sampler)
            for k in range(chunks)
        )
        out = DrawFile(path, template, n, CHUNK)
        try:
            done = 0
            for k, encoded in eng.imap(chunk_task, calls):
                out.write(k * CHUNK, encoded)
                done += min(CHUNK, n - k * CHUNK)
                if progress is not None:
                    progress(done, n)
            written = out.close()
        except BaseException:
            out.discard()
            raise
        logger.info("%d draws of %s in %s; summarising", n, scenario.name, written)
        return summary_dataset(written, variables, _stage_runner(eng, written, variables))


def _stage_runner(
    eng: Engine, path: Path, variables: tuple[str, ...]
) -> Callable[[list[int]], list[dict[str, np.ndarray]]] | None:
    """Summaries of stages on the workers when they see the file, else ``None`` (here)."""
    if eng.client is None or not eng.sees(path):
        return None

    def run_stages(stages: list[int]) -> list[dict[str, np.ndarray]]:
        parts: list[dict[str, np.ndarray]] = [{} for _ in stages]
        calls = ((str(path), s, variables) for s in stages)
        for i, part in eng.imap(stage_summary, calls):
            parts[i] = part
        return parts

    return run_stages


def _deterministic(
    park: Park,
    scenario: Scenario,
    seed: int,
    path: str | Path,
    dates: tuple[date | None, date | None],
    variables: tuple[str, ...],
    sampler: str,
) -> xr.Dataset:
    """The one-draw central path, written and summarised in this process (it is small).

    ``dates`` are ``as_of`` and ``known_as_of``.
    """
    from model.export import write_netcdf
    from model.results import summarize
    from model.simulate import simulate

    as_of, known_as_of = dates
    ds = simulate(
        park,
        scenario,
        draws=1,
        seed=seed,
        as_of=as_of,
        known_as_of=known_as_of,
        sampler=sampler,
    )
    write_netcdf(ds, path)
    return summarize(ds, variables=variables)


@contextmanager
def scratch_file() -> Iterator[Path]:
    """A draws file in a temporary folder, removed when the block ends (for summaries only)."""
    with tempfile.TemporaryDirectory(prefix="parkcap-") as folder:
        yield Path(folder) / "draws.nc"
