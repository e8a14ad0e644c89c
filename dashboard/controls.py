"""The what-if page's logic as plain functions: control values <-> scenario, and saving.

Control values are what the browser sends, in the units shown on the page (percent for
shares and probabilities, quarters for delays). :func:`scenario_from_controls` checks each
one and turns them into a validated :class:`~model.scenario.Scenario`; anything wrong comes
back as a :class:`~model.errors.DataError` listing every problem, never a crash.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from model.catalogue import t
from model.datafiles import atomic_write_bytes
from model.errors import DataError, Problem, raise_if
from model.park import Park
from model.pipeline import ACTIVE
from model.scenario import NAME_RE, SHIPPED, Scenario, to_toml

MIX_KEYS = ("lfp", "sodium_ion", "vanadium_flow", "gravity")
#: scenarios saved from the web app that the folder may hold (shipped ones not counted)
MAX_SAVED = 50
#: largest scenario file the web app writes (TOML text, UTF-8)
MAX_FILE_BYTES = 64 * 1024
INTENSITIES = ("sampled", "central", "low", "high")
RAMP_SHAPES = ("s_curve", "linear", "instant")
#: the value of the start-demand control that means "today's LFP cell output"
AUTO = "auto"
WHATIF_NAME = "what-if"
#: control -> (low, high) accepted, in the page's units
LIMITS = {
    "growth": (-50.0, 300.0),  # % a year
    "spread": (0.0, 100.0),  # percentage points
    "mix": (0.0, 100.0),  # % of new demand (normalised)
    "util": (1.0, 100.0),  # % of nameplate
    "p_complete": (0.0, 100.0),  # %
    "delay": (0.0, 80.0),  # quarters
    "delay_sd": (0.0, 80.0),  # quarters
    "ramp": (1.0, 40.0),  # quarters from first output to nameplate
    "base_gwh": (0.1, 10_000.0),  # GWh/a
}


def _choice(
    value: Any,
    key: str,
    allowed: tuple[str, ...],
    changes: dict[str, Any],
    problems: list[Problem],
    lang: str,
) -> None:
    """Set ``changes[key]`` to ``value`` if it is one of ``allowed``, else add a problem."""
    if value in allowed:
        changes[key] = value
    else:
        problems.append(
            Problem(
                t("ui_controls", lang),
                None,
                key,
                value,
                t("ui_expected_one_of", lang, options=", ".join(allowed)),
            )
        )


def _effective_status(park: Park, base: Scenario, status: str) -> tuple[float, float, float]:
    """The completion probability and delay of ``status`` under ``base``.

    Returns (completion probability, mean delay, delay spread (sd)), both delays in quarters.
    """
    sp = park.status_params[status]
    ov = base.status.get(status)
    p = ov.p_complete if ov is not None and ov.p_complete is not None else sp.p_complete
    d = ov.delay_mean_q if ov is not None and ov.delay_mean_q is not None else sp.delay_mean_q
    sd = ov.delay_sd_q if ov is not None and ov.delay_sd_q is not None else sp.delay_sd_q
    return p, d, sd


def project_ids(park: Park, base: Scenario) -> list[str]:
    """Pipeline projects the page lists: the park's active ones and those ``base`` adds."""
    ids = [p.id for p in park.projects if p.status in ACTIVE]
    return ids + [p.id for p in base.projects.add if p.id not in ids]


def defaults(park: Park, base: Scenario) -> dict[str, Any]:
    """Control values that reproduce ``base`` (percent, quarters, GWh/a, project ids).

    ``util`` is the base's default range (the slider sets every stage's range once moved);
    ``base_gwh`` is :data:`AUTO` when the base starts demand at today's LFP cell output.
    """
    lo, hi = base.utilisation_range("default")
    return {
        "growth": round(100 * base.demand.growth, 6),
        "spread": round(100 * base.demand.growth_spread, 6),
        "base_gwh": AUTO if base.demand.base_gwh is None else base.demand.base_gwh,
        "mix": {k: round(100 * getattr(base.technology_mix, k), 6) for k in MIX_KEYS},
        "util": [round(100 * lo, 6), round(100 * hi, 6)],
        "ramp": list(base.ramp_up.quarters),
        "shape": base.ramp_up.shape,
        "p_complete": {s: round(100 * _effective_status(park, base, s)[0], 6) for s in ACTIVE},
        "delay": {s: _effective_status(park, base, s)[1] for s in ACTIVE},
        "delay_sd": {s: _effective_status(park, base, s)[2] for s in ACTIVE},
        "included": [pid for pid in project_ids(park, base) if pid not in base.projects.remove],
        "intensity": base.intensity,
    }


def _number(value: Any, field: str, kind: str, problems: list[Problem], lang: str) -> float | None:
    lo, hi = LIMITS[kind]
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = math.nan
    if not math.isfinite(x) or not lo <= x <= hi:
        problems.append(
            Problem(
                t("ui_controls", lang),
                None,
                field,
                value,
                t("ui_expected_range", lang, lo=lo, hi=hi),
            )
        )
        return None
    return x


def _pair(
    value: Any, field: str, kind: str, problems: list[Problem], lang: str
) -> tuple[float, float] | None:
    """A [low, high] control (range slider): both numbers checked, returned in order."""
    if not isinstance(value, Sequence) or isinstance(value, str) or len(value) != 2:
        problems.append(
            Problem(t("ui_controls", lang), None, field, value, t("ui_expected_pair", lang))
        )
        return None
    lo = _number(value[0], field, kind, problems, lang)
    hi = _number(value[1], field, kind, problems, lang)
    if lo is None or hi is None:
        return None
    return min(lo, hi), max(lo, hi)


def scenario_from_controls(
    park: Park,
    base: Scenario,
    values: Mapping[str, Any],
    name: str = WHATIF_NAME,
    lang: str = "zh",
) -> Scenario:
    """The scenario the controls describe: ``base`` with the changed levers.

    Parameters
    ----------
    park
        For the status defaults and the project ids.
    base
        The scenario the page started from.
    values
        As :func:`defaults` returns them (any may be missing, ``None`` or out of range).
    name
        Name of the resulting scenario.
    lang
        Language of the problem messages written here.

    Raises
    ------
    DataError
        Every problem at once: each bad control, then the scenario's own validation.
    """
    problems: list[Problem] = []
    changes: dict[str, Any] = {"name": name}
    if name != base.name:
        changes["title_zh"] = t("ui_whatif_title", "zh", base=base.title("zh"))
        changes["title_en"] = t("ui_whatif_title", "en", base=base.title("en"))
        changes["extends"] = None
    growth = _number(values.get("growth"), "demand.growth", "growth", problems, lang)
    spread = _number(values.get("spread"), "demand.growth_spread", "spread", problems, lang)
    if growth is not None:
        changes["demand.growth"] = growth / 100
    if spread is not None:
        changes["demand.growth_spread"] = spread / 100
    start = values.get("base_gwh", AUTO if base.demand.base_gwh is None else base.demand.base_gwh)
    if start == AUTO:
        changes["demand.base_gwh"] = None
    else:
        gwh = _number(start, "demand.base_gwh", "base_gwh", problems, lang)
        if gwh is not None:
            changes["demand.base_gwh"] = gwh
    mix = values.get("mix") or {}
    for k in MIX_KEYS:
        v = _number(mix.get(k), f"technology_mix.{k}", "mix", problems, lang)
        if v is not None:
            changes[f"technology_mix.{k}"] = v / 100
    # the slider is the range of every stage: once moved off the base's default range it
    # replaces the whole table, per-stage ranges of the base (baseline's LFP cells) included
    util = _pair(values.get("util"), "utilisation", "util", problems, lang)
    if util is not None:
        pair = (util[0] / 100, util[1] / 100)
        if pair != base.utilisation_range("default"):
            changes["utilisation"] = {"default": list(pair)}
    if "ramp" in values:
        ramp = _pair(values["ramp"], "ramp_up.quarters", "ramp", problems, lang)
        if ramp is not None:
            if ramp != tuple(round(x) for x in ramp):
                problems.append(
                    Problem(
                        t("ui_controls", lang),
                        None,
                        "ramp_up.quarters",
                        values["ramp"],
                        t("ui_expected_whole", lang),
                    )
                )
            else:
                changes["ramp_up.quarters"] = [round(ramp[0]), round(ramp[1])]
    _choice(
        values.get("shape", base.ramp_up.shape),
        "ramp_up.shape",
        RAMP_SHAPES,
        changes,
        problems,
        lang,
    )
    status = {k: v.model_dump() for k, v in base.status.items()}
    p_values = values.get("p_complete") or {}
    d_values = values.get("delay") or {}
    sd_values = values.get("delay_sd") or {}
    for st in ACTIVE:
        p0, d0, sd0 = _effective_status(park, base, st)
        p = _number(
            p_values.get(st, 100 * p0), f"status.{st}.p_complete", "p_complete", problems, lang
        )
        d = _number(d_values.get(st, d0), f"status.{st}.delay_mean_q", "delay", problems, lang)
        sd = _number(sd_values.get(st, sd0), f"status.{st}.delay_sd_q", "delay_sd", problems, lang)
        entry = dict(status.get(st) or {})
        if p is not None and abs(p / 100 - p0) > 1e-12:
            entry["p_complete"] = p / 100
        if d is not None and abs(d - d0) > 1e-12:
            entry["delay_mean_q"] = d
        if sd is not None and abs(sd - sd0) > 1e-12:
            entry["delay_sd_q"] = sd
        if entry:
            status[st] = entry
    if status != {k: v.model_dump() for k, v in base.status.items()}:
        changes["status"] = status
    included = values.get("included")
    if included is not None:
        listed = project_ids(park, base)
        unknown = [pid for pid in included if pid not in listed]
        for pid in unknown:
            problems.append(
                Problem(
                    t("ui_controls", lang), None, "projects", pid, t("ui_unknown_project", lang)
                )
            )
        park_ids = [p.id for p in park.projects]
        remove = [
            pid
            for pid in park_ids
            if pid not in included and (pid in listed or pid in base.projects.remove)
        ]
        if set(remove) != set(base.projects.remove):
            changes["projects.remove"] = remove
        adds = [a.model_dump() for a in base.projects.add if a.id in included]
        if len(adds) != len(base.projects.add):
            changes["projects.add"] = adds
    _choice(
        values.get("intensity", base.intensity), "intensity", INTENSITIES, changes, problems, lang
    )
    raise_if(problems)
    scenario = base.with_changes(**changes)
    raise_if(scenario.check_against(park))
    return scenario


def check_name(name: Any, folder: Path, overwrite: bool, lang: str = "zh") -> str:
    """The scenario name to save under, stripped.

    Raise ``DataError`` if it is empty, not a plain name (path separators, dots, spaces), a
    shipped scenario or an existing file that ``overwrite`` does not allow to replace.
    """
    where = t("ui_save_name", lang)
    text = name.strip() if isinstance(name, str) else ""
    if not text:
        raise DataError([Problem(where, None, "name", name, t("ui_name_empty", lang))])
    if not NAME_RE.fullmatch(text):
        shown = text if len(text) <= 80 else text[:80] + "…"
        raise DataError([Problem(where, None, "name", shown, t("ui_name_invalid", lang))])
    # names differing only in case are one file on Windows and macOS
    if text.casefold() in {s.casefold() for s in SHIPPED}:
        raise DataError([Problem(where, None, "name", text, t("ui_name_shipped", lang))])
    if text.casefold() in _saved(folder) and not overwrite:
        raise DataError([Problem(where, None, "name", text, t("ui_name_exists", lang))])
    return text


def _saved(folder: Path) -> set[str]:
    """Case-folded names of the scenario files in ``folder`` that are not shipped."""
    shipped = {s.casefold() for s in SHIPPED}
    return {p.stem.casefold() for p in Path(folder).glob("*.toml")} - shipped


def check_cost(scenario: Scenario, base: Scenario, lang: str = "zh") -> None:
    """Refuse a scenario that costs more to simulate than its base (the page's limits).

    The what-if page changes levers only: its scenario has the base's draws and horizon
    and at most the base's added projects. A scenario sent to be saved that has more
    (a browser is not trusted) would make every later visitor's simulation heavier.

    Raises
    ------
    DataError
        The draws, the horizon or the added projects differ from what the page allows.
    """
    allowed_adds = [a.model_dump() for a in base.projects.add]
    if (
        scenario.draws != base.draws
        or scenario.horizon != base.horizon
        or any(a.model_dump() not in allowed_adds for a in scenario.projects.add)
    ):
        where = t("ui_save_name", lang)
        raise DataError([Problem(where, None, None, None, t("ui_save_not_from_page", lang))])


def scenario_file_text(scenario: Scenario) -> str:
    """The TOML file of ``scenario``: a comment line with its titles, then every key."""
    head = f"# {scenario.title_zh} {scenario.title_en}".rstrip()
    return f"{head}\n{to_toml(scenario)}"


def save_scenario(
    folder: Path,
    name: Any,
    scenario: Scenario,
    overwrite: bool = False,
    lang: str = "zh",
    park: Park | None = None,
    *,
    max_saved: int = MAX_SAVED,
    max_bytes: int = MAX_FILE_BYTES,
) -> Path:
    """Write ``scenario`` as ``<folder>/<name>.toml`` atomically.

    Uses :func:`model.datafiles.atomic_write_bytes`: temp file, fsync, rename; the usual
    file mode, or the replaced file's.

    The text is read back and validated before it replaces anything, so a file that
    would not load again is never written. A new file is refused once the folder holds
    ``max_saved`` scenarios that are not shipped; a text longer than ``max_bytes`` is
    refused always.

    Raises
    ------
    DataError
        Bad name (see :func:`check_name`), too many files, too long a text, or a scenario
        that does not survive the round trip.
    """
    folder = Path(folder)
    text_name = check_name(name, folder, overwrite, lang)
    where = t("ui_save_name", lang)
    if text_name.casefold() not in _saved(folder) and len(_saved(folder)) >= max_saved:
        raise DataError(
            [Problem(where, None, None, None, t("ui_save_too_many", lang, n=max_saved))]
        )
    named = scenario.with_changes(name=text_name)
    text = scenario_file_text(named)
    if len(text.encode("utf-8")) > max_bytes:
        kb = max_bytes // 1024
        raise DataError([Problem(where, None, None, None, t("ui_save_too_large", lang, kb=kb))])
    folder.mkdir(parents=True, exist_ok=True)
    # the text must read back to the same scenario before it counts
    again = Scenario.from_dict(
        {**tomllib.loads(text), "name": text_name}, source=f"{text_name}.toml"
    )
    if park is not None:
        raise_if(again.check_against(park))
    path = folder / f"{text_name}.toml"
    atomic_write_bytes(path, text.encode("utf-8"))
    return path
