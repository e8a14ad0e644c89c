"""Backtesting a saved projection against later records; reproducing a past projection
with --known-as-of; running from the park as it was on a date."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from model import recording
from model.backtest import backtest, load_projection
from model.cli import main
from model.errors import DataError
from model.export import write_netcdf
from model.park import load_park
from model.scenario import load_scenario
from model.simulate import simulate

TODAY = date(2025, 12, 31)
DRAWS = 200


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def projection(mini_dir: Path, tmp_path: Path) -> tuple[Path, xr.Dataset]:
    """A baseline projection of the mini park made on 2024-07-01, saved to NetCDF."""
    park = load_park(mini_dir)
    ds = simulate(
        park,
        load_scenario("baseline", park=park),
        draws=DRAWS,
        seed=7,
        known_as_of=date(2024, 7, 1),
    )
    path = write_netcdf(ds, tmp_path / "proj.nc")
    return path, ds


def band(ds: xr.Dataset, stage: str, quarter: str) -> tuple[float, float, float]:
    vals = ds["nameplate"].sel(stage=stage, quarter=quarter).values
    lo, mid, hi = np.percentile(vals, [10, 50, 90])
    return float(lo), float(mid), float(hi)


def test_backtest_sets_actuals_against_the_band(projection, mini_dir: Path) -> None:
    path, ds = projection
    lo, mid, hi = band(ds, "lfp_cell", "2025Q4")
    assert hi > lo  # the project's start and ramp make a real band in 2025Q4
    inside_mwh = f"{(lo + hi) / 2 * 1000:.6f}MWh"  # written in MWh: converted with pint
    recording.track_capacity(
        mini_dir,
        "lfp_cell",
        inside_mwh,
        "2025-11-15",
        "mini-src",
        recorded="2025-11-20",
        today=TODAY,
    )
    recording.track_capacity(
        mini_dir,
        "separator",
        "20亿平方米",
        "2025-02-01",
        "mini-src",
        recorded="2025-02-10",
        today=TODAY,
    )
    # not counted: recorded after the backtest date, and valid before the projection started
    recording.track_capacity(
        mini_dir,
        "lfp_cathode",
        "9万吨",
        "2025-03-01",
        "mini-src",
        recorded="2025-12-30",
        today=TODAY,
    )
    recording.track_capacity(
        mini_dir,
        "lfp_cathode",
        "1.6万吨",
        "2024-05-01",
        "mini-src",
        recorded="2024-09-01",
        today=TODAY,
    )
    park = load_park(mini_dir)
    result = backtest(park, load_projection(path), date(2025, 12, 1))
    rows = {(r["stage"], r["quarter"]): r for r in result["rows"]}
    assert set(rows) == {("lfp_cell", "2025Q4"), ("separator", "2025Q1")}
    cell = rows[("lfp_cell", "2025Q4")]
    assert cell["actual"] == pytest.approx((lo + hi) / 2)
    assert (cell["p10"], cell["p50"], cell["p90"]) == pytest.approx((lo, mid, hi))
    assert cell["unit"] == "GWh / a"
    assert cell["inside"] is True
    sep = rows[("separator", "2025Q1")]
    assert sep["actual"] == pytest.approx(2e9)
    assert sep["position"] == "above"
    assert (result["n"], result["n_inside"], result["coverage"]) == (2, 1, 0.5)
    # an earlier backtest date sees only the separator record
    assert backtest(park, load_projection(path), date(2025, 6, 30))["n"] == 1


def test_cli_backtest_prints_coverage_and_json(capsys, projection, mini_dir: Path) -> None:
    path, ds = projection
    recording.track_capacity(
        mini_dir,
        "separator",
        "20亿平方米",
        "2025-02-01",
        "mini-src",
        recorded="2025-02-10",
        today=TODAY,
    )
    code, out, _ = run(
        capsys,
        "backtest",
        str(path),
        "--as-of",
        "2025-06-30",
        "--data",
        str(mini_dir),
        "--lang",
        "en",
    )
    assert code == 0
    assert "above P90" in out
    assert "Coverage: 0/1 = 0%" in out
    code, out, _ = run(
        capsys, "backtest", str(path), "--as-of", "2025-06-30", "--json", "--data", str(mini_dir)
    )
    data = json.loads(out)
    assert data["coverage"] == 0.0
    assert data["rows"][0]["record_id"] == "cap-0001"
    code, out, _ = run(
        capsys,
        "backtest",
        str(path),
        "--as-of",
        "2024-08-01",
        "--data",
        str(mini_dir),
        "--lang",
        "en",
    )
    assert code == 0
    assert "No capacity records observed" in out


def test_backtest_reads_a_summary_export_the_same_way(
    capsys, projection, mini_dir: Path, tmp_path: Path
) -> None:
    path, _ = projection
    recording.track_capacity(
        mini_dir, "lfp_cell", "11GWh", "2025-11-15", "mini-src", recorded="2025-11-20", today=TODAY
    )
    summary = tmp_path / "summary.nc"
    code, _, _ = run(
        capsys,
        "export",
        "baseline",
        "--format",
        "netcdf",
        "--summary",
        "--out",
        str(summary),
        "--draws",
        str(DRAWS),
        "--seed",
        "7",
        "--known-as-of",
        "2024-07-01",
        "--data",
        str(mini_dir),
    )
    assert code == 0
    park = load_park(mini_dir)
    full = backtest(park, load_projection(path), date(2025, 12, 1))["rows"]
    summ = backtest(park, load_projection(summary), date(2025, 12, 1))["rows"]
    assert len(full) == len(summ) == 1
    for key in ("p10", "p50", "p90", "actual"):
        assert summ[0][key] == pytest.approx(full[0][key])


def test_backtest_bad_projection_files_exit_2(capsys, mini_dir: Path, tmp_path: Path) -> None:
    code, _, err = run(
        capsys,
        "backtest",
        str(tmp_path / "missing.nc"),
        "--as-of",
        "2025-01-01",
        "--data",
        str(mini_dir),
    )
    assert code == 2
    assert "missing.nc" in err
    not_nc = tmp_path / "text.nc"
    not_nc.write_text("hello", encoding="utf-8")
    code, _, err = run(
        capsys, "backtest", str(not_nc), "--as-of", "2025-01-01", "--data", str(mini_dir)
    )
    assert code == 2
    assert "无法作为 NetCDF 读取" in err  # Chinese by default
    code, _, err = run(
        capsys,
        "backtest",
        str(not_nc),
        "--as-of",
        "2025-01-01",
        "--data",
        str(mini_dir),
        "--lang",
        "en",
    )
    assert code == 2
    assert "cannot read as NetCDF" in err
    other = tmp_path / "other.nc"
    xr.Dataset({"x": ("t", [1.0])}).to_netcdf(other, engine="h5netcdf")
    with pytest.raises(DataError) as info:
        load_projection(other)
    assert {"nameplate", "quarter", "stage", "unit"} <= {p.field for p in info.value.problems}
    code, _, err = run(
        capsys, "backtest", str(other), "--as-of", "2025-01-01", "--data", str(mini_dir)
    )
    assert "Traceback" not in err


def test_known_as_of_reproduces_a_past_projection(mini_dir: Path) -> None:
    """Same seed + same --known-as-of -> identical values after later records are appended."""
    park = load_park(mini_dir)
    scenario = load_scenario("baseline", park=park)
    known = date(2024, 7, 1)
    first = simulate(park, scenario, draws=100, seed=11, known_as_of=known)
    recording.track_capacity(
        mini_dir,
        "lfp_cell",
        "14GWh",
        "2024-06-30",
        "mini-src",
        recorded="2024-08-01",
        note="correction",
        today=TODAY,
    )
    recording.track_capacity(
        mini_dir,
        "separator",
        "3亿平方米",
        "2024-09-01",
        "mini-src",
        recorded="2024-09-05",
        today=TODAY,
    )
    recording.track_project(
        mini_dir,
        "cell-2",
        "cancelled",
        "2024-08-15",
        "mini-src",
        recorded="2024-08-20",
        today=TODAY,
    )
    later = load_park(mini_dir)
    assert later.data_version != park.data_version
    again = simulate(later, scenario, draws=100, seed=11, known_as_of=known)
    for var in first.data_vars:
        np.testing.assert_array_equal(first[var].values, again[var].values, err_msg=var)
    assert first.attrs["as_of"] == again.attrs["as_of"]
    # and the new records do change a run that may know them
    now = simulate(later, scenario, draws=100, seed=11)
    assert float(now["nameplate"].sel(stage="lfp_cell").isel(quarter=0).max()) == 14.0
    assert float(now["nameplate"].sel(stage="lfp_cell").max()) == 14.0  # cell-2 was cancelled


def test_cli_run_as_of_uses_tracked_records(capsys, mini_dir: Path, tmp_path: Path) -> None:
    recording.track_capacity(
        mini_dir, "lfp_cell", "12GWh", "2024-09-15", "mini-src", recorded="2024-09-20", today=TODAY
    )

    def first_quarter(*extra: str) -> tuple[str, float]:
        out_file = tmp_path / "run.nc"
        code, _, _ = run(
            capsys,
            "run",
            "baseline",
            "--draws",
            "20",
            "--data",
            str(mini_dir),
            "--out",
            str(out_file),
            *extra,
        )
        assert code == 0
        with xr.open_dataset(out_file, engine="h5netcdf") as ds:
            q0 = ds["nameplate"].sel(stage="lfp_cell").isel(quarter=0)
            return str(ds["quarter"].values[0]), float(q0.min())

    assert first_quarter("--as-of", "2024-06-30") == ("2024Q2", 10.0)
    assert first_quarter("--as-of", "2024-10-01") == ("2024Q4", 12.0)
    assert first_quarter("--as-of", "2024-10-01", "--known-as-of", "2024-09-16") == ("2024Q4", 10.0)
