"""Project status changes as dated records: ``status_history.csv``.

Each record says that a project entered a status on ``as_of`` (valid from) and when parkcap
learnt it (``recorded``); it may also re-date the project's start or change its nameplate.
The file is optional (a new park has none). Reading the history as of a date and estimating
from it is :mod:`model.tracking`; appending to it is :mod:`model.recording`.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from model import quarters
from model.datafiles import read_csv
from model.errors import Problem
from model.fields import check_text, parse_date
from model.pipeline import STATUSES, Project
from model.stages import parse_stage_quantity
from model.units import parse_unit

STATUS_FILE = "status_history.csv"
STATUS_COLUMNS = ["record_id", "project", "status", "as_of", "recorded", "source"]
STATUS_OPTIONAL = ["start", "capacity", "note"]


@dataclass(frozen=True)
class StatusRecord:
    """Project ``project`` entered ``status`` on ``valid_from`` (recorded on ``recorded``).

    ``start`` (quarter index) and ``value`` (capacity in the stage's unit) update the
    project's expected start and nameplate when given.
    """

    record_id: str
    project: str
    status: str
    valid_from: date
    recorded: date
    source: str
    start: int | None = None
    capacity_text: str = ""
    value: float | None = None
    note: str = ""
    line: int = 0


def status_record_from_row(
    r: Mapping[str, str],
    line: int | None,
    file: str,
    projects: Mapping[str, Project],
    sources: Container[str],
    problems: list[Problem],
) -> StatusRecord | None:
    """Validate one status-history row; ``None`` (with problems appended) if it is bad."""
    n = len(problems)
    if not r.get("record_id"):
        problems.append(Problem(file, line, "record_id", "", "empty; every record needs an id"))
    project = projects.get(r.get("project", ""))
    if project is None:
        problems.append(
            Problem(
                file,
                line,
                "project",
                r.get("project"),
                "unknown project id; expected an id listed in projects.csv",
            )
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
    valid_from = parse_date(r.get("as_of", ""), file, line, "as_of", problems)
    recorded = (
        parse_date(r.get("recorded", ""), file, line, "recorded", problems, required=False)
        or valid_from
    )
    if not r.get("source"):
        problems.append(Problem(file, line, "source", "", "empty; every record needs a source id"))
    elif r["source"] not in sources:
        problems.append(
            Problem(
                file,
                line,
                "source",
                r["source"],
                "unknown source id; expected an id listed in sources.csv",
            )
        )
    if valid_from is not None and recorded is not None and valid_from > recorded:
        problems.append(
            Problem(
                file,
                line,
                "as_of",
                r.get("as_of"),
                f"date is after the record's recorded date ({recorded.isoformat()}): a "
                "status change cannot be of the future; expected "
                f"{recorded.isoformat()} or earlier (an expected start goes in 'start')",
            )
        )
    check_text(r, ("record_id", "note"), file, line, problems)
    start = None
    if r.get("start"):
        try:
            start = quarters.parse_quarter(r["start"])
        except quarters.QuarterError as exc:
            problems.append(Problem(file, line, "start", r["start"], str(exc)))
    value = None
    if r.get("capacity"):
        stage = _StageView(project) if project is not None else None
        value = parse_stage_quantity(
            r["capacity"], stage, file, line, "capacity", problems, allow_zero=False
        )  # type: ignore[arg-type]
    if len(problems) > n or project is None or valid_from is None or recorded is None:
        return None
    return StatusRecord(
        r["record_id"],
        project.id,
        r["status"],
        valid_from,
        recorded,
        r["source"],
        start,
        r.get("capacity", ""),
        value,
        r.get("note", ""),
        line or 0,
    )


class _StageView:
    """Just enough of a Stage (id and unit) to check a project's capacity."""

    def __init__(self, project: Project) -> None:
        self.id = project.stage
        self.unit = project.unit
        self.pint_unit = parse_unit(project.unit)


def load_status_history(
    d: Path, projects: Mapping[str, Project], sources: Container[str], problems: list[Problem]
) -> list[StatusRecord]:
    """Read ``status_history.csv`` if present (it is optional: a new park has none)."""
    path = d / STATUS_FILE
    if not path.exists():
        return []
    rows = read_csv(path, STATUS_COLUMNS, problems, optional=STATUS_OPTIONAL, label=STATUS_FILE)
    seen: dict[str, int] = {}
    out = []
    for line, r in rows:
        if r["record_id"] in seen:
            problems.append(
                Problem(
                    STATUS_FILE,
                    line,
                    "record_id",
                    r["record_id"],
                    f"duplicate id; already used on row {seen[r['record_id']]}",
                )
            )
            continue
        seen[r["record_id"]] = line
        rec = status_record_from_row(r, line, STATUS_FILE, projects, sources, problems)
        if rec is not None:
            out.append(rec)
    return out
