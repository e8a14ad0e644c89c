"""Problems found in input, collected so that a user sees all of them in one run.

A :class:`Problem` names the file, the row (line number as an editor shows it) or key
path, the field, the offending value and what was expected. Loaders append problems to a
list instead of raising at the first one, then raise one :class:`DataError` carrying
them all; the CLI prints them and exits with status 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one value of one input.

    Attributes
    ----------
    file
        The file (or object, e.g. ``"scenario 'baseline'"``) the value came from.
    row
        Line number in a CSV file (the header is line 1), or ``None``.
    field
        Column name or dotted key path (``"utilisation.lfp_cell"``), or ``None``.
    value
        The offending value as read.
    expected
        What was expected instead, phrased as the fix.
    """

    file: str
    row: int | None
    field: str | None
    value: Any
    expected: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field is not None:
            where += f", field '{self.field}'"
        shown = "" if self.value is None else f": value {self.value!r}"
        return f"{where}{shown}: {self.expected}"


class DataError(ValueError):
    """Input failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the input:\n{lines}")


def raise_if(problems: list[Problem]) -> None:
    """Raise :class:`DataError` if ``problems`` is not empty."""
    if problems:
        raise DataError(problems)
