"""The quarterly projection pack and its self-contained HTML report.

``parkcap quarterly --quarter 2024Q3 --out DIR`` simulates every shipped scenario from the
park as it was known at the end of the quarter and writes, into ``DIR``::

    parkcap-2024Q3.xlsx          workbook (cover, one sheet per scenario, gaps)
    parkcap-2024Q3.csv           tidy CSV (UTF-8 with BOM)
    parkcap-2024Q3.nc            NetCDF of the summaries (P10/P50/P90/mean, p_short)
    parkcap-2024Q3-iamc.csv      IAMC wide CSV
    parkcap-2024Q3-report.html   the report: key charts and the gap table

The report embeds plotly.js once, inline, so it opens offline in any browser (no CDN).
Every file is written through a temporary file and a rename.
"""

from __future__ import annotations

import html
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import xarray as xr

from model import quarters
from model.catalogue import t

if TYPE_CHECKING:
    from model.park import Park
    from model.scenario import Scenario

logger = logging.getLogger(__name__)

#: stages whose capacity the report charts (those present in the park), in this order
KEY_STAGES = ("lfp_cell", "storage_cabinet")
_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[k : k + 2], 16) for k in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _unit_label(unit: str) -> str:
    return str(unit).replace(" ** 2", "²").replace(" ", "")


def fan_figure(park: Park, results: Mapping[str, xr.Dataset], stage: str, lang: str = "zh") -> Any:
    """Nameplate capacity of ``stage``: the P10–P90 band and the P50 of each scenario."""
    import plotly.graph_objects as go

    fig = go.Figure()
    unit = ""
    for k, (name, ds) in enumerate(results.items()):
        colour = _COLOURS[k % len(_COLOURS)]
        da = ds["nameplate"].sel(stage=stage)
        unit = _unit_label(str(ds["unit"].sel(stage=stage).values))
        x = [str(v) for v in ds["quarter"].values]
        p10, p50, p90 = np.percentile(da.transpose("draw", "quarter").values, [10, 50, 90], axis=0)
        fig.add_trace(
            go.Scatter(
                x=x, y=p90, mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip"
            )
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=p10,
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor=_rgba(colour, 0.2),
                name=f"{name} P10–P90",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=x, y=p50, mode="lines", line={"color": colour, "width": 2}, name=f"{name} P50"
            )
        )
    fig.update_layout(
        title=t("chart_fan", lang, stage=park.stages[stage].name(lang), unit=unit),
        xaxis_title=t("quarter", lang),
        yaxis_title=f"{t('var_nameplate', lang)} [{unit}]",
        height=420,
        margin={"l": 70, "r": 20, "t": 60, "b": 50},
        template="plotly_white",
    )
    return fig


def gaps_figure(
    park: Park, tables: Mapping[str, list[dict[str, Any]]], quarter: str, lang: str = "zh"
) -> Any:
    """Mean gap of every stage with a yardstick, in cell-GWh-eq, grouped by scenario."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for k, (name, table) in enumerate(tables.items()):
        rows = [r for r in table if r["gap_cell_gwh_eq"] is not None]
        fig.add_trace(
            go.Bar(
                x=[r["name"] for r in rows],
                y=[r["gap_cell_gwh_eq"] for r in rows],
                name=name,
                marker_color=_COLOURS[k % len(_COLOURS)],
            )
        )
    fig.update_layout(
        title=t("chart_gaps", lang, quarter=quarter),
        barmode="group",
        yaxis_title=t("gap_cell_eq", lang),
        height=460,
        margin={"l": 70, "r": 20, "t": 60, "b": 140},
        template="plotly_white",
    )
    return fig


def p_short_figure(park: Park, ds: xr.Dataset, name: str, lang: str = "zh") -> Any:
    """Probability of a shortfall, stage × quarter, for one scenario."""
    import plotly.graph_objects as go

    from model.simulate import summarize

    p = summarize(ds, variables=("nameplate",))["p_short"].transpose("stage", "quarter")
    fig = go.Figure(
        go.Heatmap(
            z=p.values,
            x=[str(v) for v in p["quarter"].values],
            y=[park.stages[s].name(lang) for s in p["stage"].values.tolist()],
            zmin=0,
            zmax=1,
            colorscale="Reds",
            colorbar={"title": t("p_short", lang)},
        )
    )
    fig.update_layout(
        title=t("chart_p_short", lang, scenario=name),
        height=max(400, 22 * p.sizes["stage"] + 120),
        margin={"l": 220, "r": 20, "t": 60, "b": 50},
        template="plotly_white",
    )
    return fig


def _fmt(value: float | None, digits: int = 4) -> str:
    if value is None or not np.isfinite(value):
        return ""
    return f"{value:,.{digits}g}"


def _gap_table_html(tables: Mapping[str, list[dict[str, Any]]], lang: str) -> str:
    head = [
        t("scenario", lang),
        t("stage", lang),
        t("status", lang),
        t("supply", lang),
        t("demand", lang),
        t("gap", lang),
        t("unit", lang),
        t("gap_cell_eq", lang),
        t("p_short", lang),
    ]
    out = ["<table class='gaps'><thead><tr>"]
    out += [f"<th>{html.escape(h)}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for name, table in tables.items():
        for r in table:
            status = r["status"]
            cells = [
                name,
                r["name"],
                t(f"status_{status}", lang),
                _fmt(r["supply"]),
                _fmt(r["demand"]),
                _fmt(r["gap"]),
                _unit_label(f"{r['unit']} / a"),
                _fmt(r["gap_cell_gwh_eq"]),
                f"{r['p_short']:.0%}",
            ]
            out.append(f"<tr class='{html.escape(status)}'>")
            out += [f"<td>{html.escape(str(c))}</td>" for c in cells]
            out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


_CSS = """
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif;
       margin: 24px; color: #222; background: #fff; }
h1 { font-size: 24px; margin-bottom: 4px; }
.meta { color: #555; margin-bottom: 16px; }
.meta td { padding: 2px 12px 2px 0; }
table.gaps { border-collapse: collapse; font-size: 13px; margin-top: 8px; }
table.gaps th, table.gaps td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
table.gaps th { background: #f0f0f0; }
table.gaps td:nth-child(-n+3) { text-align: left; }
tr.short td, tr.missing td { background: #fde8e8; }
tr.surplus td { background: #e8f5e9; }
.chart { margin: 12px 0 24px 0; }
"""


def html_report(
    park: Park,
    results: Mapping[str, xr.Dataset],
    scenarios: Sequence[Scenario] = (),
    quarter: str | None = None,
    lang: str = "zh",
) -> str:
    """A self-contained HTML page: metadata, capacity fans, gaps and the gap table.

    It shows the metadata, capacity fans of the key stages, gaps by stage, the shortfall
    probabilities of the first scenario and the gap table.

    ``results`` are full simulate() Datasets (with draws); ``quarter`` labels the report
    (default: the first simulated quarter); the gap table is of the last quarter.
    plotly.js is embedded once, inline: the page needs no network.
    """
    import plotly.io as pio

    from model.gaps import gap_table

    by_name = {s.name: s for s in scenarios}
    first = next(iter(results.values()))
    start = str(first["quarter"].values[0])
    last = str(first["quarter"].values[-1])
    label = quarter or start
    tables = {
        name: gap_table(park, ds, last, scenario=by_name.get(name), lang=lang)
        for name, ds in results.items()
    }
    figures = [fan_figure(park, results, s, lang) for s in KEY_STAGES if s in park.stages]
    if not figures:
        figures.append(fan_figure(park, results, park.stage_ids[0], lang))
    figures.append(gaps_figure(park, tables, last, lang))
    name0 = next(iter(results))
    figures.append(p_short_figure(park, results[name0], name0, lang))
    charts = []
    for k, fig in enumerate(figures):
        div = pio.to_html(
            fig,
            include_plotlyjs=(k == 0),
            full_html=False,
            config={"displaylogo": False, "responsive": True},
        )
        charts.append(f"<div class='chart'>{div}</div>")
    titles = "; ".join(f"{n} ({by_name[n].title(lang)})" if n in by_name else n for n in results)
    meta_rows = [
        (t("scenarios", lang), titles),
        (t("data_as_of", lang), first.attrs.get("as_of", "")),
        (t("known_as_of", lang), first.attrs.get("known_as_of", "") or "—"),
        (t("quarters", lang), f"{start} – {last}"),
        (t("draws", lang), ", ".join(str(ds.attrs.get("draws", "")) for ds in results.values())),
        (t("seed", lang), ", ".join(str(ds.attrs.get("seed", "")) for ds in results.values())),
        (t("data_version", lang), first.attrs.get("data_version", "")),
        (t("created", lang), datetime.now(UTC).isoformat(timespec="seconds")),
    ]
    meta = "".join(
        f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(str(v))}</td></tr>"
        for k, v in meta_rows
    )
    title = t("report_title", lang, quarter=label)
    return (
        "<!DOCTYPE html>\n"
        f"<html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f"<p class='meta'>{html.escape(t('app_title', lang))}</p>"
        f"<table class='meta'>{meta}</table>"
        + "".join(charts)
        + f"<h2>{html.escape(t('gaps_title', lang, scenario=', '.join(results), quarter=last))}</h2>"
        + _gap_table_html(tables, lang)
        + f"<p class='meta'>{html.escape(t('units_note', lang))}</p>"
        "</body></html>\n"
    )


# ---------------------------------------------------------------------------
# the pack
# ---------------------------------------------------------------------------
def pack_names(label: str) -> dict[str, str]:
    """File names of the pack of quarter ``label`` (format -> name)."""
    return {
        "xlsx": f"parkcap-{label}.xlsx",
        "csv": f"parkcap-{label}.csv",
        "netcdf": f"parkcap-{label}.nc",
        "iamc": f"parkcap-{label}-iamc.csv",
        "html": f"parkcap-{label}-report.html",
    }


def quarterly_pack(
    park: Park,
    quarter: int,
    out_dir: str | os.PathLike[str],
    scenarios: Sequence[Scenario],
    draws: int | None = None,
    seed: int | None = None,
    lang: str = "zh",
    progress: bool = True,
    on_step: Callable[[str], None] | None = None,
) -> list[Path]:
    """Simulate ``scenarios`` from the park as known at the end of ``quarter``; write the pack.

    The pack (see the module docstring) is written into ``out_dir``.

    Parameters
    ----------
    park
        The park (all records; those recorded after the quarter's end are ignored).
    quarter
        Quarter index of the pack: the projection starts from the park as it was, and as
        it was known, on the quarter's last day.
    out_dir
        Folder for the files (created).
    scenarios
        The scenarios (the shipped ones for ``parkcap quarterly``).
    draws, seed
        Monte Carlo draws and seed (default: each scenario's).
    lang
        Language of the workbook, CSV names and the report.
    progress
        Show a tqdm bar on stderr.
    on_step
        Called with a description before each step (for other progress displays).

    Returns
    -------
    list of Path
        The files written.
    """
    from tqdm import tqdm

    from model.export import export_bytes, run_scenarios, write_export

    label = quarters.label(quarter)
    as_of = quarters.end_date(quarter)
    known = min(as_of, date.today())
    out = Path(out_dir)
    names = pack_names(label)
    steps = len(scenarios) + len(names)
    bar = tqdm(total=steps, desc=f"parkcap {label}", file=sys.stderr, disable=not progress)

    def step(text: str) -> None:
        bar.set_postfix_str(text)
        if on_step is not None:
            on_step(text)

    try:
        results = run_scenarios(
            park,
            scenarios,
            draws=draws,
            seed=seed,
            as_of=as_of,
            known_as_of=known,
            on_done=lambda name: (bar.update(1), step(name)),
        )
        written = []
        for fmt in ("xlsx", "csv", "netcdf", "iamc"):
            step(names[fmt])
            data = export_bytes(park, results, scenarios, fmt, lang=lang, summary=True)
            written.append(write_export(data, out / names[fmt]))
            bar.update(1)
        step(names["html"])
        page = html_report(park, results, scenarios, label, lang)
        written.append(write_export(page.encode("utf-8"), out / names["html"]))
        bar.update(1)
    finally:
        bar.close()
    logger.info("quarterly pack %s: %d files in %s", label, len(written), out)
    return written
