"""The investment cards' plant-sized units (dashboard/chain_cards.py): size, range, sources."""

from __future__ import annotations

import json
from typing import Any

import pytest
import xarray as xr
from dash import html

from dashboard import chain_cards
from model.catalogue import t
from model.gaps import gap_table, investment_targets
from model.park import Park
from model.scenario import load_scenario
from model.simulate import simulate
from model.target_brief import source_label

QUARTER = "2030Q4"


@pytest.fixture(scope="module")
def baseline_ds(park: Park) -> xr.Dataset:
    """200 draws of the baseline."""
    return simulate(park, load_scenario("baseline", park=park), draws=200)


def _cards(park: Park, ds: xr.Dataset, lang: str) -> dict[str, html.Div]:
    scenario = load_scenario("baseline", park=park)
    targets = investment_targets(gap_table(park, ds, QUARTER, scenario=scenario, lang=lang))
    cards = chain_cards.target_cards(park, targets, lang, "cell-eq", "model")
    return {c.id.removeprefix("chain-card-"): c for c in cards}


def _texts(component: Any) -> str:
    return json.dumps(component, default=lambda c: c.to_plotly_json(), ensure_ascii=False)


def _plant_row(card: html.Div, lang: str) -> html.Div:
    """The card's row of plant-sized units (its label is the brief's "in plant-sized units")."""
    label = t("chain_brief_plants", lang)
    return next(
        row
        for row in card.children
        if isinstance(row, html.Div)
        and isinstance(row.children, list)
        and getattr(row.children[0], "children", None) == label
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_anode_card_counts_plants_with_their_range_and_sources(
    park: Park, baseline_ds: xr.Dataset, lang: str
) -> None:
    card = _cards(park, baseline_ds, lang)["anode_graphite"]
    text = _texts(card)
    if lang == "zh":
        assert "约 1 个 4万吨/年 规模的项目" in text
        assert "典型规模取自已公布项目的中位数（3 个项目，4万吨–10万吨/年" in text
        assert "无典型项目规模" not in text
    else:
        assert "≈ 1 plant of 40,000 t/a" in text
        assert "median of 3 announced plants (40,000 t – 100,000 t/a" in text
    # the hover of the plant number names every announced plant's source
    row = _plant_row(card, lang)
    number = row.children[1]
    for sid in ("econ-E8", "econ-E9", "econ-E10"):
        assert source_label(park, sid, lang) in number.title
    assert "e+" not in text


def test_every_sourced_stage_has_a_plant_size_on_its_card(
    park: Park, baseline_ds: xr.Dataset
) -> None:
    cards = _cards(park, baseline_ds, "zh")
    sourced = {s for (s, m) in park.economics if m == "plant_size"}
    for stage, card in cards.items():
        text = _texts(card)
        if stage in sourced:
            assert "已公布项目" in text, stage
            assert "无典型项目规模" not in text, stage
    # the stages with no announced plant, no project and no line still say so
    for stage in set(cards) & {"ems", "thermal_management", "cc_thermal_field"}:
        assert "无典型项目规模" in _texts(cards[stage])
    # the electrolyte gap is under half a 12.5万 t plant: the card says the share
    assert "1 个 12.5万吨/年 规模的项目即可覆盖" in _texts(cards["electrolyte"])
