"""The scenario schema: every lever of the simulator, its default, its unit and its checks.

A :class:`Scenario` is validated and frozen; unknown keys are refused with their dotted path
and every problem is reported at once. Reading scenario files (TOML, ``extends``) is
:mod:`model.scenario`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from model import quarters
from model.budget import LAST_QUARTER, horizon_expectation
from model.errors import DataError, Problem
from model.park import PROJECT_ROOT, Park
from model.pipeline import STATUSES
from model.stages import TECHNOLOGIES, parse_stage_quantity

DEFAULT_SCENARIOS_DIR = PROJECT_ROOT / "scenarios"
SHIPPED = ("baseline", "lithium-led", "sodium-flow")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$")
#: keys that describe a scenario but do not change its results (left out of its hash)
DESCRIPTIVE = ("name", "title_zh", "title_en", "rationale", "extends")
#: sanity bound only: the real limit is the memory budget of a run (model.budget)
MAX_DRAWS = 10_000_000
MAX_SEED = 2**32 - 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Demand(_Strict):
    """Storage-market demand for the park's storage products (GWh a year)."""

    base_gwh: float | None = Field(
        None,
        gt=0,
        le=10_000,
        description="Demand at the start quarter, GWh/a. None: the LFP cells' nameplate at the "
        "start times the low end of their utilisation range (an assumption: the park sells today "
        "what it makes at that utilisation; the rest of the range is headroom for growth).",
    )
    growth: float = Field(
        0.20, ge=-0.5, le=3.0, description="Growth of demand per year (0.2 = +20 %/a)."
    )
    growth_spread: float = Field(
        0.05,
        ge=0,
        le=1.0,
        description="Half-width of the uniform range the growth is drawn from, per draw.",
    )
    power_growth: float | None = Field(
        None,
        ge=-0.5,
        le=3.0,
        description="Growth of power (EV) battery demand per year. None: the central value of "
        "'power_growth' in markets.csv, else the stationary growth.",
    )
    power_growth_spread: float | None = Field(
        None,
        ge=0,
        le=1.0,
        description="Half-width of the power growth's uniform range. None: half the low-high "
        "range in markets.csv, else the stationary spread.",
    )
    storage_share: tuple[float, float] | None = Field(
        None,
        description="[low, high] share of the LFP cells' start output sold for stationary storage, "
        "drawn uniformly per draw (the rest is power cells). None: low-central-high (triangular) "
        "of 'storage_share' in markets.csv, else 1 (all storage).",
    )

    start_utilisation: tuple[float, float] | None = Field(
        None,
        description="[low, high] of the LFP cells' sales at the start as a share of their "
        "nameplate, drawn uniformly. None: low-central-high of 'start_utilisation' in "
        "markets.csv, else the low end of the cells' utilisation range.",
    )

    @field_validator("storage_share", "start_utilisation")
    @classmethod
    def _share_range(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None and not (0 <= v[0] <= v[1] <= 1):
            msg = "expected [low, high] with 0 <= low <= high <= 1"
            raise ValueError(msg)
        return v


class TechnologyMix(_Strict):
    """Shares of the park's stationary-storage market by technology; normalised.

    The park's stationary sales are LFP at the start; the shares move linearly from there to
    these values by the quarter ``reached`` and stay there (substitution: a sodium-ion or
    flow share is taken from LFP).
    """

    lfp: float = Field(1.0, ge=0, le=1)
    sodium_ion: float = Field(0.0, ge=0, le=1)
    vanadium_flow: float = Field(0.0, ge=0, le=1)
    gravity: float = Field(0.0, ge=0, le=1)
    reached: str = Field("2030Q4", description="Quarter by which the shares are reached.")

    @field_validator("reached")
    @classmethod
    def _quarter(cls, v: str) -> str:
        return quarters.label(quarters.parse_quarter(v))

    @model_validator(mode="after")
    def _not_all_zero(self) -> TechnologyMix:
        if self.lfp + self.sodium_ion + self.vanadium_flow + self.gravity <= 0:
            msg = "at least one technology needs a share above zero"
            raise ValueError(msg)
        return self

    def shares(self) -> dict[str, float]:
        """Normalised shares keyed by technology."""
        raw = {
            "lfp": self.lfp,
            "sodium_ion": self.sodium_ion,
            "vanadium_flow": self.vanadium_flow,
            "gravity": self.gravity,
        }
        total = sum(raw.values())
        return {k: v / total for k, v in raw.items()}


class RampUp(_Strict):
    """How a completed project reaches nameplate capacity."""

    quarters: tuple[int, int] = Field(
        (2, 6),
        description="Range of quarters from first output to nameplate, drawn per draw and project.",
    )
    shape: Literal["linear", "s_curve", "instant"] = Field(
        "s_curve", description="Curve of the ramp-up."
    )

    @field_validator("quarters")
    @classmethod
    def _ordered(cls, v: tuple[int, int]) -> tuple[int, int]:
        if not (1 <= v[0] <= v[1] <= 40):
            msg = "expected [low, high] quarters with 1 <= low <= high <= 40"
            raise ValueError(msg)
        return v


class StatusOverride(_Strict):
    """Override of a status's completion probability and delay (quarters)."""

    p_complete: float | None = Field(None, ge=0, le=1)
    delay_mean_q: float | None = Field(None, ge=0, le=80)
    delay_sd_q: float | None = Field(None, ge=0, le=80)


class NewProject(_Strict):
    """A project the scenario adds to the pipeline."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
    name_zh: str = ""
    name_en: str = ""
    stage: str
    technology: str
    capacity: str = Field(description="Nameplate with its unit, e.g. '5GWh' or '2万吨'.")
    status: str = "signed"
    start: str | None = Field(None, description="Expected start quarter, e.g. '2026Q2'.")
    source: str = ""
    assumption: str = ""

    @model_validator(mode="after")
    def _sourced(self) -> NewProject:
        if not self.source and not self.assumption:
            msg = "give a source id or a one-line rationale in 'assumption'"
            raise ValueError(msg)
        return self


class ProjectChanges(_Strict):
    """Projects added, removed, re-dated or put in another status."""

    add: tuple[NewProject, ...] = ()
    remove: tuple[str, ...] = ()
    start: dict[str, str] = Field(
        default_factory=dict, description="Project id -> new expected start quarter."
    )
    status: dict[str, str] = Field(
        default_factory=dict, description="Project id -> status to assume."
    )
    scale: dict[str, float] = Field(
        default_factory=dict,
        description="Project id -> factor on its nameplate (0.5 halves a line, 2 doubles it).",
    )
    delay: dict[str, float] = Field(
        default_factory=dict,
        description="Project id -> quarters of delay added on purpose (also to an explicit start).",
    )

    @field_validator("scale")
    @classmethod
    def _factors(cls, v: dict[str, float]) -> dict[str, float]:
        for key, factor in v.items():
            if not 0 < factor <= 100:
                msg = f"scale of {key!r}: expected a factor above 0 and at most 100"
                raise ValueError(msg)
        return v

    @field_validator("delay")
    @classmethod
    def _delays(cls, v: dict[str, float]) -> dict[str, float]:
        for key, q in v.items():
            if not 0 <= q <= 80:
                msg = f"delay of {key!r}: expected 0 to 80 quarters"
                raise ValueError(msg)
        return v


class Power(_Strict):
    """The park's electricity: the green share of its supply and its grid allowance."""

    green_share: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Share of the park's electricity from renewables (green power). None: "
        "'green_share' in data/grid.csv (Qinghai's clean share of generation).",
    )
    allowance_mw: float | None = Field(
        None,
        gt=0,
        le=100_000,
        description="Grid allowance of the park, MW; a warning when demand exceeds it. None: "
        "'grid_allowance' in data/grid.csv.",
    )


class Scenario(_Strict):
    """A validated, frozen scenario. Build with :func:`load_scenario` or :meth:`from_dict`."""

    name: str = Field(pattern=NAME_RE.pattern)
    title_zh: str = ""
    title_en: str = ""
    rationale: str = ""
    extends: str | None = None
    horizon: str = Field("2030Q4", description="Last quarter simulated.")
    draws: int = Field(1000, ge=1, le=MAX_DRAWS, description="Monte Carlo draws.")
    seed: int = Field(1, ge=0, le=MAX_SEED)
    intensity: Literal["sampled", "central", "low", "high"] = Field(
        "sampled",
        description="Recipe intensities: drawn from low-central-high (triangular) or fixed.",
    )
    demand: Demand = Demand()
    technology_mix: TechnologyMix = TechnologyMix()
    ramp_up: RampUp = RampUp()
    utilisation: dict[str, tuple[float, float]] = Field(
        default_factory=lambda: {"default": (0.55, 0.85)},
        description="Stage id (or 'default') -> [low, high] share of nameplate used, drawn per draw.",
    )
    status: dict[str, StatusOverride] = Field(default_factory=dict)
    status_from_history: bool = Field(
        False,
        description="Use completion probabilities and times in status estimated from the park's "
        "status history where at least `history_min_transitions` transitions back them.",
    )
    history_min_transitions: int = Field(5, ge=1, le=10_000)
    projects: ProjectChanges = ProjectChanges()
    power: Power = Power()

    @field_validator("horizon")
    @classmethod
    def _quarter(cls, v: str) -> str:
        q = quarters.parse_quarter(v)  # raises QuarterError (a ValueError) with the expectation
        if q > LAST_QUARTER:
            raise ValueError(horizon_expectation())
        return quarters.label(q)

    @field_validator("utilisation")
    @classmethod
    def _ranges(cls, v: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        for key, (lo, hi) in v.items():
            if not (0 < lo <= hi <= 1):
                msg = f"utilisation of {key!r}: expected [low, high] with 0 < low <= high <= 1"
                raise ValueError(msg)
        return v

    @property
    def horizon_quarter(self) -> int:
        """The horizon as a quarter index."""
        return quarters.parse_quarter(self.horizon)

    def title(self, lang: str = "zh") -> str:
        """Display title in ``lang`` (falls back to the name)."""
        return (self.title_zh if lang == "zh" else self.title_en) or self.name

    def utilisation_range(self, stage: str) -> tuple[float, float]:
        """[low, high] utilisation of ``stage`` (the stage's own entry, else 'default')."""
        return self.utilisation.get(stage) or self.utilisation.get("default", (0.55, 0.85))

    def content_hash(self) -> str:
        """Hash of everything that changes results (not the name, titles or rationale)."""
        body = self.model_dump(mode="json", exclude=set(DESCRIPTIVE))
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]

    def with_changes(self, **changes: Any) -> Scenario:
        """A validated copy with top-level or dotted-path changes (``{"demand.growth": 0.3}``)."""
        data = self.model_dump(mode="json")
        for path, value in changes.items():
            node = data
            keys = path.split(".")
            for k in keys[:-1]:
                node = node.setdefault(k, {})
            node[keys[-1]] = value
        return Scenario.from_dict(data, source=f"scenario '{self.name}'")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "scenario") -> Scenario:
        """Validate ``data``; raise :class:`DataError` listing every problem (key path, value)."""
        try:
            return cls.model_validate(dict(data))
        except ValidationError as exc:
            raise DataError(problems_from(exc, source, data)) from None

    def check_against(self, park: Park, source: str | None = None) -> list[Problem]:
        """Problems with ids and quantities that only the park can check."""
        src = source or f"scenario '{self.name}'"
        problems: list[Problem] = []
        project_ids = {p.id for p in park.projects}
        for key in self.utilisation:
            if key != "default" and key not in park.stages:
                problems.append(
                    Problem(
                        src,
                        None,
                        f"utilisation.{key}",
                        key,
                        "unknown stage id; expected 'default' or an id in stages.csv",
                    )
                )
        for key in self.status:
            if key not in STATUSES:
                problems.append(
                    Problem(
                        src,
                        None,
                        f"status.{key}",
                        key,
                        f"unknown status; expected one of {', '.join(STATUSES)}",
                    )
                )
        for k, pid in enumerate(self.projects.remove):
            if pid not in project_ids:
                problems.append(
                    Problem(
                        src,
                        None,
                        f"projects.remove[{k}]",
                        pid,
                        "unknown project id; expected an id in projects.csv",
                    )
                )
        for pid, q in self.projects.start.items():
            if pid not in project_ids and pid not in {p.id for p in self.projects.add}:
                problems.append(
                    Problem(src, None, f"projects.start.{pid}", pid, "unknown project id")
                )
            try:
                quarters.parse_quarter(q)
            except quarters.QuarterError as exc:
                problems.append(Problem(src, None, f"projects.start.{pid}", q, str(exc)))
        for pid in [*self.projects.scale, *self.projects.delay]:
            if pid not in project_ids and pid not in {p.id for p in self.projects.add}:
                problems.append(
                    Problem(
                        src,
                        None,
                        f"projects.{'scale' if pid in self.projects.scale else 'delay'}.{pid}",
                        pid,
                        "unknown project id; expected an id in projects.csv or projects.add",
                    )
                )
        for pid, st in self.projects.status.items():
            if pid not in project_ids and pid not in {p.id for p in self.projects.add}:
                problems.append(
                    Problem(src, None, f"projects.status.{pid}", pid, "unknown project id")
                )
            if st not in STATUSES:
                problems.append(
                    Problem(
                        src,
                        None,
                        f"projects.status.{pid}",
                        st,
                        f"unknown status; expected one of {', '.join(STATUSES)}",
                    )
                )
        for k, np_ in enumerate(self.projects.add):
            where = f"projects.add[{k}]"
            if np_.id in project_ids:
                problems.append(
                    Problem(
                        src,
                        None,
                        f"{where}.id",
                        np_.id,
                        "id already used in projects.csv; choose a new id",
                    )
                )
            stage = park.stages.get(np_.stage)
            if stage is None:
                problems.append(Problem(src, None, f"{where}.stage", np_.stage, "unknown stage id"))
            if np_.technology not in TECHNOLOGIES:
                problems.append(
                    Problem(
                        src,
                        None,
                        f"{where}.technology",
                        np_.technology,
                        f"expected one of {', '.join(TECHNOLOGIES)}",
                    )
                )
            if np_.status not in STATUSES:
                problems.append(
                    Problem(
                        src,
                        None,
                        f"{where}.status",
                        np_.status,
                        f"expected one of {', '.join(STATUSES)}",
                    )
                )
            parse_stage_quantity(
                np_.capacity, stage, src, None, f"{where}.capacity", problems, allow_zero=False
            )
            if np_.source and np_.source not in park.sources:
                problems.append(
                    Problem(src, None, f"{where}.source", np_.source, "unknown source id")
                )
            if np_.start:
                try:
                    quarters.parse_quarter(np_.start)
                except quarters.QuarterError as exc:
                    problems.append(Problem(src, None, f"{where}.start", np_.start, str(exc)))
        return problems


def problems_from(exc: ValidationError, source: str, data: Mapping[str, Any]) -> list[Problem]:
    """Pydantic's errors as problems naming the source, the dotted key path and the value."""
    out = []
    for err in exc.errors():
        path = ".".join(str(p) for p in err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            expected = "unknown key; remove it or check its spelling (see the README or model/scenario_schema.py for the keys)"
        elif kind == "missing":
            expected = "required key is missing"
        else:
            expected = err["msg"].removeprefix("Value error, ")
        out.append(
            Problem(
                source,
                None,
                path or None,
                err.get("input") if kind != "missing" else None,
                expected,
            )
        )
    return out
