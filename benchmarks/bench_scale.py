"""Benchmark of streamed runs on Dask workers (:func:`model.scaleout.run_streamed`).

Run from the project root::

    .venv/bin/python benchmarks/bench_scale.py                  # 1,000,000 draws, 1 and 2 workers
    .venv/bin/python benchmarks/bench_scale.py --draws 50000    # quick mode
    .venv/bin/python benchmarks/bench_scale.py --workers 0,1,2  # 0: in this process, no cluster

Each configuration runs in a fresh child process (so peak memory is its own): ``baseline``
to ``--horizon`` (default 2030Q4) streamed to a NetCDF file in a temporary folder, with a
local Dask cluster of N worker processes started by the child. Printed per configuration:
wall time of :func:`~model.scaleout.run_streamed` (simulation, file and summaries), CPU
seconds of every process, peak resident memory of each process (``VmHWM``: the child and
every worker) against the 2 GB target, the file's size and its compression ratio. Then
the scaling efficiency ``t1 / (N * tN)`` of each N > 1 against one worker, and whether the
files of every configuration hold the same values (their summaries are compared bit for
bit; the full files with ``--compare-files``).

The machine may be shared: the load average before and after is printed, since wall times
on a busy machine say more about the neighbours than about the code. Exit status is 0
unless a peak exceeds the target with ``--strict``; this is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger("bench_scale")

#: Peak resident memory allowed per process (bytes).
PEAK_TARGET = 2 * 10**9


def peak_rss() -> int:
    """Peak resident set size of this process in bytes (``VmHWM`` of /proc/self/status)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def process_seconds() -> float:
    """CPU seconds (user + system) used by this process so far."""
    return time.process_time()


def child(draws: int, workers: int, horizon: str, folder: Path, seed: int) -> dict[str, Any]:
    """One configuration, in this (fresh) process; returns its figures."""
    import model
    from model.cluster import engine
    from model.scaleout import run_streamed

    park = model.load_park()
    scenario = model.load_scenario("baseline", park=park).with_changes(horizon=horizon)
    path = folder / f"w{workers}.nc"
    figures: dict[str, Any] = {"workers": workers, "draws": draws}
    if workers == 0:
        t0 = time.perf_counter()
        summary = run_streamed(park, scenario, draws, seed, path)
        figures["seconds"] = time.perf_counter() - t0
        peaks, cpu = [peak_rss()], process_seconds()
    else:
        with engine(workers=workers) as eng:
            address = eng.client.scheduler.address
            t0 = time.perf_counter()
            summary = run_streamed(park, scenario, draws, seed, path, scheduler=address)
            figures["seconds"] = time.perf_counter() - t0
            worker_peaks = eng.client.run(peak_rss)
            worker_cpu = eng.client.run(process_seconds)
        peaks = [peak_rss(), *worker_peaks.values()]
        cpu = process_seconds() + sum(worker_cpu.values())
    figures["peak_rss"] = peaks
    figures["cpu_seconds"] = cpu
    figures["file_bytes"] = path.stat().st_size
    sizes = summary.sizes
    figures["quarters"], figures["stages"] = sizes["quarter"], sizes["stage"]
    np.save(folder / f"w{workers}.npy", summary["p_short"].values)
    summary.to_netcdf(folder / f"w{workers}-summary.nc", engine="h5netcdf")
    return figures


def raw_bytes(path: Path) -> int:
    """Bytes of the per-draw variables of a draws file once decompressed."""
    import h5py

    total = 0
    with h5py.File(path, "r") as f:
        for name, dset in f.items():
            if isinstance(dset, h5py.Dataset) and dset.chunks and name != "draw":
                total += dset.size * dset.dtype.itemsize
    return total


def same_summaries(folder: Path, configs: list[int]) -> bool:
    """Whether the summaries of every configuration are equal, bit for bit (NaN = NaN)."""
    import xarray as xr

    first = xr.load_dataset(folder / f"w{configs[0]}-summary.nc", engine="h5netcdf")
    for w in configs[1:]:
        other = xr.load_dataset(folder / f"w{w}-summary.nc", engine="h5netcdf")
        for var in first.data_vars:
            if not np.array_equal(first[var].values, other[var].values, equal_nan=True):
                return False
    return True


def same_files(folder: Path, configs: list[int]) -> bool:
    """Whether the draws files hold the same values (read one variable and stage at a time)."""
    import h5py

    with h5py.File(folder / f"w{configs[0]}.nc", "r") as a:
        for w in configs[1:]:
            with h5py.File(folder / f"w{w}.nc", "r") as b:
                for name, dset in a.items():
                    if not isinstance(dset, h5py.Dataset) or not dset.chunks or name == "draw":
                        continue
                    step = dset.chunks[0] * 40
                    for start in range(0, dset.shape[0], step):
                        x, y = dset[start : start + step], b[name][start : start + step]
                        if not np.array_equal(x, y, equal_nan=x.dtype.kind == "f"):
                            return False
    return True


def gib(n: float) -> str:
    """Bytes as GiB with two decimals."""
    return f"{n / 2**30:.2f} GiB"


def main(argv: list[str] | None = None) -> int:
    """Run every configuration in a child process and print the figures."""
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--draws", type=int, default=1_000_000)
    p.add_argument("--horizon", default="2030Q4")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--workers", default="1,2", help="comma-separated; 0 = in this process")
    p.add_argument("--folder", default=None, help="where the files go (default: a temporary one)")
    p.add_argument("--compare-files", action="store_true", help="compare the files value by value")
    p.add_argument("--strict", action="store_true", help="exit 1 if a peak exceeds 2 GB")
    p.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.child is not None:
        figures = child(args.draws, args.child, args.horizon, Path(args.folder), args.seed)
        sys.stdout.write(json.dumps(figures) + "\n")
        return 0
    configs = [int(w) for w in args.workers.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        folder = Path(args.folder or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        logger.info(
            "baseline to %s, %s draws, seed %d; load average before: %s",
            args.horizon,
            f"{args.draws:,}",
            args.seed,
            " ".join(f"{x:.1f}" for x in os.getloadavg()),
        )
        results = {}
        for w in configs:
            cmd = [sys.executable, __file__, "--child", str(w), "--folder", str(folder)]
            cmd += ["--draws", str(args.draws), "--horizon", args.horizon]
            cmd += ["--seed", str(args.seed)]
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                logger.error("workers=%d failed:\n%s", w, proc.stderr[-3000:])
                return 1
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            results[w] = r
            raw = raw_bytes(folder / f"w{w}.nc")
            where = "in one process" if w == 0 else f"{w} worker(s)"
            logger.info(
                "%-16s wall %8.1f s  cpu %8.1f s  peak per process %s (max %s, target < %s)  "
                "file %s (%.1f:1 from %s)",
                where,
                r["seconds"],
                r["cpu_seconds"],
                ", ".join(gib(x) for x in r["peak_rss"]),
                gib(max(r["peak_rss"])),
                "2 GB",
                gib(r["file_bytes"]),
                raw / max(1, r["file_bytes"]),
                gib(raw),
            )
        if 1 in results:
            for w in configs:
                if w > 1:
                    eff = results[1]["seconds"] / (w * results[w]["seconds"])
                    logger.info(
                        "scaling efficiency 1 -> %d workers: t1 / (%d t%d) = %.2f", w, w, w, eff
                    )
        logger.info(
            "summaries identical across configurations: %s", same_summaries(folder, configs)
        )
        if args.compare_files:
            logger.info("files identical across configurations: %s", same_files(folder, configs))
        logger.info("load average after: %s", " ".join(f"{x:.1f}" for x in os.getloadavg()))
    over = [w for w, r in results.items() if max(r["peak_rss"]) >= PEAK_TARGET]
    if over:
        logger.info("FAIL: peak memory per process >= 2 GB with workers %s", over)
    else:
        logger.info("PASS: peak memory per process < 2 GB in every configuration")
    return 1 if (over and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
