"""Reading one field of a data row: dates, numbers, ids and the source-or-assumption rule.

Every function appends a :class:`~model.errors.Problem` naming file, row, field and value
and returns ``None`` on bad input, so that a loader reports every problem of a file at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Container, Mapping
from datetime import date

from model.errors import Problem

#: stage, chain and technology ids: lower case, digits and underscores
ID = re.compile(r"^[a-z][a-z0-9_]*$")
#: record ids such as ``cap-0006``
RECORD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


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


def check_unique(ids: list[tuple[int, str]], file: str, col: str, problems: list[Problem]) -> None:
    """Append a problem for every id of ``(line, id)`` pairs that repeats an earlier one."""
    seen: dict[str, int] = {}
    for line, ident in ids:
        if ident in seen:
            problems.append(
                Problem(file, line, col, ident, f"duplicate id; already used on row {seen[ident]}")
            )
        else:
            seen[ident] = line


class UncheckedSources(dict):
    """Stands in for the sources when ``sources.csv`` itself could not be read.

    Every id passes, so that its one problem is not buried under an "unknown source" on
    every row.
    """

    def __contains__(self, key: object) -> bool:
        return True
