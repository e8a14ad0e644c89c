"""``parkcap track``: record capacity and project status over time, list and estimate them.

Writing records is :mod:`model.recording`'s work; reading them is :mod:`model.tracking`'s.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from model.catalogue import t
from model.cli.arguments import Commands, Subparsers, add_common_options, arg_positive_int
from model.cli.output import format_table, out, print_json
from model.park import load_park


def register(sub: Subparsers, commands: Commands) -> None:
    """Add ``track`` and its actions to the ``parkcap`` commands.

    Parameters
    ----------
    sub
        The sub-parsers of ``parkcap``.
    commands
        Command name -> handler, filled in here.
    """
    p = sub.add_parser("track", help="record capacity and project status over time")
    tsub = p.add_subparsers(dest="track_command", required=True, metavar="ACTION")
    _add_appenders(tsub)
    _add_readers(tsub)
    commands["track"] = cmd_track


def _add_appenders(tsub: Subparsers) -> None:
    """Parsers of ``track capacity``, ``track project`` and ``track import``."""
    from model.pipeline import STATUSES
    from model.recording import KINDS

    # dates are read as text so that every bad field is reported in one run
    q = tsub.add_parser("capacity", help="append a dated capacity observation of a stage")
    add_common_options(q)
    q.add_argument("stage", metavar="STAGE", help="stage id from stages.csv")
    q.add_argument("quantity", metavar="QUANTITY", help="annual capacity as written, e.g. 40吉瓦时")
    q.add_argument("--as-of", required=True, metavar="DATE", help="valid from (YYYY-MM-DD)")
    q.add_argument("--source", required=True, metavar="ID", help="source id from sources.csv")
    q.add_argument("--note", default="", help="one-line note")
    q.add_argument("--recorded", default=None, metavar="DATE", help="date learnt (default today)")

    q = tsub.add_parser("project", help="append a dated status change of a project")
    add_common_options(q)
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
    add_common_options(q)
    q.add_argument("file", metavar="FILE", help="a .csv or .xlsx file (first sheet)")
    q.add_argument(
        "--kind", choices=list(KINDS), default=None, help="record kind (default: from the header)"
    )
    q.add_argument(
        "--skip-existing",
        action="store_true",
        help="skip rows already recorded (same stage or project, quantity or status, as_of, "
        "source) instead of refusing the import",
    )


def _add_readers(tsub: Subparsers) -> None:
    """Parsers of ``track history`` and ``track estimate``."""
    q = tsub.add_parser("history", help="list the records of a stage, a project or all")
    add_common_options(q)
    q.add_argument("key", nargs="?", default=None, metavar="STAGE|PROJECT")
    q.add_argument("--json", action="store_true")

    q = tsub.add_parser("estimate", help="completion probability and time in status from history")
    add_common_options(q)
    q.add_argument(
        "--min",
        type=arg_positive_int,
        default=5,
        metavar="N",
        help="transitions needed (default 5)",
    )
    q.add_argument("--json", action="store_true")


def cmd_track(args: argparse.Namespace) -> int:
    """Append dated records, import them in bulk, list them, or estimate status parameters.

    Parameters
    ----------
    args
        Parsed arguments of ``parkcap track``; ``track_command`` names the action.

    Returns
    -------
    int
        0; bad records raise :class:`model.errors.DataError`, which ``main`` reports.
    """
    if args.track_command in ("capacity", "project", "import"):
        return _append(args)
    park = load_park(args.data)
    if args.track_command == "history":
        return _history(args, park)
    return _estimate(args, park)


def _new_records(
    args: argparse.Namespace, skipped: list[tuple[int | None, str]] | None = None
) -> tuple[str, list[Any]]:
    """Append the records of ``track capacity``, ``project`` or ``import``: (kind, records).

    Rows of an import that are already recorded are listed in ``skipped`` if it is a list.
    """
    from model import record_import, recording

    if args.track_command == "capacity":
        rec = recording.track_capacity(
            args.data,
            args.stage,
            args.quantity,
            args.as_of,
            args.source,
            note=args.note,
            recorded=args.recorded,
        )
        return "capacity", [rec]
    if args.track_command == "project":
        rec = recording.track_project(
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
        return "project", [rec]
    return record_import.import_records(args.data, args.file, kind=args.kind, skipped=skipped)


def _append(args: argparse.Namespace) -> int:
    from model import recording

    skipped: list[tuple[int | None, str]] | None = (
        [] if getattr(args, "skip_existing", False) else None
    )
    kind, recs = _new_records(args, skipped)
    path = Path(args.data) / recording.target_file(kind)[0]
    out(t("track_added", args.lang, n=len(recs), path=path))
    for r in recs:
        subject = getattr(r, "stage", None) or getattr(r, "project", "")
        what = getattr(r, "quantity_text", None) or getattr(r, "status", "")
        out(f"  {r.record_id}  {subject}  {what}  {r.valid_from}  ({r.recorded}, {r.source})")
    if skipped:
        out(t("track_skipped", args.lang, n=len(skipped)))
        for row, same in skipped:
            out("  " + t("track_skipped_row", args.lang, row=row, same=same))
    return 0


def _history(args: argparse.Namespace, park: Any) -> int:
    from model import tracking

    lang = args.lang
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


def _num(x: object) -> str:
    return "" if x is None else f"{x:.3g}"


def _estimate(args: argparse.Namespace, park: Any) -> int:
    from model import tracking

    lang = args.lang
    rows = tracking.estimate_table(park, args.min, lang)
    if args.json:
        print_json({"min_transitions": args.min, "estimates": rows})
        return 0
    if not rows:
        out(t("estimate_none", lang, n=args.min))
        return 0
    out(t("estimate_title", lang, n=args.min))
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
                    _num(r["p_complete"]),
                    r["p_transitions"],
                    _num(r["default_p_complete"]),
                    _num(r["quarters_in_status"]),
                    r["time_transitions"],
                    _num(r["default_quarters_in_status"]),
                ]
                for r in rows
            ],
        )
    )
    return 0
