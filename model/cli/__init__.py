"""The ``parkcap`` command line.

Every command takes ``--data DIR`` (default ``$PARKCAP_DATA`` or the project's
``data/``). Bad input never shows a traceback: problems are listed on stderr, each naming
file, row or key, field, value and what was expected, and the exit status is 2.

Modules, each adding its commands through a ``register(sub, commands)`` function:

- :mod:`model.cli.data`: ``validate``, ``stocks``
- :mod:`model.cli.projection`: ``run``, ``gaps``, ``compare``
- :mod:`model.cli.sensitivity`: ``sensitivity`` (Sobol' indices of the gaps)
- :mod:`model.cli.tracking`: ``track`` (``capacity``, ``project``, ``import``, ``history``,
  ``estimate``)
- :mod:`model.cli.backtest`: ``backtest``
- :mod:`model.cli.exports`: ``export``, ``quarterly``

and the helpers they share: :mod:`model.cli.arguments` (argument types, common options),
:mod:`model.cli.parser` (the parser, whose mistakes read in the language of ``--lang``),
:mod:`model.cli.output` (tables, JSON, problems) and :mod:`model.cli.simulation`
(scenarios and simulation runs). Other packages add commands through the
``parkcap.commands`` entry point (the dashboard adds ``serve``).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from model.cli import backtest, data, exports, projection, sensitivity, tracking
from model.cli.arguments import Commands, Handler, add_common_options
from model.cli.output import report_problems
from model.cli.parser import Parser
from model.errors import DataError, Problem
from model.gaps import QuarterOutOfRange
from model.park import data_dir_from

__all__ = ["build_parser", "main"]

logger = logging.getLogger(__name__)

#: The command modules, in the order their commands are listed by ``parkcap --help``.
COMMAND_MODULES = (data, projection, sensitivity, tracking, backtest, exports)


def build_parser(commands: Commands | None = None) -> argparse.ArgumentParser:
    """The argument parser of every ``parkcap`` command.

    Parameters
    ----------
    commands
        Filled with command name -> handler, plugin commands included; leave out if only
        the parser is wanted.

    Returns
    -------
    argparse.ArgumentParser
        The ``parkcap`` parser.
    """
    handlers: Commands = {} if commands is None else commands
    parser = Parser(
        prog="parkcap",
        description="Capacity tracking and scenarios of the Xining ETDZ storage value chain.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub, handlers)
    for register in _plugin_commands():
        register(sub, handlers, add_common_options)
    return parser


def _plugin_commands() -> list[Callable[..., None]]:
    """Sub-commands that other packages add through the ``parkcap.commands`` entry point.

    The dashboard adds ``parkcap serve`` this way, so that nothing in ``model`` imports
    ``dashboard``. Each entry point is ``register(subparsers, commands, add_common)``.
    """
    from importlib.metadata import entry_points

    found = []
    for ep in entry_points(group="parkcap.commands"):
        try:
            found.append(ep.load())
        except Exception as exc:  # a broken plugin must not break the core commands
            logger.warning("cannot load parkcap command %s: %s", ep.name, exc)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``parkcap`` console script; returns the exit status.

    Parameters
    ----------
    argv
        The arguments after ``parkcap``; default ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success, 2 on bad input (listed on stderr), 130 if interrupted.
    """
    handlers: dict[str, Handler] = {}
    args = build_parser(handlers).parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if getattr(args, "data", None) is None and hasattr(args, "data"):
        args.data = data_dir_from(None)
    return _run(handlers[args.command], args, getattr(args, "lang", "zh"))


def _run(handler: Handler, args: argparse.Namespace, lang: str) -> int:
    """Call ``handler``; turn bad input, file and memory errors into listed problems."""
    try:
        return handler(args)
    except DataError as exc:
        return report_problems(exc.problems, lang)
    except QuarterOutOfRange as exc:
        return report_problems([Problem("command line", None, "--quarter", None, str(exc))], lang)
    except OSError as exc:  # a file or folder that cannot be read or written
        where = exc.filename if exc.filename is not None else "file system"
        return report_problems(
            [
                Problem(
                    str(where),
                    None,
                    None,
                    None,
                    f"{exc.strerror or exc}; check the path and its permissions",
                )
            ],
            lang,
        )
    except MemoryError:
        return report_problems(
            [
                Problem(
                    "command line",
                    None,
                    "--draws",
                    None,
                    "not enough memory for this many draws; use fewer",
                )
            ],
            lang,
        )
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
