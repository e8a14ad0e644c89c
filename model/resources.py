"""Electricity: what each stage uses per unit of output, the park's grid, its power demand.

``electricity.csv`` holds one row per stage whose electricity use is known (low / central /
high, a unit such as ``kWh/kg`` or ``kWh/kWh``, a source id or a marked assumption); it is
converted to kWh per unit of the stage's canonical unit (``kWh / t``, ``kWh / GWh``, ...).
Stages without a row are not counted in the power demand: :func:`unpowered_stages` names
those that have output.

``grid.csv`` holds park-level power parameters, each with low / central / high:

- ``grid_allowance`` — the power the park may draw from the grid (MW);
- ``green_share`` — the share of that power that is clean (0-1).

Both files are optional (empty mappings when absent).
"""

from __future__ import annotations

import math
from collections.abc import Container, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from model.datafiles import read_csv
from model.economics import LEVELS, read_levels
from model.errors import Problem
from model.fields import check_source, check_text, check_unique
from model.stages import Stage
from model.units import Q_, UnitParseError, parse_unit

ELECTRICITY_FILE = "electricity.csv"
GRID_FILE = "grid.csv"
#: hours in a (365-day) year: an annual amount of kWh over this is the average kW
HOURS_PER_YEAR = 8760
#: grid parameter id -> the unit its values are held in
GRID_PARAMETERS = {"grid_allowance": "MW", "green_share": "1"}
TEXT = ("assumption", "note")


@dataclass(frozen=True)
class ElectricityUse:
    """Electricity per unit of a stage's output, in :attr:`unit` (``"kWh / t"``, ``"kWh / GWh"``)."""

    stage: str
    low: float
    central: float
    high: float
    unit: str
    source: str
    assumption: str = ""
    note: str = ""
    unit_as_written: str = ""
    line: int | None = None


@dataclass(frozen=True)
class GridParam:
    """One park-level power parameter (MW or a share 0-1): ``low`` ≤ ``central`` ≤ ``high``."""

    id: str
    low: float
    central: float
    high: float
    unit: str
    source: str
    assumption: str = ""
    note: str = ""


class HasElectricity(Protocol):
    """Anything with ``stages`` and ``electricity``, such as :class:`model.park.Park`."""

    @property
    def stages(self) -> Mapping[str, Stage]:
        """Stage id -> stage."""

    @property
    def electricity(self) -> Mapping[str, ElectricityUse]:
        """Stage id -> its electricity use."""


def load_electricity(
    d: Path, stages: Mapping[str, Stage], sources: Container[str], problems: list[Problem]
) -> dict[str, ElectricityUse]:
    """Read ``electricity.csv`` if present: known stages, ordered values, energy units, sources.

    Parameters
    ----------
    d
        The data folder.
    stages
        Known stages, for ids and canonical units.
    sources
        Known source ids.
    problems
        List every problem is appended to.

    Returns
    -------
    dict
        Stage id -> :class:`ElectricityUse` in kWh per canonical stage unit; rows with a
        problem are left out. Empty if the file is absent.
    """
    file = ELECTRICITY_FILE
    if not (d / file).exists():
        return {}
    columns = ["stage", "low", "central", "high", "unit", "source", "assumption"]
    rows = read_csv(d / file, columns, problems, optional=["note"], label=file)
    repeated = check_unique(
        [(ln, r["stage"]) for ln, r in rows if r["stage"]], file, "stage", problems
    )
    out: dict[str, ElectricityUse] = {}
    for line, r in rows:
        n = len(problems)
        stage = stages.get(r["stage"])
        if stage is None:
            problems.append(
                Problem(
                    file, line, "stage", r["stage"], "unknown stage; expected an id in stages.csv"
                )
            )
        levels = read_levels(r, file, line, problems)
        want = f"kWh / {stage.unit}" if stage is not None else ""
        factor = _factor(r["unit"], want, "kWh", file, line, problems) if stage else None
        check_source(r, sources, file, line, problems)
        check_text(r, TEXT, file, line, problems)
        if len(problems) > n or line in repeated or None in (levels, factor, stage):
            continue
        low, central, high = (v * factor for v in levels)
        out.setdefault(
            stage.id,
            ElectricityUse(
                stage.id,
                low,
                central,
                high,
                want,
                r["source"],
                r["assumption"],
                r.get("note", ""),
                r["unit"],
                line,
            ),
        )
    return out


def load_grid(d: Path, sources: Container[str], problems: list[Problem]) -> dict[str, GridParam]:
    """Read ``grid.csv`` if present: known ids, ordered values, units, sources.

    Parameters
    ----------
    d
        The data folder.
    sources
        Known source ids.
    problems
        List every problem is appended to.

    Returns
    -------
    dict
        Id -> :class:`GridParam` (allowance in MW, shares 0-1). Empty if the file is absent.
    """
    file = GRID_FILE
    if not (d / file).exists():
        return {}
    columns = ["id", "low", "central", "high", "unit", "source", "assumption"]
    rows = read_csv(d / file, columns, problems, optional=["note"], label=file)
    repeated = check_unique([(ln, r["id"]) for ln, r in rows if r["id"]], file, "id", problems)
    out: dict[str, GridParam] = {}
    for line, r in rows:
        n = len(problems)
        want = GRID_PARAMETERS.get(r["id"])
        if want is None:
            problems.append(
                Problem(
                    file,
                    line,
                    "id",
                    r["id"],
                    f"unknown grid parameter; expected one of {', '.join(GRID_PARAMETERS)}",
                )
            )
        levels = read_levels(r, file, line, problems)
        factor = _factor(r["unit"], want, None, file, line, problems) if want else None
        check_source(r, sources, file, line, problems)
        check_text(r, TEXT, file, line, problems)
        if len(problems) > n or line in repeated or levels is None or factor is None:
            continue
        low, central, high = (v * factor for v in levels)
        if want == "1" and high > 1:
            problems.append(Problem(file, line, "high", r["high"], "a share lies from 0 to 1"))
            continue
        out[r["id"]] = GridParam(
            r["id"], low, central, high, want, r["source"], r["assumption"], r.get("note", "")
        )
    return out


def power_demand_mw(
    park: HasElectricity, output_by_stage: Mapping[str, float], level: str = "central"
) -> float:
    """The park's average electric power demand for a given output, in MW.

    Each stage's output (an annual rate in its canonical unit: t/a, GWh/a, ...) times its
    electricity use (kWh per canonical unit) gives kWh/a; their sum over
    :data:`HOURS_PER_YEAR` (8760 h) is the average kW, over 1000 the average MW. Stages
    without an electricity figure count as zero (see :func:`unpowered_stages`), so the
    result is a lower bound whenever such a stage has output.

    Parameters
    ----------
    park
        The park (its ``stages`` and ``electricity``).
    output_by_stage
        Stage id -> output per year in the stage's canonical unit (finite, ≥ 0).
    level
        Which electricity use to take: ``"central"`` (default), ``"low"`` or ``"high"``.

    Returns
    -------
    float
        Average demand in MW.

    Raises
    ------
    ValueError
        For an unknown stage id or level, or a negative or non-finite output.

    Examples
    --------
    100,000 t/a of polysilicon at 66.5 kWh/kg (66,500 kWh/t) is 6.65e9 kWh/a, or
    6.65e9 / 8760 / 1000 ≈ 759.1 MW on average.
    """
    if level not in LEVELS:
        msg = f"unknown level {level!r}; expected one of {', '.join(LEVELS)}"
        raise ValueError(msg)
    kwh_per_year = 0.0
    for stage, output in output_by_stage.items():
        if stage not in park.stages:
            msg = f"unknown stage {stage!r}; expected an id in stages.csv"
            raise ValueError(msg)
        amount = float(output)
        if not math.isfinite(amount) or amount < 0:
            msg = f"output of {stage!r} must be a finite number >= 0, got {output!r}"
            raise ValueError(msg)
        use = park.electricity.get(stage)
        if use is not None:
            kwh_per_year += getattr(use, level) * amount
    return kwh_per_year / HOURS_PER_YEAR / 1000.0


def unpowered_stages(park: HasElectricity, output_by_stage: Mapping[str, float]) -> list[str]:
    """Stages with output but no electricity figure: what :func:`power_demand_mw` leaves out.

    Parameters
    ----------
    park
        The park (its ``electricity``).
    output_by_stage
        Stage id -> output per year in the stage's canonical unit.

    Returns
    -------
    list of str
        Their ids, in the order given.
    """
    return [s for s, v in output_by_stage.items() if v and s not in park.electricity]


def _factor(
    text: str,
    want: str,
    numerator: str | None,
    file: str,
    line: int | None,
    problems: list[Problem],
) -> float | None:
    """Factor from the unit ``text`` to ``want`` (whose ``numerator``, if given, ``text`` shares)."""
    try:
        unit = parse_unit(text) if text not in ("", "1") else parse_unit("dimensionless")
        head = parse_unit(text.partition("/")[0]) if numerator else None
    except UnitParseError as exc:
        problems.append(Problem(file, line, "unit", text, str(exc)))
        return None
    target = Q_(1.0, want if want != "1" else "dimensionless")
    if not Q_(1.0, unit).is_compatible_with(target) or (
        head is not None and not Q_(1.0, head).is_compatible_with(Q_(1.0, numerator))
    ):
        problems.append(Problem(file, line, "unit", text, f"wrong dimension; expected {want}"))
        return None
    return float(Q_(1.0, unit).to(target.units).magnitude)
