"""The NetCDF export in CF-1.10: cf_xarray finds the time axis, pint-xarray quantifies every
variable with parkcap's registry, units are UDUNITS (cfunits, when libudunits2 is
installed), the file reads back into the simulator's layout, and it is written straight to
the target without damaging an existing file."""

from __future__ import annotations

import numpy as np
import pint
import pytest
import xarray as xr

from model import export
from model.export import netcdf as nc
from model.park import load_park
from model.results import units_of
from model.scenario import SHIPPED, load_scenario
from model.units import Q_, spell_unit, ureg

DRAWS = 40


@pytest.fixture(scope="module")
def shipped():
    """The shipped park, scenarios and a small run of each (read-only)."""
    park = load_park()
    scenarios = [load_scenario(n, park=park) for n in SHIPPED]
    return park, scenarios, export.run_scenarios(park, scenarios, draws=DRAWS, seed=5)


@pytest.fixture(scope="module")
def cf_file(shipped, tmp_path_factory):
    """The full-draw CF file of the three scenarios."""
    _, _, results = shipped
    return export.write_cf_netcdf(results, tmp_path_factory.mktemp("cf") / "all.nc")


def counting(unit: str) -> bool:
    """Whether a unit holds a counting unit, which UDUNITS does not know."""
    return any(w in unit.split() for w in ("set", "piece", "project"))


def test_cf_attributes_time_axis_and_long_names(cf_file) -> None:
    cf_xarray = pytest.importorskip("cf_xarray")
    assert cf_xarray
    with xr.open_dataset(cf_file, engine="h5netcdf") as ds:
        assert ds.attrs["Conventions"] == "CF-1.10"
        assert ds.attrs["source"].startswith("parkcap ")
        assert ds.cf["T"].name == "quarter_end"  # found through axis = "T"
        assert ds.cf["time"].name == "quarter_end"  # and through standard_name
        assert ds.cf.axes["T"] == ["quarter_end"]
        assert str(ds["quarter_end"].values[0])[:10] == "2024-06-30"
        assert ds["quarter_end"].encoding["units"] == "days since 1970-01-01"
        for name, coord in ds.coords.items():
            assert coord.attrs.get("long_name"), name
        for name, da in ds.data_vars.items():
            assert da.attrs.get("long_name"), name
            assert "units" in da.attrs, name
            if "draw" in da.dims:
                assert da.encoding["zlib"], name
                assert da.encoding["shuffle"], name
                assert da.encoding["chunksizes"][0] == 1, name  # one scenario per chunk
        # every stage is in exactly one family, and the families partition the stages
        fams = [str(f) for f in ds["stage_family"].values]
        for fam in set(fams):
            members = [str(s) for s in ds[f"stage_{fam}"].values]
            expected = [str(s) for s, f in zip(ds["stage"].values, fams, strict=True) if f == fam]
            assert members == expected
        assert ds["nameplate_area"].attrs["units"] == "m^2 year^-1"
        assert ds["nameplate_mass"].attrs["units"] == "t year^-1"
        assert ds["nameplate_energy"].attrs["units"] == "GW h year^-1"
        assert ds["installed_energy"].attrs["units"] == "GW h"  # a stock, not a rate
        assert "nameplate" not in ds
        assert "unit" not in ds.coords


def test_pint_xarray_quantifies_every_variable(shipped, cf_file) -> None:
    pytest.importorskip("pint_xarray")
    _, _, results = shipped
    with xr.open_dataset(cf_file, engine="h5netcdf") as ds:
        quantified = ds.pint.quantify(unit_registry=ureg)
    for name in ds.data_vars:
        assert isinstance(quantified[name].data, pint.Quantity), name
    sep = quantified["nameplate_area"].sel(scenario="baseline", stage_area="separator")
    expected = results["baseline"]["nameplate"].sel(stage="separator")
    got = np.asarray(sep.pint.to("m**2 / a").pint.magnitude)
    np.testing.assert_allclose(got, expected.values)
    casings = quantified["nameplate_sets"].sel(scenario="baseline", stage_sets="cell_casing")
    assert casings.pint.units == ureg.parse_units("set / a")
    assert float(casings.isel(draw=0, quarter=0).pint.to("set / a").pint.magnitude) == 3.5e7
    # the unit-free variables are dimensionless, rates per year are rates
    assert quantified["p_short" if "p_short" in ds else "utilisation"].pint.units == ureg.Unit("")
    demand = quantified["storage_demand"].pint.units  # GW h year^-1 is GWh / a
    assert Q_(1, demand).to("GWh / a").magnitude == pytest.approx(1.0)


def test_units_are_udunits_and_never_the_are(cf_file) -> None:
    with xr.open_dataset(cf_file, engine="h5netcdf") as ds:
        units = {str(n): str(da.attrs["units"]) for n, da in ds.data_vars.items()}
    for name, unit in units.items():
        words = unit.replace("^", " ").split()
        assert "a" not in words, (name, unit)  # UDUNITS reads 'a' as the are (100 m²)
        assert "Wh" not in unit, (name, unit)
        assert "**" not in unit, (name, unit)
    # cf_xarray's UDUNITS-like registry reads every unit but the counting ones
    import cf_xarray.units as cfu

    for unit in units.values():
        if not counting(unit):
            cfu.units.parse_units(unit)
    try:  # cfunits needs Debian's libudunits2-0 (installed by `make test`)
        from cfunits import Units
    except (ImportError, OSError, FileNotFoundError):
        pytest.skip("cfunits or libudunits2 is not installed")
    for name, unit in units.items():
        checked = unit
        for word in ("set", "piece"):  # counting units are not in UDUNITS: a count is 1
            checked = checked.replace(word, "1")
        assert Units(checked).isvalid, (name, unit)
    assert Units(units["nameplate_mass"]).equivalent(Units("kg s-1"))
    assert Units(units["nameplate_area"]).equivalent(Units("m2 s-1"))
    assert Units(units["nameplate_energy"]).equivalent(Units("W"))
    assert not Units("t/a").equivalent(Units("kg s-1"))  # why 'a' is never written


def test_round_trip_to_the_simulator_layout(shipped, cf_file) -> None:
    _, _, results = shipped
    back = export.open_netcdf(cf_file)
    assert list(back["scenario"].values) == list(SHIPPED)
    for name, ds in results.items():
        expected_units = units_of(ds)
        got_units = units_of(back)
        for var, da in ds.data_vars.items():
            got = back[var].sel(scenario=name)
            if "project" in got.dims:
                got = got.sel(project=ds["project"].values)
            np.testing.assert_array_equal(got.transpose(*da.dims).values, da.values, err_msg=var)
            if isinstance(expected_units[var], dict):
                assert got_units[var] == expected_units[var], var
            else:
                assert ureg.parse_units(got_units[var]) == ureg.parse_units(expected_units[var])
    assert str(back["unit"].sel(stage="separator").values) == "m**2 / a"
    assert export.from_cf(back) is back  # converting twice changes nothing
    assert not export.is_cf_layout(back)
    # the in-memory Dataset is the file's
    mem = export.netcdf_dataset(results)
    with xr.open_dataset(cf_file, engine="h5netcdf") as ds:
        assert set(mem.data_vars) == set(ds.data_vars)
        for var in mem.data_vars:
            np.testing.assert_array_equal(mem[var].values, ds[var].values, err_msg=var)
            assert mem[var].attrs == {k: v for k, v in ds[var].attrs.items()}, var


def test_summary_file_and_bytes(shipped, tmp_path) -> None:
    pytest.importorskip("cf_xarray")
    park, scenarios, results = shipped
    data = export.export_bytes(park, results, scenarios, "netcdf", summary=True)
    assert data.startswith(b"\x89HDF")
    path = tmp_path / "summary.nc"
    path.write_bytes(data)
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        assert list(ds["stat"].values) == ["p10", "p50", "p90", "mean"]
        assert "draw" not in ds.dims
        assert ds["p_short"].attrs["units"] == "1"
        assert ds.cf["T"].name == "quarter_end"
        q = ds.pint.quantify(unit_registry=ureg)
        p10 = q["nameplate_energy"].sel(scenario="baseline", stage_energy="lfp_cell", stat="p10")
        assert float(p10.min().pint.to("GWh / a").pint.magnitude) == 37.5
    back = export.open_netcdf(path)
    assert back["nameplate"].dims == ("scenario", "stat", "quarter", "stage")
    assert back["nameplate"].attrs["units_coordinate"] == "unit"


def test_scenarios_with_other_horizons_and_draws_line_up(shipped, tmp_path) -> None:
    park, scenarios, _ = shipped
    short = scenarios[1].with_changes(horizon="2026Q4")
    results = {
        "baseline": export.run_scenarios(park, scenarios[:1], draws=12, seed=2)["baseline"],
        short.name: export.run_scenarios(park, [short], draws=7, seed=2)[short.name],
    }
    path = export.write_cf_netcdf(results, tmp_path / "mixed.nc", quarters="2025Q1:2030Q4")
    back = export.open_netcdf(path)
    assert back.sizes["draw"] == 12
    assert str(back["quarter"].values[0]) == "2025Q1"
    assert str(back["quarter"].values[-1]) == "2030Q4"
    got = back["nameplate"].sel(scenario=short.name)
    assert np.isnan(got.sel(quarter="2027Q1").values).all()  # outside its horizon
    assert np.isnan(got.isel(draw=slice(7, None)).values).all()  # draws it does not have
    own = results[short.name]["nameplate"].sel(quarter=got["quarter"].values[:8])
    np.testing.assert_array_equal(got.isel(draw=slice(0, 7), quarter=slice(0, 8)).values, own)


def test_a_failed_write_leaves_the_old_file(shipped, tmp_path, monkeypatch) -> None:
    _, _, results = shipped
    path = tmp_path / "keep.nc"
    path.write_bytes(b"old")

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(nc, "_fill", crash)
    with pytest.raises(OSError, match="disk full"):
        export.write_cf_netcdf({"baseline": results["baseline"]}, path)
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.nc"]


def test_write_export_file_streams_netcdf_and_writes_the_rest(shipped, tmp_path) -> None:
    park, scenarios, results = shipped
    one = {"baseline": results["baseline"]}
    nc_path = export.write_export_file(park, one, tmp_path / "a.nc", scenarios, "netcdf")
    with xr.open_dataset(nc_path, engine="h5netcdf") as ds:
        assert ds.attrs["Conventions"] == export.CONVENTIONS
    csv_path = export.write_export_file(park, one, tmp_path / "a.csv", scenarios, "csv")
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbfscenario,")


def test_stage_families_follow_dimensionality() -> None:
    assert export.stage_family("t") == ("mass", "t")
    assert export.stage_family("kg") == ("mass", "t")
    assert export.stage_family("m**2") == ("area", "m**2")
    assert export.stage_family("MWh") == ("energy", "GWh")
    assert export.stage_family("set") == ("sets", "set")
    assert Q_(1, "MWh / a").to("GWh / a").magnitude == pytest.approx(1e-3)
    assert spell_unit("MWh / a", "udunits") == "MW h year^-1"
    assert spell_unit("kWh", "udunits") == "kW h"
