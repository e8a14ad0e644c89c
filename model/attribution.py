"""Why two scenarios differ: a waterfall over the levers and projects that differ.

It attributes the difference in one stage's gap (or capacity) to each lever and each
project in which the scenarios differ.

The inputs of ``base`` are switched one group at a time to those of ``other``, in a fixed
order (levers first, then projects), and the stage's mean value is re-simulated after each
switch with the same draws and seed. Thanks to common random numbers (see
:class:`model.simulate.Streams`) a step's change is caused by its switch, not by sampling
noise; but it is measured with the earlier switches already made, so when levers interact
(a sodium-ion share matters only once a sodium-ion line exists) the split between them
depends on the order. The steps add up exactly to the total difference.

Each run is a full simulation, so one pass gives the waterfall of every stage and quarter
at once (:func:`waterfall_table`, or :func:`waterfall` with ``stage=None``); :func:`pick`
takes one stage, quarter and variable out of it without simulating again. Projects count
as one group each, whatever the scenario does to them (add, remove, start, status, scale,
delay).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any, overload

import numpy as np

from model.catalogue import t
from model.park import Park
from model.scenario import DESCRIPTIVE, Scenario, flatten
from model.simulate import simulate

#: lever groups, in the order they are switched; anything else is grouped by its first key
LEVER_ORDER = (
    "horizon",
    "intensity",
    "demand",
    "technology_mix",
    "utilisation",
    "ramp_up",
    "status",
)
_IGNORED = ("draws", "seed", *DESCRIPTIVE)
#: per-project changes of a scenario's ``projects`` table besides ``add`` and ``remove``
PROJECT_FIELDS = ("start", "status", "scale", "delay")
#: the variables a full waterfall table holds unless told otherwise (the scenarios page's)
TABLE_VARIABLES = ("gap", "nameplate")


def _groups(a: dict[str, Any], b: dict[str, Any]) -> list[tuple[str, str | None]]:
    """(kind, id) of every group of inputs that differs: ("lever", name) or ("project", id)."""
    fa, fb = (
        flatten({k: v for k, v in a.items() if k not in _IGNORED}),
        flatten({k: v for k, v in b.items() if k not in _IGNORED}),
    )
    groups: list[tuple[str, str | None]] = []
    for key in sorted(set(fa) | set(fb)):
        if key.startswith("projects."):
            continue
        if fa.get(key) != fb.get(key):
            head = key.split(".")[0]
            name = ".".join(key.split(".")[:2]) if head == "status" else head
            if ("lever", name) not in groups:
                groups.append(("lever", name))
    groups.sort(
        key=lambda g: (
            LEVER_ORDER.index(str(g[1]).split(".")[0])
            if str(g[1]).split(".")[0] in LEVER_ORDER
            else len(LEVER_ORDER),
            str(g[1]),
        )
    )
    pa, pb = a["projects"], b["projects"]
    ids: list[str] = []
    for pid in sorted(set(pa["remove"]) ^ set(pb["remove"])):
        ids.append(pid)
    for field in PROJECT_FIELDS:
        for pid in sorted(set(pa.get(field, {})) | set(pb.get(field, {}))):
            if pa.get(field, {}).get(pid) != pb.get(field, {}).get(pid):
                ids.append(pid)
    adds_a = {p["id"]: p for p in pa["add"]}
    adds_b = {p["id"]: p for p in pb["add"]}
    for pid in sorted(set(adds_a) | set(adds_b)):
        if adds_a.get(pid) != adds_b.get(pid):
            ids.append(pid)
    for pid in dict.fromkeys(ids):
        groups.append(("project", pid))
    return groups


def _apply(data: dict[str, Any], target: dict[str, Any], group: tuple[str, str | None]) -> None:
    """Switch ``group`` of ``data`` to its values in ``target`` (in place)."""
    kind, name = group
    assert name is not None
    if kind == "lever":
        keys = name.split(".")
        src, dst = target, data
        for k in keys[:-1]:
            src = src.get(k, {})
            dst = dst.setdefault(k, {})
        if keys[-1] in src:
            dst[keys[-1]] = copy.deepcopy(src[keys[-1]])
        else:
            dst.pop(keys[-1], None)
        return
    p, tp = data["projects"], target["projects"]
    remove = [x for x in p["remove"] if x != name]
    if name in tp["remove"]:
        remove.append(name)
    p["remove"] = remove
    for field in PROJECT_FIELDS:
        if name in tp.get(field, {}):
            p.setdefault(field, {})[name] = tp[field][name]
        else:
            p.get(field, {}).pop(name, None)
    adds = [x for x in p["add"] if x["id"] != name]
    adds.extend(x for x in tp["add"] if x["id"] == name)
    p["add"] = adds


def _label(park: Park, group: tuple[str, str | None], other: Scenario, lang: str) -> str:
    kind, name = group
    assert name is not None
    if kind == "project":
        project = next((p for p in park.projects if p.id == name), None)
        if project is None:
            added = next((p for p in other.projects.add if p.id == name), None)
            return (added.name_zh if lang == "zh" else added.name_en) or name if added else name
        return project.name(lang)
    if name.startswith("status."):
        status = name.split(".", 1)[1]
        sp = park.status_params.get(status)
        return t("lever_status", lang, status=sp.name(lang) if sp else status)
    return t(f"lever_{name}", lang)


def _means(ds: Any, variables: Sequence[str]) -> dict[str, np.ndarray]:
    """Mean over draws of each variable as a (quarter, stage) float64 array.

    Computed as :func:`model.results.summarize` does (float64 accumulation), so a waterfall
    starts and ends exactly at the means the fan charts show.
    """
    out = {}
    for var in variables:
        da = ds[var].transpose("draw", "quarter", "stage")
        out[var] = da.values.mean(axis=0, dtype=np.float64)
    return out


def waterfall_table(
    park: Park,
    base: Scenario,
    other: Scenario,
    variables: str | Sequence[str] = TABLE_VARIABLES,
    draws: int = 200,
    seed: int | None = None,
) -> dict[str, Any]:
    """The waterfall of every stage and quarter at once: one simulation per step.

    Parameters
    ----------
    park
        The park both scenarios run on.
    base, other
        The two scenarios.
    variables
        Stage variables of the simulation kept (``"gap"``, ``"nameplate"``, ...).
    draws, seed
        Draws and seed used for every run (default seed: ``base``'s).

    Returns
    -------
    dict
        ``{"stages", "quarters", "variables", "units": {stage: unit per year}, "start":
        {variable: array}, "end": {variable: array}, "steps": [{"key", "kind", "label_zh",
        "label_en", "delta": {variable: array}}, ...]}``; every array is a mean over draws
        of shape (quarter, stage), in the stage's unit per year, and ``start + sum(delta) ==
        end`` element by element. The quarters are those both scenarios are projected over
        (the shorter horizon). :func:`pick` takes one stage, quarter and variable out of it.
    """
    variables_ = (variables,) if isinstance(variables, str) else tuple(variables)
    seed_ = base.seed if seed is None else seed

    def run(s: Scenario) -> tuple[dict[str, np.ndarray], list[str], list[str]]:
        ds = simulate(park, s, draws=draws, seed=seed_)
        qs = [str(q) for q in ds["quarter"].values]
        return _means(ds, variables_), qs, [str(x) for x in ds["stage"].values]

    a = base.model_dump(mode="json")
    b = other.model_dump(mode="json")
    current = copy.deepcopy(a)
    start, quarters_, stages = run(base)
    end, end_quarters, _ = run(other)
    runs: list[tuple[tuple[str, str | None], dict[str, np.ndarray], list[str]]] = []
    for group in _groups(a, b):
        _apply(current, b, group)
        scenario = Scenario.from_dict(
            {**current, "name": base.name}, source=f"waterfall step {group[1]}"
        )
        values, qs, _ = run(scenario)
        runs.append((group, values, qs))
    # a horizon step changes the quarters: every run is cut to the quarters all of them share
    common = [q for q in quarters_ if q in end_quarters and all(q in r[2] for r in runs)]

    def cut(values: dict[str, np.ndarray], qs: list[str]) -> dict[str, np.ndarray]:
        rows = [qs.index(q) for q in common]
        return {v: values[v][rows] for v in variables_}

    start_c = cut(start, quarters_)
    end_c = cut(end, end_quarters)
    prev = start_c
    steps: list[dict[str, Any]] = []
    for group, values, qs in runs:
        now = cut(values, qs)
        steps.append(
            {
                "key": group[1],
                "kind": group[0],
                "label_zh": _label(park, group, other, "zh"),
                "label_en": _label(park, group, other, "en"),
                "delta": {v: now[v] - prev[v] for v in variables_},
            }
        )
        prev = now
    if steps:  # the last switch lands on `other` itself; absorb float noise
        for v in variables_:
            steps[-1]["delta"][v] = steps[-1]["delta"][v] + (end_c[v] - prev[v])
    return {
        "stages": stages,
        "quarters": common,
        "variables": variables_,
        "units": {s: f"{park.stages[s].unit} / a" for s in stages},
        "start": start_c,
        "end": end_c,
        "steps": steps,
    }


def pick(table: dict[str, Any], stage: str, quarter: str, variable: str = "gap") -> dict[str, Any]:
    """One stage's waterfall in one quarter out of :func:`waterfall_table` (no simulation).

    Returns
    -------
    dict
        As :func:`waterfall` returns it.

    Raises
    ------
    ValueError
        If the stage, quarter or variable is not in the table.
    """
    for what, value, known in (
        ("stage", stage, table["stages"]),
        ("quarter", quarter, table["quarters"]),
        ("variable", variable, table["variables"]),
    ):
        if value not in known:
            msg = f"unknown {what} {value!r}"
            raise ValueError(msg)
    i, j = table["quarters"].index(quarter), table["stages"].index(stage)
    return {
        "start": float(table["start"][variable][i, j]),
        "end": float(table["end"][variable][i, j]),
        "unit": table["units"][stage],
        "stage": stage,
        "quarter": quarter,
        "variable": variable,
        "steps": [
            {
                "key": s["key"],
                "kind": s["kind"],
                "label_zh": s["label_zh"],
                "label_en": s["label_en"],
                "delta": float(s["delta"][variable][i, j]),
            }
            for s in table["steps"]
        ],
    }


@overload
def waterfall(
    park: Park,
    base: Scenario,
    other: Scenario,
    stage: str,
    quarter: str,
    variable: str = ...,
    draws: int = ...,
    seed: int | None = ...,
) -> dict[str, Any]: ...
@overload
def waterfall(
    park: Park,
    base: Scenario,
    other: Scenario,
    stage: None,
    quarter: None = ...,
    variable: str | Sequence[str] = ...,
    draws: int = ...,
    seed: int | None = ...,
) -> dict[str, Any]: ...
def waterfall(
    park: Park,
    base: Scenario,
    other: Scenario,
    stage: str | None,
    quarter: str | None = None,
    variable: str | Sequence[str] = "gap",
    draws: int = 200,
    seed: int | None = None,
) -> dict[str, Any]:
    """Attribute ``other``'s difference from ``base`` in one stage's ``variable``.

    Parameters
    ----------
    park
        The park both scenarios run on.
    base, other
        The two scenarios.
    stage, quarter
        Which value: e.g. ``"separator"`` in ``"2030Q4"`` (within both horizons).
        ``stage=None``: every stage and quarter at once, as :func:`waterfall_table`
        (``variable`` may then be several variables); the same simulations, so a page that
        keeps the table changes stage, quarter or variable without simulating again.
    variable
        A stage variable of the simulation: ``"gap"``, ``"nameplate"``, ``"demand"``, ...
    draws, seed
        Draws and seed used for every run (default seed: ``base``'s).

    Returns
    -------
    dict
        ``{"start", "end", "unit", "stage", "quarter", "variable", "steps": [{"key",
        "kind", "label_zh", "label_en", "delta"}, ...]}``: means over draws in the stage's
        unit per year; ``start + sum(delta) == end``. With ``stage=None``, the table of
        :func:`waterfall_table`.

    Raises
    ------
    ValueError
        For a stage of no park, or a quarter outside both projections.
    """
    if stage is None:
        return waterfall_table(park, base, other, variable, draws=draws, seed=seed)
    if stage not in park.stages:
        msg = f"unknown stage {stage!r}"
        raise ValueError(msg)
    if not isinstance(variable, str):
        msg = f"one variable for one stage, not {variable!r}"
        raise ValueError(msg)
    table = waterfall_table(park, base, other, (variable,), draws=draws, seed=seed)
    return pick(table, stage, str(quarter), variable)
