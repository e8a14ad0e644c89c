"""The Excel workbook: a cover, one sheet per scenario, and the gaps of the last quarter.

The cover names the scenarios, the data as-of date, seed, draws, quarters, sources and
the creation time; a scenario sheet holds a block per stage with units in the headers and
numbers as numbers; the gaps sheet lists every stage's gap in the last quarter. Headers
are in Chinese or English.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import xarray as xr

from model import quarters as q
from model.catalogue import t
from model.export.results import file_float, metadata, select_quarters, summaries

if TYPE_CHECKING:
    from model.park import Park
    from model.scenario import Scenario


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

    summary_of = summaries(results, quarters)
    by_name = {s.name: s for s in scenarios}
    meta = metadata(results)
    bold = Font(bold=True)
    wb = Workbook()
    cover = wb.active
    cover.title = t("cover_sheet", lang)
    first = next(iter(summary_of.values()))
    labels = [str(x) for x in first["quarter"].values]
    cover.append([t("export_title", lang)])
    cover["A1"].font = Font(bold=True, size=14)
    cover.append([])
    titles = [f"{n} ({by_name[n].title(lang)})" if n in by_name else n for n in summary_of]
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

    for name, summary in summary_of.items():
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
    for name in summary_of:
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
                    file_float(r["supply"]),
                    file_float(r["demand"]),
                    file_float(r["gap"]),
                    None if r["gap_cell_gwh_eq"] is None else file_float(r["gap_cell_gwh_eq"]),
                    file_float(r["p_short"]),
                    file_float(r["to_close"]),
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
                ws.cell(row, col, file_float(values[k])).number_format = "#,##0.###"
