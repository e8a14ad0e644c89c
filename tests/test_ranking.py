"""An investment ranking 招商 staff can act on: the park's own need, ranked several ways."""

from __future__ import annotations

import json

import numpy as np
import pytest

from model.cli import main
from model.gaps import captive_demand, gap_table, investment_targets, rank_figures
from model.park import Park
from model.scenario import load_scenario
from model.simulate import simulate


@pytest.fixture(scope="module")
def gaps_2024(park: Park) -> dict:
    ds = simulate(park, load_scenario("baseline"), draws=200, seed=1)
    return {r["stage"]: r for r in gap_table(park, ds, "2024Q2")}


def cli_json(capsys, *argv: str) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_lithium_carbonate_ranks_by_the_cells_own_need(gaps_2024) -> None:
    li = gaps_2024["lithium_carbonate"]
    # 37.5 GWh of cells x 2,250 t of cathode per GWh x 0.24 t of Li2CO3 per t of cathode
    assert li["captive_demand"] == pytest.approx(37.5 * 2250 * 0.24)
    assert li["ranked_gap_cell_gwh_eq"] == pytest.approx(37.5)
    # the cathode plant's surplus (183,000 t less the cells' 84,375 t) is the merchant need
    assert li["merchant_demand"] == pytest.approx((183_000 - 37.5 * 2250) * 0.24)
    assert li["gap_cell_gwh_eq"] > 2 * li["ranked_gap_cell_gwh_eq"]


def test_captive_need_of_a_direct_input_is_its_whole_demand(gaps_2024) -> None:
    sep = gaps_2024["separator"]
    assert sep["merchant_demand"] == pytest.approx(0.0, abs=1e-6)
    assert sep["captive_demand"] == pytest.approx(sep["demand"])


def test_cells_in_the_parks_own_cabinets_are_not_counted_twice(park: Park) -> None:
    idx = {s: i for i, s in enumerate(park.stage_ids)}
    x = np.zeros(len(idx))
    x[idx["lfp_cell"]], x[idx["storage_cabinet"]] = 10.0, 4.0  # 4 of the 10 GWh go in cabinets
    need = captive_demand(park, x)
    per_gwh = park.chain.requirement("lfp_cathode", "lfp_cell")
    assert need[idx["lfp_cathode"]] == pytest.approx(10.0 * per_gwh)
    assert need[idx["lfp_cell"]] == pytest.approx(4.0)


def test_a_larger_cathode_plant_adds_merchant_need_only(park: Park) -> None:
    idx = {s: i for i, s in enumerate(park.stage_ids)}
    x = np.zeros(len(idx))
    x[idx["lfp_cell"]] = 10.0
    small = captive_demand(park, x)
    x[idx["lfp_cathode"]] = 1e6
    assert np.allclose(captive_demand(park, x), small)


def test_targets_follow_the_chosen_rank(gaps_2024) -> None:
    table = list(gaps_2024.values())
    by_eq = investment_targets(table)
    assert [r["rank"] for r in by_eq] == list(range(1, len(by_eq) + 1))
    eqs = [r["score"] for r in by_eq if r["score"] is not None]
    assert eqs == sorted(eqs, reverse=True)
    figures = {r["stage"]: 1.0 for r in table}
    figures[by_eq[-1]["stage"]] = 1e12  # a huge value per unit moves the last target first
    by_value = investment_targets(table, "value", figures)
    assert by_value[0]["stage"] == by_eq[-1]["stage"]
    with pytest.raises(ValueError, match="rank must be one of"):
        investment_targets(table, "beauty")


def test_a_stage_without_a_figure_ranks_after_those_with_one(gaps_2024) -> None:
    table = list(gaps_2024.values())
    first = investment_targets(table)[0]["stage"]
    ranked = investment_targets(table, "capex", {first: 1.0})
    assert ranked[0]["stage"] == first
    assert all(r["score"] is None for r in ranked[1:])


def test_the_storage_cabinet_stage_is_present_with_capacity_unreported(capsys) -> None:
    rows = cli_json(capsys, "stocks", "--json")
    cab = next(r for r in rows if r["stage"] == "storage_cabinet")
    assert cab["presence"] == "reported_no_capacity"
    assert cab["source"] == "xnetdz-2024-06"


def test_cli_reports_rank_and_boundary(capsys) -> None:
    out = cli_json(capsys, "gaps", "baseline", "--quarter", "2024Q2", "--draws", "50", "--json")
    assert (out["rank"], out["boundary"]) == ("cell-eq", "park")
    li = next(r for r in out["stages"] if r["stage"] == "lithium_carbonate")
    assert li["ranked_gap_cell_gwh_eq"] == pytest.approx(37.5)
    assert li["merchant_demand"] > 0
    assert "lithium_carbonate" in out["missing"]


def test_rank_figures_come_from_the_economics_data(park: Park) -> None:
    assert rank_figures(park, "cell-eq") == {}
    for rank in ("value", "capex", "jobs"):
        figures = rank_figures(park, rank)
        assert figures, rank
        assert all(v > 0 for v in figures.values())
