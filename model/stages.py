"""The stages of the value chain and the sources that figures cite.

A stage is counted in one canonical unit (capacities are per year); every other data file
refers to stages and sources by id, so this module is the ground floor of the data.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pint

from model.datafiles import read_csv
from model.errors import Problem
from model.fields import ID, PLAUSIBLE_MAX, check_source, check_text, check_unique, parse_date
from model.units import UnitParseError, parse_quantity, parse_unit

CHAINS = (
    "lithium",
    "sodium_ion",
    "vanadium_flow",
    "gravity",
    "storage_integration",
    "photovoltaic",
)
#: how a stage is built, which sets its project timelines (status_params.csv, stage_class):
#: a process plant (cells, materials, polysilicon), an assembly line (cabinets, PCS, EMS,
#: thermal management, casings) or a one-off installation (a storage station)
STAGE_CLASSES = ("plant", "assembly", "installation")
TECHNOLOGIES = ("lfp", "sodium_ion", "vanadium_flow", "gravity", "pv_silicon")
#: free-text columns (checked not to start like a spreadsheet formula)
SOURCE_TEXT = ("id", "title", "publisher", "citation", "note")
STAGE_TEXT = ("name_zh", "name_en", "note")


@dataclass(frozen=True)
class Source:
    """A publication or note that figures cite by ``id``."""

    id: str
    title: str
    publisher: str
    date: date | None
    citation: str
    note: str = ""


@dataclass(frozen=True)
class Stage:
    """One stage of the value chain, counted in its canonical ``unit`` (capacities per year)."""

    id: str
    name_zh: str
    name_en: str
    chain: str
    unit: str
    presence_source: str = ""
    note: str = ""
    stage_class: str = "plant"

    def name(self, lang: str = "zh") -> str:
        """The stage's name in ``lang`` ("zh" or "en")."""
        return self.name_zh if lang == "zh" else self.name_en

    @property
    def pint_unit(self) -> pint.Unit:
        """The canonical unit as a pint unit."""
        return parse_unit(self.unit)


def load_sources(d: Path, problems: list[Problem]) -> dict[str, Source]:
    """Read ``sources.csv``: every source needs an id, a title and a citation."""
    file = "sources.csv"
    rows = read_csv(
        d / file,
        ["id", "title", "publisher", "date", "citation"],
        problems,
        optional=["note"],
        label=file,
    )
    check_unique([(ln, r["id"]) for ln, r in rows if r["id"]], file, "id", problems)
    out: dict[str, Source] = {}
    for line, r in rows:
        if not r["id"]:
            problems.append(Problem(file, line, "id", "", "empty; every source needs an id"))
            continue
        if not r["title"]:
            problems.append(Problem(file, line, "title", "", "empty; every source needs a title"))
        if not r["citation"]:
            problems.append(
                Problem(file, line, "citation", "", "empty; say where the source can be found")
            )
        check_text(r, SOURCE_TEXT, file, line, problems)
        d_ = parse_date(r["date"], file, line, "date", problems, required=False)
        out.setdefault(
            r["id"],
            Source(r["id"], r["title"], r["publisher"], d_, r["citation"], r.get("note", "")),
        )
    return out


def load_stages(d: Path, sources: Container[str], problems: list[Problem]) -> dict[str, Stage]:
    """Read ``stages.csv``: ids, names in both languages, chain and canonical unit."""
    file = "stages.csv"
    rows = read_csv(
        d / file,
        ["id", "name_zh", "name_en", "chain", "unit"],
        problems,
        optional=["presence_source", "class", "note"],
        label=file,
    )
    check_unique([(ln, r["id"]) for ln, r in rows if r["id"]], file, "id", problems)
    out: dict[str, Stage] = {}
    for line, r in rows:
        bad = False
        if not ID.match(r["id"]):
            problems.append(
                Problem(file, line, "id", r["id"], "expected a lower-case id such as 'copper_foil'")
            )
            bad = True
        for col in ("name_zh", "name_en"):
            if not r[col]:
                problems.append(
                    Problem(
                        file,
                        line,
                        col,
                        "",
                        "empty; every stage needs a Chinese and an English name",
                    )
                )
        if r["chain"] not in CHAINS:
            problems.append(
                Problem(
                    file,
                    line,
                    "chain",
                    r["chain"],
                    f"unknown chain; expected one of {', '.join(CHAINS)}",
                )
            )
        try:
            parse_unit(r["unit"])
        except UnitParseError as exc:
            problems.append(Problem(file, line, "unit", r["unit"], str(exc)))
            bad = True
        check_source(r, sources, file, line, problems, col="presence_source", required=False)
        check_text(r, STAGE_TEXT, file, line, problems)
        if r.get("class", "") not in ("", *STAGE_CLASSES):
            problems.append(
                Problem(
                    file,
                    line,
                    "class",
                    r["class"],
                    f"unknown stage class; expected one of {', '.join(STAGE_CLASSES)}",
                )
            )
        if not bad:
            out.setdefault(
                r["id"],
                Stage(
                    r["id"],
                    r["name_zh"],
                    r["name_en"],
                    r["chain"],
                    r["unit"],
                    r.get("presence_source", ""),
                    r.get("note", ""),
                    r.get("class", "") or "plant",
                ),
            )
    return out


def parse_stage_quantity(
    text: str,
    stage: Stage | None,
    file: str,
    line: int | None,
    col: str,
    problems: list[Problem],
    allow_zero: bool = True,
) -> float | None:
    """Parse ``text`` as a capacity of ``stage`` and return it in the stage's canonical unit.

    Appends a problem (unknown unit, wrong dimension, negative, NaN, empty) and returns
    ``None`` on bad input.
    """
    try:
        q = parse_quantity(text)
    except UnitParseError as exc:
        problems.append(Problem(file, line, col, text, str(exc)))
        return None
    if stage is None:
        return None
    if not q.is_compatible_with(stage.pint_unit):
        problems.append(
            Problem(
                file,
                line,
                col,
                text,
                f"wrong dimension: stage '{stage.id}' is counted in {stage.unit}, not {q.units:~}",
            )
        )
        return None
    value = float(q.to(stage.pint_unit).magnitude)
    if value > PLAUSIBLE_MAX:
        problems.append(
            Problem(
                file,
                line,
                col,
                text,
                f"implausibly large: {value:.3g} {stage.unit} a year; expected at most "
                f"{PLAUSIBLE_MAX:.0e} (check the number and its unit)",
            )
        )
        return None
    if value < 0 or (value == 0 and not allow_zero):
        problems.append(
            Problem(
                file,
                line,
                col,
                text,
                "must be positive" if not allow_zero else "must not be negative",
            )
        )
        return None
    return value
