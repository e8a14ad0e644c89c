"""The memory budget: every run is sized before anything is allocated, and horizons end in 2060.

The refusals run ``parkcap`` in a child process that reports its own peak memory, so the
tests show that a refused run never allocates (and never prints a traceback).
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from model import budget, quarters
from model.budget import (
    CHUNK,
    DEFAULT_LIMIT,
    ENV_VAR,
    LAST_QUARTER,
    MAX_HORIZON_YEAR,
    N_TECHNOLOGIES,
    check_run,
    check_simulation,
    estimate_bytes,
    format_bytes,
    memory_limit,
    parse_size,
    reserve,
    run_size,
)
from model.cli import main
from model.errors import DataError
from model.scenario import MAX_DRAWS, Scenario, load_scenario

ROOT = Path(__file__).resolve().parent.parent
GIB = 2**30

# The peak resident memory of the process itself, in bytes: VmHWM on Linux. ru_maxrss is not
# usable in a child process: Linux carries the parent's high-water mark (pytest's, which may
# have held large results) over fork + exec into the child's ru_maxrss.
PEAK = """
import resource
from pathlib import Path

def peak():
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
"""

# A child process: run parkcap's main() with the arguments given, then print one JSON line
# with the exit status and the process's peak resident memory.
CHILD = (
    PEAK
    + """
import json, sys
from model.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "peak": peak()}))
"""
)


def parkcap_child(*argv: str, env: dict[str, str] | None = None) -> tuple[int, int, str, float]:
    """Run ``parkcap argv`` in a child process: (exit status, peak bytes, stderr, seconds)."""
    child_env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    child_env.update(env or {})
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=child_env,
        timeout=120,
    )
    elapsed = time.perf_counter() - t0
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    return report["code"], report["peak"], proc.stderr, elapsed


def write_scenario(folder: Path, name: str, text: str) -> Path:
    """Write ``name.toml`` into ``folder``, beside a copy of the shipped baseline it may extend."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "scenarios" / "baseline.toml", folder / "baseline.toml")
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def no_env_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


# ---------------------------------------------------------------------------
# what an attacker showed, refused quickly, cleanly and without allocating
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        ('extends = "baseline"\nhorizon = "9999Q4"\n', "horizon", "no later than 2060Q4"),
        (
            'extends = "baseline"\ndraws = 100000\nhorizon = "2200Q4"\n',
            "horizon",
            "no later than 2060Q4",
        ),
        (
            'extends = "baseline"\ndraws = 100000\nhorizon = "2060Q4"\n',
            "draws",
            "the limit is 8.0 GiB",
        ),
    ],
    ids=["horizon-9999", "100k-draws-to-2200", "100k-draws-to-2060"],
)
def test_oversized_scenarios_are_refused_fast_and_small(
    tmp_path: Path, text: str, field: str, expected: str
) -> None:
    if "8.0 GiB" in expected and DEFAULT_LIMIT != 8 * GIB:
        pytest.skip("the machine has less than 16 GiB; the default limit is half of it")
    write_scenario(tmp_path / "sc", "attack", text)
    code, peak, err, elapsed = parkcap_child(
        "run", "attack", "--scenarios", str(tmp_path / "sc"), "--lang", "en"
    )
    assert code == 2
    assert "Traceback" not in err
    # the field is named in quotes (plain in developers' text, typographic in people's)
    assert re.search(rf"field ['“]{field}['”]", err), err
    assert expected in err
    assert elapsed < 10
    assert peak < 500 * 2**20, f"peak memory {format_bytes(peak)}"


def test_the_refusal_names_estimate_size_and_limit(park, tmp_path: Path) -> None:
    write_scenario(tmp_path, "big", 'extends = "baseline"\ndraws = 100000\nhorizon = "2060Q4"\n')
    big = load_scenario("big", tmp_path, park=park)
    size = run_size(park, big)
    assert size["n_quarters"] == 147  # 2024Q2 .. 2060Q4
    need = format_bytes(estimate_bytes(**size))
    code, peak, err, _ = parkcap_child(
        "run", "big", "--scenarios", str(tmp_path), "--lang", "en", env={ENV_VAR: "8GiB"}
    )
    assert code == 2
    stages = len(park.stages)
    assert f"this run needs about {need} for 100,000 draws × 147 quarters × {stages} stages" in err
    assert "the limit is 8.0 GiB" in err
    assert "draws fit to this horizon" in err
    assert "use fewer draws or an earlier horizon, or raise PARKCAP_MEMORY_LIMIT" in err
    assert peak < 500 * 2**20


def test_100000_draws_to_2030_fit_the_default_budget_but_not_a_smaller_one(
    park, no_env_limit
) -> None:
    baseline = load_scenario("baseline", park=park)
    if DEFAULT_LIMIT != 8 * GIB:
        pytest.skip("the machine has less than 16 GiB; the default limit is half of it")
    need = check_simulation(park, baseline, draws=100_000)  # no error: it fits in 8 GiB
    assert 2 * GIB < need < 8 * GIB
    code, peak, err, elapsed = parkcap_child(
        "run", "baseline", "--draws", "100000", "--lang", "en", env={ENV_VAR: "2GiB"}
    )
    assert code == 2
    assert "Traceback" not in err
    stages = len(park.stages)
    expected = f"needs about {format_bytes(need)} for 100,000 draws × 27 quarters × {stages} stages"
    assert expected in err
    assert "the limit is 2.0 GiB" in err
    assert elapsed < 10
    assert peak < 500 * 2**20


def test_the_limit_comes_from_the_argument_then_the_environment(
    park, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline = load_scenario("baseline", park=park)
    monkeypatch.setenv(ENV_VAR, "100MB")
    assert memory_limit() == 100 * 10**6
    with pytest.raises(DataError) as exc:
        check_simulation(park, baseline, draws=10_000)
    assert "the limit is 95.4 MiB" in exc.value.problems[0].expected
    assert check_simulation(park, baseline, draws=10_000, limit="1GiB") > 0
    assert memory_limit(3 * GIB) == 3 * GIB
    monkeypatch.delenv(ENV_VAR)
    assert memory_limit() == DEFAULT_LIMIT


@pytest.mark.parametrize("bad", ["lots", "8 kg", "-1GiB", "0", "nan", "inf GiB", "8 GiBs", "1e400"])
def test_a_bad_limit_in_the_environment_is_a_problem(
    park, monkeypatch: pytest.MonkeyPatch, capsys, bad: str
) -> None:
    monkeypatch.setenv(ENV_VAR, bad)
    with pytest.raises(DataError) as exc:
        memory_limit()
    (p,) = exc.value.problems
    assert (p.file, p.field, p.value) == ("environment", ENV_VAR, bad)
    assert "such as 8GiB, 500MB" in p.expected
    code = main(["run", "baseline", "--draws", "5", "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2
    assert ENV_VAR in err
    assert "Traceback" not in err


def test_a_bad_limit_argument_is_a_problem() -> None:
    with pytest.raises(DataError) as exc:
        check_run(10, 10, 10, 1, limit="a lot")
    assert exc.value.problems[0].field == "limit"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8GiB", 8 * 2**30),
        ("8 gib", 8 * 2**30),
        ("500MB", 500 * 10**6),
        ("1.5 GB", 1_500_000_000),
        ("2e9", 2_000_000_000),
        ("4096", 4096),
        ("10 KiB", 10_240),
        (" 1 TiB ", 2**40),
        (123456, 123456),
    ],
)
def test_sizes_parse(text: str | int, expected: int) -> None:
    assert parse_size(text) == expected


def test_sizes_read_in_human_units() -> None:
    assert format_bytes(512) == "512 B"
    assert format_bytes(8 * GIB) == "8.0 GiB"
    assert format_bytes(14_660_000_000) == "13.7 GiB"
    assert format_bytes(1536 * 2**20) == "1.5 GiB"


# ---------------------------------------------------------------------------
# the estimate
# ---------------------------------------------------------------------------
def test_the_estimate_grows_linearly_with_draws_and_quarters() -> None:
    def e(n: int, t: int) -> int:
        return estimate_bytes(n, t, 26, 7, 4, n_lines=29)

    # beyond one chunk, each draw costs the same
    steps = [e(n + CHUNK, 27) - e(n, 27) for n in (CHUNK, 10 * CHUNK, 40 * CHUNK)]
    assert steps[0] == steps[1] == steps[2] > 0
    # each quarter costs the same
    steps = [e(50_000, t + 1) - e(50_000, t) for t in (27, 100, 700)]
    assert steps[0] == steps[1] == steps[2] > 0
    # ten times the draws: nearly ten times the memory (one chunk's temporaries are fixed)
    assert 8.5 < e(100_000, 27) / e(10_000, 27) < 10
    assert e(100_000, 2 * 27) / e(100_000, 27) == pytest.approx(2, rel=0.05)
    # monotone in every size
    base = dict(n_draws=1000, n_quarters=27, n_stages=26, n_projects=7, n_technologies=4)
    for key in base:
        bigger = {**base, key: base[key] * 2}
        assert estimate_bytes(**bigger) > estimate_bytes(**base)


def test_the_run_size_of_the_baseline(park) -> None:
    baseline = load_scenario("baseline", park=park)
    size = run_size(park, baseline, draws=10_000)
    assert size == {
        "n_draws": 10_000,
        "n_quarters": 27,  # 2024Q2 .. 2030Q4
        "n_stages": len(park.stages),
        "n_projects": len(park.projects),
        "n_technologies": 4,
        "n_lines": len(park.recipes),
    }
    to_2200 = quarters.parse_quarter("2200Q4") - quarters.parse_quarter("2024Q2") + 1
    big = estimate_bytes(**{**size, "n_draws": 100_000, "n_quarters": to_2200})
    # what the attacker asked for, were 2200Q4 allowed: about 117 GiB (the stage variables
    # are mostly float32), more than ten times the limit
    assert big > 10 * DEFAULT_LIMIT


def test_the_budget_knows_the_simulators_chunk_and_technologies() -> None:
    sim = importlib.import_module("model.simulate")
    assert sim.CHUNK == CHUNK
    assert sim.BLOCK == budget.BLOCK
    assert len(sim.PRODUCT_OF) == N_TECHNOLOGIES
    assert {dt.itemsize for dt in sim.RESULT_DTYPES.values()} <= set(budget.BYTES.values())


@pytest.mark.parametrize("draws", [1, 300])
def test_the_estimate_covers_the_result(park, draws: int, no_env_limit) -> None:
    from model.simulate import simulate

    baseline = load_scenario("baseline", park=park)
    ds = simulate(park, baseline, draws=draws, seed=1)
    size = run_size(park, baseline, draws=draws)
    assert (size["n_quarters"], size["n_stages"]) == (ds.sizes["quarter"], ds.sizes["stage"])
    assert size["n_projects"] >= ds.sizes["project"]
    assert ds.nbytes <= estimate_bytes(**size)
    # the budget counts the result's per-draw variables exactly as the Dataset holds them:
    # by their dimensions and the bytes of one value (float64, or float32 where stored so)
    counted: dict[tuple[tuple[str, ...], int], int] = {}
    for name, var in ds.data_vars.items():
        assert var.dtype in (np.float64, np.float32), name
        if "draw" in var.dims:
            assert var.dims[0] == "draw", name
            key = (var.dims[1:], var.dtype.itemsize)
            counted[key] = counted.get(key, 0) + 1
    assert counted == budget.RESULT_ARRAYS, "update RESULT_ARRAYS in model/budget.py"
    exact = {**size, "n_projects": ds.sizes["project"], "n_draws": draws}
    per_draw = sum(v.nbytes for v in ds.data_vars.values() if "draw" in v.dims)
    assert budget.estimate_parts(**exact)["results"] == per_draw


def test_the_estimate_bounds_the_peak_memory_of_a_run_and_its_summary() -> None:
    """Measured in a child process: simulate 10,000 draws of the baseline, summarise it."""
    code = (
        PEAK
        + """
import json
from model import load_park, load_scenario, simulate, summarize
from model.budget import check_simulation
park = load_park(); sc = load_scenario("baseline", park=park)
before = peak()
need = check_simulation(park, sc, draws=10000)
ds = simulate(park, sc, draws=10000, seed=1)
summary = summarize(ds)
after = peak()
print(json.dumps({"need": need, "grew": after - before}))
"""
    )
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    )
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["grew"] <= report["need"], report
    assert report["grew"] > report["need"] / 3, report  # and it is not a wild overestimate


def test_runs_that_cannot_start_are_left_to_the_simulator(park, mini_park) -> None:
    baseline = load_scenario("baseline", park=park)
    early = baseline.with_changes(horizon="2020Q4")
    assert run_size(park, early) is None  # the horizon is before the start
    assert check_simulation(park, baseline, draws=0) == 0  # simulate() says "1 or more"
    assert run_size(park, baseline, as_of=np.datetime64("2020-03-31").item())["n_quarters"] == 44


def test_a_known_as_of_date_starts_earlier_and_counts_more_quarters(park) -> None:
    baseline = load_scenario("baseline", park=park)
    first_recorded = min(r.recorded for r in park.capacity_records)
    latest = run_size(park, baseline)["n_quarters"]
    known = run_size(park, baseline, known_as_of=first_recorded)["n_quarters"]
    assert known >= latest


# ---------------------------------------------------------------------------
# horizons
# ---------------------------------------------------------------------------
def test_the_last_horizon_is_2060q4() -> None:
    assert MAX_HORIZON_YEAR == 2060
    assert quarters.label(LAST_QUARTER) == "2060Q4"
    assert Scenario.from_dict({"name": "x", "horizon": "2060Q4"}).horizon == "2060Q4"
    for late in ("2061Q1", "9999Q4", "2100-Q2"):
        with pytest.raises(DataError) as exc:
            Scenario.from_dict({"name": "x", "horizon": late})
        (p,) = exc.value.problems
        assert (p.field, p.value) == ("horizon", late)
        assert p.expected == "expected a quarter no later than 2060Q4"


@pytest.mark.parametrize(
    "argv",
    [
        ["gaps", "baseline", "--quarter", "2061Q1"],
        ["gaps", "baseline", "--quarter", "9999Q4"],
        ["run", "baseline", "--horizon", "9999Q4"],
        ["compare", "baseline", "lithium-led", "--quarter", "3000Q1"],
        ["quarterly", "--quarter", "9999Q4", "--out", "unused"],
        ["quarterly", "--quarter", "0000Q1", "--out", "unused"],
        ["export", "baseline", "--format", "csv", "--out", "unused.csv", "--horizon", "9999Q4"],
    ],
)
def test_quarters_on_the_command_line_are_bounded(capsys, argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([*argv, "--lang", "en"])  # the words are English; Chinese is the default
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert "no later than 2060Q4" in err or "no earlier than 1900Q1" in err
    assert "Traceback" not in err


def test_a_horizon_of_2060q4_on_the_command_line_is_sized_not_refused(capsys, no_env_limit) -> None:
    code = main(["run", "baseline", "--horizon", "2060Q4", "--draws", "3", "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 0
    assert "2060Q4" in out


# ---------------------------------------------------------------------------
# several runs against one budget
# ---------------------------------------------------------------------------
def test_draws_above_the_old_fixed_maximum_are_judged_by_the_budget(park) -> None:
    assert MAX_DRAWS == 10_000_000  # a sanity bound; the budget is the real limit
    baseline = load_scenario("baseline", park=park)
    assert Scenario.from_dict({"name": "x", "draws": 200_000}).draws == 200_000
    with pytest.raises(DataError):
        check_simulation(park, baseline, draws=200_000, limit="8GiB")
    assert check_simulation(park, baseline, draws=200_000, limit="16GiB") > 0


def test_a_command_that_keeps_several_results_sizes_them_together(capsys, monkeypatch) -> None:
    # one run of 20,000 draws (~1.0 GiB) fits in 1.5 GiB; two do not
    monkeypatch.setenv(ENV_VAR, "1.5GiB")
    code = main(["compare", "baseline", "lithium-led", "--draws", "20000", "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2
    assert "held by other runs" in err
    assert "scenario 'lithium-led'" in err


def test_reservations_share_one_budget_between_threads(park) -> None:
    baseline = load_scenario("baseline", park=park)
    one = run_size(park, baseline, draws=10_000)
    need = estimate_bytes(**one)
    limit = int(need * 1.5)
    assert budget.reserved_bytes() == 0
    with reserve(park, baseline, draws=10_000, limit=limit) as held:
        assert held == need == budget.reserved_bytes()
        refused: list[DataError] = []

        def second() -> None:
            try:
                with reserve(park, baseline, draws=10_000, limit=limit):
                    pass
            except DataError as exc:
                refused.append(exc)

        worker = threading.Thread(target=second)
        worker.start()
        worker.join()
        assert len(refused) == 1
        assert "held by other runs" in refused[0].problems[0].expected
        with reserve(park, baseline, draws=1_000, limit=limit):  # a small run still fits
            pass
    assert budget.reserved_bytes() == 0
    with reserve(park, baseline, draws=10_000, limit=limit):  # released: fits again
        pass
    assert budget.reserved_bytes() == 0


# ---------------------------------------------------------------------------
# streamed runs: the budget is per process (one chunk, one stage of the summaries)
# ---------------------------------------------------------------------------
def test_a_streamed_run_is_sized_by_one_chunk_and_one_stage(park) -> None:
    from model.budget import STAGE_SUMMARY_BYTES, estimate_streamed

    baseline = load_scenario("baseline", park=park).with_changes(horizon="2030Q4")
    small = estimate_streamed(**run_size(park, baseline, 10_000))
    big = estimate_streamed(**run_size(park, baseline, 1_000_000))
    assert big["chunk"] == small["chunk"]  # a worker holds one chunk however many draws
    n_quarters = run_size(park, baseline)["n_quarters"]
    assert big["stage"] == STAGE_SUMMARY_BYTES * 1_000_000 * n_quarters
    assert big["stage"] == 100 * small["stage"]
    # one chunk is what simulate() holds for 2,500 draws, twice over (arrays, compressed copy)
    one = estimate_bytes(**run_size(park, baseline, CHUNK))
    assert big["chunk"] == 2 * one


def test_a_million_draws_fit_streamed_where_they_do_not_fit_in_memory(park) -> None:
    from model.budget import check_streamed

    baseline = load_scenario("baseline", park=park).with_changes(horizon="2030Q4")
    with pytest.raises(DataError):
        check_simulation(park, baseline, draws=1_000_000, limit="2GiB")
    need = check_streamed(park, baseline, draws=1_000_000, limit="2GiB")
    assert 100 * 2**20 < need < 2 * GIB  # the larger part: one stage of every draw


def test_a_streamed_run_too_big_per_process_is_refused_with_the_most_that_fit(park) -> None:
    from model.budget import STAGE_SUMMARY_BYTES, check_streamed

    baseline = load_scenario("baseline", park=park).with_changes(horizon="2030Q4")
    n_quarters = run_size(park, baseline)["n_quarters"]
    with pytest.raises(DataError) as err:
        check_streamed(park, baseline, draws=3_000_000, limit="1GB")
    (problem,) = err.value.problems
    fits = 10**9 // (STAGE_SUMMARY_BYTES * n_quarters)
    assert 1_000_000 < fits < 3_000_000
    assert f"at most {fits:,} draws fit to this horizon" in problem.expected
    assert "the limit is 953.7 MiB" in problem.expected
    check_streamed(park, baseline, draws=fits, limit="1GB")  # the most that fit do fit
    with pytest.raises(DataError) as err:
        check_streamed(park, baseline, draws=1_000_000, limit="50MB")
    assert "one chunk of 2,500 draws" in err.value.problems[0].expected
