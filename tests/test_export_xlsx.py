"""The workbook for people: number formats everywhere, typed cover values, sources as titles
with ids, a long data sheet that filters and pivots, frozen headers, widths that fit
Chinese names, landscape one-page-wide printing, and gaps sorted by severity."""

from __future__ import annotations

import io
import unicodedata
from datetime import datetime

import openpyxl
import pandas as pd
import pytest

from model import export
from model.export.results import SEVERITY
from model.park import load_park
from model.scenario import SHIPPED, load_scenario

DRAWS = 30
QUARTERS = "2029Q1:2030Q4"  # eight quarters keep the data sheet short; gaps are of 2030Q4


@pytest.fixture(scope="module")
def books():
    """The shipped park, its run, and the workbook in Chinese and in English (loaded)."""
    park = load_park()
    scenarios = [load_scenario(n, park=park) for n in SHIPPED]
    results = export.run_scenarios(park, scenarios, draws=DRAWS, seed=4)
    out = {}
    for lang in ("zh", "en"):
        data = export.export_bytes(park, results, scenarios, "xlsx", QUARTERS, lang=lang)
        out[lang] = openpyxl.load_workbook(io.BytesIO(data))
    return park, results, out


def numeric_cells(ws):
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, int | float) and not isinstance(c.value, bool):
                yield c


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_number_is_in_general_format(books, lang) -> None:
    _, _, wbs = books
    wb = wbs[lang]
    gaps = wb[wb.sheetnames[-1]]
    cells = list(numeric_cells(gaps))
    assert len(cells) > 100
    assert [c.coordinate for c in cells if c.number_format == "General"] == []
    for ws in wb.worksheets[1:-1]:  # scenario and data sheets too
        general = [c.coordinate for c in numeric_cells(ws) if c.number_format == "General"]
        assert general == [], ws.title
    # thousands separators, units inside the format of mixed-unit columns, percentages
    formats = {c.number_format for c in cells}
    assert any(f.startswith("#,##0") for f in formats)
    assert "0%" in formats
    unit = "吨/年" if lang == "zh" else "t/a"
    assert any(f'" {unit}"' in f for f in formats)


def test_cover_values_are_typed_and_sources_are_titles_with_ids(books) -> None:
    park, _, wbs = books
    for lang, wb in wbs.items():
        cover = wb[wb.sheetnames[0]]
        rows = [r for r in cover.iter_rows(values_only=True) if r and r[0]]
        info = {r[0]: r[1] for r in rows}
        en = lang == "en"
        assert info["Data as of" if en else "数据截至"] == datetime(2024, 6, 20)
        assert isinstance(info["Seed" if en else "随机种子"], int)
        assert info["Draws" if en else "模拟次数"] == DRAWS
        assert isinstance(info["Created" if en else "生成时间"], datetime)
        assert str(info["Model version" if en else "模型版本"]).startswith("parkcap 0.")
        date_cell = next(c for c in cover["B"] if isinstance(c.value, datetime))
        assert date_cell.number_format == "yyyy-mm-dd"
        # sources: id, title, publisher, date; never a citation or an internal path
        src = park.sources["xnetdz-2024-06"]
        row = next(r for r in rows if r[0] == "xnetdz-2024-06")
        assert row[1] == src.title
        assert row[3] == datetime(2024, 6, 20)
        texts = [c for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for c in r]
        strings = [c for c in texts if isinstance(c, str)]
        assert not [s for s in strings if "shared/" in s or s == src.citation]


def test_data_sheet_filters_and_pivots(books) -> None:
    park, results, wbs = books
    wb = wbs["en"]
    ws = wb["Data"]
    assert ws.freeze_panes == "C2"
    n = ws.max_row
    assert ws.auto_filter.ref == f"A1:M{n}"
    assert wb.defined_names["parkcap_data"].attr_text == f"'Data'!$A$1:$M${n}"
    df = pd.DataFrame(list(ws.iter_rows(min_row=2, values_only=True)))
    df.columns = [c.value for c in ws[1]]
    assert len(df) == len(export.tidy_frame(park, results, QUARTERS))
    assert pd.api.types.is_datetime64_any_dtype(df["Quarter end"])
    assert pd.api.types.is_float_dtype(df["P50"]) or pd.api.types.is_numeric_dtype(df["P50"])
    pivot = df[df["Variable id"] == "nameplate"].pivot_table(
        index="Stage id", columns="Scenario", values="mean", aggfunc="max"
    )
    assert pivot.loc["lfp_cell", "baseline"] >= 37.5
    assert set(df["Unit"]) >= {"t/a", "m²/a", "GWh/a", "set/a"}


def test_panes_widths_and_page_setup(books) -> None:
    park, _, wbs = books
    wb = wbs["zh"]
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.fitToWidth == 1, ws.title
        assert ws.page_setup.fitToHeight == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        if ws.title != wb.sheetnames[0]:
            assert ws.freeze_panes, ws.title
            assert ws.print_title_rows == "$1:$1", ws.title
    data = wb["数据"]
    longest = max(width(s.name_zh) for s in park.stages.values())
    assert data.column_dimensions["C"].width >= longest  # stage names in Chinese fit
    gaps = wb["缺口"]
    assert gaps.freeze_panes == "E2"
    assert gaps.auto_filter.ref.startswith("A1:")


def test_headers_name_units_as_people_write_them(books) -> None:
    _, _, wbs = books
    for lang, expected in (
        ("zh", {"名义产能 P50 (平方米/年)", "名义产能 P50 (吨/年)", "名义产能 P50 (套/年)"}),
        ("en", {"Nameplate capacity P50 (m²/a)", "Nameplate capacity P50 (t/a)"}),
    ):
        ws = wbs[lang]["baseline"]
        headers = {c for r in ws.iter_rows(values_only=True) for c in r if isinstance(c, str)}
        assert expected <= headers, lang
        assert not any("**" in h or "[" in h for h in headers)


def test_gaps_are_sorted_by_severity(books) -> None:
    _, _, wbs = books
    wb = wbs["en"]
    ws = wb["Gaps"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    status_order = {
        "missing": SEVERITY["missing"],
        "short": SEVERITY["short"],
        "capacity not reported": SEVERITY["unreported"],
        "balanced": SEVERITY["balanced"],
        "surplus": SEVERITY["surplus"],
        "no downstream demand in the park": SEVERITY["not_needed"],
    }
    for scenario in SHIPPED:
        mine = [r for r in rows if r["Scenario"] == scenario]
        ranks = [status_order[r["Status"]] for r in mine]
        assert ranks == sorted(ranks), scenario
        assert mine[0]["Status"] in {"missing", "short"}
        assert {r["Quarter"] for r in mine} == {"2030Q4"}
