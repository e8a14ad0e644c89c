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
        msg = f"{text!r} is not a whole number; expected digits only, e.g. 1000"
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
        msg = f"{text!r} is not a whole number; expected digits only, e.g. 1000"
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


def add_start_options(p: argparse.ArgumentParser) -> None:
    """Add where a run's scenarios and park come from: ``--scenarios``, ``--as-of``, ``--known-as-of``.

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
        "--as-of", type=arg_date, default=None, help="start from the park as it was on this date"
    )
    p.add_argument(
        "--known-as-of", type=arg_date, default=None, help="use only records recorded by this date"
    )


def add_simulation_options(p: argparse.ArgumentParser) -> None:
    """Add the options of the commands that simulate scenarios.

    These are ``--scenarios``, ``--draws``, ``--seed``, ``--as-of``, ``--known-as-of`` and
    ``--sampler``.

    Parameters
    ----------
    p
        The parser of one command.
    """
    add_start_options(p)
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
        "--sampler",
        choices=["mc", "sobol"],
        default="mc",
        help="random draws: mc (Monte Carlo, default) or sobol (scrambled Sobol' points, "
        "quasi-Monte Carlo: smaller error for the same draws)",
    )


#: The most worker processes ``--workers`` starts on one machine.
MAX_WORKERS = 256
_SCHEMES = ("tcp://", "tls://", "inproc://", "ucx://", "ws://", "wss://")


def arg_workers(text: str) -> int:
    """Worker processes of a local Dask cluster, 1 to :data:`MAX_WORKERS`.

    Parameters
    ----------
    text
        The argument as typed.

    Returns
    -------
    int
        The number of worker processes.

    Raises
    ------
    argparse.ArgumentTypeError
        If ``text`` is not a whole number from 1 to ``MAX_WORKERS``.
    """
    n = arg_positive_int(text)
    if n > MAX_WORKERS:
        msg = f"{text!r}: expected at most {MAX_WORKERS} worker processes"
        raise argparse.ArgumentTypeError(msg)
    return n


def arg_scheduler(text: str) -> str:
    """The address of a Dask scheduler: ``tcp://host:8786`` (or ``host:8786``).

    Parameters
    ----------
    text
        The argument as typed.

    Returns
    -------
    str
        The address, with ``tcp://`` added when no scheme is given.

    Raises
    ------
    argparse.ArgumentTypeError
        If ``text`` is empty, holds spaces or lacks a host and port.
    """
    address = text.strip()
    rest = next((address[len(s) :] for s in _SCHEMES if address.startswith(s)), None)
    if rest is None:
        rest, address = address, f"tcp://{address}"
    host, _, port = rest.rpartition(":")
    has_port = (bool(host) and port.isdigit()) or address.startswith("inproc://")
    if not rest or any(c.isspace() for c in rest) or not has_port:
        msg = f"{text!r}: expected a Dask scheduler address such as tcp://host:8786"
        raise argparse.ArgumentTypeError(msg)
    return address


def add_scaleout_options(p: argparse.ArgumentParser) -> None:
    """Add ``--workers N`` and ``--scheduler ADDRESS`` (one or the other).

    The draws then run on a local Dask cluster of N processes, or on an existing cluster,
    chunk by chunk (:mod:`model.scaleout`); the values are those of a run without them.

    Parameters
    ----------
    p
        The parser of one command.
    """
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--workers",
        type=arg_workers,
        default=None,
        metavar="N",
        help="run the draws on N local worker processes, streamed chunk by chunk (same values)",
    )
    group.add_argument(
        "--scheduler",
        type=arg_scheduler,
        default=None,
        metavar="ADDRESS",
        help="run the draws on the Dask cluster of this scheduler, e.g. tcp://host:8786",
    )
