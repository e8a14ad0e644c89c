"""The park as its data files describe it; loading and validation.

The data are stages, sources, dated capacity records, recipes, growth indicators and facts.

``load_park(data_dir)`` reads ``data/`` and returns a frozen :class:`Park`, or raises one
:class:`~model.errors.DataError` listing every problem found (file, row, field, value,
expectation). Quantities are parsed with the project's unit registry and stored as plain
floats in each stage's canonical unit; the pint view is one property away.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import pint

from model.datafiles import read_csv
from model.errors import DataError, Problem, raise_if
from model.units import Q_, UnitParseError, parse_growth, parse_quantity, parse_unit

if TYPE_CHECKING:
    from model.chain import Chain
    from model.pipeline import Project, StatusParams
    from model.tracking import StatusRecord

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"

CHAINS = (
    "lithium",
    "sodium_ion",
    "vanadium_flow",
    "gravity",
    "storage_integration",
    "photovoltaic",
)
TECHNOLOGIES = ("lfp", "sodium_ion", "vanadium_flow", "gravity", "pv_silicon")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_RECORD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


def data_dir_from(arg: str | os.PathLike[str] | None) -> Path:
    """The data folder: ``arg`` if given, else ``$PARKCAP_DATA``, else the project's ``data/``."""
    if arg is not None:
        return Path(arg)
    env = os.environ.get("PARKCAP_DATA")
    return Path(env) if env else DEFAULT_DATA_DIR


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

    def name(self, lang: str = "zh") -> str:
        """The stage's name in ``lang`` ("zh" or "en")."""
        return self.name_zh if lang == "zh" else self.name_en

    @property
    def pint_unit(self) -> pint.Unit:
        """The canonical unit as a pint unit."""
        return parse_unit(self.unit)


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


@dataclass(frozen=True)
class RecipeLine:
    """Input ``input`` needed per unit of ``output`` made with ``technology``.

    ``low``/``central``/``high`` are in ``input unit / output unit`` (canonical units).
    A line without ``source`` is an assumption and carries its one-line rationale.
    """

    output: str
    technology: str
    input: str
    low: float
    central: float
    high: float
    unit_text: str
    source: str
    assumption: str = ""
    note: str = ""
    line: int = 0

    def value(self, level: str = "central") -> float:
        """The intensity at ``level`` ("low", "central" or "high")."""
        return {"low": self.low, "central": self.central, "high": self.high}[level]


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


@dataclass(frozen=True)
class Park:
    """Everything in ``data/``, validated. Build with :func:`load_park`."""

    data_dir: Path
    stages: Mapping[str, Stage]
    sources: Mapping[str, Source]
    capacity_records: tuple[CapacityRecord, ...]
    recipes: tuple[RecipeLine, ...]
    growth: tuple[GrowthRecord, ...]
    facts: tuple[Fact, ...]
    projects: tuple[Project, ...] = ()
    status_params: Mapping[str, StatusParams] = field(default_factory=dict)
    status_records: tuple[StatusRecord, ...] = ()
    data_version: str = ""

    @property
    def stage_ids(self) -> list[str]:
        """Stage ids in the order of ``stages.csv``."""
        return list(self.stages)

    def capacity_as_of(
        self, as_of: date, known_as_of: date | None = None
    ) -> dict[str, CapacityRecord]:
        """The record in force for each stage on ``as_of``.

        Parameters
        ----------
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
        for rec in self.capacity_records:
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

    def latest_date(self) -> date:
        """The latest ``valid_from`` among the capacity records: the data's as-of date.

        Raises :class:`DataError` if there is no capacity record at all.
        """
        if not self.capacity_records:
            raise DataError(
                [
                    Problem(
                        "capacity.csv",
                        None,
                        None,
                        None,
                        "no capacity record; add one (parkcap track capacity) or give --as-of",
                    )
                ]
            )
        return max(r.valid_from for r in self.capacity_records)

    @cached_property
    def chain(self) -> Chain:
        """The value chain built from the recipes (:class:`model.chain.Chain`)."""
        from model.chain import Chain  # imported here: chain.py imports this module

        return Chain(self)


# ---------------------------------------------------------------------------
# parsing helpers: each appends a Problem and returns None on bad input
# ---------------------------------------------------------------------------
def _date(
    text: str, file: str, line: int, col: str, problems: list[Problem], required: bool = True
) -> date | None:
    if not text:
        if required:
            problems.append(
                Problem(
                    file, line, col, text, "date is empty; expected YYYY-MM-DD, e.g. 2024-06-30"
                )
            )
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(
            Problem(file, line, col, text, "not a valid date; expected YYYY-MM-DD, e.g. 2024-06-30")
        )
        return None


def _number(
    text: str, file: str, line: int, col: str, problems: list[Problem], positive: bool = True
) -> float | None:
    if not text:
        problems.append(Problem(file, line, col, text, "empty; expected a number"))
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        problems.append(Problem(file, line, col, text, "not a number; expected e.g. 2250"))
        return None
    if not math.isfinite(value):
        problems.append(Problem(file, line, col, text, "not a finite number"))
        return None
    if positive and value <= 0:
        problems.append(Problem(file, line, col, text, "must be greater than zero"))
        return None
    return value


def check_source(
    r: Mapping[str, str],
    sources: Mapping[str, Source],
    file: str,
    line: int | None,
    problems: list[Problem],
    col: str = "source",
    required: bool = True,
) -> None:
    """Check a row's source id: known if given; if ``required``, present.

    A required source id may be missing if the row has an ``assumption`` column, whose
    one-line rationale may stand in for a source.
    """
    text = r.get(col, "")
    if text and text not in sources:
        problems.append(
            Problem(
                file, line, col, text, "unknown source id; expected an id listed in sources.csv"
            )
        )
    elif not text and required:
        if "assumption" not in r:
            problems.append(Problem(file, line, col, "", "empty; every figure needs a source id"))
        elif not r["assumption"]:
            problems.append(
                Problem(
                    file,
                    line,
                    col,
                    "",
                    "empty; give a source id, or mark the row as an assumption with a one-line rationale in 'assumption'",
                )
            )


def _unique(ids: list[tuple[int, str]], file: str, col: str, problems: list[Problem]) -> None:
    seen: dict[str, int] = {}
    for line, ident in ids:
        if ident in seen:
            problems.append(
                Problem(file, line, col, ident, f"duplicate id; already used on row {seen[ident]}")
            )
        else:
            seen[ident] = line


# ---------------------------------------------------------------------------
# one loader per file
# ---------------------------------------------------------------------------
def _load_sources(d: Path, problems: list[Problem]) -> dict[str, Source]:
    file = "sources.csv"
    rows = read_csv(
        d / file,
        ["id", "title", "publisher", "date", "citation"],
        problems,
        optional=["note"],
        label=file,
    )
    _unique([(ln, r["id"]) for ln, r in rows if r["id"]], file, "id", problems)
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
        d_ = _date(r["date"], file, line, "date", problems, required=False)
        out.setdefault(
            r["id"],
            Source(r["id"], r["title"], r["publisher"], d_, r["citation"], r.get("note", "")),
        )
    return out


def _load_stages(
    d: Path, sources: Mapping[str, Source], problems: list[Problem]
) -> dict[str, Stage]:
    file = "stages.csv"
    rows = read_csv(
        d / file,
        ["id", "name_zh", "name_en", "chain", "unit"],
        problems,
        optional=["presence_source", "note"],
        label=file,
    )
    _unique([(ln, r["id"]) for ln, r in rows if r["id"]], file, "id", problems)
    out: dict[str, Stage] = {}
    for line, r in rows:
        bad = False
        if not _ID.match(r["id"]):
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


def _load_capacity(
    d: Path, stages: Mapping[str, Stage], sources: Mapping[str, Source], problems: list[Problem]
) -> list[CapacityRecord]:
    file = "capacity.csv"
    rows = read_csv(
        d / file,
        ["record_id", "stage", "quantity", "as_of", "source"],
        problems,
        optional=["recorded", "assumption", "note"],
        label=file,
    )
    _unique([(ln, r["record_id"]) for ln, r in rows if r["record_id"]], file, "record_id", problems)
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
    sources: Mapping[str, Source],
    problems: list[Problem],
) -> CapacityRecord | None:
    """Validate one capacity row (also used by ``parkcap track``); ``None`` if it has problems."""
    n = len(problems)
    if not _RECORD_ID.match(r.get("record_id", "")):
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
    valid_from = _date(r["as_of"], file, line, "as_of", problems)
    recorded = (
        _date(r.get("recorded", ""), file, line, "recorded", problems, required=False) or valid_from
    )
    check_source(r, sources, file, line, problems)
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


def _load_recipes(
    d: Path, stages: Mapping[str, Stage], sources: Mapping[str, Source], problems: list[Problem]
) -> list[RecipeLine]:
    file = "recipes.csv"
    cols = [
        "output",
        "technology",
        "input",
        "low",
        "central",
        "high",
        "unit",
        "source",
        "assumption",
    ]
    rows = read_csv(d / file, cols, problems, optional=["note"], label=file)
    out: list[RecipeLine] = []
    seen: dict[tuple[str, str, str], int] = {}
    for line, r in rows:
        n = len(problems)
        key = (r["output"], r["technology"], r["input"])
        if key in seen:
            problems.append(
                Problem(
                    file,
                    line,
                    "input",
                    r["input"],
                    f"duplicate recipe line for output '{r['output']}' and technology '{r['technology']}'; first on row {seen[key]}",
                )
            )
        seen.setdefault(key, line)
        for col in ("output", "input"):
            if r[col] not in stages:
                problems.append(
                    Problem(
                        file,
                        line,
                        col,
                        r[col],
                        "unknown stage id; expected an id listed in stages.csv",
                    )
                )
        if r["output"] and r["output"] == r["input"]:
            problems.append(
                Problem(
                    file,
                    line,
                    "input",
                    r["input"],
                    "a stage cannot be its own input (recipe cycle)",
                )
            )
        if r["technology"] not in TECHNOLOGIES:
            problems.append(
                Problem(
                    file,
                    line,
                    "technology",
                    r["technology"],
                    f"unknown technology; expected one of {', '.join(TECHNOLOGIES)}",
                )
            )
        vals = [_number(r[c], file, line, c, problems) for c in ("low", "central", "high")]
        factor = None
        try:
            unit = parse_unit(r["unit"])
        except UnitParseError as exc:
            problems.append(Problem(file, line, "unit", r["unit"], str(exc)))
            unit = None
        if unit is not None and r["output"] in stages and r["input"] in stages:
            want = stages[r["input"]].pint_unit / stages[r["output"]].pint_unit
            if not Q_(1.0, unit).is_compatible_with(want):
                problems.append(
                    Problem(
                        file,
                        line,
                        "unit",
                        r["unit"],
                        f"wrong dimension; expected {stages[r['input']].unit}/{stages[r['output']].unit} (input unit per output unit)",
                    )
                )
            else:
                factor = float(Q_(1.0, unit).to(want).magnitude)
        check_source(r, sources, file, line, problems)
        if all(v is not None for v in vals) and not (vals[0] <= vals[1] <= vals[2]):
            col = "low" if vals[0] > vals[1] else "high"  # type: ignore[operator]
            problems.append(
                Problem(
                    file,
                    line,
                    col,
                    r[col],
                    f"expected low <= central <= high, got {vals[0]} / {vals[1]} / {vals[2]}",
                )
            )
        if len(problems) == n and factor is not None:
            low, central, high = (v * factor for v in vals)  # type: ignore[operator]
            out.append(
                RecipeLine(
                    r["output"],
                    r["technology"],
                    r["input"],
                    low,
                    central,
                    high,
                    r["unit"],
                    r["source"],
                    r["assumption"],
                    r.get("note", ""),
                    line,
                )
            )
    _check_cycles(out, file, problems)
    return out


def _check_cycles(lines: list[RecipeLine], file: str, problems: list[Problem]) -> None:
    """Append a problem for every cycle in the input graph (output -> its inputs)."""
    graph: dict[str, list[RecipeLine]] = {}
    for rl in lines:
        graph.setdefault(rl.output, []).append(rl)
    state: dict[str, int] = {}
    stack: list[str] = []
    reported: set[frozenset[str]] = set()

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for rl in graph.get(node, []):
            nxt = rl.input
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt) :] + [nxt]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    problems.append(
                        Problem(
                            file,
                            rl.line,
                            "input",
                            nxt,
                            "recipe cycle "
                            + " -> ".join(cycle)
                            + "; a stage cannot need itself, directly or through other stages",
                        )
                    )
            elif state.get(nxt) is None:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in list(graph):
        if node not in state:
            visit(node)


def _load_growth(
    d: Path, sources: Mapping[str, Source], problems: list[Problem]
) -> list[GrowthRecord]:
    file = "growth.csv"
    rows = read_csv(
        d / file,
        ["id", "subject", "name_zh", "name_en", "year", "growth", "source"],
        problems,
        label=file,
    )
    _unique([(ln, r["id"]) for ln, r in rows if r["id"]], file, "id", problems)
    out = []
    for line, r in rows:
        n = len(problems)
        try:
            g = parse_growth(r["growth"])
        except UnitParseError as exc:
            problems.append(Problem(file, line, "growth", r["growth"], str(exc)))
            g = None
        year = _number(r["year"], file, line, "year", problems)
        check_source(r, sources, file, line, problems)
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


def _load_facts(d: Path, sources: Mapping[str, Source], problems: list[Problem]) -> list[Fact]:
    file = "facts.csv"
    rows = read_csv(
        d / file,
        ["id", "name_zh", "name_en", "quantity", "year", "source"],
        problems,
        optional=["note"],
        label=file,
    )
    _unique([(ln, r["id"]) for ln, r in rows if r["id"]], file, "id", problems)
    out = []
    for line, r in rows:
        n = len(problems)
        try:
            q = parse_quantity(r["quantity"])
        except UnitParseError as exc:
            problems.append(Problem(file, line, "quantity", r["quantity"], str(exc)))
            q = None
        year = _number(r["year"], file, line, "year", problems)
        check_source(r, sources, file, line, problems)
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


class _UncheckedSources(dict):
    """Stands in for the sources when ``sources.csv`` itself could not be read.

    Every id passes, so that its one problem is not buried under an "unknown source" on
    every row.
    """

    def __contains__(self, key: object) -> bool:
        return True


def _fingerprint(d: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(d.glob("*.csv")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def load_park(data_dir: str | os.PathLike[str] | None = None) -> Park:
    """Read and validate the park's data files.

    Parameters
    ----------
    data_dir
        Folder holding ``stages.csv``, ``sources.csv``, ``capacity.csv``, ``recipes.csv``,
        ``growth.csv``, ``facts.csv`` and, for the pipeline, ``projects.csv`` and
        ``status_params.csv``. Default: ``$PARKCAP_DATA`` or the project's ``data/``.

    Returns
    -------
    Park
        Frozen; capacities are floats in each stage's canonical unit (per year).

    Raises
    ------
    DataError
        Listing every problem found in every file.
    """
    d = data_dir_from(data_dir)
    problems: list[Problem] = []
    if not d.is_dir():
        raise_if(
            [
                Problem(
                    str(d),
                    None,
                    None,
                    None,
                    "data folder not found; pass --data DIR or set PARKCAP_DATA",
                )
            ]
        )
    sources: Mapping[str, Source] = _load_sources(d, problems)
    if any(p.file == "sources.csv" and p.row in (None, 1) for p in problems):
        sources = _UncheckedSources()  # one root problem, not a follow-on one per row
    stages = _load_stages(d, sources, problems)
    capacity = _load_capacity(d, stages, sources, problems)
    recipes = _load_recipes(d, stages, sources, problems)
    growth = _load_growth(d, sources, problems)
    facts = _load_facts(d, sources, problems)
    from model import pipeline  # the pipeline builds on stages and sources

    projects, status_params, status_records = pipeline.load_pipeline(d, stages, sources, problems)
    raise_if(problems)
    return Park(
        data_dir=d,
        stages=stages,
        sources=sources,
        capacity_records=tuple(capacity),
        recipes=tuple(recipes),
        growth=tuple(growth),
        facts=tuple(facts),
        projects=tuple(projects),
        status_params=status_params,
        status_records=tuple(status_records),
        data_version=_fingerprint(d),
    )
