"""The park: everything in ``data/``, read, cross-checked and frozen.

This is the loader on top of the record types. Each data file has its own module, which
defines its records and reads its rows, and none of them imports this one:

- :mod:`model.stages` — stages of the chain and sources (``stages.csv``, ``sources.csv``)
- :mod:`model.capacity` — dated capacity statements (``capacity.csv``)
- :mod:`model.recipes` — input per unit of output (``recipes.csv``)
- :mod:`model.indicators` — growth figures and counted facts (``growth.csv``, ``facts.csv``)
- :mod:`model.pipeline` — projects and status parameters (``projects.csv``, ``status_params.csv``)
- :mod:`model.status_history` — project status changes (``status_history.csv``)
- :mod:`model.markets` — end-market growth and the power/storage split (``markets.csv``)

:func:`load_park` reads them all, reports every problem of every file at once and
returns a :class:`Park`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path

from model.capacity import CapacityRecord, in_force, load_capacity
from model.chain import Chain
from model.economics import EconomicParam, load_economics
from model.errors import DataError, Problem, raise_if
from model.fields import UncheckedSources
from model.indicators import Fact, GrowthRecord, load_facts, load_growth
from model.markets import MarketParam, load_markets
from model.pipeline import Project, StatusParams, load_projects, load_status_params
from model.province import ProvinceSupply, load_province
from model.recipes import RecipeLine, load_recipes
from model.resources import ElectricityUse, GridParam, load_electricity, load_grid
from model.stages import CHAINS, TECHNOLOGIES, Source, Stage, load_sources, load_stages
from model.status_history import StatusRecord, load_status_history

__all__ = [
    "CHAINS",
    "DEFAULT_DATA_DIR",
    "PROJECT_ROOT",
    "TECHNOLOGIES",
    "CapacityRecord",
    "Fact",
    "GrowthRecord",
    "MarketParam",
    "Park",
    "Project",
    "RecipeLine",
    "Source",
    "Stage",
    "StatusParams",
    "StatusRecord",
    "data_dir_from",
    "load_park",
]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"


def data_dir_from(arg: str | os.PathLike[str] | None) -> Path:
    """The data folder: ``arg`` if given, else ``$PARKCAP_DATA``, else the project's ``data/``."""
    if arg is not None:
        return Path(arg)
    env = os.environ.get("PARKCAP_DATA")
    return Path(env) if env else DEFAULT_DATA_DIR


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
    markets: Mapping[str, MarketParam] = field(default_factory=dict)
    data_version: str = ""
    economics: Mapping[tuple[str, str], EconomicParam] = field(default_factory=dict)
    electricity: Mapping[str, ElectricityUse] = field(default_factory=dict)
    grid: Mapping[str, GridParam] = field(default_factory=dict)
    province: Mapping[str, tuple[ProvinceSupply, ...]] = field(default_factory=dict)

    @property
    def stage_ids(self) -> list[str]:
        """Stage ids in the order of ``stages.csv``."""
        return list(self.stages)

    def as_known_on(self, known_as_of: date | None) -> Park:
        """The park as it was known on ``known_as_of``: records made later left out.

        Capacity records and status changes ``recorded`` after the date are dropped;
        everything else (stages, recipes, projects, parameters) is kept. The data version
        names the date, so caches keyed by it keep the two apart. ``None``: this park.
        Simulating the result equals simulating this park with ``known_as_of``.
        """
        if known_as_of is None:
            return self
        return replace(
            self,
            capacity_records=tuple(r for r in self.capacity_records if r.recorded <= known_as_of),
            status_records=tuple(r for r in self.status_records if r.recorded <= known_as_of),
            data_version=f"{self.data_version}@{known_as_of.isoformat()}",
        )

    def capacity_as_of(
        self, as_of: date, known_as_of: date | None = None
    ) -> dict[str, CapacityRecord]:
        """The record in force for each stage on ``as_of`` (see :func:`model.capacity.in_force`).

        With ``known_as_of``, only records ``recorded`` by then count. Stages with no
        record are absent (zero known capacity).
        """
        return in_force(self.capacity_records, as_of, known_as_of)

    def latest_record(self, known_as_of: date | None = None) -> CapacityRecord | None:
        """The capacity record with the latest ``valid_from``: the one that sets the data's date.

        Parameters
        ----------
        known_as_of
            If given, only records ``recorded`` on or before this date count.

        Returns
        -------
        CapacityRecord or None
            The latest record (the last in the file among equal dates), or ``None`` if
            there is none. Its :meth:`~model.capacity.CapacityRecord.describe` names it in
            a message (file, row, record id, ``as_of``).
        """
        records = [
            r for r in self.capacity_records if known_as_of is None or r.recorded <= known_as_of
        ]
        if not records:
            return None
        return max(records, key=lambda r: (r.valid_from, r.line))

    def start_note(self, known_as_of: date | None = None) -> str:
        """Which record sets a projection's default start, for a message ("" if none).

        A projection without ``--as-of`` starts at the latest ``valid_from`` of the records
        known by ``known_as_of`` (of all records if none is known then); a problem that
        this start causes (a horizon before it) names that record with this note.

        Parameters
        ----------
        known_as_of
            The ``--known-as-of`` date of the projection, if any.

        Returns
        -------
        str
            ``"; the start is the as_of date of capacity.csv row 7, record cap-0007
            (lfp_cell 45GWh, as_of 2205-01-01): expected a horizon on or after it, or a
            correction of that record"``, or ``""`` if there is no capacity record.
        """
        rec = self.latest_record(known_as_of) or self.latest_record()
        if rec is None:
            return ""
        return (
            f"; the start is the as_of date of {rec.describe()}: expected a horizon on or "
            "after it, or a correction of that record"
        )

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
        return Chain(self.stages, self.recipes)


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
    sources: Mapping[str, Source] = load_sources(d, problems)
    if any(p.file == "sources.csv" and p.row in (None, 1) for p in problems):
        sources = UncheckedSources()  # one root problem, not a follow-on one per row
    stages = load_stages(d, sources, problems)
    capacity = load_capacity(d, stages, sources, problems)
    recipes = load_recipes(d, stages, sources, problems)
    growth = load_growth(d, sources, problems)
    facts = load_facts(d, sources, problems)
    status_params = load_status_params(d, sources, problems)
    projects = load_projects(d, stages, sources, problems)
    status_records = load_status_history(d, {p.id: p for p in projects}, sources, problems)
    markets = load_markets(d, sources, problems)
    economics = load_economics(d, stages, sources, problems)
    electricity = load_electricity(d, stages, sources, problems)
    grid = load_grid(d, sources, problems)
    province = load_province(d, stages, sources, problems)
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
        markets=markets,
        data_version=_fingerprint(d),
        economics=economics,
        electricity=electricity,
        grid=grid,
        province=province,
    )
