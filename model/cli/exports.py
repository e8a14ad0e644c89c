"""``parkcap export`` and ``parkcap quarterly``: scenarios written to files.

The files are made by :mod:`model.export` and :mod:`model.report`; this module reads the
arguments and names what was written.
"""

from __future__ import annotations

import argparse
import sys

from model import quarters
from model.catalogue import t
from model.cli.arguments import (
    Commands,
    Subparsers,
    add_common_options,
    add_simulation_options,
    arg_draws,
    arg_quarter,
    arg_seed,
)
from model.cli.output import out, report_problems
from model.cli.simulation import scenario_from
from model.errors import Problem
from model.park import load_park


def register(sub: Subparsers, commands: Commands) -> None:
    """Add ``export`` and ``quarterly`` to the ``parkcap`` commands.

    Parameters
    ----------
    sub
        The sub-parsers of ``parkcap``.
    commands
        Command name -> handler, filled in here.
    """
    from model.export import FORMATS

    p = sub.add_parser("export", help="write scenarios as csv, xlsx, netcdf or iamc")
    add_common_options(p)
    add_simulation_options(p)
    p.add_argument("scenarios_", nargs="+", metavar="SCENARIO")
    p.add_argument("--format", required=True, choices=list(FORMATS))
    p.add_argument("--out", required=True, metavar="PATH", help="file to write (atomically)")
    p.add_argument(
        "--quarters", default=None, metavar="FROM:TO", help="quarter range, e.g. 2024Q3:2030Q4"
    )
    p.add_argument("--horizon", type=arg_quarter, default=None, help="last quarter simulated")
    p.add_argument(
        "--summary", action="store_true", help="netcdf: P10/P50/P90/mean instead of every draw"
    )
    commands["export"] = cmd_export

    p = sub.add_parser("quarterly", help="the quarterly pack: xlsx, csv, netcdf, iamc, html")
    add_common_options(p)
    p.add_argument("--quarter", type=arg_quarter, required=True, help="e.g. 2024Q3")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the pack")
    p.add_argument("--draws", type=arg_draws, default=None)
    p.add_argument("--seed", type=arg_seed, default=None)
    p.add_argument("--scenarios", metavar="DIR", default=None, help="scenarios folder")
    commands["quarterly"] = cmd_quarterly


def cmd_export(args: argparse.Namespace) -> int:
    """Simulate scenarios and write them as CSV, XLSX, NetCDF or IAMC (atomically).

    Parameters
    ----------
    args
        Parsed arguments of ``parkcap export``.

    Returns
    -------
    int
        0, or 2 if a scenario is named twice.
    """
    from model.export import export_bytes, parse_quarters, run_scenarios, write_export

    park = load_park(args.data)
    quarters_ = parse_quarters(args.quarters)
    scenarios = [scenario_from(args, name, park) for name in args.scenarios_]
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        return report_problems(
            [Problem("command line", None, "SCENARIO", names, "name each scenario once")],
            args.lang,
        )
    if args.horizon is not None:
        scenarios = [s.with_changes(horizon=quarters.label(args.horizon)) for s in scenarios]
    results = run_scenarios(
        park,
        scenarios,
        draws=args.draws,
        seed=args.seed,
        as_of=args.as_of,
        known_as_of=args.known_as_of,
    )
    data = export_bytes(
        park, results, scenarios, args.format, quarters_, lang=args.lang, summary=args.summary
    )
    path = write_export(data, args.out)
    out(f"{path}: {args.format}, {', '.join(names)} ({len(data):,} bytes)")
    return 0


def cmd_quarterly(args: argparse.Namespace) -> int:
    """The quarterly pack: xlsx, csv, netcdf, iamc and an HTML report for the shipped scenarios.

    Parameters
    ----------
    args
        Parsed arguments of ``parkcap quarterly``.

    Returns
    -------
    int
        0.
    """
    from model.report import quarterly_pack
    from model.scenario import SHIPPED

    park = load_park(args.data)
    scenarios = [scenario_from(args, name, park) for name in SHIPPED]
    files = quarterly_pack(
        park,
        args.quarter,
        args.out,
        scenarios,
        draws=args.draws,
        seed=args.seed,
        lang=args.lang,
        progress=sys.stderr.isatty(),  # no bar in logs and pipes
    )
    out(t("pack_written", args.lang, path=args.out))
    for f in files:
        out(f"  {f}")
    return 0
