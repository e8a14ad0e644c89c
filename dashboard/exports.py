"""Downloads of the Export page: a tidy table of quarterly projections, and the formats it
can be written in.

:func:`tidy_rows` turns ``model.simulate.summarize`` results into one row per scenario,
stage, quarter and variable. :func:`export_formats` is the hook for more formats: each
:class:`ExportFormat` maps the scenarios' summaries to file bytes; CSV is built here, and
writers of ``model.export`` (XLSX, IAMC) can be offered by adding an entry.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import xarray as xr

from dashboard.i18n import norm_lang
from dashboard.state import AppState
from model.scenario import Scenario

#: summary variables exported, in this order
VARIABLES = ("nameplate", "effective_capacity", "output", "demand", "gap", "gap_cell_gwh_eq")
COLUMNS = (
    "scenario",
    "stage",
    "stage_name",
    "quarter",
    "variable",
    "unit",
    "p10",
    "p50",
    "p90",
    "mean",
)


def tidy_rows(
    summaries: Mapping[str, xr.Dataset], variables: Sequence[str] = VARIABLES, lang: str = "zh"
) -> Iterator[dict[str, object]]:
    """One record per scenario, stage, quarter and variable of the summaries.

    Parameters
    ----------
    summaries
        Scenario name -> ``summarize`` result.
    variables
        Stage variables to include.
    lang
        Language of ``stage_name``.

    Yields
    ------
    dict
        :data:`COLUMNS`; ``unit`` is the variable's unit for that stage (annual rate,
        e.g. ``"t / a"``); statistics are floats. Stages where a variable is undefined
        (no cell-equivalent for photovoltaic stages) are left out.
    """
    name_coord = "stage_name_zh" if norm_lang(lang) == "zh" else "stage_name_en"
    for scen, sm in summaries.items():
        stages = sm["stage"].values.tolist()
        names = sm[name_coord].values.tolist()
        stage_units = sm["unit"].values.tolist()
        qs = [str(q) for q in sm["quarter"].values]
        for var in variables:
            da = sm[var].transpose("stat", "quarter", "stage")
            values = {s: da.sel(stat=s).values for s in ("p10", "p50", "p90", "mean")}
            fixed_unit = da.attrs.get("units")
            for k, stage in enumerate(stages):
                unit = fixed_unit or stage_units[k]
                for i, q in enumerate(qs):
                    mean = float(values["mean"][i, k])
                    if math.isnan(mean):
                        continue
                    yield {
                        "scenario": scen,
                        "stage": stage,
                        "stage_name": names[k],
                        "quarter": q,
                        "variable": var,
                        "unit": unit,
                        "p10": float(values["p10"][i, k]),
                        "p50": float(values["p50"][i, k]),
                        "p90": float(values["p90"][i, k]),
                        "mean": mean,
                    }


def to_csv_bytes(summaries: Mapping[str, xr.Dataset], lang: str = "zh") -> bytes:
    """The tidy table as CSV, UTF-8 with a byte-order mark so that Excel shows Chinese."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in tidy_rows(summaries, lang=lang):
        writer.writerow({k: (repr(v) if isinstance(v, float) else v) for k, v in row.items()})
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


@dataclass(frozen=True)
class ExportFormat:
    """A download the Export page offers.

    Attributes
    ----------
    key
        Id of the format (``"csv"``).
    label_key
        Catalogue key of its label.
    extension
        File name extension without the dot.
    build
        ``build(state, scenarios, lang) -> bytes``: ``state`` is the app's
        :class:`~dashboard.state.AppState` (park, cached ``dataset``/``summary`` per
        scenario), ``scenarios`` the chosen validated scenarios.
    """

    key: str
    label_key: str
    extension: str
    build: Callable[[AppState, Sequence[Scenario], str], bytes]


def _csv(state: AppState, scenarios: Sequence[Scenario], lang: str) -> bytes:
    return to_csv_bytes({s.name: state.summary(s) for s in scenarios}, lang)


def export_formats() -> dict[str, ExportFormat]:
    """The formats offered, by key. Add writers of ``model.export`` here (XLSX, IAMC)."""
    formats = {"csv": ExportFormat("csv", "ui_format_csv", "csv", _csv)}
    return formats
