"""Economics of each stage: capital cost, output value, jobs and the size of a typical plant.

``economics.csv`` holds one row per stage and measure, each with low / central / high
values, a unit and a source id or a marked assumption:

- ``capex`` — announced total investment per unit of annual capacity (CNY per stage unit
  per year; announcements often include land, utilities and working capital);
- ``value`` — output value (price) per unit of output (CNY per stage unit);
- ``jobs`` — jobs per unit of annual capacity (jobs per stage unit per year);
- ``plant_size`` — the annual capacity of one announced plant (stage unit per year, written
  like a capacity: ``万t/a``, ``亿m**2/a``, ``GWh/a``): low = the smallest, central = the
  median, high = the largest of the cited plants, each plant at its first phase where the
  source gives phases. Its ``plants`` column says how many plants the range covers.

Values are read in the unit written in the file and converted to the stage's canonical
unit (``stages.csv``). The registry of :mod:`model.units` has no currency, so a unit is
read as ``<numerator>/<denominator>``: the numerator is ``CNY`` (or ``元``), optionally
with a Chinese magnitude (``万CNY``, ``亿CNY``), or ``jobs``; the denominator is a pint
quantity of the stage, per year (``a``) for capex and jobs: ``亿CNY/(万t/a)``,
``CNY/(m**2/a)``, ``亿CNY/(GWh/a)``, ``CNY/kg``, ``CNY/Wh``, ``jobs/(GWh/a)``. 2.9
``亿CNY/(GWh/a)`` is 2.9e8 CNY per (GWh/a). A plant size has no numerator: its unit is a
quantity of the stage per year (``万t/a`` is 10,000 t per year). The canonical units are
:func:`canonical_unit`.

Output values are gross: a storage system's price includes its cells, so output values
summed over the stages of one chain count the inputs more than once.

The file is optional: without it there are no economics (an empty mapping).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pint

from model.datafiles import read_csv
from model.errors import Problem
from model.fields import check_source, check_text, check_unique, parse_number
from model.stages import Stage
from model.units import Q_, UnitParseError, parse_quantity, parse_unit, rate_unit

FILE = "economics.csv"
#: the measures read per unit of a stage (:func:`per_unit`)
PER_UNIT = ("capex", "value", "jobs")
MEASURES = (*PER_UNIT, "plant_size")
LEVELS = ("low", "central", "high")
COLUMNS = ["stage", "measure", "low", "central", "high", "unit", "source", "assumption"]
#: columns a file may leave out: ``note``; ``plants`` (how many plants a plant size covers)
OPTIONAL = ["plants", "note"]
#: free-text columns (checked not to start like a spreadsheet formula)
TEXT = ("assumption", "note")

_MONEY = re.compile(r"^(万|亿)?\s*(CNY|元)$")
_JOBS = re.compile(r"^jobs?$")
_SCALE = {"": 1.0, "万": 1e4, "亿": 1e8}
_YEAR_WORDS = re.compile(r"年|yr|year")
_CITED = re.compile(r"\[([a-z]+-[A-Z]\d+)\]")


def canonical_unit(stage_unit: str, measure: str) -> str:
    """The unit of ``measure`` for a stage counted in ``stage_unit``.

    For ``"t"``: ``"CNY / (t / a)"`` (capex), ``"CNY / t"`` (value), ``"jobs / (t / a)"``
    (jobs), ``"t / a"`` (plant_size).
    """
    if measure == "plant_size":
        return rate_unit(stage_unit)
    if measure == "value":
        return f"CNY / {stage_unit}"
    head = "jobs" if measure == "jobs" else "CNY"
    return f"{head} / ({rate_unit(stage_unit)})"


@dataclass(frozen=True)
class EconomicParam:
    """One measure of one stage: ``low`` ≤ ``central`` ≤ ``high``, in :attr:`unit`.

    :attr:`unit` is the canonical unit (:func:`canonical_unit`); :attr:`unit_as_written`
    is the file's. :attr:`plants` is how many announced plants a ``plant_size`` covers
    (``None`` for the other measures unless the file gives it).
    """

    stage: str
    measure: str
    low: float
    central: float
    high: float
    unit: str
    source: str
    assumption: str = ""
    note: str = ""
    unit_as_written: str = ""
    line: int | None = None
    plants: int | None = None

    def level(self, name: str) -> float:
        """The value at level ``name`` (``"low"``, ``"central"`` or ``"high"``)."""
        if name not in LEVELS:
            msg = f"unknown level {name!r}; expected one of {', '.join(LEVELS)}"
            raise ValueError(msg)
        return float(getattr(self, name))

    def cited(self) -> tuple[str, ...]:
        """Every source id the row cites: its ``source``, then the ``[id]`` in its assumption."""
        ids = [self.source, *_CITED.findall(self.assumption)]
        return tuple(dict.fromkeys(i for i in ids if i))


class HasEconomics(Protocol):
    """Anything with an ``economics`` mapping, such as :class:`model.park.Park`."""

    @property
    def economics(self) -> Mapping[tuple[str, str], EconomicParam]:
        """(stage, measure) -> its parameter."""


def per_unit(park: HasEconomics, stage: str, measure: str, level: str = "central") -> float | None:
    """A stage's capex, value or jobs per unit, in the canonical unit; ``None`` if unknown.

    Parameters
    ----------
    park
        The park (its ``economics``, from ``economics.csv``).
    stage
        Stage id.
    measure
        ``"capex"`` (CNY per stage unit per year), ``"value"`` (CNY per stage unit) or
        ``"jobs"`` (jobs per stage unit per year).
    level
        ``"central"`` (default), ``"low"`` or ``"high"``.

    Returns
    -------
    float or None
        ``None`` when the file gives no figure for the stage and measure.
    """
    if measure not in PER_UNIT:
        msg = f"unknown measure {measure!r}; expected one of {', '.join(PER_UNIT)}"
        raise ValueError(msg)
    param = park.economics.get((stage, measure))
    return None if param is None else param.level(level)


def plant_size(park: HasEconomics, stage: str) -> EconomicParam | None:
    """The size of a typical announced plant of ``stage``; ``None`` if the file gives none.

    Parameters
    ----------
    park
        The park (its ``economics``, from ``economics.csv``).
    stage
        Stage id.

    Returns
    -------
    EconomicParam or None
        Annual capacity of one plant in the stage's unit per year (``t / a``, ``GWh / a``):
        ``low`` the smallest, ``central`` the median, ``high`` the largest of the
        :attr:`EconomicParam.plants` cited plants.
    """
    return park.economics.get((stage, "plant_size"))


def read_levels(
    r: Mapping[str, str], file: str, line: int, problems: list[Problem]
) -> tuple[float, float, float] | None:
    """A row's ``low``, ``central``, ``high``: positive numbers in that order, else ``None``.

    Every bad value is appended to ``problems`` (each field once), then the order.
    """
    vals = [parse_number(r[c], file, line, c, problems) for c in LEVELS]
    if any(v is None for v in vals):
        return None
    low, central, high = vals  # type: ignore[misc]
    if not low <= central <= high:  # type: ignore[operator]
        problems.append(
            Problem(
                file,
                line,
                "central",
                r["central"],
                f"expected low <= central <= high, got {r['low']} / {r['central']} / {r['high']}",
            )
        )
        return None
    return low, central, high  # type: ignore[return-value]


def load_economics(
    d: Path, stages: Mapping[str, Stage], sources: Container[str], problems: list[Problem]
) -> dict[tuple[str, str], EconomicParam]:
    """Read ``economics.csv`` if present: known stages and measures, ordered values, units, sources.

    Parameters
    ----------
    d
        The data folder.
    stages
        Known stages (``stages.csv``), for ids and canonical units.
    sources
        Known source ids (``sources.csv``).
    problems
        List every problem is appended to (file, row, field, value, expectation).

    Returns
    -------
    dict
        ``(stage, measure) -> EconomicParam`` in canonical units; rows with a problem are
        left out. Empty if the file is absent.
    """
    if not (d / FILE).exists():
        return {}
    rows = read_csv(d / FILE, COLUMNS, problems, optional=OPTIONAL, label=FILE)
    keys = [(ln, f"{r['stage']}/{r['measure']}") for ln, r in rows if r["stage"]]
    repeated = check_unique(keys, FILE, "measure", problems)
    out: dict[tuple[str, str], EconomicParam] = {}
    for line, r in rows:
        n = len(problems)
        stage = stages.get(r["stage"])
        if stage is None:
            problems.append(
                Problem(
                    FILE, line, "stage", r["stage"], "unknown stage; expected an id in stages.csv"
                )
            )
        measure = r["measure"]
        if measure not in MEASURES:
            problems.append(
                Problem(
                    FILE,
                    line,
                    "measure",
                    measure,
                    f"unknown measure; expected one of {', '.join(MEASURES)}",
                )
            )
        levels = read_levels(r, FILE, line, problems)
        factor = None
        if stage is not None and measure in MEASURES:
            factor = economic_factor(r["unit"], stage, measure, FILE, line, problems)
        plants = read_plants(r, measure, FILE, line, problems)
        check_source(r, sources, FILE, line, problems)
        check_text(r, TEXT, FILE, line, problems)
        if len(problems) > n or line in repeated or None in (levels, factor, stage):
            continue
        low, central, high = (v * factor for v in levels)
        out.setdefault(
            (stage.id, measure),
            EconomicParam(
                stage.id,
                measure,
                low,
                central,
                high,
                canonical_unit(stage.unit, measure),
                r["source"],
                r["assumption"],
                r.get("note", ""),
                r["unit"],
                line,
                plants,
            ),
        )
    return out


def read_plants(
    r: Mapping[str, str], measure: str, file: str, line: int, problems: list[Problem]
) -> int | None:
    """A row's ``plants``: a whole number of at least 1, required for ``plant_size``.

    Every problem is appended to ``problems`` (in the validators' own phrases, so that it
    reads in Chinese too); ``None`` when the cell is blank or wrong.
    """
    text = r.get("plants", "")
    if not text and measure != "plant_size":
        return None
    value = parse_number(text, file, line, "plants", problems)
    if value is None:
        return None
    if value != int(value):
        problems.append(
            Problem(
                file,
                line,
                "plants",
                text,
                "Input should be a valid integer, got a number with a fractional part",
            )
        )
        return None
    return int(value)


def economic_factor(
    text: str, stage: Stage, measure: str, file: str, line: int | None, problems: list[Problem]
) -> float | None:
    """Factor from the unit ``text`` to the canonical unit of ``measure`` for ``stage``.

    Parameters
    ----------
    text
        The unit as written: ``"亿CNY/(万t/a)"``, ``"CNY/Wh"``, ``"jobs/(GWh/a)"``; for a
        ``plant_size``, a capacity per year: ``"万t/a"``, ``"GWh/a"``.
    stage
        The stage the row is about (its canonical unit).
    measure
        One of :data:`MEASURES`.
    file, line
        Where the unit came from, for problems.
    problems
        List a problem is appended to when the unit cannot be read or has the wrong
        dimension.

    Returns
    -------
    float or None
        Multiply a value in ``text`` by it to get :func:`canonical_unit`; ``None`` on a problem.
    """
    per_year = measure != "value"
    head = "jobs" if measure == "jobs" else "亿CNY"
    example = f"{head}/({stage.unit}/a)" if per_year else f"CNY/{stage.unit}"
    want = parse_unit(rate_unit(stage.unit) if per_year else stage.unit)

    def bad(why: str) -> None:
        problems.append(Problem(file, line, "unit", text, f"{why}; expected e.g. {example!r}"))

    if measure == "plant_size":
        return _capacity_factor(text, stage, want, file, line, problems)
    num, sep, den = text.partition("/")
    num, den = num.strip(), den.strip()
    if not sep or not den:
        bad("expected '<numerator>/<stage quantity>'")
        return None
    if measure == "jobs":
        m, scale = _JOBS.match(num), 1.0
    else:
        m = _MONEY.match(num)
        scale = _SCALE[m.group(1) or ""] if m else 1.0
    if m is None:
        what = "'jobs'" if measure == "jobs" else "'CNY', '万CNY' or '亿CNY'"
        bad(f"numerator {num!r} is not {what}")
        return None
    if den.startswith("(") and den.endswith(")"):
        den = den[1:-1].strip()
    factor = _in_stage_unit(
        den,
        want,
        bad,
        lambda u: f"wrong dimension: {measure} of '{stage.id}' is per {want:~}, not per {u:~}",
    )
    return None if factor is None else scale / factor


def _capacity_factor(
    text: str,
    stage: Stage,
    want: pint.Unit,
    file: str,
    line: int | None,
    problems: list[Problem],
) -> float | None:
    """Factor from a plant size's unit (``"万t/a"``) to the stage's unit per year; see above."""
    example = f"{stage.unit}/a"

    def bad(why: str) -> None:
        problems.append(Problem(file, line, "unit", text, f"{why}; expected e.g. {example!r}"))

    return _in_stage_unit(
        text,
        want,
        bad,
        lambda u: f"wrong dimension: stage '{stage.id}' is counted in {want:~}, not {u:~}",
    )


def _in_stage_unit(
    text: str, want: pint.Unit, bad: Callable[[str], None], wrong: Callable[[Any], str]
) -> float | None:
    """How many ``want`` one ``text`` is (``"万t/a"`` -> 1e4 t/a); ``None`` after ``bad(why)``.

    A year written other than ``a``, a unit that does not parse, or one of another
    dimension (``wrong(unit)`` says which) is a problem.
    """
    if _YEAR_WORDS.search(text):
        bad("write the year as 'a'")
        return None
    try:
        q = parse_quantity(f"1 {text}")
    except UnitParseError:
        bad(f"cannot read {text!r} as a quantity of the stage")
        return None
    if not q.is_compatible_with(Q_(1.0, want)):
        bad(wrong(q.units))
        return None
    return float(q.to(want).magnitude)
