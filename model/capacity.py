"""Dated capacity statements: what a stage could make per year, from when, known since when.

Records are never edited: a change is a new record with a later ``valid_from``, a
correction one with a later ``recorded`` date. :func:`in_force` derives the state on a date.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pint

from model.datafiles import read_csv
from model.errors import Problem
from model.fields import RECORD_ID, check_source, check_text, check_unique, parse_date
from model.stages import Stage, parse_stage_quantity
from model.units import Q_


@dataclass(frozen=True)
class CapacityRecord:
    """A dated statement of a stage's total annual capacity.

    ``valid_from`` is when the capacity holds; ``recorded`` when parkcap learnt it. A later
    change is a new record, never an edit, so the park can be seen as it was on any date
    (``valid_from``) and as it was known on any date (``recorded``).
    """

    record_id: str
    stage: str
    quantity_text: str
    value: float
    unit: str
    valid_from: date
    recorded: date
    source: str
    note: str = ""
    line: int = 0

    @property
    def quantity(self) -> pint.Quantity:
        """The capacity as a pint quantity in the stage's canonical unit (per year)."""
        return Q_(self.value, self.unit)

    def describe(self) -> str:
        """Where the record is, for a message: ``"capacity.csv row 7, record cap-0006 (...)"``.

        Returns
        -------
        str
            File, row (if known), record id, stage, quantity and ``as_of`` date.
        """
        row = f" row {self.line}," if self.line else ","
        return (
            f"capacity.csv{row} record {self.record_id} ({self.stage} {self.quantity_text}, "
            f"as_of {self.valid_from.isoformat()})"
        )


def load_capacity(
    d: Path, stages: Mapping[str, Stage], sources: Container[str], problems: list[Problem]
) -> list[CapacityRecord]:
    """Read ``capacity.csv``: dated capacity statements, one record per row."""
    file = "capacity.csv"
    rows = read_csv(
        d / file,
        ["record_id", "stage", "quantity", "as_of", "source"],
        problems,
        optional=["recorded", "assumption", "note"],
        label=file,
    )
    check_unique(
        [(ln, r["record_id"]) for ln, r in rows if r["record_id"]], file, "record_id", problems
    )
    return [
        rec
        for line, r in rows
        if (rec := capacity_record_from_row(r, line, file, stages, sources, problems))
    ]


def capacity_record_from_row(
    r: Mapping[str, str],
    line: int,
    file: str,
    stages: Mapping[str, Stage],
    sources: Container[str],
    problems: list[Problem],
) -> CapacityRecord | None:
    """Validate one capacity row (also used by ``parkcap track``); ``None`` if it has problems."""
    n = len(problems)
    if not RECORD_ID.match(r.get("record_id", "")):
        problems.append(
            Problem(
                file, line, "record_id", r.get("record_id", ""), "expected an id such as 'cap-0006'"
            )
        )
    stage = stages.get(r["stage"])
    if stage is None:
        problems.append(
            Problem(
                file,
                line,
                "stage",
                r["stage"],
                "unknown stage id; expected an id listed in stages.csv",
            )
        )
    value = parse_stage_quantity(r["quantity"], stage, file, line, "quantity", problems)
    valid_from = parse_date(r["as_of"], file, line, "as_of", problems)
    recorded = (
        parse_date(r.get("recorded", ""), file, line, "recorded", problems, required=False)
        or valid_from
    )
    check_source(r, sources, file, line, problems)
    check_text(r, ("assumption", "note"), file, line, problems)
    if valid_from is not None and recorded is not None and valid_from > recorded:
        problems.append(
            Problem(
                file,
                line,
                "as_of",
                r["as_of"],
                f"date is after the record's recorded date ({recorded.isoformat()}): a "
                "capacity observation cannot be of the future; expected "
                f"{recorded.isoformat()} or earlier (a plant still to come belongs in "
                "projects.csv)",
            )
        )
    if (
        len(problems) > n
        or stage is None
        or value is None
        or valid_from is None
        or recorded is None
    ):
        return None
    return CapacityRecord(
        r["record_id"],
        stage.id,
        r["quantity"],
        value,
        stage.unit,
        valid_from,
        recorded,
        r["source"],
        r.get("note", ""),
        line,
    )


def in_force(
    records: Iterable[CapacityRecord], as_of: date, known_as_of: date | None = None
) -> dict[str, CapacityRecord]:
    """The record in force for each stage on ``as_of``.

    Parameters
    ----------
    records
        Capacity records of any stages, in file order.
    as_of
        Date at which the capacity holds (records with ``valid_from <= as_of``).
    known_as_of
        If given, only records ``recorded`` on or before this date count: the park as
        it was known then. A correction recorded later wins over the record it corrects.

    Returns
    -------
    dict
        stage id -> record; stages with no record are absent (zero known capacity).
    """
    best: dict[str, CapacityRecord] = {}
    for rec in records:
        if rec.valid_from > as_of or (known_as_of is not None and rec.recorded > known_as_of):
            continue
        cur = best.get(rec.stage)
        if cur is None or (rec.valid_from, rec.recorded, rec.line) >= (
            cur.valid_from,
            cur.recorded,
            cur.line,
        ):
            best[rec.stage] = rec
    return best
