"""Scenarios named on the command line, and simulating them with a progress bar.

A run either holds every draw in memory (:func:`simulate_from`) or streams its draws to a
file chunk by chunk, in this process or on Dask workers (:func:`stream_from`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from model import quarters
from model.catalogue import t
from model.errors import DataError, Problem

#: Runs of at least this many draws show a progress bar on a terminal.
PROGRESS_MIN_DRAWS = 5000
#: Attribute of the parsed arguments holding the bytes this command's runs hold so far.
HELD = "_budget_held_bytes"


def progress_bar(total: int, enabled: bool) -> Callable[[int, int], None] | None:
    """A tqdm bar on stderr for runs long enough to need one (>= 5,000 draws).

    Parameters
    ----------
    total
        Draws the run will make.
    enabled
        False when stderr is not a terminal (logs and pipes get no bar).

    Returns
    -------
    callable or None
        ``update(done, total)`` for the simulator, or ``None`` for no bar.
    """
    if not enabled or total < PROGRESS_MIN_DRAWS:
        return None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="draw", file=sys.stderr, leave=False)

    def update(done: int, _total: int) -> None:
        bar.update(done - bar.n)
        if done >= _total:
            bar.close()

    return update


def scenario_from(args: argparse.Namespace, name: str, park: Any) -> Any:
    """The scenario ``name`` from the ``--scenarios`` folder, checked against the park.

    Parameters
    ----------
    args
        Parsed arguments with ``scenarios``.
    name
        A name in the scenarios folder or a path to a TOML file.
    park
        The park the scenario refers to.

    Returns
    -------
    model.scenario.Scenario
        The loaded scenario.
    """
    from model.scenario import load_scenario

    return load_scenario(name, args.scenarios, park=park)


def simulate_from(
    args: argparse.Namespace, park: Any, scenario: Any, draws: int | None = None
) -> Any:
    """Simulate ``scenario`` with the options given on the command line.

    A command that simulates several scenarios keeps every result until it ends, so their
    memory estimates add up against one budget (:func:`model.budget.check_simulation`,
    with what this command's earlier runs hold as ``reserved``); a run that does not fit
    is refused before it starts.

    Parameters
    ----------
    args
        Parsed arguments with ``draws`` and ``seed``, and optionally ``horizon``,
        ``as_of`` and ``known_as_of``.
    park
        The park.
    scenario
        The scenario; ``--horizon`` replaces its horizon.
    draws
        Draws to make; default ``--draws``, else the scenario's.

    Returns
    -------
    xarray.Dataset
        What :func:`model.simulate.simulate` returns.

    Raises
    ------
    model.errors.DataError
        If the run, beside this command's earlier runs, does not fit the memory budget.
    """
    from model.budget import check_simulation
    from model.simulate import simulate

    n = draws if draws is not None else (args.draws or scenario.draws)
    horizon = getattr(args, "horizon", None)
    if horizon is not None:
        scenario = scenario.with_changes(horizon=quarters.label(horizon))
    as_of, known_as_of = getattr(args, "as_of", None), getattr(args, "known_as_of", None)
    held = getattr(args, HELD, 0)
    try:
        need = check_simulation(park, scenario, n, as_of, known_as_of, reserved=held)
    except DataError as exc:
        if not hasattr(args, "out"):  # only `parkcap run` can stream its draws to a file
            raise
        hint = t("run_stream_hint", getattr(args, "lang", "zh"))
        raise DataError([replace(p, expected=p.expected + hint) for p in exc.problems]) from None
    setattr(args, HELD, held + need)
    return simulate(
        park,
        scenario,
        draws=n,
        seed=args.seed,
        as_of=as_of,
        known_as_of=known_as_of,
        progress=progress_bar(n, sys.stderr.isatty()),
        sampler=getattr(args, "sampler", "mc"),
    )


def stream_from(
    args: argparse.Namespace,
    park: Any,
    scenario: Any,
    path: str | Path,
    variables: tuple[str, ...] | None = None,
) -> Any:
    """Simulate ``scenario`` chunk by chunk into the NetCDF file ``path``; return summaries.

    The draws run in this process, on ``--workers`` local processes or on the cluster of
    ``--scheduler`` (:func:`model.scaleout.run_streamed`): the file holds the values a run
    without them gives, and the memory budget applies to each process (one chunk and one
    stage's summaries), not to the whole run.

    Parameters
    ----------
    args
        Parsed arguments with ``draws``, ``seed``, ``lang`` and optionally ``horizon``,
        ``as_of``, ``known_as_of``, ``sampler``, ``workers``, ``scheduler``.
    park
        The park.
    scenario
        The scenario; ``--horizon`` replaces its horizon.
    path
        The NetCDF file to write.
    variables
        The variables to summarise (default: :func:`model.results.summarize`'s).

    Returns
    -------
    xarray.Dataset
        What :func:`model.results.summarize` returns for the whole run.

    Raises
    ------
    model.errors.DataError
        If the run does not fit the budget per process, or the cluster cannot be reached
        or started (one problem naming ``--scheduler`` or ``--workers``, in ``--lang``).
    """
    from model.scaleout import CONNECT_TIMEOUT, ClusterUnavailable, run_streamed

    n = args.draws or scenario.draws
    horizon = getattr(args, "horizon", None)
    if horizon is not None:
        scenario = scenario.with_changes(horizon=quarters.label(horizon))
    lang = getattr(args, "lang", "zh")
    more = {} if variables is None else {"variables": variables}
    try:
        return run_streamed(
            park,
            scenario,
            n,
            args.seed,
            path,
            workers=getattr(args, "workers", None),
            scheduler=getattr(args, "scheduler", None),
            sampler=getattr(args, "sampler", "mc"),
            progress=progress_bar(n, sys.stderr.isatty()),
            as_of=getattr(args, "as_of", None),
            known_as_of=getattr(args, "known_as_of", None),
            **more,
        )
    except ClusterUnavailable as exc:
        if getattr(args, "scheduler", None):
            msg = t("run_scheduler_unreachable", lang, seconds=CONNECT_TIMEOUT)
            problem = Problem("command line", None, "--scheduler", args.scheduler, msg)
        else:
            msg = t("run_cluster_failed", lang, workers=args.workers, reason=exc.reason)
            problem = Problem("command line", None, "--workers", args.workers, msg)
        raise DataError([problem]) from None
