"""The parkcap command line: validate and stocks, exit codes, and no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from model.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_validate_shipped_data_exits_zero(capsys) -> None:
    code, out, _ = run(capsys, "validate", "--lang", "en")
    assert code == 0
    assert "28 stages" in out


def test_stocks_json_lists_the_five_seeded_stocks(capsys) -> None:
    code, out, _ = run(capsys, "stocks", "--as-of", "2024-06-30", "--json")
    assert code == 0
    rows = {r["stage"]: r for r in json.loads(out)}
    expected = {
        "lfp_cell": (37.5, "GWh"),
        "lfp_cathode": (183_000, "t"),
        "separator": (1.5e8, "m**2"),
        "copper_foil": (50_000, "t"),
        "cell_casing": (3.5e7, "set"),
    }
    for stage, (value, unit) in expected.items():
        assert rows[stage]["value"] == pytest.approx(value)
        assert rows[stage]["unit"] == unit
        assert rows[stage]["source"] == "xnetdz-2024-06"
        assert rows[stage]["as_of"] == "2024-06-20"
    recorded = {r["stage"] for r in rows.values() if r["presence"] == "recorded"}
    # the article's five, and the photovoltaic chain's from the ETDZ's own list (econ-E119)
    assert recorded == {*expected, "polysilicon", "mono_silicon", "carbon_fibre"}
    assert rows["cc_thermal_field"]["presence"] == "absent"
    assert rows["anode_graphite"]["presence"] == "absent"
    assert rows["anode_graphite"]["value"] == 0
    assert rows["separator"]["cell_gwh_eq"] == pytest.approx(12.5)


def test_stocks_table_in_chinese_and_english(capsys) -> None:
    _, zh, _ = run(capsys, "stocks", "--as-of", "2024-06-30")
    assert "18.3万吨" in zh
    assert "1.5亿平方米" in zh
    assert "3500万套" in zh
    assert "无记录" in zh
    _, en, _ = run(capsys, "stocks", "--as-of", "2024-06-30", "--lang", "en")
    assert "183,000 t" in en
    assert "Separator" in en


def test_data_option_and_environment_variable(capsys, mini_dir: Path, monkeypatch) -> None:
    code, out, _ = run(capsys, "stocks", "--data", str(mini_dir), "--as-of", "2024-06-30", "--json")
    assert code == 0
    assert {r["stage"] for r in json.loads(out)} == {
        "lfp_cathode",
        "separator",
        "lfp_cell",
    }
    monkeypatch.setenv("PARKCAP_DATA", str(mini_dir))
    code, out, _ = run(capsys, "stocks", "--as-of", "2024-06-30", "--json")
    assert len(json.loads(out)) == 3


def test_bad_data_exits_2_and_names_file_row_field(capsys, mini_dir: Path) -> None:
    path = mini_dir / "capacity.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("1.5万吨", "1.5万GWh"), encoding="utf-8"
    )
    code, out, err = run(capsys, "validate", "--data", str(mini_dir), "--lang", "en")
    assert code == 2
    assert "capacity.csv, row 3, field 'quantity'" in err
    assert "wrong dimension" in err
    assert "Traceback" not in err + out


@pytest.mark.parametrize(
    "argv", [["stocks", "--as-of", "June"], ["stocks", "--lang", "fr"], ["frobnicate"]]
)
def test_bad_arguments_exit_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2


def test_console_script_prints_no_traceback(mini_dir: Path) -> None:
    (mini_dir / "stages.csv").write_text("id,name_zh\n", encoding="utf-8")
    exe = Path(sys.executable).with_name("parkcap")
    proc = subprocess.run(
        [str(exe), "validate", "--data", str(mini_dir)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        check=False,
    )
    assert proc.returncode == 2
    assert "stages.csv" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_run_writes_a_netcdf_with_units(capsys, tmp_path: Path) -> None:
    import xarray as xr

    from model.simulate import units_of

    target = tmp_path / "b.nc"
    code, out, _ = run(
        capsys, "run", "baseline", "--draws", "200", "--seed", "1", "--out", str(target)
    )
    assert code == 0
    assert "200 draws" in out
    with xr.open_dataset(target, engine="h5netcdf") as ds:
        units = units_of(ds)
        assert set(units) == set(ds.data_vars)
        assert ds.attrs["seed"] == 1


def test_gaps_json_is_stable_and_ranked(capsys) -> None:
    code, out, _ = run(capsys, "gaps", "baseline", "--quarter", "2024Q2", "--json", "--draws", "20")
    assert code == 0
    doc = json.loads(out)
    required = {"stage", "unit", "supply", "demand", "gap", "gap_cell_gwh_eq", "p_short"}
    assert all(required <= set(r) for r in doc["stages"])
    assert doc["missing"][:1] == ["lithium_carbonate"]
    assert doc["targets"][0]["rank"] == 1
    sep = next(r for r in doc["stages"] if r["stage"] == "separator")
    assert sep["gap"] == pytest.approx(3.0e8)


def test_compare_json_has_a_scenario_field(capsys) -> None:
    code, out, _ = run(
        capsys,
        "compare",
        "lithium-led",
        "sodium-flow",
        "--quarter",
        "2030Q4",
        "--json",
        "--draws",
        "50",
    )
    assert code == 0
    doc = json.loads(out)
    assert {r["scenario"] for r in doc["rows"]} == {"lithium-led", "sodium-flow"}
    assert doc["differences"]


def test_compare_table_in_chinese(capsys) -> None:
    code, out, _ = run(capsys, "compare", "lithium-led", "sodium-flow", "--draws", "20")
    assert code == 0
    assert "硬碳负极" in out
    assert "technology_mix.sodium_ion" in out


def test_bad_scenario_exits_2_naming_the_key(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "baseline"\n[demand]\ngrowht = 0.3\n', encoding="utf-8")
    code, out, err = run(
        capsys,
        "run",
        str(bad),
        "--scenarios",
        str(Path(__file__).parent.parent / "scenarios"),
        "--lang",
        "en",
    )
    assert code == 2
    assert "demand.growht" in err
    assert "Traceback" not in err


def test_unknown_scenario_lists_the_known_ones(capsys) -> None:
    code, _, err = run(capsys, "gaps", "nosuch")
    assert code == 2
    assert "baseline" in err


def test_quarter_outside_the_horizon_exits_2(capsys) -> None:
    code, _, err = run(capsys, "gaps", "baseline", "--quarter", "2035Q1", "--draws", "5")
    assert code == 2
    assert "2035Q1" in err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["run", "baseline", "--seed", "99999999999999999999"], "from 0 to"),
        (["run", "baseline", "--draws", "100000000"], "at most"),
        (["run", "baseline", "--draws", "0"], "1 or more"),
    ],
)
def test_out_of_range_numbers_are_refused(capsys, argv: list[str], words: str) -> None:
    with pytest.raises(SystemExit) as info:
        main([*argv, "--lang", "en"])  # the words are English; Chinese is the default
    assert info.value.code == 2
    assert words in capsys.readouterr().err


def test_compare_needs_two_scenarios(capsys) -> None:
    code, _, err = run(capsys, "compare", "baseline", "--draws", "5")
    assert code == 2
    assert "SCENARIO" in err


def test_a_folder_as_scenario_is_a_problem(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "looks-like.toml"
    folder.mkdir()
    code, _, err = run(capsys, "gaps", str(folder), "--lang", "en")
    assert code == 2
    assert "not found" in err
    assert "Traceback" not in err


def test_unwritable_output_is_a_problem(capsys, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = run(
        capsys, "run", "baseline", "--draws", "5", "--out", str(blocker / "sub" / "b.nc")
    )
    assert code == 2
    assert "Traceback" not in err


def test_empty_capacity_file_is_a_problem(capsys, mini_dir: Path) -> None:
    (mini_dir / "capacity.csv").write_text(
        "record_id,stage,quantity,as_of,recorded,source,note\n", encoding="utf-8"
    )
    code, _, err = run(
        capsys, "gaps", "baseline", "--data", str(mini_dir), "--draws", "5", "--lang", "en"
    )
    assert code == 2
    assert "no capacity record" in err


def test_gaps_say_the_targets_in_plants_of_a_typical_size(capsys) -> None:
    code, zh, _ = run(capsys, "gaps", "baseline", "--quarter", "2030Q4", "--draws", "200")
    assert code == 0
    targets = zh[zh.index("招商优先环节") :]
    assert "折合项目数" in targets
    anode = next(line for line in targets.splitlines() if "负极材料" in line)
    # 3.75万吨 to recruit against the median announced plant of 4万吨/年: about one plant
    ratio = float(anode.split("×")[0].split()[-1])
    assert 0.8 < ratio < 1.1
    assert anode.rstrip().endswith("× 4万吨/年")
    code, en, _ = run(
        capsys, "gaps", "baseline", "--quarter", "2030Q4", "--draws", "200", "--lang", "en"
    )
    assert "In plant-sized units" in en
    assert "× 40,000 t/a" in en
