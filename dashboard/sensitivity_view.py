"""What the sensitivity page (敏感性) shows: pure builders from Sobol indices to figure and text.

The indices come from :func:`model.sensitivity.sobol_indices` as a JSON-able dict
``{"scenario", "quarter", "n", "runs", "stages": [{"stage", "variable", "unit", "factors":
[{"factor", "S1", "S1_conf", "ST", "ST_conf"}]}], "constant", "absent"}`` (``variable`` is
``"gap"``, the supply-chain gap, or ``"market_gap"``; an entry without one is read as the
supply-chain gap). The page
keeps that dict in a ``dcc.Store``, so it comes back from the browser: :func:`parse_result`
checks it before anything is drawn.

Nothing here reads files, touches Dash or keeps state.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from dashboard.figures import FONT, TEMPLATE
from dashboard.guards import Rejected
from dashboard.i18n import norm_lang
from model.catalogue import t

#: the gaps the page can explain: the supply-chain gap and the market gap
VARIABLES = ("gap", "market_gap")
#: the sample sizes offered (base samples N; the model runs N × (factors + 2) times): about
#: 3, 10, 20 and 40 seconds for baseline on two cores; 2,048 is the command line's default
N_CHOICES = (256, 1024, 2048, 4096)
#: the sample size chosen when the page opens
DEFAULT_N = 1024
#: factors named in the sentence after the top driver
MORE_FACTORS = 2
#: a total index below this is not named in the sentence as a further driver
NAMED_MIN = 0.05
#: factors whose total index is below this are left out of the chart (and counted)
DRAWN_MIN = 0.01
#: ... but at least this many factors are drawn
DRAWN_AT_LEAST = 3
#: factor names longer than this (characters) are broken over lines, so the bars keep room
#: on a phone
LABEL_WIDTH = 16
#: the same for the chart's title
TITLE_WIDTH = 44
#: colours of the two indices
S1_COLOUR = "#9ecae1"
ST_COLOUR = "#15385c"
#: catalogue keys of the refusals
BAD_QUARTER = "sp_bad_quarter"
NOT_A_QUARTER = "sp_bad_quarter_text"
BAD_N = "sp_bad_n"
BAD_RESULT = "sp_bad_result"
_QUARTER_RE = re.compile(r"\d{4}Q[1-4]")
_INDEX_KEYS = ("S1", "S1_conf", "ST", "ST_conf")


# ---------------------------------------------------------------------------
# what comes back from the browser
# ---------------------------------------------------------------------------
def check_quarter(value: Any, labels: Sequence[str]) -> str:
    """``value`` if it is one of the scenario's quarter ``labels``, else raise.

    Parameters
    ----------
    value
        What the browser sent.
    labels
        The scenario's quarters (``"2030Q4"``), in order.

    Raises
    ------
    Rejected
        Not one of ``labels``: the message names the quarter (only when it looks like a
        quarter, so nothing else sent comes back) and the horizon's first and last quarter.
    """
    if isinstance(value, str) and value in labels:
        return value
    first, last = (labels[0], labels[-1]) if labels else ("–", "–")
    if isinstance(value, str) and _QUARTER_RE.fullmatch(value):
        raise Rejected(BAD_QUARTER, value=value, first=first, last=last)
    raise Rejected(NOT_A_QUARTER, first=first, last=last)


def check_n(value: Any) -> int:
    """``value`` if it is one of :data:`N_CHOICES` (an int), else raise ``Rejected``."""
    if isinstance(value, int) and not isinstance(value, bool) and value in N_CHOICES:
        return value
    raise Rejected(BAD_N, allowed=", ".join(str(n) for n in N_CHOICES))


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Rejected(BAD_RESULT)
    return float(value)


def parse_result(data: Any) -> dict[str, Any]:
    """The indices kept in the page's store, checked and rebuilt from plain values.

    Parameters
    ----------
    data
        What the store sent back: the dict of :func:`model.sensitivity.sobol_indices`.

    Returns
    -------
    dict
        ``{"scenario", "quarter", "n", "runs", "stages": [{"stage", "variable", "unit",
        "factors": [{"factor", "S1", "S1_conf", "ST", "ST_conf"}]}], "constant",
        "absent"}`` with numbers as floats (NaN kept); ``constant`` lists the
        ``"stage:variable"`` gaps that no input moves, ``absent`` the factors without a
        range in the scenario; nothing else copied.

    Raises
    ------
    Rejected
        Anything of another shape ("press run again").
    """
    if not isinstance(data, Mapping) or not isinstance(data.get("stages"), list):
        raise Rejected(BAD_RESULT)
    stages = []
    for entry in data["stages"]:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("factors"), list):
            raise Rejected(BAD_RESULT)
        stage, variable = entry.get("stage"), entry.get("variable", "gap")
        if not isinstance(stage, str) or variable not in VARIABLES:
            raise Rejected(BAD_RESULT)
        factors = []
        for f in entry["factors"]:
            if not isinstance(f, Mapping) or not isinstance(f.get("factor"), str):
                raise Rejected(BAD_RESULT)
            factors.append(
                {"factor": f["factor"], **{k: _number(f.get(k, math.nan)) for k in _INDEX_KEYS}}
            )
        unit = entry.get("unit")
        stages.append(
            {
                "stage": stage,
                "variable": variable,
                "unit": unit if isinstance(unit, str) else "",
                "factors": factors,
            }
        )
    lists = {}
    for key in ("constant", "absent"):
        items = data.get(key, [])
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise Rejected(BAD_RESULT)
        lists[key] = list(items)
    n, runs = data.get("n"), data.get("runs")
    return {
        "scenario": str(data.get("scenario", "")),
        "quarter": str(data.get("quarter", "")),
        "n": n if isinstance(n, int) and not isinstance(n, bool) else None,
        "runs": runs if isinstance(runs, int) and not isinstance(runs, bool) else None,
        "stages": stages,
        **lists,
    }


# ---------------------------------------------------------------------------
# choosing and ordering
# ---------------------------------------------------------------------------
def stage_entry(result: Mapping[str, Any], stage: str, variable: str) -> dict[str, Any] | None:
    """The entry of ``stage`` and ``variable`` (``"gap"`` or ``"market_gap"``), or ``None``."""
    for entry in result.get("stages", []):
        if entry["stage"] == stage and entry.get("variable", "gap") == variable:
            return entry
    return None


def _st(f: Mapping[str, Any]) -> float:
    value = f.get("ST", math.nan)
    return -math.inf if value is None or value != value else float(value)


def by_total(factors: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The factors, largest total index ST first (NaN last; ties keep their order)."""
    return sorted(factors, key=_st, reverse=True)


def drawn_factors(entry: Mapping[str, Any]) -> tuple[list[Mapping[str, Any]], int]:
    """The factors the chart draws (largest ST first) and how many it leaves out.

    Drawn: those with a total index of at least :data:`DRAWN_MIN`, and never fewer than
    :data:`DRAWN_AT_LEAST` (or all there are); the others explain less than 1 % each.
    """
    ranked = by_total(entry.get("factors", []))
    keep = max(DRAWN_AT_LEAST, sum(1 for f in ranked if _st(f) >= DRAWN_MIN))
    return ranked[:keep], max(0, len(ranked) - keep)


def has_spread(entry: Mapping[str, Any]) -> bool:
    """Whether any factor has a total index above zero (a gap that varies between runs)."""
    return any(_st(f) > 0 for f in entry.get("factors", []))


def label_of(labels: Mapping[str, str], factor: str) -> str:
    """The name of ``factor`` from ``labels`` (factor id -> name in the page's language).

    The page makes ``labels`` with :func:`model.sensitivity.factor_label`; an id without a
    name is shown as it is.
    """
    return labels.get(factor, factor)


def is_constant(result: Mapping[str, Any], stage: str, variable: str) -> bool:
    """Whether the analysis found ``stage``'s ``variable`` the same in every run."""
    return f"{stage}:{variable}" in result.get("constant", [])


def variable_label(variable: str, lang: str, in_sentence: bool = False) -> str:
    """``"供应链缺口"`` / ``"Supply-chain gap"`` (``"supply-chain gap"`` in a sentence)."""
    return t(f"sp_var_{variable}{'_in' if in_sentence else ''}", lang)


def variable_options(lang: str) -> list[dict[str, str]]:
    """The radio options of the gap to explain."""
    return [{"label": variable_label(v, lang), "value": v} for v in VARIABLES]


def n_options() -> list[dict[str, Any]]:
    """The sample sizes offered, with thousands separators (the same in both languages)."""
    return [{"label": f"{n:,}", "value": n} for n in N_CHOICES]


def index_text(value: float) -> str:
    """An index as the page writes it: two decimals, ``"–"`` for NaN."""
    return "–" if value != value else f"{value:.2f}"


# ---------------------------------------------------------------------------
# figure and sentence
# ---------------------------------------------------------------------------
def indices_figure(
    entry: Mapping[str, Any],
    labels: Mapping[str, str],
    stage_name: str,
    quarter: str,
    variable: str,
    lang: str = "zh",
) -> go.Figure:
    """Horizontal bars of S1 and ST per factor with their 95 % intervals, sorted by ST.

    Parameters
    ----------
    entry
        One stage entry of the indices (see :func:`parse_result`).
    labels
        Factor id -> its name in ``lang``.
    stage_name
        The stage's name in ``lang``.
    quarter
        The quarter analysed (``"2030Q4"``).
    variable
        ``"gap"`` or ``"market_gap"`` (for the title).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    plotly.graph_objects.Figure
        Two bar traces (S1, then ST) over the factors of :func:`drawn_factors` (those
        that explain at least 1 %), the largest ST at the top; the
        error bars (``error_x.array``) are the confidence half-widths ``S1_conf`` /
        ``ST_conf``; indices are unitless (0–1).
    """
    lang = norm_lang(lang)
    factors = drawn_factors(entry)[0][::-1]  # plotly draws the first at the bottom
    names = [wrap(label_of(labels, f["factor"]), LABEL_WIDTH) for f in factors]
    traces = []
    for key, colour in (("S1", S1_COLOUR), ("ST", ST_COLOUR)):
        name = t(f"sp_{key.lower()}", lang)
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": name,
                "y": names,
                "x": [f[key] for f in factors],
                "error_x": {
                    "type": "data",
                    "array": [f[f"{key}_conf"] for f in factors],
                    "visible": True,
                    "color": "#555",
                    "thickness": 1.2,
                },
                "customdata": [f[f"{key}_conf"] for f in factors],
                "marker": {"color": colour},
                "hovertemplate": "%{y}<br>"
                + name
                + ": %{x:.2f} ± %{customdata:.2f}<extra></extra>",
            }
        )
    title = wrap(
        t(
            "sp_fig_title",
            lang,
            quarter=quarter,
            stage=stage_name,
            variable=variable_label(variable, lang, in_sentence=True),
        ),
        TITLE_WIDTH,
        brackets=False,
    )
    layout = {
        "template": TEMPLATE,
        "title": {"text": title, "font": {"size": 14}, "x": 0.01, "xanchor": "left"},
        "font": {"family": FONT, "size": 12},
        "barmode": "group",
        "bargap": 0.25,
        "height": max(320, 46 * len(factors) + 170),
        "margin": {"l": 20, "r": 20, "t": 50 + 18 * title.count("<br>"), "b": 100},
        "xaxis": {
            "title": {"text": t("sp_axis", lang)},
            "range": [0, 1.05],
            "gridcolor": "#e5e5e5",
            "zeroline": True,
            "automargin": True,
        },
        "yaxis": {"automargin": True, "type": "category"},
        # a vertical mode bar on the right never covers the title on a phone
        "modebar": {"orientation": "v"},
        "legend": {
            "orientation": "h",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "x": 0.01,
            "xanchor": "left",
            "traceorder": "reversed",
        },
    }
    return go.Figure(data=traces, layout=layout)


def wrap(text: str, width: int, brackets: bool = True) -> str:
    """``text`` in lines of about ``width`` characters joined by ``<br>`` (plotly's break).

    With ``brackets``, a name with a bracketed part breaks before the bracket (``单耗<br>
    （锂电）``, ``Input intensities<br>(Lithium)``); other long text at spaces (Chinese
    text without spaces stays whole). Short text unchanged.
    """
    if len(text) <= width:
        return text
    if brackets:
        for mark in ("（", " ("):
            head, found, tail = text.partition(mark)
            if found and head:
                return head + "<br>" + found.strip() + tail
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _join(items: Sequence[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return t("sp_list_sep", lang).join(items[:-1]) + t("sp_list_last", lang) + items[-1]


def driver_sentence(
    entry: Mapping[str, Any],
    labels: Mapping[str, str],
    stage_name: str,
    quarter: str,
    variable: str,
    lang: str = "zh",
) -> str:
    """One sentence naming the top driver of a stage's gap and the next ones.

    "2030Q4 隔膜供应链缺口的主要驱动因素是储能需求增速（总效应 0.62），其次是…" /
    "The supply-chain gap of separator in 2030Q4 is driven mostly by storage demand growth
    (total index 0.62), then …". Further factors are named (at most :data:`MORE_FACTORS`)
    when their total index is at least :data:`NAMED_MIN`. A gap that does not vary gets a
    sentence saying so.

    Parameters
    ----------
    entry
        One stage entry of the indices.
    labels, stage_name, quarter, variable, lang
        As for :func:`indices_figure`.
    """
    lang = norm_lang(lang)
    fmt = {
        "quarter": quarter,
        "stage": stage_name,
        "variable": variable_label(variable, lang, in_sentence=True),
    }
    if not has_spread(entry):
        return t("sp_no_spread", lang, **fmt)
    ranked = by_total(entry["factors"])
    top, rest = ranked[0], ranked[1 : 1 + MORE_FACTORS]
    named = [
        t("sp_rest_item", lang, factor=label_of(labels, f["factor"]), st=index_text(f["ST"]))
        for f in rest
        if _st(f) >= NAMED_MIN
    ]
    head = {**fmt, "factor": label_of(labels, top["factor"]), "st": index_text(top["ST"])}
    if not named:
        return t("sp_sentence_one", lang, **head)
    return t("sp_sentence_more", lang, **head, rest=_join(named, lang))
