"""A park and a scenario as the simulator's plain arrays, checked at the boundary.

Units and ids are checked here and stripped: every array is float64 in canonical units
(capacities are annual rates in the stage's unit, times in quarters). The kernel in
:mod:`model.simulate` sees nothing else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from model import quarters
from model.errors import DataError, Problem, raise_if
from model.park import Park
from model.pipeline import ACTIVE, Project
from model.scenario import Scenario
from model.tracking import estimate_status_params, projects_as_of
from model.units import parse_quantity


@dataclass(frozen=True)
class Inputs:
    """Everything the kernel needs, as plain arrays in canonical units."""

    quarters: np.ndarray  # (T,) quarter indices
    stages: list[str]
    base: np.ndarray  # (S,) recorded capacity at the start, stage unit per year
    projects: list[Project]
    p_stage: np.ndarray  # (P,) stage index of each project
    p_capacity: np.ndarray  # (P,) nameplate, stage unit per year
    p_complete: np.ndarray  # (P,) completion probability
    p_start: np.ndarray  # (P,) expected start quarter index
    p_build: np.ndarray  # (P,) quarters of construction of an installation (0: a production line)
    p_delay_mean: np.ndarray  # (P,) quarters
    p_delay_sd: np.ndarray  # (P,) quarters
    util_lo: np.ndarray  # (S,)
    util_hi: np.ndarray  # (S,)
    line_input: np.ndarray  # (L,) stage index
    line_output: np.ndarray  # (L,) stage index
    line_tech: list[str]
    line_low: np.ndarray  # (L,) input per unit output
    line_central: np.ndarray
    line_high: np.ndarray
    yardstick: np.ndarray  # (S,) requirement per GWh of the stage's reference product (NaN: none)
    as_of: date
    markets: MarketInputs | None = None
    # a line's own intensities: recipe line, project, own value / the recipe's central value
    own_line: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    own_project: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    own_ratio: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass(frozen=True)
class MarketInputs:
    """End-market parameters resolved from the scenario and ``markets.csv`` (fractions)."""

    growth: float  # stationary storage, per year
    growth_spread: float
    power_growth: float
    power_growth_spread: float
    share_low: float  # storage share of the LFP cells' start output
    share_central: float
    share_high: float
    share_triangular: bool  # True: low-central-high (data); False: uniform [low, high] (scenario)
    start_util: tuple[float, float, float] | None  # low, central, high; None: cells' util_lo
    start_util_triangular: bool
    mix: dict[str, float]  # stationary market shares by technology once reached
    mix_weight: np.ndarray  # (T,) 0 at the start -> 1 when the mix is reached


def market_inputs(park: Park, scenario: Scenario, q: np.ndarray) -> MarketInputs:
    """The scenario's demand levers, falling back on ``markets.csv``, then on one market.

    ``q`` are the simulated quarter indices; the technology mix moves linearly from all-LFP
    at ``q[0]`` to the scenario's shares at ``technology_mix.reached``.
    """
    dem, data = scenario.demand, park.markets
    power = data.get("power_growth")
    share = data.get("storage_share")
    if dem.storage_share is not None:
        s_lo, s_hi = dem.storage_share
        s_c, tri = (s_lo + s_hi) / 2, False
    elif share is not None:
        s_lo, s_c, s_hi, tri = share.low, share.central, share.high, True
    else:
        s_lo = s_c = s_hi = 1.0
        tri = False
    if dem.power_growth is not None:
        pg = dem.power_growth
    else:
        pg = power.central if power is not None else dem.growth
    if dem.power_growth_spread is not None:
        ps = dem.power_growth_spread
    else:
        ps = power.spread if power is not None else dem.growth_spread
    start = data.get("start_utilisation")
    if dem.start_utilisation is not None:
        lo, hi = dem.start_utilisation
        start_util, start_tri = (lo, (lo + hi) / 2, hi), False
    elif start is not None:
        start_util, start_tri = (start.low, start.central, start.high), True
    else:
        start_util, start_tri = None, False
    reach = quarters.parse_quarter(scenario.technology_mix.reached)
    span = max(reach - int(q[0]), 1)
    weight = np.clip((q - q[0]) / span, 0.0, 1.0)
    return MarketInputs(
        growth=dem.growth,
        growth_spread=dem.growth_spread,
        power_growth=pg,
        power_growth_spread=ps,
        share_low=s_lo,
        share_central=s_c,
        share_high=s_hi,
        share_triangular=tri,
        start_util=start_util,
        start_util_triangular=start_tri,
        mix=scenario.technology_mix.shares(),
        mix_weight=weight,
    )


def prepare(
    park: Park, scenario: Scenario, as_of: date | None = None, known_as_of: date | None = None
) -> Inputs:
    """Check units and ids at the boundary and strip them: the kernel's plain arrays.

    Parameters
    ----------
    park, scenario
        The data and the levers.
    as_of
        Start date (its quarter is the first simulated); default: the latest capacity
        record's date.
    known_as_of
        Use only records recorded by this date (reproduce a past projection).
    """
    raise_if(scenario.check_against(park))
    known = known_as_of
    start_date = as_of or (
        max(
            (r.valid_from for r in park.capacity_records if known is None or r.recorded <= known),
            default=None,
        )
        or park.latest_date()
    )
    q0 = quarters.of_date(start_date)
    qh = scenario.horizon_quarter
    if qh < q0:
        raise DataError(
            [
                Problem(
                    f"scenario '{scenario.name}'",
                    None,
                    "horizon",
                    scenario.horizon,
                    f"horizon is before the start quarter {quarters.label(q0)}"
                    f"{'' if as_of else park.start_note(known)}",
                )
            ]
        )
    stages = park.stage_ids
    idx = {s: i for i, s in enumerate(stages)}
    records = park.capacity_as_of(start_date, known)
    if not records:
        first = min((r.valid_from for r in park.capacity_records), default=None)
        hint = f"the first record holds from {first}" if first else "there is no capacity record"
        raise DataError(
            [
                Problem(
                    "simulation start",
                    None,
                    "as_of",
                    start_date.isoformat(),
                    f"no capacity record is in force (or known) on this date; {hint}: start on or after it",
                )
            ]
        )
    base = np.array([records[s].value if s in records else 0.0 for s in stages])

    projects = scenario_projects(park, scenario, start_date, known)
    params = dict(park.status_params)
    if scenario.status_from_history:
        estimates = estimate_status_params(
            park, scenario.history_min_transitions, known_as_of=known_as_of
        )
        for status, est in estimates.items():
            changes = {}
            if est.p_transitions >= scenario.history_min_transitions and math.isfinite(
                est.p_complete
            ):
                changes["p_complete"] = est.p_complete
            if est.time_transitions >= scenario.history_min_transitions and math.isfinite(
                est.quarters_in_status
            ):
                changes["quarters_in_status"] = est.quarters_in_status
            if changes and status in params:
                params[status] = replace(params[status], **changes)
    p_complete, p_mean, p_sd, p_start, p_build = [], [], [], [], []
    for p in projects:
        sp = params[p.status].for_class(p.stage_class)
        ov = scenario.status.get(p.status)
        p_complete.append(ov.p_complete if ov and ov.p_complete is not None else sp.p_complete)
        explicit = p.expected_start is not None
        # an explicit start is used as given: no status delay on top (a scenario may still
        # add one on purpose with [projects.delay])
        mean_q = ov.delay_mean_q if ov and ov.delay_mean_q is not None else sp.delay_mean_q
        sd_q = ov.delay_sd_q if ov and ov.delay_sd_q is not None else sp.delay_sd_q
        extra = float(scenario.projects.delay.get(p.id, 0.0))
        p_mean.append(extra if explicit else mean_q + extra)
        p_sd.append(0.0 if explicit else sd_q)
        start = p.start_quarter(params, q0)
        p_start.append(start if p.status == "trial" else max(start, q0))
        p_build.append(p.build_quarters(params) if p.is_installation else 0)
    lo = np.array([scenario.utilisation_range(s)[0] for s in stages])
    hi = np.array([scenario.utilisation_range(s)[1] for s in stages])
    chain = park.chain
    yard = np.array([chain.yardstick(s) for s in stages])
    lines = park.recipes
    q = np.arange(q0, qh + 1)
    own = [
        (k, m, p.intensities[rl.input] / rl.central)
        for k, rl in enumerate(lines)
        for m, p in enumerate(projects)
        if p.stage == rl.output and rl.input in p.intensities and rl.central > 0
    ]
    return Inputs(
        quarters=q,
        stages=stages,
        base=base,
        projects=projects,
        p_stage=np.array([idx[p.stage] for p in projects], dtype=int),
        p_capacity=np.array([p.value for p in projects], dtype=float),
        p_complete=np.array(p_complete, dtype=float),
        p_start=np.array(p_start, dtype=int),
        p_build=np.array(p_build, dtype=int),
        p_delay_mean=np.array(p_mean, dtype=float),
        p_delay_sd=np.array(p_sd, dtype=float),
        util_lo=lo,
        util_hi=hi,
        line_input=np.array([idx[rl.input] for rl in lines], dtype=int),
        line_output=np.array([idx[rl.output] for rl in lines], dtype=int),
        line_tech=[rl.technology for rl in lines],
        line_low=np.array([rl.low for rl in lines]),
        line_central=np.array([rl.central for rl in lines]),
        line_high=np.array([rl.high for rl in lines]),
        yardstick=yard,
        as_of=start_date,
        markets=market_inputs(park, scenario, q),
        own_line=np.array([k for k, _, _ in own], dtype=int),
        own_project=np.array([m for _, m, _ in own], dtype=int),
        own_ratio=np.array([r for _, _, r in own], dtype=float),
    )


def scenario_projects(
    park: Park, scenario: Scenario, as_of: date, known: date | None
) -> list[Project]:
    """The pipeline on ``as_of`` with the scenario's removals, additions and changes; active only."""
    changes = scenario.projects
    out = []
    for p in projects_as_of(park, as_of, known):
        if p.id in changes.remove:
            continue
        if p.id in changes.status:
            p = p.with_changes(status=changes.status[p.id])
        if p.id in changes.start:
            p = p.with_changes(expected_start=quarters.parse_quarter(changes.start[p.id]))
        if p.id in changes.scale:
            p = p.with_changes(value=p.value * changes.scale[p.id])
        out.append(p)
    for np_ in changes.add:
        stage = park.stages[np_.stage]
        start_text = changes.start.get(np_.id) or np_.start
        out.append(
            Project(
                id=np_.id,
                name_zh=np_.name_zh,
                name_en=np_.name_en,
                company="",
                stage=np_.stage,
                technology=np_.technology,
                capacity_text=np_.capacity,
                value=float(parse_quantity(np_.capacity).to(stage.pint_unit).magnitude),
                unit=stage.unit,
                status=changes.status.get(np_.id, np_.status),
                announced=as_of,
                expected_start=quarters.parse_quarter(start_text) if start_text else None,
                source=np_.source,
                assumption=np_.assumption or "added by the scenario",
                status_since=as_of,
                stage_class=stage.stage_class,
            )
        )
        if np_.id in changes.scale:
            out[-1] = out[-1].with_changes(value=out[-1].value * changes.scale[np_.id])
    return [p for p in out if p.status in ACTIVE]
