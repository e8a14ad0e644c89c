"""Writing projections to files: tidy CSV, an Excel workbook, NetCDF and IAMC.

Every format is first built in memory by a pure function that returns bytes
(:func:`export_bytes`, used by the dashboard's Export page as well as the CLI), then
written through a temporary file in the target folder and a rename (:func:`write_export`),
so a failure leaves no partial file and never damages an existing one.

Formats
-------
``csv``
    Tidy: one row per scenario × stage × quarter × variable with ``unit``, ``p10``,
    ``p50``, ``p90`` and ``mean``; UTF-8 with a byte-order mark so Excel shows Chinese.
``xlsx``
    A cover sheet (scenarios, data as-of date, seed, draws, sources, creation time), one
    sheet per scenario with a block per stage (units in the headers, numbers as numbers),
    and a gaps sheet; headers in Chinese or English.
``netcdf``
    The full Dataset (every draw), or its summaries with ``summary=True``, with a
    ``scenario`` dimension; units in the ``unit`` coordinate (stage variables) and in
    ``attrs["units"]``; read with ``xarray.open_dataset(path, engine="h5netcdf")``.
``iamc``
    Wide IAMC CSV (``model, scenario, region, variable, unit, <periods>``) of the mean over
    draws, periods written as the quarter's last day (pyam's datetime time domain). Each
    variable is a *stock* or a *flow* (:data:`IAMC_VARIABLES`); :func:`yearly` aggregates
    quarters to years respecting that.
"""

from __future__ import annotations

import io
import logging
import math
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from model import quarters as q
from model.catalogue import t
from model.datafiles import atomic_write_bytes, file_mode
from model.errors import DataError, Problem
from model.units import Q_, ureg

if TYPE_CHECKING:
    from model.park import Park
    from model.scenario import Scenario

logger = logging.getLogger(__name__)

FORMATS = ("csv", "xlsx", "netcdf", "iamc")
#: file-name ending of each format
SUFFIX = {"csv": ".csv", "xlsx": ".xlsx", "netcdf": ".nc", "iamc": "-iamc.csv"}
#: the stage variables of the tidy CSV and the workbook, in this order
VARIABLES = ("nameplate", "effective_capacity", "output", "demand", "gap", "gap_cell_gwh_eq")
STATS = ("p10", "p50", "p90", "mean")
#: per-scenario Dataset attributes that become ``scenario`` coordinates when combining
SCENARIO_ATTRS = (
    "scenario_title_zh",
    "scenario_title_en",
    "scenario_hash",
    "scenario_json",
    "seed",
    "draws",
    "deterministic",
    "as_of",
    "start_quarter",
    "horizon",
    "created",
)

# ---------------------------------------------------------------------------
# IAMC naming
# ---------------------------------------------------------------------------
IAMC_MODEL = "parkcap"
IAMC_REGION = "Xining ETDZ"
IAMC_INDEX = ["model", "scenario", "region", "variable", "unit"]
#: stage id -> IAMC variable path below the quantity (``Capacity|Cells|LFP``). Siblings
#: share a unit, so a parent (``Capacity|Cells``) can be their sum.
IAMC_PATHS: dict[str, str] = {
    "lithium_carbonate": "Lithium Carbonate",
    "lfp_cathode": "Cathode|LFP",
    "anode_graphite": "Anode|Graphite",
    "separator": "Separator",
    "electrolyte": "Electrolyte",
    "copper_foil": "Copper Foil",
    "aluminium_foil": "Aluminium Foil",
    "cell_casing": "Cell Casings",
    "lfp_cell": "Cells|LFP",
    "sodium_carbonate": "Sodium Carbonate",
    "na_cathode": "Cathode|Sodium-ion",
    "hard_carbon": "Anode|Hard Carbon",
    "na_cell": "Cells|Sodium-ion",
    "vanadium_pentoxide": "Vanadium Pentoxide",
    "ion_exchange_membrane": "Ion Exchange Membrane",
    "vrfb_system": "Storage Systems|Vanadium Flow",
    "gravity_block": "Gravity Blocks",
    "gravity_storage": "Storage Systems|Gravity",
    "storage_cabinet": "Storage Systems|Cabinets",
    "pcs": "Power Conversion Systems",
    "ems": "Energy Management Systems",
    "thermal_management": "Thermal Management Systems",
    "polysilicon": "Polysilicon",
    "mono_silicon": "Monocrystalline Silicon",
    "cc_thermal_field": "Carbon-Carbon Thermal Fields",
    "carbon_fibre": "Carbon Fibre",
}
#: IAMC quantity -> (Dataset variable, kind). A *stock* holds at the end of the quarter and
#: is never summed over time (its unit is the stage unit per year: a capacity is a rate);
#: a *flow* is the amount over the quarter: annual rate × one calendar quarter.
IAMC_VARIABLES: dict[str, tuple[str, str]] = {
    "Capacity": ("nameplate", "stock"),
    "Production": ("output", "flow"),
    "Demand": ("demand", "flow"),
}
#: how a stage unit is spelled in the IAMC unit column (a pint string either way)
_IAMC_UNIT_SPELLING = {"m**2": "m^2", "m ** 2": "m^2"}


def iamc_path(stage_id: str, name_en: str = "") -> str:
    """The IAMC variable path of a stage (:data:`IAMC_PATHS`; else its English name)."""
    if stage_id in IAMC_PATHS:
        return IAMC_PATHS[stage_id]
    logger.warning("stage %s has no IAMC path in IAMC_PATHS; using its English name", stage_id)
    return (name_en or stage_id).replace("|", "/")


def iamc_unit(stage_unit: str, kind: str) -> str:
    """The IAMC unit string of a stage's stock (``"GWh/yr"``) or flow (``"GWh"``).

    Both are pint strings (``ureg.parse_units`` reads them; note that
    :func:`model.units.parse_unit` would drop a trailing ``/yr``, as data files write
    annual capacities that way).
    """
    base = _IAMC_UNIT_SPELLING.get(stage_unit, stage_unit)
    return f"{base}/yr" if kind == "stock" else base


def variable_kind(variable: str) -> str:
    """``"stock"`` or ``"flow"`` of an IAMC variable, from its first path component."""
    head = variable.split("|", 1)[0]
    if head not in IAMC_VARIABLES:
        raise ValueError(
            f"unknown IAMC variable {variable!r}; expected one starting with "
            + ", ".join(f"'{k}|'" for k in IAMC_VARIABLES)
        )
    return IAMC_VARIABLES[head][1]


# ---------------------------------------------------------------------------
# running, selecting and combining
# ---------------------------------------------------------------------------
def run_scenarios(
    park: Park,
    scenarios: Sequence[Scenario],
    draws: int | None = None,
    seed: int | None = None,
    as_of: date | None = None,
    known_as_of: date | None = None,
    on_done: Callable[[str], object] | None = None,
) -> dict[str, xr.Dataset]:
    """Simulate each scenario (name -> Dataset), with the same draws for all.

    ``draws`` defaults to the first scenario's, so that every Dataset has the same draws
    and they combine along ``scenario``; ``seed`` defaults to each scenario's. The
    ``known_as_of`` date is kept in each Dataset's attributes.
    """
    from model.simulate import simulate

    n = draws if draws is not None else (scenarios[0].draws if scenarios else None)
    out = {}
    for sc in scenarios:
        ds = simulate(park, sc, draws=n, seed=seed, as_of=as_of, known_as_of=known_as_of)
        ds.attrs["known_as_of"] = known_as_of.isoformat() if known_as_of else ""
        out[sc.name] = ds
        if on_done is not None:
            on_done(sc.name)
    return out


def parse_quarters(
    spec: str | tuple[int, int] | None, argument: str = "--quarters"
) -> tuple[int, int] | None:
    """``"2024Q3:2030Q4"`` (or a pair of quarter indices, or ``None``) -> (start, end).

    Raises :class:`~model.errors.DataError` naming ``argument`` on a bad range.
    """
    if spec is None or isinstance(spec, tuple):
        return spec
    try:
        return q.parse_range(spec)
    except q.QuarterError as exc:
        raise DataError([Problem("command line", None, argument, spec, str(exc))]) from None


def select_quarters(ds: xr.Dataset, spec: str | tuple[int, int] | None) -> xr.Dataset:
    """The quarters of ``ds`` inside ``spec`` (all of them for ``None``).

    Raises :class:`~model.errors.DataError` if no quarter of the projection is inside.
    """
    rng = parse_quarters(spec)
    if rng is None:
        return ds
    labels = [str(x) for x in ds["quarter"].values]
    keep = [lab for lab in labels if rng[0] <= q.parse_quarter(lab) <= rng[1]]
    if not keep:
        text = spec if isinstance(spec, str) else f"{q.label(rng[0])}:{q.label(rng[1])}"
        raise DataError(
            [
                Problem(
                    "command line",
                    None,
                    "--quarters",
                    text,
                    f"no quarter of the projection ({labels[0]} to {labels[-1]}) lies in "
                    "the range; expected a range that overlaps it",
                )
            ]
        )
    return ds.sel(quarter=keep)


def _summaries(
    results: Mapping[str, xr.Dataset], spec: str | tuple[int, int] | None
) -> dict[str, xr.Dataset]:
    from model.simulate import summarize

    out = {}
    for name, ds in results.items():
        ds = select_quarters(ds, spec)
        out[name] = ds if "stat" in ds.dims else summarize(ds)
    return out


def combine(results: Mapping[str, xr.Dataset]) -> xr.Dataset:
    """Scenario Datasets (full or summaries) as one Dataset with a ``scenario`` dimension.

    Projects are the union over scenarios (a project a scenario lacks has NaN values);
    quarters too (NaN outside a scenario's horizon). Attributes that differ per scenario
    (seed, draws, hash, ...) become ``scenario`` coordinates; the rest stay attributes.
    """
    names = list(results)
    if not names:
        msg = "no results to combine"
        raise ValueError(msg)
    datasets = list(results.values())
    project_stage: dict[str, str] = {}
    for ds in datasets:
        if "project" in ds.dims:
            for pid, st in zip(
                ds["project"].values.tolist(), ds["project_stage"].values.tolist(), strict=True
            ):
                project_stage.setdefault(str(pid), str(st))
    prepared = []
    for ds in datasets:
        ds = ds.drop_attrs(deep=False)
        if "project" in ds.dims:
            ds = ds.drop_vars("project_stage").reindex(project=list(project_stage))
        prepared.append(ds.drop_vars("quarter_end", errors="ignore"))
    combined = xr.concat(
        prepared,
        dim=pd.Index(names, name="scenario"),
        join="outer",
        coords="minimal",
        compat="override",
        combine_attrs="override",  # variables keep their attrs (units); the dataset's are reset
        data_vars="all",
    )
    combined.attrs = {}
    labels = [str(x) for x in combined["quarter"].values]
    combined = combined.assign_coords(
        quarter_end=(
            "quarter",
            np.array([q.end_date(q.parse_quarter(x)) for x in labels], dtype="datetime64[ns]"),
        )
    )
    if project_stage:
        combined = combined.assign_coords(project_stage=("project", list(project_stage.values())))
    first = datasets[0].attrs
    per = {}
    for key in SCENARIO_ATTRS:
        if all(key in ds.attrs for ds in datasets):
            per[key] = ("scenario", [ds.attrs[key] for ds in datasets])
    combined = combined.assign_coords(per)
    combined.attrs.update(
        {
            k: v
            for k, v in first.items()
            if k not in SCENARIO_ATTRS and k not in ("scenario", "title")
        }
    )
    combined.attrs["title"] = "parkcap projection: " + ", ".join(names)
    combined.attrs["scenarios"] = ", ".join(names)
    combined.attrs["units_note"] = (
        "stage variables: unit per stage in the 'unit' coordinate (annual rates); "
        "other variables: attrs['units']"
    )
    return combined


def _meta(results: Mapping[str, xr.Dataset]) -> dict[str, Any]:
    first = next(iter(results.values())).attrs
    return {
        "as_of": first.get("as_of", ""),
        "known_as_of": first.get("known_as_of", ""),
        "data_version": first.get("data_version", ""),
        "seeds": sorted({int(ds.attrs.get("seed", 0)) for ds in results.values()}),
        "draws": sorted({int(ds.attrs.get("draws", 0)) for ds in results.values()}),
    }


def _f(x: float) -> float | None:
    """A float for a file: ``None`` for NaN and infinities."""
    x = float(x)
    return x if math.isfinite(x) else None


# ---------------------------------------------------------------------------
# csv
# ---------------------------------------------------------------------------
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

    ``unit`` is a pint string (``"GWh / a"``): stage variables are annual rates in the
    stage's unit, ``gap_cell_gwh_eq`` is GWh a year of the stage's reference product
    (rows of stages without one are left out). Statistics are over the draws.
    """
    parts = []
    for name, summary in _summaries(results, quarters).items():
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
    for unit in df["unit"].unique():
        ureg.parse_units(unit)  # every unit written must read back with pint
    return df[TIDY_COLUMNS]


def csv_bytes(
    park: Park,
    results: Mapping[str, xr.Dataset],
    quarters: str | tuple[int, int] | None = None,
    lang: str = "zh",
) -> bytes:
    """The tidy CSV (:func:`tidy_frame`) as UTF-8 with a byte-order mark."""
    df = tidy_frame(park, results, quarters, lang)
    return df.to_csv(index=False, lineterminator="\n", float_format="%.10g").encode("utf-8-sig")


# ---------------------------------------------------------------------------
# xlsx
# ---------------------------------------------------------------------------
def _unit_label(unit: str) -> str:
    """``"m ** 2 / a"`` -> ``"m²/a"`` for a header."""
    return (
        str(unit).replace(" ** 2", "²").replace("**2", "²").replace(" ** 3", "³").replace(" ", "")
    )


def _sources_cited(park: Park, as_of: date | None) -> list[str]:
    ids: list[str] = []
    records = park.capacity_as_of(as_of) if as_of else {}
    for rec in records.values():
        ids.append(rec.source)
    ids += [p.source for p in park.projects if p.source]
    ids += [rl.source for rl in park.recipes if rl.source]
    seen = []
    for i in ids:
        if i in park.sources and i not in seen:
            seen.append(i)
    return seen


def xlsx_bytes(
    park: Park,
    results: Mapping[str, xr.Dataset],
    scenarios: Sequence[Scenario] = (),
    quarters: str | tuple[int, int] | None = None,
    lang: str = "zh",
) -> bytes:
    """The workbook: cover, one sheet per scenario, and the gaps of the last quarter.

    Scenario sheets hold one block per stage: a title row (stage, chain, unit) and a
    table of quarters with P10/P50/P90 of nameplate capacity and the means of effective
    capacity, output, demand and gap, each header naming its unit.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from model.gaps import gap_table

    summaries = _summaries(results, quarters)
    by_name = {s.name: s for s in scenarios}
    meta = _meta(results)
    bold = Font(bold=True)
    wb = Workbook()
    cover = wb.active
    cover.title = t("cover_sheet", lang)
    first = next(iter(summaries.values()))
    labels = [str(x) for x in first["quarter"].values]
    cover.append([t("export_title", lang)])
    cover["A1"].font = Font(bold=True, size=14)
    cover.append([])
    titles = [f"{n} ({by_name[n].title(lang)})" if n in by_name else n for n in summaries]
    as_of = date.fromisoformat(meta["as_of"]) if meta["as_of"] else None
    rows: list[list[Any]] = [
        [t("scenarios", lang), "; ".join(titles)],
        [t("data_as_of", lang), meta["as_of"]],
        [t("known_as_of", lang), meta["known_as_of"] or "—"],
        [t("data_version", lang), meta["data_version"]],
        [t("seed", lang), ", ".join(str(s) for s in meta["seeds"])],
        [t("draws", lang), ", ".join(str(d) for d in meta["draws"])],
        [t("quarters", lang), f"{labels[0]} – {labels[-1]}"],
        [t("created", lang), datetime.now(UTC).isoformat(timespec="seconds")],
        [t("units_note", lang), ""],
    ]
    for r in rows:
        cover.append(r)
        cover.cell(cover.max_row, 1).font = bold
    cover.append([])
    cover.append([t("sources", lang)])
    cover.cell(cover.max_row, 1).font = bold
    for sid in _sources_cited(park, as_of):
        src = park.sources[sid]
        cover.append([sid, src.title, src.citation])
    cover.column_dimensions["A"].width = 28
    cover.column_dimensions["B"].width = 60
    cover.column_dimensions["C"].width = 60

    for name, summary in summaries.items():
        ws = wb.create_sheet(title=name[:31])
        _scenario_sheet(ws, park, summary, lang, bold)
        ws.column_dimensions["A"].width = 12
        ws.column_dimensions["B"].width = 12
        for col in range(3, 14):
            ws.column_dimensions[get_column_letter(col)].width = 22

    ws = wb.create_sheet(title=t("gaps_sheet", lang))
    header = [
        t("scenario", lang),
        t("quarter", lang),
        t("stage", lang),
        t("stage", lang) + " id",
        t("status", lang),
        t("unit", lang),
        f"{t('supply', lang)} [{t('unit', lang)}]",
        f"{t('demand', lang)} [{t('unit', lang)}]",
        f"{t('gap', lang)} [{t('unit', lang)}]",
        f"{t('gap_cell_eq', lang)}",
        f"{t('p_short', lang)} [1]",
        f"{t('to_close', lang)} [{t('unit', lang)}]",
    ]
    ws.append(header)
    for c in ws[1]:
        c.font = bold
    for name in summaries:
        full = select_quarters(results[name], quarters)
        last = str(full["quarter"].values[-1])
        if "draw" not in full.dims:
            continue  # gaps need the draws; a summary-only input has none
        for r in gap_table(park, full, last, scenario=by_name.get(name), lang=lang):
            ws.append(
                [
                    name,
                    last,
                    r["name"],
                    r["stage"],
                    t(f"status_{r['status']}", lang),
                    _unit_label(f"{r['unit']} / a"),
                    _f(r["supply"]),
                    _f(r["demand"]),
                    _f(r["gap"]),
                    None if r["gap_cell_gwh_eq"] is None else _f(r["gap_cell_gwh_eq"]),
                    _f(r["p_short"]),
                    _f(r["to_close"]),
                ]
            )
    for col in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 18
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _scenario_sheet(ws: Any, park: Park, summary: xr.Dataset, lang: str, bold: Any) -> None:
    """One block per stage: a title row, a header row naming units, one row per quarter."""
    labels = [str(x) for x in summary["quarter"].values]
    ends = [q.end_date(q.parse_quarter(x)) for x in labels]
    stats = [str(s) for s in summary["stat"].values]
    arrays = {
        var: summary[var].transpose("stat", "quarter", "stage").values
        for var in ("nameplate", "effective_capacity", "output", "demand", "gap", "gap_cell_gwh_eq")
    }
    p_short_all = summary["p_short"].transpose("quarter", "stage").values
    row = 1
    ws.cell(row, 1, summary.attrs.get("scenario", "")).font = bold
    ws.cell(row, 2, t("units_note", lang))
    for j, (sid, unit) in enumerate(
        zip(summary["stage"].values.tolist(), summary["unit"].values.tolist(), strict=True)
    ):
        stage = park.stages[sid]
        u = _unit_label(unit)
        row += 2
        for col, value in enumerate([stage.name(lang), sid, stage.chain, u], start=1):
            ws.cell(row, col, value)
        ws.cell(row, 1).font = bold
        cols: list[tuple[str, str, str]] = [
            ("nameplate", "p10", u),
            ("nameplate", "p50", u),
            ("nameplate", "p90", u),
            ("effective_capacity", "mean", u),
            ("output", "mean", u),
            ("demand", "mean", u),
            ("gap", "p50", u),
            ("gap", "mean", u),
        ]
        if np.isfinite(arrays["gap_cell_gwh_eq"][:, :, j]).any():
            cols.append(("gap_cell_gwh_eq", "mean", "GWh/a"))
        header = [t("quarter", lang), t("quarter_end", lang)] + [
            f"{t('var_' + var, lang)} {stat.upper() if stat != 'mean' else t('mean', lang)} [{unit}]"
            for var, stat, unit in cols
        ]
        header.append(f"{t('p_short', lang)} [1]")
        row += 1
        for col, value in enumerate(header, start=1):
            ws.cell(row, col, value).font = bold
        series = [arrays[var][stats.index(stat), :, j] for var, stat, _ in cols]
        series.append(p_short_all[:, j])
        for k, lab in enumerate(labels):
            row += 1
            ws.cell(row, 1, lab)
            ws.cell(row, 2, ends[k]).number_format = "yyyy-mm-dd"
            for col, values in enumerate(series, start=3):
                ws.cell(row, col, _f(values[k])).number_format = "#,##0.###"


# ---------------------------------------------------------------------------
# netcdf
# ---------------------------------------------------------------------------
def netcdf_dataset(
    results: Mapping[str, xr.Dataset],
    quarters: str | tuple[int, int] | None = None,
    summary: bool = False,
) -> xr.Dataset:
    """The Dataset a NetCDF export holds: all scenarios along ``scenario``.

    Every draw (or the summaries with ``summary=True``).
    """
    if summary:
        return combine(_summaries(results, quarters))
    return combine({n: select_quarters(ds, quarters) for n, ds in results.items()})


def netcdf_bytes(
    results: Mapping[str, xr.Dataset],
    quarters: str | tuple[int, int] | None = None,
    summary: bool = False,
) -> bytes:
    """NetCDF4 (h5netcdf) bytes of :func:`netcdf_dataset`."""
    ds = netcdf_dataset(results, quarters, summary)
    with tempfile.TemporaryDirectory(prefix="parkcap-nc-") as tmp:
        path = Path(tmp) / "export.nc"
        ds.to_netcdf(path, engine="h5netcdf")
        return path.read_bytes()


# ---------------------------------------------------------------------------
# iamc
# ---------------------------------------------------------------------------
def iamc_frame(
    park: Park,
    results: Mapping[str, xr.Dataset],
    quarters: str | tuple[int, int] | None = None,
    model: str = IAMC_MODEL,
    region: str = IAMC_REGION,
) -> pd.DataFrame:
    """The wide IAMC table of the mean over draws.

    Columns ``model, scenario, region, variable, unit`` and one per quarter, named by the
    quarter's last day (``2024-09-30``). ``Capacity|…`` (stock) is nameplate capacity at
    the end of the quarter in the stage unit per year (``GWh/yr``); ``Production|…`` and
    ``Demand|…`` (flows) are the amounts over the quarter (``GWh``): the simulated annual
    rate times one calendar quarter, converted with pint.
    """
    quarter = Q_(1.0, "calendar_quarter")
    rows = []
    periods: list[str] = []
    for name, summary in _summaries(results, quarters).items():
        labels = [str(x) for x in summary["quarter"].values]
        cols = [q.end_date(q.parse_quarter(x)).isoformat() for x in labels]
        periods = sorted(set(periods) | set(cols))
        for sid, unit in zip(
            summary["stage"].values.tolist(), summary["unit"].values.tolist(), strict=True
        ):
            stage = park.stages[sid]
            path = iamc_path(sid, stage.name_en)
            for head, (var, kind) in IAMC_VARIABLES.items():
                values = Q_(summary[var].sel(stage=sid, stat="mean").values, unit)
                target = iamc_unit(stage.unit, kind)
                amount = values if kind == "stock" else values * quarter
                converted = np.asarray(amount.to(ureg.parse_units(target)).magnitude, dtype=float)
                rows.append(
                    {
                        "model": model,
                        "scenario": name,
                        "region": region,
                        "variable": f"{head}|{path}",
                        "unit": target,
                        **dict(zip(cols, converted.tolist(), strict=True)),
                    }
                )
    df = pd.DataFrame(rows)
    return df[IAMC_INDEX + periods]


def iamc_bytes(
    park: Park,
    results: Mapping[str, xr.Dataset],
    quarters: str | tuple[int, int] | None = None,
) -> bytes:
    """:func:`iamc_frame` as UTF-8 CSV."""
    df = iamc_frame(park, results, quarters)
    return df.to_csv(index=False, lineterminator="\n", float_format="%.10g").encode("utf-8")


def yearly(df_iamc: pd.DataFrame | Any) -> pd.DataFrame:
    """Aggregate a quarterly IAMC table to years, respecting stock and flow.

    Parameters
    ----------
    df_iamc
        A wide IAMC table as :func:`iamc_frame` returns or the export writes (period
        columns are dates or date strings), or a ``pyam.IamDataFrame``.

    Returns
    -------
    pandas.DataFrame
        The IAMC index columns and one integer column per year. A **stock**
        (``Capacity|…``) takes its value at the end of the year (the Q4 column; NaN if the
        year's Q4 is not in the table) and keeps its unit (``GWh/yr``). A **flow**
        (``Production|…``, ``Demand|…``) is the sum of the year's four quarters (NaN for a
        year with fewer) and keeps its amount unit (``GWh``, now per year).

    Examples
    --------
    Capacity 10, 20, 30, 40 GWh/yr at the ends of 2025's quarters gives 40 GWh/yr for
    2025; production of 2.5 GWh in each quarter gives 10 GWh.
    """
    if hasattr(df_iamc, "timeseries") and not isinstance(df_iamc, pd.DataFrame):
        df_iamc = df_iamc.timeseries().reset_index()
    df = pd.DataFrame(df_iamc)
    index = [c for c in IAMC_INDEX if c in df.columns]
    periods = [c for c in df.columns if c not in index]
    stamps = {c: pd.Timestamp(c) for c in periods}
    kinds = np.array([variable_kind(v) for v in df["variable"]])
    out = df[index].copy()
    for year in sorted({s.year for s in stamps.values()}):
        cols = [c for c in periods if stamps[c].year == year]
        by_q = {(stamps[c].month - 1) // 3: c for c in cols}
        if len(by_q) != len(cols):
            msg = f"{year}: more than one period column in a quarter"
            raise ValueError(msg)
        values = df[cols].astype(float)
        stock = values[by_q[3]] if 3 in by_q else pd.Series(np.nan, index=df.index)
        flow = (
            values.sum(axis=1, min_count=4) if len(by_q) == 4 else pd.Series(np.nan, index=df.index)
        )
        out[year] = np.where(kinds == "stock", stock, flow)
    return out


# ---------------------------------------------------------------------------
# one entry point for every format
# ---------------------------------------------------------------------------
def export_bytes(
    park: Park,
    results: Mapping[str, xr.Dataset],
    scenarios: Sequence[Scenario] = (),
    fmt: str = "csv",
    quarters: str | tuple[int, int] | None = None,
    lang: str = "zh",
    summary: bool = False,
) -> bytes:
    """The export of ``results`` (scenario name -> simulate() Dataset) in ``fmt``, as bytes.

    Pure: nothing is written. ``fmt`` is one of :data:`FORMATS`; ``quarters`` a range such
    as ``"2024Q3:2030Q4"`` (default: every simulated quarter); ``lang`` the language of
    names and headers; ``summary`` writes summaries instead of draws to NetCDF (the other
    formats always hold summaries). Raises :class:`~model.errors.DataError` on a bad
    quarter range.
    """
    if fmt not in FORMATS:
        msg = f"format must be one of {FORMATS}, not {fmt!r}"
        raise ValueError(msg)
    if not results:
        msg = "no results to export"
        raise ValueError(msg)
    if fmt == "csv":
        return csv_bytes(park, results, quarters, lang)
    if fmt == "xlsx":
        return xlsx_bytes(park, results, scenarios, quarters, lang)
    if fmt == "netcdf":
        return netcdf_bytes(results, quarters, summary)
    return iamc_bytes(park, results, quarters)


def write_export(data: bytes, path: str | os.PathLike[str]) -> Path:
    """Write export bytes to ``path`` through a temporary file and a rename."""
    path = Path(path)
    atomic_write_bytes(path, data)
    logger.info("wrote %s (%d bytes)", path, len(data))
    return path


def _tmp_beside(path: Path) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(tmp)


def write_netcdf(ds: xr.Dataset, path: str | os.PathLike[str]) -> Path:
    """Write ``ds`` to NetCDF4 (h5netcdf) atomically.

    Units stay in attributes and the per-stage ``unit`` coordinate, so
    ``xarray.open_dataset`` gives them back.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_beside(path)
    try:
        ds.to_netcdf(tmp, engine="h5netcdf")
        os.chmod(tmp, file_mode(path))  # mkstemp makes it private; keep the usual mode
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    logger.info("wrote %s", path)
    return path
