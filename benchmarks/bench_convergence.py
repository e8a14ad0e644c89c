"""Convergence of the two samplers: draws and seconds to get the baseline's gaps within 1 %.

Run from the project root::

    .venv/bin/python benchmarks/bench_convergence.py            # about 5-10 minutes on 2 cores
    .venv/bin/python benchmarks/bench_convergence.py --reference-draws 200000 --seeds 2

What it measures, for ``baseline`` in 2030Q4 (``--scenario``, ``--quarter``):

* **Reference**: 1,000,000 Monte Carlo draws (``--reference-draws``; seed 999, a seed neither
  sampler below uses), computed chunk by chunk with :class:`model.simulate.Run` keeping only
  the quarter's (draw, stage) gaps and demands (about 0.2 GB instead of the full run's 20 GB).
  From it, every stage's supply-chain gap P10/P50/P90 and ``p_short`` (share of draws short,
  :func:`model.results.is_short`).
* **Error** of a run of ``n`` draws: the largest over stages and statistics. A percentile
  ``Pp``'s error is its distance to the reference's band [P(p − δ), P(p + δ)], δ = three
  standard errors of a proportion in the reference (``3·sqrt(p(1 − p)/N)``, 0.09 points for
  1,000,000 draws), divided by the stage's range (the reference's P1–P99 span of the gap;
  stages whose gap does not vary are skipped): a band rather than a point because some gaps
  have clusters (projects that complete or not) and a percentile that falls between two
  clusters is anywhere in the empty stretch between them (the storage cabinets' P90 in
  2030Q4: each of the two cabinet projects completes with probability 0.9, so 90 % of
  draws have at most Haide's missing). ``p_short`` is a difference of probabilities (the
  range of a probability is 0–1).
* **Draws needed**: the smallest power of two ``n`` (256 … ``--max-draws``) whose error is
  ≤ 1 % for every seed in ``--seeds`` (the first ``n`` draws of a run are a prefix of the
  larger run's, for both samplers, so each seed is simulated once, up to ``--max-draws``).
* **Seconds needed**: wall time of ``simulate()`` with that many draws (the whole run, every
  quarter and variable: what a user waits for), median of 3.

Exit status is 0: this is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import logging
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.park import load_park  # noqa: E402
from model.results import is_short  # noqa: E402
from model.scenario import load_scenario  # noqa: E402
from model.simulate import CHUNK, Run, simulate  # noqa: E402

logger = logging.getLogger("bench_convergence")
TOLERANCE = 0.01
REFERENCE_SEED = 999


def quarter_slice(
    run: Run, quarter: str, draws: int, seed: int, sampler: str
) -> tuple[np.ndarray, np.ndarray]:
    """The (draw, stage) gap and demand of ``quarter`` for ``draws`` draws, chunk by chunk.

    Returns
    -------
    tuple of numpy.ndarray
        ``gap`` and ``demand`` (float64, stage unit a year), each (draws, stages).
    """
    from model import quarters as q

    qi = int(np.flatnonzero(run.inp.quarters == q.parse_quarter(quarter))[0])
    gap = np.empty((draws, len(run.inp.stages)), np.float32)  # as the kernel stores them
    demand = np.empty_like(gap)
    for k in range(math.ceil(draws / CHUNK)):
        m = min(CHUNK, draws - k * CHUNK)
        res = run.chunk(seed, k, m, sampler=sampler)
        gap[k * CHUNK : k * CHUNK + m] = res["gap"][:, qi, :]
        demand[k * CHUNK : k * CHUNK + m] = res["demand"][:, qi, :]
        if k % 40 == 39:
            logger.info("%s seed %d: %d of %d draws", sampler, seed, k * CHUNK + m, draws)
    return gap, demand


PCTS = np.array([10.0, 50.0, 90.0])


def statistics_of(gap: np.ndarray, demand: np.ndarray) -> np.ndarray:
    """(4, stages): P10, P50, P90 of the gap and ``p_short``."""
    pct = np.percentile(gap, PCTS, axis=0)
    return np.vstack([pct, is_short(gap, demand).mean(axis=0)])


def reference_bands(gap: np.ndarray) -> np.ndarray:
    """(2, 3, stages): the reference's percentiles at p − δ and p + δ (see the module)."""
    p = PCTS / 100.0
    delta = 3.0 * np.sqrt(p * (1.0 - p) / len(gap)) * 100.0
    return np.stack(
        [np.percentile(gap, PCTS - delta, axis=0), np.percentile(gap, PCTS + delta, axis=0)]
    )


def error(stats: np.ndarray, ref: np.ndarray, band: np.ndarray, span: np.ndarray) -> float:
    """Largest error: percentiles as distance to the band relative to ``span``, ``p_short`` absolute."""
    varies = span > 0
    below = np.maximum(band[0] - stats[:3], 0.0)
    above = np.maximum(stats[:3] - band[1], 0.0)
    rel = (below + above)[:, varies] / span[varies]
    return float(max(rel.max(initial=0.0), np.abs(stats[3] - ref[3]).max()))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default="baseline")
    p.add_argument("--quarter", default="2030Q4")
    p.add_argument("--reference-draws", type=int, default=1_000_000)
    p.add_argument("--max-draws", type=int, default=2**17)
    p.add_argument("--seeds", type=int, default=3, help="seeds per sampler (1, 2, ...)")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)

    park = load_park()
    scenario = load_scenario(args.scenario, park=park)
    run = Run.prepare(park, scenario)
    t0 = time.perf_counter()
    ref_gap, ref_demand = quarter_slice(
        run, args.quarter, args.reference_draws, REFERENCE_SEED, "mc"
    )
    ref = statistics_of(ref_gap, ref_demand)
    p1, p99 = np.percentile(ref_gap, [1, 99], axis=0)
    span = p99 - p1
    band = reference_bands(ref_gap)
    del ref_gap, ref_demand
    print(
        f"reference: {args.reference_draws:,} Monte Carlo draws of {args.scenario} "
        f"{args.quarter}, {time.perf_counter() - t0:.0f} s; "
        f"{int((span > 0).sum())} stages whose gap varies"
    )
    sizes = [2**k for k in range(8, int(math.log2(args.max_draws)) + 1)]
    print(f"tolerance: {TOLERANCE:.0%} of each stage's P1-P99 range (p_short: 1 point)")
    print()
    print(
        f"{'draws':>8}  "
        + "  ".join(f"{s + ' error (max over seeds)':>28}" for s in ("mc", "sobol"))
    )
    errors: dict[str, dict[int, float]] = {"mc": {}, "sobol": {}}
    for sampler in ("mc", "sobol"):
        for seed in range(1, args.seeds + 1):
            gap, demand = quarter_slice(run, args.quarter, args.max_draws, seed, sampler)
            for n in sizes:
                e = error(statistics_of(gap[:n], demand[:n]), ref, band, span)
                errors[sampler][n] = max(errors[sampler].get(n, 0.0), e)
    for n in sizes:
        print(f"{n:>8,}  " + "  ".join(f"{errors[s][n]:>28.2%}" for s in ("mc", "sobol")))
    print()
    for sampler in ("mc", "sobol"):
        ok = [n for n in sizes if all(errors[sampler][m] <= TOLERANCE for m in sizes if m >= n)]
        if not ok:
            print(f"{sampler:>5}: not within {TOLERANCE:.0%} at {args.max_draws:,} draws")
            continue
        n = ok[0]
        times = []
        for _ in range(3):
            t = time.perf_counter()
            simulate(park, scenario, draws=n, seed=1, sampler=sampler)
            times.append(time.perf_counter() - t)
        print(
            f"{sampler:>5}: {n:,} draws needed, {statistics.median(times):.2f} s "
            f"(simulate(), every quarter; median of 3)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
