"""The quarterly briefing: a self-contained HTML page that prints well.

The first page is a summary for people who read nothing else: three findings in plain
language with numbers, what changed since the previous quarter's pack (when one is given),
and the top five investment targets. The pages after it hold the charts (capacity fans
with each scenario's band in its own colour and the lines labelled at their ends, the gaps
with their values on the bars, the shortfall probabilities with their percentages), the gap
tables sorted by severity, the sources and the run's metadata.

Quantities are written as people write them (:func:`model.units.format_quantity`: 18.3万吨,
1.5亿平方米; units by :func:`model.units.spell_unit`), dates in local time. plotly.js is
embedded once, inline: the page needs no network. :func:`model.report.quarterly_pack`
writes it and prints it to PDF with headless Chromium.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import xarray as xr

from model.catalogue import t
from model.export.results import by_severity, sources_cited
from model.units import Q_, format_quantity, rate_unit, spell_unit

if TYPE_CHECKING:
    from model.park import Park
    from model.scenario import Scenario

#: stages whose capacity the briefing charts (those present in the park), in this order
KEY_STAGES = ("lfp_cell", "storage_cabinet")
#: Okabe-Ito colours: distinct in print, in grey and for colour-blind readers
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
#: how much a projection must move to count as a change since the previous pack
CHANGE_REL = 0.01
CHANGE_P = 0.10
#: at most this many stages in the gap chart (the largest shortfalls; the table has all)
MAX_BARS = 12


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[k : k + 2], 16) for k in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def local_date(day: date, lang: str) -> str:
    """A date as people write it: ``2026年11月30日`` or ``30 November 2026``."""
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day:%B} {day.year}"


def rate(value: float | None, unit: str, lang: str) -> str:
    """An annual amount as people write it: ``18.3万吨/年``, ``183,000 t/a``; ``—`` for none."""
    if value is None or not math.isfinite(value):
        return "—"
    text = format_quantity(Q_(float(value), unit), lang, digits=3)
    return text + ("/年" if lang == "zh" else "/a")


def percent(p: float | None) -> str:
    """A probability as a whole percentage (``85%``)."""
    return "—" if p is None or not math.isfinite(p) else f"{100 * p:.0f}%"


def _titles(results: Mapping[str, Any], scenarios: Sequence[Scenario], lang: str) -> dict:
    by_name = {s.name: s for s in scenarios}
    return {n: by_name[n].title(lang) if n in by_name else n for n in results}


# ---------------------------------------------------------------------------
# charts
# ---------------------------------------------------------------------------
def fan_figure(
    park: Park,
    results: Mapping[str, xr.Dataset],
    stage: str,
    lang: str = "zh",
    titles: Mapping[str, str] | None = None,
) -> Any:
    """Nameplate of ``stage``: each scenario's P10–P90 band and P50, labelled at the end."""
    import plotly.graph_objects as go

    titles = titles or {n: n for n in results}
    fig = go.Figure()
    unit = spell_unit(rate_unit(park.stages[stage].unit), lang)
    ends: list[tuple[float, str, str]] = []
    x: list[str] = []
    for k, (name, ds) in enumerate(results.items()):
        colour = PALETTE[k % len(PALETTE)]
        da = ds["nameplate"].sel(stage=stage).transpose("draw", "quarter")
        x = [str(v) for v in ds["quarter"].values]
        p10, p50, p90 = np.percentile(da.values, [10, 50, 90], axis=0)
        edge = {"color": colour, "width": 0.8, "dash": "dot"}
        fig.add_trace(go.Scatter(x=x, y=p90, mode="lines", line=edge, hoverinfo="skip"))
        fig.add_trace(
            go.Scatter(
                x=x,
                y=p10,
                mode="lines",
                line=edge,
                fill="tonexty",
                fillcolor=_rgba(colour, 0.18),
                name=f"{titles[name]} P10–P90",
            )
        )
        fig.add_trace(
            go.Scatter(x=x, y=p50, mode="lines", line={"color": colour, "width": 2.5}, name="P50")
        )
        ends.append((float(p50[-1]), f"{html.escape(titles[name])} {p50[-1]:,.3g}", colour))
    # direct labels at the lines' ends, moved apart where lines end together
    top = max(float(np.nanmax(d["nameplate"].sel(stage=stage).values)) for d in results.values())
    close = 0.06 * max(top, 1e-9)
    placed: list[float] = []
    for y, text, colour in sorted(ends):
        shift = sum(1 for p in placed if abs(y - p) < close)  # stack labels that would touch
        placed.append(y)
        fig.add_annotation(
            x=x[-1],
            y=y,
            text=text,
            showarrow=False,
            xanchor="left",
            xshift=6,
            yshift=15 * shift,
            font={"color": colour, "size": 12},
        )
    ticks = [lab for k, lab in enumerate(x) if k == 0 or lab.endswith("Q4")]
    fig.update_xaxes(tickmode="array", tickvals=ticks, ticktext=ticks)
    fig.update_layout(
        title=t("chart_fan", lang, stage=park.stages[stage].name(lang), unit=unit),
        xaxis_title=t("quarter", lang),
        yaxis_title=f"{t('var_nameplate', lang)} ({unit})",
        showlegend=False,
        width=720,
        height=380,
        margin={"l": 70, "r": 170, "t": 50, "b": 50},
        template="plotly_white",
        font={"size": 12},
    )
    return fig


def gaps_figure(
    park: Park,
    tables: Mapping[str, list[dict[str, Any]]],
    quarter: str,
    lang: str = "zh",
    titles: Mapping[str, str] | None = None,
) -> Any:
    """Gap of every stage with a yardstick, in cell-GWh-eq, by scenario, values on the bars."""
    import plotly.graph_objects as go

    titles = titles or {n: n for n in tables}
    order: dict[str, float] = {}
    for table in tables.values():
        for r in table:
            if r["gap_cell_gwh_eq"] is not None and r["gap_cell_gwh_eq"] > 0.05:
                order[r["name"]] = max(order.get(r["name"], -math.inf), r["gap_cell_gwh_eq"])
    names = sorted(order, key=lambda n: order[n])[-MAX_BARS:]
    fig = go.Figure()
    for k, (name, table) in enumerate(tables.items()):
        by = {r["name"]: r["gap_cell_gwh_eq"] for r in table if r["gap_cell_gwh_eq"] is not None}
        values = [by.get(n, 0.0) for n in names]
        fig.add_trace(
            go.Bar(
                y=names,
                x=values,
                orientation="h",
                name=titles[name],
                marker_color=PALETTE[k % len(PALETTE)],
                text=[f"{v:,.1f}" for v in values],
                textposition="outside",
                cliponaxis=False,
            )
        )
    fig.update_layout(
        title=t("chart_gaps", lang, quarter=quarter),
        barmode="group",
        bargap=0.25,
        xaxis_title=t("gap_cell_eq", lang),
        width=720,
        height=min(900, 11 * len(names) * max(1, len(tables)) + 200),
        margin={"l": 190, "r": 50, "t": 50, "b": 110},
        legend={"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0},
        template="plotly_white",
        font={"size": 12},
    )
    return fig


def p_short_figure(park: Park, ds: xr.Dataset, title: str, lang: str = "zh") -> Any:
    """Probability of a shortfall of the stages ever short, at each year's end, as numbers."""
    import plotly.graph_objects as go

    from model.simulate import summarize

    p = summarize(ds, variables=("nameplate",))["p_short"].transpose("stage", "quarter")
    labels = [str(v) for v in p["quarter"].values]
    keep_q = [k for k, lab in enumerate(labels) if lab.endswith("Q4")] or list(range(len(labels)))
    values = p.values[:, keep_q]
    rows = [k for k in range(values.shape[0]) if np.nanmax(values[k]) > 0] or [0]
    z = values[rows]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[labels[k][:4] for k in keep_q],
            y=[park.stages[str(p["stage"].values[k])].name(lang) for k in rows],
            zmin=0,
            zmax=1,
            colorscale="Reds",
            text=[[percent(v) for v in row] for row in z],
            texttemplate="%{text}",
            showscale=False,
        )
    )
    fig.update_layout(
        title=f"{t('chart_p_short', lang, scenario=title)} · {t('brief_p_short_note', lang)}",
        width=720,
        height=max(300, 24 * len(rows) + 110),
        margin={"l": 190, "r": 20, "t": 60, "b": 40},
        template="plotly_white",
        font={"size": 12},
    )
    return fig


# ---------------------------------------------------------------------------
# the summary: findings, changes, targets
# ---------------------------------------------------------------------------
def findings(
    park: Park,
    results: Mapping[str, xr.Dataset],
    tables: Mapping[str, list[dict[str, Any]]],
    titles: Mapping[str, str],
    lang: str = "zh",
) -> list[str]:
    """Three findings in plain language with numbers (first scenario, last quarter).

    The largest shortfall of a stage the park has (in cell-GWh-eq), the stages it lacks
    outright, and the range of the scenarios' capacity of its first key product.
    """
    name = next(iter(tables))
    table = tables[name]
    first = next(iter(results.values()))
    last = str(first["quarter"].values[-1])
    out = []
    # stages the park has but not enough of (those it lacks outright: the second finding)
    short = [r for r in by_severity(table) if r["status"] == "short"]
    battery = [r for r in short if r.get("ranked_gap_cell_gwh_eq") is not None]
    if battery:
        r = battery[0]
        market, captive = r.get("market_gap"), r.get("captive_gap")
        by_market = market is not None and (captive is None or market > captive)
        out.append(
            t(
                "brief_f1_market" if by_market else "brief_f1",
                lang,
                quarter=last,
                scenario=titles[name],
                stage=r["name"],
                demand=rate(r["market_demand" if by_market else "captive_demand"], r["unit"], lang),
                supply=rate(r["supply"], r["unit"], lang),
                gap=rate(market if by_market else captive, r["unit"], lang),
                eq=rate(r["ranked_gap_cell_gwh_eq"], "GWh", lang),
                p=percent(r["p_market_short"] if by_market else r["p_short"]),
            )
        )
    else:
        out.append(t("brief_f1_none", lang, quarter=last, scenario=titles[name]))
    missing = [r for r in by_severity(table) if r["status"] == "missing"]
    if missing:
        sep = "、" if lang == "zh" else ", "
        largest = missing[0]
        eq = largest.get("ranked_gap_cell_gwh_eq")
        out.append(
            t(
                "brief_f2",
                lang,
                n=len(missing),
                stages=sep.join(r["name"] for r in missing),
                largest=largest["name"],
                gap=rate(largest["gap"], largest["unit"], lang),
                eq=rate(eq, "GWh", lang) if eq is not None else "—",
            )
        )
    else:
        out.append(t("brief_f2_none", lang))
    stage = next((s for s in KEY_STAGES if s in park.stages), park.stage_ids[0])
    unit = park.stages[stage].unit
    medians = {
        n: float(np.median(ds["nameplate"].sel(stage=stage).isel(quarter=-1).values))
        for n, ds in results.items()
    }
    now = float(np.median(first["nameplate"].sel(stage=stage).isel(quarter=0).values))
    low = min(medians, key=lambda n: medians[n])
    high = max(medians, key=lambda n: medians[n])
    out.append(
        t(
            "brief_f3",
            lang,
            stage=park.stages[stage].name(lang),
            now=rate(now, unit, lang),
            quarter=last,
            low=rate(medians[low], unit, lang),
            low_s=titles[low],
            high=rate(medians[high], unit, lang),
            high_s=titles[high],
        )
    )
    return out


def changes(
    park: Park,
    results: Mapping[str, xr.Dataset],
    previous: xr.Dataset | None,
    titles: Mapping[str, str],
    lang: str = "zh",
    limit: int = 5,
) -> list[str] | None:
    """What changed since the previous pack: new records, and the projections that moved.

    Parameters
    ----------
    park
        The park now.
    results
        This pack's full results.
    previous
        The previous pack's NetCDF summaries in the simulator's layout
        (:func:`model.export.open_netcdf`), or ``None``.
    titles
        Scenario name -> its title.
    lang
        Language.
    limit
        At most this many projection changes, largest first.

    Returns
    -------
    list of str or None
        One line per change (an empty list: nothing notable); ``None`` without a previous
        pack.
    """
    if previous is None:
        return None
    from model.simulate import summarize

    lines: list[str] = []
    before_known = str(previous.attrs.get("known_as_of") or "")
    first = next(iter(results.values()))
    now_known = str(first.attrs.get("known_as_of") or "")
    if before_known:
        since = date.fromisoformat(before_known)
        until = date.fromisoformat(now_known) if now_known else date.today()
        new = [r for r in park.capacity_records if since < r.recorded <= until]
        if new:
            sep = "；" if lang == "zh" else "; "
            listed = sep.join(
                f"{park.stages[r.stage].name(lang) if r.stage in park.stages else r.stage} "
                f"{r.quantity_text}（{r.valid_from}）"
                if lang == "zh"
                else f"{park.stages[r.stage].name(lang) if r.stage in park.stages else r.stage} "
                f"{r.quantity_text} ({r.valid_from})"
                for r in new
            )
            lines.append(t("brief_change_records", lang, n=len(new), records=listed))
    moved: list[tuple[float, str]] = []
    prev_names = (
        [str(s) for s in previous["scenario"].values] if "scenario" in previous.dims else []
    )
    for name, ds in results.items():
        if name not in prev_names:
            continue
        before = previous.sel(scenario=name)
        common = [
            q
            for q in (str(x) for x in ds["quarter"].values)
            if q in set(str(x) for x in before["quarter"].values)
        ]
        if not common:
            continue
        quarter = common[-1]
        now = summarize(ds.sel(quarter=[quarter]), variables=("nameplate",))
        for sid in (str(s) for s in ds["stage"].values):
            if sid not in set(str(s) for s in before["stage"].values):
                continue
            unit = park.stages[sid].unit
            a = float(before["nameplate"].sel(stage=sid, quarter=quarter, stat="p50"))
            b = float(now["nameplate"].sel(stage=sid, quarter=quarter, stat="p50"))
            if (
                math.isfinite(a)
                and math.isfinite(b)
                and abs(b - a) > CHANGE_REL * max(abs(a), 1e-9)
            ):
                size = abs(b - a) / max(abs(a), abs(b), 1e-9)
                moved.append(
                    (
                        size,
                        t(
                            "brief_change_nameplate",
                            lang,
                            scenario=titles.get(name, name),
                            stage=park.stages[sid].name(lang),
                            quarter=quarter,
                            before=rate(a, unit, lang),
                            after=rate(b, unit, lang),
                        ),
                    )
                )
            if "p_short" in before:
                pa = float(before["p_short"].sel(stage=sid, quarter=quarter))
                pb = float(now["p_short"].sel(stage=sid, quarter=quarter))
                if abs(pb - pa) >= CHANGE_P:
                    moved.append(
                        (
                            abs(pb - pa),
                            t(
                                "brief_change_p_short",
                                lang,
                                scenario=titles.get(name, name),
                                stage=park.stages[sid].name(lang),
                                quarter=quarter,
                                before=percent(pa),
                                after=percent(pb),
                            ),
                        )
                    )
    moved.sort(key=lambda m: -m[0])
    lines += [text for _, text in moved[:limit]]
    return lines


def _table(head: Sequence[str], rows: Sequence[Sequence[Any]], cls: str) -> str:
    out = [f"<table class='{cls}'><thead><tr>"]
    out += [f"<th>{html.escape(str(h))}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        out += [f"<td>{html.escape(str(c))}</td>" for c in row]
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def targets_table(table: list[dict[str, Any]], lang: str, top: int = 5) -> str:
    """The top investment targets as an HTML table (empty text when there are none)."""
    from model.gaps import investment_targets

    rows = []
    for r in investment_targets(table, rank="cell-eq")[:top]:
        eq = r.get("ranked_gap_cell_gwh_eq")
        rows.append(
            [
                r["rank"],
                r["name"],
                rate(r["ranked_gap"], r["unit"], lang),
                rate(eq, "GWh", lang) if eq is not None else "—",
                rate(r["to_close"], r["unit"], lang),
                percent(r["p_short"]),
            ]
        )
    if not rows:
        return f"<p>{html.escape(t('brief_no_targets', lang))}</p>"
    head = [
        t("rank", lang),
        t("stage", lang),
        t("gap", lang),
        t("var_gap_cell_gwh_eq", lang),
        t("to_close", lang),
        t("p_short", lang),
    ]
    return _table(head, rows, "targets")


def gap_table_html(
    tables: Mapping[str, list[dict[str, Any]]], titles: Mapping[str, str], lang: str
) -> str:
    """Every scenario's gap table, most severe first, quantities as people write them."""
    head = [
        t("scenario", lang),
        t("stage", lang),
        t("status", lang),
        t("supply", lang),
        t("demand", lang),
        t("gap", lang),
        t("var_gap_cell_gwh_eq", lang),
        t("p_short", lang),
    ]
    out = ["<table class='gaps'><thead><tr>"]
    out += [f"<th>{html.escape(h)}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for name, table in tables.items():
        for r in by_severity(table):
            eq = r["gap_cell_gwh_eq"]
            cells = [
                titles.get(name, name),
                r["name"],
                t(f"status_{r['status']}", lang),
                rate(r["supply"], r["unit"], lang),
                rate(r["demand"], r["unit"], lang),
                rate(r["gap"], r["unit"], lang),
                rate(eq, "GWh", lang) if eq is not None else "—",
                percent(r["p_short"]),
            ]
            out.append(f"<tr class='{html.escape(str(r['status']))}'>")
            out += [f"<td>{html.escape(str(c))}</td>" for c in cells]
            out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def sources_html(park: Park, as_of: date | None, lang: str) -> str:
    """The sources the park's figures cite: id, title, publisher, date (no internal paths)."""
    items = []
    for sid in sources_cited(park, as_of):
        src = park.sources[sid]
        extra = ", ".join(x for x in (src.publisher, src.date.isoformat() if src.date else "") if x)
        items.append(
            f"<li><code>{html.escape(sid)}</code> {html.escape(src.title)}"
            + (f" <span class='meta'>({html.escape(extra)})</span>" if extra else "")
            + "</li>"
        )
    return f"<ul class='sources'>{''.join(items)}</ul>"


_CSS = """
@page { size: A4 portrait; margin: 14mm 14mm 16mm 14mm; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif;
       margin: 0 auto; max-width: 760px; padding: 16px; color: #1a1a1a; background: #fff;
       font-size: 13px; line-height: 1.5; }
h1 { font-size: 22px; margin: 0 0 2px 0; }
h2 { font-size: 16px; margin: 14px 0 4px 0; border-bottom: 1px solid #999;
     break-after: avoid; page-break-after: avoid; }
.meta { color: #555; }
.summary { break-after: page; page-break-after: always; }
@media screen { .summary { min-height: 297mm; box-sizing: border-box; } }
ol.findings li { margin-bottom: 6px; }
table { border-collapse: collapse; margin-top: 6px; width: 100%; }
th, td { border: 1px solid #bbb; padding: 2px 6px; text-align: right; }
th { background: #eef1f5; }
td:nth-child(-n+3), table.targets td:nth-child(-n+2) { text-align: left; }
table.gaps { font-size: 12px; }
tr.short td, tr.missing td { background: #fde8e8; }
tr.surplus td { background: #e8f5e9; }
.chart { margin: 8px 0 16px 0; break-inside: avoid; page-break-inside: avoid; }
ul.sources { font-size: 12px; }
table.meta td { border: none; text-align: left; padding: 1px 10px 1px 0; }
"""


def html_briefing(
    park: Park,
    results: Mapping[str, xr.Dataset],
    scenarios: Sequence[Scenario] = (),
    quarter: str | None = None,
    lang: str = "zh",
    previous: xr.Dataset | None = None,
    previous_label: str = "",
) -> str:
    """The briefing page: the one-page summary, then charts, gap tables, sources, metadata.

    Parameters
    ----------
    park
        The park the results were simulated from.
    results
        Scenario name -> full ``simulate()`` Dataset (with draws).
    scenarios
        The scenarios, for their titles.
    quarter
        The pack's quarter label (default: the first simulated quarter).
    lang
        ``"zh"`` or ``"en"``.
    previous
        The previous pack's NetCDF summaries (:func:`model.export.open_netcdf`), if any.
    previous_label
        How to name the previous pack (its quarter).

    Returns
    -------
    str
        A self-contained HTML document (plotly.js inline, once).
    """
    import plotly.io as pio

    from model.gaps import gap_table

    by_name = {s.name: s for s in scenarios}
    titles = _titles(results, scenarios, lang)
    first = next(iter(results.values()))
    start = str(first["quarter"].values[0])
    last = str(first["quarter"].values[-1])
    label = quarter or start
    tables = {
        name: gap_table(park, ds, last, scenario=by_name.get(name), lang=lang)
        for name, ds in results.items()
    }
    as_of_text = str(first.attrs.get("as_of", ""))
    as_of = date.fromisoformat(as_of_text) if as_of_text else None
    made = local_date(datetime.now().astimezone().date(), lang)
    name0 = next(iter(results))

    found = findings(park, results, tables, titles, lang)
    changed = changes(park, results, previous, titles, lang)
    if changed is None:
        change_html = f"<p class='meta'>{html.escape(t('brief_no_previous', lang))}</p>"
    elif not changed:
        change_html = f"<p>{html.escape(t('brief_no_change', lang))}</p>"
    else:
        change_html = "<ul>" + "".join(f"<li>{html.escape(c)}</li>" for c in changed) + "</ul>"
    summary = (
        "<section class='summary'>"
        f"<h1>{html.escape(t('report_title', lang, quarter=label))}</h1>"
        f"<p class='meta'>{html.escape(t('brief_subtitle', lang, as_of=as_of_text, made=made))}"
        f"<br>{html.escape(t('scenarios', lang))}: "
        f"{html.escape('; '.join(titles.values()))}</p>"
        f"<h2>{html.escape(t('brief_findings', lang))}</h2>"
        "<ol class='findings'>" + "".join(f"<li>{html.escape(f)}</li>" for f in found) + "</ol>"
        f"<h2>{html.escape(t('brief_changes', lang, previous=previous_label or '—'))}</h2>"
        + change_html
        + f"<h2>{html.escape(t('brief_targets', lang, scenario=titles[name0], quarter=last))}</h2>"
        + targets_table(tables[name0], lang)
        + "</section>"
    )

    figures = [fan_figure(park, results, s, lang, titles) for s in KEY_STAGES if s in park.stages]
    if not figures:
        figures.append(fan_figure(park, results, park.stage_ids[0], lang, titles))
    figures.append(gaps_figure(park, tables, last, lang, titles))
    figures.append(p_short_figure(park, results[name0], titles[name0], lang))
    charts = []
    for k, fig in enumerate(figures):
        div = pio.to_html(
            fig,
            include_plotlyjs=(k == 0),
            full_html=False,
            config={"displayModeBar": False, "responsive": False},
        )
        charts.append(f"<div class='chart'>{div}</div>")
    meta_rows = [
        (t("scenarios", lang), "; ".join(f"{n} ({titles[n]})" for n in results)),
        (t("data_as_of", lang), as_of_text),
        (t("known_as_of", lang), first.attrs.get("known_as_of", "") or "—"),
        (t("quarters", lang), f"{start} – {last}"),
        (t("draws", lang), ", ".join(str(ds.attrs.get("draws", "")) for ds in results.values())),
        (t("seed", lang), ", ".join(str(ds.attrs.get("seed", "")) for ds in results.values())),
        (t("data_version", lang), first.attrs.get("data_version", "")),
        (t("created", lang), datetime.now().astimezone().isoformat(timespec="minutes")),
    ]
    meta = "".join(
        f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(str(v))}</td></tr>"
        for k, v in meta_rows
    )
    details = (
        f"<h2>{html.escape(t('brief_details', lang))}</h2>"
        f"<p class='meta'>{html.escape(t('brief_fan_key', lang))}</p>"
        + "".join(charts)
        + f"<h2>{html.escape(t('gaps_title', lang, scenario=', '.join(titles.values()), quarter=last))}</h2>"
        + gap_table_html(tables, titles, lang)
        + f"<h2>{html.escape(t('sources', lang))}</h2>"
        + sources_html(park, as_of, lang)
        + f"<table class='meta'>{meta}</table>"
    )
    title = t("report_title", lang, quarter=label)
    return (
        "<!DOCTYPE html>\n"
        f"<html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        + summary
        + details
        + "</body></html>\n"
    )
