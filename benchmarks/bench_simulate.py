"""Benchmark of the Monte Carlo simulator (:func:`model.simulate.simulate`), with flodym as a peer.

Run from the project root (this is what ``make bench`` does)::

    .venv/bin/python benchmarks/bench_simulate.py
    .venv/bin/python benchmarks/bench_simulate.py --strict   # exit 1 if a target is missed
    # the same benchmark of another version of the simulator (before/after, same conditions):
    git show HEAD:model/simulate.py > /tmp/simulate_before.py
    .venv/bin/python benchmarks/bench_simulate.py --simulator /tmp/simulate_before.py

Targets (one PASS/FAIL line each; the machine may be shared, so compare figures of one run):

1. ``baseline`` through 2030Q4 with 10,000 draws: wall time of the whole ``simulate()`` call
   (prepare + kernel + Dataset) <= 0.3 s, median of 7 runs after a warm-up (best printed
   too); each run is followed by a deep copy of its result (``ds.copy(deep=True)``: the
   cost of allocating and writing the result's bytes once), and the ratio of the median
   ``simulate`` time to the median copy time must be <= 4. The result's size is printed by
   dtype. Peak memory < 1 GB, judged on the peak-RSS increase during the ``simulate``
   call (``VmHWM``; see :func:`rss_peak` for why not ``ru_maxrss``) measured in a fresh
   subprocess (``--child-memory rss``); tracemalloc's peak is measured in another fresh
   subprocess (``--child-memory tracemalloc``) and printed for information.
2. 1,000 draws (the dashboard's what-if): p95 of 50 runs <= 30 ms (median printed too).
3. The capacity-stock computation in flodym's inflow-driven dynamic stock model, side by side
   in this process: the two results must agree (max abs difference printed), and the
   ``parkcap / flodym time ratio`` is printed. The ramp share r(tau) reached tau quarters
   after entry is 1 - S(tau) for a survival function S, so capacity added = cumulative
   inflow - stock of an ``InflowDrivenDSM`` with S = 1 - ramp. ``FixedLifetime`` with
   ``inflow_at="start"`` reproduces parkcap's discrete ramps exactly: a single one
   (mean 1 quarter) for the ``instant`` ramp, and a mixture of ``q`` of them (means
   1..q quarters, inflow split by the ramp's increments over a ramp-component dimension)
   for a fixed ``q``-quarter ``s_curve``. A single ``NormalLifetime`` matched to the
   S-curve (mean q/2, sd q/sqrt(20): the S-curve is a scaled Beta(2, 2) CDF) is shown as
   the closest single-distribution approximation, for information only.

Exit status is 0 unless ``--strict`` is given: this is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import math
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from importlib.metadata import version
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from model.park import Park, load_park
from model.scenario import Scenario, load_scenario
from model.simulate import Inputs, _ramp, prepare

DRAWS_FULL = 10_000
DRAWS_WHATIF = 1_000
RUNS_FULL = 7
RUNS_WHATIF = 50
TARGET_FULL_S = 0.300  # median of RUNS_FULL
TARGET_COPY_RATIO = 4.0  # median simulate time / median deep-copy time of its result
TARGET_MEMORY_BYTES = 1e9  # 1 GB
TARGET_WHATIF_S = 0.030  # p95 of RUNS_WHATIF
FLODYM_MAX_BYTES = 3e9  # skip a flodym run whose cohort arrays would exceed this
FLODYM_MAX_S = 30.0  # ... or that would take longer than this
FIXED_RAMP_Q = 4  # quarters, the middle of the baseline's 2-6
N_COHORT_ARRAYS = 4  # flodym keeps sf, pdf, stock by cohort and outflow by cohort (T x T x ...)

results: list[tuple[str, bool]] = []
#: The simulator module under test: ``model.simulate``, or the file given with --simulator.
SIMULATOR: ModuleType = importlib.import_module("model.simulate")
SIMULATOR_FILE: str | None = None


def load_simulator(path: str) -> ModuleType:
    """A version of ``model/simulate.py`` saved elsewhere, loaded as a module."""
    spec = importlib.util.spec_from_file_location("simulate_under_test", path)
    if spec is None or spec.loader is None:
        msg = f"cannot load a simulator from {path}"
        raise SystemExit(msg)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def simulate(*args: Any, **kwargs: Any) -> Any:
    """``simulate`` of the simulator under test (:data:`SIMULATOR`)."""
    return SIMULATOR.simulate(*args, **kwargs)


def verdict(name: str, ok: bool, detail: str) -> None:
    """Print and record one PASS/FAIL line."""
    results.append((name, ok))
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")


def mib(n_bytes: float) -> str:
    """Bytes as a MiB string."""
    return f"{n_bytes / 2**20:,.0f} MiB"


def ms(seconds: float) -> str:
    """Seconds as a millisecond string."""
    return f"{seconds * 1e3:,.1f} ms"


def load(changes: dict[str, Any] | None = None) -> tuple[Park, Scenario]:
    """The park and the shipped ``baseline`` scenario, optionally with dotted-path changes."""
    park = load_park()
    scenario = load_scenario("baseline", park=park)
    if changes:
        scenario = scenario.with_changes(**changes)
    return park, scenario


def repeat(fn: Callable[[], object], runs: int, warmup: int = 1) -> np.ndarray:
    """Wall times (s) of ``runs`` calls of ``fn`` after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return np.array(times)


# ---------------------------------------------------------------------------
# memory, in a fresh process
# ---------------------------------------------------------------------------
def _status_kib(field: str) -> int | None:
    """A ``Vm...`` field of ``/proc/self/status`` in KiB (Linux), or None."""
    status = Path("/proc/self/status")
    if not status.exists():
        return None
    for line in status.read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return None


def rss_start() -> int:
    """Start a peak-RSS measurement: reset the high-water mark, return the RSS now (KiB).

    On Linux, writing ``5`` to ``/proc/self/clear_refs`` resets ``VmHWM`` to the current RSS,
    so the increase measured ignores earlier peaks in this process (the set-up's). Elsewhere
    it falls back to ``ru_maxrss`` before the call.
    """
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    now = _status_kib("VmRSS")
    return now if now is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def rss_peak() -> int:
    """This process's peak RSS in KiB: ``VmHWM`` on Linux, else ``ru_maxrss``.

    ``getrusage(RUSAGE_SELF).ru_maxrss`` is not usable in a child: Linux carries the parent's
    high-water mark over fork + exec into the child's ``ru_maxrss``, so after the parent has
    run 10,000 draws the child's ``ru_maxrss`` never rises. ``VmHWM`` belongs to the child's
    own address space.
    """
    peak = _status_kib("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child_memory(kind: str, draws: int) -> dict[str, float]:
    """Run in a fresh process: peak memory of one computation, printed as JSON by ``main``.

    ``kind`` is ``rss`` or ``tracemalloc`` (one ``simulate`` call of ``baseline``), or
    ``flodym-instant`` (one flodym stock computation, peak RSS increase).
    """
    park, scenario = load(ramp_case("instant", 1).changes if kind == "flodym-instant" else None)
    simulate(park, scenario, draws=2)  # imports and lazy initialisation are not counted
    if kind == "flodym-instant":
        ds = simulate(park, scenario, draws=draws)
        inp = prepare(park, scenario)
        pd_ = ProjectDraws.from_dataset(ds)
        del ds
        before = rss_start()
        flodym_added(inp, pd_, ramp_case("instant", 1))
        after = rss_peak()
        return {"rss_increase_bytes": (after - before) * 1024.0}
    if kind == "rss":
        before = rss_start()
        simulate(park, scenario, draws=draws)
        after = rss_peak()
        return {"rss_increase_bytes": (after - before) * 1024.0}
    tracemalloc.start()
    simulate(park, scenario, draws=draws)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"tracemalloc_peak_bytes": float(peak)}


def in_child(kind: str, draws: int) -> dict[str, float]:
    """Run :func:`child_memory` in a fresh interpreter and return its figures."""
    extra = ["--simulator", SIMULATOR_FILE] if SIMULATOR_FILE else []
    out = subprocess.run(
        [sys.executable, __file__, "--child-memory", kind, "--draws", str(draws), *extra],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------
# the capacity-stock computation, both ways
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ProjectDraws:
    """Per draw and project: completes (0/1) and first quarter of output; stage per project."""

    complete: np.ndarray  # (n, P) float
    start: np.ndarray  # (n, P) quarter index (whole numbers)
    stage: np.ndarray  # (P,) stage index

    @classmethod
    def from_dataset(cls, ds: Any) -> ProjectDraws:
        """Take the draws from a ``simulate`` Dataset."""
        stage_of = {s: i for i, s in enumerate(ds["stage"].values.tolist())}
        return cls(
            complete=np.ascontiguousarray(ds["project_completes"].values),
            start=np.ascontiguousarray(ds["project_start"].values),
            stage=np.array([stage_of[s] for s in ds["project_stage"].values.tolist()]),
        )


@dataclass(frozen=True)
class RampCase:
    """A parkcap ramp-up with fixed length, and its exact flodym equivalent."""

    shape: str
    q: int  # ramp quarters (fixed: the scenario's range is [q, q])
    weights: np.ndarray  # (K,) share of nameplate first reached 0..K-1 quarters after entry

    @property
    def changes(self) -> dict[str, Any]:
        """The scenario changes that make parkcap use this ramp."""
        return {"ramp_up.shape": self.shape, "ramp_up.quarters": [self.q, self.q]}


def ramp_case(shape: str, q: int) -> RampCase:
    """parkcap's ramp r(tau), tau = 0..q-1, as increments: the weights of a mixture of
    ``FixedLifetime``s with means 1..K (``inflow_at="start"``: a cohort of lifetime m is in
    the stock for tau = 0..m-2, so it counts as ramped from tau = m-1 on)."""
    k = 1 if shape == "instant" else q
    r = _ramp(np.arange(k, dtype=float), np.float64(q), shape)
    if not math.isclose(r[-1], 1.0):
        msg = f"ramp {shape}/{q} does not reach 1 after {k} quarters"
        raise ValueError(msg)
    return RampCase(shape, q, np.diff(np.concatenate([[0.0], r])))


def parkcap_added(inp: Inputs, draws: ProjectDraws, case: RampCase) -> np.ndarray:
    """Nameplate added by the production lines, (n, T, S), in one expression.

    The kernel's ramp (:func:`model.simulate._ramp`) and one einsum over (draw, project,
    quarter); the kernel sums the same terms stage by stage, and ``simulate``'s nameplate
    minus the base is checked against this below.
    """
    n, P = draws.start.shape
    ramp_q = np.full((n, P), float(case.q))
    t = inp.quarters[None, None, :] - draws.start[:, :, None]  # (n, P, T)
    frac = _ramp(t, ramp_q[:, :, None], case.shape)
    onehot = np.zeros((P, len(inp.stages)))
    onehot[np.arange(P), draws.stage] = 1.0
    # production lines only: an installation adds to the installed stock, not to nameplate
    line_capacity = inp.p_capacity * (inp.p_build == 0)
    return np.einsum("npt,np,ps->nts", frac, draws.complete * line_capacity, onehot)


@dataclass
class FlodymRun:
    """Result of one flodym computation."""

    added: np.ndarray  # (T, n, S_used)
    stages: np.ndarray  # (S_used,) stage indices
    compute_s: float  # time in InflowDrivenDSM.compute() alone


def flodym_added(
    inp: Inputs, draws: ProjectDraws, case: RampCase, lifetime: str = "fixed"
) -> FlodymRun:
    """Nameplate added, (T, n, S_used), from an inflow-driven DSM over (time, draw, stage
    [, ramp component]) for the stages that receive projects.

    Inflow: for each draw and stage, the nameplate of the projects that complete, entering
    in their start quarter. Added = cumulative inflow - stock. ``lifetime="normal"``: one
    ``NormalLifetime`` matched to the S-curve instead of the exact mixture.
    """
    import flodym as fd

    n, P = draws.start.shape
    used = np.unique(draws.stage)
    col = np.searchsorted(used, draws.stage)  # (P,)
    start = draws.start.astype(np.int64)
    q0, qh = int(inp.quarters[0]), int(inp.quarters[-1])
    lo = min(q0, int(start[draws.complete > 0].min(initial=q0)))  # trial projects start early
    times = list(range(lo, qh + 1))
    T = len(times)
    ti = start - lo
    keep = (ti < T) & (draws.complete > 0)
    d_idx, p_idx = np.nonzero(keep)
    inflow = np.zeros((T, n, len(used)))
    np.add.at(
        inflow,
        (ti[d_idx, p_idx], d_idx, col[p_idx]),
        draws.complete[d_idx, p_idx] * (inp.p_capacity * (inp.p_build == 0))[p_idx],
    )
    dim_list = [
        fd.Dimension(name="time", letter="t", items=times),
        fd.Dimension(name="draw", letter="d", items=list(range(n))),
        fd.Dimension(name="stage", letter="s", items=[inp.stages[i] for i in used]),
    ]
    K = len(case.weights)
    if lifetime == "normal":
        lt_cls: Any = fd.NormalLifetime
        lt_kwargs: dict[str, Any] = {"mean": case.q / 2.0, "std": case.q / math.sqrt(20.0)}
    elif K == 1:
        lt_cls, lt_kwargs = fd.FixedLifetime, {"mean": 1.0}
    else:  # mixture over a ramp-component dimension
        dim_list.append(
            fd.Dimension(name="ramp_component", letter="k", items=list(range(1, K + 1)))
        )
        inflow = inflow[..., None] * case.weights
        lt_cls, lt_kwargs = fd.FixedLifetime, {"mean": np.arange(1.0, K + 1.0)}
    dims = fd.DimensionSet(dim_list=dim_list)
    dsm = fd.InflowDrivenDSM(
        dims=dims,
        lifetime_model=lt_cls(dims=dims, inflow_at="start", **lt_kwargs),
        inflow=fd.StockArray(dims=dims, values=inflow),
    )
    t0 = time.perf_counter()
    dsm.compute()
    compute_s = time.perf_counter() - t0
    added = np.cumsum(inflow, axis=0) - dsm.stock.values
    if added.ndim == 4:
        added = added.sum(axis=3)
    return FlodymRun(added[T - len(inp.quarters) :], used, compute_s)


def flodym_bytes(inp: Inputs, draws: ProjectDraws, case: RampCase) -> float:
    """Estimated size of flodym's cohort arrays (time x time x draw x stage [x component])."""
    T = len(inp.quarters)
    n = draws.start.shape[0]
    return N_COHORT_ARRAYS * 8.0 * T * T * n * len(np.unique(draws.stage)) * len(case.weights)


# ---------------------------------------------------------------------------
# the benchmark
# ---------------------------------------------------------------------------
def copy_arrays(ds: Any) -> list[np.ndarray]:
    """A copy of every numpy array of a Dataset (data variables and coordinates)."""
    return [np.array(v.values, copy=True) for v in ds.variables.values()]


def bytes_by_dtype(ds: Any) -> str:
    """The Dataset's data variables' bytes by dtype, e.g. ``float32 212 MiB, float64 142 MiB``."""
    sizes: dict[str, int] = {}
    for v in ds.data_vars.values():
        sizes[str(v.dtype)] = sizes.get(str(v.dtype), 0) + v.nbytes
    return ", ".join(f"{k} {mib(b)}" for k, b in sorted(sizes.items()))


def bench_simulate() -> None:
    """Targets 1 and 2: ``simulate`` on the shipped baseline."""
    park, scenario = load()
    inp = prepare(park, scenario)
    T, S, P = len(inp.quarters), len(inp.stages), len(inp.projects)
    print(
        f"baseline through {scenario.horizon}: {T} quarters x {S} stages x {P} projects; "
        f"ramp {scenario.ramp_up.shape} {list(scenario.ramp_up.quarters)} quarters"
    )
    print(f"simulator: {SIMULATOR_FILE or SIMULATOR.__file__}")
    print("timings: the whole simulate() call (prepare + kernel + Dataset)")

    print(f"\n[1] {DRAWS_FULL:,} draws")
    simulate(park, scenario, draws=DRAWS_FULL)  # warm-up
    sim_t, copy_t, arrays_t = [], [], []
    ds = None
    for _ in range(RUNS_FULL):
        del ds  # the previous result is freed before the next run, as in a loop of runs
        t0 = time.perf_counter()
        ds = simulate(park, scenario, draws=DRAWS_FULL)
        sim_t.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        copied = ds.copy(deep=True)
        copy_t.append(time.perf_counter() - t0)
        del copied
        t0 = time.perf_counter()
        copied = copy_arrays(ds)
        arrays_t.append(time.perf_counter() - t0)
        del copied
    t, c, a = np.array(sim_t), np.array(copy_t), np.array(arrays_t)
    med, med_copy = float(np.median(t)), float(np.median(c))
    print(f"  wall time: best {ms(t.min())}, median {ms(med)} ({RUNS_FULL} runs after 1 warm-up)")
    verdict(
        f"{DRAWS_FULL:,} draws wall time",
        med <= TARGET_FULL_S,
        f"median {ms(med)} <= {ms(TARGET_FULL_S)}",
    )
    assert ds is not None
    print(f"  result: {mib(ds.nbytes)} ({bytes_by_dtype(ds)}); {len(ds.data_vars)} variables")
    print(
        f"  deep copy of the result (ds.copy(deep=True)): median {ms(med_copy)}, "
        f"best {ms(c.min())}; copy of its numpy arrays: median {ms(float(np.median(a)))}"
    )
    ratio = med / med_copy
    print(f"  simulate / deep copy time ratio: {ratio:.2f} (medians of the same {RUNS_FULL} runs)")
    verdict(
        f"{DRAWS_FULL:,} draws time / deep copy of the result",
        ratio <= TARGET_COPY_RATIO,
        f"ratio {ratio:.2f} <= {TARGET_COPY_RATIO:g}",
    )
    del ds

    rss = in_child("rss", DRAWS_FULL)["rss_increase_bytes"]
    tm = in_child("tracemalloc", DRAWS_FULL)["tracemalloc_peak_bytes"]
    print(
        f"  peak memory (fresh subprocess each): RSS increase {mib(rss)}, "
        f"tracemalloc peak {mib(tm)}"
    )
    verdict(
        f"{DRAWS_FULL:,} draws peak memory",
        rss < TARGET_MEMORY_BYTES,
        f"peak-RSS increase {rss / 1e9:.2f} GB < 1 GB",
    )

    print(f"\n[2] {DRAWS_WHATIF:,} draws (dashboard what-if)")
    t = repeat(lambda: simulate(park, scenario, draws=DRAWS_WHATIF), runs=RUNS_WHATIF)
    med, p95 = float(np.median(t)), float(np.percentile(t, 95))
    print(f"  wall time: median {ms(med)}, p95 {ms(p95)}, best {ms(t.min())} ({RUNS_WHATIF} runs)")
    verdict(
        f"{DRAWS_WHATIF:,} draws wall time",
        p95 <= TARGET_WHATIF_S,
        f"p95 {ms(p95)} <= {ms(TARGET_WHATIF_S)}",
    )


def bench_flodym() -> None:
    """Target 3: the capacity-stock computation in parkcap and in flodym, side by side."""
    print(f"\n[3] capacity stock: parkcap vs flodym {version('flodym')} InflowDrivenDSM")
    print(
        "  parkcap timing: the kernel's ramp + one einsum over (draw, project, quarter) -> "
        "(draw, quarter, stage), all stages\n"
        "  flodym timing 'total': inflow (draw, stage) from the same project draws + "
        "Dimension/StockArray/lifetime set-up + compute() + cumulative inflow - stock, "
        "stages that receive projects\n"
        "  flodym 'compute()': InflowDrivenDSM.compute() alone (stock and outflow)\n"
        "  project draws from simulate(...) of the same scenario (project_completes, "
        "project_start, project_stage); capacities from prepare(...)"
    )
    cases = [ramp_case("instant", 1), ramp_case("s_curve", FIXED_RAMP_Q)]
    for case in cases:
        park, scenario = load(case.changes)
        inp = prepare(park, scenario)
        label = (
            "instant ramp <-> FixedLifetime(mean=1 quarter)"
            if case.shape == "instant"
            else f"s_curve over fixed {case.q} quarters <-> mixture of {len(case.weights)} "
            f"FixedLifetimes (means 1..{len(case.weights)} quarters, weights "
            f"{np.round(case.weights, 5).tolist()})"
        )
        print(f"\n  -- {label}")
        per_draw_1k: float | None = None
        for n in (DRAWS_WHATIF, DRAWS_FULL):
            ds = simulate(park, scenario, draws=n)
            draws = ProjectDraws.from_dataset(ds)
            mine = parkcap_added(inp, draws, case)
            check = float(np.abs(mine + inp.base - ds["nameplate"].values).max())
            del ds
            runs_p = 20 if n == DRAWS_WHATIF else 5
            tp = float(np.median(repeat(partial(parkcap_added, inp, draws, case), runs_p)))
            est = flodym_bytes(inp, draws, case)
            print(
                f"  {n:>6,} draws: parkcap {ms(tp)} (median of {runs_p}); "
                f"reimplemented expression vs simulate() nameplate: max abs diff {check:.3g}"
            )
            if est > FLODYM_MAX_BYTES:
                print(
                    f"           flodym SKIPPED: its {N_COHORT_ARRAYS} cohort arrays would take "
                    f"~{est / 1e9:.1f} GB (> {FLODYM_MAX_BYTES / 1e9:.0f} GB)"
                )
                continue
            if per_draw_1k is not None and per_draw_1k * n > FLODYM_MAX_S:
                print(
                    f"           flodym SKIPPED: expected ~{per_draw_1k * n:.0f} s "
                    f"(> {FLODYM_MAX_S:.0f} s)"
                )
                continue
            runs_f = 5 if n == DRAWS_WHATIF else 3
            walls, computes, run = [], [], None
            for i in range(runs_f + 1):  # first run is the warm-up
                t0 = time.perf_counter()
                run = flodym_added(inp, draws, case)
                if i:
                    walls.append(time.perf_counter() - t0)
                    computes.append(run.compute_s)
            assert run is not None
            tf, tc = float(np.median(walls)), float(np.median(computes))
            per_draw_1k = per_draw_1k or tf / n
            ref = mine[:, :, run.stages].transpose(1, 0, 2)
            diff = float(np.abs(run.added - ref).max())
            scale = float(np.abs(ref).max())
            print(
                f"           flodym total {ms(tf)}, compute() {ms(tc)} (median of {runs_f}); "
                f"cohort arrays ~{mib(est)}"
            )
            if n == DRAWS_FULL and case.shape == "instant":
                rss = in_child("flodym-instant", n)["rss_increase_bytes"]
                print(f"           flodym peak-RSS increase (fresh subprocess): {mib(rss)}")
            print(
                f"           parkcap / flodym time ratio: {tp / tf:.4f} (vs total), "
                f"{tp / tc:.4f} (vs compute() only)"
            )
            verdict(
                f"flodym agrees, {case.shape}, {n:,} draws",
                diff <= 1e-9 * max(scale, 1.0),
                f"max abs diff {diff:.3g} (largest value {scale:.3g})",
            )
        if case.shape == "s_curve":
            draws = ProjectDraws.from_dataset(simulate(park, scenario, draws=DRAWS_WHATIF))
            mine = parkcap_added(inp, draws, case)
            run = flodym_added(inp, draws, case, lifetime="normal")
            ref = mine[:, :, run.stages].transpose(1, 0, 2)
            print(
                f"  -- for information: one NormalLifetime(mean {case.q / 2:g}, sd "
                f"{case.q / math.sqrt(20):.3f} quarters) instead of the mixture, "
                f"{DRAWS_WHATIF:,} draws: max abs diff {np.abs(run.added - ref).max():.4g} "
                f"(largest value {np.abs(ref).max():.4g}), not exact"
            )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    ap.add_argument(
        "--child-memory",
        nargs="?",
        const="rss",
        choices=["rss", "tracemalloc", "flodym-instant"],
        help="internal: measure peak memory of one run in this (fresh) process",
    )
    ap.add_argument("--draws", type=int, default=DRAWS_FULL, help="draws for --child-memory")
    ap.add_argument(
        "--simulator",
        metavar="FILE",
        help="benchmark this copy of model/simulate.py instead (e.g. the version before a change)",
    )
    args = ap.parse_args(argv)
    global SIMULATOR, SIMULATOR_FILE
    if args.simulator:
        SIMULATOR, SIMULATOR_FILE = load_simulator(args.simulator), args.simulator
    if args.child_memory:
        print(json.dumps(child_memory(args.child_memory, args.draws)))
        return 0

    t0 = time.perf_counter()
    bench_simulate()
    bench_flodym()
    missed = [name for name, ok in results if not ok]
    print(
        f"\n{len(results) - len(missed)}/{len(results)} targets met"
        + (f"; missed: {', '.join(missed)}" if missed else "")
        + f" (benchmark took {time.perf_counter() - t0:.0f} s)"
    )
    return 1 if (args.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
