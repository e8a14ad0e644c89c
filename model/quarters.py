"""Calendar quarters, the time step of parkcap: ``"2024Q2"`` <-> an integer index.

A quarter is stored as an integer ``year * 4 + (q - 1)`` so that arithmetic (delays,
ramp-up) is integer addition. Exports write a quarter as its last day (the IAMC datetime
convention for a stock at the end of the period).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_Q = re.compile(r"^\s*(\d{4})\s*[-_ ]?\s*[Qq]([1-4])\s*$")


class QuarterError(ValueError):
    """A text is not a quarter such as ``2026Q4``."""


def parse_quarter(text: str) -> int:
    """``"2026Q4"`` (also ``"2026-Q4"``, ``"2026q4"``) -> quarter index."""
    m = _Q.match(str(text))
    if not m:
        msg = f"{text!r} is not a quarter; expected e.g. 2026Q4"
        raise QuarterError(msg)
    return int(m.group(1)) * 4 + int(m.group(2)) - 1


def label(index: int) -> str:
    """Quarter index -> ``"2026Q4"``."""
    return f"{index // 4}Q{index % 4 + 1}"


def of_date(d: date) -> int:
    """The quarter a date falls in."""
    return d.year * 4 + (d.month - 1) // 3


def end_date(index: int) -> date:
    """Last day of a quarter (2024Q2 -> 2024-06-30)."""
    year, q = divmod(index + 1, 4)
    return date(year, q * 3 + 1, 1) - timedelta(days=1)


def start_date(index: int) -> date:
    """First day of a quarter."""
    year, q = divmod(index, 4)
    return date(year, q * 3 + 1, 1)


def span(start: int, end: int) -> list[int]:
    """Quarter indices from ``start`` to ``end`` inclusive."""
    return list(range(start, end + 1))


def parse_range(text: str) -> tuple[int, int]:
    """``"2024Q3:2030Q4"`` -> (start, end) quarter indices."""
    first, sep, last = str(text).partition(":")
    if not sep:
        msg = f"{text!r} is not a quarter range; expected e.g. 2024Q3:2030Q4"
        raise QuarterError(msg)
    a, b = parse_quarter(first), parse_quarter(last)
    if b < a:
        msg = f"{text!r}: the range ends before it starts"
        raise QuarterError(msg)
    return a, b
