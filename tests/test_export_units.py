"""One unit spelling per audience, decided by one table (model.units.spell_unit): people read
平方米/年 and t/a in the workbook and the briefing, NetCDF carries UDUNITS, IAMC iam-units and
the tidy CSV pint strings; each machine spelling reads back as the same unit."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
import xarray as xr

from model import export
from model.park import load_park
from model.scenario import load_scenario
from model.units import (
    Q_,
    UNIT_AUDIENCES,
    UNIT_SPELLINGS,
    rate_unit,
    spell_unit,
    unspell_unit,
    ureg,
)

STAGE_UNITS = ("t", "m**2", "GWh", "GW", "set")


@pytest.mark.parametrize("unit", STAGE_UNITS)
def test_every_audience_has_one_spelling_and_machines_read_it_back(unit) -> None:
    rate = rate_unit(unit)
    spelled = {a: spell_unit(rate, a) for a in UNIT_AUDIENCES}
    assert spelled["pint"] == rate  # the CSV keeps the simulator's spelling
    for audience in ("zh", "en"):
        assert "**" not in spelled[audience]
        assert " " not in spelled[audience]
    assert spelled["zh"].endswith("/年")
    assert spelled["en"].endswith("/a")
    assert spelled["udunits"].endswith("year^-1")
    assert spelled["iamc"].endswith("/yr")
    for audience in ("udunits", "iamc", "pint"):
        back = unspell_unit(spelled[audience], audience)
        assert Q_(1, back).to(rate).magnitude == pytest.approx(1.0), audience
        assert Q_(1, spelled[audience]).to(rate).magnitude == pytest.approx(1.0), audience


def test_examples_of_the_table() -> None:
    assert spell_unit("m**2 / a", "zh") == "平方米/年"
    assert spell_unit("GWh / a", "zh") == "吉瓦时/年"
    assert spell_unit("m**2 / a", "en") == "m²/a"
    assert spell_unit("t / a", "zh") == "吨/年"
    assert spell_unit("GWh / a", "udunits") == "GW h year^-1"  # UDUNITS has no Wh
    assert spell_unit("t / a", "udunits") == "t year^-1"  # never 'a': the are
    assert spell_unit("m**2 / a", "iamc") == "m^2/yr"
    assert spell_unit("dimensionless", "udunits") == "1"
    assert set(UNIT_SPELLINGS["a"]) >= {"年", "a", "year", "yr"}
    with pytest.raises(ValueError, match="audience"):
        spell_unit("t", "excel")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    park = load_park()
    scenarios = [load_scenario("baseline", park=park)]
    results = export.run_scenarios(park, scenarios, draws=12, seed=3)
    out = {"park": park}
    for fmt in export.FORMATS:
        out[fmt] = export.export_bytes(park, results, scenarios, fmt, lang="en")
    out["xlsx-zh"] = export.export_bytes(park, results, scenarios, "xlsx", lang="zh")
    folder = tmp_path_factory.mktemp("units")
    (folder / "x.nc").write_bytes(out["netcdf"])
    out["nc-path"] = folder / "x.nc"
    return out


def test_each_file_uses_its_audience_spelling(files) -> None:
    park = files["park"]
    sep = rate_unit(park.stages["separator"].unit)
    tidy = pd.read_csv(io.BytesIO(files["csv"]), encoding="utf-8-sig")
    own = tidy[(tidy.stage == "separator") & (tidy.variable == "nameplate")]
    assert set(own["unit"]) == {spell_unit(sep, "pint")}
    iamc = pd.read_csv(io.BytesIO(files["iamc"]))
    cap = iamc[iamc.variable == "Manufacturing Capacity|Separator"]
    assert set(cap["unit"]) == {spell_unit(sep, "iamc")}
    with xr.open_dataset(files["nc-path"], engine="h5netcdf") as ds:
        assert ds["nameplate_area"].attrs["units"] == spell_unit(sep, "udunits")
    for key, lang in (("xlsx", "en"), ("xlsx-zh", "zh")):
        wb = openpyxl.load_workbook(io.BytesIO(files[key]))
        texts = {c for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for c in r if c}
        assert spell_unit(sep, lang) in texts, lang
        strings = [t for t in texts if isinstance(t, str)]
        assert not [t for t in strings if "**" in t or " / a" in t], lang
    assert ureg.parse_units(spell_unit(sep, "udunits")) == ureg.parse_units("m**2 / a")


def test_people_read_the_names_format_quantity_writes() -> None:
    from model.units import _ZH_UNIT_NAMES, format_quantity

    for unit, name in _ZH_UNIT_NAMES.items():
        assert spell_unit(unit, "zh") == name  # headers and 18.3万吨-style values agree
        assert format_quantity(Q_(183000, unit), "zh").endswith(name)
