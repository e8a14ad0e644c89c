"""Where the simulator's random numbers come from: samplers, stream names, factor groups.

The kernel (:mod:`model.simulate`) never makes random numbers itself: it asks a *sampler*
for the draws of one named stream at a time, with two methods, ``random(name, n, out=)``
(uniforms in [0, 1)) and ``standard_gamma(name, shape, n, out=)`` (project delays before
scaling). Three samplers share that seam:

* ``"mc"`` — Monte Carlo: :class:`model.simulate.Streams`, one PCG64 stream per name
  and chunk (the default; its results are pinned by the tests bit for bit).
* ``"sobol"`` — quasi-Monte Carlo: :class:`SobolSampler` gives each stream one dimension of
  a scrambled Sobol' sequence (:class:`scipy.stats.qmc.Sobol`, scrambled with the seed);
  draw ``i`` of the run is point ``i`` of the sequence, so chunk ``k`` starts at point
  ``k * CHUNK`` whatever the split, and the same seed gives the same result. A gamma draw is
  the inverse CDF of its uniform (:func:`scipy.stats.gamma.ppf`).
* :class:`MatrixSampler` — a given matrix of uniforms, one row per model run and one column
  per stream: the sensitivity analysis (:mod:`model.sensitivity`) evaluates SALib's
  Saltelli design through it.

Which streams a run draws, in the kernel's order, is :func:`stream_list` — the one place
that lists them (the kernel asks for exactly these names: a test holds them together). Each
stream belongs to a named *factor* (:data:`FACTORS`): the groups of the sensitivity
analysis. A stream whose draws cannot move the result (a utilisation range of one value, a
project certain to complete, a delay without spread) is marked ``spread=False``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from model.inputs import Inputs
from model.scenario import Scenario

#: The samplers of :func:`model.simulate.simulate` and ``--sampler``.
SAMPLERS = ("mc", "sobol")
#: The most dimensions scipy's Sobol' engine has direction numbers for.
MAX_SOBOL_DIMENSIONS = 21201

#: Factor kinds, in the order the sensitivity tables list them. A factor id is the kind,
#: or ``kind:item`` for factors per chain (``utilisation:lithium``) or per project status
#: (``completion:reserve``).
FACTORS = (
    "demand_growth",
    "power_growth",
    "storage_share",
    "start_utilisation",
    "technology_mix",
    "utilisation",
    "intensity",
    "completion",
    "delay",
    "ramp",
)


class Sampler(Protocol):
    """What the kernel draws its random numbers from (one object per chunk of draws)."""

    def random(self, name: str, n: int, out: np.ndarray | None = None) -> np.ndarray:
        """The first ``n`` uniforms in [0, 1) of the stream ``name`` (into ``out``)."""
        ...

    def standard_gamma(
        self, name: str, shape: float, n: int, out: np.ndarray | None = None
    ) -> np.ndarray:
        """The first ``n`` standard-gamma draws of shape ``shape`` of the stream ``name``."""
        ...


#: Makes the sampler of one chunk: ``factory(seed, chunk)``.
SamplerFactory = Callable[[int, int], Sampler]


@dataclass(frozen=True)
class Stream:
    """One named stream of the kernel's draws.

    Attributes
    ----------
    name
        The stream's name, as the kernel asks for it (``project:ID:complete``, ...).
    factor
        The factor it belongs to (see :data:`FACTORS`).
    spread
        Whether its draws can move the result (False: the quantity has one value).
    gamma
        True for a gamma stream (``standard_gamma``), False for a uniform one.
    """

    name: str
    factor: str
    spread: bool
    gamma: bool = False


def stream_list(inp: Inputs, scenario: Scenario, chains: list[str]) -> list[Stream]:
    """Every stream the kernel draws for ``inp`` and ``scenario``, in the kernel's order.

    Parameters
    ----------
    inp
        The prepared run (:func:`model.inputs.prepare`).
    scenario
        The scenario it was prepared from.
    chains
        The chain of each of ``inp.stages`` (groups utilisation and intensities).

    Returns
    -------
    list of Stream
        Projects (completion, delay, ramp-up of each), utilisation per stage, the end
        markets' streams, then the recipe lines' intensities when they are sampled.
    """
    out: list[Stream] = []
    lo_r, hi_r = scenario.ramp_up.quarters
    ramp_spread = hi_r > lo_r and scenario.ramp_up.shape != "instant"
    for k, p in enumerate(inp.projects):
        pc = float(inp.p_complete[k])
        name = f"project:{p.id}"
        out.append(Stream(f"{name}:complete", f"completion:{p.status}", 0.0 < pc < 1.0))
        out.append(
            Stream(f"{name}:delay", f"delay:{p.status}", bool(inp.p_delay_sd[k] > 0), gamma=True)
        )
        out.append(Stream(f"{name}:ramp", "ramp", ramp_spread and pc > 0.0))
    for s, stage in enumerate(inp.stages):
        spread = bool(inp.util_hi[s] > inp.util_lo[s])
        out.append(Stream(f"utilisation:{stage}", f"utilisation:{chains[s]}", spread))
    mk = inp.markets
    if mk is None:  # pragma: no cover - prepare always resolves the markets
        msg = "inputs without markets"
        raise ValueError(msg)
    out.append(Stream("demand:growth", "demand_growth", mk.growth_spread > 0))
    out.append(Stream("demand:power_growth", "power_growth", mk.power_growth_spread > 0))
    if mk.share_low != mk.share_high:
        out.append(Stream("demand:storage_share", "storage_share", True))
    if "lfp_cell" in inp.stages and mk.start_util is not None:
        lo, _, hi = mk.start_util
        if lo != hi:
            out.append(Stream("demand:start_utilisation", "start_utilisation", True))
    if scenario.intensity == "sampled":
        for k, (o, tech, i) in enumerate(
            zip(inp.line_output, inp.line_tech, inp.line_input, strict=True)
        ):
            spread = bool(inp.line_high[k] > inp.line_low[k])
            name = f"recipe:{inp.stages[o]}:{tech}:{inp.stages[i]}"
            out.append(Stream(name, f"intensity:{chains[o]}", spread))
    return out


def stream_names(inp: Inputs, scenario: Scenario) -> list[str]:
    """The names of :func:`stream_list`, in the kernel's order (the Sobol' dimensions).

    Parameters
    ----------
    inp, scenario
        The prepared run and its scenario.

    Returns
    -------
    list of str
        One name per stream.
    """
    return [s.name for s in stream_list(inp, scenario, [""] * len(inp.stages))]


def _gamma_ppf(u: np.ndarray, shape: float, out: np.ndarray | None) -> np.ndarray:
    """Standard-gamma draws of shape ``shape`` from uniforms ``u`` (inverse CDF)."""
    from scipy import stats  # scipy.stats is slow to import: only when sampling

    with np.errstate(all="ignore"):
        x = stats.gamma.ppf(u, shape)
    x = np.nan_to_num(x, nan=0.0, posinf=0.0)
    if out is None:
        return x
    out[...] = x
    return out


class SobolSampler:
    """Scrambled Sobol' points, one dimension per stream (quasi-Monte Carlo).

    Parameters
    ----------
    names
        The streams in dimension order (:func:`stream_names`).
    seed
        Scrambling seed: the same seed gives the same points.
    chunk, chunk_size
        Draw ``i`` of this chunk is point ``chunk * chunk_size + i`` of the sequence.
    """

    def __init__(self, names: list[str], seed: int, chunk: int, chunk_size: int) -> None:
        if len(names) > MAX_SOBOL_DIMENSIONS:
            msg = (
                f"the Sobol' sampler has at most {MAX_SOBOL_DIMENSIONS} dimensions; this run "
                f"draws {len(names)} streams: use --sampler mc"
            )
            raise ValueError(msg)
        self.dims = {name: k for k, name in enumerate(names)}
        self.seed = seed
        self.first = chunk * chunk_size
        self._points: np.ndarray | None = None

    def _columns(self, n: int) -> np.ndarray:
        """The chunk's points, (dimensions, n), made once per chunk."""
        if self._points is None or self._points.shape[1] < n:
            from scipy.stats import qmc

            engine = qmc.Sobol(max(len(self.dims), 1), scramble=True, rng=self.seed)
            if self.first:
                engine.fast_forward(self.first)
                pts = engine.random(n)
            else:  # from the start: a power of two keeps scipy's balance warning quiet
                pts = engine.random_base2(max(math.ceil(math.log2(n)), 0))[:n]
            self._points = np.ascontiguousarray(pts.T)
        return self._points

    def random(self, name: str, n: int, out: np.ndarray | None = None) -> np.ndarray:
        """The points of the stream ``name``'s dimension for the chunk's first ``n`` draws."""
        col = self._columns(n)[self.dims[name], :n]
        if out is None:
            return col.copy()
        out[...] = col
        return out

    def standard_gamma(
        self, name: str, shape: float, n: int, out: np.ndarray | None = None
    ) -> np.ndarray:
        """Standard-gamma draws: the inverse CDF of the stream's Sobol' coordinates."""
        return _gamma_ppf(self._columns(n)[self.dims[name], :n], shape, out)


class MatrixSampler:
    """Uniforms from a given matrix: row = model run, column = stream.

    Parameters
    ----------
    matrix
        (runs, columns) uniforms in [0, 1].
    columns
        Stream name -> column of ``matrix``; any other stream draws 0.5 (its median: the
        streams left out are those whose draws cannot move the result).
    first
        The row of the chunk's first draw.
    """

    def __init__(self, matrix: np.ndarray, columns: dict[str, int], first: int) -> None:
        self.matrix = matrix
        self.columns = columns
        self.first = first

    def _column(self, name: str, n: int) -> np.ndarray:
        k = self.columns.get(name)
        if k is None:
            return np.full(n, 0.5)
        col = self.matrix[self.first : self.first + n, k]
        # a Saltelli design may hold 1.0; the kernel's inverse CDFs expect [0, 1)
        return np.minimum(col, np.nextafter(1.0, 0.0))

    def random(self, name: str, n: int, out: np.ndarray | None = None) -> np.ndarray:
        """The matrix's column of ``name`` for the chunk's ``n`` runs."""
        col = self._column(name, n)
        if out is None:
            return col.copy()
        out[...] = col
        return out

    def standard_gamma(
        self, name: str, shape: float, n: int, out: np.ndarray | None = None
    ) -> np.ndarray:
        """Standard-gamma draws: the inverse CDF of the column's uniforms."""
        return _gamma_ppf(self._column(name, n), shape, out)


def check_sampler(sampler: object) -> None:
    """Refuse a sampler name other than those of :data:`SAMPLERS`.

    Parameters
    ----------
    sampler
        ``"mc"``, ``"sobol"`` or a factory ``(seed, chunk) -> Sampler``.

    Raises
    ------
    model.errors.DataError
        Naming the value and the samplers expected.
    """
    from model.errors import DataError, Problem

    if callable(sampler) or sampler in SAMPLERS:
        return
    raise DataError(
        [Problem("simulate", None, "sampler", sampler, f"expected one of {', '.join(SAMPLERS)}")]
    )
