"""End markets, substitution, new lines and the market gap: answers that move with the levers.

Each lever has a direction test and, where a hand calculation is possible, a magnitude
test on the deterministic path (``draws=1``: central values, expected project additions).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from model.cli import main
from model.errors import DataError
from model.gaps import compare, gap_table
from model.markets import load_markets
from model.park import Park
from model.scenario import DEFAULT_SCENARIOS_DIR, Scenario, load_scenario
from model.simulate import simulate

Q = "2030Q4"
LFP_CHAIN = ("lfp_cathode", "separator", "copper_foil")


@pytest.fixture(scope="module")
def baseline() -> Scenario:
    return load_scenario("baseline")


def run(park: Park, scenario: Scenario, draws: int = 400, seed: int = 5):
    return simulate(park, scenario, draws=draws, seed=seed)


def mean(ds, var: str, stage: str | None = None, quarter: str = Q) -> float:
    da = ds[var].sel(quarter=quarter)
    if stage is not None:
        da = da.sel(stage=stage)
    return float(da.mean())


# ---------------------------------------------------------------------------
# the market data
# ---------------------------------------------------------------------------
def test_shipped_market_parameters_are_sourced_and_ordered(park: Park) -> None:
    assert set(park.markets) == {
        "stationary_growth",
        "power_growth",
        "storage_share",
        "start_utilisation",
    }
    for m in park.markets.values():
        assert m.low <= m.central <= m.high
        assert m.source in park.sources
        assert m.assumption  # every figure here is an estimate: marked as such


def test_market_file_problems_are_reported_together(tmp_path: Path) -> None:
    (tmp_path / "markets.csv").write_text(
        "id,name_zh,name_en,low,central,high,unit,source,assumption\n"
        "demand_growth,x,x,0.1,0.2,0.3,1/a,s1,\n"
        "power_growth,x,x,0.3,0.2,0.1,1/a,s1,\n"
        "storage_share,x,x,0.1,0.2,0.3,t,s1,\n"
        "stationary_growth,x,x,0.1,0.2,0.3,1/a,,\n",
        encoding="utf-8",
    )
    problems: list = []
    assert load_markets(tmp_path, {"s1"}, problems) == {}
    fields = {(p.row, p.field) for p in problems}
    assert fields == {(2, "id"), (3, "central"), (4, "unit"), (5, "source")}


def test_percent_units_are_converted(tmp_path: Path) -> None:
    (tmp_path / "markets.csv").write_text(
        "id,name_zh,name_en,low,central,high,unit,source,assumption\n"
        "storage_share,x,x,15,27.5,60,percent,s1,\n",
        encoding="utf-8",
    )
    problems: list = []
    share = load_markets(tmp_path, {"s1"}, problems)["storage_share"]
    assert problems == []
    assert (share.low, share.central, share.high) == pytest.approx((0.15, 0.275, 0.60))


# ---------------------------------------------------------------------------
# demand: two markets from today's sales
# ---------------------------------------------------------------------------
def test_markets_start_at_todays_sales_split_power_and_storage(park: Park, baseline) -> None:
    s = baseline.with_changes(
        **{"demand.storage_share": [0.25, 0.25], "demand.start_utilisation": [0.5, 0.5]}
    )
    ds = simulate(park, s, draws=1)
    first = str(ds["quarter"].values[0])
    cells = mean(ds, "nameplate", "lfp_cell", first)
    assert mean(ds, "storage_demand", quarter=first) == pytest.approx(0.25 * 0.5 * cells)
    assert mean(ds, "ev_demand", quarter=first) == pytest.approx(0.75 * 0.5 * cells)
    assert mean(ds, "market_demand", "lfp_cell", first) == pytest.approx(0.5 * cells)


def test_each_market_grows_at_its_own_rate(park: Park, baseline) -> None:
    s = baseline.with_changes(**{"demand.growth": 0.3, "demand.power_growth": 0.1})
    ds = simulate(park, s, draws=1)
    first, last = str(ds["quarter"].values[0]), Q
    years = (len(ds["quarter"]) - 1) / 4
    st = mean(ds, "storage_demand", quarter=last) / mean(ds, "storage_demand", quarter=first)
    pw = mean(ds, "ev_demand", quarter=last) / mean(ds, "ev_demand", quarter=first)
    assert st == pytest.approx(1.3**years)
    assert pw == pytest.approx(1.1**years)


def test_a_bigger_storage_share_moves_sales_from_power_to_storage(park: Park, baseline) -> None:
    lo = run(park, baseline.with_changes(**{"demand.storage_share": [0.15, 0.15]}))
    hi = run(park, baseline.with_changes(**{"demand.storage_share": [0.60, 0.60]}))
    assert mean(hi, "storage_demand") > 3 * mean(lo, "storage_demand")
    assert mean(hi, "ev_demand") < 0.6 * mean(lo, "ev_demand")
    assert mean(hi, "market_demand", "storage_cabinet") > mean(
        lo, "market_demand", "storage_cabinet"
    )


def test_a_higher_start_utilisation_starts_the_markets_higher(park: Park, baseline) -> None:
    lo = run(park, baseline.with_changes(**{"demand.start_utilisation": [0.4, 0.4]}))
    hi = run(park, baseline.with_changes(**{"demand.start_utilisation": [0.6, 0.6]}))
    ratio = mean(hi, "market_demand", "lfp_cell") / mean(lo, "market_demand", "lfp_cell")
    assert ratio == pytest.approx(1.5, rel=1e-9)


def test_demand_growth_moves_cell_output_and_upstream_demand(park: Park, baseline) -> None:
    """Growth 0.1 against 0.4 (both markets): the cells sell more and need more inputs.

    By 2030Q4 the 37.5 GWh sell out in most draws either way (at 10 %/a the market is
    about 1.9 x today's sales, close to the cells' 80-95 % ceiling): output differs by a
    few per cent, the market gap by a multiple.
    """
    slow = run(park, baseline.with_changes(**{"demand.growth": 0.1, "demand.power_growth": 0.1}))
    fast = run(park, baseline.with_changes(**{"demand.growth": 0.4, "demand.power_growth": 0.4}))
    out_slow, out_fast = mean(slow, "output", "lfp_cell"), mean(fast, "output", "lfp_cell")
    assert out_fast > 1.02 * out_slow
    for stage in LFP_CHAIN[:2]:
        assert mean(fast, "demand", stage) > 1.02 * mean(slow, "demand", stage)
    assert mean(fast, "market_gap", "lfp_cell") > 3 * mean(slow, "market_gap", "lfp_cell")
    # earlier, before the cells sell out, output follows the market closely
    early = "2026Q4"
    assert mean(fast, "output", "lfp_cell", early) > 1.15 * mean(slow, "output", "lfp_cell", early)


def test_demand_growth_moves_the_cli_answer(capsys, tmp_path: Path) -> None:
    shutil.copy(DEFAULT_SCENARIOS_DIR / "baseline.toml", tmp_path / "baseline.toml")
    for g in ("0.1", "0.4"):
        (tmp_path / f"g{g[-1]}.toml").write_text(
            f'extends = "baseline"\n[demand]\ngrowth = {g}\npower_growth = {g}\n',
            encoding="utf-8",
        )
    argv = ["--draws", "300", "--basis", "effective", "--json", "--scenarios", str(tmp_path)]
    rows = {}
    for name in ("g1", "g4"):
        assert main(["gaps", name, "--quarter", Q, *argv]) == 0
        rows[name] = {r["stage"]: r for r in json.loads(capsys.readouterr().out)["stages"]}
    assert rows["g4"]["separator"]["demand"] > rows["g1"]["separator"]["demand"]
    assert rows["g4"]["lfp_cell"]["market_gap"] > rows["g1"]["lfp_cell"]["market_gap"]


# ---------------------------------------------------------------------------
# substitution: the technology mix takes stationary demand from LFP
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("tech", ["sodium_ion", "vanadium_flow", "gravity"])
def test_each_share_takes_demand_from_the_lfp_chain(park: Park, baseline, tech: str) -> None:
    base = run(park, baseline)
    mix = {"lfp": 0.6, "sodium_ion": 0.0, "vanadium_flow": 0.0, "gravity": 0.0, tech: 0.4}
    other = run(park, baseline.with_changes(technology_mix=mix))
    lfp_market = mean(base, "market_demand", "lfp_cell") - mean(other, "market_demand", "lfp_cell")
    # 40 % of the stationary market at 2030Q4 moves away from LFP cells
    assert lfp_market == pytest.approx(0.4 * mean(base, "storage_demand"), rel=1e-9)
    product = {
        "sodium_ion": "na_cell",
        "vanadium_flow": "vrfb_system",
        "gravity": "gravity_storage",
    }
    assert mean(other, "market_demand", product[tech]) == pytest.approx(
        0.4 * mean(base, "storage_demand"), rel=1e-9
    )


def test_more_sodium_means_less_lfp_chain_demand_when_cells_are_not_sold_out(
    park: Park, baseline
) -> None:
    # slow growth: the cells follow their market, so a sodium share lowers LFP output
    slow = {"demand.growth": 0.05, "demand.power_growth": 0.05, "demand.storage_share": [0.6, 0.6]}
    lfp = run(park, baseline.with_changes(**slow))
    mix = {"lfp": 0.4, "sodium_ion": 0.6, "vanadium_flow": 0.0, "gravity": 0.0}
    na = run(park, baseline.with_changes(**slow, technology_mix=mix))
    for stage in ("lfp_cell", *LFP_CHAIN):
        var = "output" if stage == "lfp_cell" else "demand"
        assert mean(na, var, stage) < mean(lfp, var, stage), stage
    assert mean(na, "output", "lfp_cell") < 0.9 * mean(lfp, "output", "lfp_cell")


def test_the_mix_moves_linearly_to_its_target(park: Park, baseline) -> None:
    mix = {"lfp": 0.5, "sodium_ion": 0.5, "vanadium_flow": 0.0, "gravity": 0.0, "reached": Q}
    ds = simulate(park, baseline.with_changes(technology_mix=mix), draws=1)
    share = (ds["technology_demand"].sel(technology="sodium_ion") / ds["storage_demand"]).values[0]
    assert share[0] == 0.0
    assert share[-1] == pytest.approx(0.5)
    assert np.all(np.diff(share) >= 0)
    half = len(share) // 2
    assert share[half] == pytest.approx(0.5 * half / (len(share) - 1))


# ---------------------------------------------------------------------------
# output and utilisation that respond
# ---------------------------------------------------------------------------
def test_product_utilisation_rises_with_demand_up_to_its_ceiling(park: Park, baseline) -> None:
    slow = run(park, baseline.with_changes(**{"demand.growth": 0.0, "demand.power_growth": 0.0}))
    fast = run(park, baseline.with_changes(**{"demand.growth": 0.4, "demand.power_growth": 0.4}))
    used = {}
    for name, ds in (("slow", slow), ("fast", fast)):
        cell = ds.sel(stage="lfp_cell", quarter=Q)
        used[name] = (cell["output"] / cell["nameplate"]).values
        ceiling = cell["effective_capacity"] / cell["nameplate"]
        assert np.all(used[name] <= ceiling.values + 1e-12)
    assert used["fast"].mean() > used["slow"].mean() + 0.2
    lo, hi = baseline.utilisation_range("lfp_cell")
    assert used["fast"].mean() > lo  # sold out: runs in the upper part of its range
    assert used["slow"].mean() < 0.65  # flat demand: stays near today's 41-62 %


def test_material_stages_run_at_their_drawn_utilisation(park: Park, baseline) -> None:
    ds = run(park, baseline)
    sep = ds.sel(stage="separator", quarter=Q)
    assert np.allclose(sep["output"].values, sep["effective_capacity"].values)


# ---------------------------------------------------------------------------
# new lines and scaled lines
# ---------------------------------------------------------------------------
def test_an_added_line_adds_its_expected_capacity(park: Park, baseline) -> None:
    line = {
        "id": "extra",
        "stage": "separator",
        "technology": "lfp",
        "capacity": "1亿平方米",
        "status": "construction",
        "start": "2026Q1",
        "assumption": "test line",
    }
    base = simulate(park, baseline, draws=1)
    more = simulate(park, baseline.with_changes(**{"projects.add": [line]}), draws=1)
    added = mean(more, "nameplate", "separator") - mean(base, "nameplate", "separator")
    p = park.status_params["construction"].p_complete
    assert added == pytest.approx(p * 1e8)


def test_scaling_a_line_scales_its_addition(park: Park, baseline) -> None:
    base = simulate(park, baseline, draws=1)
    doubled = simulate(
        park, baseline.with_changes(**{"projects.scale": {"haide-cabinet": 2.0}}), draws=1
    )
    none = simulate(park, baseline.with_changes(**{"projects.remove": ["haide-cabinet"]}), draws=1)
    one = mean(base, "nameplate", "storage_cabinet") - mean(none, "nameplate", "storage_cabinet")
    two = mean(doubled, "nameplate", "storage_cabinet") - mean(none, "nameplate", "storage_cabinet")
    assert one > 0
    assert two == pytest.approx(2 * one)


def test_scaling_an_unknown_project_is_a_problem(park: Park, baseline) -> None:
    with pytest.raises(DataError) as err:
        simulate(park, baseline.with_changes(**{"projects.scale": {"no-such-line": 2.0}}), draws=1)
    assert any(p.field == "projects.scale.no-such-line" for p in err.value.problems)


def test_a_scale_factor_must_be_positive(baseline) -> None:
    with pytest.raises(DataError):
        baseline.with_changes(**{"projects.scale": {"haide-cabinet": 0.0}})


# ---------------------------------------------------------------------------
# the shipped scenarios say what their rationale says
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def chain_comparison(park: Park) -> dict:
    names = ("lithium-led", "sodium-flow")
    scenarios = [load_scenario(n) for n in names]
    results = {s.name: simulate(park, s, draws=500, seed=3) for s in scenarios}
    out = compare(park, results, scenarios, Q, basis="effective")
    return {(r["scenario"], r["stage"]): r for r in out["rows"]}


def test_sodium_flow_needs_at_least_15_percent_less_of_the_lfp_chain(chain_comparison) -> None:
    for stage in LFP_CHAIN:
        li = chain_comparison[("lithium-led", stage)]["demand"]
        na = chain_comparison[("sodium-flow", stage)]["demand"]
        assert na <= 0.85 * li, stage


def test_sodium_flow_needs_more_of_the_sodium_and_vanadium_chains(chain_comparison) -> None:
    for stage in ("na_cathode", "hard_carbon", "sodium_carbonate"):
        assert chain_comparison[("sodium-flow", stage)]["demand"] > 0
        assert chain_comparison[("lithium-led", stage)]["demand"] == 0
    for stage in ("na_cell", "vrfb_system"):
        li = chain_comparison[("lithium-led", stage)]["market_demand"]
        na = chain_comparison[("sodium-flow", stage)]["market_demand"]
        assert na > li


def test_sodium_cells_are_short_of_their_market_in_sodium_flow(chain_comparison) -> None:
    na = chain_comparison[("sodium-flow", "na_cell")]
    assert na["market_gap"] > 0
    assert na["status"] == "short"
    assert na["market_demand"] > na["supply"]


def test_stages_without_an_end_market_have_no_market_fields(park: Park, baseline) -> None:
    ds = run(park, baseline, draws=50)
    rows = {r["stage"]: r for r in gap_table(park, ds, Q, basis="effective")}
    assert rows["separator"]["market_demand"] is None
    assert rows["separator"]["market_gap"] is None
    for stage in ("lfp_cell", "na_cell", "vrfb_system", "gravity_storage", "storage_cabinet"):
        assert rows[stage]["market_demand"] is not None
        r = rows[stage]
        assert r["market_gap"] == pytest.approx(r["market_demand"] - r["supply"])


def test_to_close_covers_the_larger_gap_at_typical_utilisation(park: Park, baseline) -> None:
    ds = run(park, baseline, draws=200)
    cell = {r["stage"]: r for r in gap_table(park, ds, Q, basis="effective")}["lfp_cell"]
    util = float(ds["utilisation"].sel(stage="lfp_cell").mean())
    assert cell["market_gap"] > max(cell["gap"], 0)
    assert cell["to_close"] == pytest.approx(cell["market_gap"] / util)
