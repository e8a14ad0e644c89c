"""Recipes: how much of each input stage one unit of an output stage needs, per technology.

Values are read in the units written in the file and converted to canonical units
(input stage unit per output stage unit); a recipe graph with a cycle is refused.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass
from pathlib import Path

from model.datafiles import read_csv
from model.errors import Problem
from model.fields import PLAUSIBLE_MAX, check_source, check_text, parse_number
from model.stages import TECHNOLOGIES, Stage
from model.units import Q_, UnitParseError, parse_unit


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


def load_recipes(
    d: Path, stages: Mapping[str, Stage], sources: Container[str], problems: list[Problem]
) -> list[RecipeLine]:
    """Read ``recipes.csv``: low/central/high input per unit of output, in canonical units."""
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
        vals = [parse_number(r[c], file, line, c, problems) for c in ("low", "central", "high")]
        for c, v in zip(("low", "central", "high"), vals, strict=True):
            if v is not None and v > PLAUSIBLE_MAX:
                problems.append(
                    Problem(
                        file,
                        line,
                        c,
                        r[c],
                        f"implausibly large; expected at most {PLAUSIBLE_MAX:.0e} "
                        "(input per unit of output: check the number and its unit)",
                    )
                )
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
        check_text(r, ("assumption", "note"), file, line, problems)
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
    check_cycles(out, file, problems)
    return out


def check_cycles(lines: list[RecipeLine], file: str, problems: list[Problem]) -> None:
    """Append a problem for every cycle in the input graph (output -> its inputs).

    A depth-first search with an explicit stack, so a chain of any length is checked
    without running into Python's recursion limit.
    """
    graph: dict[str, list[RecipeLine]] = {}
    for rl in lines:
        graph.setdefault(rl.output, []).append(rl)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    reported: set[frozenset[str]] = set()
    for root in list(graph):
        if root in state:
            continue
        path: list[str] = [root]
        todo: list[tuple[str, int]] = [(root, 0)]  # node, index of its next input
        state[root] = 1
        while todo:
            node, k = todo.pop()
            edges = graph.get(node, [])
            if k == len(edges):
                state[node] = 2
                path.pop()
                continue
            todo.append((node, k + 1))
            rl = edges[k]
            nxt = rl.input
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt) :] + [nxt]
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
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                todo.append((nxt, 0))
