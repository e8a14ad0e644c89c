"""The photovoltaic chain: sourced capacities, its own GW-of-wafers yardstick, its gaps and
targets apart from the battery chain's, and growth figures checked against the capacity
history."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from model.capacity import CapacityRecord
from model.cli import main
from model.consistency import TOLERANCE, contradictions, describe, growth_checks
from model.gaps import gap_table, investment_targets
from model.indicators import GrowthRecord
from model.park import load_park
from model.scenario import load_scenario
from model.simulate import simulate

PV = ("polysilicon", "mono_silicon", "cc_thermal_field", "carbon_fibre")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def append_capacity(data: Path, *rows: list[str]) -> None:
    """Append rows to a copy's capacity.csv (record_id, stage, quantity, as_of, recorded, source)."""
    path = data / "capacity.csv"
    with path.open("a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        for r in rows:
            writer.writerow([*r, "", "test record"])


# -- sourced capacities ---------------------------------------------------------------
def test_stocks_json_gives_the_pv_capacities_with_sources_and_dates(capsys) -> None:
    code, out, _ = run(capsys, "stocks", "--as-of", "2024-06-30", "--json", "--lang", "en")
    assert code == 0
    rows = {r["stage"]: r for r in json.loads(out)}
    expected = {
        "polysilicon": (145_000, "t"),
        "mono_silicon": (102, "GW"),
        "carbon_fibre": (25_000, "t"),
    }
    for stage, (value, unit) in expected.items():
        row = rows[stage]
        assert row["value"] == pytest.approx(value)
        assert row["unit"] == unit
        assert row["source"] == "econ-E119"  # the ETDZ's own figures, not Xining's or Qinghai's
        assert row["as_of"] == "2023-12-31"
        assert row["recorded"] == "2026-11-30"
        assert row["presence"] == "recorded"
        assert row["cell_gwh_eq"] is None  # never a cell-equivalent
    assert rows["cc_thermal_field"]["presence"] == "absent"


def test_carbon_fibre_history_and_the_past_as_it_was_known(park) -> None:
    before = park.capacity_as_of(date(2022, 12, 31))["carbon_fibre"]
    assert before.value == pytest.approx(11_000)
    assert before.source == "econ-E70"
    assert park.capacity_as_of(date(2023, 6, 30))["carbon_fibre"].value == pytest.approx(25_000)
    # learnt on 2026-11-30: a projection known as of 2024 did not have them
    known = park.capacity_as_of(date(2024, 6, 30), known_as_of=date(2024, 6, 30))
    assert not set(PV) & set(known)


# -- the GW-of-wafers yardstick ---------------------------------------------------------
def test_the_pv_chain_has_a_wafer_yardstick_and_no_cell_one(park) -> None:
    chain = park.chain
    for stage in PV:
        assert chain.reference_product(stage) is None
        assert chain.wafer_reference(stage) == "mono_silicon"
    assert chain.wafer_reference("separator") is None
    assert chain.wafer_reference("lfp_cell") is None
    assert chain.wafer_yardstick("polysilicon") == pytest.approx(2200)
    assert chain.wafer_yardstick("cc_thermal_field") == pytest.approx(23)
    assert chain.wafer_yardstick("carbon_fibre") == pytest.approx(23 * 0.33)
    assert chain.wafer_yardstick("mono_silicon") == pytest.approx(1.0)
    assert chain.wafer_equivalent("polysilicon", 145_000) == pytest.approx(145_000 / 2200)


@pytest.fixture(scope="module")
def table_2024q2(park):
    s = load_scenario("baseline", park=park)
    ds = simulate(park, s, draws=50, seed=1)
    return gap_table(park, ds, "2024Q2", scenario=s)


def test_gap_table_gives_the_pv_stages_in_gw_of_wafers(park, table_2024q2) -> None:
    rows = {r["stage"]: r for r in table_2024q2}
    for stage in PV:
        r = rows[stage]
        assert r["reference"] == "mono_silicon"
        for field in ("supply", "demand", "gap", "ranked_gap"):
            assert r[f"{field}_cell_gwh_eq"] is None
            yard = park.chain.wafer_yardstick(stage)
            assert r[f"{field}_wafer_gw_eq"] == pytest.approx(r[field] / yard)
    mono, poly = rows["mono_silicon"], rows["polysilicon"]
    assert mono["supply"] == pytest.approx(102)
    assert mono["supply_wafer_gw_eq"] == pytest.approx(102)
    # the pullers need 102 x 2,200 t; the park makes 14.5万t plus 丽豪 phase 2 ramping up
    assert poly["demand"] == pytest.approx(224_400)
    assert 145_000 <= poly["supply"] < 245_000
    assert poly["demand_wafer_gw_eq"] == pytest.approx(102)
    assert poly["status"] == "short"
    cc = rows["cc_thermal_field"]
    assert cc["demand"] == pytest.approx(102 * 23)
    assert cc["status"] == "missing"
    assert cc["ranked_gap_wafer_gw_eq"] == pytest.approx(102)
    # known capacities are judged, not 'unreported'
    assert {rows[s]["status"] for s in ("polysilicon", "mono_silicon", "carbon_fibre")}.isdisjoint(
        {"unreported", "missing"}
    )
    # battery stages keep their cell-equivalents and have no wafer figures
    sep = rows["separator"]
    assert sep["gap_cell_gwh_eq"] == pytest.approx(25.0)
    assert sep["gap_wafer_gw_eq"] is None
    assert sep["ranked_gap_wafer_gw_eq"] is None


def test_pv_targets_follow_the_battery_targets_by_their_wafer_gap(table_2024q2) -> None:
    targets = investment_targets(table_2024q2)
    chains = ["pv" if r["chain"] == "photovoltaic" else "battery" for r in targets]
    assert "pv" in chains
    first_pv = chains.index("pv")
    assert set(chains[first_pv:]) == {"pv"}
    pv = targets[first_pv:]
    assert all(r["score"] is None for r in pv)
    gaps = [r["ranked_gap_wafer_gw_eq"] for r in pv]
    assert gaps == sorted(gaps, reverse=True)
    assert [r["stage"] for r in pv] == ["cc_thermal_field", "polysilicon"]


def test_gaps_cli_json_includes_the_pv_stages(capsys) -> None:
    code, out, _ = run(capsys, "gaps", "baseline", "--quarter", "2024Q2", "--json", "--draws", "20")
    assert code == 0
    doc = json.loads(out)
    rows = {r["stage"]: r for r in doc["stages"]}
    for stage in ("polysilicon", "mono_silicon"):
        assert rows[stage]["reference"] == "mono_silicon"
        assert rows[stage]["supply_wafer_gw_eq"] > 0
        assert rows[stage]["status"] != "unreported"
    assert "cc_thermal_field" in doc["missing"]
    assert doc["targets"][-1]["chain"] == "photovoltaic"


# -- the pipeline ------------------------------------------------------------------------
def test_pv_projects_are_sourced_and_feed_the_simulator(park) -> None:
    by_id = {p.id: p for p in park.projects}
    ph2 = by_id["lihao-poly-ph2"]
    assert (ph2.stage, ph2.status, ph2.source) == ("polysilicon", "trial", "econ-E120")
    assert ph2.value == pytest.approx(100_000)
    pull = by_id["pulling-10gw-2024"]
    assert (pull.stage, pull.status, pull.source) == ("mono_silicon", "construction", "econ-E121")
    assert pull.assumption  # the status is inferred from 开复工
    s = load_scenario("baseline", park=park)
    ds = simulate(park, s, draws=1)
    late = ds["nameplate"].sel(quarter="2030Q4")
    assert float(late.sel(stage="polysilicon").mean()) > 145_000 + 90_000
    assert float(late.sel(stage="mono_silicon").mean()) > 102


# -- growth figures against the capacity history ---------------------------------------------
def _record(rid: str, value: float, day: date) -> CapacityRecord:
    return CapacityRecord(rid, "polysilicon", f"{value} t", value, "t", day, day, "src")


GROWTH = GrowthRecord(
    "gr-2023-poly", "polysilicon", "多晶硅产量", "Polysilicon output", 2023, "增长1.9倍", 1.9, "src"
)
STAGES = {"polysilicon": object()}


def test_a_capacity_that_did_not_grow_contradicts_output_that_nearly_tripled() -> None:
    records = [
        _record("c1", 145_000, date(2022, 6, 30)),
        _record("c2", 145_000, date(2023, 12, 31)),
    ]
    (check,) = growth_checks(records, [GROWTH], STAGES)
    assert check.checkable
    assert check.capacity_ratio == pytest.approx(1.0)
    assert check.utilisation_ratio == pytest.approx(2.9)
    assert check.contradicts
    assert contradictions(records, [GROWTH], STAGES) == [check]
    text = describe(check, "en")
    assert "2.9×" in text
    assert "1×" in text
    assert "c1" in text
    assert "c2" in text
    assert f"{TOLERANCE:.2g}" in text
    assert "多晶硅" in describe(check, "zh")


def test_a_capacity_that_grew_with_output_is_consistent() -> None:
    records = [_record("c1", 60_000, date(2022, 6, 30)), _record("c2", 145_000, date(2023, 12, 31))]
    (check,) = growth_checks(records, [GROWTH], STAGES)
    assert check.utilisation_ratio == pytest.approx(2.9 / (145 / 60))
    assert not check.contradicts
    assert contradictions(records, [GROWTH], STAGES) == []


def test_capacity_that_outgrew_output_by_far_is_a_contradiction_too() -> None:
    records = [_record("c1", 10_000, date(2022, 6, 30)), _record("c2", 145_000, date(2023, 12, 31))]
    (check,) = growth_checks(records, [GROWTH], STAGES)
    assert check.utilisation_ratio == pytest.approx(2.9 / 14.5)
    assert check.contradicts


def test_a_history_that_does_not_cover_the_year_is_not_checked() -> None:
    records = [_record("c2", 145_000, date(2023, 12, 31))]
    (check,) = growth_checks(records, [GROWTH], STAGES)
    assert not check.checkable
    assert check.capacity_ratio is None
    assert not check.contradicts
    with pytest.raises(ValueError, match="cannot be checked"):
        describe(check)


def test_validate_warns_on_a_contradicting_history_and_still_exits_0(
    capsys, shipped_dir: Path
) -> None:
    # polysilicon flat over 2023 while the article says its output grew 1.9倍 (x2.9)
    append_capacity(
        shipped_dir,
        ["cap-0901", "polysilicon", "14.5万吨", "2022-12-31", "2026-11-30", "xnetdz-2024-06"],
    )
    code, out, err = run(capsys, "validate", "--data", str(shipped_dir), "--lang", "en")
    assert code == 0
    assert "Data valid" in out
    assert "gr-2023-poly" in err
    assert "2.9× the year before" in err
    assert "capacity changed 1×" in err
    assert "cap-0901" in err
    assert "cap-0008" in err
    assert "factor of 0.5 to 2" in err
    assert "Traceback" not in err


def test_validate_is_quiet_on_a_consistent_history(capsys, shipped_dir: Path) -> None:
    # polysilicon 5万t at the end of 2022 and 14.5万t a year later: x2.9, as the output
    append_capacity(
        shipped_dir,
        ["cap-0901", "polysilicon", "5万吨", "2022-12-31", "2026-11-30", "xnetdz-2024-06"],
    )
    code, out, err = run(capsys, "validate", "--data", str(shipped_dir), "--lang", "en")
    assert code == 0
    assert "2 checked, 0 contradicting" in out
    assert err == ""


def test_the_shipped_data_has_no_contradiction(capsys) -> None:
    park = load_park()
    checks = {c.stage: c for c in growth_checks(park.capacity_records, park.growth, park.stages)}
    cf = checks["carbon_fibre"]
    assert cf.checkable
    assert cf.capacity_ratio == pytest.approx(25 / 11)
    assert not cf.contradicts
    assert not checks["polysilicon"].checkable  # no park record at the end of 2022
    code, out, err = run(capsys, "validate", "--lang", "en")
    assert code == 0
    assert "1 checked, 0 contradicting" in out
    assert err == ""
