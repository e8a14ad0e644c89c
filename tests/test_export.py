"""Exports: tidy CSV, XLSX, NetCDF and IAMC (read back with pyam), yearly aggregation
of stocks and flows, units at every boundary, and atomic writes."""

from __future__ import annotations

import io
import os
from datetime import datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xarray as xr

from model import export
from model.cli import main
from model.errors import DataError
from model.gaps import PRODUCTS
from model.park import Park, load_park
from model.scenario import SHIPPED, load_scenario
from model.simulate import summarize
from model.units import Q_, ureg

DRAWS = 60


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def shipped() -> tuple[Park, list, dict[str, xr.Dataset]]:
    """The shipped park, its scenarios and a small run of each (read-only)."""
    park = load_park()
    scenarios = [load_scenario(n, park=park) for n in SHIPPED]
    return park, scenarios, export.run_scenarios(park, scenarios, draws=DRAWS, seed=5)


# ---------------------------------------------------------------------------
# csv
# ---------------------------------------------------------------------------
def test_csv_is_tidy_with_units_and_a_bom(shipped) -> None:
    park, scenarios, results = shipped
    data = export.export_bytes(park, results, scenarios, "csv", quarters="2024Q3:2026Q4")
    assert data.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(df.columns) == export.TIDY_COLUMNS
    assert set(df["quarter"]) == {f"{y}Q{k}" for y in (2024, 2025, 2026) for k in (1, 2, 3, 4)} - {
        "2024Q1",
        "2024Q2",
    }
    keys = ["scenario", "stage", "quarter", "variable"]
    assert not df.duplicated(keys).any()
    n_stages, n_q = len(park.stages), 10
    with_eq = sum(1 for s in park.stage_ids if park.chain.reference_product(s))
    with_market = len(PRODUCTS)  # market demand and market gap of the storage products
    assert len(df) == len(SHIPPED) * n_q * (5 * n_stages + with_eq + 2 * with_market)
    row = df[(df.scenario == "baseline") & (df.stage == "separator") & (df.quarter == "2025Q4")]
    nameplate = row[row.variable == "nameplate"].iloc[0]
    assert nameplate["unit"] == "m**2 / a"
    assert nameplate["stage_name"] == "隔膜"
    assert nameplate["quarter_end"] == "2025-12-31"
    expected = summarize(results["baseline"])["nameplate"].sel(stage="separator", quarter="2025Q4")
    for stat in export.STATS:
        assert nameplate[stat] == pytest.approx(float(expected.sel(stat=stat)), rel=1e-9)
    for unit, stage in df[["unit", "stage"]].drop_duplicates().itertuples(index=False):
        u = ureg.parse_units(unit)  # every unit reads back with pint
        rate = ureg.parse_units(f"{park.stages[stage].unit} / a")
        assert Q_(1, u).is_compatible_with(rate) or Q_(1, u).is_compatible_with("GWh / a")
    en = pd.read_csv(io.BytesIO(export.csv_bytes(park, results, lang="en")), encoding="utf-8-sig")
    assert "Separator" in set(en["stage_name"])


def test_bad_quarter_range_names_the_argument(shipped) -> None:
    park, scenarios, results = shipped
    for spec, message in [("2031Q1:2032Q4", "no quarter"), ("2026Q4:2025Q1", "ends before")]:
        with pytest.raises(DataError) as info:
            export.export_bytes(park, results, scenarios, "csv", quarters=spec)
        (p,) = info.value.problems
        assert (p.field, p.value) == ("--quarters", spec)
        assert message in p.expected


# ---------------------------------------------------------------------------
# xlsx
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "cover", "data", "gaps", "nameplate"),
    [
        ("zh", "封面", "数据", "缺口", "名义产能 P50 (吉瓦时/年)"),
        ("en", "Cover", "Data", "Gaps", "Nameplate capacity P50 (GWh/a)"),
    ],
)
def test_xlsx_has_cover_scenario_sheets_and_gaps(
    shipped, lang, cover, data, gaps, nameplate
) -> None:
    park, scenarios, results = shipped
    content = export.export_bytes(park, results, scenarios, "xlsx", lang=lang)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    assert wb.sheetnames == [cover, *SHIPPED, data, gaps]
    info = {r[0]: r[1] for r in wb[cover].iter_rows(values_only=True) if r and r[0]}
    values = set(info.values())
    assert datetime(2024, 6, 20) in values  # data as-of, a date
    assert 5 in values  # seed, a number
    assert DRAWS in values
    assert "xnetdz-2024-06" in info  # sources listed by id
    ws = wb["baseline"]
    rows = list(ws.iter_rows(values_only=True))
    title = next(k for k, r in enumerate(rows) if r[1] == "lfp_cell")
    header, first = rows[title + 1], rows[title + 2]
    assert nameplate in header
    col = header.index(nameplate)
    assert isinstance(first[col], float)  # numbers as numbers
    expected = summarize(results["baseline"])["nameplate"].sel(stage="lfp_cell", stat="p50")
    assert first[col] == pytest.approx(float(expected.isel(quarter=0)))
    gap_rows = list(wb[gaps].iter_rows(values_only=True))
    assert len(gap_rows) == 1 + len(SHIPPED) * len(park.stages)
    assert all(isinstance(r[8], float | int) for r in gap_rows[1:])


# ---------------------------------------------------------------------------
# netcdf
# ---------------------------------------------------------------------------
def test_netcdf_full_and_summary_read_back_with_units(shipped, tmp_path: Path) -> None:
    park, scenarios, results = shipped
    path = tmp_path / "all.nc"
    path.write_bytes(export.export_bytes(park, results, scenarios, "netcdf"))
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        assert ds.attrs["Conventions"] == "CF-1.10"
        assert list(ds["scenario"].values) == list(SHIPPED)
        assert ds.sizes["draw"] == DRAWS
        assert ds["nameplate_area"].attrs["units"] == "m^2 year^-1"
        assert ds["storage_demand"].attrs["units"] == "GW h year^-1"
        assert list(ds["seed"].values) == [5, 5, 5]
    ds = export.open_netcdf(path)  # the simulator's layout again
    np.testing.assert_array_equal(
        ds["nameplate"].sel(scenario="lithium-led").values,
        results["lithium-led"]["nameplate"].values,
    )
    assert str(ds["unit"].sel(stage="separator").values) == "m**2 / a"
    assert ds["storage_demand"].attrs["units"] == "GWh / a"
    path.write_bytes(export.export_bytes(park, results, scenarios, "netcdf", summary=True))
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        assert "draw" not in ds.dims
        assert list(ds["stat"].values) == ["p10", "p50", "p90", "mean"]
        assert ds["p_short"].attrs["units"] == "1"
        lfp = ds["nameplate_energy"].sel(scenario="baseline", stage_energy="lfp_cell", stat="p10")
        assert float(lfp.min()) == 37.5


# ---------------------------------------------------------------------------
# iamc
# ---------------------------------------------------------------------------
def test_every_shipped_stage_has_an_iamc_path_with_consistent_units(park: Park) -> None:
    assert set(export.IAMC_PATHS) == set(park.stages)
    by_parent: dict[str, set[str]] = {}
    for sid, path in export.IAMC_PATHS.items():
        unit = park.stages[sid].unit
        stock = ureg.parse_units(export.iamc_unit(unit, "stock"))
        flow = ureg.parse_units(export.iamc_unit(unit, "flow"))
        assert Q_(1, stock).is_compatible_with(f"{unit} / a")
        assert Q_(1, flow).is_compatible_with(unit)
        parent = path.rsplit("|", 1)[0] if "|" in path else path
        by_parent.setdefault(parent, set()).add(unit)
    # siblings under one parent share a unit, so the parent can be their sum
    assert all(len(units) == 1 for units in by_parent.values())
    assert export.variable_kind("Manufacturing Capacity|Cells|LFP") == "stock"
    assert export.variable_kind("Production|Cells|LFP") == "flow"
    with pytest.raises(ValueError, match="unknown IAMC variable"):
        export.variable_kind("Emissions|CO2")


def test_iamc_file_reads_with_pyam(shipped, tmp_path: Path) -> None:
    pyam = pytest.importorskip("pyam")
    park, scenarios, results = shipped
    path = tmp_path / "iamc.csv"
    path.write_bytes(
        export.export_bytes(park, results, scenarios, "iamc", quarters="2024Q3:2030Q4")
    )
    df = pyam.IamDataFrame(str(path))
    assert df.time_domain == "datetime"
    assert df.model == [export.iamc_model()]
    assert df.model[0].startswith("parkcap 0.")
    assert df.scenario == sorted(SHIPPED)
    assert df.region == ["China|Xining ETDZ"]
    assert len(df.time) == 26
    assert str(df.time[0].date()) == "2024-09-30"
    cap = df.filter(scenario="baseline", variable="Manufacturing Capacity|Cells|LFP")
    assert cap.unit == ["GWh/yr"]
    mean = summarize(results["baseline"])
    expected_cap = mean["nameplate"].sel(stage="lfp_cell", stat="mean", quarter="2030Q4")
    got = cap.filter(time=pd.Timestamp("2030-12-31")).data["value"].item()
    assert got == pytest.approx(float(expected_cap), rel=1e-9)
    prod = df.filter(scenario="baseline", variable="Production|Separator")
    assert prod.unit == ["m^2"]
    expected_rate = mean["output"].sel(stage="separator", stat="mean", quarter="2025Q2")
    got = prod.filter(time=pd.Timestamp("2025-06-30")).data["value"].item()
    assert got == pytest.approx(float(expected_rate) / 4, rel=1e-9)  # a quarter is 1/4 year
    # yearly() works on what pyam read: stock at year end, flow summed over the quarters
    yearly = export.yearly(df)
    row = yearly[(yearly.scenario == "baseline") & (yearly.variable == "Production|Separator")]
    quarters_2025 = [q for q in mean["quarter"].values if str(q).startswith("2025")]
    annual = (
        float(mean["output"].sel(stage="separator", stat="mean", quarter=quarters_2025).sum()) / 4
    )
    assert row[2025].item() == pytest.approx(annual, rel=1e-9)
    lfp = "Manufacturing Capacity|Cells|LFP"
    stock = yearly[(yearly.scenario == "baseline") & (yearly.variable == lfp)]
    assert stock[2030].item() == pytest.approx(float(expected_cap), rel=1e-9)


def test_yearly_respects_stock_and_flow() -> None:
    df = pd.DataFrame(
        {
            "model": "m",
            "scenario": "s",
            "region": "r",
            "variable": ["Manufacturing Capacity|Cells|LFP", "Production|Cells|LFP"],
            "unit": ["GWh/yr", "GWh"],
            "2024-09-30": [5.0, 1.0],
            "2024-12-31": [6.0, 1.5],
            "2025-03-31": [10.0, 2.5],
            "2025-06-30": [20.0, 2.5],
            "2025-09-30": [30.0, 2.5],
            "2025-12-31": [40.0, 2.5],
            "2026-03-31": [41.0, 3.0],
        }
    )
    y = export.yearly(df).set_index("variable")
    cap = "Manufacturing Capacity|Cells|LFP"
    assert list(y.columns[-3:]) == [2024, 2025, 2026]
    assert y.loc[cap, 2025] == 40.0  # end of year, not 100
    assert y.loc["Production|Cells|LFP", 2025] == 10.0  # sum of four quarters
    assert y.loc[cap, 2024] == 6.0  # Q4 present
    assert np.isnan(y.loc["Production|Cells|LFP", 2024])  # only two quarters: no annual total
    assert np.isnan(y.loc[cap, 2026])  # no end of 2026 yet
    assert y.loc[cap, "unit"] == "GWh/yr"
    assert y.loc["Production|Cells|LFP", "unit"] == "GWh/yr"  # an amount a year


# ---------------------------------------------------------------------------
# the command and atomic writes
# ---------------------------------------------------------------------------
def test_export_bytes_of_every_format(shipped) -> None:
    park, scenarios, results = shipped
    one = {"baseline": results["baseline"]}
    magic = {
        "csv": b"\xef\xbb\xbfscenario,",
        "xlsx": b"PK",
        "netcdf": b"\x89HDF",
        "iamc": b"model,",
        "iamc-yearly": b"model,",
    }
    for fmt in export.FORMATS:
        data = export.export_bytes(
            park, one, scenarios[:1], fmt, quarters="2025Q1:2025Q4", lang="en"
        )
        assert isinstance(data, bytes)
        assert data.startswith(magic[fmt]), fmt


def test_cli_export_writes_the_file(capsys, mini_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "mini.xlsx"
    code, stdout, _ = run(
        capsys,
        "export",
        "baseline",
        "--format",
        "xlsx",
        "--out",
        str(out),
        "--draws",
        "20",
        "--seed",
        "1",
        "--lang",
        "en",
        "--data",
        str(mini_dir),
    )
    assert code == 0
    assert str(out) in stdout
    assert openpyxl.load_workbook(out).sheetnames == ["Cover", "baseline", "Data", "Gaps"]
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)  # not left private like a temp file
    with pytest.raises(SystemExit) as info:
        main(["export", "baseline", "--format", "pdf", "--out", str(out)])
    assert info.value.code == 2


def test_a_failed_export_leaves_the_existing_file_intact(
    capsys, mini_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "exports" / "projection.csv"
    out.parent.mkdir()
    out.write_bytes(b"old contents\n")
    # failure before writing: a scenario that does not exist
    code, _, err = run(
        capsys, "export", "nonesuch", "--format", "csv", "--out", str(out), "--data", str(mini_dir)
    )
    assert code == 2
    assert "nonesuch" in err
    assert out.read_bytes() == b"old contents\n"

    # failure at the rename: the new bytes never replace the old file
    def crash(src, dst):
        raise OSError("simulated crash")

    monkeypatch.setattr(os, "replace", crash)
    code = main(
        [
            "export",
            "baseline",
            "--format",
            "csv",
            "--out",
            str(out),
            "--draws",
            "10",
            "--data",
            str(mini_dir),
        ]
    )
    assert code == 2  # reported as a problem, not a traceback
    assert "simulated crash" in capsys.readouterr().err
    assert out.read_bytes() == b"old contents\n"
    assert [p.name for p in out.parent.iterdir()] == ["projection.csv"]  # no temporary file left
