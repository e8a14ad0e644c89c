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
from pathlib import Path
from typing import Any

from model import quarters
from model.catalogue import t
from model.errors import DataError, Problem
from model.gaps import QuarterOutOfRange
from model.park import data_dir_from, load_park
from model.scenario import MAX_DRAWS, MAX_SEED
from model.units import display_unit, rate_unit

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
        msg = f"{text!r} is not a date; expected YYYY-MM-DD, e.g. 2024-06-30"
        raise argparse.ArgumentTypeError(msg) from None


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
        msg = f"{text!r} is not a whole number"
        raise argparse.ArgumentTypeError(msg) from None
    if n < 1:
        msg = f"{text!r}: expected 1 or more"
        raise argparse.ArgumentTypeError(msg)
    return n


def arg_seed(text: str) -> int:
    """A seed from 0 to 2**32 - 1 (what the scenario schema and NetCDF attributes hold)."""
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
    """Monte Carlo draws, 1 to the scenario schema's maximum."""
    n = arg_positive_int(text)
    if n > MAX_DRAWS:
        msg = f"{text!r}: expected at most {MAX_DRAWS:,} draws"
        raise argparse.ArgumentTypeError(msg)
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
        table.append(
            [
                r["name"],
                cap,
                display_unit(rate_unit(r["unit"])),
                eq,
                r["as_of"] or "",
                r["source"] or "",
            ]
        )
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
                t("ui_as_printed", lang),
                "+%",
                t("ui_ratio_title", lang),
                t("source", lang),
            ],
            growth_rows,
        )
    )
    return 0


# ---------------------------------------------------------------------------
# simulation commands
# ---------------------------------------------------------------------------
def _progress_bar(total: int, enabled: bool) -> Callable[[int, int], None] | None:
    """A tqdm bar on stderr for runs long enough to need one (>= 5,000 draws)."""
    if not enabled or total < 5000:
        return None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="draw", file=sys.stderr, leave=False)

    def update(done: int, _total: int) -> None:
        bar.update(done - bar.n)
        if done >= _total:
            bar.close()

    return update


def _scenario(args: argparse.Namespace, name: str, park: Any) -> Any:
    from model.scenario import load_scenario

    return load_scenario(name, args.scenarios, park=park)


def _simulate(args: argparse.Namespace, park: Any, scenario: Any, draws: int | None = None) -> Any:
    from model.simulate import simulate

    n = draws if draws is not None else (args.draws or scenario.draws)
    horizon = getattr(args, "horizon", None)
    if horizon is not None:
        scenario = scenario.with_changes(horizon=quarters.label(horizon))
    return simulate(
        park,
        scenario,
        draws=n,
        seed=args.seed,
        as_of=getattr(args, "as_of", None),
        known_as_of=getattr(args, "known_as_of", None),
        progress=_progress_bar(n, sys.stderr.isatty()),
    )


def cmd_run(args: argparse.Namespace) -> int:
    """Simulate a scenario; write the Dataset to NetCDF or print a summary."""
    from model.export import write_netcdf
    from model.simulate import summarize

    park = load_park(args.data)
    scenario = _scenario(args, args.scenario, park)
    ds = _simulate(args, park, scenario)
    if args.out:
        write_netcdf(ds, args.out)
        out(
            f"{args.out}: {ds.sizes['draw']} draws x {ds.sizes['quarter']} quarters x {ds.sizes['stage']} stages"
        )
        return 0
    summary = summarize(ds, variables=("nameplate",))
    last = str(ds["quarter"].values[-1])
    lang = args.lang
    rows = []
    for sid in ds["stage"].values.tolist():
        vals = summary["nameplate"].sel(stage=sid, quarter=last)
        rows.append(
            [
                park.stages[sid].name(lang),
                *(f"{float(vals.sel(stat=k)):,.4g}" for k in ("p10", "p50", "p90")),
                display_unit(rate_unit(park.stages[sid].unit)),
            ]
        )
    out(
        f"{scenario.title(lang)}: {t('capacity', lang)} {last} ({ds.sizes['draw']} draws, seed {ds.attrs['seed']})"
    )
    out(format_table([t("stage", lang), "P10", "P50", "P90", t("unit", lang)], rows))
    return 0


def _gap_json(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from model.gaps import finite_or_none

    return [
        {k: finite_or_none(v) if isinstance(v, float) else v for k, v in r.items()} for r in rows
    ]


def _fmt(value: float | None, unit: str, lang: str) -> str:
    from model.units import Q_, format_quantity

    if value is None:
        return ""
    return format_quantity(Q_(round(value, 6), unit), lang, digits=4)


def cmd_gaps(args: argparse.Namespace) -> int:
    """Value-chain gaps of one quarter, missing stages and ranked investment targets."""
    from model.gaps import gap_table, investment_targets, missing_stages

    park = load_park(args.data)
    scenario = _scenario(args, args.scenario, park)
    ds = _simulate(args, park, scenario)
    quarter = (
        quarters.label(args.quarter) if args.quarter is not None else str(ds["quarter"].values[-1])
    )
    table = gap_table(park, ds, quarter, basis=args.basis, scenario=scenario, lang=args.lang)
    targets = investment_targets(table)
    if args.json:
        print_json(
            {
                "scenario": scenario.name,
                "quarter": quarter,
                "basis": args.basis,
                "draws": ds.sizes["draw"],
                "stages": _gap_json(table),
                "missing": [r["stage"] for r in missing_stages(table)],
                "targets": _gap_json(targets),
            }
        )
        return 0
    lang = args.lang
    out(t("gaps_title", lang, scenario=scenario.title(lang), quarter=quarter))
    rows = [
        [
            r["name"],
            _fmt(r["supply"], r["unit"], lang),
            _fmt(r["demand"], r["unit"], lang),
            _fmt(r["gap"], r["unit"], lang),
            "" if r["gap_cell_gwh_eq"] is None else f"{r['gap_cell_gwh_eq']:,.1f}",
            f"{r['p_short']:.0%}",
            t(f"status_{r['status']}", lang),
        ]
        for r in table
    ]
    out(
        format_table(
            [
                t("stage", lang),
                t("supply", lang),
                t("demand", lang),
                t("gap", lang),
                t("gap_cell_eq", lang),
                t("p_short", lang),
                t("status", lang),
            ],
            rows,
        )
    )
    out()
    out(t("targets_title", lang))
    out(
        format_table(
            [t("rank", lang), t("stage", lang), t("to_close", lang), t("gap_cell_eq", lang)],
            [
                [
                    r["rank"],
                    r["name"],
                    _fmt(r["to_close"], r["unit"], lang),
                    "" if r["gap_cell_gwh_eq"] is None else f"{r['gap_cell_gwh_eq']:,.1f}",
                ]
                for r in targets
            ],
        )
    )
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Two or more scenarios side by side along the chain, with the inputs that differ."""
    from model.gaps import compare

    park = load_park(args.data)
    scenarios = [_scenario(args, name, park) for name in args.scenarios_]
    names = [s.name for s in scenarios]
    if len(names) < 2 or len(set(names)) != len(names):
        return report_problems(
            [
                Problem(
                    "command line", None, "SCENARIO", names, "name two or more different scenarios"
                )
            ],
            args.lang,
        )
    results = {s.name: _simulate(args, park, s) for s in scenarios}
    quarter = (
        quarters.label(args.quarter)
        if args.quarter is not None
        else str(next(iter(results.values()))["quarter"].values[-1])
    )
    result = compare(park, results, scenarios, quarter, basis=args.basis, lang=args.lang)
    if args.json:
        print_json({**result, "rows": _gap_json(result["rows"])})
        return 0
    lang = args.lang
    out(t("compare_title", lang, quarter=quarter))
    by = {(r["scenario"], r["stage"]): r for r in result["rows"]}
    header = [t("stage", lang)] + [f"{t('gap', lang)}: {n}" for n in names] + [t("unit", lang)]
    rows = [
        [park.stages[sid].name(lang)]
        + [_fmt(by[(n, sid)]["gap"], park.stages[sid].unit, lang) for n in names]
        + [display_unit(rate_unit(park.stages[sid].unit))]
        for sid in park.stage_ids
    ]
    out(format_table(header, rows))
    out()
    out(t("differs_title", lang))
    out(
        format_table(
            [t("ui_input", lang)] + names,
            [
                [d["key"]] + [json.dumps(d["values"][n], ensure_ascii=False) for n in names]
                for d in result["differences"]
            ],
        )
    )
    return 0


# ---------------------------------------------------------------------------
# tracking, backtest, exports (the work is in model.recording / tracking / backtest / export / report)
# ---------------------------------------------------------------------------
def cmd_track(args: argparse.Namespace) -> int:
    """Append dated records, import them in bulk, list them, or estimate status parameters."""
    from model import recording, tracking

    lang = args.lang
    action = args.track_command
    if action in ("capacity", "project", "import"):
        if action == "capacity":
            recs = [
                recording.track_capacity(
                    args.data,
                    args.stage,
                    args.quantity,
                    args.as_of,
                    args.source,
                    note=args.note,
                    recorded=args.recorded,
                )
            ]
            kind = "capacity"
        elif action == "project":
            recs = [
                recording.track_project(
                    args.data,
                    args.project,
                    args.status,
                    args.as_of,
                    args.source,
                    start=args.start,
                    capacity=args.capacity,
                    note=args.note,
                    recorded=args.recorded,
                )
            ]
            kind = "project"
        else:
            kind, recs = recording.import_records(args.data, args.file, kind=args.kind)
        path = Path(args.data) / recording.target_file(kind)[0]
        out(t("track_added", lang, n=len(recs), path=path))
        for r in recs:
            subject = getattr(r, "stage", None) or getattr(r, "project", "")
            what = getattr(r, "quantity_text", None) or getattr(r, "status", "")
            out(f"  {r.record_id}  {subject}  {what}  {r.valid_from}  ({r.recorded}, {r.source})")
        return 0
    park = load_park(args.data)
    if action == "history":
        rows = tracking.history(park, args.key, lang)
        if args.json:
            print_json(rows)
            return 0
        out(t("history_title", lang))
        out(
            format_table(
                [
                    t("record_id", lang),
                    t("kind", lang),
                    t("subject", lang),
                    t("value", lang),
                    t("valid_from", lang),
                    t("recorded", lang),
                    t("source", lang),
                    t("note", lang),
                ],
                [
                    [
                        r["record_id"],
                        r["kind"],
                        r["name"],
                        " ".join(str(x) for x in (r["value"], r["start"], r["capacity"]) if x),
                        r["as_of"],
                        r["recorded"],
                        r["source"],
                        r["note"],
                    ]
                    for r in rows
                ],
            )
        )
        return 0
    rows = tracking.estimate_table(park, args.min, lang)
    if args.json:
        print_json({"min_transitions": args.min, "estimates": rows})
        return 0
    if not rows:
        out(t("estimate_none", lang, n=args.min))
        return 0
    out(t("estimate_title", lang, n=args.min))

    def num(x: object) -> str:
        return "" if x is None else f"{x:.3g}"

    out(
        format_table(
            [
                t("status", lang),
                t("p_complete", lang),
                t("transitions", lang),
                f"{t('p_complete', lang)} ({t('default', lang)})",
                t("quarters_in_status", lang),
                t("transitions", lang),
                f"{t('quarters_in_status', lang)} ({t('default', lang)})",
            ],
            [
                [
                    r["name"],
                    num(r["p_complete"]),
                    r["p_transitions"],
                    num(r["default_p_complete"]),
                    num(r["quarters_in_status"]),
                    r["time_transitions"],
                    num(r["default_quarters_in_status"]),
                ]
                for r in rows
            ],
        )
    )
    return 0


def cmd_backtest(args: argparse.Namespace) -> int:
    """Projected P10/P50/P90 of nameplate against the capacity records observed since."""
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
    out(
        format_table(
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
                    f"{r['p10']:,.4g}",
                    f"{r['p50']:,.4g}",
                    f"{r['p90']:,.4g}",
                    f"{r['actual']:,.4g}",
                    r["unit"],
                    "✓" if r["inside"] else t(r["position"], lang),
                    r["record_id"],
                ]
                for r in result["rows"]
            ],
        )
    )
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


def cmd_export(args: argparse.Namespace) -> int:
    """Simulate scenarios and write them as CSV, XLSX, NetCDF or IAMC (atomically)."""
    from model.export import export_bytes, parse_quarters, run_scenarios, write_export

    park = load_park(args.data)
    quarters_ = parse_quarters(args.quarters)
    scenarios = [_scenario(args, name, park) for name in args.scenarios_]
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
    """The quarterly pack: xlsx, csv, netcdf, iamc and an HTML report for the shipped scenarios."""
    from model.report import quarterly_pack
    from model.scenario import SHIPPED

    park = load_park(args.data)
    scenarios = [_scenario(args, name, park) for name in SHIPPED]
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


COMMANDS: dict[str, Handler] = {
    "validate": cmd_validate,
    "stocks": cmd_stocks,
    "run": cmd_run,
    "gaps": cmd_gaps,
    "compare": cmd_compare,
    "track": cmd_track,
    "backtest": cmd_backtest,
    "export": cmd_export,
    "quarterly": cmd_quarterly,
}


def _sim_options(p: argparse.ArgumentParser) -> None:
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

    p = sub.add_parser("run", help="simulate a scenario quarter by quarter")
    _common(p)
    _sim_options(p)
    p.add_argument(
        "scenario", metavar="SCENARIO", help="a name in scenarios/ or a path to a TOML file"
    )
    p.add_argument(
        "--horizon",
        type=arg_quarter,
        default=None,
        help="last quarter, e.g. 2030Q4 (default: the scenario's)",
    )
    p.add_argument(
        "--out", metavar="FILE.nc", default=None, help="write the full Dataset as NetCDF"
    )

    p = sub.add_parser("gaps", help="value-chain gaps of a quarter and investment targets")
    _common(p)
    _sim_options(p)
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument(
        "--quarter",
        type=arg_quarter,
        default=None,
        help="quarter, e.g. 2026Q4 (default: the horizon)",
    )
    p.add_argument(
        "--basis",
        choices=["nameplate", "effective"],
        default="nameplate",
        help="capacity vs capacity (nameplate) or simulated operation (effective)",
    )
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("compare", help="scenarios side by side along the chain")
    _common(p)
    _sim_options(p)
    p.add_argument("scenarios_", nargs="+", metavar="SCENARIO")
    p.add_argument("--quarter", type=arg_quarter, default=None)
    p.add_argument("--basis", choices=["nameplate", "effective"], default="effective")
    p.add_argument("--json", action="store_true")

    _tracking_parsers(sub)

    for register in _plugin_commands():
        register(sub, COMMANDS, _common)
    return parser


def _tracking_parsers(sub: Any) -> None:
    """Parsers of ``track``, ``backtest``, ``export`` and ``quarterly``."""
    from model.export import FORMATS
    from model.pipeline import STATUSES
    from model.recording import KINDS

    p = sub.add_parser("track", help="record capacity and project status over time")
    tsub = p.add_subparsers(dest="track_command", required=True, metavar="ACTION")
    # dates are read as text so that every bad field is reported in one run
    q = tsub.add_parser("capacity", help="append a dated capacity observation of a stage")
    _common(q)
    q.add_argument("stage", metavar="STAGE", help="stage id from stages.csv")
    q.add_argument("quantity", metavar="QUANTITY", help="annual capacity as written, e.g. 40吉瓦时")
    q.add_argument("--as-of", required=True, metavar="DATE", help="valid from (YYYY-MM-DD)")
    q.add_argument("--source", required=True, metavar="ID", help="source id from sources.csv")
    q.add_argument("--note", default="", help="one-line note")
    q.add_argument("--recorded", default=None, metavar="DATE", help="date learnt (default today)")

    q = tsub.add_parser("project", help="append a dated status change of a project")
    _common(q)
    q.add_argument("project", metavar="ID", help="project id from projects.csv")
    q.add_argument("--status", required=True, help=f"one of {', '.join(STATUSES)}")
    q.add_argument("--as-of", required=True, metavar="DATE", help="valid from (YYYY-MM-DD)")
    q.add_argument("--source", required=True, metavar="ID", help="source id from sources.csv")
    q.add_argument(
        "--start", default=None, metavar="QUARTER", help="new expected start, e.g. 2025Q2"
    )
    q.add_argument("--capacity", default=None, metavar="QUANTITY", help="new nameplate capacity")
    q.add_argument("--note", default="", help="one-line note")
    q.add_argument("--recorded", default=None, metavar="DATE", help="date learnt (default today)")

    q = tsub.add_parser("import", help="append every record of a CSV or XLSX file, or none")
    _common(q)
    q.add_argument("file", metavar="FILE", help="a .csv or .xlsx file (first sheet)")
    q.add_argument(
        "--kind", choices=list(KINDS), default=None, help="record kind (default: from the header)"
    )

    q = tsub.add_parser("history", help="list the records of a stage, a project or all")
    _common(q)
    q.add_argument("key", nargs="?", default=None, metavar="STAGE|PROJECT")
    q.add_argument("--json", action="store_true")

    q = tsub.add_parser("estimate", help="completion probability and time in status from history")
    _common(q)
    q.add_argument(
        "--min",
        type=arg_positive_int,
        default=5,
        metavar="N",
        help="transitions needed (default 5)",
    )
    q.add_argument("--json", action="store_true")

    p = sub.add_parser("backtest", help="a saved projection against the records observed since")
    _common(p)
    p.add_argument("projection", metavar="PROJECTION.nc", help="from 'parkcap run --out'")
    p.add_argument("--as-of", type=arg_date, required=True, help="actuals up to this date")
    p.add_argument("--scenario", default=None, help="scenario of a multi-scenario file")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("export", help="write scenarios as csv, xlsx, netcdf or iamc")
    _common(p)
    _sim_options(p)
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

    p = sub.add_parser("quarterly", help="the quarterly pack: xlsx, csv, netcdf, iamc, html")
    _common(p)
    p.add_argument("--quarter", type=arg_quarter, required=True, help="e.g. 2024Q3")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the pack")
    p.add_argument("--draws", type=arg_draws, default=None)
    p.add_argument("--seed", type=arg_seed, default=None)
    p.add_argument("--scenarios", metavar="DIR", default=None, help="scenarios folder")


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


if __name__ == "__main__":
    sys.exit(main())
