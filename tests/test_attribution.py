"""The waterfall: what each lever and project contributes to a difference between scenarios."""

from __future__ import annotations

import numpy as np
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


def test_one_table_holds_every_stage_and_quarter(park) -> None:
    from model.attribution import pick, waterfall_table

    a, b = load_scenario("baseline", park=park), load_scenario("lithium-led", park=park)
    table = waterfall(park, a, b, None, variable=("gap", "nameplate"), draws=60)
    assert table["stages"] == list(park.stages)
    for var in ("gap", "nameplate"):
        total = table["start"][var] + sum(s["delta"][var] for s in table["steps"])
        np.testing.assert_allclose(total, table["end"][var], rtol=1e-9, atol=1e-6)
    # a stage taken out of the table is the stage's own waterfall
    one = waterfall(park, a, b, "separator", "2030Q4", variable="nameplate", draws=60)
    picked = pick(table, "separator", "2030Q4", "nameplate")
    assert picked["start"] == pytest.approx(one["start"])
    assert [s["delta"] for s in picked["steps"]] == pytest.approx(
        [s["delta"] for s in one["steps"]]
    )
    # the second separator phase (3亿 m², from 2027Q1) is the separator's whole change
    by_key = {s["key"]: s["delta"] for s in picked["steps"]}
    assert 1.5e8 < by_key["separator-phase2"] <= 3.0e8
    assert by_key["separator-phase2"] == pytest.approx(picked["end"] - picked["start"])
    assert picked["unit"] == "m**2 / a"
    with pytest.raises(ValueError, match="unknown quarter"):
        pick(table, "separator", "2040Q4", "nameplate")
    assert waterfall_table(park, a, a, "gap", draws=10)["steps"] == []


def test_scaled_and_delayed_projects_get_their_own_steps(park) -> None:
    base = load_scenario("baseline", park=park)
    half = base.with_changes(name="half", **{"projects.scale": {"haide-cabinet": 0.5}})
    w = waterfall(park, base, half, "storage_cabinet", "2030Q4", variable="nameplate", draws=50)
    assert [s["key"] for s in w["steps"]] == ["haide-cabinet"]
    # halving the 20 GWh Haide line takes up to 10 GWh of cabinets away
    assert -10.0 <= w["steps"][0]["delta"] < -5.0
    later = base.with_changes(name="later", **{"projects.delay": {"haide-cabinet": 8}})
    w = waterfall(park, base, later, "storage_cabinet", "2026Q4", variable="nameplate", draws=50)
    assert [s["key"] for s in w["steps"]] == ["haide-cabinet"]
    assert w["steps"][0]["delta"] < 0  # two years later: less capacity in 2026
