"""The park's electricity: demand from output, the green share and the grid allowance."""

from __future__ import annotations

import json

import pytest

from model.cli import main
from model.gaps import electricity
from model.park import Park
from model.scenario import load_scenario
from model.simulate import simulate

Q = "2030Q4"


def test_electricity_demand_is_output_times_use(park: Park) -> None:
    ds = simulate(park, load_scenario("baseline"), draws=1)
    out = ds["output"].sel(quarter=Q, draw=0)
    kwh_a = sum(float(out.sel(stage=s)) * use.central for s, use in park.electricity.items())
    hours = 365.25 * 24
    assert float(ds["electricity_demand"].sel(quarter=Q, draw=0)) == pytest.approx(
        kwh_a / hours / 1000
    )


def test_more_cells_need_more_power(park: Park) -> None:
    base = simulate(park, load_scenario("baseline"), draws=300, seed=2).sel(quarter=Q)
    more = simulate(park, load_scenario("lithium-led"), draws=300, seed=2).sel(quarter=Q)
    extra_mw = float(more["electricity_demand"].mean() - base["electricity_demand"].mean())
    assert extra_mw > 0
    # the second cell phase's output at 37.5 kWh per kWh of cells, plus lithium-led's extra
    # copper foil: every MW is accounted for by the stages with an electricity figure
    d_out = (more["output"] - base["output"]).mean("draw")
    expected = (
        sum(float(d_out.sel(stage=s)) * use.central for s, use in park.electricity.items())
        / (365.25 * 24)
        / 1000
    )
    assert extra_mw == pytest.approx(expected)
    cells = float(d_out.sel(stage="lfp_cell")) * park.electricity["lfp_cell"].central
    assert cells / (365.25 * 24) / 1000 > 0.7 * extra_mw  # mostly the cells


def test_the_green_share_lever_sets_the_green_part(park: Park) -> None:
    s = load_scenario("baseline").with_changes(**{"power.green_share": 0.5})
    ds = simulate(park, s, draws=50, seed=2)
    green = ds["green_electricity_demand"] / ds["electricity_demand"]
    assert float(green.sel(quarter=Q).mean()) == pytest.approx(0.5)
    assert electricity(ds, Q)["green_share"] == 0.5


def test_a_low_grid_allowance_warns(capsys, tmp_path) -> None:
    (tmp_path / "tight.toml").write_text(
        'horizon = "2030Q4"\n[power]\nallowance_mw = 50\n', encoding="utf-8"
    )
    argv = ["gaps", "tight", "--scenarios", str(tmp_path), "--draws", "100", "--lang", "en"]
    assert main([*argv, "--json"]) == 0
    captured = capsys.readouterr()
    power = json.loads(captured.out)["electricity"]
    assert power["allowance_mw"] == 50
    assert power["p_over"] > 0.9
    assert "exceeds the grid allowance of 50 MW" in captured.err


def test_no_warning_within_the_allowance(capsys, tmp_path) -> None:
    (tmp_path / "ample.toml").write_text(
        'horizon = "2030Q4"\n[power]\nallowance_mw = 10000\n', encoding="utf-8"
    )
    assert main(["gaps", "ample", "--scenarios", str(tmp_path), "--draws", "100", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["electricity"]["p_over"] == 0.0
    assert captured.err == ""
