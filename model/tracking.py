"""Capacity and project status over time: dated records, kept and never overwritten.

Every record has two dates: ``as_of`` (when the fact holds, "valid from") and
``recorded`` (when parkcap learnt it). The park as it was on a date uses ``as_of``; the
park as it was *known* on a date also drops records recorded later. A correction is a new
record with a later ``recorded`` date, never an edit.

Capacity records live in ``capacity.csv`` (:mod:`model.capacity`), project status changes
in ``status_history.csv`` (:mod:`model.status_history`). This module queries a loaded park:
the pipeline and the stocks as of a date, the history, and estimates from it. Writing new
records is :mod:`model.recording`.
"""

from __future__ import annotations

import logging
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from model import quarters
from model.errors import Problem, raise_if
from model.park import Park
from model.pipeline import STATUSES, Project
from model.status_history import StatusRecord
from model.units import Q_, format_quantity

logger = logging.getLogger(__name__)


def projects_as_of(park: Park, as_of: date, known_as_of: date | None = None) -> list[Project]:
    """The pipeline as it stood on ``as_of`` (and as known on ``known_as_of``).

    Projects announced after ``as_of`` (or, with ``known_as_of``, after that date) are
    left out; each remaining project takes the status, start and capacity of its latest
    status record valid on ``as_of`` and recorded by ``known_as_of``.
    """
    cutoff = min(as_of, known_as_of) if known_as_of is not None else as_of
    latest: dict[str, StatusRecord] = {}
    for rec in park.status_records:
        if rec.valid_from > as_of or (known_as_of is not None and rec.recorded > known_as_of):
            continue
        cur = latest.get(rec.project)
        if cur is None or (rec.valid_from, rec.recorded, rec.line) >= (
            cur.valid_from,
            cur.recorded,
            cur.line,
        ):
            latest[rec.project] = rec
    out = []
    for p in park.projects:
        if p.announced > cutoff:
            continue
        rec = latest.get(p.id)
        if rec is not None:
            changes: dict[str, object] = {"status": rec.status, "status_since": rec.valid_from}
            if rec.start is not None:
                changes["expected_start"] = rec.start
            if rec.value is not None:
                changes["value"] = rec.value
                changes["capacity_text"] = rec.capacity_text
            p = p.with_changes(**changes)
        out.append(p)
    return out


# ---------------------------------------------------------------------------
# estimating completion probabilities and times in status from the history
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class StatusEstimate:
    """Completion probability and mean time in a status estimated from the history."""

    status: str
    p_complete: float
    p_transitions: int
    quarters_in_status: float
    time_transitions: int


def estimate_status_params(
    park: Park, min_transitions: int = 5, known_as_of: date | None = None
) -> dict[str, StatusEstimate]:
    """Estimate, per status, the completion share and mean duration from the status history.

    The completion share is the share of projects that went on to produce; the duration is
    the mean time spent in the status.

    A project "completes" from status *s* if it later reached trial production or full
    output; it "fails" if it was later cancelled. Projects still open are left out of the
    probability (censored). A correction (a record for the same project and date recorded
    later) replaces the record it corrects. With ``known_as_of``, only records recorded by
    then count, so a past projection is reproduced exactly. Only statuses with at least
    ``min_transitions`` observed outcomes or durations are returned; each estimate reports
    how many transitions back it.
    """
    days_per_quarter = float(Q_(1, "calendar_quarter").to("day").magnitude)
    latest: dict[tuple[str, date], StatusRecord] = {}
    for rec in park.status_records:
        if known_as_of is not None and rec.recorded > known_as_of:
            continue
        key = (rec.project, rec.valid_from)
        cur = latest.get(key)
        if cur is None or (rec.recorded, rec.line) >= (cur.recorded, cur.line):
            latest[key] = rec
    by_project: dict[str, list[StatusRecord]] = defaultdict(list)
    for rec in latest.values():
        by_project[rec.project].append(rec)
    outcomes: dict[str, Counter[str]] = defaultdict(Counter)
    durations: dict[str, list[float]] = defaultdict(list)
    for recs in by_project.values():
        recs.sort(key=lambda r: r.valid_from)
        for k, rec in enumerate(recs):
            later = {r.status for r in recs[k + 1 :]}
            if later & {"trial", "full_output"}:
                outcomes[rec.status]["done"] += 1
            elif "cancelled" in later:
                outcomes[rec.status]["failed"] += 1
            if k + 1 < len(recs):
                days = (recs[k + 1].valid_from - rec.valid_from).days
                durations[rec.status].append(days / days_per_quarter)
    out = {}
    for s in STATUSES:
        n = outcomes[s]["done"] + outcomes[s]["failed"]
        t = len(durations[s])
        if n >= min_transitions or t >= min_transitions:
            out[s] = StatusEstimate(
                s,
                outcomes[s]["done"] / n if n else math.nan,
                n,
                sum(durations[s]) / t if t else math.nan,
                t,
            )
    return out


# ---------------------------------------------------------------------------
# the state of the park on a date
# ---------------------------------------------------------------------------
def stock_table(
    park: Park, as_of: date, known_as_of: date | None = None, lang: str = "zh"
) -> list[dict[str, object]]:
    """Capacity stocks of every stage on ``as_of``, as records a table or JSON can show.

    Each row has ``stage``, ``name``, ``chain``, ``value`` (annual capacity in the
    stage's canonical ``unit``; 0 where nothing is recorded), ``per`` (``"year"``),
    ``text`` (the value as a report writes it), ``as_of``/``recorded`` (dates of the
    record in force), ``source``, ``record_id``, ``cell_gwh_eq`` (GWh a year of the
    ``reference`` product the capacity could supply, or ``None``) and ``presence``
    (``"recorded"``, ``"reported_no_capacity"`` or ``"absent"``).
    """
    records = park.capacity_as_of(as_of, known_as_of)
    chain = park.chain
    rows: list[dict[str, object]] = []
    for sid, stage in park.stages.items():
        rec = records.get(sid)
        value = rec.value if rec else 0.0
        ref = chain.reference_product(sid)
        eq = chain.cell_equivalent(sid, value) if ref else None
        presence = (
            "recorded" if rec else ("reported_no_capacity" if stage.presence_source else "absent")
        )
        rows.append(
            {
                "stage": sid,
                "name": stage.name(lang),
                "chain": stage.chain,
                "value": value,
                "unit": stage.unit,
                "per": "year",
                "text": format_quantity(Q_(value, stage.unit), lang) if rec else "",
                "as_of": rec.valid_from.isoformat() if rec else None,
                "recorded": rec.recorded.isoformat() if rec else None,
                "source": rec.source if rec else (stage.presence_source or None),
                "record_id": rec.record_id if rec else None,
                "cell_gwh_eq": None if eq is None or math.isnan(eq) else round(float(eq), 6),
                "reference": ref,
                "presence": presence,
            }
        )
    return rows


# ---------------------------------------------------------------------------
# listing records and estimates
# ---------------------------------------------------------------------------
def history(park: Park, key: str | None = None, lang: str = "zh") -> list[dict[str, object]]:
    """Every capacity and status record, oldest first, optionally of one stage or project.

    Each record has ``kind`` (``"capacity"`` or ``"project"``), ``record_id``, ``subject``
    (stage or project id), ``name``, ``value`` (the quantity as written, or the status),
    ``unit`` (capacity: the stage's unit, per year), ``status``, ``start``, ``capacity``,
    ``as_of`` (valid from), ``recorded``, ``source`` and ``note``.

    Raises :class:`~model.errors.DataError` if ``key`` is neither a stage nor a project.
    """
    projects = {p.id: p for p in park.projects}
    if key is not None and key not in park.stages and key not in projects:
        raise_if(
            [
                Problem(
                    "command line",
                    None,
                    "STAGE|PROJECT",
                    key,
                    "unknown id; expected a stage id listed in stages.csv or a project id "
                    "listed in projects.csv",
                )
            ]
        )
    rows: list[dict[str, object]] = []
    for rec in park.capacity_records:
        if key is not None and rec.stage != key:
            continue
        rows.append(
            {
                "kind": "capacity",
                "record_id": rec.record_id,
                "subject": rec.stage,
                "name": park.stages[rec.stage].name(lang),
                "value": rec.quantity_text,
                "unit": rec.unit,
                "status": None,
                "start": None,
                "capacity": None,
                "as_of": rec.valid_from.isoformat(),
                "recorded": rec.recorded.isoformat(),
                "source": rec.source,
                "note": rec.note,
            }
        )
    for rec in park.status_records:
        if key is not None and rec.project != key:
            continue
        proj = projects[rec.project]
        rows.append(
            {
                "kind": "project",
                "record_id": rec.record_id,
                "subject": rec.project,
                "name": proj.name(lang),
                "value": rec.status,
                "unit": proj.unit if rec.value is not None else None,
                "status": rec.status,
                "start": quarters.label(rec.start) if rec.start is not None else None,
                "capacity": rec.capacity_text or None,
                "as_of": rec.valid_from.isoformat(),
                "recorded": rec.recorded.isoformat(),
                "source": rec.source,
                "note": rec.note,
            }
        )
    rows.sort(
        key=lambda r: (str(r["as_of"]), str(r["recorded"]), str(r["kind"]), str(r["record_id"]))
    )
    return rows


def estimate_table(
    park: Park, min_transitions: int = 5, lang: str = "zh"
) -> list[dict[str, object]]:
    """:func:`estimate_status_params` beside the defaults of ``status_params.csv``.

    One record per status with enough history: ``status``, ``name``, ``p_complete`` and
    ``p_transitions`` (the outcomes behind it), ``quarters_in_status`` and
    ``time_transitions``, and ``default_p_complete`` / ``default_quarters_in_status``.
    Estimates without data are ``None``.
    """

    def fin(x: float) -> float | None:
        return None if math.isnan(x) else round(float(x), 6)

    rows = []
    for status, est in estimate_status_params(park, min_transitions).items():
        sp = park.status_params.get(status)
        rows.append(
            {
                "status": status,
                "name": sp.name(lang) if sp else status,
                "p_complete": fin(est.p_complete),
                "p_transitions": est.p_transitions,
                "quarters_in_status": fin(est.quarters_in_status),
                "time_transitions": est.time_transitions,
                "default_p_complete": sp.p_complete if sp else None,
                "default_quarters_in_status": sp.quarters_in_status if sp else None,
            }
        )
    return rows
