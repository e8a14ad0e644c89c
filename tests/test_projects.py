"""Projects as the park knows them: lines and installations, timelines by stage class, own intensities."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from model import quarters
from model.errors import DataError
from model.park import Park, load_park
from model.scenario import Scenario, load_scenario
from model.simulate import simulate


@pytest.fixture(scope="module")
def baseline() -> Scenario:
    return load_scenario("baseline")


@pytest.fixture(scope="module")
def sodium_flow() -> Scenario:
    return load_scenario("sodium-flow")


def test_the_gravity_plant_needs_its_blocks_once_while_it_is_built(park: Park, sodium_flow) -> None:
    ds = simulate(park, sodium_flow, draws=1000, seed=2)
    per_quarter = ds["demand"].sel(stage="gravity_block") / 4  # annual rate x one quarter
    total = per_quarter.sum("quarter")
    done = ds["project_completes"].sel(project="gravity-200mwh") > 0
    need = 0.2 * park.chain.requirement("gravity_block", "gravity_storage")  # 200 MWh
    assert float(total.where(done).mean()) == pytest.approx(need, rel=0.10)
    assert float(total.where(~done).max()) == 0.0
    # zero after the build: nothing in the quarters from the plant's start on
    start = ds["project_start"].sel(project="gravity-200mwh").values
    q = np.array([quarters.parse_quarter(x) for x in ds["quarter"].values])
    after = per_quarter.values[q[None, :] >= start[:, None]]
    assert after.max() == 0.0


def test_an_installation_adds_to_the_installed_stock_not_to_production(
    park: Park, sodium_flow
) -> None:
    ds = simulate(park, sodium_flow, draws=1)
    last = ds.sel(quarter="2030Q4", draw=0, stage="gravity_storage")
    p = park.status_params["permitted"].p_complete
    assert float(last["installed"]) == pytest.approx(p * 0.2)
    assert float(last["nameplate"]) == 0.0


def test_assembly_lines_wait_less_than_plants(park: Park) -> None:
    params = park.status_params
    for status in ("signed", "permitted", "construction"):
        assembly = params[status].for_class("assembly").quarters_in_status
        assert assembly < params[status].quarters_in_status
        assert params[status].for_class("plant") is params[status]
    wait = sum(params[s].for_class("assembly").quarters_in_status for s in ("construction",))
    assert 2 <= wait <= 4


def test_haide_and_powerchina_start_as_planned(park: Park, baseline) -> None:
    """落地 read as construction: first output within 2 quarters of the line's timeline."""
    ds = simulate(park, baseline, draws=2000, seed=4)
    params = park.status_params
    for pid in ("haide-cabinet", "powerchina-cabinet"):
        project = next(p for p in park.projects if p.id == pid)
        assert project.status == "construction"
        planned = project.start_quarter(params, 0)
        start = ds["project_start"].sel(project=pid).values
        assert abs(np.median(start) - planned) <= 2
        assert (start <= quarters.parse_quarter("2026Q4")).mean() > 0.9


def test_the_timeline_runs_from_the_status_date_not_the_simulation_start(park: Park) -> None:
    project = next(p for p in park.projects if p.id == "haide-cabinet")
    params = park.status_params
    since = quarters.of_date(project.status_since or project.announced)
    assert project.start_quarter(params, since + 8) == project.start_quarter(params, since)
    assert project.start_quarter(params, since) == since + 3  # assembly: 3 quarters


def test_an_explicit_start_is_not_delayed_again(park: Park, baseline) -> None:
    explicit = baseline.with_changes(**{"projects.start": {"haide-cabinet": "2026Q1"}})
    ds = simulate(park, explicit, draws=500, seed=4)
    start = ds["project_start"].sel(project="haide-cabinet").values
    assert np.all(start == quarters.parse_quarter("2026Q1"))
    # a scenario may still add a delay on purpose
    later = explicit.with_changes(**{"projects.delay": {"haide-cabinet": 2}})
    ds = simulate(park, later, draws=500, seed=4)
    start = ds["project_start"].sel(project="haide-cabinet").values
    assert np.all(start == quarters.parse_quarter("2026Q3"))


def test_a_derived_start_keeps_its_status_delay(park: Park, baseline) -> None:
    ds = simulate(park, baseline, draws=2000, seed=4)
    start = ds["project_start"].sel(project="haide-cabinet").values
    assert start.std() > 0  # drawn delays around the timeline


def test_a_line_with_its_own_pcs_intensity_raises_pcs_demand(park: Park, baseline) -> None:
    own = next(p for p in park.projects if p.id == "powerchina-cabinet")
    assert own.intensities["pcs"] == pytest.approx(1.5)
    with_line = simulate(park, baseline, draws=300, seed=1).sel(quarter="2028Q4")
    plain = dataclasses.replace(
        park,
        projects=tuple(
            p.with_changes(intensities={}) if p.id == own.id else p for p in park.projects
        ),
    )
    without = simulate(plain, baseline, draws=300, seed=1).sel(quarter="2028Q4")
    pcs_with = float(with_line["demand"].sel(stage="pcs").mean())
    pcs_without = float(without["demand"].sel(stage="pcs").mean())
    np.testing.assert_allclose(
        with_line["output"].sel(stage="storage_cabinet").values,
        without["output"].sel(stage="storage_cabinet").values,
    )
    # a 10 GWh line at 1.5 GW/GWh in a park of about 27 GWh of cabinets: PCS per GWh roughly doubles
    assert 1.6 < pcs_with / pcs_without < 2.6


def test_a_bad_own_intensity_is_a_problem(tmp_path) -> None:
    from model.examples import write_example

    d = write_example("mini", tmp_path / "mini")
    text = (d / "projects.csv").read_text(encoding="utf-8").splitlines()
    text[0] += ",intensities"
    text[1] += ",separator=2GWh/GWh"
    (d / "projects.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_park(d)
    assert any(p.field == "intensities" for p in err.value.problems)


def test_missing_links_are_in_the_chain(park: Park) -> None:
    chain = park.chain
    fepo4 = chain.requirement("iron_phosphate", "lfp_cathode")
    assert fepo4 == pytest.approx(0.97)
    # LiPF6 per GWh of LFP cells: 900 t of electrolyte x 0.125
    assert chain.requirement("lipf6", "lfp_cell") == pytest.approx(900 * 0.125)
