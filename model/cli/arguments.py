"""What the commands read: argument types and the options several commands share.

An argument type turns bad text into an argparse error (exit status 2, no traceback).
Each command module has a ``register(sub, commands)`` function that adds its parsers to
``sub`` (a :data:`Subparsers`) and its handlers to ``commands`` (a :data:`Commands`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, MutableMapping
from datetime import date

from model import quarters
from model.budget import LAST_QUARTER, horizon_expectation
from model.scenario import MAX_DRAWS, MAX_SEED

#: A command: reads the parsed arguments, writes its output, returns the exit status.
Handler = Callable[[argparse.Namespace], int]
#: Command name -> handler; ``main`` calls the handler of the command given.
Commands = MutableMapping[str, Handler]
#: What ``ArgumentParser.add_subparsers`` returns (a class private to argparse).
Subparsers = argparse._SubParsersAction
#: The earliest quarter a command takes (earlier years have no calendar dates to end on).
FIRST_QUARTER = 1900 * 4


def arg_date(text: str) -> date:
    """``YYYY-MM-DD`` for argparse.

    Parameters
    ----------
    text
        The argument as typed.

    Returns
    -------
    datetime.date
        The date.

    Raises
    ------
    argparse.ArgumentTypeError
        If ``text`` is not an ISO date.
    """
    try:
        return date.fromisoformat(text)
    except ValueError:
        msg = f"{text!r} is not a date; expected YYYY-MM-DD, e.g. 2024-06-30"
        raise argparse.ArgumentTypeError(msg) from None


def arg_quarter(text: str) -> int:
    """``2026Q4`` for argparse.

    Parameters
    ----------
    text
        The argument as typed.

    Returns
    -------
    int
        The quarter as :func:`model.quarters.parse_quarter` numbers it.

    Raises
    ------
    argparse.ArgumentTypeError
        If ``text`` is not a quarter from 1900Q1 to the last quarter a projection may
        reach (:data:`model.budget.LAST_QUARTER`, 2060Q4).
    """
    try:
        q = quarters.parse_quarter(text)
    except quarters.QuarterError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if q > LAST_QUARTER:
        msg = f"{text!r}: {horizon_expectation()}"
        raise argparse.ArgumentTypeError(msg)
    if q < FIRST_QUARTER:
        msg = f"{text!r}: expected a quarter no earlier than {quarters.label(FIRST_QUARTER)}"
        raise argparse.ArgumentTypeError(msg)
    return q


def arg_positive_int(text: str) -> int:
    """A whole number of at least 1.

    Parameters
    ----------
    text
        The argument as typed.

    Returns
    -------
    int
        The number.

    Raises
    ------
    argparse.ArgumentTypeError
        If ``text`` is not a whole number of at least 1.
    """
    try:
        n = int(text)
    except ValueError:
        msg = f"{text!r} is not a whole number"
        raise argparse.ArgumentTypeError(msg) from None
    if n < 1:
        msg = f"{text!r}: expected 1 or more"
        raise argparse.ArgumentTypeError(msg)
    return n


def arg_seed(text: str) -> int:
    """A seed from 0 to 2**32 - 1 (what the scenario schema and NetCDF attributes hold).

    Parameters
    ----------
    text
        The argument as typed.

    Returns
    -------
    int
        The seed.

    Raises
    ------
    argparse.ArgumentTypeError
        If ``text`` is not a whole number in range.
    """
    try:
        n = int(text)
    except ValueError:
        msg = f"{text!r} is not a whole number"
        raise argparse.ArgumentTypeError(msg) from None
    if not 0 <= n <= MAX_SEED:
        msg = f"{text!r}: expected a whole number from 0 to {MAX_SEED}"
        raise argparse.ArgumentTypeError(msg)
    return n


def arg_draws(text: str) -> int:
    """Monte Carlo draws, 1 to the scenario schema's sanity bound.

    Whether a run of that many draws fits in memory is checked by the simulator against
    the memory budget (:mod:`model.budget`), which knows the horizon too.

    Parameters
    ----------
    text
        The argument as typed.

    Returns
    -------
    int
        The number of draws.

    Raises
    ------
    argparse.ArgumentTypeError
        If ``text`` is not a whole number from 1 to ``MAX_DRAWS``.
    """
    n = arg_positive_int(text)
    if n > MAX_DRAWS:
        msg = f"{text!r}: expected at most {MAX_DRAWS:,} draws"
        raise argparse.ArgumentTypeError(msg)
    return n


def add_common_options(p: argparse.ArgumentParser) -> None:
    """Add ``--data`` and ``--lang``, which every command takes.

    Plugin commands receive this function as the ``add_common`` argument of their
    ``register``.

    Parameters
    ----------
    p
        The parser of one command.
    """
    p.add_argument(
        "--data",
        metavar="DIR",
        default=None,
        help="data folder (default: $PARKCAP_DATA or the project's data/)",
    )
    p.add_argument(
        "--lang", choices=["zh", "en"], default="zh", help="language of the output (default zh)"
    )


def add_simulation_options(p: argparse.ArgumentParser) -> None:
    """Add the options of the commands that simulate scenarios.

    These are ``--scenarios``, ``--draws``, ``--seed``, ``--as-of`` and ``--known-as-of``.

    Parameters
    ----------
    p
        The parser of one command.
    """
    p.add_argument(
        "--scenarios",
        metavar="DIR",
        default=None,
        help="scenarios folder (default: $PARKCAP_SCENARIOS or the project's scenarios/)",
    )
    p.add_argument(
        "--draws",
        type=arg_draws,
        default=None,
        help="Monte Carlo draws (default: the scenario's)",
    )
    p.add_argument(
        "--seed", type=arg_seed, default=None, help="random seed (default: the scenario's)"
    )
    p.add_argument(
        "--as-of", type=arg_date, default=None, help="start from the park as it was on this date"
    )
    p.add_argument(
        "--known-as-of", type=arg_date, default=None, help="use only records recorded by this date"
    )
