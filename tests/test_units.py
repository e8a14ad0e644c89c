"""The unit registry: Chinese report quantities, energy vs power, counting units, growth."""

from __future__ import annotations

import math

import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.units import (
    UnitParseError,
    format_quantity,
    parse_growth,
    parse_quantity,
    parse_unit,
    ureg,
)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("37.5GWh", 37.5, "GWh"),
        ("37.5 吉瓦时", 37.5, "GWh"),
        ("18.3万吨", 183_000, "t"),
        ("1.5亿平方米", 1.5e8, "m**2"),
        ("5万吨", 50_000, "t"),
        ("3500万套", 3.5e7, "set"),
        ("20Gw", 20, "GW"),
        ("200兆瓦时", 0.2, "GWh"),
        ("5e4 tonne", 50_000, "t"),
        ("1,234.5 t", 1234.5, "t"),
        ("1.5亿 m**2", 1.5e8, "m**2"),
        ("3500 万套", 3.5e7, "set"),
        ("约18.3万吨/年", 183_000, "t"),
        ("74项", 74, "project"),
    ],
)
def test_parse_quantity_reads_report_spellings(text: str, value: float, unit: str) -> None:
    q = parse_quantity(text)
    assert q.to(unit).magnitude == pytest.approx(value, rel=1e-12)


def test_energy_is_not_power() -> None:
    wafers = parse_quantity("20Gw")
    assert not wafers.is_compatible_with("GWh")
    with pytest.raises(pint.DimensionalityError):
        wafers + parse_quantity("20 GWh")


@pytest.mark.parametrize("other", ["1 t", "1 m**2", "1 piece", "1 GWh"])
def test_counting_units_do_not_mix(other: str) -> None:
    with pytest.raises(pint.DimensionalityError):
        parse_quantity("3500万套") + parse_quantity(other)


def test_counting_units_add_up() -> None:
    assert (parse_quantity("3 个") + parse_quantity("2 piece")).to("piece").magnitude == 5


def test_knot_is_not_kilotonne() -> None:
    assert ureg.Quantity(1, "kilotonne").to("t").magnitude == 1000


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("abc", "does not start with a number"),
        ("nan GWh", "not a finite number"),
        ("inf t", "not a finite number"),
        ("5 furlongs_per_blip", "unknown unit"),
        ("18.3万", "has no unit"),
        ("1,23 t", "cannot read the number"),
    ],
)
def test_parse_quantity_rejects_bad_text_with_a_reason(text: str, fragment: str) -> None:
    with pytest.raises(UnitParseError, match=fragment):
        parse_quantity(text)


def test_parse_unit_rejects_magnitudes_and_unknowns() -> None:
    assert parse_unit("t/GWh") == ureg.Unit("t") / ureg.Unit("GWh")
    with pytest.raises(UnitParseError):
        parse_unit("万吨")
    with pytest.raises(UnitParseError):
        parse_unit("bananas")


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("18.3万吨", "18.3万吨", "183,000 t"),
        ("1.5亿平方米", "1.5亿平方米", "150,000,000 m²"),
        ("3500万套", "3500万套", "35,000,000 set"),
        ("37.5GWh", "37.5吉瓦时", "37.5 GWh"),
        ("20Gw", "20吉瓦", "20 GW"),
    ],
)
def test_format_quantity_writes_reports(text: str, zh: str, en: str) -> None:
    q = parse_quantity(text)
    assert format_quantity(q, "zh") == zh
    assert format_quantity(q, "en") == en


UNITS = ["t", "m**2", "set", "piece", "GWh", "MWh", "GW", "t/GWh"]
finite = st.floats(min_value=1e-3, max_value=1e13, allow_nan=False, allow_infinity=False)


@given(value=finite, unit=st.sampled_from(UNITS), lang=st.sampled_from(["zh", "en"]))
def test_format_then_parse_round_trips(value: float, unit: str, lang: str) -> None:
    q = ureg.Quantity(value, unit)
    back = parse_quantity(format_quantity(q, lang))
    assert back.is_compatible_with(q)
    assert math.isclose(back.to(unit).magnitude, value, rel_tol=1e-12)


@given(value=st.floats(min_value=-1e12, max_value=-1e-3), unit=st.sampled_from(["t", "GWh"]))
def test_round_trip_negative(value: float, unit: str) -> None:
    q = ureg.Quantity(value, unit)
    assert math.isclose(
        parse_quantity(format_quantity(q, "zh")).to(unit).magnitude, value, rel_tol=1e-12
    )


@pytest.mark.parametrize(
    ("text", "ratio"),
    [
        ("增长1.3倍", 2.3),
        ("增长1.9倍", 2.9),
        ("增长1.2倍", 2.2),
        ("增长45.1%", 1.451),
        ("下降5%", 0.95),
    ],
)
def test_chinese_growth_phrasing(text: str, ratio: float) -> None:
    assert parse_growth(text).ratio == pytest.approx(ratio)


def test_bei_is_an_increase_not_a_multiple() -> None:
    # 增长1.3倍 means +130 %: 2.3x last year's level, never 1.3x
    assert parse_growth("增长1.3倍").ratio != pytest.approx(1.3)


@pytest.mark.parametrize("text", ["翻番", "增长", "1.3", "增长3个百分点", "下降100%"])
def test_growth_rejects_other_phrasings(text: str) -> None:
    with pytest.raises(UnitParseError):
        parse_growth(text)
