"""The waterfall: what each lever and project contributes to a difference between scenarios."""

from __future__ import annotations

import pytest

from model.attribution import waterfall
from model.scenario import load_scenario


def test_waterfall_steps_add_up_to_the_difference(park) -> None:
    a, b = load_scenario("lithium-led", park=park), load_scenario("sodium-flow", park=park)
    w = waterfall(park, a, b, "na_cell", "2030Q4", variable="nameplate", draws=100)
    assert w["start"] + sum(s["delta"] for s in w["steps"]) == pytest.approx(w["end"])
    by_key = {s["key"]: s for s in w["steps"]}
    assert by_key["sodium-ion-line"]["delta"] > 0
    assert by_key["technology_mix"]["delta"] == pytest.approx(0.0)  # no line, no sodium cells
    assert by_key["sodium-ion-line"]["label_zh"] == "钠离子电池生产线"
    assert w["unit"] == "GWh / a"


def test_a_single_lever_gets_the_whole_difference(park) -> None:
    base = load_scenario("baseline", park=park)
    other = base.with_changes(name="faster", **{"demand.growth": 0.4})
    w = waterfall(park, base, other, "lfp_cathode", "2026Q4", variable="demand", draws=100)
    assert [s["key"] for s in w["steps"]] == ["demand"]
    assert w["steps"][0]["delta"] == pytest.approx(w["end"] - w["start"])
    assert w["steps"][0]["delta"] > 0
    assert w["steps"][0]["label_en"] == "Storage demand"


def test_identical_scenarios_have_no_steps(park) -> None:
    base = load_scenario("baseline", park=park)
    w = waterfall(park, base, base.with_changes(title_en="Same"), "separator", "2030Q4", draws=50)
    assert w["steps"] == []
    assert w["start"] == w["end"]


def test_unknown_stage_is_refused(park) -> None:
    base = load_scenario("baseline", park=park)
    with pytest.raises(ValueError, match="unknown stage"):
        waterfall(park, base, base, "graphene", "2030Q4", draws=10)
