"""Whether the recorded capacity history agrees with the sourced growth figures.

``growth.csv`` holds year-on-year growth of a stage's **output** (the article's 2023
figures: mono-silicon 增长1.3倍, polysilicon 增长1.9倍, carbon fibre 增长1.2倍);
``capacity.csv`` holds dated **capacity**. Output growth is not capacity growth, but the two
are tied: output = capacity × utilisation, so

    output ratio = capacity ratio × utilisation ratio.

The rule: for a growth figure of year ``Y`` on a stage, take the recorded capacity in force
on the last day of ``Y - 1`` and of ``Y`` (all records, corrections included). Their ratio
is the capacity's growth over the indicator's year; the growth figure's ratio
(增长1.9倍 → ×2.9) divided by it is the change of utilisation the two figures imply. A
plant's utilisation does not plausibly change by more than a factor of
:data:`TOLERANCE` (2) from one year to the next, so an implied change outside
``[1/2, 2]`` is a contradiction: a capacity record is missing, dated wrong or of a
different scope (park, city, province), or the growth figure is. It is reported as a
warning with both numbers, not as a data error: a plant that ramps up from a start late
in ``Y - 1`` can do it.

A growth figure is checked only where the history covers the year: a record in force on
both dates, with a capacity above zero at the start. Others are listed as not checkable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from model.capacity import CapacityRecord, in_force
from model.catalogue import t
from model.indicators import GrowthRecord
from model.units import Q_, format_quantity

#: largest factor by which utilisation may plausibly change from one year to the next
TOLERANCE = 2.0


@dataclass(frozen=True)
class GrowthCheck:
    """One growth figure set against the capacity recorded over its year.

    ``start`` and ``end`` are the records in force on the last day of the year before and
    of the indicator's year; either is ``None`` where no record was in force then.
    """

    growth: GrowthRecord
    start: CapacityRecord | None
    end: CapacityRecord | None
    tolerance: float = TOLERANCE

    @property
    def stage(self) -> str:
        """The stage the growth figure is about."""
        return self.growth.subject

    @property
    def checkable(self) -> bool:
        """Whether the history covers the year (a record on both dates, above zero first)."""
        return self.start is not None and self.end is not None and self.start.value > 0

    @property
    def capacity_ratio(self) -> float | None:
        """Recorded capacity at the end of the year over that a year before (``None`` if unknown)."""
        if self.start is None or self.end is None or self.start.value <= 0:
            return None
        return self.end.value / self.start.value

    @property
    def output_ratio(self) -> float:
        """The growth figure as a ratio of this year's output to last year's (×2.9)."""
        return self.growth.ratio

    @property
    def utilisation_ratio(self) -> float | None:
        """The change of utilisation the two ratios imply (output ratio ÷ capacity ratio)."""
        cap = self.capacity_ratio
        if cap is None:
            return None
        return float("inf") if cap <= 0 else self.output_ratio / cap

    @property
    def contradicts(self) -> bool:
        """Whether the implied change of utilisation lies outside ``[1/tolerance, tolerance]``."""
        u = self.utilisation_ratio
        return u is not None and not (1.0 / self.tolerance <= u <= self.tolerance)


def growth_checks(
    records: Iterable[CapacityRecord],
    growth: Iterable[GrowthRecord],
    stages: Mapping[str, object],
    tolerance: float = TOLERANCE,
) -> list[GrowthCheck]:
    """Every growth figure about a stage, set against the capacity history of that stage.

    Parameters
    ----------
    records
        Capacity records (``Park.capacity_records``).
    growth
        Growth figures (``Park.growth``); those whose subject is not a stage id (high-tech
        value added) are left out.
    stages
        Stage id -> stage (only the ids are used).
    tolerance
        Largest plausible factor of change in utilisation over one year (default 2).

    Returns
    -------
    list of GrowthCheck
        In the order of ``growth.csv``; see :attr:`GrowthCheck.contradicts`.
    """
    records = tuple(records)
    out = []
    for g in growth:
        if g.subject not in stages:
            continue
        before = in_force(records, date(g.year - 1, 12, 31)).get(g.subject)
        after = in_force(records, date(g.year, 12, 31)).get(g.subject)
        out.append(GrowthCheck(g, before, after, tolerance))
    return out


def contradictions(
    records: Iterable[CapacityRecord],
    growth: Iterable[GrowthRecord],
    stages: Mapping[str, object],
    tolerance: float = TOLERANCE,
) -> list[GrowthCheck]:
    """The growth checks whose capacity history contradicts the growth figure."""
    return [c for c in growth_checks(records, growth, stages, tolerance) if c.contradicts]


def _record_text(rec: CapacityRecord, lang: str) -> str:
    return f"{format_quantity(Q_(rec.value, rec.unit), lang)} ({rec.valid_from.isoformat()}, {rec.record_id})"


def describe(check: GrowthCheck, lang: str = "zh") -> str:
    """The warning for a contradicting check, with both numbers and the tolerance.

    Parameters
    ----------
    check
        A checkable :class:`GrowthCheck`.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        One line naming the growth figure, its source, the two capacity records and the
        rule's tolerance.

    Raises
    ------
    ValueError
        If the history does not cover the year (see :attr:`GrowthCheck.checkable`).
    """
    g = check.growth
    if check.start is None or check.end is None or check.capacity_ratio is None:
        msg = f"growth figure {g.id} cannot be checked: no capacity history over {g.year}"
        raise ValueError(msg)
    u = check.utilisation_ratio
    return t(
        "warn_growth_vs_capacity",
        lang,
        id=g.id,
        name=g.name_zh if lang == "zh" else g.name_en,
        year=g.year,
        text=g.text,
        source=g.source,
        output_ratio=f"{check.output_ratio:.3g}",
        capacity_ratio=f"{check.capacity_ratio:.3g}",
        start=_record_text(check.start, lang),
        end=_record_text(check.end, lang),
        utilisation_ratio="∞" if u is None or u == float("inf") else f"{u:.3g}",
        low=f"{1.0 / check.tolerance:.2g}",
        high=f"{check.tolerance:.2g}",
    )
