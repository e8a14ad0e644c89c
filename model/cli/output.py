"""What the commands write: aligned tables and lines on stdout, JSON, problems on stderr."""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any

from model.catalogue import t
from model.errors import Problem
from model.units import Q_, format_quantity, rate_unit, spell_unit


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Plain-text table aligned for terminals that show CJK characters double-width.

    Parameters
    ----------
    headers
        Column titles.
    rows
        Cells of each row; ``None`` is shown as an empty cell.

    Returns
    -------
    str
        The header, a rule of dashes and the rows, without trailing spaces.
    """
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for k, r in enumerate(cells):
        lines.append("  ".join(c + " " * (widths[i] - _width(c)) for i, c in enumerate(r)).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def quantity_cell(value: float | None, unit: str, lang: str, digits: int = 4) -> str:
    """A table cell for an amount in ``unit``, written as the ``gaps`` tables write it.

    Parameters
    ----------
    value
        Magnitude in ``unit`` (a stage's canonical unit, e.g. ``"t"``, ``"m**2"``,
        ``"GWh"``); ``None`` or NaN gives an empty cell.
    unit
        The unit of ``value``; a per-year unit (``"t / a"``) is written without its
        ``/a``, which the table's unit column carries (:func:`rate_unit_cell`).
    lang
        ``"zh"``: 万/亿 and Chinese unit names (``"1.5亿平方米"``); ``"en"``: thousands
        separators and short symbols (``"150,000,000 m²"``).
    digits
        Significant digits kept.

    Returns
    -------
    str
        Never scientific notation for amounts above 1e-6 of the unit (smaller ones are 0).
    """
    if value is None or value != value:
        return ""
    return format_quantity(Q_(round(float(value), 6), _base(unit)), lang, digits=digits)


def rate_unit_cell(unit: str, lang: str) -> str:
    """The annual-rate unit of a stage counted in ``unit`` as people read it.

    Parameters
    ----------
    unit
        The stage's unit (``"m**2"``) or its rate already (``"m**2 / a"``).
    lang
        ``"zh"`` (``"平方米/年"``) or ``"en"`` (``"m²/a"``).
    """
    return spell_unit(rate_unit(_base(unit)), lang)


def _base(unit: str) -> str:
    """The unit counted, without a trailing per-year (``"m**2 / a"`` -> ``"m**2"``)."""
    text = unit.replace(" ", "")
    return text[: -len("/a")] if text.endswith("/a") else unit


def out(text: str = "") -> None:
    """Write a line to stdout (the CLI's only output channel besides stderr).

    Parameters
    ----------
    text
        The line, without its newline.
    """
    sys.stdout.write(text + "\n")


def print_json(obj: Any) -> None:
    """Write ``obj`` as UTF-8 JSON (Chinese kept readable).

    Parameters
    ----------
    obj
        Anything ``json`` can write; other values are written as their ``str``.
    """
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def report_warning(text: str) -> None:
    """Write a warning line to stderr: the run goes on, the exit status stays 0.

    Parameters
    ----------
    text
        The warning, in the user's language.
    """
    sys.stderr.write(text + "\n")


def report_problems(problems: Sequence[Problem], lang: str = "zh") -> int:
    """List every problem on stderr; return exit status 2.

    Parameters
    ----------
    problems
        Each names file, row or key, field, value and what was expected; written as
        :meth:`~model.errors.Problem.message` in ``lang``.
    lang
        Language of the heading and the problems, ``"zh"`` or ``"en"``.

    Returns
    -------
    int
        2, the exit status of bad input.
    """
    sys.stderr.write(t("problems", lang, n=len(problems)) + "\n")
    for p in problems:
        line = p.message(lang) if isinstance(p, Problem) else str(p)
        sys.stderr.write(f"  - {line}\n")
    return 2
