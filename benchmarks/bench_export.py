"""Benchmark of the full-draw NetCDF export: file size, time and peak memory.

Run from the project root::

    .venv/bin/python benchmarks/bench_export.py                 # 1,000 and 10,000 draws
    .venv/bin/python benchmarks/bench_export.py --draws 1000

For each number of draws, the three shipped scenarios are simulated in a fresh process
and exported with every draw (``summary=False``) in two ways:

``before``
    What the export did until the CF layout: all scenarios concatenated in memory
    (:func:`model.export.results.combine`), written by xarray without compression to a
    temporary file, read back as bytes and written to the target (``export_bytes`` +
    ``write_export``). Reproduced here so that the comparison can be rerun.
``after``
    :func:`model.export.write_cf_netcdf`: the CF layout written straight to a temporary file
    beside the target, scenario by scenario and block by block, with zlib compression, then
    renamed into place (what :func:`model.export.write_export_file` and the quarterly pack
    do).
``bytes``
    ``export_bytes(..., "netcdf")`` + ``write_export``: the same file built in a temporary
    folder and held as bytes before it is written (what the web app's download needs).

Memory is the peak-RSS increase during the export (``VmHWM`` after resetting it through
``/proc/self/clear_refs``), over the RSS of the simulated results themselves, which is
printed too. Linux only for the memory figures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DRAWS = (1_000, 10_000)
MODES = ("before", "after", "bytes")


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> int:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _status_kib("VmRSS")


def _legacy_export(results: dict, path: Path) -> None:
    """The export as it was: concatenate, write uncompressed, read back, write again."""
    from model.datafiles import atomic_write_bytes
    from model.export.results import combine

    ds = combine(results)
    with tempfile.TemporaryDirectory(prefix="parkcap-nc-") as tmp:
        scratch = Path(tmp) / "export.nc"
        ds.to_netcdf(scratch, engine="h5netcdf")
        data = scratch.read_bytes()
    atomic_write_bytes(path, data)


def child(mode: str, draws: int) -> dict[str, float]:
    """Simulate the shipped scenarios and export them once; the figures as a dict."""
    from model.export import run_scenarios
    from model.park import load_park
    from model.scenario import SHIPPED, load_scenario

    park = load_park()
    scenarios = [load_scenario(n, park=park) for n in SHIPPED]
    results = run_scenarios(park, scenarios, draws=draws, seed=1)
    held = sum(ds.nbytes for ds in results.values())
    with tempfile.TemporaryDirectory(prefix="parkcap-bench-") as tmp:
        path = Path(tmp) / "export.nc"
        before = _reset_peak()
        t0 = time.perf_counter()
        if mode == "before":
            _legacy_export(results, path)
        elif mode == "bytes":
            from model.export import export_bytes, write_export

            write_export(export_bytes(park, results, scenarios, "netcdf"), path)
        else:
            from model.export import write_cf_netcdf

            write_cf_netcdf(results, path)
        seconds = time.perf_counter() - t0
        peak = _status_kib("VmHWM")
        size = path.stat().st_size
    return {
        "draws": draws,
        "results_bytes": held,
        "rss_before_kib": before,
        "peak_increase_bytes": (peak - before) * 1024.0,
        "file_bytes": size,
        "seconds": seconds,
    }


def mib(n: float) -> str:
    """Bytes as MiB."""
    return f"{n / 2**20:,.1f} MiB"


def main() -> int:
    """Run each mode and draw count in a fresh process and print one line each."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, nargs="*", default=list(DRAWS))
    ap.add_argument("--modes", nargs="*", default=["before", "after"], choices=MODES)
    ap.add_argument("--child", choices=MODES, help="internal: one measurement in this process")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.draws[0])))
        return 0
    print(
        "full-draw NetCDF export of the three shipped scenarios (baseline, lithium-led, sodium-flow)"
    )
    for draws in args.draws:
        for mode in args.modes:
            proc = subprocess.run(
                [sys.executable, __file__, "--child", mode, "--draws", str(draws)],
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, "PYTHONWARNINGS": "ignore"},
            )
            if proc.returncode:
                print(f"{mode:6} {draws:>6,} draws: failed\n{proc.stderr[-2000:]}")
                continue
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            print(
                f"{mode:6} {draws:>6,} draws: file {mib(r['file_bytes']):>11}, "
                f"export peak +{mib(r['peak_increase_bytes']):>11} over the results' "
                f"{mib(r['results_bytes'])} (RSS before export {mib(r['rss_before_kib'] * 1024)}), "
                f"{r['seconds']:.1f} s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
