"""The overview's pure builders: headline cards, chain strip, finding sentence, folded table.

The finding and the coverage must move with the data: a park whose separator record is
doubled or removed, or whose cells are doubled, reads differently.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest
import xarray as xr
from dash import Dash

from dashboard import overview_finding as ovf
from dashboard import overview_view as ov
from dashboard.i18n import quantity
from dashboard.state import AppState
from model.catalogue import TEXT, t
from model.gaps import gap_table, investment_targets
from model.park import Park
from model.scenario import Scenario, load_scenario
from model.simulate import simulate
from model.tracking import stock_table

LATIN = re.compile(r"[A-Za-z]")
#: the only Latin text a Chinese overview string may hold: unit symbols and quarter labels
ZH_ALLOWED = re.compile(r"GWh|GW|\d{4}Q[1-4]")


def tables(park: Park, scenario: Scenario, lang: str) -> tuple[list[dict[str, Any]], list[Any]]:
    """Stocks on the data's date and the nameplate gap table of the projection's first quarter."""
    ds: xr.Dataset = simulate(park, scenario, draws=40)
    quarter = str(ds["quarter"].values[0])
    stocks = stock_table(park, park.latest_date(), lang=lang)
    return stocks, gap_table(park, ds, quarter, scenario=scenario, lang=lang)


def with_capacity(park: Park, stage: str, factor: float | None) -> Park:
    """The park with ``stage``'s capacity records scaled by ``factor`` (``None``: removed)."""
    records = tuple(
        r if r.stage != stage else replace(r, value=r.value * factor)
        for r in park.capacity_records
        if r.stage != stage or factor is not None
    )
    return replace(park, capacity_records=records, data_version=f"{park.data_version}-{stage}")


@pytest.fixture(scope="module")
def baseline(park: Park) -> Scenario:
    return load_scenario("baseline", park=park)


@pytest.fixture(scope="module")
def shipped(park: Park, baseline: Scenario) -> dict[str, tuple[list[Any], list[Any]]]:
    return {lang: tables(park, baseline, lang) for lang in ("zh", "en")}


# ---------------------------------------------------------------------------
# headline numbers equal the model's
# ---------------------------------------------------------------------------
def test_headline_cells_gap_and_target_are_the_models(
    park: Park, baseline: Scenario, shipped: dict[str, Any]
) -> None:
    stocks, gaps = shipped["en"]
    cards = {c["key"]: c for c in ov.headline(park, stocks, gaps, baseline, "en", "Baseline")}
    cells = next(r for r in stocks if r["stage"] == "lfp_cell")
    assert cards["cells"]["value"] == quantity(cells["value"], "GWh", "en")
    assert cells["record_id"] in cards["cells"]["source"]
    assert cells["as_of"] in cards["cells"]["source"]
    assert cells["recorded"] in cards["cells"]["source"]

    biggest = max(
        (r for r in gaps if r["gap_cell_gwh_eq"] is not None), key=lambda r: r["gap_cell_gwh_eq"]
    )
    assert biggest["name"].startswith(cards["gap"]["value"])
    assert f"{biggest['gap_cell_gwh_eq']:.1f}" in cards["gap"]["figure"]
    assert gaps[0]["quarter"] in cards["gap"]["sub"]

    first = investment_targets(gaps)[0]
    assert first["name"].startswith(cards["target"]["value"])
    assert f"{first['ranked_gap_cell_gwh_eq']:.1f}" in cards["target"]["figure"]
    assert quantity(first["to_close"], first["unit"], "en") in cards["target"]["sub"]
    # the stages tied with the first target are named, not hidden
    tied = [
        r
        for r in investment_targets(gaps)
        if r["score"] is not None and abs(r["score"] - first["score"]) < 1e-6
    ]
    assert str(len(tied) - 1) in cards["target"]["ties"]


def test_stages_present_of_those_needed(
    park: Park, baseline: Scenario, shipped: dict[str, Any]
) -> None:
    stocks, gaps = shipped["en"]
    present = ov.present_stages(stocks)
    needed = ov.needed_stages(park, present, baseline)
    assert set(present) <= set(needed)
    # every stage the park's plants already draw on is needed
    assert {r["stage"] for r in gaps if r["demand"] > 0} <= set(needed)
    # the electrolyte's salt is needed although the park has no electrolyte plant yet;
    # an all-LFP mix needs no sodium-ion cells
    assert "lipf6" in needed
    assert "na_cell" not in needed
    card = next(c for c in ov.headline(park, stocks, gaps, baseline, "en") if c["key"] == "stages")
    assert card["value"] == f"{len(present)} / {len(needed)}"
    # a park with a separator plant removed has one stage fewer
    fewer = ov.present_stages(
        stock_table(with_capacity(park, "separator", None), park.latest_date(), lang="en")
    )
    assert len(fewer) == len(present) - 1


# ---------------------------------------------------------------------------
# the finding moves with the data
# ---------------------------------------------------------------------------
def test_finding_reads_like_the_planners_sentence(park: Park, shipped: dict[str, Any]) -> None:
    zh = ovf.finding(park, *shipped["zh"][:1], shipped["zh"][1], "zh")
    en = ovf.finding(park, *shipped["en"][:1], shipped["en"][1], "en")
    assert zh.startswith("园区现有动力及储能电池产能37.5吉瓦时/年；")
    assert "隔膜可满足其约三分之一" in zh
    assert "负极材料、电解液、铝箔尚属空白" in zh
    assert zh.endswith("。")
    assert not LATIN.search(zh)
    assert en.startswith("The park has 37.5 GWh/a of power and storage cells;")
    assert "separator covers about a third of them" in en
    assert "anode material, electrolyte and aluminium foil are missing" in en


@pytest.mark.parametrize(
    ("stage", "factor", "zh_part", "en_part"),
    [
        ("separator", 2.0, "隔膜可满足其约三分之二", "separator covers about two thirds"),
        ("separator", None, "负极材料、隔膜、电解液、铝箔尚属空白", "separator, electrolyte"),
        # 12.5 GWh-eq of separator for 75 GWh of cells: tenths
        ("lfp_cell", 2.0, "产能75吉瓦时/年；隔膜可满足其约两成", "separator covers about 20 %"),
    ],
)
def test_finding_moves_with_the_records(
    park: Park, baseline: Scenario, stage: str, factor: float | None, zh_part: str, en_part: str
) -> None:
    changed = with_capacity(park, stage, factor)
    zh = ovf.finding(changed, *tables(changed, baseline, "zh"), "zh")
    en = ovf.finding(changed, *tables(changed, baseline, "en"), "en")
    assert zh_part in zh
    assert en_part in en
    assert not LATIN.search(zh)


def test_separator_tile_coverage_moves(park: Park, baseline: Scenario) -> None:
    def tile(p: Park) -> dict[str, str]:
        stocks, gaps = tables(p, baseline, "en")
        groups = ov.chain_strip(p, stocks, gaps, "en")
        return next(x for g in groups for x in g["tiles"] if x["stage"] == "separator")

    base = tile(park)
    doubled = tile(with_capacity(park, "separator", 2.0))
    removed = tile(with_capacity(park, "separator", None))
    assert base["coverage"].startswith("12.5 of 37.5")
    assert base["status"] == "short"
    assert doubled["coverage"].startswith("25 of 37.5")
    assert doubled["status"] == "short"
    assert removed["coverage"].startswith("0 of 37.5")
    assert removed["status"] == "missing"
    assert "cap-0003" in base["source"]
    assert "cap-0003" not in removed["source"]
    tripled = tile(with_capacity(park, "separator", 3.0))
    assert tripled["status"] == "balanced"  # 1.5亿 m² × 3 = what 37.5 GWh of cells need


def test_fraction_words_follow_the_share() -> None:
    shares = [0.05, 0.25, 0.34, 0.5, 0.66, 0.74, 0.42, 0.93, 0.97]
    zh = [ovf.fraction_words(s, "zh") for s in shares]
    en = [ovf.fraction_words(s, "en") for s in shares]
    assert zh == [
        "不足一成",
        "约四分之一",
        "约三分之一",
        "约一半",
        "约三分之二",
        "约四分之三",
        "约四成",
        "约九成",
        "几乎全部",
    ]
    assert en[2] == "about a third"
    assert en[6] == "about 40 %"
    assert en[7] == "about 90 %"


def test_no_storage_product_gives_its_own_sentence(park: Park, baseline: Scenario) -> None:
    no_cells = with_capacity(park, "lfp_cell", None)
    stocks, gaps = tables(no_cells, baseline, "en")
    assert ovf.finding(no_cells, stocks, gaps, "en") == t("ov_finding_none", "en")


# ---------------------------------------------------------------------------
# strip, order, table
# ---------------------------------------------------------------------------
def test_stage_order_puts_inputs_first_and_groups_chains(park: Park) -> None:
    order = ov.stage_order(park)
    assert sorted(order) == sorted(park.stage_ids)
    for k, sid in enumerate(order):
        same = park.stages[sid].chain
        for up in order[k + 1 :]:
            assert not (park.stages[up].chain == same and park.chain.is_upstream(up, sid))
    chains = [park.stages[s].chain for s in order]
    assert chains == sorted(chains, key=chains.index)  # each chain in one block
    assert (
        order.index("carbon_fibre") < order.index("cc_thermal_field") < order.index("mono_silicon")
    )


def test_strip_quiet_chains_and_every_tile_has_text_and_source(
    park: Park, shipped: dict[str, Any]
) -> None:
    stocks, gaps = shipped["zh"]
    groups = ov.chain_strip(park, stocks, gaps, "zh")
    needed = ov.needed_stages(park, ov.present_stages(stocks), None)
    tiles = {
        x["stage"]: x for g in ov.chain_strip(park, stocks, gaps, "zh", needed) for x in g["tiles"]
    }
    # needed by the chain but drawn on by nothing yet: said in words, not left blank
    assert tiles["lipf6"]["coverage"] == t("ov_needed_later", "zh")
    assert tiles["pcs"]["coverage"] == t("ov_needed_later", "zh")
    assert tiles["na_cell"]["coverage"] == ""
    quiet = {g["chain"] for g in groups if g["quiet"]}
    assert quiet == {"sodium_ion", "vanadium_flow", "gravity"}
    for g in groups:
        for x in g["tiles"]:
            assert x["status_text"] == t(f"status_{x['status']}", "zh")
            assert x["source"]
            assert not LATIN.search(ZH_ALLOWED.sub("", x["coverage"]))


def test_stocks_table_lists_recorded_stages_first(park: Park, shipped: dict[str, Any]) -> None:
    stocks, _ = shipped["zh"]
    rows = ov.stocks_rows_ordered(park, stocks, "zh")
    presence = [r["presence"] for r in rows]
    assert presence == sorted(presence, key=["recorded", "reported_no_capacity", "absent"].index)
    assert presence[0] == "recorded"
    assert presence[-1] == "absent"
    assert len(rows) == len(park.stage_ids)


# ---------------------------------------------------------------------------
# both languages
# ---------------------------------------------------------------------------
def test_catalogue_has_both_languages_and_no_english_in_chinese() -> None:
    keys = [k for k in TEXT if k.startswith("ov_")]
    assert len(keys) > 30
    for k in keys:
        assert set(TEXT[k]) == {"zh", "en"}
        if TEXT[k]["en"]:
            assert TEXT[k]["zh"] != TEXT[k]["en"] or not LATIN.search(TEXT[k]["en"]), k
        assert not LATIN.search(ZH_ALLOWED.sub("", re.sub(r"\{\w+\}", "", TEXT[k]["zh"]))), k


def test_headline_labels_in_both_languages(
    park: Park, baseline: Scenario, shipped: dict[str, Any]
) -> None:
    zh = ov.headline(park, *shipped["zh"], baseline, "zh", baseline.title("zh"))
    en = ov.headline(park, *shipped["en"], baseline, "en", baseline.title("en"))
    for a, b in zip(zh, en, strict=True):
        assert a["label"] != b["label"]
        for text in (a["label"], a["value"], a["figure"], a["ties"]):
            assert not LATIN.search(ZH_ALLOWED.sub("", text)), text


# ---------------------------------------------------------------------------
# the page body: "as known on"
# ---------------------------------------------------------------------------
def _text(node: Any) -> str:
    """All text of a Dash component tree."""
    if isinstance(node, str):
        return node
    if isinstance(node, list | tuple):
        return " ".join(_text(n) for n in node)
    children = getattr(node, "children", None)
    return _text(children) if children is not None else ""


def _find(node: Any, ident: str) -> Any:
    if isinstance(node, list | tuple):
        for n in node:
            if (hit := _find(n, ident)) is not None:
                return hit
        return None
    if getattr(node, "id", None) == ident:
        return node
    children = getattr(node, "children", None)
    return _find(children, ident) if children is not None else None


def test_page_follows_the_known_as_of_date(app: Dash, state: AppState) -> None:
    from dashboard.pages import overview

    now = overview.page(state, "en", None)
    assert _find(now, "ov-known") is None
    poly_now = _text(_find(now, "ov-tile-polysilicon"))
    assert "short" in poly_now
    assert "cap-0008" in _find(now, "ov-tile-polysilicon").title

    # the polysilicon record (cap-0008) was recorded on 2026-11-30: not known on 2025-01-01
    then = overview.page(state, "en", "2025-01-01")
    assert "2025-01-01" in _text(_find(then, "ov-known"))
    tile = _find(then, "ov-tile-polysilicon")
    # nor the ingot pullers' (cap-0009): nothing in the park needs polysilicon then
    assert "no downstream demand" in _text(tile)
    assert "short" not in _text(tile)
    assert "cap-0008" not in tile.title
    assert "names the stage" in tile.title

    before = overview.page(state, "zh", "2024-01-01")  # before the first record
    assert _text(before).count("尚无产能记录") == 1
    # anything that is not a date shows every record
    assert _text(overview.page(state, "en", "../etc/passwd")) == _text(now)


@pytest.mark.parametrize(
    ("known", "expect", "absent"),
    [
        (None, "The park has 37.5 GWh/a", "as known on"),
        ("2025-01-01", "The park as known on 2025-01-01", "cap-0008"),
        ({"path": "/etc/passwd"}, "The park has 37.5 GWh/a", "Traceback"),
        ("2999-01-01", "The park has 37.5 GWh/a", "2999"),
    ],
)
def test_overview_callback_over_http(app: Dash, known: Any, expect: str, absent: str) -> None:
    import json

    from dashboard.protocol import update_body

    body = update_body(
        app,
        "ov-content.children",
        {"lang.data": "en", "known-as-of.data": known},
        ["known-as-of.data"],
    )
    r = app.server.test_client().post("/_dash-update-component", json=body)
    assert r.status_code == 200
    text = json.dumps(r.get_json()["response"], ensure_ascii=False)
    assert expect in text
    assert absent not in text
    assert "pc-alert" not in text


def test_the_folded_tables_are_built_when_first_opened(app: Dash, state: AppState) -> None:
    import dash

    from dashboard.pages import overview

    page = overview.page(state, "zh", None)
    assert _find(page, "ov-more") is not None
    assert _find(page, "ov-stocks") is None  # not sent with the page
    with app.server.test_request_context():
        body = overview.fill_more(1, None, "zh", None)
        again = overview.fill_more(2, body, "zh", None)
        english = overview.fill_more(1, None, "en", None)
        unclicked = overview.fill_more(0, None, "zh", None)
    assert _find(body, "ov-stocks") is not None
    assert "万吨" in _text(body)
    assert "t/a" in _text(english)
    assert again is dash.no_update  # opened before: left as it is
    assert unclicked is dash.no_update
