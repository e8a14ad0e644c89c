"""Global sensitivity: Sobol' indices of the gaps by factor, the command and its JSON."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from model.cli import main
from model.errors import DataError
from model.park import load_park
from model.scenario import Scenario, load_scenario
from model.sensitivity import factor_label, saltelli_matrix, sobol_indices, top_driver

#: The 'mini' park with the cells' utilisation fixed and central intensities: in 2024Q3
#: (before the cells' phase 2 can start) the cells run at 9 GWh whatever the draws, so the
#: separator's and cathode's gaps depend on the lithium chain's utilisation alone and the
#: cells' market gap on storage-demand growth alone.
ONE_FACTOR = Scenario(
    name="one-factor",
    horizon="2025Q2",
    intensity="central",
    utilisation={"lfp_cell": [0.9, 0.9]},
)
ONE_FACTOR_TOML = """title_zh = "单因素"
title_en = "One factor"
horizon = "2025Q2"
intensity = "central"
[utilisation]
lfp_cell = [0.9, 0.9]
"""


def entry(result: dict, stage: str, variable: str = "gap") -> dict:
    return next(e for e in result["stages"] if (e["stage"], e["variable"]) == (stage, variable))


def by_factor(e: dict) -> dict[str, dict]:
    return {f["factor"]: f for f in e["factors"]}


@pytest.fixture(scope="module")
def one_factor(tmp_path_factory) -> dict:
    from model.examples import write_example

    park = load_park(write_example("mini", tmp_path_factory.mktemp("p") / "mini"))
    return sobol_indices(park, ONE_FACTOR, "2024Q3", n=512, seed=1)


@pytest.mark.parametrize(
    ("stage", "variable", "driver"),
    [
        ("separator", "gap", "utilisation:lithium"),
        ("lfp_cathode", "gap", "utilisation:lithium"),
        ("lfp_cell", "market_gap", "demand_growth"),
    ],
)
def test_a_gap_of_one_factor_gives_that_factor_everything(
    one_factor, stage, variable, driver
) -> None:
    factors = by_factor(entry(one_factor, stage, variable))
    assert len(factors) >= 4  # completion, ramp, growths, utilisation: all analysed
    assert factors[driver]["ST"] == pytest.approx(1.0, abs=0.05)
    assert factors[driver]["S1"] == pytest.approx(1.0, abs=0.05)
    for name, f in factors.items():
        if name != driver:
            assert abs(f["ST"]) < 0.01, name
            assert abs(f["S1"]) < 0.01, name
    assert top_driver(entry(one_factor, stage, variable))["factor"] == driver


def test_first_order_never_exceeds_total_beyond_the_intervals(one_factor) -> None:
    for e in one_factor["stages"]:
        for f in e["factors"]:
            assert f["S1"] <= f["ST"] + f["S1_conf"] + f["ST_conf"], (e["stage"], f)
            assert f["S1_conf"] >= 0
            assert f["ST_conf"] >= 0


def test_factors_without_spread_are_absent_and_constant_gaps_listed(one_factor) -> None:
    # the scenario fixes intensities and the technology mix; the cells' phase 2 has an
    # explicit start (no delay spread); the mini park has no storage-share range
    for kind in ("technology_mix", "intensity", "delay", "storage_share"):
        assert kind in one_factor["absent"]
    present = {f["factor"] for e in one_factor["stages"] for f in e["factors"]}
    assert not present & set(one_factor["absent"])
    # nothing uncertain reaches the cells' supply-chain gap (no stage takes cells)
    assert "lfp_cell:gap" in one_factor["constant"]
    assert {(e["stage"], e["variable"]) for e in one_factor["stages"]}.isdisjoint(
        {tuple(c.split(":")) for c in one_factor["constant"]}
    )


def test_same_seed_same_indices_and_progress_reaches_the_end(park) -> None:
    s = load_scenario("baseline", park=park)
    calls: list[tuple[int, int]] = []
    a = sobol_indices(park, s, "2026Q4", n=64, seed=3, progress=lambda d, t: calls.append((d, t)))
    b = sobol_indices(park, s, "2026Q4", n=64, seed=3)
    assert a == b
    assert calls[-1] == (a["runs"], a["runs"])
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    factors = {f["factor"] for e in a["stages"] for f in e["factors"]}
    assert a["runs"] == 64 * (len(factors) + 2)


def test_saltelli_matrix_is_salibs_design() -> None:
    from SALib.sample import sobol as salib_sample

    groups = ["g1", "g1", "g2", "g3", "g2"]
    problem = {"num_vars": 5, "names": list("abcde"), "bounds": [[0, 1]] * 5, "groups": groups}
    ours = saltelli_matrix(groups, 64, seed=5)
    theirs = salib_sample.sample(problem, 64, calc_second_order=False, seed=5)
    np.testing.assert_array_equal(ours, theirs)


def test_the_separator_is_driven_by_what_an_expert_expects(park) -> None:
    """Baseline 2030Q4: the separator's gap is set by its intensity per GWh of cells and the
    lithium chain's utilisation (the cells run at capacity); the cells' market gap by the
    markets' growth, not by any plant's recipe."""
    s = load_scenario("baseline", park=park)
    r = sobol_indices(park, s, "2030Q4", n=256, seed=1)
    sep = by_factor(entry(r, "separator"))
    assert top_driver(entry(r, "separator"))["factor"] == "intensity:lithium"
    assert sep["intensity:lithium"]["ST"] + sep["utilisation:lithium"]["ST"] > 0.9
    assert sep["demand_growth"]["ST"] < 0.05
    market = by_factor(entry(r, "lfp_cell", "market_gap"))
    demand_side = ("power_growth", "demand_growth", "start_utilisation", "storage_share")
    assert sum(market[f]["ST"] for f in demand_side) > 0.8
    assert top_driver(entry(r, "lfp_cell", "market_gap"))["factor"] in demand_side
    assert "technology_mix" in r["absent"]  # baseline's mix is all LFP, no range
    # a direction check on the levers: fixing the intensities removes their factor and
    # hands the separator to utilisation
    fixed = sobol_indices(park, s.with_changes(intensity="central"), "2030Q4", n=128, seed=1)
    assert "intensity" in fixed["absent"]
    assert top_driver(entry(fixed, "separator"))["factor"] == "utilisation:lithium"


def test_factor_labels_are_bilingual(park) -> None:
    assert factor_label("utilisation:lithium", "zh", park) == "产能利用率（锂电）"
    assert factor_label("utilisation:lithium", "en", park) == "Utilisation (Lithium)"
    assert factor_label("demand_growth", "en", park) == "Storage demand growth"
    assert "储备" in factor_label("completion:reserve", "zh", park)


def test_bad_sample_sizes_and_quarters_are_refused(park) -> None:
    s = load_scenario("baseline", park=park)
    for n in (1000, 32, 2**15):
        with pytest.raises(DataError) as exc:
            sobol_indices(park, s, "2030Q4", n=n)
        assert "--n" in str(exc.value.problems[0])


@pytest.fixture
def mini_scenario(tmp_path: Path) -> Path:
    path = tmp_path / "one-factor.toml"
    path.write_text(ONE_FACTOR_TOML, encoding="utf-8")
    return path


def test_cli_json_table_and_exit_codes(mini_dir: Path, mini_scenario: Path, capsys) -> None:
    base = ["sensitivity", str(mini_scenario), "--data", str(mini_dir), "--quarter", "2024Q3"]
    assert main([*base, "--n", "128", "--seed", "2", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) >= {"scenario", "quarter", "n", "stages"}
    assert doc["quarter"] == "2024Q3"
    assert doc["n"] == 128
    for e in doc["stages"]:
        assert set(e) >= {"stage", "unit", "factors"}
        for f in e["factors"]:
            assert set(f) == {"factor", "S1", "S1_conf", "ST", "ST_conf"}
    sep = entry(doc, "separator")
    assert sep["unit"] == "m**2"
    assert sep["factors"][0]["factor"] == "utilisation:lithium"

    assert main([*base, "--n", "128", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "The supply-chain gap of Separator depends most on Utilisation (Lithium)" in text
    assert main([*base, "--n", "128"]) == 0
    assert "隔膜的产业链缺口主要取决于产能利用率（锂电）" in capsys.readouterr().out

    assert main([*base, "--n", "1000", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "--n" in err
    assert "1000" in err
    assert "power of two" in err
    assert "Traceback" not in err
    assert main([*base[:-1], "2029Q4", "--n", "64"]) == 2
    err = capsys.readouterr().err
    assert "2029Q4" in err
    assert "Traceback" not in err
    assert main(["sensitivity", "no-such-scenario", "--data", str(mini_dir)]) == 2
    assert "no-such-scenario" in capsys.readouterr().err


def test_a_scenario_without_any_range_is_refused_in_the_users_language(mini_park) -> None:
    fixed = ONE_FACTOR.with_changes(
        **{
            "utilisation.default": [0.7, 0.7],
            "demand.growth_spread": 0.0,
            "ramp_up.shape": "instant",
            "status": {"construction": {"p_complete": 1.0, "delay_sd_q": 0.0}},
        }
    )
    with pytest.raises(DataError) as exc:
        sobol_indices(mini_park, fixed, "2024Q3", n=64, lang="zh")
    assert "没有任何输入有不确定范围" in exc.value.problems[0].message("zh")
    with pytest.raises(DataError) as exc:
        sobol_indices(mini_park, fixed, "2024Q3", n=64)
    assert "no input has a range" in exc.value.problems[0].message("en")


def test_cli_problems_are_in_chinese_by_default(
    mini_dir: Path, mini_scenario: Path, capsys
) -> None:
    base = ["sensitivity", str(mini_scenario), "--data", str(mini_dir), "--quarter", "2024Q3"]
    assert main([*base, "--n", "100"]) == 2
    err = capsys.readouterr().err
    assert "“--n”" in err
    assert "100" in err
    assert "2 的幂" in err
    assert main([*base[:-1], "2026Q1", "--n", "64"]) == 2
    assert "季度 2026Q1 不在预测期内（2024Q2 至 2025Q2）" in capsys.readouterr().err


def test_more_base_samples_narrow_the_intervals_as_one_over_root_n(park) -> None:
    s = load_scenario("baseline", park=park)

    def widths(n: int, seed: int) -> dict:
        r = sobol_indices(park, s, "2030Q4", n=n, seed=seed)
        return {(e["stage"], e["variable"]): top_driver(e)["ST_conf"] for e in r["stages"]}

    small, large = widths(128, 1), widths(512, 1)
    ratio = float(np.median([large[k] / small[k] for k in small if small[k] > 0]))
    assert 0.3 < ratio < 0.75  # four times the samples: about half the width (1/sqrt(4))
    other = sobol_indices(park, s, "2030Q4", n=128, seed=2)  # another seed: other design
    assert widths(128, 2) != small
    assert other["seed"] == 2


def test_a_design_too_large_for_the_memory_limit_is_refused(
    mini_dir: Path, mini_scenario: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("PARKCAP_MEMORY_LIMIT", "12MiB")
    base = ["sensitivity", str(mini_scenario), "--data", str(mini_dir), "--quarter", "2024Q3"]
    assert main([*base, "--n", "16384", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "--n" in err
    assert "above the limit of 12.0 MiB" in err
    assert main([*base, "--n", "64", "--lang", "en"]) == 0  # a small design still runs
