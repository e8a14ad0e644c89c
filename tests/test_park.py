"""Loading and validating data/: the seeded figures, and every kind of bad input."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from model.errors import DataError
from model.park import load_park


def test_seeded_stocks_have_the_articles_figures(park) -> None:
    stocks = {
        s: r
        for s, r in park.capacity_as_of(date(2024, 6, 30)).items()
        if r.source == "xnetdz-2024-06"  # the PV stages' records come from other sources
    }
    expected = {
        "lfp_cell": 37.5,
        "lfp_cathode": 183_000,
        "separator": 1.5e8,
        "copper_foil": 50_000,
        "cell_casing": 3.5e7,
    }
    assert {s: r.value for s, r in stocks.items()} == pytest.approx(expected)
    assert all(r.source == "xnetdz-2024-06" for r in stocks.values())
    assert stocks["cell_casing"].quantity.to("set").magnitude == 3.5e7


def test_no_battery_stock_before_the_article(park) -> None:
    before = park.capacity_as_of(date(2024, 1, 1))
    assert before  # the PV chain's records (econ-E119, econ-E70) are older
    assert all(park.stages[s].chain == "photovoltaic" for s in before)


def test_chain_has_article_stages_and_the_missing_lfp_stages(park) -> None:
    named = {
        "lfp_cathode",
        "separator",
        "copper_foil",
        "cell_casing",
        "lfp_cell",
        "storage_cabinet",
        "pcs",
        "ems",
        "thermal_management",
        "na_cell",
        "vrfb_system",
        "gravity_storage",
        "polysilicon",
        "mono_silicon",
        "carbon_fibre",
    }
    lfp_needs = {"lithium_carbonate", "anode_graphite", "electrolyte", "aluminium_foil"}
    assert named | lfp_needs <= set(park.stages)


def test_growth_indicators_mean_increase(park) -> None:
    by_subject = {g.subject: g for g in park.growth}
    assert by_subject["mono_silicon"].ratio == pytest.approx(2.3)
    assert by_subject["polysilicon"].ratio == pytest.approx(2.9)
    assert by_subject["carbon_fibre"].ratio == pytest.approx(2.2)
    assert by_subject["high_tech_value_added"].ratio == pytest.approx(1.451)


def test_facts_are_counted_projects(park) -> None:
    facts = {f.id: f for f in park.facts}
    assert facts["fact-2023-projects"].value == 74
    assert facts["fact-reserve-storage"].value == 10


def test_every_number_has_a_source_or_an_assumption(park) -> None:
    for rl in park.recipes:
        assert rl.source in park.sources or rl.assumption, rl
    for p in park.projects:
        assert p.source in park.sources or p.assumption, p
    for s in park.status_params.values():
        assert s.source in park.sources or s.assumption, s


def test_recipe_units_are_converted_to_canonical(park) -> None:
    line = next(
        r for r in park.recipes if r.output == "vrfb_system" and r.input == "vanadium_pentoxide"
    )
    assert line.central == pytest.approx(8500)  # t per GWh


# ---------------------------------------------------------------------------
# bad input: each case breaks one field of a copy of the shipped data
# ---------------------------------------------------------------------------
def _edit(folder: Path, file: str, row: int, column: str, value: str) -> None:
    """Set ``column`` of data row ``row`` (0 = first row under the header)."""
    path = folder / file
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
        header = list(rows[0].keys())
    rows[row][column] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        w.writerows(rows)


def _problems(folder: Path) -> list:
    with pytest.raises(DataError) as info:
        load_park(folder)
    return info.value.problems


BAD_CELLS = [
    # file, data row, column, value, expected words in the message
    ("capacity.csv", 0, "quantity", "37.5 widgets", "unknown unit"),
    ("capacity.csv", 1, "quantity", "18.3 GWh", "wrong dimension"),
    ("capacity.csv", 1, "quantity", "-5 t", "must not be negative"),
    ("capacity.csv", 1, "quantity", "nan t", "not a finite number"),
    ("capacity.csv", 1, "quantity", "", "empty"),
    ("capacity.csv", 2, "stage", "graphene", "unknown stage"),
    ("capacity.csv", 2, "source", "nobody-said", "unknown source"),
    ("capacity.csv", 3, "as_of", "2024-13-45", "not a valid date"),
    ("capacity.csv", 3, "record_id", "cap-0001", "duplicate id"),
    ("stages.csv", 3, "unit", "bananas", "unknown unit"),
    ("stages.csv", 3, "chain", "graphite", "unknown chain"),
    ("stages.csv", 5, "id", "separator", "duplicate id"),
    ("sources.csv", 3, "date", "last June", "not a valid date"),
    ("recipes.csv", 0, "unit", "m**2/GWh", "wrong dimension"),
    ("recipes.csv", 0, "central", "-2250", "greater than zero"),
    ("recipes.csv", 0, "low", "0", "greater than zero"),
    ("recipes.csv", 0, "high", "abc", "not a number"),
    ("recipes.csv", 0, "high", "2100", "low <= central <= high"),
    ("recipes.csv", 0, "source", "", "assumption"),
    ("recipes.csv", 0, "input", "unobtainium", "unknown stage"),
    ("recipes.csv", 0, "technology", "nmc", "unknown technology"),
    ("recipes.csv", 0, "input", "lfp_cell", "its own input"),
    ("growth.csv", 0, "growth", "翻番", "cannot read growth"),
    ("projects.csv", 0, "capacity", "20 t", "wrong dimension"),
    ("projects.csv", 0, "capacity", "0 GWh", "must be positive"),
    ("projects.csv", 0, "status", "dreaming", "unknown status"),
    ("projects.csv", 0, "expected_start", "2026Q5", "not a quarter"),
    ("status_params.csv", 0, "p_complete", "1.5", "from 0 to 1"),
]


@pytest.mark.parametrize(("file", "row", "column", "value", "words"), BAD_CELLS)
def test_bad_cell_is_named_with_file_row_field_and_value(
    shipped_dir, file, row, column, value, words
) -> None:
    _edit(shipped_dir, file, row, column, value)
    problems = _problems(shipped_dir)
    hits = [p for p in problems if p.file == file and p.field == column and words in p.expected]
    assert hits, [str(p) for p in problems]
    assert hits[0].row == row + 2  # header is line 1
    if value:
        assert hits[0].value == value
    assert str(hits[0]).startswith(f"{file}, row {row + 2}, field '{column}'")


def test_all_problems_are_reported_in_one_run(shipped_dir) -> None:
    _edit(shipped_dir, "capacity.csv", 0, "quantity", "37.5 widgets")
    _edit(shipped_dir, "recipes.csv", 0, "unit", "m**2/GWh")
    _edit(shipped_dir, "stages.csv", 3, "chain", "graphite")
    files = {p.file for p in _problems(shipped_dir)}
    assert {"capacity.csv", "recipes.csv", "stages.csv"} <= files


def test_empty_file(shipped_dir) -> None:
    (shipped_dir / "capacity.csv").write_bytes(b"")
    assert any(p.file == "capacity.csv" and "empty" in p.expected for p in _problems(shipped_dir))


def test_missing_column(shipped_dir) -> None:
    text = (shipped_dir / "capacity.csv").read_text(encoding="utf-8").replace("as_of,", "asof,", 1)
    (shipped_dir / "capacity.csv").write_text(text, encoding="utf-8")
    problems = _problems(shipped_dir)
    assert any(p.field == "as_of" and "missing" in p.expected for p in problems)
    assert any(p.field == "asof" and "unknown column" in p.expected for p in problems)


def test_missing_file(shipped_dir) -> None:
    (shipped_dir / "recipes.csv").unlink()
    assert any(p.file == "recipes.csv" and "missing" in p.expected for p in _problems(shipped_dir))


def test_two_stage_recipe_cycle_is_caught(shipped_dir) -> None:
    with (shipped_dir / "recipes.csv").open("a", encoding="utf-8") as fh:
        fh.write("lithium_carbonate,lfp,lfp_cell,1,1,1,GWh/t,,test cycle,\n")
    problems = _problems(shipped_dir)
    assert any("recipe cycle" in p.expected and "lfp_cell" in p.expected for p in problems)


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig"])
def test_csv_as_chinese_excel_saves_it(shipped_dir, encoding: str) -> None:
    for name in ("capacity.csv", "stages.csv", "projects.csv"):
        path = shipped_dir / name
        path.write_bytes(path.read_text(encoding="utf-8").replace("\n", "\r\n").encode(encoding))
    park = load_park(shipped_dir)
    assert park.capacity_as_of(date(2024, 6, 30))["lfp_cathode"].value == 183_000
    assert park.stages["separator"].name_zh == "隔膜"


def test_undecodable_file(shipped_dir) -> None:
    (shipped_dir / "capacity.csv").write_bytes(b"\xff\xfe\x00\x81\x00bad")
    assert any(p.file == "capacity.csv" and "decode" in p.expected for p in _problems(shipped_dir))


def test_later_record_changes_the_state_after_its_date_only(mini_dir) -> None:
    with (mini_dir / "capacity.csv").open("a", encoding="utf-8") as fh:
        fh.write("c4,lfp_cell,15GWh,2025-03-31,2025-04-10,mini-src,phase 2 commissioned\n")
    park = load_park(mini_dir)
    assert park.capacity_as_of(date(2025, 3, 30))["lfp_cell"].value == 10
    assert park.capacity_as_of(date(2025, 3, 31))["lfp_cell"].value == 15
    # as known before it was recorded, the commissioning is not there yet
    assert (
        park.capacity_as_of(date(2025, 6, 30), known_as_of=date(2025, 4, 1))["lfp_cell"].value == 10
    )


def test_mini_park_loads(mini_park) -> None:
    assert mini_park.stage_ids == ["lfp_cathode", "separator", "lfp_cell"]
    assert mini_park.capacity_as_of(date(2024, 6, 30))["lfp_cathode"].value == 15_000


def test_unreadable_sources_file_is_one_problem_not_one_per_row(shipped_dir) -> None:
    (shipped_dir / "sources.csv").write_bytes(b"")
    problems = _problems(shipped_dir)
    assert [p.file for p in problems] == ["sources.csv"]
