"""How ``parkcap run`` and ``parkcap backtest`` write amounts: as the ``gaps`` tables do.

Chinese tables use 万/亿 and Chinese unit names (``18.3万吨``, ``1.5亿平方米``) with the
annual-rate unit spelled ``吨/年``; English ones use thousands separators and short
symbols (``183,000 t``, ``m²/a``). Never pint's ``m**2 / a`` nor ``1.5e+08``.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from model import recording
from model.cli import main
from model.cli.output import quantity_cell, rate_unit_cell
from model.export import write_netcdf
from model.park import load_park
from model.scenario import load_scenario
from model.simulate import simulate

#: what the old tables printed: pint's spelling and scientific notation
MACHINE = re.compile(r"\*\*|e[+-]0|\b[a-zA-Z]+ / a\b")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("value", "unit", "zh", "en"),
    [
        (183_000, "t", "18.3万吨", "183,000 t"),
        (1.5e8, "m**2", "1.5亿平方米", "150,000,000 m²"),
        (1.5e8, "m**2 / a", "1.5亿平方米", "150,000,000 m²"),
        (37.5, "GWh", "37.5吉瓦时", "37.5 GWh"),
        (3.5e7, "set", "3500万套", "35,000,000 set"),
        (1e-9, "t", "0吨", "0 t"),
        (None, "t", "", ""),
    ],
)
def test_cells_are_written_for_people(value: float | None, unit: str, zh: str, en: str) -> None:
    assert quantity_cell(value, unit, "zh") == zh
    assert quantity_cell(value, unit, "en") == en


@pytest.mark.parametrize(
    ("unit", "zh", "en"),
    [("t", "吨/年", "t/a"), ("m**2", "平方米/年", "m²/a"), ("GWh / a", "吉瓦时/年", "GWh/a")],
)
def test_unit_column_spells_the_annual_rate(unit: str, zh: str, en: str) -> None:
    assert rate_unit_cell(unit, "zh") == zh
    assert rate_unit_cell(unit, "en") == en


def test_run_table_uses_wan_and_yi(capsys: pytest.CaptureFixture[str]) -> None:
    code, zh, _ = run(capsys, "run", "baseline", "--draws", "50", "--seed", "3")
    assert code == 0
    assert not MACHINE.search(zh), MACHINE.search(zh)
    table = zh.splitlines()
    separator = next(line for line in table if line.startswith("隔膜"))
    assert "1.5亿平方米" in separator
    assert separator.rstrip().endswith("平方米/年")
    assert "18.3万吨" in next(line for line in table if line.startswith("正极材料"))
    code, en, _ = run(capsys, "run", "baseline", "--draws", "50", "--seed", "3", "--lang", "en")
    assert code == 0
    assert not MACHINE.search(en), MACHINE.search(en)
    separator = next(line for line in en.splitlines() if line.startswith("Separator"))
    assert "150,000,000 m²" in separator
    assert separator.rstrip().endswith("m²/a")


def test_backtest_table_uses_the_same_spelling(
    capsys: pytest.CaptureFixture[str], mini_dir: Path, tmp_path: Path
) -> None:
    park = load_park(mini_dir)
    ds = simulate(
        park,
        load_scenario("baseline", park=park),
        draws=100,
        seed=7,
        known_as_of=date(2024, 7, 1),
    )
    path = write_netcdf(ds, tmp_path / "proj.nc")
    recording.track_capacity(
        mini_dir,
        "separator",
        "20亿平方米",
        "2025-02-01",
        "mini-src",
        recorded="2025-02-10",
        today=date(2025, 12, 31),
    )
    argv = ("backtest", str(path), "--as-of", "2025-06-30", "--data", str(mini_dir))
    code, zh, _ = run(capsys, *argv)
    assert code == 0
    assert not MACHINE.search(zh), MACHINE.search(zh)
    row = next(line for line in zh.splitlines() if "隔膜" in line)
    assert "20亿平方米" in row  # the actual
    assert "平方米/年" in row
    code, en, _ = run(capsys, *argv, "--lang", "en")
    assert code == 0
    assert not MACHINE.search(en), MACHINE.search(en)
    row = next(line for line in en.splitlines() if "Separator" in line)
    assert "2,000,000,000 m²" in row
    assert "m²/a" in row
