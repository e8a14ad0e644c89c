"""Scenarios: validated, frozen definitions of a what-if, read from TOML files.

A scenario file in ``scenarios/`` sets the levers of the simulator (see :class:`Scenario`
for every key, its default and its unit). A file may start with ``extends = "baseline"``
and then only override what differs. Merge rules, applied from the root ancestor down:

* a table merges key by key (``[demand]`` in the child keeps the parent's keys it does not
  set);
* a scalar or a list replaces the parent's value whole (``projects.remove = [...]`` in the
  child is the whole list, not an addition to the parent's);
* a key the schema does not know is an error, never silently kept;
* a cycle of ``extends`` is an error.

Problems are reported all at once, each naming the file, the dotted key path, the value
and what was expected (:class:`~model.errors.Problem`).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from model import quarters
from model.errors import DataError, Problem, raise_if
from model.park import PROJECT_ROOT, TECHNOLOGIES, Park

DEFAULT_SCENARIOS_DIR = PROJECT_ROOT / "scenarios"
SHIPPED = ("baseline", "lithium-led", "sodium-flow")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$")
#: keys that describe a scenario but do not change its results (left out of its hash)
DESCRIPTIVE = ("name", "title_zh", "title_en", "rationale", "extends")
MAX_DRAWS = 100_000  # about 2.8 GB of results through 2030Q4
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


class TechnologyMix(_Strict):
    """Shares of *new* storage demand (above the start level) by technology; normalised."""

    lfp: float = Field(1.0, ge=0, le=1)
    sodium_ion: float = Field(0.0, ge=0, le=1)
    vanadium_flow: float = Field(0.0, ge=0, le=1)
    gravity: float = Field(0.0, ge=0, le=1)

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

    @field_validator("horizon")
    @classmethod
    def _quarter(cls, v: str) -> str:
        quarters.parse_quarter(v)  # raises QuarterError (a ValueError) with the expectation
        return quarters.label(quarters.parse_quarter(v))

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
            raise DataError(_problems_from(exc, source, data)) from None

    def check_against(self, park: Park, source: str | None = None) -> list[Problem]:
        """Problems with ids and quantities that only the park can check."""
        from model.park import parse_stage_quantity
        from model.pipeline import STATUSES

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


def _problems_from(exc: ValidationError, source: str, data: Mapping[str, Any]) -> list[Problem]:
    out = []
    for err in exc.errors():
        path = ".".join(str(p) for p in err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            expected = (
                "unknown key; remove it or check its spelling (see model/scenario.py for the keys)"
            )
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


# ---------------------------------------------------------------------------
# files and inheritance
# ---------------------------------------------------------------------------
def scenarios_dir_from(arg: str | Path | None) -> Path:
    """The scenarios folder: ``arg`` if given, else ``$PARKCAP_SCENARIOS``, else ``scenarios/``."""
    import os

    if arg is not None:
        return Path(arg)
    env = os.environ.get("PARKCAP_SCENARIOS")
    return Path(env) if env else DEFAULT_SCENARIOS_DIR


def merge(parent: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``child`` over ``parent``: tables key by key, scalars and lists replace."""
    out = dict(parent)
    for key, value in child.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(
            [Problem(str(path), None, None, None, "cannot decode; save the file as UTF-8")]
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise DataError(
            [
                Problem(
                    str(path), int(m.group(1)) if m else None, None, None, f"not valid TOML: {exc}"
                )
            ]
        ) from None


def resolve_path(name_or_path: str | Path, scenarios_dir: str | Path | None = None) -> Path:
    """A scenario name in ``scenarios_dir`` or a path to a TOML file -> the file's path."""
    text = str(name_or_path)
    if text.endswith(".toml") or "/" in text or "\\" in text:
        return Path(text)
    return scenarios_dir_from(scenarios_dir) / f"{text}.toml"


def raw_resolved(
    name_or_path: str | Path, scenarios_dir: str | Path | None = None
) -> tuple[dict[str, Any], Path]:
    """The merged dictionary of a scenario and its ancestors (before validation)."""
    path = resolve_path(name_or_path, scenarios_dir)
    chain: list[Path] = []
    data_chain: list[dict[str, Any]] = []
    current = path
    while True:
        if current.resolve() in [c.resolve() for c in chain]:
            names = " -> ".join(p.stem for p in [*chain, current])
            raise DataError(
                [
                    Problem(
                        str(path),
                        None,
                        "extends",
                        current.stem,
                        f"inheritance cycle {names}; a scenario cannot extend itself",
                    )
                ]
            )
        if not current.is_file():
            where = chain[-1] if chain else current
            known = ", ".join(sorted(p.stem for p in current.parent.glob("*.toml"))) or "none"
            field = "extends" if chain else None
            raise DataError(
                [
                    Problem(
                        str(where),
                        None,
                        field,
                        current.stem,
                        f"scenario file {current} not found; known scenarios: {known}",
                    )
                ]
            )
        chain.append(current)
        data = _read_toml(current)
        data_chain.append(data)
        parent = data.get("extends")
        if parent is None:
            break
        if not isinstance(parent, str) or not parent:
            raise DataError(
                [
                    Problem(
                        str(current),
                        None,
                        "extends",
                        parent,
                        'expected the name of another scenario, e.g. "baseline"',
                    )
                ]
            )
        # a parent is looked up beside the child first, then in the scenarios folder
        beside = resolve_path(parent, current.parent)
        current = beside if beside.exists() else resolve_path(parent, scenarios_dir)
    merged: dict[str, Any] = {}
    for data in reversed(data_chain):
        merged = merge(merged, data)
    merged["name"] = path.stem
    merged["extends"] = data_chain[0].get("extends")
    return merged, path


def load_scenario(
    name_or_path: str | Path, scenarios_dir: str | Path | None = None, park: Park | None = None
) -> Scenario:
    """Read, merge (``extends``) and validate a scenario.

    Parameters
    ----------
    name_or_path
        A name in ``scenarios_dir`` (``"baseline"``) or a path to a TOML file.
    scenarios_dir
        Default ``$PARKCAP_SCENARIOS`` or the project's ``scenarios/``.
    park
        If given, ids and quantities that refer to the park are checked too.

    Raises
    ------
    DataError
        Every problem found: file, key path, value and expectation.
    """
    data, path = raw_resolved(name_or_path, scenarios_dir)
    scenario = Scenario.from_dict(data, source=str(path))
    if park is not None:
        raise_if(scenario.check_against(park, source=str(path)))
    return scenario


def list_scenarios(scenarios_dir: str | Path | None = None) -> list[str]:
    """Names of the scenario files in the folder, shipped ones first."""
    names = sorted(p.stem for p in scenarios_dir_from(scenarios_dir).glob("*.toml"))
    return [n for n in SHIPPED if n in names] + [n for n in names if n not in SHIPPED]


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """``{"demand": {"growth": 0.2}}`` -> ``{"demand.growth": 0.2}`` (lists stay values)."""
    if isinstance(data, Mapping):
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(flatten(v, f"{prefix}{k}."))
        return out
    return {prefix[:-1]: data}


def differences(scenarios: list[Scenario]) -> list[dict[str, Any]]:
    """The inputs (after inheritance) in which the scenarios differ.

    Returns one record per dotted key path: ``{"key": ..., "values": {name: value}}``.
    Descriptive keys (titles, rationale) are left out.
    """
    flat = {s.name: flatten(s.model_dump(mode="json", exclude=set(DESCRIPTIVE))) for s in scenarios}
    keys = sorted(set().union(*(f.keys() for f in flat.values())))
    out = []
    for key in keys:
        values = {name: f.get(key) for name, f in flat.items()}
        if len({json.dumps(v, sort_keys=True) for v in values.values()}) > 1:
            out.append({"key": key, "values": values})
    return out


def to_toml(scenario: Scenario) -> str:
    """TOML text of ``scenario``: every key after inheritance, so the file stands alone.

    ``load_scenario`` reads it back to an equal scenario (keys with no value are left out).
    """
    data = scenario.model_dump(mode="json")
    lines: list[str] = []
    tables: dict[str, dict[str, Any]] = {}
    for key, value in flatten(
        {k: v for k, v in data.items() if k not in ("name", "extends")}
    ).items():
        if value is None:
            continue
        head, _, tail = key.rpartition(".")
        tables.setdefault(head, {})[tail] = value
    for key, value in tables.pop("", {}).items():
        lines.append(f"{key} = {_toml_value(value)}")
    for head in sorted(tables):
        lines.append("")
        lines.append(f"[{_toml_key_path(head)}]")
        for key, value in tables[head].items():
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_\-]+", key) else json.dumps(key, ensure_ascii=False)


def _toml_key_path(path: str) -> str:
    return ".".join(_toml_key(k) for k in path.split("."))


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):  # keys without a value (None) are left out: TOML has no null
        items = [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items() if v is not None]
        return "{ " + ", ".join(items) + " }"
    if value is None:
        msg = "TOML has no null"
        raise ValueError(msg)
    return json.dumps(str(value))
