"""``parkcap sensitivity``: which uncertain input moves each stage's gap the most."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from model import quarters
from model.catalogue import t
from model.cli.arguments import (
    Commands,
    Subparsers,
    add_common_options,
    add_start_options,
    arg_positive_int,
    arg_quarter,
    arg_seed,
)
from model.cli.output import format_table, out, print_json
from model.cli.simulation import progress_bar, scenario_from
from model.park import Park, load_park


def register(sub: Subparsers, commands: Commands) -> None:
    """Add ``sensitivity`` to the ``parkcap`` commands.

    Parameters
    ----------
    sub
        The sub-parsers of ``parkcap``.
    commands
        Command name -> handler, filled in here.
    """
    from model.sensitivity import DEFAULT_N, MAX_N, MIN_N

    p = sub.add_parser(
        "sensitivity",
        help="Sobol indices: which uncertain input moves each stage's gap the most",
    )
    add_common_options(p)
    p.add_argument("scenario", metavar="SCENARIO", help="a name in scenarios/ or a TOML file")
    p.add_argument(
        "--quarter",
        type=arg_quarter,
        default=None,
        help="quarter, e.g. 2030Q4 (default: the scenario's horizon)",
    )
    p.add_argument(
        "--n",
        type=arg_positive_int,
        default=None,
        help=f"base samples, a power of two from {MIN_N} to {MAX_N} (default {DEFAULT_N}); "
        "the model runs n x (factors + 2) draws",
    )
    p.add_argument(
        "--seed", type=arg_seed, default=None, help="seed of the design (default: the scenario's)"
    )
    add_start_options(p)
    p.add_argument("--json", action="store_true", help="print the indices as JSON")
    commands["sensitivity"] = cmd_sensitivity


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """Sobol indices of every stage's gaps in one quarter, as a table or JSON.

    Parameters
    ----------
    args
        Parsed arguments of ``parkcap sensitivity``.

    Returns
    -------
    int
        0; 2 on bad input (listed on stderr by :func:`model.cli.main`).
    """
    from model.sensitivity import DEFAULT_N, check_n, sobol_indices

    park = load_park(args.data)
    scenario = scenario_from(args, args.scenario, park)
    quarter = quarters.label(args.quarter) if args.quarter is not None else scenario.horizon
    n = check_n(args.n if args.n is not None else DEFAULT_N, args.lang)
    result = sobol_indices(
        park,
        scenario,
        quarter,
        n=n,
        seed=args.seed,
        progress=_progress(sys.stderr.isatty()),
        as_of=args.as_of,
        known_as_of=args.known_as_of,
        lang=args.lang,
    )
    if args.json:
        print_json(result)
        return 0
    out(render(result, park, scenario.title(args.lang), args.lang))
    return 0


def _progress(enabled: bool) -> Callable[[int, int], None] | None:
    """A progress bar on a terminal, made when the number of model runs is known."""
    if not enabled:
        return None
    bar: list[Callable[[int, int], None] | None] = []

    def update(done: int, total: int) -> None:
        if not bar:
            bar.append(progress_bar(total, True))
        if bar[0] is not None:
            bar[0](done, total)

    return update


def _pm(value: float | None, conf: float | None) -> str:
    """``0.86 ± 0.03``; a dash where SALib gave no estimate."""
    if value is None or conf is None:
        return "—"
    return f"{value:.2f} ± {conf:.2f}"


def render(result: dict[str, Any], park: Park, title: str, lang: str) -> str:
    """The indices as a table per gap, the top driver of each in a sentence.

    Parameters
    ----------
    result
        From :func:`model.sensitivity.sobol_indices`.
    park
        Names stages and statuses.
    title
        The scenario's title in ``lang``.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The text to print.
    """
    from model.sensitivity import factor_label, top_driver

    lines = [
        t(
            "sens_title",
            lang,
            scenario=title,
            quarter=result["quarter"],
            n=result["n"],
            runs=result["runs"],
        ),
        t("sens_reading", lang),
        "",
    ]
    rows = []
    sentences = []
    for entry in result["stages"]:
        stage = park.stages[entry["stage"]].name(lang)
        variable = t(f"sens_variable_{entry['variable']}", lang)
        for k, f in enumerate(entry["factors"]):
            if k and (f["ST"] or 0.0) + (f["ST_conf"] or 0.0) < 0.01:  # the rest: < 1 %
                break
            rows.append(
                [
                    stage if k == 0 else "",
                    variable if k == 0 else "",
                    factor_label(f["factor"], lang, park),
                    _pm(f["S1"], f["S1_conf"]),
                    _pm(f["ST"], f["ST_conf"]),
                ]
            )
        top = top_driver(entry)
        sentences.append(
            t(
                "sens_top",
                lang,
                stage=stage,
                variable=variable,
                factor=factor_label(top["factor"], lang, park),
                st=top["ST"] or 0.0,
            )
        )
    headers = [
        t("stage", lang),
        t("sens_col_gap", lang),
        t("sens_col_factor", lang),
        t("sens_col_s1", lang),
        t("sens_col_st", lang),
    ]
    lines += [format_table(headers, rows), "", *sentences]
    sep = "、" if lang == "zh" else ", "
    if result["absent"]:
        names = sep.join(factor_label(f, lang, park) for f in result["absent"])
        lines += ["", t("sens_absent", lang, factors=names)]
    if result["constant"]:
        items = sep.join(
            f"{park.stages[c.split(':')[0]].name(lang)} "
            f"({t('sens_variable_' + c.split(':')[1], lang)})"
            for c in result["constant"]
        )
        lines.append(t("sens_constant", lang, items=items))
    return "\n".join(lines)
