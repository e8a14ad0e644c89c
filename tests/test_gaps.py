"""Gap analysis against hand arithmetic on the seeded data, targets, missing stages, compare."""

from __future__ import annotations

import pytest

from model.gaps import compare, gap_table, investment_targets, missing_stages
from model.scenario import load_scenario
from model.simulate import simulate


@pytest.fixture(scope="module")
def mid2024(park):
    s = load_scenario("baseline", park=park)
    ds = simulate(park, s, draws=50, seed=1)
    return {r["stage"]: r for r in gap_table(park, ds, "2024Q2", scenario=s)}


def test_separator_falls_short_of_what_37_5_gwh_needs(mid2024) -> None:
    sep = mid2024["separator"]
    # 37.5 GWh x 1.2e7 m²/GWh = 4.5e8 m² needed against 1.5e8 m²
    assert sep["demand"] == pytest.approx(4.5e8)
    assert sep["gap"] == pytest.approx(3.0e8)
    assert sep["gap_cell_gwh_eq"] == pytest.approx(25.0)
    assert sep["status"] == "short"
    assert sep["p_short"] == 1.0
    assert sep["unit"] == "m**2"


def test_casings_fall_slightly_short_and_cathode_is_in_surplus(mid2024) -> None:
    assert mid2024["cell_casing"]["gap"] == pytest.approx(37.5e6 - 35e6)
    assert mid2024["lfp_cathode"]["status"] == "surplus"
    assert mid2024["lfp_cathode"]["gap"] == pytest.approx(37.5 * 2250 - 183_000)
    assert mid2024["copper_foil"]["status"] == "surplus"


def test_lithium_carbonate_need_goes_through_the_cathode_plant(mid2024) -> None:
    # the cathode plant runs at nameplate: 183,000 t x 0.24 t LCE/t
    assert mid2024["lithium_carbonate"]["demand"] == pytest.approx(183_000 * 0.24)


def test_missing_stages_and_ranked_targets(mid2024) -> None:
    table = list(mid2024.values())
    missing = [r["stage"] for r in missing_stages(table)]
    battery = {
        "lithium_carbonate",
        "iron_phosphate",
        "anode_graphite",
        "electrolyte",
        "aluminium_foil",
    }
    assert set(missing) == battery | {"cc_thermal_field"}
    assert missing[-1] == "cc_thermal_field"  # the photovoltaic chain after the battery chain
    targets = investment_targets(table)
    assert [r["rank"] for r in targets] == list(range(1, len(targets) + 1))
    cell = [r for r in targets if r["ranked_gap_cell_gwh_eq"] is not None]
    eq = [r["ranked_gap_cell_gwh_eq"] for r in cell]
    assert eq == sorted(eq, reverse=True)
    assert targets[: len(cell)] == cell  # cell-eq targets first, never mixed with the PV ones
    assert targets[0]["stage"] == "lithium_carbonate"
    assert {"separator", "cell_casing"} <= {r["stage"] for r in targets}
    sep = next(r for r in targets if r["stage"] == "separator")
    assert sep["to_close"] == pytest.approx(3.0e8)


def test_pv_stages_have_no_cell_yardstick_but_a_wafer_one(mid2024) -> None:
    poly = mid2024["polysilicon"]
    assert poly["gap_cell_gwh_eq"] is None
    assert poly["ranked_gap_cell_gwh_eq"] is None
    assert poly["reference"] == "mono_silicon"
    # 102 GW of ingot pullers x 2,200 t/GW against the park's polysilicon
    assert poly["demand"] == pytest.approx(102 * 2200)
    assert poly["gap_wafer_gw_eq"] == pytest.approx(poly["gap"] / 2200)
    assert poly["status"] == "short"
    assert mid2024["separator"]["gap_wafer_gw_eq"] is None


def test_effective_basis_uses_simulated_operation(park) -> None:
    s = load_scenario("baseline", park=park)
    ds = simulate(park, s, draws=1)
    table = {r["stage"]: r for r in gap_table(park, ds, "2024Q2", basis="effective")}
    cells = ds["output"].sel(stage="lfp_cell", quarter="2024Q2").item()
    assert table["separator"]["demand"] == pytest.approx(1.2e7 * cells)
    assert table["separator"]["supply"] == pytest.approx(1.5e8 * 0.7)


def test_quarter_outside_the_projection_is_refused(park) -> None:
    s = load_scenario("baseline", park=park)
    ds = simulate(park, s, draws=5)
    with pytest.raises(ValueError, match="outside the projection"):
        gap_table(park, ds, "2035Q1")


def test_compare_shows_what_changed_and_what_it_did(park) -> None:
    names = ["lithium-led", "sodium-flow"]
    scenarios = [load_scenario(n, park=park) for n in names]
    results = {s.name: simulate(park, s, draws=200, seed=3) for s in scenarios}
    out = compare(park, results, scenarios, "2030Q4", basis="effective")
    assert {r["scenario"] for r in out["rows"]} == set(names)
    assert len(out["rows"]) == 2 * len(park.stages)
    assert "technology_mix.sodium_ion" in {d["key"] for d in out["differences"]}
    changed = {r["stage"] for r in out["changed_stages"]}
    assert {"hard_carbon", "vanadium_pentoxide", "na_cathode"} <= changed
    # unchanged stages are identical thanks to common random numbers
    rows = {(r["scenario"], r["stage"]): r["gap"] for r in out["rows"]}
    assert rows[("lithium-led", "mono_silicon")] == rows[("sodium-flow", "mono_silicon")]
