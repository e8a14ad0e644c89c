"""The "as known on" date: which records the pages use.

The shell keeps the date in the store ``known-as-of`` (an ISO date string, or nothing:
every record). Pages read it as an ``Input`` and ask :meth:`AppState.known_on` for the
park as it was known then (capacity records and status changes recorded later left out).
"""

from __future__ import annotations

from datetime import date
from typing import Any

#: the store the shell keeps the date in
STORE = "known-as-of"
#: the earliest date accepted (before the park's first records)
EARLIEST = date(2000, 1, 1)


def known_date(value: Any, today: date | None = None) -> date | None:
    """The date in the store, or ``None`` (every record) for anything that is not one.

    Parameters
    ----------
    value
        What the browser sent: an ISO ``YYYY-MM-DD`` string between :data:`EARLIEST` and
        ``today`` counts; anything else (a path, a number, a date in the future) is ``None``.
    today
        Default: today's date.
    """
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        d = date.fromisoformat(value)
    except ValueError:
        return None
    if not EARLIEST <= d <= (today or date.today()):
        return None
    return d
