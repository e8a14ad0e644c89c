"""The memory budget of a simulation run, checked before anything is allocated.

A run of :func:`model.simulate.simulate` holds every draw of every quarter and stage in
memory: its size grows with draws × quarters × stages. :func:`estimate_bytes` computes
the bytes the simulator allocates for a run (the result arrays, the chunk temporaries and
room for one summary), and :func:`check_run` refuses a run whose estimate exceeds the
limit with a :class:`~model.errors.Problem` that names both in human units. The same
budget serves every run: ``simulate()`` checks it first (CLI, web app, notebooks), and the
web app can share one budget between concurrent runs with :func:`reserve`.

The limit is, in order: the ``limit`` argument, the environment variable
``PARKCAP_MEMORY_LIMIT`` (``"8GiB"``, ``"500MB"``, or a number of bytes), else
:data:`DEFAULT_LIMIT` (8 GiB, or half the machine's memory if that is less).

Horizons are bounded too: :data:`MAX_HORIZON_YEAR` is the last year a projection may
reach (the scenario schema and the command line refuse later quarters).

This module sits with the ground layer: it imports only :mod:`model.errors` and
:mod:`model.quarters`, and reads a park and a scenario by their attributes.
"""

from __future__ import annotations

import math
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from model import quarters
from model.errors import DataError, Problem

__all__ = [
    "BLOCK",
    "BYTES",
    "CHUNK",
    "DEFAULT_LIMIT",
    "ENV_VAR",
    "LAST_QUARTER",
    "MAX_HORIZON_YEAR",
    "N_TECHNOLOGIES",
    "RESULT_ARRAYS",
    "check_run",
    "check_simulation",
    "check_streamed",
    "estimate_bytes",
    "estimate_parts",
    "estimate_streamed",
    "format_bytes",
    "horizon_expectation",
    "memory_limit",
    "parse_size",
    "reserve",
    "reserved_bytes",
    "run_size",
]

#: The last year a projection may reach: ``2060Q4`` is the last quarter allowed.
MAX_HORIZON_YEAR = 2060
#: Quarter index of ``2060Q4``.
LAST_QUARTER = MAX_HORIZON_YEAR * 4 + 3
#: The environment variable that sets the limit.
ENV_VAR = "PARKCAP_MEMORY_LIMIT"
#: Draws simulated at once; equal to :data:`model.simulate.CHUNK` (a test checks).
CHUNK = 2500
#: Storage technologies in the result (``technology`` dimension); equal to
#: ``len(model.simulate.PRODUCT_OF)`` (a test checks).
N_TECHNOLOGIES = 4
#: Draws per block of the simulator's (draw, quarter, stage) arithmetic; equal to
#: :data:`model.simulate.BLOCK` (a test checks).
BLOCK = 256
#: Bytes of one value of the simulator's arithmetic and temporaries (float64).
FLOAT_BYTES = 8
#: Bytes of one value of each stored kind: float64, and float32 for the stage variables that
#: the simulator stores rounded (``model.simulate.RESULT_DTYPES``).
BYTES = {"float64": 8, "float32": 4}
#: The result's per-draw variables, counted by their dimensions after ``draw`` and the bytes
#: of one value (a test checks this against the Dataset that
#: :func:`model.simulate.simulate` returns):
#:
#: * quarter × stage, float64: nameplate, market_demand;
#: * quarter × stage, float32: effective_capacity, output, demand, gap, installed,
#:   market_gap, gap_cell_gwh_eq;
#: * stage: utilisation; none: demand_growth, power_growth, storage_share;
#: * quarter: storage_demand, ev_demand, electricity_demand, green_electricity_demand;
#:   quarter × technology: technology_demand;
#: * project: project_completes, project_start.
RESULT_ARRAYS: dict[tuple[tuple[str, ...], int], int] = {
    (("quarter", "stage"), BYTES["float64"]): 2,
    (("quarter", "stage"), BYTES["float32"]): 7,
    (("stage",), BYTES["float64"]): 1,
    ((), BYTES["float64"]): 3,
    (("quarter",), BYTES["float64"]): 4,
    (("quarter", "technology"), BYTES["float64"]): 1,
    (("project",), BYTES["float64"]): 2,
}
#: Room for summaries of a result, in quarter × stage arrays per draw (percentiles copy
#: and sort a variable at a time).
SUMMARY_ARRAYS = 2

_GIB = 2**30


def _default_limit() -> int:
    """8 GiB, or half the machine's physical memory if that is less (when it is known)."""
    limit = 8 * _GIB
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # not on this platform
        return limit
    return min(limit, physical // 2) if physical > 0 else limit


#: The limit when neither the argument nor ``PARKCAP_MEMORY_LIMIT`` sets one: 8 GiB leaves
#: room on the 24 GiB server for the web app, a second run and the operating system.
DEFAULT_LIMIT = _default_limit()


def horizon_expectation() -> str:
    """The expectation of a problem with a quarter beyond :data:`MAX_HORIZON_YEAR`."""
    return f"expected a quarter no later than {quarters.label(LAST_QUARTER)}"


# ---------------------------------------------------------------------------
# the estimate
# ---------------------------------------------------------------------------
def estimate_parts(
    n_draws: int,
    n_quarters: int,
    n_stages: int,
    n_projects: int,
    n_technologies: int = N_TECHNOLOGIES,
    *,
    n_lines: int | None = None,
    chunk: int = CHUNK,
) -> dict[str, int]:
    """The bytes of a run, part by part (see :func:`estimate_bytes`).

    Returns
    -------
    dict
        ``results`` (the Dataset's per-draw variables, :data:`RESULT_ARRAYS`), ``summary``
        (:data:`SUMMARY_ARRAYS`) and ``chunk`` (the temporaries of one chunk of draws and the
        scratch arrays of one block).
    """
    n, t, s, p, k = (
        max(0, int(x)) for x in (n_draws, n_quarters, n_stages, n_projects, n_technologies)
    )
    lines = 2 * s if n_lines is None else max(0, int(n_lines))
    size = {"quarter": t, "stage": s, "project": p, "technology": k}
    per_draw = sum(
        count * nbytes * math.prod(size[d] for d in dims)
        for (dims, nbytes), count in RESULT_ARRAYS.items()
    )
    per_chunk_draw = (
        8 * p * t  # quarters since start, ramp-up curves, additions, installations, sums
        + t * lines  # factors of single lines (own intensities)
        + t * k  # demand by technology
        + 24 * t  # end markets, their growth and split, cell demand, LFP share
        + 8 * lines  # sampled intensities (triangular inverse)
        + 12 * p  # completion, delay, ramp draws
        + 3 * s  # utilisation
        + 8  # growth, shares, start sales
    )
    per_block_draw = (
        6 * t * s  # float64 nameplate, capacity, demand; templates of the sparse variables
        + 12 * t  # a recipe line's term, output and market columns, power
    )
    n_chunk = min(n, max(1, int(chunk)))
    return {
        "results": n * per_draw,
        "summary": FLOAT_BYTES * n * SUMMARY_ARRAYS * t * s,
        "chunk": FLOAT_BYTES * (n_chunk * per_chunk_draw + min(n, BLOCK) * per_block_draw),
    }


def estimate_bytes(
    n_draws: int,
    n_quarters: int,
    n_stages: int,
    n_projects: int,
    n_technologies: int = N_TECHNOLOGIES,
    *,
    n_lines: int | None = None,
    chunk: int = CHUNK,
) -> int:
    """Bytes a simulation run allocates, from the simulator's own arrays.

    Parameters
    ----------
    n_draws, n_quarters, n_stages, n_projects, n_technologies
        The sizes of the result's dimensions (``draw``, ``quarter``, ``stage``,
        ``project``, ``technology``).
    n_lines
        Recipe lines (factors of single lines are draws × quarters per line); default
        ``2 × n_stages``.
    chunk
        Draws simulated at once (the temporaries are sized by it).

    Returns
    -------
    int
        Bytes: the result's variables for all draws (:data:`RESULT_ARRAYS`, float64 or
        float32), room for :data:`SUMMARY_ARRAYS` float64 quarter × stage arrays per draw
        while a result is summarised, and the temporaries of one chunk of draws.
    """
    parts = estimate_parts(
        n_draws, n_quarters, n_stages, n_projects, n_technologies, n_lines=n_lines, chunk=chunk
    )
    return sum(parts.values())


def format_bytes(n: float) -> str:
    """``14_660_000_000`` -> ``"13.7 GiB"`` (binary units, one decimal)."""
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(value) < 1024 or unit == "TiB":
            return f"{value:,.0f} B" if unit == "B" else f"{value:,.1f} {unit}"
        value /= 1024
    return f"{value:,.1f} TiB"  # pragma: no cover - the loop always returns


# ---------------------------------------------------------------------------
# the limit
# ---------------------------------------------------------------------------
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*([A-Za-z]*)\s*$")
_SIZE_UNITS = {
    "": 1,
    "b": 1,
    "kb": 10**3,
    "mb": 10**6,
    "gb": 10**9,
    "tb": 10**12,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
}
_SIZE_EXPECTED = "expected a memory size above zero such as 8GiB, 500MB or 2000000000 (bytes)"


def parse_size(text: str | int | float) -> int:
    """``"8GiB"``, ``"500MB"``, ``"2e9"`` or a number -> bytes.

    Parameters
    ----------
    text
        A number of bytes, optionally followed by B, kB, MB, GB, TB (powers of 1000) or
        KiB, MiB, GiB, TiB (powers of 1024), in any case.

    Returns
    -------
    int
        Bytes, at least 1.

    Raises
    ------
    ValueError
        If ``text`` is not such a size; the message says what was expected.
    """
    if isinstance(text, bool):
        raise ValueError(_SIZE_EXPECTED)
    if isinstance(text, int | float):
        value = float(text)
    else:
        m = _SIZE.match(str(text))
        unit = m.group(2).lower() if m else None
        if m is None or unit not in _SIZE_UNITS:
            raise ValueError(_SIZE_EXPECTED)
        value = float(m.group(1)) * _SIZE_UNITS[unit]
    if not math.isfinite(value) or value < 1:
        raise ValueError(_SIZE_EXPECTED)
    return int(value)


def memory_limit(limit: str | int | float | None = None) -> int:
    """The limit in bytes: ``limit``, else ``$PARKCAP_MEMORY_LIMIT``, else :data:`DEFAULT_LIMIT`.

    Parameters
    ----------
    limit
        Bytes, or a size such as ``"8GiB"``; ``None`` reads the environment.

    Returns
    -------
    int
        The limit in bytes.

    Raises
    ------
    DataError
        If the argument or the environment variable is not a size.
    """
    if limit is not None:
        where, field, raw = "memory limit", "limit", limit
    else:
        raw = os.environ.get(ENV_VAR)
        if raw is None or not raw.strip():
            return DEFAULT_LIMIT
        where, field = "environment", ENV_VAR
    try:
        return parse_size(raw)
    except ValueError as exc:
        raise DataError([Problem(where, None, field, raw, str(exc))]) from None


# ---------------------------------------------------------------------------
# the check
# ---------------------------------------------------------------------------
def _max_draws(
    limit: int, n_quarters: int, n_stages: int, n_projects: int, n_technologies: int, **kw: Any
) -> int:
    """The most draws that fit ``limit`` (0 if not even one does)."""
    one = estimate_bytes(1, n_quarters, n_stages, n_projects, n_technologies, **kw)
    two = estimate_bytes(2, n_quarters, n_stages, n_projects, n_technologies, **kw)
    slope = max(1, two - one)  # bytes per draw beyond the first (the chunk grows too)
    if one > limit:
        return 0
    n = 1 + (limit - one) // slope
    while (
        n > 1 and estimate_bytes(n, n_quarters, n_stages, n_projects, n_technologies, **kw) > limit
    ):
        n -= 1
    return int(n)


def check_run(
    n_draws: int,
    n_quarters: int,
    n_stages: int,
    n_projects: int,
    n_technologies: int = N_TECHNOLOGIES,
    *,
    n_lines: int | None = None,
    limit: str | int | float | None = None,
    reserved: int = 0,
    source: str = "simulation",
) -> int:
    """Refuse a run whose memory estimate exceeds the limit; return the estimate.

    Parameters
    ----------
    n_draws, n_quarters, n_stages, n_projects, n_technologies, n_lines
        The run's sizes, as for :func:`estimate_bytes`.
    limit
        Bytes or a size such as ``"8GiB"``; default ``$PARKCAP_MEMORY_LIMIT``, else
        :data:`DEFAULT_LIMIT`.
    reserved
        Bytes already held by other runs that share the budget (the run must fit beside
        them).
    source
        The ``file`` of the problem (e.g. ``"scenario 'baseline'"``).

    Returns
    -------
    int
        The estimate in bytes.

    Raises
    ------
    DataError
        If the estimate (plus ``reserved``) exceeds the limit, or the limit is not a size.
        The problem names the estimate, the run's size and the limit.
    """
    cap = memory_limit(limit)
    kw = {"n_lines": n_lines}
    need = estimate_bytes(n_draws, n_quarters, n_stages, n_projects, n_technologies, **kw)
    held = max(0, int(reserved))
    if need + held <= cap:
        return need
    fits = _max_draws(cap - held, n_quarters, n_stages, n_projects, n_technologies, **kw)
    beside = f" beside {format_bytes(held)} held by other runs" if held else ""
    hint = (
        f"at most {fits:,} draws fit to this horizon"
        if fits
        else "not even one draw fits to this horizon"
    )
    msg = (
        f"this run needs about {format_bytes(need)} for {int(n_draws):,} draws × "
        f"{int(n_quarters):,} quarters × {int(n_stages):,} stages{beside}; the limit is "
        f"{format_bytes(cap)} ({hint}); use fewer draws or an earlier horizon, or raise "
        f"{ENV_VAR}"
    )
    raise DataError([Problem(source, None, "draws", int(n_draws), msg)])


def _start_date(park: Any, as_of: date | None, known_as_of: date | None) -> date | None:
    """The first simulated day, found as :func:`model.inputs.prepare` finds it (or None)."""
    if as_of is not None:
        return as_of
    known = [
        r.valid_from
        for r in park.capacity_records
        if known_as_of is None or r.recorded <= known_as_of
    ]
    if known:
        return max(known)
    everything = [r.valid_from for r in park.capacity_records]
    return max(everything) if everything else None


def run_size(
    park: Any,
    scenario: Any,
    draws: int | None = None,
    as_of: date | None = None,
    known_as_of: date | None = None,
) -> dict[str, int] | None:
    """The sizes of a run of ``scenario`` on ``park``, without preparing it.

    Parameters
    ----------
    park
        A :class:`model.park.Park`.
    scenario
        A :class:`model.scenario.Scenario`.
    draws
        The run's draws (default: the scenario's).
    as_of, known_as_of
        As for :func:`model.simulate.simulate`.

    Returns
    -------
    dict or None
        Keyword arguments of :func:`estimate_bytes` (``n_draws``, ``n_quarters``,
        ``n_stages``, ``n_projects``, ``n_technologies``, ``n_lines``); projects are
        counted as the park's plus the scenario's added ones (an upper bound). ``None`` if
        the run cannot start (no capacity record, horizon before the start, no draws): the
        simulator reports that itself.
    """
    n = int(draws if draws is not None else scenario.draws)
    start = _start_date(park, as_of, known_as_of)
    if start is None or n < 1:
        return None
    n_quarters = scenario.horizon_quarter - quarters.of_date(start) + 1
    if n_quarters < 1:
        return None
    return {
        "n_draws": n,
        "n_quarters": n_quarters,
        "n_stages": len(park.stages),
        "n_projects": len(park.projects) + len(scenario.projects.add),
        "n_technologies": N_TECHNOLOGIES,
        "n_lines": len(park.recipes),
    }


def check_simulation(
    park: Any,
    scenario: Any,
    draws: int | None = None,
    as_of: date | None = None,
    known_as_of: date | None = None,
    *,
    limit: str | int | float | None = None,
    reserved: int = 0,
) -> int:
    """Refuse a simulation of ``scenario`` on ``park`` that would not fit the budget.

    Cheap (no arrays are made): :func:`model.simulate.simulate` calls it first.

    Parameters
    ----------
    park, scenario, draws, as_of, known_as_of
        As for :func:`model.simulate.simulate`.
    limit, reserved
        As for :func:`check_run`.

    Returns
    -------
    int
        The estimate in bytes (0 if the run cannot start; the simulator says why).

    Raises
    ------
    DataError
        If the run's estimate exceeds the limit (see :func:`check_run`).
    """
    size = run_size(park, scenario, draws, as_of, known_as_of)
    if size is None:
        return 0
    return check_run(**size, limit=limit, reserved=reserved, source=f"scenario '{scenario.name}'")


# ---------------------------------------------------------------------------
# one budget shared by concurrent runs (the web app)
# ---------------------------------------------------------------------------
_lock = threading.Lock()
_reserved = 0


def reserved_bytes() -> int:
    """Bytes reserved by runs under way in this process (see :func:`reserve`)."""
    return _reserved


@contextmanager
def reserve(
    park: Any,
    scenario: Any,
    draws: int | None = None,
    as_of: date | None = None,
    known_as_of: date | None = None,
    *,
    limit: str | int | float | None = None,
) -> Iterator[int]:
    """Hold a run's estimate against one budget shared by every thread of the process.

    A run that would not fit beside the runs already under way is refused at once (no
    waiting, so a web request never hangs): wrap each simulation of a multi-threaded
    server in it.

    Parameters
    ----------
    park, scenario, draws, as_of, known_as_of
        As for :func:`model.simulate.simulate`.
    limit
        As for :func:`check_run`.

    Yields
    ------
    int
        The bytes reserved, released when the block ends.

    Raises
    ------
    DataError
        If the run does not fit beside the reserved runs (see :func:`check_run`).
    """
    global _reserved
    size = run_size(park, scenario, draws, as_of, known_as_of)
    with _lock:
        need = (
            0
            if size is None
            else check_run(
                **size, limit=limit, reserved=_reserved, source=f"scenario '{scenario.name}'"
            )
        )
        _reserved += need
    try:
        yield need
    finally:
        with _lock:
            _reserved -= need


# ---------------------------------------------------------------------------
# streamed runs (model.scaleout): the budget is per process, not per run
# ---------------------------------------------------------------------------
#: Bytes per draw × quarter while one stage is summarised from a draws file: the stage's
#: gap and demand (float32), one variable as read (up to float64) and the copy that
#: percentiles partition (float64).
STAGE_SUMMARY_BYTES = 4 + 4 + 8 + 8
#: A streamed chunk is held as the simulator's arrays, its Dataset's copies and its
#: compressed bytes: about twice the arrays (measured: 84 MiB of arrays, 160 MiB peak).
STREAM_CHUNK_FACTOR = 2


def estimate_streamed(
    n_draws: int,
    n_quarters: int,
    n_stages: int,
    n_projects: int,
    n_technologies: int = N_TECHNOLOGIES,
    *,
    n_lines: int | None = None,
    chunk: int = CHUNK,
) -> dict[str, int]:
    """Bytes one process needs for a run streamed to a file, part by part.

    A streamed run (:func:`model.scaleout.run_streamed`) never holds all its draws: each
    process (a worker, or the one process without workers) simulates one chunk at a time,
    then the summaries read one stage of every draw at a time.

    Parameters
    ----------
    n_draws, n_quarters, n_stages, n_projects, n_technologies, n_lines, chunk
        As for :func:`estimate_bytes`.

    Returns
    -------
    dict
        ``chunk``: bytes of one chunk of draws (its arrays, temporaries and compressed
        copy); ``stage``: bytes of one stage's values of every draw while summarised.
    """
    one_chunk = estimate_bytes(
        min(max(1, int(n_draws)), chunk),
        n_quarters,
        n_stages,
        n_projects,
        n_technologies,
        n_lines=n_lines,
        chunk=chunk,
    )
    stage = STAGE_SUMMARY_BYTES * max(0, int(n_draws)) * max(0, int(n_quarters))
    return {"chunk": STREAM_CHUNK_FACTOR * one_chunk, "stage": stage}


def check_streamed(
    park: Any,
    scenario: Any,
    draws: int | None = None,
    as_of: date | None = None,
    known_as_of: date | None = None,
    *,
    limit: str | int | float | None = None,
) -> int:
    """Refuse a streamed run that would not fit the limit in one of its processes.

    The limit (``limit``, ``$PARKCAP_MEMORY_LIMIT`` or :data:`DEFAULT_LIMIT`) applies to
    each process: a worker holds one chunk at a time, and the summaries one stage of every
    draw. The draws a run may have thus grow with the limit per process, not with the
    machine's total memory.

    Parameters
    ----------
    park, scenario, draws, as_of, known_as_of
        As for :func:`model.simulate.simulate`.
    limit
        As for :func:`check_run`.

    Returns
    -------
    int
        The larger part of :func:`estimate_streamed` in bytes (0 if the run cannot start).

    Raises
    ------
    DataError
        If a part exceeds the limit; the problem names the part, the limit and the most
        draws that fit.
    """
    size = run_size(park, scenario, draws, as_of, known_as_of)
    if size is None:
        return 0
    cap = memory_limit(limit)
    parts = estimate_streamed(**size)
    if max(parts.values()) <= cap:
        return max(parts.values())
    n, t = size["n_draws"], size["n_quarters"]
    source = f"scenario '{scenario.name}'"
    if parts["chunk"] > cap:
        msg = (
            f"one chunk of {min(n, CHUNK):,} draws × {t:,} quarters × {size['n_stages']:,} "
            f"stages needs about {format_bytes(parts['chunk'])} per process; the limit is "
            f"{format_bytes(cap)}; use an earlier horizon, or raise {ENV_VAR}"
        )
    else:
        fits = cap // (STAGE_SUMMARY_BYTES * max(1, t))
        msg = (
            f"summarising one stage of {n:,} draws × {t:,} quarters needs about "
            f"{format_bytes(parts['stage'])} per process; the limit is {format_bytes(cap)} "
            f"(at most {fits:,} draws fit to this horizon); use fewer draws or an earlier "
            f"horizon, or raise {ENV_VAR}"
        )
    raise DataError([Problem(source, None, "draws", int(n), msg)])
