"""The quarterly Monte Carlo growth simulator: a park and a scenario in, a Dataset out.

Per draw, vectorised over draws and quarters (Python loops run over projects, stages with
lines or markets and recipe lines, never over draws or quarters):

1. **Projects.** Each active pipeline project completes with its status's probability,
   starts output after its expected start plus a random delay (gamma-distributed, in
   whole quarters), and ramps to nameplate over a random number of quarters.
2. **Capacity.** Nameplate = recorded capacity at the start + ramped additions; effective
   capacity = nameplate × a utilisation drawn per stage.
3. **Demand.** Storage-market demand starts at ``demand.base_gwh`` (default: the LFP cells'
   nameplate at the start times the low end of their utilisation range — today's sales,
   with the rest of the range as headroom) and grows at a drawn annual rate; the increase is
   split between LFP, sodium-ion, vanadium-flow and gravity storage by the technology mix.
4. **Output.** Storage products (cells, flow batteries, gravity storage, cabinets) make
   what demand takes, up to their effective capacity; every other stage runs at its
   effective capacity (it sells any surplus outside the park).
5. **Demand on inputs** = Σ recipe intensity × output of the stage that uses them; the
   cabinets' cell input is split between LFP and sodium-ion cells in proportion to demand.
6. **Gap** = demand on the stage − its local supply (effective capacity): positive means
   the park's downstream stages need more than the park makes.

All arithmetic is float64 in canonical units (capacities and flows are annual rates: stage
unit per year). Every random number comes from a *sampler* (:mod:`model.sampling`): the
Monte Carlo :class:`Streams` by default, scrambled Sobol' points with ``sampler="sobol"``.
Draws are simulated in chunks of :data:`CHUNK` (the random streams are keyed by chunk), and the (draw, quarter, stage) arithmetic of a chunk in blocks of
:data:`BLOCK` draws whose scratch arrays stay in the processor's cache. The (draw,
quarter, stage) variables are stored as :data:`RESULT_DTYPES` says: float32 for most
(seven significant digits, half the memory), each value rounded once from its float64
result — a gap is the rounded float64 difference, not a difference of rounded numbers.
Units are attached at the edge: the Dataset records every variable's unit (a per-stage
``unit`` coordinate for variables with a ``stage`` dimension, ``attrs["units"]`` otherwise)
so that :func:`model.results.quantify` gives pint quantities back. Preparing the arrays is
:mod:`model.inputs`; summaries and units of a result are :mod:`model.results`.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import xarray as xr

from model import quarters
from model.budget import check_simulation
from model.errors import DataError, Problem
from model.inputs import Inputs, prepare
from model.park import Park
from model.results import PERCENTILES, is_short, quantify, summarize, units_of
from model.sampling import Sampler, SamplerFactory, SobolSampler, check_sampler, stream_names
from model.scenario import Scenario
from model.units import Q_, rate_unit

__all__ = [
    "PERCENTILES",
    "Inputs",
    "is_short",
    "prepare",
    "quantify",
    "simulate",
    "summarize",
    "units_of",
]

logger = logging.getLogger(__name__)

DIMS = ("draw", "quarter", "stage", "project", "scenario", "technology", "stat")
#: storage technology -> the stage that makes its product
PRODUCT_OF = {
    "lfp": "lfp_cell",
    "sodium_ion": "na_cell",
    "vanadium_flow": "vrfb_system",
    "gravity": "gravity_storage",
}
CABINET = "storage_cabinet"
#: The stages with an end market (storage products and cabinets), in the kernel's order.
MARKET_STAGES = ("lfp_cell", "na_cell", "vrfb_system", "gravity_storage", CABINET)
STAGE_VARS = ("nameplate", "effective_capacity", "output", "demand", "gap")
#: The result's (draw, quarter, stage) arrays, by their names in the kernel.
STAGE_RESULTS = (
    "nameplate",
    "effective_capacity",
    "output",
    "demand",
    "gap",
    "market_demand",
    "market_gap",
    "gap_cell_gwh_eq",
    "installed",
)
#: How each (draw, quarter, stage) array is stored (computed in float64 either way).
#: ``nameplate`` and ``market_demand`` stay float64: exact sums of recorded capacities and
#: markets (tests compare them with flodym's stock and with hand arithmetic to 1e-9).
RESULT_DTYPES: dict[str, np.dtype] = {
    var: np.dtype(np.float64 if var in ("nameplate", "market_demand") else np.float32)
    for var in STAGE_RESULTS
}
#: The stage variables that only a few stages have: NaN (no end market) or 0 (no
#: installation) elsewhere, copied from a template block so only those stages are computed.
SPARSE_RESULTS = {"market_demand": np.nan, "market_gap": np.nan, "installed": 0.0}
CHUNK = 2500  # draws simulated at once: the random streams are keyed by chunk
#: Draws per block of the (draw, quarter, stage) arithmetic: its float64 scratch arrays stay
#: in the processor's cache. Results do not depend on it (each value is computed alike).
BLOCK = 256
QUARTERS_PER_YEAR = float(Q_(1, "a").to("calendar_quarter").magnitude)
HOURS_PER_YEAR = float(Q_(1, "a").to("hour").magnitude)


# ---------------------------------------------------------------------------
# random streams
# ---------------------------------------------------------------------------
@functools.lru_cache(maxsize=4096)
def _stream_state(seed: int, chunk: int, name: str) -> dict[str, Any]:
    """The initial PCG64 state of the stream ``name`` of ``chunk`` (cached: seeding is slow)."""
    return Streams(seed, chunk)(name).bit_generator.state


_scratch = threading.local()


class Streams:
    """Common random numbers: one independent stream per named quantity and chunk.

    The Monte Carlo sampler (``sampler="mc"``, see :mod:`model.sampling`).

    Each project, stage and recipe line draws from its own stream, keyed by the seed, the
    chunk and a stable hash of its name. Two scenarios run with the same seed therefore
    share every draw they have in common (the same project completes in the same draws),
    so their difference is the effect of what differs, not sampling noise.

    The kernel draws through :meth:`random` and :meth:`standard_gamma`, which restore a
    cached initial state into one generator per thread instead of seeding a new one.
    """

    def __init__(self, seed: int, chunk: int) -> None:
        self.seed = seed
        self.chunk = chunk

    def __call__(self, name: str) -> np.random.Generator:
        """A new generator of the stream named ``name`` in this chunk."""
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little")
        return np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=(self.chunk, key)))
        )

    def _start(self, name: str) -> np.random.Generator:
        """The scratch generator of this thread, at the start of the stream ``name``."""
        gen = getattr(_scratch, "generator", None)
        if gen is None:
            gen = _scratch.generator = np.random.Generator(np.random.PCG64(0))
        gen.bit_generator.state = _stream_state(self.seed, self.chunk, name)
        return gen

    def random(self, name: str, n: int, out: np.ndarray | None = None) -> np.ndarray:
        """The first ``n`` uniform draws in [0, 1) of the stream ``name`` (into ``out``)."""
        return self._start(name).random(n, out=out)

    def standard_gamma(
        self, name: str, shape: float, n: int, out: np.ndarray | None = None
    ) -> np.ndarray:
        """The first ``n`` standard-gamma draws of shape ``shape`` of the stream ``name``."""
        return self._start(name).standard_gamma(shape, n, out=out)


def _per_item(streams: Sampler, names: list[str], n: int) -> np.ndarray:
    """One row of ``n`` uniform draws per named item, each from its own stream: (len(names), n).

    Item-major, so that arithmetic with per-item parameters (``lo[:, None]``) runs along the
    draws in long loops.
    """
    out = np.empty((len(names), n))
    for k, name in enumerate(names):
        streams.random(name, n, out=out[k])
    return out


# ---------------------------------------------------------------------------
# the kernel: plain arrays only
# ---------------------------------------------------------------------------
def _ramp(t: np.ndarray, ramp_q: np.ndarray, shape: str) -> np.ndarray:
    """Share of nameplate reached ``t`` quarters after the start (t=0: first quarter of output)."""
    if shape == "instant":
        return (t >= 0).astype(float)
    return _ramp_curve(np.divide(np.add(t, 1.0), ramp_q), shape)


def _ramp_curve(x: np.ndarray, shape: str) -> np.ndarray:
    """The ramp's share of nameplate at ``x`` = (t + 1) / ramp quarters, in place on ``x``."""
    np.clip(x, 0.0, 1.0, out=x)
    if shape == "linear":
        return x
    y = np.multiply(x, 2.0)  # x * x * (3 - 2x), in the order written
    np.subtract(3.0, y, out=y)
    np.multiply(x, x, out=x)
    np.multiply(x, y, out=x)
    return x


def _allocate(inp: Inputs, n: int) -> dict[str, np.ndarray]:
    """Result arrays for ``n`` draws, filled chunk by chunk by :func:`_kernel`.

    Stage variables are stored as :data:`RESULT_DTYPES` says.
    """
    T, S, P = len(inp.quarters), len(inp.stages), len(inp.projects)
    res = {var: np.empty((n, T, S), RESULT_DTYPES[var]) for var in STAGE_RESULTS}
    shapes = {
        "utilisation": (n, S),
        "demand_growth": (n,),
        "power_growth": (n,),
        "storage_share": (n,),
        "market": (n, T),
        "power_market": (n, T),
        "electricity": (n, T),
        "tech_demand": (n, T, len(PRODUCT_OF)),
        "complete": (n, P),
        "start": (n, P),
    }
    res.update({k: np.empty(v) for k, v in shapes.items()})
    return res


def _workspace(inp: Inputs, block: int) -> dict[str, np.ndarray]:
    """Scratch arrays for one block of draws, reused by every block and chunk.

    Float64 arrays for the arithmetic, and for each of :data:`SPARSE_RESULTS` a template
    block in its result dtype whose other stages keep their fill value.
    """
    T, S = len(inp.quarters), len(inp.stages)
    work = {
        var: np.empty((block, T, S))
        for var in ("nameplate", "effective_capacity")
        if RESULT_DTYPES[var] != np.float64  # else computed in the result itself
    }
    for var, fill in SPARSE_RESULTS.items():
        work[var] = np.full((block, T, S), fill, RESULT_DTYPES[var])
    # demand, then the gap, then the gap in GWh-eq: each is stored before the next overwrites it
    work["demand"] = work["gap"] = work["gap_cell_gwh_eq"] = np.empty((block, T, S))
    work["term"] = np.empty((block, T))
    work["term2"] = np.empty((block, T))
    return work


def _target(
    res: dict[str, np.ndarray], work: dict[str, np.ndarray], var: str, g: slice, m: int
) -> np.ndarray:
    """Where a block's float64 values of ``var`` are computed.

    The result itself when it is stored as float64, else a scratch array that
    :func:`_store` rounds into the result.
    """
    return res[var][g] if RESULT_DTYPES[var] == np.float64 else work[var][:m]


def _store(res: dict[str, np.ndarray], var: str, g: slice, values: np.ndarray) -> None:
    """Round a block's values of ``var`` into the result (unless computed in place)."""
    if RESULT_DTYPES[var] != np.float64:
        res[var][g] = values


class _Plan:
    """What the kernel needs to know once per run.

    Which projects are production lines or installations, which stages have end markets or
    use electricity, and how the recipe lines sum into the stages they take from.
    """

    def __init__(self, inp: Inputs, index: dict[str, int], kwh: np.ndarray) -> None:
        S = len(inp.stages)
        self.is_line = inp.p_build == 0  # production lines; the others are installations
        self.lines = np.flatnonzero(self.is_line)
        self.installations = [
            (int(p), int(inp.p_stage[p]), int(inp.p_build[p]))
            for p in np.flatnonzero(~self.is_line)
        ]
        self.q1 = (inp.quarters + 1.0)[None, None, :]  # quarter index + 1 (the ramp's t + 1)
        T = len(inp.quarters)
        self.base_tiled = np.tile(inp.base, T)  # a quarter x stage row of base capacities
        self.yard_tiled = np.tile(inp.yardstick, T)
        self.years = (inp.quarters - inp.quarters[0]) / QUARTERS_PER_YEAR
        self.i_lfp = index.get("lfp_cell")
        self.j_cab = index.get(CABINET)
        self.markets = [(s, index[s]) for s in MARKET_STAGES if s in index]
        self.powered = [(s, float(kwh[s])) for s in range(S) if kwh[s] != 0.0]
        # a line with its own intensity (an installation adds no nameplate: factor 1)
        self.own = [
            (int(k), int(m), float(r))
            for k, m, r in zip(inp.own_line, inp.own_project, inp.own_ratio, strict=True)
            if self.is_line[m]
        ]
        self.cabinet_lfp = {
            k: tech == "lfp"
            for k, tech in enumerate(inp.line_tech)
            if self.j_cab is not None and inp.line_output[k] == self.j_cab
        }
        # the recipe lines by the stage they take from, each sum in the order of the lines
        self.by_input: dict[int, list[tuple[int, int]]] = {}
        for k, (o, i) in enumerate(
            zip(inp.line_output.tolist(), inp.line_input.tolist(), strict=True)
        ):
            self.by_input.setdefault(i, []).append((k, o))


def _draws(
    inp: Inputs, scenario: Scenario, rng: Sampler | None, n: int, plan: _Plan
) -> dict[str, Any]:
    """The random draws of one chunk of ``n`` draws, each quantity from its own stream.

    ``rng=None``: the deterministic expected path (central values).
    """
    S, P = len(inp.stages), len(inp.projects)
    det = rng is None
    # -- projects: completion, delay, ramp ---------------------------------
    lo_r, hi_r = scenario.ramp_up.quarters
    if det:
        complete = np.broadcast_to(inp.p_complete, (n, P))
        delay = np.broadcast_to(np.round(inp.p_delay_mean), (n, P))
        ramp_q = np.full((n, P), round((lo_r + hi_r) / 2))
    else:
        # per project: uniform for completion, standard gamma for delay, uniform for ramp
        with np.errstate(divide="ignore", invalid="ignore"):
            shape_k = np.where(inp.p_delay_sd > 0, (inp.p_delay_mean / inp.p_delay_sd) ** 2, 1.0)
            scale = np.where(
                inp.p_delay_mean > 0, inp.p_delay_sd**2 / np.maximum(inp.p_delay_mean, 1e-12), 0.0
            )
        u = np.empty((3, P, n))  # project-major: each stream fills a contiguous row
        for k, p in enumerate(inp.projects):  # a stream per quantity: more draws extend
            name = f"project:{p.id}"
            rng.random(f"{name}:complete", n, out=u[0, k])
            rng.standard_gamma(f"{name}:delay", max(float(shape_k[k]), 1e-9), n, out=u[1, k])
            rng.random(f"{name}:ramp", n, out=u[2, k])
        complete = (u[0] < inp.p_complete[:, None]).astype(float).T  # (n, P)
        delay = np.where(
            (inp.p_delay_sd > 0)[:, None],
            np.round(u[1] * scale[:, None]),
            np.round(inp.p_delay_mean)[:, None],
        ).T
        ramp_q = np.floor(lo_r + u[2] * (hi_r - lo_r + 1)).T
    # -- utilisation ---------------------------------------------------------
    if det:
        util = np.broadcast_to((inp.util_lo + inp.util_hi) / 2, (n, S))
    else:
        util = _per_item(rng, [f"utilisation:{s}" for s in inp.stages], n)  # (S, n)
        util *= (inp.util_hi - inp.util_lo)[:, None]
        util += inp.util_lo[:, None]  # lo + u (hi - lo)
        util = util.T
    # -- end markets ------------------------------------------------------------
    mk = inp.markets

    def uniform(centre: float, spread: float, stream: str) -> np.ndarray:
        if det:
            return np.full(n, centre)
        return centre + spread * (2.0 * rng.random(stream, n) - 1.0)

    growth = np.maximum(uniform(mk.growth, mk.growth_spread, "demand:growth"), -0.99)
    power_growth = np.maximum(
        uniform(mk.power_growth, mk.power_growth_spread, "demand:power_growth"), -0.99
    )
    share = _ranged(
        rng,
        n,
        (mk.share_low, mk.share_central, mk.share_high),
        mk.share_triangular,
        "demand:storage_share",
    )
    u0: np.ndarray | float | None = None
    if plan.i_lfp is not None:  # the cells' start utilisation: today's sales / nameplate
        u0 = (
            _ranged(rng, n, mk.start_util, mk.start_util_triangular, "demand:start_utilisation")
            if mk.start_util is not None
            else float(inp.util_lo[plan.i_lfp])
        )
    # -- recipe intensities ------------------------------------------------------
    if det or scenario.intensity != "sampled":
        level = "central" if det and scenario.intensity == "sampled" else scenario.intensity
        inten = np.broadcast_to(getattr(inp, f"line_{level}")[:, None], (len(inp.line_input), n))
    else:
        names = [
            f"recipe:{inp.stages[o]}:{t}:{inp.stages[i]}"
            for o, t, i in zip(inp.line_output, inp.line_tech, inp.line_input, strict=True)
        ]
        low, central, high = (a[:, None] for a in (inp.line_low, inp.line_central, inp.line_high))
        inten = _triangular(_per_item(rng, names, n), low, central, high)
    return {
        "complete": complete,
        "start": inp.p_start[None, :] + delay,  # (n, P)
        "added": complete * inp.p_capacity,  # (n, P)
        "ramp_q": ramp_q,
        "util": util,  # (n, S)
        "growth": growth,
        "power_growth": power_growth,
        "share": share,
        "u0": u0,
        "inten": inten,  # (lines, n): line-major
    }


def _kernel(
    inp: Inputs,
    scenario: Scenario,
    rng: Sampler | None,
    res: dict[str, np.ndarray],
    sl: slice,
    plan: _Plan,
    work: dict[str, np.ndarray],
) -> None:
    """Simulate the draws ``sl`` (one chunk) into the arrays ``res``.

    ``rng=None``: the deterministic expected path (central values). The chunk's random
    draws are made at once (:func:`_draws`); everything else runs in blocks of
    :data:`BLOCK` draws (:func:`_block`), whose temporaries stay in the processor's cache.
    Every value is computed by the same operations in the same order whatever the block
    and chunk sizes, so results depend on neither.
    """
    n = sl.stop - sl.start
    d = _draws(inp, scenario, rng, n, plan)
    with np.errstate(divide="ignore", invalid="ignore"):
        for b0 in range(0, n, BLOCK):
            b1 = min(n, b0 + BLOCK)
            _block(inp, scenario, plan, d, slice(b0, b1), res, sl.start, work)
    res["utilisation"][sl] = d["util"]
    res["demand_growth"][sl] = d["growth"]
    res["power_growth"][sl] = d["power_growth"]
    res["storage_share"][sl] = d["share"]
    res["complete"][sl] = d["complete"]
    res["start"][sl] = d["start"]


def _block(
    inp: Inputs,
    scenario: Scenario,
    plan: _Plan,
    d: dict[str, Any],
    bb: slice,
    res: dict[str, np.ndarray],
    offset: int,
    work: dict[str, np.ndarray],
) -> None:
    """Simulate the draws ``bb`` of a chunk's draws ``d`` into ``res`` (from row ``offset``)."""
    m = bb.stop - bb.start
    g = slice(offset + bb.start, offset + bb.stop)
    start, added = d["start"][bb], d["added"][bb]
    # -- capacity of the stages with production lines: base + ramped additions (m, T) ----
    # t = quarter - start, whole numbers, so t >= 0 and t + 1 are exact as written here
    lines = plan.lines
    if scenario.ramp_up.shape == "instant":
        frac = (inp.quarters[None, None, :] >= start[:, lines, None]).astype(float)
    else:
        x = np.subtract(plan.q1, start[:, lines, None])
        np.divide(x, d["ramp_q"][bb][:, lines, None], out=x)
        frac = _ramp_curve(x, scenario.ramp_up.shape)  # (m, lines, T)
    frac *= added[:, lines, None]
    ramped = {p: frac[:, k] for k, p in enumerate(lines)}  # nameplate each line adds
    line_sum: dict[int, np.ndarray] = {}
    for p in lines:
        s = int(inp.p_stage[p])
        line_sum[s] = ramped[p] if s not in line_sum else line_sum[s] + ramped[p]
    nameplate_of = {s: v + inp.base[s] for s, v in line_sum.items()}
    # installations: in service from their start (a stock, stage unit), and built over the
    # p_build quarters before it, at an annual rate that sums to their size over the build
    installed_of: dict[int, np.ndarray] = {}
    build_of: dict[int, np.ndarray] = {}
    for p, s, b_q in plan.installations:
        tp = inp.quarters[None, :] - start[:, p, None]  # (m, T)
        stock = (tp >= 0) * added[:, p, None]
        rate = ((tp < 0) & (tp >= -b_q)) * (QUARTERS_PER_YEAR / b_q) * added[:, p, None]
        installed_of[s] = stock if s not in installed_of else installed_of[s] + stock
        build_of[s] = rate if s not in build_of else build_of[s] + rate

    # -- end markets: power and stationary storage, split by technology (m, T) -------
    mk = inp.markets
    share = d["share"][bb]
    sales0: np.ndarray | float = np.zeros(m)
    if plan.i_lfp is not None:  # today's sales: the cells' nameplate at their start utilisation
        u0 = d["u0"] if np.ndim(d["u0"]) == 0 else d["u0"][bb]
        i = plan.i_lfp
        cells0 = nameplate_of[i][:, 0] if i in nameplate_of else inp.base[i]
        sales0 = cells0 * u0
    dem = scenario.demand
    s0 = np.full(m, dem.base_gwh) if dem.base_gwh is not None else share * sales0
    years = plan.years[None, :]
    stationary = s0[:, None] * (1.0 + d["growth"][bb, None]) ** years
    power = ((1.0 - share) * sales0)[:, None] * (1.0 + d["power_growth"][bb, None]) ** years
    w = mk.mix_weight[None, :]
    tech_demand = {k: stationary * ((1.0 - w) * (k == "lfp") + w * mk.mix[k]) for k in PRODUCT_OF}
    market_of = {
        "lfp_cell": power + tech_demand["lfp"],
        "na_cell": tech_demand["sodium_ion"],
        "vrfb_system": tech_demand["vanadium_flow"],
        "gravity_storage": tech_demand["gravity"],
        CABINET: tech_demand["lfp"] + tech_demand["sodium_ion"],
    }
    res["market"][g] = stationary
    res["power_market"][g] = power
    for k, tech in enumerate(PRODUCT_OF):
        res["tech_demand"][g][:, :, k] = tech_demand[tech]

    # -- factors on single recipe lines (m, T) ------------------------------------
    factors: dict[int, list[np.ndarray]] = {}
    for k, p, ratio in plan.own:
        # a line with its own intensity: the stage's output is made by its lines in
        # proportion to their nameplate, so the recipe scales by the capacity-weighted mix
        own = ramped[p] * plan.is_line[p]
        stage_np = nameplate_of[int(inp.line_output[k])]
        mix = np.where(stage_np > 0, own / stage_np, 0.0)
        factors.setdefault(k, []).append(1.0 + mix * (ratio - 1.0))
    if plan.cabinet_lfp:  # the cabinets' inputs split between LFP and sodium-ion cells
        cell_demand = market_of[CABINET]
        lfp_share = np.where(cell_demand > 0, tech_demand["lfp"] / cell_demand, 1.0)
        other_share = 1.0 - lfp_share
        for k, is_lfp in plan.cabinet_lfp.items():
            factors.setdefault(k, []).append(lfp_share if is_lfp else other_share)

    # -- capacity: nameplate and local supply (effective capacity = nameplate x u) -------
    # (each block is contiguous: quarter x stage rows are filled from tiled (T * S,) vectors)
    nameplate = _target(res, work, "nameplate", g, m)
    nameplate.reshape(m, -1)[...] = plan.base_tiled
    for s, v in nameplate_of.items():
        nameplate[:, :, s] = v
    _store(res, "nameplate", g, nameplate)
    util = d["util"][bb]
    effective = _target(res, work, "effective_capacity", g, m)
    effective[...] = (util * inp.base)[:, None, :]  # stages without lines: base x u
    for s, v in nameplate_of.items():
        np.multiply(v, util[:, s, None], out=effective[:, :, s])
    _store(res, "effective_capacity", g, effective)

    # -- output: storage products follow their market, the rest run at capacity ----------
    output = res["output"][g]
    stored = res["effective_capacity"][g]  # rounded already, unless output is wider
    output[...] = stored if stored.dtype.itemsize >= output.dtype.itemsize else effective
    made: dict[int, np.ndarray] = {}  # output columns that differ from capacity
    market_demand, market_gap = work["market_demand"][:m], work["market_gap"][:m]
    for stage, j in plan.markets:
        mj = market_of[stage]
        market_demand[:, :, j] = mj
        made[j] = np.minimum(effective[:, :, j], mj)
        output[:, :, j] = made[j]
        np.subtract(mj, effective[:, :, j], out=market_gap[:, :, j])
    res["market_demand"][g] = market_demand
    res["market_gap"][g] = market_gap
    installed = work["installed"][:m]
    for s, v in installed_of.items():
        installed[:, :, s] = v
    res["installed"][g] = installed
    power_mw = res["electricity"][g]
    power_mw[...] = 0.0
    for s, k_wh in plan.powered:
        power_mw += made.get(s, effective[:, :, s]) * k_wh
    power_mw /= HOURS_PER_YEAR
    power_mw /= 1000.0
    for s, v in build_of.items():  # installations under construction need materials
        made[s] = made.get(s, effective[:, :, s]) + v

    # -- demand on inputs: sum over recipe lines of intensity x output of the user -------
    inten = d["inten"][:, bb]
    demand = _target(res, work, "demand", g, m)
    demand[...] = 0.0  # stages no line takes from
    for i, takers in plan.by_input.items():
        k, o = takers[0]
        if len(takers) == 1 and k not in factors:  # straight into the stage's column
            np.multiply(inten[k, :, None], made.get(o, effective[:, :, o]), out=demand[:, :, i])
            continue
        acc, term = work["term"][:m], work["term2"][:m]
        for n_k, (k, o) in enumerate(takers):
            line = acc if n_k == 0 else term
            np.multiply(inten[k, :, None], made.get(o, effective[:, :, o]), out=line)
            for f in factors.get(k, ()):
                line *= f
            if n_k:
                acc += term
        demand[:, :, i] = acc
    _store(res, "demand", g, demand)

    # -- gaps: supply-chain gap, and in GWh a year of the reference product --------------
    gap = _target(res, work, "gap", g, m)
    np.subtract(demand, effective, out=gap)
    _store(res, "gap", g, gap)
    gap_eq = _target(res, work, "gap_cell_gwh_eq", g, m)
    np.divide(gap.reshape(m, -1), plan.yard_tiled, out=gap_eq.reshape(m, -1))
    _store(res, "gap_cell_gwh_eq", g, gap_eq)


def _kwh(park: Park, stages: list[str]) -> np.ndarray:
    """Electricity use per stage (kWh per stage unit, central; 0 without a figure)."""
    return np.array([park.electricity[s].central if s in park.electricity else 0.0 for s in stages])


def _grid(park: Park, scenario: Scenario) -> tuple[float, float | None]:
    """The green share of power and the grid allowance (MW).

    The scenario's ``[power]`` levers, else ``data/grid.csv``.
    """
    grid = park.grid
    green = scenario.power.green_share
    if green is None:
        green = grid["green_share"].central if "green_share" in grid else 0.0
    allowance = scenario.power.allowance_mw
    if allowance is None and "grid_allowance" in grid:
        allowance = grid["grid_allowance"].central
    return float(green), allowance


def _ranged(
    rng: Sampler | None,
    n: int,
    low_central_high: tuple[float, float, float],
    triangular: bool,
    stream: str,
) -> np.ndarray:
    """``n`` draws of a ranged parameter: triangular or uniform; central when ``rng`` is None."""
    lo, c, hi = low_central_high
    if rng is None or lo == hi:
        return np.full(n, c)
    u = rng.random(stream, n)
    if triangular:
        return _triangular(u, np.float64(lo), np.float64(c), np.float64(hi))
    return lo + u * (hi - lo)


def _triangular(u: np.ndarray, lo: np.ndarray, c: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Inverse CDF of the triangular distribution (handles lo == hi).

    ``lo``, ``c`` and ``hi`` broadcast against ``u`` (per-item parameters as columns
    ``lo[:, None]`` for item-major draws); computed in place in two arrays of ``u``'s shape.
    """
    span = hi - lo
    with np.errstate(divide="ignore", invalid="ignore"):
        fc = np.where(span > 0, (c - lo) / span, 0.5)
        left = np.multiply(u, span)  # lo + sqrt(u span (c - lo))
        left *= c - lo
        np.sqrt(left, out=left)
        left += lo
        right = np.subtract(1, u)  # hi - sqrt((1 - u) span (hi - c))
        right *= span
        right *= hi - c
        np.sqrt(right, out=right)
        np.subtract(hi, right, out=right)
    np.copyto(left, right, where=np.logical_not(u < fc))
    np.copyto(left, c, where=np.logical_not(span > 0))
    return left


# ---------------------------------------------------------------------------
# the public function
# ---------------------------------------------------------------------------
def simulate(
    park: Park,
    scenario: Scenario,
    draws: int | None = None,
    seed: int | None = None,
    as_of: date | None = None,
    known_as_of: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    sampler: str | SamplerFactory = "mc",
) -> xr.Dataset:
    """Project the park quarter by quarter under ``scenario``.

    Parameters
    ----------
    park
        From :func:`model.load_park`.
    scenario
        From :func:`model.scenario.load_scenario`.
    draws
        Monte Carlo draws (default: the scenario's). ``1`` gives the deterministic central
        path: expected project additions (nameplate × completion probability), mean delays,
        mid ramp-up and utilisation, central intensities. (Because output is capped by
        capacity, this path is close to, not equal to, the mean over draws.)
    seed
        Random seed (default: the scenario's). Same seed, same result, bit for bit.
    as_of, known_as_of
        Start from the park as it was on ``as_of`` (default: the latest capacity record),
        as known on ``known_as_of`` (default: everything recorded).
    progress
        Called as ``progress(done_draws, total_draws)`` after each chunk of draws.
    sampler
        Where the draws come from (:mod:`model.sampling`): ``"mc"`` (default) Monte Carlo
        streams; ``"sobol"`` scrambled Sobol' points (quasi-Monte Carlo, same seed same
        result); or a factory ``(seed, chunk) -> sampler``.

    Returns
    -------
    xarray.Dataset
        Dimensions ``draw``, ``quarter``, ``stage`` (plus ``project``, ``technology``).
        Stage variables (``nameplate``, ``effective_capacity`` (= local supply), ``output``,
        ``demand``, ``gap``) are annual rates in each stage's unit, given by the ``unit``
        coordinate; ``gap_cell_gwh_eq`` is in GWh/a of each stage's ``reference`` product.
        The (draw, quarter, stage) variables are stored as :data:`RESULT_DTYPES` says
        (float32, except ``nameplate`` and ``market_demand``), everything else as float64.
        Attributes: scenario, scenario_hash, seed, draws, data_version, as_of, horizon,
        created (and ``sampler`` unless it is ``"mc"``).
    """
    check_sampler(sampler)
    check_simulation(park, scenario, draws, as_of, known_as_of)  # before any allocation
    n = int(draws if draws is not None else scenario.draws)
    if n < 1:
        raise DataError([Problem("simulate", None, "draws", n, "expected 1 or more")])
    seed_ = int(seed if seed is not None else scenario.seed)
    run = Run.prepare(park, scenario, as_of, known_as_of)
    res = _allocate(run.inp, n)
    work = _workspace(run.inp, min(n, BLOCK))
    if n == 1:
        _kernel(run.inp, scenario, None, res, slice(0, 1), run.plan, work)
    else:
        for k in range(math.ceil(n / CHUNK)):
            sl = slice(k * CHUNK, min(n, (k + 1) * CHUNK))
            rng = _sampler(run, sampler, seed_, k)
            _kernel(run.inp, scenario, rng, res, sl, run.plan, work)
            if progress is not None:
                progress(sl.stop, n)
    return _with_sampler(_to_dataset(park, scenario, run.inp, res, n, seed_), sampler)


class Run:
    """One prepared run: a park and a scenario turned into the kernel's arrays, once.

    The seam for running chunks of draws apart (in other processes or machines): a
    chunk's draws depend only on the seed and the chunk's number, so chunks computed
    anywhere and put together in order are bit for bit :func:`simulate`'s result.

    Examples
    --------
    >>> import model
    >>> from model.simulate import CHUNK, Run
    >>> park, scenario = model.load_park(), model.load_scenario("baseline")
    >>> run = Run.prepare(park, scenario)
    >>> part = run.chunk(seed=1, chunk=0, n=10)  # the first 10 draws of chunk 0
    >>> ds = run.dataset(part, seed=1)
    >>> ds.sizes["draw"]
    10
    """

    def __init__(self, park: Park, scenario: Scenario, inp: Inputs) -> None:
        self.park = park
        self.scenario = scenario
        self.inp = inp
        self.plan = _Plan(inp, {s: i for i, s in enumerate(inp.stages)}, _kwh(park, inp.stages))

    @classmethod
    def prepare(
        cls,
        park: Park,
        scenario: Scenario,
        as_of: date | None = None,
        known_as_of: date | None = None,
    ) -> Run:
        """Prepare ``scenario`` on ``park`` (see :func:`simulate` for ``as_of``, ``known_as_of``)."""
        return cls(park, scenario, prepare(park, scenario, as_of, known_as_of))

    def chunk(
        self, seed: int, chunk: int, n: int = CHUNK, sampler: str | SamplerFactory = "mc"
    ) -> dict[str, np.ndarray]:
        """The raw result arrays of the first ``n`` draws (≤ :data:`CHUNK`) of chunk ``chunk``.

        Draw ``i`` of the chunk is draw ``chunk * CHUNK + i`` of :func:`simulate`'s result
        with the same ``sampler`` (see :func:`simulate`).
        """
        check_sampler(sampler)
        if not 1 <= n <= CHUNK:
            msg = f"a chunk has 1 to {CHUNK} draws, not {n}"
            raise ValueError(msg)
        res = _allocate(self.inp, n)
        work = _workspace(self.inp, min(n, BLOCK))
        rng = _sampler(self, sampler, seed, chunk)
        _kernel(self.inp, self.scenario, rng, res, slice(0, n), self.plan, work)
        return res

    def dataset(
        self,
        res: dict[str, np.ndarray],
        seed: int,
        first_draw: int = 0,
        sampler: str | SamplerFactory = "mc",
    ) -> xr.Dataset:
        """The Dataset of raw result arrays ``res`` (draws numbered from ``first_draw``).

        ``sampler`` is recorded in the attributes as :func:`simulate` records it.
        """
        n = len(res["utilisation"])
        ds = _to_dataset(self.park, self.scenario, self.inp, res, n, seed)
        ds = _with_sampler(ds, sampler)
        if first_draw:
            ds = ds.assign_coords(draw=ds["draw"] + first_draw)
        return ds


def _sampler(run: Run, kind: str | SamplerFactory, seed: int, chunk: int) -> Sampler:
    """The sampler of chunk ``chunk`` of ``run``: ``"mc"``, ``"sobol"`` or a factory's."""
    if callable(kind):
        return kind(seed, chunk)
    if kind == "sobol":
        return SobolSampler(stream_names(run.inp, run.scenario), seed, chunk, CHUNK)
    return Streams(seed, chunk)


def _with_sampler(ds: xr.Dataset, sampler: str | SamplerFactory) -> xr.Dataset:
    """Record a sampler other than Monte Carlo in ``ds.attrs["sampler"]`` (in place)."""
    if sampler != "mc":
        ds.attrs["sampler"] = sampler if isinstance(sampler, str) else "matrix"
    return ds


def _to_dataset(
    park: Park, scenario: Scenario, inp: Inputs, res: dict[str, np.ndarray], n: int, seed: int
) -> xr.Dataset:
    stages = inp.stages
    chain = park.chain
    units = [rate_unit(park.stages[s].unit) for s in stages]
    coords = {
        "draw": np.arange(n),
        "quarter": [quarters.label(q) for q in inp.quarters],
        "stage": stages,
        "unit": ("stage", units),
        "unit_stock": ("stage", [park.stages[s].unit for s in stages]),
        "stage_name_zh": ("stage", [park.stages[s].name_zh for s in stages]),
        "stage_name_en": ("stage", [park.stages[s].name_en for s in stages]),
        "chain": ("stage", [park.stages[s].chain for s in stages]),
        "reference": ("stage", [chain.reference_product(s) or "" for s in stages]),
        "quarter_end": (
            "quarter",
            np.array([quarters.end_date(q) for q in inp.quarters], dtype="datetime64[ns]"),
        ),
        "project": [p.id for p in inp.projects],
        "project_stage": ("project", [p.stage for p in inp.projects]),
        "technology": list(PRODUCT_OF),
    }
    dims3 = ("draw", "quarter", "stage")
    long_names = {
        "nameplate": "nameplate capacity",
        "effective_capacity": "effective capacity (nameplate x utilisation)",
        "output": "output",
        "demand": "demand of the park's downstream stages on this stage",
        "gap": "gap: demand minus local supply (positive = shortfall)",
    }
    data_vars: dict[str, tuple] = {}
    for var in STAGE_VARS:
        data_vars[var] = (
            dims3,
            res[var],
            {"long_name": long_names[var], "units_coordinate": "unit"},
        )
    data_vars["installed"] = (
        dims3,
        res["installed"],
        {
            "long_name": "installed stock of storage installations in service (a stock in the "
            "stage's unit, not per year)",
            "units_coordinate": "unit_stock",
        },
    )
    power = res["electricity"]
    green, allowance = _grid(park, scenario)
    data_vars["electricity_demand"] = (
        ("draw", "quarter"),
        power,
        {
            "long_name": "average electric power demand of the park's output (stages with an "
            "electricity figure in data/electricity.csv)",
            "units": "MW",
        },
    )
    data_vars["green_electricity_demand"] = (
        ("draw", "quarter"),
        power * green,
        {"long_name": "the part of power demand met by green power", "units": "MW"},
    )
    data_vars["market_demand"] = (
        dims3,
        res["market_demand"],
        {
            "long_name": "end-market demand for the stage's product (NaN: no end market)",
            "units_coordinate": "unit",
        },
    )
    data_vars["market_gap"] = (
        dims3,
        res["market_gap"],
        {
            "long_name": "market gap: end-market demand minus local supply (positive = the "
            "market takes more than the park can make; NaN: no end market)",
            "units_coordinate": "unit",
        },
    )
    data_vars["gap_cell_gwh_eq"] = (
        dims3,
        res["gap_cell_gwh_eq"],
        {"long_name": "gap in GWh a year of the stage's reference product", "units": "GWh / a"},
    )
    data_vars["utilisation"] = (
        ("draw", "stage"),
        res["utilisation"],
        {"long_name": "utilisation drawn", "units": "dimensionless"},
    )
    data_vars["demand_growth"] = (
        ("draw",),
        res["demand_growth"],
        {"long_name": "stationary-storage demand growth per year", "units": "1 / a"},
    )
    data_vars["power_growth"] = (
        ("draw",),
        res["power_growth"],
        {"long_name": "power (EV) battery demand growth per year", "units": "1 / a"},
    )
    data_vars["storage_share"] = (
        ("draw",),
        res["storage_share"],
        {
            "long_name": "share of the LFP cells' start output sold for stationary storage",
            "units": "dimensionless",
        },
    )
    data_vars["storage_demand"] = (
        ("draw", "quarter"),
        res["market"],
        {"long_name": "stationary-storage market for the park's products", "units": "GWh / a"},
    )
    data_vars["ev_demand"] = (
        ("draw", "quarter"),
        res["power_market"],
        {"long_name": "power (EV) battery market for the park's LFP cells", "units": "GWh / a"},
    )
    data_vars["technology_demand"] = (
        ("draw", "quarter", "technology"),
        res["tech_demand"],
        {"long_name": "stationary-storage market by technology", "units": "GWh / a"},
    )
    data_vars["project_completes"] = (
        ("draw", "project"),
        res["complete"],
        {
            "long_name": "project completes (1) or not (0); expected share on the deterministic path",
            "units": "dimensionless",
        },
    )
    data_vars["project_start"] = (
        ("draw", "project"),
        res["start"],
        {
            "long_name": "first quarter of output, as a quarter index year*4+q-1",
            "units": "dimensionless",
        },
    )
    # Variables made here: xarray then skips parsing (dims, data, attrs) tuples (a run of
    # 1,000 draws is a few milliseconds; this is a noticeable part of it)
    ds = xr.Dataset({k: xr.Variable(*v) for k, v in data_vars.items()}, coords=coords)
    ds.attrs.update(
        {
            "title": f"parkcap projection: {scenario.name}",
            "scenario": scenario.name,
            "scenario_title_zh": scenario.title_zh,
            "scenario_title_en": scenario.title_en,
            "scenario_hash": scenario.content_hash(),
            "scenario_json": scenario.model_dump_json(),
            "seed": seed,
            "draws": n,
            "deterministic": int(n == 1),
            "data_version": park.data_version,
            "as_of": inp.as_of.isoformat(),
            "start_quarter": quarters.label(int(inp.quarters[0])),
            "horizon": scenario.horizon,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "rates": "capacities and flows are annual rates (stage unit per year)",
            "green_share": green,
            "grid_allowance_mw": allowance if allowance is not None else np.nan,
            "powered_stages": " ".join(s for s in stages if s in park.electricity),
        }
    )
    return ds
