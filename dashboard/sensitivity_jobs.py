"""The sensitivity analyses' jobs: the result cache, the run limit and the progress reports.

An analysis (:func:`model.sensitivity.sobol_indices`) runs in a job process of the app's
``DiskcacheManager`` (:func:`dashboard.app.job_manager`). Its result is kept in that
manager's disk cache, shared by the server and every job process, under the scenario's
content hash, the park's data version, the quarter and the sample size; at most
:data:`MAX_JOBS` analyses run at once, each holding a place (its process id) in the same
cache. The page (``dashboard/pages/sensitivity.py``) checks the controls and calls
:func:`compute`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import psutil

from dashboard.app import JOBS_KEY
from dashboard.guards import BUSY, Rejected
from dashboard.state import AppState
from model.scenario import Scenario
from model.sensitivity import sobol_indices

logger = logging.getLogger(__name__)

#: analyses computed at once by one app (each takes a core); more are told to wait
MAX_JOBS = 2
#: where the job processes list themselves in the disk cache
SLOTS_KEY = "sensitivity-running"
#: what the analysis reports progress as: (done, total) model runs
Progress = Callable[[int, int], None]


def result_key(state: AppState, scenario: Scenario, quarter: str, n: int) -> Hashable:
    """Cache key of one analysis: scenario content hash, data version, quarter, sample size."""
    return ("sensitivity", *state.key(scenario, quarter, n))


def _store() -> Any:
    """The app's job manager's disk cache (shared by the server and the job processes)."""
    from flask import current_app

    manager = current_app.extensions.get(JOBS_KEY)
    return None if manager is None else manager.handle


def cached_result(key: Hashable) -> dict[str, Any] | None:
    """The analysis kept under ``key``, or ``None``."""
    store = _store()
    return None if store is None else store.get(repr(key))


def keep_result(key: Hashable, result: Mapping[str, Any]) -> None:
    """Keep an analysis under ``key`` (in the disk cache, for every process of the app)."""
    store = _store()
    if store is not None:
        store.set(repr(key), dict(result))


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


@contextmanager
def job_slot(limit: int = MAX_JOBS) -> Iterator[None]:
    """Hold one of ``limit`` places for an analysis, across the app's processes.

    The places are process ids in the disk cache; a process that was killed (a cancelled
    run) gives its place back by being dead.

    Raises
    ------
    Rejected
        ``limit`` analyses are running ("the server is busy").
    """
    store = _store()
    if store is None:
        yield
        return
    me = os.getpid()
    with store.transact():
        running = [p for p in store.get(SLOTS_KEY, []) if p != me and _alive(p)]
        if len(running) >= limit:
            raise Rejected(BUSY)
        store.set(SLOTS_KEY, [*running, me])
    try:
        yield
    finally:
        with store.transact():
            store.set(SLOTS_KEY, [p for p in store.get(SLOTS_KEY, []) if p != me])


def compute(
    state: AppState, scenario: Scenario, quarter: str, n: int, progress: Progress | None = None
) -> dict[str, Any]:
    """The Sobol indices of every stage's gaps, from the cache or computed (and kept).

    Parameters
    ----------
    state
        The app state (its park as known on the page's date).
    scenario, quarter, n
        Checked by :func:`dashboard.pages.sensitivity.checked`.
    progress
        Called with (done, total) model runs as the analysis goes.

    Returns
    -------
    dict
        :func:`model.sensitivity.sobol_indices`'s result (indices are shares, 0-1).

    Raises
    ------
    Rejected
        :data:`MAX_JOBS` analyses are already running (see :func:`job_slot`).
    """
    key = result_key(state, scenario, quarter, n)
    hit = cached_result(key)
    if hit is not None:
        return hit
    with job_slot():
        logger.info("sensitivity of %s at %s, n=%d", scenario.name, quarter, n)
        result = sobol_indices(state.park, scenario, quarter, n=n, progress=progress)
    keep_result(key, result)
    return result


def progress_reporter(set_progress: Callable[[tuple[str, str, str]], None]) -> Progress:
    """A ``progress(done, total)`` that moves the page's bar, once per whole per cent."""
    last = [-1]

    def report(done: int, total: int) -> None:
        total = max(int(total), 1)
        pct = min(100, max(0, int(100 * done / total)))
        if pct != last[0]:
            last[0] = pct
            set_progress((str(done), str(total), f"{pct}%"))

    return report
