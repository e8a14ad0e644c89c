"""End markets of the park's storage products: growth ranges and the power/storage split.

``markets.csv`` holds one row per market parameter, each with low / central / high values,
a unit and a source id or a marked assumption:

- ``stationary_growth`` — growth of stationary (new-type) storage demand, per year;
- ``power_growth`` — growth of power (EV) battery demand, per year;
- ``storage_share`` — the share of the park's LFP cell output sold for stationary storage
  at the start (the rest goes to power batteries: the article's 动力及储能电池);
- ``start_utilisation`` — the LFP cells' sales at the start as a share of their nameplate
  (where the markets start from).

The file is optional: without it, all cell output is one market growing at the scenario's
``demand.growth`` (the scenario may also set every parameter itself).
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path

from model.datafiles import read_csv
from model.errors import Problem
from model.fields import check_source, check_text, check_unique, parse_number
from model.units import Q_, UnitParseError, parse_unit

FILE = "markets.csv"
#: parameter id -> the unit its values are stated in (checked by dimension)
PARAMETERS = {
    "stationary_growth": "1/a",
    "power_growth": "1/a",
    "storage_share": "1",
    "start_utilisation": "1",
}
#: parameters that are shares (0-1); the others are growth rates per year
SHARES = ("storage_share", "start_utilisation")
COLUMNS = ["id", "name_zh", "name_en", "low", "central", "high", "unit", "source", "assumption"]


@dataclass(frozen=True)
class MarketParam:
    """One market parameter: ``low`` ≤ ``central`` ≤ ``high``, in its canonical unit.

    Growth rates are fractions per year (0.2 = +20 %/a), shares are fractions (0-1).
    """

    id: str
    name_zh: str
    name_en: str
    low: float
    central: float
    high: float
    unit: str
    source: str
    assumption: str = ""
    note: str = ""

    @property
    def spread(self) -> float:
        """Half-width of the low-high range (the scenario's ``*_spread`` convention)."""
        return (self.high - self.low) / 2


def load_markets(
    d: Path, sources: Container[str], problems: list[Problem]
) -> dict[str, MarketParam]:
    """Read ``markets.csv`` if present: known ids, ordered finite values, units, sources."""
    if not (d / FILE).exists():
        return {}
    rows = read_csv(d / FILE, COLUMNS, problems, optional=["note"], label=FILE)
    check_unique([(ln, r["id"]) for ln, r in rows if r["id"]], FILE, "id", problems)
    out: dict[str, MarketParam] = {}
    for line, r in rows:
        n = len(problems)
        if r["id"] not in PARAMETERS:
            problems.append(
                Problem(
                    FILE,
                    line,
                    "id",
                    r["id"],
                    f"unknown market parameter; expected one of {', '.join(PARAMETERS)}",
                )
            )
            continue
        vals = [
            parse_number(r[c], FILE, line, c, problems, positive=False)
            for c in ("low", "central", "high")
        ]
        factor = _factor(r["unit"], PARAMETERS[r["id"]], line, problems)
        check_source(r, sources, FILE, line, problems)
        check_text(r, ("name_zh", "name_en", "assumption", "note"), FILE, line, problems)
        if len(problems) > n or factor is None or any(v is None for v in vals):
            continue
        low, central, high = (v * factor for v in vals)  # type: ignore[operator]
        if not low <= central <= high:
            problems.append(
                Problem(
                    FILE,
                    line,
                    "central",
                    r["central"],
                    f"expected low <= central <= high, got {low:g} / {central:g} / {high:g}",
                )
            )
            continue
        if r["id"] in SHARES and not (low >= 0 and high <= 1):
            problems.append(Problem(FILE, line, "high", r["high"], "a share lies from 0 to 1"))
            continue
        if r["id"] not in SHARES and not (low >= -0.5 and high <= 3):
            problems.append(
                Problem(FILE, line, "high", r["high"], "expected growth from -0.5 to 3 per year")
            )
            continue
        out[r["id"]] = MarketParam(
            r["id"],
            r["name_zh"],
            r["name_en"],
            low,
            central,
            high,
            PARAMETERS[r["id"]],
            r["source"],
            r["assumption"],
            r.get("note", ""),
        )
    return out


def _factor(text: str, want: str, line: int, problems: list[Problem]) -> float | None:
    """Conversion factor from the unit ``text`` to ``want``; a problem if it cannot be."""
    try:
        unit = parse_unit(text) if text not in ("", "1") else parse_unit("dimensionless")
    except UnitParseError as exc:
        problems.append(Problem(FILE, line, "unit", text, str(exc)))
        return None
    target = Q_(1.0, want if want != "1" else "dimensionless")
    if not Q_(1.0, unit).is_compatible_with(target):
        problems.append(
            Problem(FILE, line, "unit", text, f"wrong dimension; expected {want} (e.g. 1/a or 1)")
        )
        return None
    return float(Q_(1.0, unit).to(target.units).magnitude)
