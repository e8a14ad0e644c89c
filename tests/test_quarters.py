"""Quarter labels, indices and dates."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model import quarters


@pytest.mark.parametrize("text", ["2026Q4", "2026-Q4", "2026q4", " 2026 Q4 "])
def test_spellings(text: str) -> None:
    assert quarters.label(quarters.parse_quarter(text)) == "2026Q4"


@pytest.mark.parametrize("text", ["2026Q5", "2026", "Q4 2026", "", "2026Q0"])
def test_bad_quarters(text: str) -> None:
    with pytest.raises(quarters.QuarterError, match="expected e.g. 2026Q4"):
        quarters.parse_quarter(text)


@given(st.integers(min_value=1990 * 4, max_value=2100 * 4))
def test_round_trip_and_dates(index: int) -> None:
    assert quarters.parse_quarter(quarters.label(index)) == index
    assert quarters.of_date(quarters.end_date(index)) == index
    assert quarters.of_date(quarters.start_date(index)) == index
    assert (quarters.start_date(index + 1) - quarters.end_date(index)).days == 1


def test_known_dates() -> None:
    assert quarters.end_date(quarters.parse_quarter("2024Q2")) == date(2024, 6, 30)
    assert quarters.of_date(date(2024, 6, 20)) == quarters.parse_quarter("2024Q2")
    assert quarters.parse_range("2024Q3:2030Q4") == (
        quarters.parse_quarter("2024Q3"),
        quarters.parse_quarter("2030Q4"),
    )
    with pytest.raises(quarters.QuarterError, match="ends before it starts"):
        quarters.parse_range("2030Q4:2024Q3")
