"""Reading one field of a data row: dates, numbers, ids, free text and the source rule.

Every function appends a :class:`~model.errors.Problem` naming file, row, field and value
and returns ``None`` on bad input, so that a loader reports every problem of a file at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Container, Iterable, Mapping
from datetime import date

from model.datafiles import shorten
from model.errors import Problem

#: stage, chain and technology ids: lower case, digits and underscores
ID = re.compile(r"^[a-z][a-z0-9_]*$")
#: the largest capacity (canonical stage unit per year) or recipe intensity (canonical input
#: unit per output unit) any real plant or recipe comes near: 1e12 t, m², sets or GWh a year
#: is beyond the world's industry. Larger finite numbers are typing errors (1e300GWh).
PLAUSIBLE_MAX = 1e12
#: record ids such as ``cap-0006``
RECORD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
#: first characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: object) -> bool:
    """``True`` if ``text`` is a string that a spreadsheet would read as a formula.

    Parameters
    ----------
    text
        A cell value of any type; only strings can be formulas.

    Returns
    -------
    bool
        Whether it starts with one of :data:`FORMULA_START`.
    """
    return isinstance(text, str) and text[:1] in FORMULA_START


def check_text(
    r: Mapping[str, str],
    cols: Iterable[str],
    file: str,
    line: int | None,
    problems: list[Problem],
) -> None:
    """Append a problem for each free-text field of a row that starts like a formula.

    Names, titles, notes, citations, assumptions and the like end up in CSV and Excel
    exports; text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    would run there as a formula (``=HYPERLINK(...)``), so it is refused at the door.

    Parameters
    ----------
    r
        The row (column -> text).
    cols
        Its free-text columns (absent or empty ones are skipped).
    file, line
        Where the row came from, for the message.
    problems
        List the problems are appended to.
    """
    for col in cols:
        text = r.get(col) or ""
        if not looks_like_formula(text):
            continue
        lead = text[0]
        rest = text.lstrip("".join(FORMULA_START) + " ")
        fix = f"e.g. {shorten(rest, 30)!r}" if rest else "e.g. with a word"
        problems.append(
            Problem(
                file,
                line,
                col,
                shorten(text),
                f"text starts with {lead!r}, which a spreadsheet runs as a formula; "
                f"remove the leading character(s) or start the text with a letter or digit "
                f"({fix})",
            )
        )


def parse_date(
    text: str, file: str, line: int, col: str, problems: list[Problem], required: bool = True
) -> date | None:
    """``text`` as a date (YYYY-MM-DD); empty is a problem only if ``required``."""
    if not text:
        if required:
            problems.append(
                Problem(
                    file, line, col, text, "date is empty; expected YYYY-MM-DD, e.g. 2024-06-30"
                )
            )
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(
            Problem(file, line, col, text, "not a valid date; expected YYYY-MM-DD, e.g. 2024-06-30")
        )
        return None


def parse_number(
    text: str, file: str, line: int, col: str, problems: list[Problem], positive: bool = True
) -> float | None:
    """``text`` as a finite number (thousands commas allowed); > 0 if ``positive``."""
    if not text:
        problems.append(Problem(file, line, col, text, "empty; expected a number"))
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        problems.append(Problem(file, line, col, text, "not a number; expected e.g. 2250"))
        return None
    if not math.isfinite(value):
        problems.append(Problem(file, line, col, text, "not a finite number"))
        return None
    if positive and value <= 0:
        problems.append(Problem(file, line, col, text, "must be greater than zero"))
        return None
    return value


def check_source(
    r: Mapping[str, str],
    sources: Container[str],
    file: str,
    line: int | None,
    problems: list[Problem],
    col: str = "source",
    required: bool = True,
) -> None:
    """Check a row's source id: known if given; if ``required``, present.

    A required source id may be missing if the row has an ``assumption`` column, whose
    one-line rationale may stand in for a source.
    """
    text = r.get(col, "")
    if text and text not in sources:
        problems.append(
            Problem(
                file, line, col, text, "unknown source id; expected an id listed in sources.csv"
            )
        )
    elif not text and required:
        if "assumption" not in r:
            problems.append(Problem(file, line, col, "", "empty; every figure needs a source id"))
        elif not r["assumption"]:
            problems.append(
                Problem(
                    file,
                    line,
                    col,
                    "",
                    "empty; give a source id, or mark the row as an assumption with a one-line rationale in 'assumption'",
                )
            )


def check_unique(
    ids: list[tuple[int, str]], file: str, col: str, problems: list[Problem]
) -> set[int]:
    """Append a problem for every id of ``(line, id)`` pairs that repeats an earlier one.

    Returns the lines of the repeats (a loader leaves those rows out).
    """
    seen: dict[str, int] = {}
    repeated: set[int] = set()
    for line, ident in ids:
        if ident in seen:
            problems.append(
                Problem(file, line, col, ident, f"duplicate id; already used on row {seen[ident]}")
            )
            repeated.add(line)
        else:
            seen[ident] = line
    return repeated


class UncheckedSources(dict):
    """Stands in for the sources when ``sources.csv`` itself could not be read.

    Every id passes, so that its one problem is not buried under an "unknown source" on
    every row.
    """

    def __contains__(self, key: object) -> bool:
        return True
