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
"""

from __future__ import annotations

import copy
from typing import Any

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
            LEVER_ORDER.index(g[1].split(".")[0])
            if g[1].split(".")[0] in LEVER_ORDER
            else len(LEVER_ORDER),
            g[1],
        )
    )
    pa, pb = a["projects"], b["projects"]
    ids: list[str] = []
    for pid in sorted(set(pa["remove"]) ^ set(pb["remove"])):
        ids.append(pid)
    for field in ("start", "status"):
        for pid in sorted(set(pa[field]) | set(pb[field])):
            if pa[field].get(pid) != pb[field].get(pid):
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
    for field in ("start", "status"):
        if name in tp[field]:
            p[field][name] = tp[field][name]
        else:
            p[field].pop(name, None)
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


def waterfall(
    park: Park,
    base: Scenario,
    other: Scenario,
    stage: str,
    quarter: str,
    variable: str = "gap",
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
    variable
        A stage variable of the simulation: ``"gap"``, ``"nameplate"``, ``"demand"``, ...
    draws, seed
        Draws and seed used for every run (default seed: ``base``'s).

    Returns
    -------
    dict
        ``{"start", "end", "unit", "stage", "quarter", "variable", "steps": [{"key",
        "kind", "label_zh", "label_en", "delta"}, ...]}``: means over draws in the stage's
        unit per year; ``start + sum(delta) == end``.
    """
    seed_ = base.seed if seed is None else seed
    if stage not in park.stages:
        msg = f"unknown stage {stage!r}"
        raise ValueError(msg)

    def value(s: Scenario) -> float:
        ds = simulate(park, s, draws=draws, seed=seed_)
        return float(ds[variable].sel(stage=stage, quarter=quarter).mean())

    a = base.model_dump(mode="json")
    b = other.model_dump(mode="json")
    current = copy.deepcopy(a)
    start = value(base)
    prev = start
    steps = []
    for group in _groups(a, b):
        _apply(current, b, group)
        scenario = Scenario.from_dict(
            {**current, "name": base.name}, source=f"waterfall step {group[1]}"
        )
        now = value(scenario)
        steps.append(
            {
                "key": group[1],
                "kind": group[0],
                "label_zh": _label(park, group, other, "zh"),
                "label_en": _label(park, group, other, "en"),
                "delta": now - prev,
            }
        )
        prev = now
    end = value(other)
    if steps:  # the last switch lands on `other` itself; absorb float noise
        steps[-1]["delta"] += end - prev
    return {
        "start": start,
        "end": end,
        "unit": f"{park.stages[stage].unit} / a",
        "stage": stage,
        "quarter": quarter,
        "variable": variable,
        "steps": steps,
    }
