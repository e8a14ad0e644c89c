"""``parkcap backtest``: a saved projection against the capacity records observed since.

The comparison is :mod:`model.backtest`'s work; this module reads the arguments and
prints the result.
"""

from __future__ import annotations

import argparse
from typing import Any

from model.catalogue import t
from model.cli.arguments import Commands, Subparsers, add_common_options, arg_date
from model.cli.output import format_table, out, print_json, quantity_cell, rate_unit_cell
from model.park import load_park


def register(sub: Subparsers, commands: Commands) -> None:
    """Add ``backtest`` to the ``parkcap`` commands.

    Parameters
    ----------
    sub
        The sub-parsers of ``parkcap``.
    commands
        Command name -> handler, filled in here.
    """
    p = sub.add_parser("backtest", help="a saved projection against the records observed since")
    add_common_options(p)
    p.add_argument("projection", metavar="PROJECTION.nc", help="from 'parkcap run --out'")
    p.add_argument("--as-of", type=arg_date, required=True, help="actuals up to this date")
    p.add_argument("--scenario", default=None, help="scenario of a multi-scenario file")
    p.add_argument("--json", action="store_true")
    commands["backtest"] = cmd_backtest


def cmd_backtest(args: argparse.Namespace) -> int:
    """Projected P10/P50/P90 of nameplate against the capacity records observed since.

    Parameters
    ----------
    args
        Parsed arguments of ``parkcap backtest``.

    Returns
    -------
    int
        0.
    """
    from model.backtest import backtest, load_projection

    park = load_park(args.data)
    ds = load_projection(args.projection)
    result = backtest(park, ds, args.as_of, scenario=args.scenario)
    if args.json:
        print_json({"projection": str(args.projection), **result})
        return 0
    lang = args.lang
    start = ds.attrs.get("as_of") or (str(ds["as_of"].values[0]) if "as_of" in ds.coords else "?")
    out(
        t(
            "backtest_title",
            lang,
            scenario=", ".join(result["scenarios"]),
            start=start,
            as_of=args.as_of.isoformat(),
        )
    )
    if not result["rows"]:
        out(t("no_observations", lang, as_of=args.as_of.isoformat()))
        return 0
    out(_backtest_table(result["rows"], lang))
    out(
        t(
            "coverage",
            lang,
            inside=result["n_inside"],
            n=result["n"],
            share=f"{result['coverage']:.0%}",
        )
    )
    return 0


def _backtest_table(rows: list[dict[str, Any]], lang: str) -> str:
    return format_table(
        [
            t("scenario", lang),
            t("stage", lang),
            t("quarter", lang),
            "P10",
            "P50",
            "P90",
            t("actual", lang),
            t("unit", lang),
            t("inside", lang),
            t("record_id", lang),
        ],
        [
            [
                r["scenario"],
                r["name_zh"] if lang == "zh" else r["name_en"],
                r["quarter"],
                quantity_cell(r["p10"], r["unit"], lang),
                quantity_cell(r["p50"], r["unit"], lang),
                quantity_cell(r["p90"], r["unit"], lang),
                quantity_cell(r["actual"], r["unit"], lang),
                rate_unit_cell(r["unit"], lang),
                "✓" if r["inside"] else t(r["position"], lang),
                r["record_id"],
            ]
            for r in rows
        ],
    )
