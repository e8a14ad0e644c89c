"""IAMC that passes validation: a versioned model, the park as a region of China, the
shipped codelists (definitions/) current and valid for nomenclature-iamc, variables outside
the common definitions' meanings, units iam-units reads, parent totals that add up (pyam
and nomenclature), and the yearly time domain for tools that refuse datetimes."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model import export
from model.park import load_park
from model.scenario import SHIPPED, load_scenario
from model.simulate import summarize

pyam = pytest.importorskip("pyam")
nomenclature = pytest.importorskip("nomenclature")

DRAWS = 30
ROOT = Path(__file__).resolve().parent.parent


def messages(exc: BaseException) -> str:
    """The message of an exception and of every exception grouped in it."""
    parts = [str(exc)]
    for inner in getattr(exc, "exceptions", ()) or ():
        parts.append(messages(inner))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def shipped():
    park = load_park()
    scenarios = [load_scenario(n, park=park) for n in SHIPPED]
    return park, scenarios, export.run_scenarios(park, scenarios, draws=DRAWS, seed=2)


@pytest.fixture(scope="module")
def files(shipped, tmp_path_factory):
    """The quarterly and the yearly IAMC files of the three scenarios."""
    park, scenarios, results = shipped
    folder = tmp_path_factory.mktemp("iamc")
    out = {}
    for fmt in ("iamc", "iamc-yearly"):
        path = folder / f"parkcap{export.SUFFIX[fmt]}"
        path.write_bytes(export.export_bytes(park, results, scenarios, fmt))
        out[fmt] = path
    return out


def test_model_is_versioned_and_region_is_mapped_to_china(files) -> None:
    df = pyam.IamDataFrame(files["iamc"])
    from importlib.metadata import version

    major_minor = ".".join(version("parkcap").split(".")[:2])
    assert df.model == [f"parkcap {major_minor}"]
    assert df.region == ["China|Xining ETDZ"]
    dsd = nomenclature.DataStructureDefinition(ROOT / "definitions")
    region = dsd.region["China|Xining ETDZ"]
    assert region.countries == ["China"]
    assert region.iso3_codes == "CHN"
    assert region.hierarchy == "Industrial parks"


def test_shipped_definitions_are_current(park) -> None:
    for name, text in export.definitions_text(park).items():
        path = ROOT / "definitions" / name
        assert path.read_text(encoding="utf-8") == text, (
            f"{path} is out of date: run `make definitions`"
        )


def test_both_time_domains_validate(files) -> None:
    dsd = nomenclature.DataStructureDefinition(ROOT / "definitions")
    yearly = pyam.IamDataFrame(files["iamc-yearly"])
    assert yearly.time_domain == "year"
    dsd.validate(yearly)  # default settings: years only
    quarterly = pyam.IamDataFrame(files["iamc"])
    assert quarterly.time_domain == "datetime"
    with pytest.raises(Exception) as info:  # noqa: PT011 - nomenclature's exception group
        dsd.validate(quarterly)  # what a tool that refuses datetimes says
    assert "`datetime` found, but not allowed" in messages(info.value)
    for path in files.values():
        export.validate_iamc(path)  # the codelists, with datetimes allowed, and the totals


def test_an_unknown_variable_or_wrong_unit_fails_validation(files) -> None:
    df = pyam.IamDataFrame(files["iamc-yearly"])
    bad = df.rename(variable={"Production|Separator": "Production|Separators"})
    with pytest.raises(Exception) as info:  # noqa: PT011 - nomenclature's exception group
        export.validate_iamc(bad)
    assert "Production|Separators" in messages(info.value)
    wrong = df.rename(unit={"m^2/yr": "km^2/yr"})
    with pytest.raises(Exception) as info:  # noqa: PT011
        export.validate_iamc(wrong)
    assert "km^2/yr" in messages(info.value)


def test_variables_stay_out_of_common_meanings(files) -> None:
    df = pd.read_csv(files["iamc"])
    heads = {v.split("|", 1)[0] for v in df["variable"]}
    assert heads == {"Manufacturing Capacity", "Production", "Downstream Demand"}
    # common definitions: Capacity|… is installed power plant capacity, Demand|… demand by
    # end-use sector
    assert not any(v.startswith(("Capacity|", "Demand|")) for v in df["variable"])


def test_parent_totals_add_up(shipped, files) -> None:
    park, _, results = shipped
    for path in files.values():
        df = pyam.IamDataFrame(path)
        parents = [v for v in df.variable if v.split("|", 1)[1] in export.IAMC_TOTALS]
        assert len(parents) == 3 * len(export.IAMC_TOTALS)
        for parent in parents:
            assert df.check_aggregate(parent) is None, parent
        dsd = nomenclature.DataStructureDefinition(ROOT / "definitions")
        failed = dsd.check_aggregate(df)
        assert failed is None or failed.empty
    # the total is the sum, and a broken child is caught
    df = pyam.IamDataFrame(files["iamc"])
    mean = summarize(results["baseline"])["nameplate"].sel(stat="mean", quarter="2030Q4")
    cells = df.filter(
        scenario="baseline",
        variable="Manufacturing Capacity|Cells",
        time=pd.Timestamp("2030-12-31"),
    )
    expected = float(mean.sel(stage="lfp_cell") + mean.sel(stage="na_cell"))
    assert cells.data["value"].item() == pytest.approx(expected, rel=1e-9)
    data = df.data.copy()
    row = data["variable"] == "Manufacturing Capacity|Cells|LFP"
    data.loc[row, "value"] += 1.0
    assert pyam.IamDataFrame(data).check_aggregate("Manufacturing Capacity|Cells") is not None


def test_units_parse_with_iam_units(files) -> None:
    import iam_units

    registry = iam_units.registry
    df = pd.concat([pd.read_csv(p) for p in files.values()])
    units = set(df["unit"])
    assert {"GWh/yr", "t/yr", "m^2/yr", "GWh", "t", "m^2"} <= units
    counting = {u for u in units if u.split("/")[0] in ("set", "piece")}
    for unit in units - counting:
        registry.parse_units(unit)
    # the documented extension for counting units
    for line in export.IAMC_UNIT_EXTENSION:
        name = line.split("=", 1)[0].strip()
        if name not in registry:
            registry.define(line)
    for unit in counting:
        assert registry.parse_units(unit).dimensionality


def test_yearly_file_takes_stocks_at_year_end_and_sums_flows(shipped, files) -> None:
    _, _, results = shipped
    yearly = pd.read_csv(files["iamc-yearly"])
    quarterly = pd.read_csv(files["iamc"])
    assert [c for c in yearly.columns[5:]] == [str(y) for y in range(2024, 2031)]
    key = ["scenario", "variable"]
    q = quarterly.set_index(key)
    y = yearly.set_index(key)
    cap = ("baseline", "Manufacturing Capacity|Cells|LFP")
    assert y.loc[cap, "2027"] == pytest.approx(q.loc[cap, "2027-12-31"])
    prod = ("baseline", "Production|Separator")
    total = sum(q.loc[prod, f"2027-{md}"] for md in ("03-31", "06-30", "09-30", "12-31"))
    assert y.loc[prod, "2027"] == pytest.approx(total)
    assert y.loc[prod, "unit"] == "m^2/yr"
    assert np.isnan(y.loc[prod, "2024"])  # the projection starts in 2024Q2: no full year
    text = io.StringIO(files["iamc-yearly"].read_text(encoding="utf-8"))
    assert pyam.IamDataFrame(pd.read_csv(text)).time_domain == "year"
