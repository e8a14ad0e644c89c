"""The project pipeline: projects that would add capacity, and what each status implies.

``projects.csv`` holds one row per project; ``status_params.csv`` the default completion
probability, typical time in each status and delay distribution per status. Statuses
follow the Chinese approval path (储备 → 签约 → 备案/环评 → 开工/在建 → 投产/试产 → 达产)
plus 搁置, 取消 and 退役.
"""

from __future__ import annotations

import math
from collections.abc import Container, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from model import quarters
from model.datafiles import read_csv
from model.errors import Problem
from model.fields import check_source, check_text, parse_date
from model.stages import STAGE_CLASSES, TECHNOLOGIES, Stage, parse_stage_quantity
from model.units import UnitParseError, parse_quantity

#: statuses in the order of the approval path; the last three never add capacity
STATUSES = (
    "reserve",
    "signed",
    "permitted",
    "construction",
    "trial",
    "full_output",
    "shelved",
    "cancelled",
    "retired",
)
#: statuses whose projects still wait to add capacity (a plant at full output is in capacity.csv)
ACTIVE = ("reserve", "signed", "permitted", "construction", "trial", "shelved")
#: statuses that come before output starts, in order; time to start sums their durations
_BEFORE_START = ("reserve", "signed", "permitted", "construction")
#: free-text columns of a project (checked not to start like a spreadsheet formula)
PROJECT_TEXT = ("id", "name_zh", "name_en", "company", "assumption", "note")


@dataclass(frozen=True)
class StatusParams:
    """Defaults for projects in one status (probabilities 0-1, times in quarters)."""

    status: str
    name_zh: str
    name_en: str
    p_complete: float
    quarters_in_status: float
    delay_mean_q: float
    delay_sd_q: float
    source: str = ""
    assumption: str = ""
    stage_class: str = ""
    #: the same status for one stage class (assembly lines, installations), where it differs
    by_class: Mapping[str, StatusParams] = field(default_factory=dict)

    def name(self, lang: str = "zh") -> str:
        """The status's name in ``lang``."""
        return self.name_zh if lang == "zh" else self.name_en

    def for_class(self, stage_class: str) -> StatusParams:
        """The parameters for projects of ``stage_class`` (its own row, else the general one)."""
        return self.by_class.get(stage_class, self)


@dataclass(frozen=True)
class Project:
    """A project that would add ``value`` (stage's canonical unit per year) to ``stage``."""

    id: str
    name_zh: str
    name_en: str
    company: str
    stage: str
    technology: str
    capacity_text: str
    value: float
    unit: str
    status: str
    announced: date
    expected_start: int | None
    source: str
    assumption: str = ""
    note: str = ""
    line: int = 0
    #: the date the project entered its current status (its latest status record; else
    #: ``announced``): the clock of its timeline runs from here
    status_since: date | None = None
    #: "plant", "assembly" or "installation": the stage class, which sets the timelines
    stage_class: str = "plant"
    #: the line's own input intensities where they differ from the recipes (input stage ->
    #: input per unit of output, canonical units), e.g. PCS per GWh of a short-duration line
    intensities: Mapping[str, float] = field(default_factory=dict)

    def name(self, lang: str = "zh") -> str:
        """The project's name in ``lang``."""
        return self.name_zh if lang == "zh" else self.name_en

    @property
    def is_installation(self) -> bool:
        """A one-off build of a stated size (a storage station), not a production line."""
        return self.stage_class == "installation"

    def start_quarter(self, params: Mapping[str, StatusParams], from_quarter: int) -> int:
        """Quarter in which output is expected to start (or an installation goes into service).

        The expected start if given (used as given). Otherwise the quarter the project entered
        its current status plus the typical time, for its stage class, of this and each later
        status before output (a signed cabinet line waits out signing, permitting and a short
        construction); time already spent in the status counts. A trial project is producing:
        its start is the later of its status date and ``from_quarter``.
        """
        if self.expected_start is not None:
            return self.expected_start
        base = quarters.of_date(self.status_since or self.announced)
        if self.status not in _BEFORE_START:
            return max(base, from_quarter)
        rest = _BEFORE_START[_BEFORE_START.index(self.status) :]
        wait = sum(params[s].for_class(self.stage_class).quarters_in_status for s in rest)
        return base + int(math.ceil(wait))

    def build_quarters(self, params: Mapping[str, StatusParams]) -> int:
        """Quarters of construction before the start: when an installation needs its materials."""
        return max(
            1, int(math.ceil(params["construction"].for_class(self.stage_class).quarters_in_status))
        )

    def with_changes(self, **changes: object) -> Project:
        """A copy with some fields changed (used by scenarios that re-date projects)."""
        return replace(self, **changes)


def load_status_params(
    d: Path, sources: Container[str], problems: list[Problem]
) -> dict[str, StatusParams]:
    """Read ``status_params.csv``; every status must appear once with valid numbers."""
    file = "status_params.csv"
    cols = [
        "status",
        "name_zh",
        "name_en",
        "p_complete",
        "quarters_in_status",
        "delay_mean_q",
        "delay_sd_q",
        "source",
        "assumption",
    ]
    rows = read_csv(d / file, cols, problems, optional=["stage_class"], label=file)
    out: dict[str, StatusParams] = {}
    variants: dict[str, dict[str, StatusParams]] = {}
    for line, r in rows:
        n = len(problems)
        cls = r.get("stage_class", "")
        if cls and cls not in STAGE_CLASSES:
            problems.append(
                Problem(
                    file,
                    line,
                    "stage_class",
                    cls,
                    f"unknown stage class; expected one of {', '.join(STAGE_CLASSES)} or empty",
                )
            )
        if r["status"] not in STATUSES:
            problems.append(
                Problem(
                    file,
                    line,
                    "status",
                    r["status"],
                    f"unknown status; expected one of {', '.join(STATUSES)}",
                )
            )
        elif (not cls and r["status"] in out) or (cls in variants.get(r["status"], {})):
            problems.append(Problem(file, line, "status", r["status"], "status listed twice"))
        nums = {}
        for col, hi in (
            ("p_complete", 1.0),
            ("quarters_in_status", 400.0),
            ("delay_mean_q", 400.0),
            ("delay_sd_q", 400.0),
        ):
            try:
                v = float(r[col])
            except ValueError:
                problems.append(Problem(file, line, col, r[col], "not a number"))
                continue
            if not (math.isfinite(v) and 0 <= v <= hi):
                problems.append(
                    Problem(file, line, col, r[col], f"expected a number from 0 to {hi:g}")
                )
                continue
            nums[col] = v
        check_source(r, sources, file, line, problems)
        check_text(r, ("name_zh", "name_en", "assumption"), file, line, problems)
        if len(problems) == n:
            params = StatusParams(
                r["status"],
                r["name_zh"],
                r["name_en"],
                source=r["source"],
                assumption=r["assumption"],
                stage_class=cls,
                **nums,
            )
            if cls:
                variants.setdefault(r["status"], {})[cls] = params
            else:
                out[r["status"]] = params
    for status, by_class in variants.items():
        if status in out:
            out[status] = replace(out[status], by_class=by_class)
    if rows and not problems:
        for s in STATUSES:
            if s not in out:
                problems.append(
                    Problem(file, None, "status", s, "status missing; every status needs a row")
                )
    return out


def project_from_row(
    r: Mapping[str, str],
    line: int | None,
    file: str,
    stages: Mapping[str, Stage],
    sources: Container[str],
    problems: list[Problem],
) -> Project | None:
    """Validate one project row; ``None`` (with problems appended) if it is bad."""
    n = len(problems)
    if not r.get("id"):
        problems.append(Problem(file, line, "id", "", "empty; every project needs an id"))
    stage = stages.get(r.get("stage", ""))
    if stage is None:
        problems.append(
            Problem(
                file,
                line,
                "stage",
                r.get("stage"),
                "unknown stage id; expected an id listed in stages.csv",
            )
        )
    if r.get("technology") not in TECHNOLOGIES:
        problems.append(
            Problem(
                file,
                line,
                "technology",
                r.get("technology"),
                f"unknown technology; expected one of {', '.join(TECHNOLOGIES)}",
            )
        )
    value = parse_stage_quantity(
        r.get("capacity", ""), stage, file, line, "capacity", problems, allow_zero=False
    )
    own = parse_intensities(r.get("intensities", ""), stage, stages, file, line, problems)
    if r.get("status") not in STATUSES:
        problems.append(
            Problem(
                file,
                line,
                "status",
                r.get("status"),
                f"unknown status; expected one of {', '.join(STATUSES)}",
            )
        )
    announced = parse_date(r.get("announced", ""), file, line, "announced", problems)
    start = None
    if r.get("expected_start"):
        try:
            start = quarters.parse_quarter(r["expected_start"])
        except quarters.QuarterError as exc:
            problems.append(Problem(file, line, "expected_start", r["expected_start"], str(exc)))
    check_source(
        {"source": r.get("source", ""), "assumption": r.get("assumption", "")},
        sources,
        file,
        line,
        problems,
    )
    check_text(r, PROJECT_TEXT, file, line, problems)
    if len(problems) > n or stage is None or value is None or announced is None:
        return None
    return Project(
        r["id"],
        r.get("name_zh", ""),
        r.get("name_en", ""),
        r.get("company", ""),
        stage.id,
        r["technology"],
        r["capacity"],
        value,
        stage.unit,
        r["status"],
        announced,
        start,
        r.get("source", ""),
        r.get("assumption", ""),
        r.get("note", ""),
        line or 0,
        stage_class=stage.stage_class,
        intensities=own,
    )


def parse_intensities(
    text: str,
    stage: Stage | None,
    stages: Mapping[str, Stage],
    file: str,
    line: int | None,
    problems: list[Problem],
) -> dict[str, float]:
    """A line's own input intensities: ``"pcs=1.5GW/GWh; ems=4set/GWh"`` -> canonical values.

    Each input is a stage id; its quantity is input per unit of the project's output
    (converted to the input stage's unit over the output stage's unit). Empty text: none.
    """
    out: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, _, qty = part.partition("=")
        name, qty = name.strip(), qty.strip()
        if name not in stages or not qty:
            problems.append(
                Problem(
                    file,
                    line,
                    "intensities",
                    part,
                    "expected 'input_stage=quantity per unit of output', e.g. 'pcs=1.5GW/GWh'",
                )
            )
            continue
        try:
            q = parse_quantity(qty)
        except UnitParseError as exc:
            problems.append(Problem(file, line, "intensities", part, str(exc)))
            continue
        if stage is None:
            continue
        want = stages[name].pint_unit / stage.pint_unit
        if not q.is_compatible_with(want) or q.magnitude <= 0:
            problems.append(
                Problem(
                    file,
                    line,
                    "intensities",
                    part,
                    f"expected a positive {stages[name].unit}/{stage.unit} (input per unit of output)",
                )
            )
            continue
        out[name] = float(q.to(want).magnitude)
    return out


PROJECT_COLUMNS = [
    "id",
    "name_zh",
    "name_en",
    "company",
    "stage",
    "technology",
    "capacity",
    "status",
    "announced",
    "expected_start",
    "source",
    "assumption",
]


def load_projects(
    d: Path, stages: Mapping[str, Stage], sources: Container[str], problems: list[Problem]
) -> list[Project]:
    """Read ``projects.csv``: one validated project per row, ids unique."""
    file = "projects.csv"
    rows = read_csv(
        d / file, PROJECT_COLUMNS, problems, optional=["intensities", "note"], label=file
    )
    seen: dict[str, int] = {}
    projects = []
    for line, r in rows:
        if r["id"] in seen:
            problems.append(
                Problem(
                    file, line, "id", r["id"], f"duplicate id; already used on row {seen[r['id']]}"
                )
            )
            continue
        seen[r["id"]] = line
        p = project_from_row(r, line, file, stages, sources, problems)
        if p is not None:
            projects.append(p)
    return projects
