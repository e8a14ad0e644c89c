"""Indicators a source states beside capacities: growth rates and counted facts."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path

from model.datafiles import read_csv
from model.errors import Problem
from model.fields import check_source, check_text, check_unique, parse_number
from model.units import UnitParseError, parse_growth, parse_quantity


@dataclass(frozen=True)
class GrowthRecord:
    """A year-on-year growth indicator as the source phrases it (see :func:`parse_growth`)."""

    id: str
    subject: str
    name_zh: str
    name_en: str
    year: int
    text: str
    increase: float
    source: str

    @property
    def ratio(self) -> float:
        """The ratio of this year's level to last year's (增长1.3倍 → 2.3)."""
        return 1.0 + self.increase


@dataclass(frozen=True)
class Fact:
    """A counted fact from a source (e.g. 74 projects introduced in 2023)."""

    id: str
    name_zh: str
    name_en: str
    quantity_text: str
    value: float
    unit: str
    year: int
    source: str
    note: str = ""


def load_growth(d: Path, sources: Container[str], problems: list[Problem]) -> list[GrowthRecord]:
    """Read ``growth.csv``: growth indicators as the source phrases them."""
    file = "growth.csv"
    rows = read_csv(
        d / file,
        ["id", "subject", "name_zh", "name_en", "year", "growth", "source"],
        problems,
        label=file,
    )
    check_unique([(ln, r["id"]) for ln, r in rows if r["id"]], file, "id", problems)
    out = []
    for line, r in rows:
        n = len(problems)
        try:
            g = parse_growth(r["growth"])
        except UnitParseError as exc:
            problems.append(Problem(file, line, "growth", r["growth"], str(exc)))
            g = None
        year = parse_number(r["year"], file, line, "year", problems)
        check_source(r, sources, file, line, problems)
        check_text(r, ("id", "subject", "name_zh", "name_en"), file, line, problems)
        if len(problems) == n and g is not None and year is not None:
            out.append(
                GrowthRecord(
                    r["id"],
                    r["subject"],
                    r["name_zh"],
                    r["name_en"],
                    int(year),
                    r["growth"],
                    g.increase,
                    r["source"],
                )
            )
    return out


def load_facts(d: Path, sources: Container[str], problems: list[Problem]) -> list[Fact]:
    """Read ``facts.csv``: counted facts such as the number of projects introduced."""
    file = "facts.csv"
    rows = read_csv(
        d / file,
        ["id", "name_zh", "name_en", "quantity", "year", "source"],
        problems,
        optional=["note"],
        label=file,
    )
    check_unique([(ln, r["id"]) for ln, r in rows if r["id"]], file, "id", problems)
    out = []
    for line, r in rows:
        n = len(problems)
        try:
            q = parse_quantity(r["quantity"])
        except UnitParseError as exc:
            problems.append(Problem(file, line, "quantity", r["quantity"], str(exc)))
            q = None
        year = parse_number(r["year"], file, line, "year", problems)
        check_source(r, sources, file, line, problems)
        check_text(r, ("id", "name_zh", "name_en", "note"), file, line, problems)
        if len(problems) == n and q is not None and year is not None:
            out.append(
                Fact(
                    r["id"],
                    r["name_zh"],
                    r["name_en"],
                    r["quantity"],
                    float(q.magnitude),
                    f"{q.units:~}",
                    int(year),
                    r["source"],
                    r.get("note", ""),
                )
            )
    return out
