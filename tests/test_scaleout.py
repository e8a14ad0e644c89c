"""Streamed runs: the same values in one process and on any number of Dask workers.

A run streamed to a file (:func:`model.scaleout.run_streamed`) must hold exactly what
:func:`model.simulate.simulate` returns, summarise exactly as
:func:`model.results.summarize` does, keep memory to about one chunk per process, and fail
with one clear sentence when a cluster cannot be reached.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import h5py
import numpy as np
import pytest
import xarray as xr

import model
from model.budget import ENV_VAR, estimate_bytes, run_size
from model.cli import main
from model.cluster import CONNECT_TIMEOUT, engine
from model.drawfile import LEVEL
from model.results import summarize
from model.scaleout import run_streamed
from model.simulate import CHUNK

#: A short horizon keeps every run here small (2024Q2 .. 2025Q4: 7 quarters).
HORIZON = "2025Q4"
#: Three chunks, the last one short.
DRAWS = 2 * CHUNK + 17


@pytest.fixture(scope="module")
def scenario(park):
    return model.load_scenario("baseline", park=park).with_changes(horizon=HORIZON)


@pytest.fixture(scope="module")
def full(park, scenario) -> xr.Dataset:
    return model.simulate(park, scenario, draws=DRAWS, seed=7)


@pytest.fixture(scope="module")
def threads_cluster():
    """A local cluster of two workers in this process (threads: quick to start)."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        yield cluster.scheduler_address


def assert_same_draws(path: Path, full: xr.Dataset) -> None:
    with xr.open_dataset(path, engine="h5netcdf") as back:
        assert set(back.data_vars) == set(full.data_vars)
        for var in full.data_vars:
            assert back[var].dtype == full[var].dtype, var
            assert np.array_equal(back[var].values, full[var].values, equal_nan=True), var
        for name in full.coords:
            assert np.array_equal(back[name].values, full[name].values), name
        assert back.attrs["draws"] == DRAWS
        assert back.attrs["seed"] == 7


def assert_same_summary(summary: xr.Dataset, full: xr.Dataset) -> None:
    expected = summarize(full)
    assert set(summary.data_vars) == set(expected.data_vars)
    for var in expected.data_vars:
        assert summary[var].dims == expected[var].dims, var
        assert np.array_equal(summary[var].values, expected[var].values, equal_nan=True), var
    assert list(summary["stat"].values) == list(expected["stat"].values)


def test_in_process_stream_is_simulate_bit_for_bit(park, scenario, full, tmp_path) -> None:
    done: list[int] = []
    summary = run_streamed(
        park, scenario, DRAWS, 7, tmp_path / "a.nc", progress=lambda d, n: done.append(d)
    )
    assert done == [CHUNK, 2 * CHUNK, DRAWS]  # one call per chunk written
    assert_same_draws(tmp_path / "a.nc", full)
    assert_same_summary(summary, full)
    assert list(tmp_path.iterdir()) == [tmp_path / "a.nc"]  # no temporary file left


def test_two_workers_give_the_same_file_and_summaries(
    park, scenario, full, tmp_path, threads_cluster
) -> None:
    summary = run_streamed(park, scenario, DRAWS, 7, tmp_path / "b.nc", scheduler=threads_cluster)
    assert_same_draws(tmp_path / "b.nc", full)
    assert_same_summary(summary, full)


def test_another_seed_gives_other_draws(park, scenario, full, tmp_path) -> None:
    run_streamed(park, scenario, CHUNK + 1, 8, tmp_path / "c.nc")
    with xr.open_dataset(tmp_path / "c.nc", engine="h5netcdf") as back:
        other = back["utilisation"].values
    assert not np.array_equal(other, full["utilisation"].values[: CHUNK + 1])


def test_the_file_is_chunked_by_stage_and_compressed(park, scenario, full, tmp_path) -> None:
    path = tmp_path / "d.nc"
    run_streamed(park, scenario, DRAWS, 7, path, variables=("nameplate",))
    n_quarters = full.sizes["quarter"]
    raw = 0
    with h5py.File(path, "r") as f:
        gap = f["gap"]
        assert gap.chunks == (CHUNK, n_quarters, 1)
        assert gap.compression == "gzip"
        assert gap.compression_opts == LEVEL
        assert gap.shuffle
        assert f["utilisation"].chunks == (CHUNK, full.sizes["stage"])
        raw = sum(f[v].size * f[v].dtype.itemsize for v in full.data_vars)
    # draws of one stage are alike: deflate keeps well under half of the raw bytes
    assert path.stat().st_size < raw / 2


def test_the_sobol_sampler_streams_as_it_simulates(park, scenario, tmp_path) -> None:
    expected = model.simulate(park, scenario, draws=CHUNK + 3, seed=5, sampler="sobol")
    run_streamed(park, scenario, CHUNK + 3, 5, tmp_path / "s.nc", sampler="sobol")
    with xr.open_dataset(tmp_path / "s.nc", engine="h5netcdf") as back:
        assert back.attrs["sampler"] == "sobol"
        assert np.array_equal(back["gap"].values, expected["gap"].values, equal_nan=True)
        mc = model.simulate(park, scenario, draws=CHUNK + 3, seed=5)
        assert not np.array_equal(back["gap"].values, mc["gap"].values, equal_nan=True)


def test_one_draw_is_the_central_path(park, scenario, tmp_path) -> None:
    summary = run_streamed(park, scenario, 1, 7, tmp_path / "one.nc")
    central = model.simulate(park, scenario, draws=1, seed=7)
    assert np.array_equal(
        summary["nameplate"].sel(stat="mean").values,
        central["nameplate"].isel(draw=0).values,
    )


def test_an_interrupted_run_leaves_no_file(park, scenario, tmp_path) -> None:
    old = tmp_path / "keep.nc"
    old.write_bytes(b"an older result")

    def stop(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_streamed(park, scenario, DRAWS, 7, old, progress=stop)
    assert old.read_bytes() == b"an older result"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.nc"]


def test_memory_stays_about_one_chunk_for_ten_chunks(park, scenario, tmp_path) -> None:
    draws = 10 * CHUNK
    size = run_size(park, scenario, draws)
    whole = estimate_bytes(**size)  # what simulate() would hold
    one_chunk = estimate_bytes(**{**size, "n_draws": CHUNK})
    run_streamed(park, scenario, CHUNK + 1, 7, tmp_path / "warm.nc")  # imports, caches
    tracemalloc.start()
    try:
        run_streamed(park, scenario, draws, 7, tmp_path / "ten.nc")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * one_chunk, f"peak {peak:,} B, one chunk {one_chunk:,} B"
    assert peak < whole / 4, f"peak {peak:,} B, the whole run {whole:,} B"


def test_engine_runs_every_call_once_with_few_in_flight(threads_cluster) -> None:
    with engine(scheduler=threads_cluster) as eng:
        assert eng.workers == 2
        got = dict(eng.imap(pow, ((k, 2) for k in range(9)), in_flight=2))
    assert got == {k: k * k for k in range(9)}
    with engine() as here:
        assert list(here.imap(pow, [(3, 2), (2, 3)])) == [(0, 9), (1, 8)]


# ---------------------------------------------------------------------------
# the command line
# ---------------------------------------------------------------------------
def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_workers_write_the_values_of_a_run_without_them(capsys, tmp_path) -> None:
    common = ["run", "baseline", "--draws", str(CHUNK + 40), "--seed", "7", "--lang", "en"]
    common += ["--horizon", HORIZON]
    code, out, err = cli(capsys, *common, "--workers", "2", "--out", str(tmp_path / "w.nc"))
    assert code == 0, err
    assert f"{CHUNK + 40} draws" in out
    code, _, err = cli(capsys, *common, "--out", str(tmp_path / "plain.nc"))
    assert code == 0, err
    with (
        xr.open_dataset(tmp_path / "w.nc", engine="h5netcdf") as a,
        xr.open_dataset(tmp_path / "plain.nc", engine="h5netcdf") as b,
    ):
        for var in a.data_vars:
            assert np.array_equal(a[var].values, b[var].values, equal_nan=True), var
    code, with_workers, _ = cli(capsys, *common, "--workers", "1")
    assert code == 0
    code, in_memory, _ = cli(capsys, *common)
    assert code == 0
    assert with_workers == in_memory  # the same table, printed from the streamed summaries


def test_an_unreachable_scheduler_is_one_sentence_and_exit_2(capsys) -> None:
    started = time.perf_counter()
    code, out, err = cli(
        capsys, "run", "baseline", "--draws", "20", "--scheduler", "tcp://127.0.0.1:9"
    )
    elapsed = time.perf_counter() - started
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert "--scheduler" in err
    assert "tcp://127.0.0.1:9" in err
    assert f"{CONNECT_TIMEOUT} 秒内未能连上 Dask 调度器" in err
    assert elapsed < CONNECT_TIMEOUT + 20


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--workers", "0"], "expected 1 or more"),
        (["--workers", "many"], "is not a whole number"),
        (["--workers", "100000"], "expected at most 256 worker processes"),
        (["--scheduler", "no port"], "expected a Dask scheduler address"),
        (["--workers", "2", "--scheduler", "tcp://h:8786"], "not allowed with argument"),
    ],
)
def test_bad_scale_out_options_exit_2(capsys, argv: list[str], expected: str) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["run", "baseline", "--draws", "20", *argv, "--lang", "en"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err


def test_a_run_too_big_for_memory_suggests_streaming(capsys, monkeypatch) -> None:
    monkeypatch.setenv(ENV_VAR, "1GiB")
    code, _, err = cli(capsys, "run", "baseline", "--draws", "100000", "--lang", "en")
    assert code == 2
    assert "stream the draws to a file: --out FILE.nc" in err
