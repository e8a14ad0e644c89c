"""Scenarios named on the command line, and simulating them with a progress bar."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from model import quarters

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
    need = check_simulation(park, scenario, n, as_of, known_as_of, reserved=held)
    setattr(args, HELD, held + need)
    return simulate(
        park,
        scenario,
        draws=n,
        seed=args.seed,
        as_of=as_of,
        known_as_of=known_as_of,
        progress=progress_bar(n, sys.stderr.isatty()),
    )
