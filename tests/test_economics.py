"""Stage economics (capex, output value, jobs) and Qinghai's own supply: loading and units."""

from __future__ import annotations

import re
import shutil
import statistics
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from model.cli import main
from model.economics import MEASURES, canonical_unit, load_economics, per_unit, plant_size
from model.errors import DataError
from model.park import DEFAULT_DATA_DIR, Park, load_park
from model.province import load_province, province_supply
from model.stages import Stage
from model.units import parse_quantity, rate_unit

HEADER = "stage,measure,low,central,high,unit,source,assumption,note\n"
STAGES = {
    "lfp_cell": Stage("lfp_cell", "电池", "Cells", "lithium", "GWh"),
    "lfp_cathode": Stage("lfp_cathode", "正极", "Cathode", "lithium", "t"),
    "separator": Stage("separator", "隔膜", "Separator", "lithium", "m**2"),
    "mono_silicon": Stage("mono_silicon", "单晶硅", "Mono-Si", "photovoltaic", "GW"),
}


def economics_of(tmp_path: Path, body: str) -> tuple[dict, list]:
    (tmp_path / "economics.csv").write_text(HEADER + body, encoding="utf-8")
    problems: list = []
    return load_economics(tmp_path, STAGES, {"s1"}, problems), problems


# ---------------------------------------------------------------------------
# the shipped file
# ---------------------------------------------------------------------------
def test_shipped_economics_are_sourced_ordered_and_canonical(park: Park) -> None:
    assert len(park.economics) >= 30
    for (stage, measure), e in park.economics.items():
        assert stage in park.stages
        assert measure in MEASURES
        assert 0 < e.low <= e.central <= e.high
        assert e.source in park.sources or e.assumption, e
        assert e.unit == canonical_unit(park.stages[stage].unit, measure)
        # every id cited in the text is a known source
        for sid in re.findall(r"\[([a-z]+-[A-Z]\d+)\]", e.assumption + " " + e.note):
            assert sid in park.sources, (stage, measure, sid)
        # a figure the reference marks as an estimate carries its rationale
        if e.assumption.startswith("EST"):
            assert e.source in park.sources


@pytest.mark.parametrize(
    ("stage", "measure", "central"),
    [
        ("lfp_cell", "capex", 2.9e8),  # 2.9亿 per GWh/a
        ("lfp_cell", "value", 3.4e8),  # 0.34 CNY/Wh
        ("lfp_cell", "jobs", 168.0),
        ("lithium_carbonate", "capex", 157_000.0),  # 15.7亿 per 万t/a
        ("lithium_carbonate", "value", 99_000.0),  # 9.9万 CNY/t
        ("polysilicon", "value", 47_000.0),  # 47 CNY/kg
        ("polysilicon", "jobs", 0.015),  # 150 per 万t/a
        ("separator", "capex", 4.35),
        ("mono_silicon", "capex", 3.0e8),  # 3.0亿 per GW/a
        ("gravity_storage", "capex", 1.0e10),  # 10,000 CNY/kWh
    ],
)
def test_shipped_values_are_converted_by_hand(
    park: Park, stage: str, measure: str, central: float
) -> None:
    assert per_unit(park, stage, measure) == pytest.approx(central)


def test_per_unit_levels_and_gaps(park: Park) -> None:
    assert per_unit(park, "lfp_cell", "capex", "low") == pytest.approx(2.5e8)
    assert per_unit(park, "lfp_cell", "capex", "high") == pytest.approx(4.0e8)
    assert per_unit(park, "cell_casing", "capex") is None  # NOT FOUND in the reference
    with pytest.raises(ValueError, match="unknown measure"):
        per_unit(park, "lfp_cell", "profit")
    with pytest.raises(ValueError, match="unknown level"):
        per_unit(park, "lfp_cell", "capex", "p90")


def test_per_unit_takes_any_object_with_economics(tmp_path: Path) -> None:
    econ, problems = economics_of(tmp_path, "lfp_cell,capex,2.5,2.9,4.0,亿CNY/(GWh/a),s1,,\n")
    assert problems == []
    assert per_unit(SimpleNamespace(economics=econ), "lfp_cell", "capex") == pytest.approx(2.9e8)


def test_canonical_units() -> None:
    assert canonical_unit("t", "capex") == "CNY / (t / a)"
    assert canonical_unit("GWh", "value") == "CNY / GWh"
    assert canonical_unit("m**2", "jobs") == "jobs / (m**2 / a)"


# ---------------------------------------------------------------------------
# units as written
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("stage", "measure", "unit", "value", "expected"),
    [
        ("lfp_cell", "capex", "亿CNY/(GWh/a)", 2.9, 2.9e8),
        ("lfp_cell", "capex", "CNY/(kWh/a)", 290, 2.9e8),
        ("lfp_cell", "capex", "亿元/(GWh/a)", 2.9, 2.9e8),
        ("lfp_cell", "value", "CNY/Wh", 0.34, 3.4e8),
        ("lfp_cell", "value", "亿CNY/GWh", 3.4, 3.4e8),
        ("lfp_cell", "jobs", "jobs/(GWh/a)", 168, 168),
        ("lfp_cathode", "capex", "亿CNY/(万t/a)", 1.94, 19_400),
        ("lfp_cathode", "capex", "万CNY/(t/a)", 1.94, 19_400),
        ("lfp_cathode", "value", "CNY/kg", 34.9, 34_900),
        ("lfp_cathode", "jobs", "jobs/(万t/a)", 110, 0.011),
        ("separator", "capex", "CNY/(m**2/a)", 4.35, 4.35),
        ("separator", "value", "CNY/㎡", 0.8, 0.8),
        ("mono_silicon", "value", "亿CNY/GW", 4.2, 4.2e8),
        ("mono_silicon", "value", "CNY/W", 0.42, 4.2e8),
    ],
)
def test_units_convert_to_canonical(
    tmp_path: Path, stage: str, measure: str, unit: str, value: float, expected: float
) -> None:
    econ, problems = economics_of(
        tmp_path, f"{stage},{measure},{value},{value},{value},{unit},s1,,\n"
    )
    assert problems == []
    e = econ[(stage, measure)]
    assert (e.low, e.central, e.high) == pytest.approx((expected,) * 3)
    assert e.unit == canonical_unit(STAGES[stage].unit, measure)
    assert e.unit_as_written == unit


def test_every_problem_of_a_bad_file_is_reported_at_once(tmp_path: Path) -> None:
    econ, problems = economics_of(
        tmp_path,
        "no_such_stage,capex,1,2,3,CNY/(t/a),s1,,\n"  # 2 unknown stage
        "lfp_cell,profit,1,2,3,CNY/GWh,s1,,\n"  # 3 unknown measure
        "lfp_cell,capex,3,2,1,亿CNY/(GWh/a),s1,,\n"  # 4 low > central > high
        "lfp_cathode,capex,1,2,3,USD/(t/a),s1,,\n"  # 5 not CNY
        "lfp_cathode,value,1,2,3,CNY/GWh,s1,,\n"  # 6 wrong dimension
        "lfp_cathode,jobs,1,2,3,jobs/t,s1,,\n"  # 7 jobs not per year
        "separator,capex,1,2,3,CNY/(m**2/a),,,\n"  # 8 neither source nor assumption
        "separator,value,1,2,3,CNY/m**2,nope,,\n"  # 9 unknown source
        "mono_silicon,capex,1,x,3,亿CNY/(GW/a),s1,,\n"  # 10 not a number
        "mono_silicon,value,1,2,3,亿CNY/GW,,=HYPERLINK(1),\n"  # 11 formula text
        "mono_silicon,jobs,1,2,3,jobs/(GW/年),s1,,\n"  # 12 year not as 'a'
        "lfp_cell,value,0.3,0.34,0.39,CNY/Wh,s1,,\n"  # 13 fine
        "lfp_cell,value,0.3,0.34,0.39,CNY/Wh,s1,,\n",  # 14 duplicate
    )
    fields = {(p.row, p.field) for p in problems}
    assert fields == {
        (2, "stage"),
        (3, "measure"),
        (4, "central"),
        (5, "unit"),
        (6, "unit"),
        (7, "unit"),
        (8, "source"),
        (9, "source"),
        (10, "central"),
        (11, "assumption"),
        (12, "unit"),
        (14, "measure"),
    }
    assert all(p.file == "economics.csv" for p in problems)
    assert set(econ) == {("lfp_cell", "value")}
    wrong = next(p for p in problems if p.row == 6)
    assert "wrong dimension" in wrong.expected
    assert "CNY/t" in wrong.expected


def test_one_row_reports_all_its_problems(tmp_path: Path) -> None:
    _, problems = economics_of(tmp_path, "no_such_stage,capex,3,2,1,CNY/(t/a),,,\n")
    assert {p.field for p in problems} == {"stage", "central", "source"}


def test_missing_file_means_no_economics(tmp_path: Path) -> None:
    problems: list = []
    assert load_economics(tmp_path, STAGES, {"s1"}, problems) == {}
    assert problems == []


def test_load_park_reports_a_bad_economics_file(shipped_dir: Path) -> None:
    with (shipped_dir / "economics.csv").open("a", encoding="utf-8") as f:
        f.write("lfp_cell,capex,1,2,3,CNY/t,econ-E35,,\n")
    with pytest.raises(DataError) as info:
        load_park(shipped_dir)
    assert any(p.file == "economics.csv" and p.field == "unit" for p in info.value.problems)


def test_a_park_without_the_new_files_still_loads(shipped_dir: Path) -> None:
    for name in ("economics.csv", "electricity.csv", "grid.csv", "province.csv"):
        (shipped_dir / name).unlink()
    park = load_park(shipped_dir)
    assert park.economics == {}
    assert park.electricity == {}
    assert park.grid == {}
    assert park.province == {}


def test_parkcap_validate_passes_on_the_shipped_data(capsys) -> None:
    assert main(["validate", "--data", str(DEFAULT_DATA_DIR)]) == 0
    capsys.readouterr()


def test_parkcap_validate_names_a_bad_economics_row(capsys, tmp_path: Path) -> None:
    data = shutil.copytree(DEFAULT_DATA_DIR, tmp_path / "data")
    with (data / "economics.csv").open("a", encoding="utf-8") as f:
        f.write("lfp_cell,capex,3,2,1,亿CNY/(GWh/a),econ-E35,,\n")
    assert main(["validate", "--data", str(data), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "economics.csv" in err
    assert "field 'central'" in err


# ---------------------------------------------------------------------------
# Qinghai's own supply
# ---------------------------------------------------------------------------
def test_shipped_province_supply(park: Park) -> None:
    li = park.province["lithium_carbonate"]
    assert [p.as_of for p in li] == sorted(p.as_of for p in li)
    qarhan = next(p for p in li if p.quantity == "11万吨")
    assert qarhan.value == pytest.approx(110_000)
    assert qarhan.unit == "t / a"
    assert qarhan.kind == "capacity"
    assert qarhan.source == "econ-E115"
    latest = province_supply(park, "lithium_carbonate")
    assert latest is not None
    assert latest.kind == "output"
    assert latest.as_of == date(2023, 12, 31)
    cap = province_supply(park, "lithium_carbonate", kind="capacity")
    assert cap is not None
    assert cap.value == pytest.approx(110_000)
    early = province_supply(park, "lithium_carbonate", as_of=date(2021, 12, 31))
    assert early is not None
    assert early.value == pytest.approx(90_000)
    assert province_supply(park, "lithium_carbonate", as_of=date(2020, 1, 1)) is None
    mono = province_supply(park, "mono_silicon")
    assert mono is not None
    assert mono.value == pytest.approx(102.5)
    assert "Xining" in mono.note
    poly = province_supply(park, "polysilicon", kind="capacity")
    assert poly is not None
    assert poly.value == pytest.approx(145_300)
    assert "Xining" in poly.note
    assert province_supply(park, "separator") is None
    for records in park.province.values():
        for p in records:
            assert p.source in park.sources or p.assumption
    with pytest.raises(ValueError, match="unknown kind"):
        province_supply(park, "polysilicon", kind="plan")


def test_province_file_problems_are_reported_together(tmp_path: Path) -> None:
    (tmp_path / "province.csv").write_text(
        "stage,quantity,as_of,kind,source,assumption,note\n"
        "no_such_stage,1万吨,2023-12-31,output,s1,,\n"  # 2
        "lfp_cathode,1万GWh,2023-12-31,output,s1,,\n"  # 3 wrong dimension
        "lfp_cathode,1万吨,2023-13-01,output,s1,,\n"  # 4 bad date
        "lfp_cathode,1万吨,2023-12-31,plan,s1,,\n"  # 5 bad kind
        "lfp_cathode,1万吨,2022-12-31,output,,,\n"  # 6 no source or assumption
        "lfp_cathode,0吨,2021-12-31,output,s1,,\n"  # 7 zero
        "lfp_cell,37.5吉瓦时,2024-06-30,capacity,s1,,\n"  # 8 fine
        "lfp_cell,40GWh,2024-06-30,capacity,s1,,\n",  # 9 duplicate stage/kind/date
        encoding="utf-8",
    )
    problems: list = []
    out = load_province(tmp_path, STAGES, {"s1"}, problems)
    assert {(p.row, p.field) for p in problems} == {
        (2, "stage"),
        (3, "quantity"),
        (4, "as_of"),
        (5, "kind"),
        (6, "source"),
        (7, "quantity"),
        (9, "as_of"),
    }
    assert list(out) == ["lfp_cell"]
    assert out["lfp_cell"][0].value == pytest.approx(37.5)


# ---------------------------------------------------------------------------
# typical plant sizes (plant_size)
# ---------------------------------------------------------------------------
PLANT_HEADER = "stage,measure,low,central,high,unit,plants,source,assumption,note\n"


def plants_of(tmp_path: Path, body: str) -> tuple[dict, list]:
    (tmp_path / "economics.csv").write_text(PLANT_HEADER + body, encoding="utf-8")
    problems: list = []
    return load_economics(tmp_path, STAGES, {"s1"}, problems), problems


def _sorted_sizes(assumption: str) -> list[float]:
    """The plant sizes an assumption lists after 'sorted', in the unit as written."""
    found = re.search(r"sorted ([\d.,\s]+?):", assumption)
    assert found, assumption
    return [float(x.replace(",", "")) for x in re.split(r",\s+", found.group(1).strip())]


def test_shipped_plant_sizes_are_the_cited_plants(park: Park) -> None:
    sizes = {s: e for (s, m), e in park.economics.items() if m == "plant_size"}
    # every stage the reference gives plant capacities for, and only those
    assert set(sizes) == {
        "lithium_carbonate",
        "iron_phosphate",
        "lfp_cathode",
        "anode_graphite",
        "separator",
        "lipf6",
        "electrolyte",
        "copper_foil",
        "aluminium_foil",
        "lfp_cell",
        "na_cathode",
        "hard_carbon",
        "na_cell",
        "vrfb_system",
        "storage_cabinet",
        "pcs",
        "polysilicon",
        "mono_silicon",
        "carbon_fibre",
    }
    for stage, e in sizes.items():
        assert e.unit == rate_unit(park.stages[stage].unit), stage
        assert e.plants is not None
        assert e.plants >= 1
        assert all(sid in park.sources for sid in e.cited()), stage
        assert e.assumption.startswith("EST")
        if e.plants == 1:
            assert e.low == e.central == e.high, stage
            continue
        # low / central / high are the smallest, the median and the largest plant listed
        listed = _sorted_sizes(e.assumption)
        factor = parse_quantity(f"1 {e.unit_as_written}").to(e.unit).magnitude
        assert len(listed) == e.plants, stage
        assert listed == sorted(listed), stage
        assert e.low == pytest.approx(listed[0] * factor), stage
        assert e.central == pytest.approx(statistics.median(listed) * factor), stage
        assert e.high == pytest.approx(listed[-1] * factor), stage


@pytest.mark.parametrize(
    ("stage", "low", "central", "high", "plants"),
    [
        ("anode_graphite", 40_000, 40_000, 100_000, 3),  # 骅扬 4万, 中烨 4万, 天铁 10万 t
        ("electrolyte", 30_000, 125_000, 300_000, 4),  # 3万, 5万, 20万, 30万 t
        ("aluminium_foil", 200_000, 200_000, 200_000, 1),  # 东阳光 20万 t
        ("separator", 4e8, 7.5e8, 1.6e9, 4),  # 4亿 … 16亿 m²
        ("lipf6", 2_000, 6_000, 28_000, 3),
        ("lfp_cell", 4.0, 6.0, 15.0, 5),  # GWh
        ("mono_silicon", 10.0, 25.0, 50.0, 6),  # GW
    ],
)
def test_shipped_plant_sizes_converted_by_hand(
    park: Park, stage: str, low: float, central: float, high: float, plants: int
) -> None:
    e = plant_size(park, stage)
    assert e is not None
    assert (e.low, e.central, e.high) == pytest.approx((low, central, high))
    assert e.plants == plants


def test_no_plant_size_is_invented(park: Park) -> None:
    # the reference gives no plant capacity for these (casings: NOT FOUND in sets; the
    # gravity station is an installation; V electrolyte is not one of the park's stages)
    for stage in (
        "cell_casing",
        "ems",
        "thermal_management",
        "gravity_storage",
        "ion_exchange_membrane",
    ):
        assert plant_size(park, stage) is None
    with pytest.raises(ValueError, match="unknown measure"):
        per_unit(park, "anode_graphite", "plant_size")  # a size, not a figure per unit


@pytest.mark.parametrize(
    ("stage", "unit", "value", "expected"),
    [
        ("lfp_cathode", "万t/a", 4, 40_000),
        ("lfp_cathode", "t/a", 6000, 6000),
        ("lfp_cathode", "kg/a", 5e6, 5000),
        ("separator", "亿m**2/a", 7.5, 7.5e8),
        ("lfp_cell", "GWh/a", 6, 6),
        ("lfp_cell", "MWh/a", 500, 0.5),
        ("mono_silicon", "GW/a", 25, 25),
    ],
)
def test_plant_size_units_convert_to_the_stage_rate(
    tmp_path: Path, stage: str, unit: str, value: float, expected: float
) -> None:
    econ, problems = plants_of(
        tmp_path, f"{stage},plant_size,{value},{value},{value},{unit},1,s1,,\n"
    )
    assert problems == []
    e = econ[(stage, "plant_size")]
    assert e.central == pytest.approx(expected)
    assert e.unit == rate_unit(STAGES[stage].unit)
    assert e.plants == 1


def test_a_plant_size_of_the_wrong_dimension_is_refused(tmp_path: Path) -> None:
    econ, problems = plants_of(
        tmp_path,
        "lfp_cathode,plant_size,2,12,50,GWh/a,7,s1,,\n"  # 2 energy, not tonnes
        "separator,plant_size,4,7.5,16,亿m**2,4,s1,,\n"  # 3 not per year
        "lfp_cell,plant_size,4,6,15,GWh/年,5,s1,,\n"  # 4 year not as 'a'
        "mono_silicon,plant_size,10,25,50,GW/a,,s1,,\n"  # 5 how many plants?
        "lfp_cathode,capex,1.2,1.94,2.4,亿CNY/(万t/a),2.5,s1,,\n"  # 6 half a plant
        "lfp_cell,capex,2.5,2.9,4.0,亿CNY/(GWh/a),,s1,,\n",  # 7 fine: plants is optional
    )
    assert {(p.row, p.field) for p in problems} == {
        (2, "unit"),
        (3, "unit"),
        (4, "unit"),
        (5, "plants"),
        (6, "plants"),
    }
    assert set(econ) == {("lfp_cell", "capex")}
    wrong = next(p for p in problems if p.row == 2)
    assert (wrong.file, wrong.value) == ("economics.csv", "GWh/a")
    assert "wrong dimension" in wrong.expected
    assert "lfp_cathode" in wrong.expected
    assert "t / a" in wrong.expected
    zh = wrong.message("zh")
    assert "economics.csv" in zh
    assert "第 2 行" in zh
    assert "GWh/a" in zh
    assert "单位量纲不对" in zh
    assert "wrong dimension" in next(p for p in problems if p.row == 3).expected  # m², not m²/a


def test_parkcap_validate_names_a_wrong_plant_size(capsys, tmp_path: Path) -> None:
    data = shutil.copytree(DEFAULT_DATA_DIR, tmp_path / "data")
    with (data / "economics.csv").open("a", encoding="utf-8") as f:
        f.write("ems,plant_size,1,2,3,GWh/a,3,econ-E45,,\n")
    assert main(["validate", "--data", str(data), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    rows = len((data / "economics.csv").read_text(encoding="utf-8").splitlines())
    assert "economics.csv" in err
    assert f"row {rows}" in err
    assert "GWh/a" in err
    assert "wrong dimension" in err
    assert "Traceback" not in err
    assert str(tmp_path) not in err
