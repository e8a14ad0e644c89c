"""Scenarios: validated, frozen definitions of a what-if, read from TOML files.

A scenario file in ``scenarios/`` sets the levers of the simulator (see :class:`Scenario`
in :mod:`model.scenario_schema`
for every key, its default and its unit). A file may start with ``extends = "baseline"``
and then only override what differs. Merge rules, applied from the root ancestor down:

* a table merges key by key (``[demand]`` in the child keeps the parent's keys it does not
  set);
* a scalar or a list replaces the parent's value whole (``projects.remove = [...]`` in the
  child is the whole list, not an addition to the parent's);
* a key the schema does not know is an error, never silently kept;
* a cycle of ``extends`` is an error.

Problems are reported all at once, each naming the file, the dotted key path, the value
and what was expected (:class:`~model.errors.Problem`).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from model.errors import DataError, Problem, raise_if
from model.park import Park
from model.scenario_schema import (
    DEFAULT_SCENARIOS_DIR,
    DESCRIPTIVE,
    MAX_DRAWS,
    MAX_SEED,
    NAME_RE,
    SHIPPED,
    Scenario,
)

__all__ = [
    "DEFAULT_SCENARIOS_DIR",
    "DESCRIPTIVE",
    "MAX_DRAWS",
    "MAX_SEED",
    "NAME_RE",
    "SHIPPED",
    "Scenario",
    "differences",
    "flatten",
    "list_scenarios",
    "load_scenario",
    "merge",
    "raw_resolved",
    "resolve_path",
    "scenarios_dir_from",
    "to_toml",
]


# ---------------------------------------------------------------------------
# files and inheritance
# ---------------------------------------------------------------------------
def scenarios_dir_from(arg: str | Path | None) -> Path:
    """The scenarios folder: ``arg`` if given, else ``$PARKCAP_SCENARIOS``, else ``scenarios/``."""
    if arg is not None:
        return Path(arg)
    env = os.environ.get("PARKCAP_SCENARIOS")
    return Path(env) if env else DEFAULT_SCENARIOS_DIR


def merge(parent: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``child`` over ``parent``: tables key by key, scalars and lists replace."""
    out = dict(parent)
    for key, value in child.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(
            [Problem(str(path), None, None, None, "cannot decode; save the file as UTF-8")]
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise DataError(
            [
                Problem(
                    str(path), int(m.group(1)) if m else None, None, None, f"not valid TOML: {exc}"
                )
            ]
        ) from None


def resolve_path(name_or_path: str | Path, scenarios_dir: str | Path | None = None) -> Path:
    """A scenario name in ``scenarios_dir`` or a path to a TOML file -> the file's path."""
    text = str(name_or_path)
    if text.endswith(".toml") or "/" in text or "\\" in text:
        return Path(text)
    return scenarios_dir_from(scenarios_dir) / f"{text}.toml"


def raw_resolved(
    name_or_path: str | Path, scenarios_dir: str | Path | None = None
) -> tuple[dict[str, Any], Path]:
    """The merged dictionary of a scenario and its ancestors (before validation)."""
    path = resolve_path(name_or_path, scenarios_dir)
    chain: list[Path] = []
    data_chain: list[dict[str, Any]] = []
    current = path
    while True:
        if current.resolve() in [c.resolve() for c in chain]:
            names = " -> ".join(p.stem for p in [*chain, current])
            raise DataError(
                [
                    Problem(
                        str(path),
                        None,
                        "extends",
                        current.stem,
                        f"inheritance cycle {names}; a scenario cannot extend itself",
                    )
                ]
            )
        if not current.is_file():
            where = chain[-1] if chain else current
            known = ", ".join(sorted(p.stem for p in current.parent.glob("*.toml"))) or "none"
            field = "extends" if chain else None
            raise DataError(
                [
                    Problem(
                        str(where),
                        None,
                        field,
                        current.stem,
                        f"scenario file {current} not found; known scenarios: {known}",
                    )
                ]
            )
        chain.append(current)
        data = _read_toml(current)
        data_chain.append(data)
        parent = data.get("extends")
        if parent is None:
            break
        if not isinstance(parent, str) or not parent:
            raise DataError(
                [
                    Problem(
                        str(current),
                        None,
                        "extends",
                        parent,
                        'expected the name of another scenario, e.g. "baseline"',
                    )
                ]
            )
        # a parent is looked up beside the child first, then in the scenarios folder
        beside = resolve_path(parent, current.parent)
        current = beside if beside.exists() else resolve_path(parent, scenarios_dir)
    merged: dict[str, Any] = {}
    for data in reversed(data_chain):
        merged = merge(merged, data)
    merged["name"] = path.stem
    merged["extends"] = data_chain[0].get("extends")
    return merged, path


def load_scenario(
    name_or_path: str | Path, scenarios_dir: str | Path | None = None, park: Park | None = None
) -> Scenario:
    """Read, merge (``extends``) and validate a scenario.

    Parameters
    ----------
    name_or_path
        A name in ``scenarios_dir`` (``"baseline"``) or a path to a TOML file.
    scenarios_dir
        Default ``$PARKCAP_SCENARIOS`` or the project's ``scenarios/``.
    park
        If given, ids and quantities that refer to the park are checked too.

    Raises
    ------
    DataError
        Every problem found: file, key path, value and expectation.
    """
    data, path = raw_resolved(name_or_path, scenarios_dir)
    scenario = Scenario.from_dict(data, source=str(path))
    if park is not None:
        raise_if(scenario.check_against(park, source=str(path)))
    return scenario


def list_scenarios(scenarios_dir: str | Path | None = None) -> list[str]:
    """Names of the scenario files in the folder, shipped ones first."""
    names = sorted(p.stem for p in scenarios_dir_from(scenarios_dir).glob("*.toml"))
    return [n for n in SHIPPED if n in names] + [n for n in names if n not in SHIPPED]


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """``{"demand": {"growth": 0.2}}`` -> ``{"demand.growth": 0.2}`` (lists stay values)."""
    if isinstance(data, Mapping):
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(flatten(v, f"{prefix}{k}."))
        return out
    return {prefix[:-1]: data}


def differences(scenarios: list[Scenario]) -> list[dict[str, Any]]:
    """The inputs (after inheritance) in which the scenarios differ.

    Returns one record per dotted key path: ``{"key": ..., "values": {name: value}}``.
    Descriptive keys (titles, rationale) are left out.
    """
    flat = {s.name: flatten(s.model_dump(mode="json", exclude=set(DESCRIPTIVE))) for s in scenarios}
    keys = sorted(set().union(*(f.keys() for f in flat.values())))
    out = []
    for key in keys:
        values = {name: f.get(key) for name, f in flat.items()}
        if len({json.dumps(v, sort_keys=True) for v in values.values()}) > 1:
            out.append({"key": key, "values": values})
    return out


def to_toml(scenario: Scenario) -> str:
    """TOML text of ``scenario``: every key after inheritance, so the file stands alone.

    ``load_scenario`` reads it back to an equal scenario (keys with no value are left out).
    """
    data = scenario.model_dump(mode="json")
    lines: list[str] = []
    tables: dict[str, dict[str, Any]] = {}
    for key, value in flatten(
        {k: v for k, v in data.items() if k not in ("name", "extends")}
    ).items():
        if value is None:
            continue
        head, _, tail = key.rpartition(".")
        tables.setdefault(head, {})[tail] = value
    for key, value in tables.pop("", {}).items():
        lines.append(f"{key} = {_toml_value(value)}")
    for head in sorted(tables):
        lines.append("")
        lines.append(f"[{_toml_key_path(head)}]")
        for key, value in tables[head].items():
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_\-]+", key) else json.dumps(key, ensure_ascii=False)


def _toml_key_path(path: str) -> str:
    return ".".join(_toml_key(k) for k in path.split("."))


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):  # keys without a value (None) are left out: TOML has no null
        items = [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items() if v is not None]
        return "{ " + ", ".join(items) + " }"
    if value is None:
        msg = "TOML has no null"
        raise ValueError(msg)
    return json.dumps(str(value))
