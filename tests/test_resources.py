"""Electricity use per unit of output, the park's grid parameters and its power demand."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from model.park import Park
from model.resources import (
    HOURS_PER_YEAR,
    ElectricityUse,
    load_electricity,
    load_grid,
    power_demand_mw,
    unpowered_stages,
)
from model.stages import Stage

STAGES = {
    "polysilicon": Stage("polysilicon", "多晶硅", "Polysilicon", "photovoltaic", "t"),
    "lfp_cell": Stage("lfp_cell", "电池", "Cells", "lithium", "GWh"),
    "separator": Stage("separator", "隔膜", "Separator", "lithium", "m**2"),
}
HEADER = "stage,low,central,high,unit,source,assumption,note\n"


MORE_STAGES = {
    **STAGES,
    **{s: Stage(s, s, s, "lithium", "t") for s in ("copper_foil", "anode_graphite")},
    **{s: Stage(s, s, s, "sodium_ion", "t") for s in ("na_cathode", "hard_carbon")},
    "mono_silicon": Stage("mono_silicon", "单晶硅", "Mono-Si", "photovoltaic", "GW"),
}


def electricity_of(tmp_path: Path, body: str, stages: dict = STAGES) -> tuple[dict, list]:
    (tmp_path / "electricity.csv").write_text(HEADER + body, encoding="utf-8")
    problems: list = []
    return load_electricity(tmp_path, stages, {"s1"}, problems), problems


def toy_park(**uses: float) -> SimpleNamespace:
    """A park-like object with the given central electricity uses (kWh per canonical unit)."""
    electricity = {
        s: ElectricityUse(s, v / 2, v, v * 2, f"kWh / {STAGES[s].unit}", "s1")
        for s, v in uses.items()
    }
    return SimpleNamespace(stages=STAGES, electricity=electricity)


# ---------------------------------------------------------------------------
# the shipped files
# ---------------------------------------------------------------------------
def test_shipped_electricity_is_sourced_and_converted(park: Park) -> None:
    assert set(park.electricity) == {
        "polysilicon",
        "anode_graphite",
        "copper_foil",
        "na_cathode",
        "lfp_cell",
    }
    for stage, use in park.electricity.items():
        assert 0 < use.low <= use.central <= use.high
        assert use.unit == f"kWh / {park.stages[stage].unit}"
        assert use.source in park.sources
        assert use.assumption  # every figure here is an estimate or weak
        for sid in re.findall(r"\[([a-z]+-[A-Z]\d+)\]", use.assumption + " " + use.note):
            assert sid in park.sources, (stage, sid)
    # 66.5 kWh/kg -> kWh per tonne; 37.5 kWh per kWh of cells -> kWh per GWh
    assert park.electricity["polysilicon"].central == pytest.approx(66_500)
    assert park.electricity["lfp_cell"].central == pytest.approx(3.75e7)
    assert park.electricity["anode_graphite"].central == pytest.approx(13_000)


def test_shipped_grid(park: Park) -> None:
    green = park.grid["green_share"]
    assert green.central == pytest.approx(0.814)
    assert green.high == pytest.approx(0.855)
    assert green.source == "econ-E128"
    allowance = park.grid["grid_allowance"]
    assert allowance.unit == "MW"
    assert allowance.low <= allowance.central <= allowance.high
    # not published: an explicit assumption, not a sourced figure
    assert allowance.source == ""
    assert "Not published" in allowance.assumption


# ---------------------------------------------------------------------------
# power demand
# ---------------------------------------------------------------------------
def test_power_demand_by_hand() -> None:
    park = toy_park(polysilicon=66_500, lfp_cell=3.75e7)
    # 100,000 t/a x 66,500 kWh/t = 6.65e9 kWh/a; 37.5 GWh/a x 3.75e7 kWh/GWh = 1.40625e9
    expected = (6.65e9 + 1.40625e9) / 8760 / 1000
    assert expected == pytest.approx(919.663, abs=1e-3)
    got = power_demand_mw(park, {"polysilicon": 100_000, "lfp_cell": 37.5})
    assert got == pytest.approx(expected)
    assert HOURS_PER_YEAR == 8760
    # levels: the toy's low is half, its high twice the central
    low = power_demand_mw(park, {"polysilicon": 100_000}, level="low")
    assert low == pytest.approx(6.65e9 / 2 / 8760 / 1000)


def test_power_demand_on_the_shipped_park(park: Park) -> None:
    # 37.5 GWh/a of cells at 37.5 kWh per kWh: 1.40625e9 kWh/a = 160.53 MW
    assert power_demand_mw(park, {"lfp_cell": 37.5}) == pytest.approx(160.531, abs=1e-3)


def test_stages_without_a_figure_count_zero_and_are_named() -> None:
    park = toy_park(polysilicon=66_500)
    output = {"polysilicon": 1000.0, "separator": 1.5e8, "lfp_cell": 0.0}
    assert power_demand_mw(park, output) == pytest.approx(66_500 * 1000 / 8760 / 1000)
    assert unpowered_stages(park, output) == ["separator"]
    assert power_demand_mw(park, {}) == 0.0


@pytest.mark.parametrize(
    ("output", "level", "match"),
    [
        ({"no_such_stage": 1.0}, "central", "unknown stage"),
        ({"polysilicon": -1.0}, "central", "finite number >= 0"),
        ({"polysilicon": float("nan")}, "central", "finite number >= 0"),
        ({"polysilicon": 1.0}, "p50", "unknown level"),
    ],
)
def test_power_demand_refuses_bad_input(output: dict, level: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        power_demand_mw(toy_park(polysilicon=66_500), output, level=level)


# ---------------------------------------------------------------------------
# bad files
# ---------------------------------------------------------------------------
def test_electricity_units_convert(tmp_path: Path) -> None:
    uses, problems = electricity_of(
        tmp_path,
        "polysilicon,60,66.5,67,kWh/kg,s1,,\n"
        "lfp_cell,20.3,37.5,55,kWh/kWh,s1,,\n"
        "separator,1000,2000,3000,Wh/m**2,s1,,\n",
    )
    assert problems == []
    assert uses["polysilicon"].high == pytest.approx(67_000)
    assert uses["lfp_cell"].low == pytest.approx(2.03e7)
    assert uses["separator"].central == pytest.approx(2.0)
    assert uses["polysilicon"].unit_as_written == "kWh/kg"


def test_every_problem_of_a_bad_electricity_file_is_reported(tmp_path: Path) -> None:
    uses, problems = electricity_of(
        tmp_path,
        "no_such_stage,1,2,3,kWh/t,s1,,\n"  # 2 unknown stage
        "polysilicon,3,2,1,kWh/t,s1,,\n"  # 3 out of order
        "lfp_cell,1,2,3,t/t,s1,,\n"  # 4 dimensionless but not energy
        "separator,1,2,3,kWh/t,s1,,\n"  # 5 wrong dimension
        "copper_foil,1,2,3,furlongs,s1,,\n"  # 6 unknown unit
        "anode_graphite,1,2,3,kWh/t,,,\n"  # 7 neither source nor assumption
        "na_cathode,1,2,3,kWh/t,s1,,@SUM(1)\n"  # 8 formula in the note
        "mono_silicon,1,x,3,kWh/GW,s1,,\n"  # 9 not a number
        "hard_carbon,1,2,3,kWh/t,s1,,\n"  # 10 fine
        "hard_carbon,1,2,3,kWh/t,s1,,\n",  # 11 repeated
        stages=MORE_STAGES,
    )
    assert {(p.row, p.field) for p in problems} == {
        (2, "stage"),
        (3, "central"),
        (4, "unit"),
        (5, "unit"),
        (6, "unit"),
        (7, "source"),
        (8, "note"),
        (9, "central"),
        (11, "stage"),
    }
    assert all(p.file == "electricity.csv" for p in problems)
    assert list(uses) == ["hard_carbon"]
    assert uses["hard_carbon"].line == 10


def test_grid_problems_are_reported_together(tmp_path: Path) -> None:
    (tmp_path / "grid.csv").write_text(
        "id,low,central,high,unit,source,assumption,note\n"
        "substations,1,2,3,MW,s1,,\n"  # 2 unknown id
        "grid_allowance,1,2,3,t,s1,,\n"  # 3 wrong dimension
        "green_share,0.8,0.9,1.2,1,s1,,\n"  # 4 a share above 1
        "green_share,80,81.4,85.5,percent,,,\n",  # 5 repeated; no source or assumption
        encoding="utf-8",
    )
    problems: list = []
    assert load_grid(tmp_path, {"s1"}, problems) == {}
    assert {(p.row, p.field) for p in problems} == {
        (2, "id"),
        (3, "unit"),
        (4, "high"),
        (5, "id"),
        (5, "source"),
    }


def test_grid_units_convert(tmp_path: Path) -> None:
    (tmp_path / "grid.csv").write_text(
        "id,low,central,high,unit,source,assumption,note\n"
        "grid_allowance,1,2,3,GW,,placeholder,\n"
        "green_share,80,81.4,85.5,percent,s1,,\n",
        encoding="utf-8",
    )
    problems: list = []
    grid = load_grid(tmp_path, {"s1"}, problems)
    assert problems == []
    assert grid["grid_allowance"].central == pytest.approx(2000)
    assert grid["green_share"].central == pytest.approx(0.814)


def test_missing_files_mean_no_figures(tmp_path: Path) -> None:
    problems: list = []
    assert load_electricity(tmp_path, STAGES, {"s1"}, problems) == {}
    assert load_grid(tmp_path, {"s1"}, problems) == {}
    assert problems == []
