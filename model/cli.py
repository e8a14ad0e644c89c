"""The ``parkcap`` command line.

Every command takes ``--data DIR`` (default ``$PARKCAP_DATA`` or the project's
``data/``). Bad input never shows a traceback: problems are listed on stderr, each naming
file, row or key, field, value and what was expected, and the exit status is 2.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from model import quarters
from model.catalogue import t
from model.errors import DataError, Problem
from model.park import data_dir_from, load_park

logger = logging.getLogger(__name__)

Handler = Callable[[argparse.Namespace], int]


# ---------------------------------------------------------------------------
# output helpers
# ---------------------------------------------------------------------------
def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Plain-text table aligned for terminals that show CJK characters double-width."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for k, r in enumerate(cells):
        lines.append("  ".join(c + " " * (widths[i] - _width(c)) for i, c in enumerate(r)).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def out(text: str = "") -> None:
    """Write a line to stdout (the CLI's only output channel besides stderr)."""
    sys.stdout.write(text + "\n")


def print_json(obj: Any) -> None:
    """Write ``obj`` as UTF-8 JSON (Chinese kept readable)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def report_problems(problems: Sequence[Problem], lang: str = "zh") -> int:
    """List every problem on stderr; return exit status 2."""
    sys.stderr.write(t("problems", lang, n=len(problems)) + "\n")
    for p in problems:
        sys.stderr.write(f"  - {p}\n")
    return 2


# ---------------------------------------------------------------------------
# argument types: errors become argparse errors (exit 2, no traceback)
# ---------------------------------------------------------------------------
def arg_date(text: str) -> date:
    """``YYYY-MM-DD`` for argparse."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; expected YYYY-MM-DD, e.g. 2024-06-30"
        ) from None


def arg_quarter(text: str) -> int:
    """``2026Q4`` for argparse."""
    try:
        return quarters.parse_quarter(text)
    except quarters.QuarterError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def arg_positive_int(text: str) -> int:
    """A whole number of at least 1."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected 1 or more")
    return n


def arg_seed(text: str) -> int:
    """A non-negative integer seed."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: expected 0 or more")
    return n


# ---------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------
def cmd_validate(args: argparse.Namespace) -> int:
    """Check every data file; list all problems; exit 2 on any."""
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
    return 0


def cmd_stocks(args: argparse.Namespace) -> int:
    """Capacity stocks as of a date, with units, cell-equivalents and sources."""
    from model.tracking import stock_table

    park = load_park(args.data)
    as_of = args.as_of or date.today()
    rows = stock_table(park, as_of, known_as_of=args.known_as_of, lang=args.lang)
    if args.json:
        print_json(rows)
        return 0
    lang = args.lang
    out(t("stocks_title", lang, date=as_of.isoformat()))
    table = []
    for r in rows:
        if r["presence"] == "recorded":
            cap = r["text"]
        elif r["presence"] == "reported_no_capacity":
            cap = t("no_capacity_reported", lang)
        else:
            cap = t("no_record", lang)
        eq = (
            ""
            if r["cell_gwh_eq"] is None or r["presence"] != "recorded"
            else f"{r['cell_gwh_eq']:,.1f} ({r['reference']})"
        )
        table.append([r["name"], cap, f"{r['unit']}/a", eq, r["as_of"] or "", r["source"] or ""])
    out(
        format_table(
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
    )
    out()
    out(t("growth_title", lang))
    growth_rows = [
        [
            g.name_zh if lang == "zh" else g.name_en,
            g.text,
            f"+{g.increase:.1%}",
            f"×{g.ratio:.3g}",
            g.source,
        ]
        for g in park.growth
    ]
    out(
        format_table(
            [
                t("stage", lang),
                "原文" if lang == "zh" else "As written",
                "+%",
                "ratio",
                t("source", lang),
            ],
            growth_rows,
        )
    )
    return 0


# ---------------------------------------------------------------------------
# parser
# ---------------------------------------------------------------------------
def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data",
        metavar="DIR",
        default=None,
        help="data folder (default: $PARKCAP_DATA or the project's data/)",
    )
    p.add_argument(
        "--lang", choices=["zh", "en"], default="zh", help="language of the output (default zh)"
    )


COMMANDS: dict[str, Handler] = {"validate": cmd_validate, "stocks": cmd_stocks}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every ``parkcap`` command."""
    parser = argparse.ArgumentParser(
        prog="parkcap",
        description="Capacity tracking and scenarios of the Xining ETDZ storage value chain.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check every data file and list all problems")
    _common(p)

    p = sub.add_parser("stocks", help="capacity stocks as of a date")
    _common(p)
    p.add_argument(
        "--as-of", type=arg_date, default=None, help="date the capacity holds (default today)"
    )
    p.add_argument(
        "--known-as-of", type=arg_date, default=None, help="use only records recorded by this date"
    )
    p.add_argument("--json", action="store_true", help="print a JSON list of objects")

    for register in _plugin_commands():
        register(sub, COMMANDS, _common)
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
    """Entry point of the ``parkcap`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if getattr(args, "data", None) is None and hasattr(args, "data"):
        args.data = data_dir_from(None)
    lang = getattr(args, "lang", "zh")
    try:
        return COMMANDS[args.command](args)
    except DataError as exc:
        return report_problems(exc.problems, lang)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
