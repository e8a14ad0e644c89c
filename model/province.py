"""Qinghai's own supply of a stage: the province-boundary view beside the park's.

``province.csv`` holds dated statements of the province's capacity or output of a stage,
one per row: ``stage``, ``quantity`` as written (``11万吨``, ``102.5GW``; an annual rate),
``as_of``, ``kind`` (``capacity`` or ``output``), a source id or a marked assumption and a
note. A figure for Xining city (where the park lies) rather than all of Qinghai says so in
its note; it is a lower bound of the province's.

The file is optional: without it there is no province view (an empty mapping).
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from model.datafiles import read_csv
from model.errors import Problem
from model.fields import check_source, check_text, check_unique, parse_date
from model.stages import Stage, parse_stage_quantity
from model.units import rate_unit

__all__ = ["FILE", "KINDS", "ProvinceSupply", "load_province", "province_supply"]

FILE = "province.csv"
KINDS = ("capacity", "output")
COLUMNS = ["stage", "quantity", "as_of", "kind", "source", "assumption"]
TEXT = ("quantity", "assumption", "note")


@dataclass(frozen=True)
class ProvinceSupply:
    """One statement of the province's capacity or output of a stage.

    :attr:`value` is per year in the stage's canonical unit (:attr:`unit`: ``"t / a"``);
    :attr:`quantity` is the text as written.
    """

    stage: str
    value: float
    unit: str
    quantity: str
    as_of: date
    kind: str
    source: str
    assumption: str = ""
    note: str = ""
    line: int | None = None


class HasProvince(Protocol):
    """Anything with a ``province`` mapping, such as :class:`model.park.Park`."""

    @property
    def province(self) -> Mapping[str, tuple[ProvinceSupply, ...]]:
        """Stage id -> its statements, oldest first."""


def load_province(
    d: Path, stages: Mapping[str, Stage], sources: Container[str], problems: list[Problem]
) -> dict[str, tuple[ProvinceSupply, ...]]:
    """Read ``province.csv`` if present: known stages and kinds, dates, quantities, sources.

    Parameters
    ----------
    d
        The data folder.
    stages
        Known stages; a quantity is read against its stage's unit (``11万吨`` -> 110000 t/a).
    sources
        Known source ids.
    problems
        List every problem is appended to.

    Returns
    -------
    dict
        Stage id -> its statements, ordered by ``as_of`` (then by row); rows with a problem
        are left out. Empty if the file is absent.
    """
    if not (d / FILE).exists():
        return {}
    rows = read_csv(d / FILE, COLUMNS, problems, optional=["note"], label=FILE)
    keys = [(ln, f"{r['stage']}/{r['kind']}/{r['as_of']}") for ln, r in rows if r["stage"]]
    repeated = check_unique(keys, FILE, "as_of", problems)
    found: dict[str, list[ProvinceSupply]] = {}
    for line, r in rows:
        n = len(problems)
        stage = stages.get(r["stage"])
        if stage is None:
            problems.append(
                Problem(
                    FILE, line, "stage", r["stage"], "unknown stage; expected an id in stages.csv"
                )
            )
        if r["kind"] not in KINDS:
            problems.append(
                Problem(FILE, line, "kind", r["kind"], f"expected one of {', '.join(KINDS)}")
            )
        if stage is None:
            value = None
            if not r["quantity"]:
                problems.append(
                    Problem(FILE, line, "quantity", "", "empty; expected e.g. '11万吨'")
                )
        else:
            value = parse_stage_quantity(
                r["quantity"], stage, FILE, line, "quantity", problems, allow_zero=False
            )
        as_of = parse_date(r["as_of"], FILE, line, "as_of", problems)
        check_source(r, sources, FILE, line, problems)
        check_text(r, TEXT, FILE, line, problems)
        bad = len(problems) > n or line in repeated
        if bad or stage is None or value is None or as_of is None:
            continue
        found.setdefault(stage.id, []).append(
            ProvinceSupply(
                stage.id,
                value,
                rate_unit(stage.unit),
                r["quantity"],
                as_of,
                r["kind"],
                r["source"],
                r["assumption"],
                r.get("note", ""),
                line,
            )
        )
    return {
        s: tuple(sorted(recs, key=lambda p: (p.as_of, p.line or 0))) for s, recs in found.items()
    }


def province_supply(
    park: HasProvince, stage: str, kind: str | None = None, as_of: date | None = None
) -> ProvinceSupply | None:
    """The latest statement of the province's supply of ``stage``.

    Parameters
    ----------
    park
        The park (its ``province``).
    stage
        Stage id.
    kind
        ``"capacity"`` or ``"output"`` to take only that kind; ``None`` takes either (on the
        same date, capacity wins).
    as_of
        Take only statements dated on or before this day.

    Returns
    -------
    ProvinceSupply or None
        ``None`` if there is none.
    """
    if kind is not None and kind not in KINDS:
        msg = f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}"
        raise ValueError(msg)
    records = [
        p
        for p in park.province.get(stage, ())
        if (kind is None or p.kind == kind) and (as_of is None or p.as_of <= as_of)
    ]
    if not records:
        return None
    return max(records, key=lambda p: (p.as_of, p.kind == "capacity", p.line or 0))
