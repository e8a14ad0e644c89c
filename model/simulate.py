"""The quarterly Monte Carlo growth simulator: a park and a scenario in, a Dataset out.

Per draw, vectorised over draws, projects, quarters and stages (no Python loop over them):

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

All arrays inside are plain float64 in canonical units (capacities and flows are annual
rates: stage unit per year). Units are attached at the edge: the Dataset records every
variable's unit (a per-stage ``unit`` coordinate for variables with a ``stage`` dimension,
``attrs["units"]`` otherwise) so that :func:`model.results.quantify` gives pint quantities back.
Preparing the arrays is :mod:`model.inputs`; summaries and units of a result are
:mod:`model.results`.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Callable
from datetime import UTC, date, datetime

import numpy as np
import xarray as xr

from model import quarters
from model.errors import DataError, Problem
from model.inputs import Inputs, prepare
from model.park import Park
from model.results import PERCENTILES, is_short, quantify, summarize, units_of
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
STAGE_VARS = ("nameplate", "effective_capacity", "output", "demand", "gap")
CHUNK = 2500  # draws simulated at once; bounds memory of the temporaries
QUARTERS_PER_YEAR = float(Q_(1, "a").to("calendar_quarter").magnitude)


# ---------------------------------------------------------------------------
# the kernel: plain arrays only
# ---------------------------------------------------------------------------
def _ramp(t: np.ndarray, ramp_q: np.ndarray, shape: str) -> np.ndarray:
    """Share of nameplate reached ``t`` quarters after the start (t=0: first quarter of output)."""
    if shape == "instant":
        return (t >= 0).astype(float)
    x = np.clip((t + 1) / ramp_q, 0.0, 1.0)
    return x if shape == "linear" else x * x * (3.0 - 2.0 * x)


def _allocate(inp: Inputs, n: int) -> dict[str, np.ndarray]:
    """Result arrays for ``n`` draws, filled chunk by chunk by :func:`_kernel`."""
    T, S, P = len(inp.quarters), len(inp.stages), len(inp.projects)
    shapes = {
        var: (n, T, S) for var in ("nameplate", "effective_capacity", "output", "demand", "gap")
    }
    shapes.update(
        utilisation=(n, S),
        demand_growth=(n,),
        market=(n, T),
        tech_demand=(n, T, len(PRODUCT_OF)),
        complete=(n, P),
        start=(n, P),
    )
    return {k: np.empty(v) for k, v in shapes.items()}


class Streams:
    """Common random numbers: one independent stream per named quantity and chunk.

    Each project, stage and recipe line draws from its own stream, keyed by the seed, the
    chunk and a stable hash of its name. Two scenarios run with the same seed therefore
    share every draw they have in common (the same project completes in the same draws),
    so their difference is the effect of what differs, not sampling noise.
    """

    def __init__(self, seed: int, chunk: int) -> None:
        self.seed = seed
        self.chunk = chunk

    def __call__(self, name: str) -> np.random.Generator:
        """The generator of the stream named ``name`` in this chunk."""
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little")
        return np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=(self.chunk, key)))
        )


def _per_item(
    streams: Streams, names: list[str], draw: Callable[[np.random.Generator], np.ndarray]
) -> np.ndarray:
    """Stack one column per named item, each from its own stream: shape (n, len(names))."""
    n_cols = [draw(streams(name)) for name in names]
    return np.stack(n_cols, axis=1) if n_cols else np.empty((0, 0))


def _kernel(
    inp: Inputs,
    scenario: Scenario,
    rng: Streams | None,
    res: dict[str, np.ndarray],
    sl: slice,
    park_stage_index: dict[str, int],
) -> None:
    """Simulate the draws ``sl`` into the arrays ``res``.

    ``rng=None``: the deterministic expected path (central values).
    """
    _T, S, P = len(inp.quarters), len(inp.stages), len(inp.projects)
    n = sl.stop - sl.start
    det = rng is None
    # -- projects: completion, delay, ramp ---------------------------------
    if det:
        complete = np.broadcast_to(inp.p_complete, (n, P))
        delay = np.broadcast_to(np.round(inp.p_delay_mean), (n, P))
        lo_r, hi_r = scenario.ramp_up.quarters
        ramp_q = np.full((n, P), round((lo_r + hi_r) / 2))
    else:
        # per project: uniform for completion, standard gamma for delay, uniform for ramp
        with np.errstate(divide="ignore", invalid="ignore"):
            shape_k = np.where(inp.p_delay_sd > 0, (inp.p_delay_mean / inp.p_delay_sd) ** 2, 1.0)
            scale = np.where(
                inp.p_delay_mean > 0, inp.p_delay_sd**2 / np.maximum(inp.p_delay_mean, 1e-12), 0.0
            )
        ids = [f"project:{p.id}" for p in inp.projects]
        u = np.empty((n, P, 3))
        for k, name in enumerate(ids):  # a stream per quantity: more draws extend, never reshuffle
            u[:, k, 0] = rng(f"{name}:complete").random(n)
            u[:, k, 1] = rng(f"{name}:delay").standard_gamma(max(float(shape_k[k]), 1e-9), n)
            u[:, k, 2] = rng(f"{name}:ramp").random(n)
        complete = (u[:, :, 0] < inp.p_complete).astype(float)
        delay = np.where(
            inp.p_delay_sd > 0, np.round(u[:, :, 1] * scale), np.round(inp.p_delay_mean)
        )
        lo_r, hi_r = scenario.ramp_up.quarters
        ramp_q = np.floor(lo_r + u[:, :, 2] * (hi_r - lo_r + 1))
    start = inp.p_start[None, :] + delay  # (n, P)
    t = inp.quarters[None, None, :] - start[:, :, None]  # (n, P, T)
    frac = _ramp(t, ramp_q[:, :, None], scenario.ramp_up.shape)
    onehot = np.zeros((P, S))
    onehot[np.arange(P), inp.p_stage] = 1.0
    nameplate = res["nameplate"][sl]
    np.einsum("npt,np,ps->nts", frac, complete * inp.p_capacity, onehot, out=nameplate)
    nameplate += inp.base[None, None, :]  # (n, T, S)

    # -- utilisation and effective capacity ----------------------------------
    if det:
        util = np.broadcast_to((inp.util_lo + inp.util_hi) / 2, (n, S))
    else:
        util = inp.util_lo + _per_item(
            rng, [f"utilisation:{s}" for s in inp.stages], lambda g: g.random(n)
        ) * (inp.util_hi - inp.util_lo)
    effective = res["effective_capacity"][sl]
    np.multiply(nameplate, util[:, None, :], out=effective)

    # -- storage-market demand ------------------------------------------------
    dem = scenario.demand
    growth = (
        np.full(n, dem.growth)
        if det
        else dem.growth + dem.growth_spread * (2.0 * rng("demand:growth").random(n) - 1.0)
    )
    growth = np.maximum(growth, -0.99)
    i_lfp = park_stage_index.get("lfp_cell")
    if dem.base_gwh is not None:
        m0 = np.full(n, dem.base_gwh)
    elif (
        i_lfp is not None
    ):  # today's sales: the cells' nameplate at the low end of their utilisation
        m0 = nameplate[:, 0, i_lfp] * inp.util_lo[i_lfp]
    else:
        m0 = np.zeros(n)
    years = (inp.quarters - inp.quarters[0]) / QUARTERS_PER_YEAR
    market = m0[:, None] * (1.0 + growth[:, None]) ** years[None, :]  # (n, T)
    new = np.maximum(market - m0[:, None], 0.0)
    shares = scenario.technology_mix.shares()
    tech_demand = {k: shares[k] * new for k in PRODUCT_OF}
    tech_demand["lfp"] = tech_demand["lfp"] + np.minimum(m0[:, None], market)

    # -- output: storage products follow demand, the rest run at capacity ----
    output = res["output"][sl]
    output[...] = effective
    for tech, stage in PRODUCT_OF.items():
        j = park_stage_index.get(stage)
        if j is not None:
            output[:, :, j] = np.minimum(effective[:, :, j], tech_demand[tech])
    cell_demand = tech_demand["lfp"] + tech_demand["sodium_ion"]
    j_cab = park_stage_index.get(CABINET)
    if j_cab is not None:
        output[:, :, j_cab] = np.minimum(effective[:, :, j_cab], cell_demand)

    # -- demand on inputs through the recipes --------------------------------
    if det or scenario.intensity != "sampled":
        level = "central" if det and scenario.intensity == "sampled" else scenario.intensity
        inten = np.broadcast_to(getattr(inp, f"line_{level}"), (n, len(inp.line_input)))
    else:
        names = [
            f"recipe:{inp.stages[o]}:{t}:{inp.stages[i]}"
            for o, t, i in zip(inp.line_output, inp.line_tech, inp.line_input, strict=True)
        ]
        u = _per_item(rng, names, lambda g: g.random(n))
        inten = _triangular(u, inp.line_low, inp.line_central, inp.line_high)
    with np.errstate(divide="ignore", invalid="ignore"):
        lfp_share = np.where(cell_demand > 0, tech_demand["lfp"] / cell_demand, 1.0)  # (n, T)
    contrib = inten[:, None, :] * output[:, :, inp.line_output]  # (n, T, L)
    for k, tech in enumerate(inp.line_tech):
        if j_cab is not None and inp.line_output[k] == j_cab:
            contrib[:, :, k] *= lfp_share if tech == "lfp" else 1.0 - lfp_share
    incidence = np.zeros((len(inp.line_input), S))
    incidence[np.arange(len(inp.line_input)), inp.line_input] = 1.0
    np.matmul(contrib, incidence, out=res["demand"][sl])  # (n, T, S)
    np.subtract(res["demand"][sl], effective, out=res["gap"][sl])
    res["utilisation"][sl] = util
    res["demand_growth"][sl] = growth
    res["market"][sl] = market
    res["tech_demand"][sl] = np.stack([tech_demand[k] for k in PRODUCT_OF], axis=-1)
    res["complete"][sl] = complete
    res["start"][sl] = start


def _triangular(u: np.ndarray, lo: np.ndarray, c: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Inverse CDF of the triangular distribution (handles lo == hi)."""
    span = hi - lo
    with np.errstate(divide="ignore", invalid="ignore"):
        fc = np.where(span > 0, (c - lo) / span, 0.5)
        left = lo + np.sqrt(u * span * (c - lo))
        right = hi - np.sqrt((1 - u) * span * (hi - c))
    return np.where(span > 0, np.where(u < fc, left, right), c)


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

    Returns
    -------
    xarray.Dataset
        Dimensions ``draw``, ``quarter``, ``stage`` (plus ``project``, ``technology``).
        Stage variables (``nameplate``, ``effective_capacity`` (= local supply), ``output``,
        ``demand``, ``gap``) are annual rates in each stage's unit, given by the ``unit``
        coordinate; ``gap_cell_gwh_eq`` is in GWh/a of each stage's ``reference`` product.
        Attributes: scenario, scenario_hash, seed, draws, data_version, as_of, horizon,
        created.
    """
    n = int(draws if draws is not None else scenario.draws)
    if n < 1:
        raise DataError([Problem("simulate", None, "draws", n, "expected 1 or more")])
    seed_ = int(seed if seed is not None else scenario.seed)
    inp = prepare(park, scenario, as_of, known_as_of)
    index = {s: i for i, s in enumerate(inp.stages)}
    res = _allocate(inp, n)
    if n == 1:
        _kernel(inp, scenario, None, res, slice(0, 1), index)
    else:
        for k in range(math.ceil(n / CHUNK)):
            sl = slice(k * CHUNK, min(n, (k + 1) * CHUNK))
            _kernel(inp, scenario, Streams(seed_, k), res, sl, index)
            if progress is not None:
                progress(sl.stop, n)
    return _to_dataset(park, scenario, inp, res, n, seed_)


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
    with np.errstate(divide="ignore", invalid="ignore"):
        gap_eq = res["gap"] / inp.yardstick[None, None, :]
    data_vars["gap_cell_gwh_eq"] = (
        dims3,
        gap_eq,
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
        {"long_name": "storage demand growth per year", "units": "1 / a"},
    )
    data_vars["storage_demand"] = (
        ("draw", "quarter"),
        res["market"],
        {"long_name": "storage-market demand for the park's products", "units": "GWh / a"},
    )
    data_vars["technology_demand"] = (
        ("draw", "quarter", "technology"),
        res["tech_demand"],
        {"long_name": "storage demand by technology", "units": "GWh / a"},
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
    ds = xr.Dataset(data_vars, coords=coords)
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
        }
    )
    return ds
