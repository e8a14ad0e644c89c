"""The project pipeline: projects that would add capacity, and what each status implies.

``projects.csv`` holds one row per project; ``status_params.csv`` the default completion
probability, typical time in each status and delay distribution per status. Statuses
follow the Chinese approval path (储备 → 签约 → 备案/环评 → 开工/在建 → 投产/试产 → 达产)
plus 搁置, 取消 and 退役.
"""

from __future__ import annotations

import math
from collections.abc import Container, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from model import quarters
from model.datafiles import read_csv
from model.errors import Problem
from model.fields import check_source, parse_date
from model.stages import TECHNOLOGIES, Stage, parse_stage_quantity

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

    def name(self, lang: str = "zh") -> str:
        """The status's name in ``lang``."""
        return self.name_zh if lang == "zh" else self.name_en


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

    def name(self, lang: str = "zh") -> str:
        """The project's name in ``lang``."""
        return self.name_zh if lang == "zh" else self.name_en

    def start_quarter(self, params: Mapping[str, StatusParams], from_quarter: int) -> int:
        """Quarter in which output is expected to start, before any delay.

        The expected start if given; otherwise the later of the announcement quarter and
        ``from_quarter`` plus the typical time of this and each later status before output
        (a signed project waits out signing, permitting and construction).
        """
        if self.expected_start is not None:
            return self.expected_start
        base = max(quarters.of_date(self.announced), from_quarter)
        if self.status not in _BEFORE_START:
            return base
        rest = _BEFORE_START[_BEFORE_START.index(self.status) :]
        return base + int(math.ceil(sum(params[s].quarters_in_status for s in rest)))

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
    rows = read_csv(d / file, cols, problems, label=file)
    out: dict[str, StatusParams] = {}
    for line, r in rows:
        n = len(problems)
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
        elif r["status"] in out:
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
        if len(problems) == n:
            out[r["status"]] = StatusParams(
                r["status"],
                r["name_zh"],
                r["name_en"],
                source=r["source"],
                assumption=r["assumption"],
                **nums,
            )
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
    )


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
    rows = read_csv(d / file, PROJECT_COLUMNS, problems, optional=["note"], label=file)
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
