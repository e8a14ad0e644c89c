"""The Excel workbook, for people: a cover, one sheet per scenario, a data sheet and the gaps.

Sheets
------
Cover (封面)
    Typed values (dates as dates, seed and draws as numbers), the model version, a guide to
    the sheets, and the sources cited, each as its id, title, publisher and date (never a
    citation, which may name an internal file).
One sheet per scenario
    A block per stage: a title row (name, id, chain, unit) and one row per quarter with
    nameplate P10/P50/P90 and the means of effective capacity, output, demand and gap,
    each header naming its unit as people write it (``名义产能 P50 (吉瓦时/年)``,
    ``Nameplate capacity P50 (GWh/a)``).
Data (数据)
    The tidy table, one row per scenario × stage × quarter × variable, with an autofilter
    and the defined name ``parkcap_data``: the source of a pivot table.
Gaps (缺口)
    Every stage's gap in the last quarter, most severe first; numbers carry their unit in
    their number format (``183,000 t/a``) and stay numbers.

Every number has an explicit number format (thousands separators, ``0%`` for
probabilities, ``yyyy-mm-dd`` for dates); header rows are frozen; column widths fit the
text (a Chinese character counts twice); every sheet prints landscape, one page wide, with
its header rows repeated. Units are spelled for people by :func:`model.units.spell_unit`.
No cell is a formula (:func:`model.export.inert.inert_workbook`).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import xarray as xr

from model import quarters as q
from model.catalogue import t
from model.export.inert import inert_workbook
from model.export.netcdf import package_version, stage_family
from model.export.results import (
    by_severity,
    file_float,
    metadata,
    select_quarters,
    sources_cited,
    summaries,
)
from model.export.tidy import tidy_frame
from model.units import rate_unit, spell_unit

if TYPE_CHECKING:
    from model.park import Park
    from model.scenario import Scenario

#: number formats by kind
FORMATS = {
    "integer": "#,##0",
    "decimal": "#,##0.00",
    "percent": "0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
#: unit families whose values are small (tens of GWh or GW): shown with two decimals
_DECIMAL_FAMILIES = {"energy", "power"}
_MAX_WIDTH = 60
_HEADER_FILL = "DCE6F1"


def value_format(unit: str, suffix: str = "") -> str:
    """The number format of values in ``unit`` (a stage's unit or its rate), with a unit suffix.

    Parameters
    ----------
    unit
        A unit pint reads (``"t / a"``, ``"GWh"``).
    suffix
        Text shown after the number (``" t/a"``), inside the format: the cell stays a number.

    Returns
    -------
    str
        ``#,##0`` for tonnes, square metres and counts, ``#,##0.00`` for GWh and GW.
    """
    from model.units import ureg

    base = ureg.parse_units(unit) * ureg.year if "/ a" in unit else ureg.parse_units(unit)
    family, _ = stage_family(str(base))
    fmt = FORMATS["decimal"] if family in _DECIMAL_FAMILIES else FORMATS["integer"]
    if not suffix:
        return fmt
    text = suffix.replace('"', "")
    return f'{fmt}" {text}";-{fmt}" {text}";0" {text}"'


def text_width(value: Any) -> int:
    """Columns a value needs: a wide (Chinese) character counts twice."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, float | int | np.floating | np.integer):
        return len(f"{float(value):,.2f}")
    return max(
        (
            sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
            for line in str(value).splitlines()
        ),
        default=0,
    )


def _fit_columns(ws: Any, minimum: int = 8, maximum: int = _MAX_WIDTH, skip_rows: int = 0) -> None:
    """Set each column's width to its widest cell (capped; wrapped text beyond)."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=1 + skip_rows):
        for cell in row:
            if cell.value is None:
                continue
            widths[cell.column] = max(widths.get(cell.column, 0), text_width(cell.value))
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(maximum, max(minimum, width + 2))


def _print_setup(ws: Any, lang: str, title_rows: str | None = "1:1") -> None:
    """Landscape A4, one page wide, header rows repeated, page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = t("page_of", lang)
    ws.oddHeader.center.text = "&A"


def _header(ws: Any, row: int, values: Sequence[Any]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    line = Border(bottom=Side(style="thin", color="7F7F7F"))
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row, col, value)
        cell.font = bold
        cell.fill = fill
        cell.border = line
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _one_or_text(values: Sequence[int]) -> int | str:
    return values[0] if len(values) == 1 else ", ".join(str(v) for v in values)


def _cover(
    ws: Any,
    park: Park,
    results: Mapping[str, xr.Dataset],
    titles: list[str],
    labels: list[str],
    sheets: list[tuple[str, str]],
    lang: str,
) -> None:
    from openpyxl.styles import Alignment, Font

    meta = metadata(results)
    as_of = date.fromisoformat(meta["as_of"]) if meta["as_of"] else None
    known = date.fromisoformat(meta["known_as_of"]) if meta["known_as_of"] else None
    ws.append([t("export_title", lang)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    rows: list[tuple[str, Any, str | None]] = [
        (t("scenarios", lang), "; ".join(titles), None),
        (t("data_as_of", lang), as_of or "—", FORMATS["date"]),
        (t("known_as_of", lang), known or "—", FORMATS["date"]),
        (t("data_version", lang), meta["data_version"], None),
        (t("seed", lang), _one_or_text(meta["seeds"]), FORMATS["integer"]),
        (t("draws", lang), _one_or_text(meta["draws"]), FORMATS["integer"]),
        (t("quarters", lang), f"{labels[0]} – {labels[-1]}", None),
        (t("created", lang), datetime.now().replace(microsecond=0), FORMATS["datetime"]),
        (t("model_version", lang), f"parkcap {package_version()}", None),
        (t("units_note", lang), "", None),
    ]
    for label, value, fmt in rows:
        ws.append([label, value])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        cell = ws.cell(ws.max_row, 2)
        cell.alignment = Alignment(horizontal="left", wrap_text=True, vertical="top")
        if fmt and not isinstance(value, str):
            cell.number_format = fmt
    ws.append([])
    ws.append([t("sheet_guide", lang)])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    for name, text in sheets:
        ws.append([name, text])
    ws.append([])
    ws.append([t("sources", lang)])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    _header(
        ws,
        ws.max_row + 1,
        [
            t("source_id", lang),
            t("source_title", lang),
            t("publisher", lang),
            t("source_date", lang),
        ],
    )
    for sid in sources_cited(park, as_of):
        src = park.sources[sid]
        ws.append([sid, src.title, src.publisher, src.date])
        if src.date is not None:
            ws.cell(ws.max_row, 4).number_format = FORMATS["date"]
        ws.cell(ws.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    _fit_columns(ws, maximum=70, skip_rows=1)
    _print_setup(ws, lang, title_rows=None)


def _scenario_sheet(
    ws: Any, park: Park, name: str, title: str, summary: xr.Dataset, lang: str
) -> None:
    """One block per stage: a title row, a header row naming units, one row per quarter."""
    from openpyxl.styles import Font

    labels = [str(x) for x in summary["quarter"].values]
    ends = [q.end_date(q.parse_quarter(x)) for x in labels]
    stats = [str(s) for s in summary["stat"].values]
    arrays = {
        var: summary[var].transpose("stat", "quarter", "stage").values
        for var in ("nameplate", "effective_capacity", "output", "demand", "gap", "gap_cell_gwh_eq")
    }
    p_short_all = summary["p_short"].transpose("quarter", "stage").values
    ws.cell(1, 1, title).font = Font(bold=True, size=12)
    ws.cell(1, 3, t("units_note", lang))
    row = 1
    cell_eq = rate_unit("GWh")
    for j, (sid, unit) in enumerate(
        zip(summary["stage"].values.tolist(), summary["unit"].values.tolist(), strict=True)
    ):
        stage = park.stages[sid]
        u = spell_unit(unit, lang)
        row += 2
        for col, value in enumerate([stage.name(lang), sid, stage.chain, u], start=1):
            ws.cell(row, col, value)
        ws.cell(row, 1).font = Font(bold=True)
        cols: list[tuple[str, str, str]] = [
            ("nameplate", "p10", unit),
            ("nameplate", "p50", unit),
            ("nameplate", "p90", unit),
            ("effective_capacity", "mean", unit),
            ("output", "mean", unit),
            ("demand", "mean", unit),
            ("gap", "p50", unit),
            ("gap", "mean", unit),
        ]
        if np.isfinite(arrays["gap_cell_gwh_eq"][:, :, j]).any():
            cols.append(("gap_cell_gwh_eq", "mean", cell_eq))
        header = [t("quarter", lang), t("quarter_end", lang)] + [
            f"{t('var_' + var, lang)} "
            f"{stat.upper() if stat != 'mean' else t('mean', lang)} ({spell_unit(un, lang)})"
            for var, stat, un in cols
        ]
        header.append(t("p_short", lang))
        row += 1
        _header(ws, row, header)
        series = [arrays[var][stats.index(stat), :, j] for var, stat, _ in cols]
        formats = [value_format(un) for _, _, un in cols]
        for k, lab in enumerate(labels):
            row += 1
            ws.cell(row, 1, lab)
            ws.cell(row, 2, ends[k]).number_format = FORMATS["date"]
            for col, (values, fmt) in enumerate(zip(series, formats, strict=True), start=3):
                ws.cell(row, col, file_float(values[k])).number_format = fmt
            ws.cell(row, 3 + len(series), file_float(p_short_all[k, j])).number_format = FORMATS[
                "percent"
            ]
    ws.freeze_panes = "C2"
    _fit_columns(ws, maximum=24, skip_rows=1)
    _print_setup(ws, lang, title_rows="1:1")


def _data_sheet(ws: Any, park: Park, summary_of: Mapping[str, xr.Dataset], lang: str) -> None:
    """The tidy table with an autofilter: one row per scenario × stage × quarter × variable."""
    from openpyxl.utils import get_column_letter

    df = tidy_frame(park, summary_of, None, lang)
    header = [
        t("scenario", lang),
        t("stage_id", lang),
        t("stage", lang),
        t("chain", lang),
        t("quarter", lang),
        t("quarter_end", lang),
        t("variable_id", lang),
        t("variable", lang),
        t("unit", lang),
        "P10",
        "P50",
        "P90",
        t("mean", lang),
    ]
    _header(ws, 1, header)
    units = {u: spell_unit(u, lang) for u in df["unit"].unique()}
    formats = {u: value_format(u) for u in df["unit"].unique()}
    names = {v: t(f"var_{v}", lang) for v in df["variable"].unique()}
    ends = {e: date.fromisoformat(e) for e in df["quarter_end"].unique()}
    rows = list(df.itertuples(index=False))
    for r, rec in enumerate(rows, start=2):
        ws.append(
            [
                rec.scenario,
                rec.stage,
                rec.stage_name,
                rec.chain,
                rec.quarter,
                ends[rec.quarter_end],
                rec.variable,
                names[rec.variable],
                units[rec.unit],
                file_float(rec.p10),
                file_float(rec.p50),
                file_float(rec.p90),
                file_float(rec.mean),
            ]
        )
        ws.cell(r, 6).number_format = FORMATS["date"]
        fmt = formats[rec.unit]
        for col in range(10, 14):
            ws.cell(r, col).number_format = fmt
    last = len(rows) + 1
    ws.auto_filter.ref = f"A1:M{last}"
    ws.freeze_panes = "C2"
    # widths from the distinct values (the sheet is long: no need to look at every cell)
    texts = [
        df["scenario"],
        df["stage"],
        df["stage_name"],
        df["chain"],
        df["quarter"],
        None,
        df["variable"],
        df["variable"].map(names),
        df["unit"].map(units),
    ]
    for col, (title, values) in enumerate(zip(header, texts, strict=False), start=1):
        widest = (
            max([text_width(title)] + [text_width(v) for v in set(values)])
            if values is not None
            else 10
        )
        ws.column_dimensions[get_column_letter(col)].width = min(_MAX_WIDTH, max(8, widest + 2))
    for col in range(10, 14):
        ws.column_dimensions[get_column_letter(col)].width = 16
    _print_setup(ws, lang)
    return last


def _gaps_sheet(
    ws: Any,
    park: Park,
    results: Mapping[str, xr.Dataset],
    scenarios: Sequence[Scenario],
    quarters: str | tuple[int, int] | None,
    lang: str,
) -> None:
    """Every stage's gap in the last quarter, most severe first; units in number formats."""
    from model.gaps import gap_table

    by_name = {s.name: s for s in scenarios}
    cell_eq = spell_unit(rate_unit("GWh"), lang)
    header = [
        t("scenario", lang),
        t("quarter", lang),
        t("stage", lang),
        t("stage_id", lang),
        t("status", lang),
        t("unit", lang),
        t("supply", lang),
        t("demand", lang),
        t("gap", lang),
        t("gap_p10", lang),
        t("gap_p90", lang),
        f"{t('var_gap_cell_gwh_eq', lang)} ({cell_eq})",
        t("p_short", lang),
        t("to_close", lang),
    ]
    _header(ws, 1, header)
    for name in results:
        full = select_quarters(results[name], quarters)
        if "draw" not in full.dims:
            continue  # gaps need the draws; a summary-only input has none
        last = str(full["quarter"].values[-1])
        table = gap_table(park, full, last, scenario=by_name.get(name), lang=lang)
        for r in by_severity(table):
            unit = str(r.get("rate_unit") or rate_unit(r["unit"]))
            shown = spell_unit(unit, lang)
            ws.append(
                [
                    name,
                    last,
                    r["name"],
                    r["stage"],
                    t(f"status_{r['status']}", lang),
                    shown,
                    file_float(r["supply"]),
                    file_float(r["demand"]),
                    file_float(r["gap"]),
                    file_float(r["gap_p10"]),
                    file_float(r["gap_p90"]),
                    None if r["gap_cell_gwh_eq"] is None else file_float(r["gap_cell_gwh_eq"]),
                    file_float(r["p_short"]),
                    file_float(r["to_close"]),
                ]
            )
            k = ws.max_row
            with_unit = value_format(unit, shown)
            for col in (7, 8, 9, 10, 11, 14):
                ws.cell(k, col).number_format = with_unit
            ws.cell(k, 12).number_format = FORMATS["decimal"]
            ws.cell(k, 13).number_format = FORMATS["percent"]
    ws.auto_filter.ref = f"A1:{chr(ord('A') + len(header) - 1)}{max(ws.max_row, 1)}"
    ws.freeze_panes = "E2"
    _fit_columns(ws, maximum=40)
    _print_setup(ws, lang)


def xlsx_bytes(
    park: Park,
    results: Mapping[str, xr.Dataset],
    scenarios: Sequence[Scenario] = (),
    quarters: str | tuple[int, int] | None = None,
    lang: str = "zh",
) -> bytes:
    """The workbook of the module docstring, as bytes.

    Parameters
    ----------
    park
        The park the results were simulated from.
    results
        Scenario name -> ``simulate()`` Dataset (or its summary: then no gaps).
    scenarios
        The scenarios, for their titles and the cabinets' cell split in the gaps.
    quarters
        A quarter range such as ``"2024Q3:2030Q4"`` (default: every quarter).
    lang
        ``"zh"`` or ``"en"``: headers, names and unit spellings.

    Returns
    -------
    bytes
        The ``.xlsx`` file.
    """
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName

    summary_of = summaries(results, quarters)
    by_name = {s.name: s for s in scenarios}
    first = next(iter(summary_of.values()))
    labels = [str(x) for x in first["quarter"].values]
    titles = [f"{n} ({by_name[n].title(lang)})" if n in by_name else n for n in summary_of]
    wb = Workbook()
    cover = wb.active
    cover.title = t("cover_sheet", lang)
    sheet_names = {name: name[:31] for name in summary_of}
    data_name = t("data_sheet", lang)
    gaps_name = t("gaps_sheet", lang)
    guide = [(sheet_names[n], t("guide_scenario", lang)) for n in summary_of]
    guide += [(data_name, t("guide_data", lang)), (gaps_name, t("guide_gaps", lang))]
    _cover(cover, park, results, titles, labels, guide, lang)
    for (name, summary), title in zip(summary_of.items(), titles, strict=True):
        _scenario_sheet(wb.create_sheet(title=sheet_names[name]), park, name, title, summary, lang)
    data = wb.create_sheet(title=data_name)
    last = _data_sheet(data, park, summary_of, lang)
    wb.defined_names["parkcap_data"] = DefinedName(
        "parkcap_data", attr_text=f"'{data_name}'!$A$1:$M${last}"
    )
    _gaps_sheet(wb.create_sheet(title=gaps_name), park, results, scenarios, quarters, lang)
    inert_workbook(wb)  # no text cell may be stored, or later read, as a formula
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
