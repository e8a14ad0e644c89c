"""Long computations in worker processes, away from the web server's threads.

A simulation of 1,000 draws and, more so, a waterfall (a simulation per lever that
differs) keep a CPU busy for a tenth of a second to seconds, mostly in Python code: in the
web server's process they hold its interpreter lock, so every page load and callback of
every other user waits behind them. :class:`Workers` runs them in child processes instead,
one per lane (``"simulate"``: the what-if's run; ``"waterfall"``, at a lower priority), each
with its own copy of the park, so the server's threads stay free for the pages and a second
core is used. The children hand back small results only (summaries, gap tables, the
waterfall's steps), so a what-if's full result (about 50 MB) never enters the server's
memory.

``parkcap serve`` uses them; :func:`dashboard.create_app` does not unless asked
(``workers=True``), and tests compute in the calling thread. If a worker cannot be used,
the computation runs in the calling thread: a child that died is started again at the
next call; if the data on disk changed since the server loaded it, the workers are not
used again (a child would load the new data, the server holds the old).

The functions here that run in a child (:func:`whatif_results`, :func:`waterfall`) take
and return plain data, so they behave the same in the child and in the calling thread.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from pathlib import Path
from typing import Any

import xarray as xr

from model.catalogue import LANGS
from model.errors import DataError, Problem
from model.gaps import gap_table
from model.park import Park
from model.scenario import Scenario
from model.simulate import simulate, summarize

logger = logging.getLogger(__name__)

#: the lanes: one child each
LANES = ("simulate", "waterfall")
#: how much each lane's child yields the CPU to the server (``os.nice``; POSIX only): a
#: waterfall (seconds of work) runs on what the pages and the what-if leave over
NICENESS = {"simulate": 0, "waterfall": 5}
#: children per lane (one each: on a two-core server the pages keep a core; a second
#: what-if child measured no better under load, and costs about 110 MB)
PROCESSES = {"simulate": 1, "waterfall": 1}
#: what the what-if page's fan charts draw (summarised over draws, every stage)
FAN_VARIABLES = ("nameplate", "effective_capacity", "output", "gap")

#: what the what-if page's cards show of every stage besides the fan charts' variables
#: (means of the last quarter only: no percentiles needed)
CARD_VARIABLES = ("demand", "market_gap")
#: parks "as known on" a date that a child keeps (each a filtered copy of its park)
KNOWN_PARKS = 4

_PARK: Park | None = None  # in a child: the park it loaded
_KNOWN: dict[str, Park] = {}  # in a child: its park as known on some dates


class WorkerUnavailableError(RuntimeError):
    """The worker process cannot compute (it died, or its data is not the server's)."""


# ---------------------------------------------------------------------------
# what is computed (in a child, or in the calling thread)
# ---------------------------------------------------------------------------
def auto_base_gwh(ds: xr.Dataset) -> float:
    """What 'auto' start demand is in a simulation result.

    Today's (first quarter's) LFP cell output, mean over draws, GWh/a (0 if the park has no
    LFP cell stage).
    """
    if "lfp_cell" not in ds["stage"].values:
        return 0.0
    return float(ds["output"].sel(stage="lfp_cell").isel(quarter=0).mean())


def results_of(
    park: Park, scenario: Scenario, ds: xr.Dataset, stage: str, lang: str
) -> dict[str, Any]:
    """The small results the what-if page shows of one simulation, for one stage.

    Only what the page draws is computed: the summary of the chosen stage (a summary of
    every stage would cost a third of the simulation's time again) and the gap table in
    the chosen language.

    Returns
    -------
    dict
        ``summary`` (of :data:`FAN_VARIABLES`, of ``stage``), ``quarter`` (the last),
        ``table`` (the effective-basis gap table of that quarter, in ``lang``), ``tech``
        (mean storage demand by technology, a Dataset without draws) and ``auto_gwh``.
    """
    sm = summarize(ds.sel(stage=[stage]), variables=FAN_VARIABLES)
    quarter = str(sm["quarter"].values[-1])
    return {
        "summary": sm,
        "quarter": quarter,
        "table": gap_table(park, ds, quarter, basis="effective", scenario=scenario, lang=lang),
        "tech": ds[["technology_demand"]].mean("draw", keep_attrs=True),
        "auto_gwh": auto_base_gwh(ds),
    }


def page_results(park: Park, scenario: Scenario, ds: xr.Dataset) -> dict[str, Any]:
    """Everything the what-if page shows of one simulation, for every stage and language.

    Kept per scenario (by content hash), so a change of the chart's stage or of the
    language redraws from these without simulating again. About 1 MB for 1,000 draws.

    Returns
    -------
    dict
        ``summary`` (P10/P50/P90/mean of :data:`FAN_VARIABLES` and ``p_short``, every
        stage, in each stage's unit per year), ``quarter`` (the last), ``last`` (variable
        -> stage -> mean over draws in that quarter, and ``p_short``), ``tables``
        (language -> the effective-basis gap table of that quarter), ``tech`` (mean
        storage demand by technology, GWh/a, without draws) and ``auto_gwh`` (GWh/a).
    """
    # two at once: a visitor waits for this answer, and a what-if child has the core to spare
    sm = summarize(ds, variables=FAN_VARIABLES, threads=2)
    quarter = str(sm["quarter"].values[-1])
    return {
        "summary": sm,
        "quarter": quarter,
        "last": _last_quarter(ds, sm),
        "tables": _tables(park, scenario, ds, quarter),
        "tech": ds[["technology_demand"]].mean("draw", keep_attrs=True),
        "auto_gwh": auto_base_gwh(ds),
    }


def _last_quarter(ds: xr.Dataset, sm: xr.Dataset) -> dict[str, dict[str, float]]:
    """Means over draws in the last quarter, by variable and stage, as plain floats.

    Of :data:`FAN_VARIABLES` (from the summary), :data:`CARD_VARIABLES` and ``p_short``:
    what the result cards read, by dictionary look-up (an xarray selection per card
    figure would cost more than the rest of the cards together).
    """
    stages = [str(s) for s in sm["stage"].values]
    out = {}
    for var in FAN_VARIABLES:
        if var in sm:
            values = sm[var].sel(stat="mean").isel(quarter=-1).values
            out[var] = dict(zip(stages, map(float, values), strict=True))
    for var in CARD_VARIABLES:
        if var in ds:
            da = ds[var].isel(quarter=-1)
            values = da.values.mean(axis=da.dims.index("draw"), dtype="float64")
            out[var] = dict(zip(stages, map(float, values), strict=True))
    out["p_short"] = dict(
        zip(stages, map(float, sm["p_short"].isel(quarter=-1).values), strict=True)
    )
    return out


def _tables(
    park: Park, scenario: Scenario, ds: xr.Dataset, quarter: str
) -> dict[str, list[dict[str, Any]]]:
    """The gap table of ``quarter`` in every language.

    Computed once; only the stage names (the one text in it) are written again for the
    other languages.
    """
    first, *others = LANGS
    table = gap_table(park, ds, quarter, basis="effective", scenario=scenario, lang=first)
    out = {first: table}
    for lang in others:
        out[lang] = [
            {**row, "name": park.stages[row["stage"]].name(lang)}
            if row.get("stage") in park.stages
            else dict(row)
            for row in table
        ]
    return out


def park_known_on(park: Park, known_as_of: str | None) -> Park:
    """``park`` as known on an ISO date (``None``: as it is), kept for the next call."""
    if not known_as_of:
        return park
    key = f"{park.data_version}@{known_as_of}"
    found = _KNOWN.get(key)
    if found is None:
        found = park.as_known_on(date.fromisoformat(known_as_of))
        if len(_KNOWN) >= KNOWN_PARKS:
            _KNOWN.pop(next(iter(_KNOWN)))
        _KNOWN[key] = found
    return found


def whatif_page(scenario: dict[str, Any], known_as_of: str | None = None) -> tuple[str, Any]:
    """In a child: simulate ``scenario`` and keep :func:`page_results`.

    ``scenario`` is its ``model_dump``; the park is the child's as known on ``known_as_of``
    (an ISO date, or ``None``: every record).
    """

    def compute() -> dict[str, Any]:
        park = park_known_on(_park(), known_as_of)
        s = Scenario.from_dict(scenario, source="what-if")
        return page_results(park, s, simulate(park, s))

    return _outcome(compute)


def ready() -> tuple[str, Any]:
    """In a child: whether it holds the server's park (raises if not)."""
    return _outcome(lambda: _park() is not None)


def _park() -> Park:
    if _PARK is None:
        raise WorkerUnavailableError
    return _PARK


def _outcome(compute: Callable[[], Any]) -> tuple[str, Any]:
    """``("ok", value)`` or ``("problems", [Problem, ...])`` (a DataError's problems).

    A DataError does not survive pickling (its constructor takes the problems, its args
    hold the message), so its problems travel instead.
    """
    try:
        return "ok", compute()
    except DataError as exc:
        return "problems", list(exc.problems)


def whatif_results(scenario: dict[str, Any], stage: str, lang: str) -> tuple[str, Any]:
    """In a child: simulate ``scenario`` (its ``model_dump``) and keep :func:`results_of`."""

    def compute() -> dict[str, Any]:
        park = _park()
        s = Scenario.from_dict(scenario, source="what-if")
        return results_of(park, s, simulate(park, s), stage, lang)

    return _outcome(compute)


def waterfall(
    base: dict[str, Any],
    other: dict[str, Any],
    stage: str,
    quarter: str,
    variable: str,
    draws: int,
) -> tuple[str, Any]:
    """In a child: :func:`model.attribution.waterfall` of two scenarios (``model_dump``)."""
    from model.attribution import waterfall as run

    def compute() -> dict[str, Any]:
        park = _park()
        a = Scenario.from_dict(base, source="waterfall base")
        b = Scenario.from_dict(other, source="waterfall other")
        return run(park, a, b, stage, quarter, variable=variable, draws=draws)

    return _outcome(compute)


# ---------------------------------------------------------------------------
# the children
# ---------------------------------------------------------------------------
def _start(data_dir: str, data_version: str, parent: int, niceness: int = 0) -> None:
    """A child's set-up: its priority, the park; quit when the server does."""
    global _PARK  # noqa: PLW0603 (one park per child process)
    from model.park import load_park

    if niceness and hasattr(os, "nice"):
        os.nice(niceness)
    park = load_park(Path(data_dir))
    _PARK = park if park.data_version == data_version else None

    def watch() -> None:  # a server killed outright leaves no child behind
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


class Workers:
    """One worker process per lane, started on first use.

    Parameters
    ----------
    park
        The server's park: each child loads the same folder and checks that it finds the
        same ``data_version``.
    """

    def __init__(self, park: Park) -> None:
        self.data_dir = str(park.data_dir)
        self.data_version = park.data_version
        self._pools: dict[str, ProcessPoolExecutor] = {}
        self._lock = threading.Lock()
        self.disabled = False

    def _pool(self, lane: str) -> ProcessPoolExecutor:
        with self._lock:
            if self.disabled:
                raise WorkerUnavailableError
            pool = self._pools.get(lane)
            if pool is None:
                pool = ProcessPoolExecutor(
                    max_workers=PROCESSES.get(lane, 1),
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start,
                    initargs=(
                        self.data_dir,
                        self.data_version,
                        os.getpid(),
                        NICENESS.get(lane, 0),
                    ),
                )
                self._pools[lane] = pool
            return pool

    def start(self, lanes: tuple[str, ...] = LANES) -> bool:
        """Start the children now (each loads the park: a few seconds), not at first use.

        Returns whether they hold the server's data; if not, the workers are off.
        """
        try:
            return all(self.run(lane, ready) for lane in lanes)
        except WorkerUnavailableError:
            return False

    def run(self, lane: str, fn: Callable[..., tuple[str, Any]], *args: Any) -> Any:
        """``fn(*args)`` in the lane's child; its value, or its DataError raised here.

        Raises
        ------
        WorkerUnavailableError
            The child died (it is started again at the next call) or does not hold the
            server's data (the workers are then off for good); compute in the calling
            thread.
        """
        pool = self._pool(lane)
        try:
            kind, value = pool.submit(fn, *args).result()
        except (BrokenProcessPool, OSError) as exc:
            logger.warning("worker process %s died (%s): computing in the server", lane, exc)
            with self._lock:
                if self._pools.get(lane) is pool:
                    del self._pools[lane]
            pool.shutdown(wait=False, cancel_futures=True)
            raise WorkerUnavailableError from None
        except WorkerUnavailableError:
            logger.warning("the data changed since the server started: no worker processes")
            self.close()
            raise
        if kind == "problems":
            raise DataError([p for p in value if isinstance(p, Problem)])
        return value

    def close(self) -> None:
        """Stop the children; later calls raise :class:`WorkerUnavailableError`."""
        with self._lock:
            self.disabled = True
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.shutdown(wait=False, cancel_futures=True)
