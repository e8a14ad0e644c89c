"""The what-if page's logic as plain functions: control values <-> scenario.

Control values are what the browser sends, in the units shown on the page (percent for
shares and probabilities, quarters for delays). :func:`scenario_from_controls` checks each
one and turns them into a validated :class:`~model.scenario.Scenario`; anything wrong comes
back as a :class:`~model.errors.DataError` listing every problem, never a crash. Saving
the scenario as a file is in :mod:`dashboard.scenario_save`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from model.catalogue import t
from model.errors import DataError, Problem, raise_if
from model.park import Park
from model.pipeline import ACTIVE
from model.scenario import Scenario

MIX_KEYS = ("lfp", "sodium_ion", "vanadium_flow", "gravity")
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


def shown(value: Any, lang: str) -> str:
    """A value the browser sent, written for a message: short, never a Python repr.

    ``None`` and blanks are "empty"; numbers as ``%g``; pairs as ``low–high``; text cut to
    24 characters with its control characters dropped.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return t("wi_empty", lang)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, list | tuple) and len(value) <= 2:
        return "–".join(shown(v, lang) for v in value)
    text = "".join(ch for ch in str(value) if ch.isprintable())
    return text if len(text) <= 24 else text[:24] + "…"


def lever_label(lever: str, lang: str, park: Park | None = None) -> str:
    """The name of a lever as the page shows it (``"growth"``, ``"mix.lfp"``, ``"delay.signed"``)."""
    head, _, sub = lever.partition(".")
    simple = {
        "growth": "ui_growth",
        "spread": "ui_spread",
        "util": "ui_util",
        "ramp": "ui_ramp_quarters",
        "shape": "ui_ramp_shape",
        "intensity": "ui_intensity",
        "included": "ui_group_projects",
        "base": "ui_base_scenario",
        "stage": "ui_chart_stage",
        "var": "ui_fan_variable",
    }
    if head in simple:
        return t(simple[head], lang)
    if head == "base_gwh":
        return t("ui_base_gwh", lang, unit="GWh/a" if lang == "en" else "吉瓦时/年")
    if head == "mix":
        return f"{t('tech_' + sub, lang)}（%）" if lang == "zh" else f"{t('tech_' + sub, lang)} (%)"
    if head in ("p_complete", "delay", "delay_sd"):
        status = park.status_params[sub].name(lang) if park and sub in park.status_params else sub
        what = {"p_complete": "ui_p_complete", "delay": "ui_delay", "delay_sd": "ui_delay_sd"}
        return (
            f"{status}·{t(what[head], lang)}"
            if lang == "zh"
            else f"{status}, {t(what[head], lang)}"
        )
    return lever


def refusal(kind: str, lever: str, value: Any, lang: str, park: Park | None = None) -> str:
    """One sentence that refuses ``value`` for ``lever``: out of range, not a number, ...

    Parameters
    ----------
    kind
        ``"range"`` (a number outside :data:`LIMITS`), ``"number"`` (not a number),
        ``"whole"``, ``"pair"``, or ``"choice:a,b"`` (not one of the choices).
    lever
        The lever, as :func:`lever_label` takes it; its range comes from :data:`LIMITS`.
    """
    label = lever_label(lever, lang, park)
    lo, hi = LIMITS.get(_limit_kind(lever), (math.nan, math.nan))
    text = shown(value, lang)
    if kind == "range":
        return t("wi_out_of_range", lang, label=label, value=text, lo=lo, hi=hi)
    if kind == "number":
        return t("wi_not_a_number", lang, label=label, value=text, lo=lo, hi=hi)
    if kind == "whole":
        return t("wi_not_whole", lang, label=label, value=text)
    if kind == "pair":
        return t("wi_not_pair", lang, label=label, value=text)
    if kind == "project":
        return t("wi_unknown_project", lang, label=label, value=text)
    keys = [k for k in kind.partition(":")[2].split(",") if k]
    prefix = {"shape": "ui_shape_", "intensity": "ui_intensity_"}.get(_limit_kind(lever))
    names = [t(prefix + k, lang) for k in keys] if prefix else keys
    options = ("、" if lang == "zh" else ", ").join(names)
    return t("wi_not_choice", lang, label=label, value=text, options=options)


def _limit_kind(lever: str) -> str:
    return lever.partition(".")[0]


def check_number(value: Any, lever: str, lang: str, park: Park | None = None) -> float:
    """``value`` as a float within the lever's :data:`LIMITS`, else ``ValueError(sentence)``.

    Nothing is clamped: 500 for a lever that goes to 300 is refused, not made 300.
    """
    if isinstance(value, bool):
        raise ValueError(refusal("number", lever, value, lang, park))
    try:
        x = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise ValueError(refusal("number", lever, value, lang, park)) from None
    lo, hi = LIMITS[_limit_kind(lever)]
    if not math.isfinite(x):
        raise ValueError(refusal("number", lever, value, lang, park))
    if not lo <= x <= hi:
        raise ValueError(refusal("range", lever, value, lang, park))
    return x


def _choice(
    value: Any,
    key: str,
    allowed: tuple[str, ...],
    changes: dict[str, Any],
    problems: list[Problem],
    lang: str,
    lever: str = "",
) -> None:
    """Set ``changes[key]`` to ``value`` if it is one of ``allowed``, else add a problem."""
    if isinstance(value, str) and value in allowed:
        changes[key] = value
    else:
        sentence = refusal("choice:" + ",".join(allowed), lever or key, value, lang)
        problems.append(Problem(t("ui_controls", lang), None, key, shown(value, lang), sentence))


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


def _number(
    value: Any, field: str, lever: str, problems: list[Problem], lang: str, park: Park | None = None
) -> float | None:
    """``value`` checked against the lever's range; a problem (one sentence) if it is not."""
    try:
        return check_number(value, lever, lang, park)
    except ValueError as exc:
        problems.append(Problem(t("ui_controls", lang), None, field, shown(value, lang), str(exc)))
        return None


def _pair(
    value: Any, field: str, lever: str, problems: list[Problem], lang: str
) -> tuple[float, float] | None:
    """A [low, high] control (range slider): both numbers checked, returned in order."""
    if not isinstance(value, Sequence) or isinstance(value, str) or len(value) != 2:
        sentence = refusal("pair", lever, value, lang)
        problems.append(Problem(t("ui_controls", lang), None, field, shown(value, lang), sentence))
        return None
    lo = _number(value[0], field, lever, problems, lang)
    hi = _number(value[1], field, lever, problems, lang)
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
        changes["rationale"] = ""  # the base's reasons are not the what-if's (a note may say)
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
        v = _number(mix.get(k), f"technology_mix.{k}", f"mix.{k}", problems, lang)
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
                        shown(values["ramp"], lang),
                        refusal("whole", "ramp", values["ramp"], lang),
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
        "shape",
    )
    status = {k: v.model_dump() for k, v in base.status.items()}
    p_values = values.get("p_complete") or {}
    d_values = values.get("delay") or {}
    sd_values = values.get("delay_sd") or {}
    for st in ACTIVE:
        p0, d0, sd0 = _effective_status(park, base, st)
        p = _number(
            p_values.get(st, 100 * p0),
            f"status.{st}.p_complete",
            f"p_complete.{st}",
            problems,
            lang,
            park,
        )
        d = _number(
            d_values.get(st, d0), f"status.{st}.delay_mean_q", f"delay.{st}", problems, lang, park
        )
        sd = _number(
            sd_values.get(st, sd0),
            f"status.{st}.delay_sd_q",
            f"delay_sd.{st}",
            problems,
            lang,
            park,
        )
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
            sentence = refusal("project", "included", pid, lang)
            problems.append(
                Problem(t("ui_controls", lang), None, "projects", shown(pid, lang), sentence)
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
        values.get("intensity", base.intensity),
        "intensity",
        INTENSITIES,
        changes,
        problems,
        lang,
        "intensity",
    )
    raise_if(problems)
    try:
        scenario = base.with_changes(**changes)
        raise_if(scenario.check_against(park))
    except DataError as exc:
        raise DataError([_in_words(p, lang) for p in exc.problems]) from None
    return scenario


#: a scenario field (dotted path) -> the lever that sets it
_FIELD_LEVERS = {
    "demand.growth": "growth",
    "demand.growth_spread": "spread",
    "demand.base_gwh": "base_gwh",
    "utilisation": "util",
    "ramp_up": "ramp",
    "intensity": "intensity",
    "projects": "included",
}


def _in_words(problem: Problem, lang: str) -> Problem:
    """A problem of the scenario's own validation, its message as a sentence about a lever."""
    fld = problem.field or ""
    if fld.startswith("technology_mix"):
        sentence = t("wi_mix_all_zero", lang)
    else:
        lever = next((v for k, v in _FIELD_LEVERS.items() if fld.startswith(k)), "")
        if fld.startswith("status."):
            lever = "p_complete." + fld.split(".")[1]
        label = lever_label(lever, lang) if lever else t("ui_controls", lang)
        sentence = t("wi_invalid_lever", lang, label=label)
    return Problem(problem.file, problem.row, problem.field, None, sentence)
