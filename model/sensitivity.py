"""Global sensitivity: which uncertain input moves each stage's gap the most.

Sobol' indices of every stage's supply-chain gap (``gap``) and market gap (``market_gap``)
in one quarter, with respect to the scenario's uncertain inputs grouped into named
*factors* (:data:`model.sampling.FACTORS`): storage-demand growth, power-cell demand
growth, the storage share and start utilisation of the cells' sales, utilisation per chain,
recipe intensities per chain (of the plants that use them), completion probability and
delay per project status, and ramp-up. The technology mix is a scenario lever without a
range, so it never appears (it is listed in ``absent``); neither does any factor whose
inputs have one value in the scenario (a fixed intensity level, a utilisation range of one
value, a status certain to complete).

Method: SALib's Saltelli design over the factor groups (``N × (G + 2)`` model runs for
``N`` base samples and ``G`` factors; scrambled Sobol' points, :func:`saltelli_matrix`),
each column the uniform of one of the kernel's streams (:class:`model.sampling.MatrixSampler`),
evaluated by the simulator chunk by chunk keeping only the quarter asked for, then
:func:`SALib.analyze.sobol.analyze` (first-order ``S1`` and total ``ST`` indices with 95 %
bootstrap half-widths ``S1_conf``, ``ST_conf``; no second order).

Reading them: ``S1`` is the share of the gap's variance explained by the factor alone,
``ST`` the share it takes part in (alone and with others). ``ST ≈ 0``: the factor does not
matter for this gap; ``ST − S1`` large: it matters through interactions (a cap, a
threshold).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np

from model import quarters
from model.catalogue import t
from model.errors import DataError, Problem
from model.park import Park
from model.sampling import FACTORS, MatrixSampler, Stream, stream_list
from model.scenario import Scenario

logger = logging.getLogger(__name__)

#: Base samples ``N`` by default (a power of two): 2,048 × (G + 2) model runs.
DEFAULT_N = 2048
#: The smallest and largest ``N`` accepted (powers of two).
MIN_N, MAX_N = 64, 16384
#: The gap variables analysed, in the order listed per stage.
VARIABLES = ("gap", "market_gap")
#: Bootstrap resamples of SALib's confidence intervals (95 %).
RESAMPLES = 100


def factor_label(factor: str, lang: str, park: Park) -> str:
    """The factor ``factor`` (``kind`` or ``kind:item``) as people read it.

    Parameters
    ----------
    factor
        A factor id from :func:`factors_of` (``utilisation:lithium``, ``completion:reserve``).
    lang
        ``"zh"`` or ``"en"``.
    park
        Names the statuses (``data/status_params.csv``).

    Returns
    -------
    str
        E.g. ``利用率（锂电）`` or ``Utilisation (Lithium)``.
    """
    kind, _, item = factor.partition(":")
    if not item:
        return t(f"sens_factor_{kind}", lang)
    if kind in ("utilisation", "intensity"):
        name = t(f"chain_{item}", lang)
    else:
        sp = park.status_params.get(item)
        name = (sp.name_zh if lang == "zh" else sp.name_en) if sp is not None else item
    return t(f"sens_factor_{kind}_of", lang, item=name)


def factors_of(streams: list[Stream]) -> tuple[list[str], list[str]]:
    """The factors with spread, in :data:`model.sampling.FACTORS` order, and those without.

    Parameters
    ----------
    streams
        From :func:`model.sampling.stream_list`.

    Returns
    -------
    tuple of (list of str, list of str)
        The factor ids whose streams can move the result, and the absent ones: every kind
        of :data:`model.sampling.FACTORS` without such a stream, and each factor id whose
        streams all have one value.
    """
    varying: list[str] = []
    for s in streams:
        if s.spread and s.factor not in varying:
            varying.append(s.factor)
    order = {kind: k for k, kind in enumerate(FACTORS)}
    varying.sort(key=lambda f: order[f.partition(":")[0]])
    kinds = {f.partition(":")[0] for f in varying}
    absent = [k for k in FACTORS if k not in kinds]
    absent += sorted({s.factor for s in streams if s.factor not in varying} - set(absent))
    return varying, absent


def check_n(n: int, lang: str = "en") -> int:
    """Refuse a sample size other than a power of two from :data:`MIN_N` to :data:`MAX_N`.

    Parameters
    ----------
    n
        Base samples asked for.
    lang
        Language of the problem's expectation, ``"zh"`` or ``"en"``.

    Returns
    -------
    int
        ``n``.

    Raises
    ------
    model.errors.DataError
        Naming ``--n``, the value and what is expected.
    """
    if not isinstance(n, int) or not MIN_N <= n <= MAX_N or n & (n - 1):
        raise DataError(
            [
                Problem(
                    "command line",
                    None,
                    "--n",
                    n,
                    t("sens_expected_n", lang, low=MIN_N, high=MAX_N, default=DEFAULT_N),
                )
            ]
        )
    return n


def saltelli_matrix(groups: list[str], n: int, seed: int) -> np.ndarray:
    """SALib's Saltelli design without second order, over factor groups, vectorised.

    Row for row the matrix of :func:`SALib.sample.sobol.sample` (``calc_second_order=False``,
    scrambled): for each base sample ``i``, the row of matrix A, one row per group with that
    group's columns taken from B, then the row of B.

    Parameters
    ----------
    groups
        The group of each column (stream), groups in order of first appearance.
    n
        Base samples (a power of two).
    seed
        Scrambling seed.

    Returns
    -------
    numpy.ndarray
        (n × (G + 2), len(groups)) uniforms in [0, 1).
    """
    from scipy.stats import qmc

    d = len(groups)
    names = list(dict.fromkeys(groups))
    base = qmc.Sobol(d=2 * d, scramble=True, seed=seed).random_base2(int(math.log2(n)))
    a, b = base[:, :d], base[:, d:]
    out = np.empty((n, len(names) + 2, d))
    out[:, 0] = a
    member = np.array(groups)
    for k, g in enumerate(names):
        out[:, k + 1] = np.where(member == g, b, a)
    out[:, -1] = b
    return out.reshape(-1, d)


def sobol_indices(
    park: Park,
    scenario: Scenario,
    quarter: str,
    n: int | None = None,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    as_of: date | None = None,
    known_as_of: date | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """Sobol' indices of every stage's gaps in ``quarter`` by factor.

    Parameters
    ----------
    park, scenario
        The data and the scenario whose uncertain inputs are analysed.
    quarter
        ``"2030Q4"``: a quarter of the projection (its start to the scenario's horizon).
    n
        Base samples, a power of two from 64 to 16,384 (default :data:`DEFAULT_N`); the
        model runs ``n × (factors + 2)`` draws.
    seed
        Scrambling seed of the design (default: the scenario's). Same seed, same indices.
    progress
        Called as ``progress(done_runs, total_runs)`` after each chunk of model runs.
    as_of, known_as_of
        As for :func:`model.simulate.simulate`.
    lang
        Language of the problems raised, ``"zh"`` or ``"en"``.

    Returns
    -------
    dict
        ``{"scenario", "quarter", "n", "runs", "seed", "stages", "absent", "constant"}``.
        ``stages`` has one entry per stage and gap variable whose value varies across runs:
        ``{"stage", "variable" ("gap" or "market_gap"), "unit" (the stage's unit, a year),
        "factors": [{"factor", "S1", "S1_conf", "ST", "ST_conf"}, ...]}``, factors by ``ST``
        largest first; indices are shares of variance (0-1), ``*_conf`` the half-width of
        their 95 % interval. Left out and listed in ``constant`` as ``"stage:variable"``:
        gaps with no variance (nothing uncertain reaches them); ``market_gap`` is analysed
        only for stages with an end market. ``absent``: factors with no spread in this
        scenario (see :func:`factors_of`).

    Raises
    ------
    model.errors.DataError
        If ``n`` is not accepted, or the scenario has no uncertain input.
    model.gaps.QuarterOutOfRange
        If ``quarter`` is outside the projection.
    """
    from SALib.analyze import sobol as salib_sobol

    from model.gaps import QuarterOutOfRange
    from model.simulate import CHUNK, Run

    n_ = check_n(DEFAULT_N if n is None else n, lang)
    seed_ = int(seed if seed is not None else scenario.seed)
    run = Run.prepare(park, scenario, as_of, known_as_of)
    labels = [quarters.label(int(q)) for q in run.inp.quarters]
    if quarter not in labels:
        msg = t("sens_quarter_out", lang, quarter=quarter, first=labels[0], last=labels[-1])
        raise QuarterOutOfRange(msg)
    qi = labels.index(quarter)
    chains = [park.stages[s].chain for s in run.inp.stages]
    streams = stream_list(run.inp, scenario, chains)
    varying, absent = factors_of(streams)
    if not varying:
        raise DataError(
            [
                Problem(
                    f"scenario '{scenario.name}'",
                    None,
                    "uncertainty",
                    None,
                    t("sens_no_uncertainty", lang),
                )
            ]
        )
    order = {f: k for k, f in enumerate(varying)}
    used = sorted((s for s in streams if s.spread), key=lambda s: order[s.factor])
    groups = [s.factor for s in used]
    columns = {s.name: k for k, s in enumerate(used)}
    rows = n_ * (len(varying) + 2)
    _check_memory(rows, len(used), len(run.inp.stages), n_, lang, park, scenario, run)
    matrix = saltelli_matrix(groups, n_, seed_)
    logger.info("sensitivity: %d factors, %d streams, %d runs", len(varying), len(used), rows)

    stages = run.inp.stages
    y = {var: np.empty((rows, len(stages))) for var in VARIABLES}
    for k in range(math.ceil(rows / CHUNK)):
        m = min(CHUNK, rows - k * CHUNK)

        def factory(_seed: int, chunk: int) -> MatrixSampler:
            return MatrixSampler(matrix, columns, chunk * CHUNK)

        res = run.chunk(seed_, k, m, sampler=factory)
        for var in VARIABLES:
            y[var][k * CHUNK : k * CHUNK + m] = res[var][:, qi, :]
        if progress is not None:
            progress(k * CHUNK + m, rows)

    problem = {"num_vars": len(used), "names": list(columns), "groups": groups}
    problem["bounds"] = [[0.0, 1.0]] * len(used)
    out_stages: list[dict[str, Any]] = []
    constant: list[str] = []
    for j, sid in enumerate(stages):
        for var in VARIABLES:
            values = y[var][:, j]
            if not np.all(np.isfinite(values)):  # no end market: NaN
                continue
            scale = max(float(np.max(np.abs(values))), 1e-300)
            if float(np.std(values)) <= 1e-7 * scale:
                constant.append(f"{sid}:{var}")
                continue
            si = salib_sobol.analyze(
                problem,
                values,
                calc_second_order=False,
                num_resamples=RESAMPLES,
                conf_level=0.95,
                seed=seed_,
            )
            rows_f = [
                {"factor": f} | {k: _finite(si[k][g]) for k in ("S1", "S1_conf", "ST", "ST_conf")}
                for g, f in enumerate(varying)
            ]
            rows_f.sort(key=lambda r: -(r["ST"] if r["ST"] is not None else -1.0))
            out_stages.append(
                {
                    "stage": sid,
                    "variable": var,
                    "unit": park.stages[sid].unit,
                    "factors": rows_f,
                }
            )
    return {
        "scenario": scenario.name,
        "quarter": quarter,
        "n": n_,
        "runs": rows,
        "seed": seed_,
        "stages": out_stages,
        "absent": absent,
        "constant": constant,
    }


def _finite(value: float) -> float | None:
    """A float for JSON: ``None`` where SALib gives NaN (no estimate)."""
    v = float(value)
    return v if math.isfinite(v) else None


def _check_memory(
    rows: int,
    columns: int,
    stages: int,
    n: int,
    lang: str,
    park: Park,
    scenario: Scenario,
    run: Any,
) -> None:
    """Refuse a design whose matrix, kept gaps and one chunk exceed the memory limit.

    The design holds ``rows × columns`` uniforms and two (rows, stages) gap arrays, all
    float64, beside one chunk of the simulator (:func:`model.budget.check_simulation`).
    """
    from model.budget import check_simulation, format_bytes, memory_limit
    from model.simulate import CHUNK

    chunk = check_simulation(park, scenario, min(rows, CHUNK), run.inp.as_of)
    need = rows * (columns + len(VARIABLES) * stages) * 8 + chunk
    cap = memory_limit()
    if need > cap:
        raise DataError(
            [
                Problem(
                    "command line",
                    None,
                    "--n",
                    n,
                    t("sens_too_big", lang, need=format_bytes(need), limit=format_bytes(cap)),
                )
            ]
        )


def top_driver(entry: dict[str, Any]) -> dict[str, Any]:
    """The factor with the largest total index of one ``stages`` entry of :func:`sobol_indices`."""
    return entry["factors"][0]  # sorted by ST, largest first
