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
    assert "26 stages" in out


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
    recorded = [r for r in rows.values() if r["presence"] == "recorded"]
    assert len(recorded) == 5
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
    code, out, err = run(capsys, "validate", "--data", str(mini_dir))
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
