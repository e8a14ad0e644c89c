"""The tidy CSV: one row per scenario × stage × quarter × variable.

Columns :data:`TIDY_COLUMNS`: the stage, its name and chain, the quarter and its last day,
the variable with its ``unit`` (a pint string), and ``p10``, ``p50``, ``p90`` and ``mean``
over the draws. Written as UTF-8 with a byte-order mark so Excel shows Chinese.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

from model import quarters as q
from model.export.inert import inert_frame
from model.export.results import STATS, VARIABLES, summaries
from model.units import spell_unit, ureg

if TYPE_CHECKING:
    from model.park import Park

TIDY_COLUMNS = [
    "scenario",
    "stage",
    "stage_name",
    "chain",
    "quarter",
    "quarter_end",
    "variable",
    "unit",
    "p10",
    "p50",
    "p90",
    "mean",
]


def tidy_frame(
    park: Park,
    results: Mapping[str, xr.Dataset],
    quarters: str | tuple[int, int] | None = None,
    lang: str = "zh",
) -> pd.DataFrame:
    """One row per scenario × stage × quarter × variable (:data:`TIDY_COLUMNS`).

    ``unit`` is a pint string (``"GWh / a"``, :func:`model.units.spell_unit` for
    ``"pint"``): stage variables are annual rates in the
    stage's unit, ``gap_cell_gwh_eq`` is GWh a year of the stage's reference product
    (rows of stages without one are left out). Statistics are over the draws.
    """
    parts = []
    for name, summary in summaries(results, quarters).items():
        labels = [str(x) for x in summary["quarter"].values]
        ends = [q.end_date(q.parse_quarter(x)).isoformat() for x in labels]
        stages = [str(s) for s in summary["stage"].values]
        stage_units = [str(u) for u in summary["unit"].values]
        for var in VARIABLES:
            da = summary[var].transpose("stat", "quarter", "stage")
            vals = {s: da.sel(stat=s).values for s in STATS}  # (quarter, stage)
            unit = da.attrs.get("units")
            nq, ns = len(labels), len(stages)
            frame = pd.DataFrame(
                {
                    "scenario": name,
                    "stage": np.tile(stages, nq),
                    "stage_name": np.tile([park.stages[s].name(lang) for s in stages], nq),
                    "chain": np.tile([park.stages[s].chain for s in stages], nq),
                    "quarter": np.repeat(labels, ns),
                    "quarter_end": np.repeat(ends, ns),
                    "variable": var,
                    "unit": unit if unit else np.tile(stage_units, nq),
                    **{s: vals[s].reshape(-1) for s in STATS},
                }
            )
            parts.append(frame[~frame[list(STATS)].isna().all(axis=1)])
    df = pd.concat(parts, ignore_index=True)
    spelled = {u: spell_unit(u, "pint") for u in df["unit"].unique()}  # the CSV's spelling
    df["unit"] = df["unit"].map(spelled)
    for unit in spelled.values():
        ureg.parse_units(unit)  # every unit written must read back with pint
    return df[TIDY_COLUMNS]


def csv_bytes(
    park: Park,
    results: Mapping[str, xr.Dataset],
    quarters: str | tuple[int, int] | None = None,
    lang: str = "zh",
) -> bytes:
    """The tidy CSV (:func:`tidy_frame`) as UTF-8 with a byte-order mark.

    Text that a spreadsheet would run as a formula is escaped with a leading apostrophe
    (:func:`model.export.inert.inert_frame`); numbers are written as numbers.
    """
    df = inert_frame(tidy_frame(park, results, quarters, lang))
    return df.to_csv(index=False, lineterminator="\n", float_format="%.10g").encode("utf-8-sig")
