"""``parkcap validate`` and ``parkcap stocks``: the data folder as it stands."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from model.catalogue import t
from model.cli.arguments import Commands, Subparsers, add_common_options, arg_date
from model.cli.output import format_table, out, print_json, report_warning
from model.consistency import contradictions, describe, growth_checks
from model.park import load_park
from model.units import display_unit, rate_unit


def register(sub: Subparsers, commands: Commands) -> None:
    """Add ``validate`` and ``stocks`` to the ``parkcap`` commands.

    Parameters
    ----------
    sub
        The sub-parsers of ``parkcap``.
    commands
        Command name -> handler, filled in here.
    """
    p = sub.add_parser(
        "validate",
        help="check every data file and list all problems; warn where a stage's capacity "
        "history contradicts a growth figure",
    )
    add_common_options(p)
    commands["validate"] = cmd_validate

    p = sub.add_parser("stocks", help="capacity stocks as of a date")
    add_common_options(p)
    p.add_argument(
        "--as-of", type=arg_date, default=None, help="date the capacity holds (default today)"
    )
    p.add_argument(
        "--known-as-of", type=arg_date, default=None, help="use only records recorded by this date"
    )
    p.add_argument("--json", action="store_true", help="print a JSON list of objects")
    commands["stocks"] = cmd_stocks


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every data file; list all problems; exit 2 on any.

    Then set each growth figure against the capacity history of its stage
    (:mod:`model.consistency`): a contradiction is a warning on stderr, with both numbers
    and the tolerance, and the exit status stays 0.

    Parameters
    ----------
    args
        Parsed arguments: ``data``, ``lang``.

    Returns
    -------
    int
        0; problems raise :class:`model.errors.DataError`, which ``main`` reports.
    """
    park = load_park(args.data)
    out(
        t(
            "validate_ok",
            args.lang,
            path=park.data_dir,
            stages=len(park.stages),
            records=len(park.capacity_records),
            recipes=len(park.recipes),
            projects=len(park.projects),
        )
    )
    checks = growth_checks(park.capacity_records, park.growth, park.stages)
    bad = contradictions(park.capacity_records, park.growth, park.stages)
    if checks:
        tolerance = checks[0].tolerance
        out(
            t(
                "growth_check_summary",
                args.lang,
                low=f"{1.0 / tolerance:.2g}",
                high=f"{tolerance:.2g}",
                checked=sum(c.checkable for c in checks),
                contradicting=len(bad),
                unchecked=", ".join(c.stage for c in checks if not c.checkable) or "–",
            )
        )
    for check in bad:
        report_warning(describe(check, args.lang))
    return 0


def cmd_stocks(args: argparse.Namespace) -> int:
    """Capacity stocks as of a date, with units, cell-equivalents and sources.

    Parameters
    ----------
    args
        Parsed arguments: ``data``, ``lang``, ``as_of``, ``known_as_of``, ``json``.

    Returns
    -------
    int
        0.
    """
    from model.tracking import stock_table

    park = load_park(args.data)
    as_of = args.as_of or date.today()
    rows = stock_table(park, as_of, known_as_of=args.known_as_of, lang=args.lang)
    if args.json:
        print_json(rows)
        return 0
    lang = args.lang
    out(t("stocks_title", lang, date=as_of.isoformat()))
    out(_stock_table(rows, lang))
    out()
    out(t("growth_title", lang))
    out(_growth_table(park, lang))
    return 0


def _capacity_text(row: dict[str, Any], lang: str) -> str:
    if row["presence"] == "recorded":
        return row["text"]
    if row["presence"] == "reported_no_capacity":
        return t("no_capacity_reported", lang)
    return t("no_record", lang)


def _stock_table(rows: list[dict[str, Any]], lang: str) -> str:
    table = [
        [
            r["name"],
            _capacity_text(r, lang),
            display_unit(rate_unit(r["unit"])),
            ""
            if r["cell_gwh_eq"] is None or r["presence"] != "recorded"
            else f"{r['cell_gwh_eq']:,.1f} ({r['reference']})",
            r["as_of"] or "",
            r["source"] or "",
        ]
        for r in rows
    ]
    return format_table(
        [
            t("stage", lang),
            t("capacity", lang),
            t("unit", lang),
            t("cell_eq", lang),
            t("as_of", lang),
            t("source", lang),
        ],
        table,
    )


def _growth_table(park: Any, lang: str) -> str:
    rows = [
        [
            g.name_zh if lang == "zh" else g.name_en,
            g.text,
            f"+{g.increase:.1%}",
            f"×{g.ratio:.3g}",
            g.source,
        ]
        for g in park.growth
    ]
    return format_table(
        [
            t("stage", lang),
            t("ui_as_printed", lang),
            "+%",
            t("ui_ratio_title", lang),
            t("source", lang),
        ],
        rows,
    )
