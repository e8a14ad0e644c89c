"""``parkcap run``, ``gaps`` and ``compare``: simulate scenarios and read the chain's gaps."""

from __future__ import annotations

import argparse
import json
from typing import Any

from model import quarters
from model.catalogue import t
from model.cli.arguments import (
    Commands,
    Subparsers,
    add_common_options,
    add_scaleout_options,
    add_simulation_options,
    arg_quarter,
)
from model.cli.output import (
    format_table,
    out,
    print_json,
    quantity_cell,
    rate_unit_cell,
    report_problems,
    report_warning,
)
from model.cli.simulation import scenario_from, simulate_from, stream_from
from model.errors import Problem
from model.park import Park, load_park
from model.plant_size import plants_needed, rate, typical_plant
from model.units import display_unit, rate_unit


def register(sub: Subparsers, commands: Commands) -> None:
    """Add ``run``, ``gaps`` and ``compare`` to the ``parkcap`` commands.

    Parameters
    ----------
    sub
        The sub-parsers of ``parkcap``.
    commands
        Command name -> handler, filled in here.
    """
    p = sub.add_parser("run", help="simulate a scenario quarter by quarter")
    add_common_options(p)
    add_simulation_options(p)
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
        "--out",
        metavar="FILE.nc",
        default=None,
        help="write every draw as NetCDF, chunk by chunk (memory per process: one chunk)",
    )
    add_scaleout_options(p)
    commands["run"] = cmd_run

    p = sub.add_parser("gaps", help="value-chain gaps of a quarter and investment targets")
    add_common_options(p)
    add_simulation_options(p)
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
    p.add_argument(
        "--rank",
        choices=["cell-eq", "value", "capex", "jobs"],
        default="cell-eq",
        help="order of the investment targets: cell-GWh-equivalent gap (default), output value "
        "of the gap, investment to close it, or jobs",
    )
    p.add_argument(
        "--boundary",
        choices=["park", "province"],
        default="park",
        help="local supply of the park (default) or of Qinghai province",
    )
    p.add_argument("--json", action="store_true")
    commands["gaps"] = cmd_gaps

    p = sub.add_parser("compare", help="scenarios side by side along the chain")
    add_common_options(p)
    add_simulation_options(p)
    p.add_argument("scenarios_", nargs="+", metavar="SCENARIO")
    p.add_argument("--quarter", type=arg_quarter, default=None)
    p.add_argument("--basis", choices=["nameplate", "effective"], default="effective")
    p.add_argument("--json", action="store_true")
    commands["compare"] = cmd_compare


def cmd_run(args: argparse.Namespace) -> int:
    """Simulate a scenario; write the Dataset to NetCDF or print a summary.

    With ``--out``, ``--workers`` or ``--scheduler`` the draws are streamed chunk by chunk
    (:func:`model.cli.simulation.stream_from`); the values are the same.

    Parameters
    ----------
    args
        Parsed arguments of ``parkcap run``.

    Returns
    -------
    int
        0.
    """
    from model.scaleout import scratch_file
    from model.simulate import summarize

    park = load_park(args.data)
    scenario = scenario_from(args, args.scenario, park)
    if args.out:
        ds = summary = stream_from(args, park, scenario, args.out, ("nameplate",))
        out(
            f"{args.out}: {ds.attrs['draws']} draws x {ds.sizes['quarter']} quarters x {ds.sizes['stage']} stages"
        )
        return 0
    if args.workers or args.scheduler:
        with scratch_file() as path:
            ds = summary = stream_from(args, park, scenario, path, ("nameplate",))
    else:
        ds = simulate_from(args, park, scenario)
        summary = summarize(ds, variables=("nameplate",))
    last = str(ds["quarter"].values[-1])
    lang = args.lang
    rows = []
    for sid in ds["stage"].values.tolist():
        vals = summary["nameplate"].sel(stage=sid, quarter=last)
        rows.append(
            [
                park.stages[sid].name(lang),
                *(
                    quantity_cell(float(vals.sel(stat=k)), park.stages[sid].unit, lang)
                    for k in ("p10", "p50", "p90")
                ),
                rate_unit_cell(park.stages[sid].unit, lang),
            ]
        )
    out(
        f"{scenario.title(lang)}: {t('capacity', lang)} {last} "
        + t("run_draws_seed", lang, draws=f"{ds.attrs['draws']:,}", seed=ds.attrs["seed"])
    )
    out(format_table([t("stage", lang), "P10", "P50", "P90", t("unit", lang)], rows))
    return 0


def cmd_gaps(args: argparse.Namespace) -> int:
    """Value-chain gaps of one quarter, missing stages and ranked investment targets.

    Parameters
    ----------
    args
        Parsed arguments of ``parkcap gaps``.

    Returns
    -------
    int
        0.
    """
    from model.gaps import electricity, gap_table, investment_targets, missing_stages, rank_figures

    park = load_park(args.data)
    scenario = scenario_from(args, args.scenario, park)
    ds = simulate_from(args, park, scenario)
    quarter = (
        quarters.label(args.quarter) if args.quarter is not None else str(ds["quarter"].values[-1])
    )
    table = gap_table(
        park,
        ds,
        quarter,
        basis=args.basis,
        scenario=scenario,
        lang=args.lang,
        boundary=args.boundary,
    )
    targets = investment_targets(table, args.rank, rank_figures(park, args.rank))
    power = electricity(ds, quarter)
    if power.get("p_over"):
        report_warning(
            t(
                "warn_grid",
                args.lang,
                quarter=quarter,
                demand=f"{power['demand_mw']:,.0f}",
                allowance=f"{power['allowance_mw']:,.0f}",
                share=f"{power['p_over']:.0%}",
            )
        )
    if args.json:
        print_json(
            {
                "scenario": scenario.name,
                "quarter": quarter,
                "basis": args.basis,
                "rank": args.rank,
                "boundary": args.boundary,
                "draws": ds.sizes["draw"],
                "stages": _gap_json(table),
                "missing": [r["stage"] for r in missing_stages(table)],
                "targets": _gap_json(targets),
                "electricity": power,
            }
        )
        return 0
    lang = args.lang
    out(t("gaps_title", lang, scenario=scenario.title(lang), quarter=quarter))
    out(_gap_table(table, lang))
    out()
    out(t(f"targets_title_{args.rank}".replace("-", "_"), lang))
    out(_target_table(targets, lang, args.rank, park))
    if power:
        out()
        out(
            t(
                "electricity_line",
                lang,
                demand=f"{power['demand_mw']:,.0f}",
                green=f"{power['green_mw']:,.0f}",
                share=f"{power['green_share']:.0%}",
                allowance="—" if power["allowance_mw"] is None else f"{power['allowance_mw']:,.0f}",
            )
        )
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Two or more scenarios side by side along the chain, with the inputs that differ.

    Parameters
    ----------
    args
        Parsed arguments of ``parkcap compare``.

    Returns
    -------
    int
        0, or 2 unless two or more different scenarios are named.
    """
    from model.gaps import compare

    park = load_park(args.data)
    scenarios = [scenario_from(args, name, park) for name in args.scenarios_]
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
    results = {s.name: simulate_from(args, park, s) for s in scenarios}
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


def _cell_eq(value: float | None) -> str:
    return "" if value is None else f"{value:,.1f}"


def _gap_table(table: list[dict[str, Any]], lang: str) -> str:
    rows = [
        [
            r["name"],
            _fmt(r["supply"], r["unit"], lang),
            _fmt(r["demand"], r["unit"], lang),
            _fmt(r["gap"], r["unit"], lang),
            _cell_eq(r["gap_cell_gwh_eq"]),
            "" if r["market_demand"] is None else _fmt(r["market_demand"], r["unit"], lang),
            "" if r["market_gap"] is None else _fmt(r["market_gap"], r["unit"], lang),
            f"{r['p_short']:.0%}",
            t(f"status_{r['status']}", lang),
        ]
        for r in table
    ]
    return format_table(
        [
            t("stage", lang),
            t("supply", lang),
            t("demand", lang),
            t("gap", lang),
            t("gap_cell_eq", lang),
            t("market_demand", lang),
            t("market_gap", lang),
            t("p_short", lang),
            t("status", lang),
        ],
        rows,
    )


def _target_table(
    targets: list[dict[str, Any]], lang: str, rank: str = "cell-eq", park: Park | None = None
) -> str:
    """The ranked targets: capacity to recruit, in cell-GWh-eq and, with ``park``, in plants.

    The plants column reads ``0.94 × 4万吨/年``: how many plants of the stage's typical size
    (:func:`model.plant_size.typical_plant`) the capacity to recruit makes; empty without a
    known size.
    """
    headers = [t("rank", lang), t("stage", lang), t("to_close", lang), t("gap_cell_eq", lang)]
    if park is not None:
        headers.append(t("chain_brief_plants", lang))
    if rank != "cell-eq":
        headers.append(t(f"rank_{rank}", lang))
    rows = []
    for r in targets:
        row = [
            r["rank"],
            r["name"],
            _fmt(r["to_close"], r["unit"], lang),
            _cell_eq(r["ranked_gap_cell_gwh_eq"]),
        ]
        if park is not None:
            plant = typical_plant(park, str(r["stage"]))
            ratio = plants_needed(float(r["to_close"] or 0.0), plant)
            row.append(
                ""
                if plant is None or ratio is None
                else f"{ratio:.2g} × {rate(plant.value, plant.unit, lang)}"
            )
        if rank != "cell-eq":
            row.append("" if r["score"] is None else _score(r["score"], rank, lang))
        rows.append(row)
    return format_table(headers, rows)


def _score(score: float, rank: str, lang: str) -> str:
    """A ranking figure as people read it: 亿元 or 亿元/年, jobs as a whole number."""
    from model.units import format_money

    if rank == "jobs":
        return f"{score:,.0f}"
    return format_money(score, lang, per_year=rank == "value")
