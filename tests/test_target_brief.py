"""The one-page brief of an investment target (model/target_brief.py) and the plant-sized
units it says the gap in (model/plant_size.py)."""

from __future__ import annotations

import dataclasses
import html
import re
from datetime import date
from typing import Any

import pytest
import xarray as xr

from model.gaps import gap_table, investment_targets
from model.park import Park
from model.plant_size import (
    plant_basis_text,
    plant_count,
    plant_text,
    plants_needed,
    rate,
    typical_plant,
)
from model.scenario import load_scenario
from model.simulate import simulate
from model.target_brief import brief_filename, target_brief, target_sources

QUARTER = "2030Q4"
MADE = date(2026, 11, 30)


@pytest.fixture(scope="module")
def baseline_ds(park: Park) -> xr.Dataset:
    """200 draws of the baseline."""
    return simulate(park, load_scenario("baseline", park=park), draws=200)


def _targets(park: Park, ds: xr.Dataset, lang: str) -> list[dict[str, Any]]:
    scenario = load_scenario("baseline", park=park)
    return investment_targets(gap_table(park, ds, QUARTER, scenario=scenario, lang=lang))


def _brief(park: Park, target: dict[str, Any], lang: str, known: date | None = None) -> str:
    scenario = load_scenario("baseline", park=park)
    return target_brief(
        park,
        target,
        lang=lang,
        scenario_name=scenario.name,
        scenario_title=scenario.title(lang),
        made_on=MADE,
        known_as_of=known,
    )


def _visible_text(page: str) -> str:
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_brief_holds_the_targets_numbers(
    park: Park, baseline_ds: xr.Dataset, lang: str
) -> None:
    target = next(r for r in _targets(park, baseline_ds, lang) if r["stage"] == "separator")
    page = _brief(park, target, lang)
    text = _visible_text(page)
    assert page.startswith("<!DOCTYPE html>")
    assert park.stages["separator"].name(lang) in text
    assert rate(target["to_close"], "m**2", lang) in text
    assert rate(target["ranked_gap"], "m**2", lang) in text
    assert f"{100 * target['p_short']:.0f}%" in text
    assert QUARTER in text
    assert MADE.isoformat() in text
    assert load_scenario("baseline", park=park).title(lang) in text
    # the plant-sized units: the median of four announced wet-process lines, 7.5亿 m²/a;
    # the park's gap is under half of one, so the brief says the share
    share = target["to_close"] / 7.5e8
    assert 0 < share < 0.5
    assert f"{100 * share:.2g}%" in text
    assert "xnetdz-2024-06" in text  # the capacity record's source
    for sid in ("econ-E18", "econ-E19", "econ-E20", "econ-E21"):  # the four plants
        assert sid in text
    if lang == "zh":
        assert "7.5亿平方米/年" in text
        assert "中位数（4 个项目，4亿平方米–16亿平方米/年" in text
    else:
        assert "750,000,000 m²/a" in text
        assert "median of 4 announced plants (400,000,000 m² – 1,600,000,000 m²/a" in text


def test_the_brief_is_self_contained(park: Park, baseline_ds: xr.Dataset) -> None:
    for target in _targets(park, baseline_ds, "en")[:4]:
        page = _brief(park, target, "en").lower()
        assert "<script" not in page
        assert "http" not in page.replace("http-equiv", "")  # nothing fetched, no link out
        assert "<link" not in page
        assert "@import" not in page
        assert "<style>" in page


def test_the_chinese_brief_has_no_english_but_units_and_ids(
    park: Park, baseline_ds: xr.Dataset
) -> None:
    scenario = load_scenario("baseline", park=park)
    units = {"GWh", "GW", "t", "a", "m", "set"}
    for target in _targets(park, baseline_ds, "zh"):
        text = _visible_text(_brief(park, target, "zh"))
        stage = target["stage"]
        allowed = set(units) | {scenario.name, QUARTER}
        allowed |= set(re.findall(r"[A-Za-z][\w\-.]*", park.stages[stage].name_zh))
        allowed |= set(stage.split()) | set(target_sources(park, target))
        allowed |= {p.id for p in park.projects}
        allowed |= {r.record_id for r in park.capacity_records} | {"recipes.csv"}
        words = set(re.findall(r"[A-Za-z][\w\-.]*", text))
        english = {w for w in words if w not in allowed and not re.fullmatch(r"Q\d", w)}
        assert english == set(), (stage, english)
        assert "短缺概率" in text


def test_data_text_is_escaped(park: Park, baseline_ds: xr.Dataset) -> None:
    evil = "<img src=x onerror=alert(1)>&"
    stages = dict(park.stages)
    stages["pcs"] = dataclasses.replace(stages["pcs"], name_zh=evil, name_en=evil)
    projects = tuple(
        dataclasses.replace(p, name_zh=evil, name_en=evil) if p.stage == "storage_cabinet" else p
        for p in park.projects
    )
    odd = dataclasses.replace(park, stages=stages, projects=projects)
    targets = {r["stage"]: r for r in _targets(park, baseline_ds, "en")}
    cabinet = {**targets["pcs"], "stage": "storage_cabinet", "unit": "GWh", "reference": None}
    for target in (targets["pcs"], cabinet):
        for lang in ("zh", "en"):
            page = _brief(odd, target, lang)
            assert "<img" not in page
            assert "&lt;img src=x onerror=alert(1)&gt;&amp;" in page


def _without_plant_size(park: Park, *stages: str) -> Park:
    """``park`` as if ``economics.csv`` gave no plant size for ``stages``."""
    kept = {
        k: v for k, v in park.economics.items() if not (k[1] == "plant_size" and k[0] in stages)
    }
    return dataclasses.replace(park, economics=kept)


def test_typical_plant_comes_from_economics_first(park: Park) -> None:
    anode = typical_plant(park, "anode_graphite")
    assert anode is not None
    assert (anode.basis, anode.value, anode.unit) == ("economics", 40_000, "t")
    assert (anode.low, anode.high, anode.plants) == (40_000, 100_000, 3)
    assert anode.source == "econ-E9"
    assert set(anode.sources) == {"econ-E8", "econ-E9", "econ-E10"}
    # the stage's pipeline projects (20 and 10 GWh) no longer set the size: the sourced
    # median of three announced integration lines does
    cabinet = typical_plant(park, "storage_cabinet")
    assert cabinet is not None
    assert (cabinet.basis, cabinet.value, cabinet.plants) == ("economics", 10.0, 3)
    pcs = typical_plant(park, "pcs")  # neither project nor line, but one announced plant
    assert pcs is not None
    assert (pcs.basis, pcs.value, pcs.plants) == ("economics", 10.0, 1)
    assert typical_plant(park, "ems") is None  # nothing sourced: none invented
    assert "median of 3 announced plants (40,000 t – 100,000 t/a" in plant_basis_text(anode, "en")
    assert "中位数（3 个项目，4万吨–10万吨/年；来源 econ-E9" in plant_basis_text(anode, "zh")
    assert "one announced plant" in plant_basis_text(pcs, "en")
    assert "1 个已公布项目" in plant_basis_text(pcs, "zh")


def test_without_a_plant_size_a_project_else_the_existing_line(park: Park) -> None:
    bare = _without_plant_size(park, "storage_cabinet", "separator", "pcs")
    cabinet = typical_plant(bare, "storage_cabinet")
    assert cabinet is not None
    assert cabinet.basis == "project"
    assert cabinet.ref == "haide-cabinet"  # 20 and 10 GWh: the larger of the two middle ones
    assert cabinet.value == pytest.approx(20.0)
    separator = typical_plant(bare, "separator")
    assert separator is not None
    assert (separator.basis, separator.ref, separator.value) == ("existing", "cap-0003", 1.5e8)
    assert typical_plant(bare, "pcs") is None  # neither: none invented
    assert "cap-0003" in plant_basis_text(separator, "en")
    assert "Assumption" in plant_basis_text(separator, "en")
    assert "假设" in plant_basis_text(cabinet, "zh")


@pytest.mark.parametrize(
    ("stage", "size_zh", "size_en"),
    [
        ("anode_graphite", "4万吨/年", "40,000 t/a"),
        ("electrolyte", "12.5万吨/年", "125,000 t/a"),
        ("aluminium_foil", "20万吨/年", "200,000 t/a"),
    ],
)
def test_the_big_missing_stages_now_count_plants(
    park: Park, baseline_ds: xr.Dataset, stage: str, size_zh: str, size_en: str
) -> None:
    """Issue 12: these had no pipeline project and no line, so no plant size at all."""
    target = next(r for r in _targets(park, baseline_ds, "zh") if r["stage"] == stage)
    plant = typical_plant(park, stage)
    assert plant is not None
    assert plant.basis == "economics"
    ratio = plants_needed(target["to_close"], plant)
    assert ratio is not None
    assert ratio > 0
    assert plant_count(ratio) >= 1
    zh, en = (
        plant_text(target["to_close"], plant, "zh"),
        plant_text(target["to_close"], plant, "en"),
    )
    assert "无典型项目规模" not in zh
    assert f"{plant_count(ratio)} 个 {size_zh}" in zh
    assert f"{plant_count(ratio)} plant" in en
    assert size_en in en
    page = _visible_text(_brief(park, target, "zh"))
    assert size_zh in page
    assert "已公布项目" in page
    assert plant.source in page


def test_the_baseline_anode_gap_is_about_one_standard_plant(
    park: Park, baseline_ds: xr.Dataset
) -> None:
    """The park's 2030 anode need (3.75万 t/a to close) against 4万 t/a standard plants."""
    target = next(r for r in _targets(park, baseline_ds, "en") if r["stage"] == "anode_graphite")
    plant = typical_plant(park, "anode_graphite")
    ratio = plants_needed(target["to_close"], plant)
    assert ratio == pytest.approx(target["to_close"] / 40_000)
    assert 0.5 <= ratio < 1.5  # one plant of the 骅扬 / 中烨 size, not a fraction, not two
    assert target["to_close"] / 100_000 < 0.5  # against the largest (天铁 10万 t) under half
    assert plant_text(target["to_close"], plant, "zh").startswith("约 1 个 4万吨/年 规模的项目")
    assert plant_text(target["to_close"], plant, "en").startswith("≈ 1 plant of 40,000 t/a")


def test_a_gap_under_half_a_plant_is_said_as_a_share(park: Park) -> None:
    foil = typical_plant(park, "aluminium_foil")  # one announced plant of 20万 t
    assert (
        plant_text(7_000, foil, "zh")
        == "1 个 20万吨/年 规模的项目即可覆盖（缺口仅为其产能的 3.5%）"
    )
    assert "only 3.5% of its capacity" in plant_text(7_000, foil, "en")
    assert "<0.1%" in plant_text(1.0, foil, "en")
    # and grows into whole plants as the gap does
    assert plant_text(100_000, foil, "en").startswith("≈ 1 plant of 200,000 t/a")
    assert plant_text(1_000_000, foil, "en").startswith("≈ 5 plants of 200,000 t/a")


def test_plant_units_follow_the_gap(park: Park) -> None:
    anode = typical_plant(park, "anode_graphite")
    counts = [plant_count(plants_needed(gap, anode) or 0.0) for gap in (3e4, 1e5, 2e5, 4e5)]
    assert counts == sorted(counts)
    assert counts == [1, 3, 5, 10]  # 4万 t plants: 0.75, 2.5, 5, 10 of them
    separator = typical_plant(_without_plant_size(park, "separator"), "separator")
    small, large = plants_needed(1.0e8, separator), plants_needed(4.6e8, separator)
    assert small is not None
    assert large is not None
    assert large > small
    assert large == pytest.approx(4.6e8 / 1.5e8)
    assert plant_count(large) == 3
    assert plant_count(small) == 1  # a gap smaller than one plant still needs one
    assert plant_count(0.0) == 0
    assert plants_needed(1.0, None) is None
    assert "约 3 个 1.5亿平方米/年" in plant_text(4.6e8, separator, "zh")
    assert "≈ 3 plants of 150,000,000 m²/a" in plant_text(4.6e8, separator, "en")


def test_the_known_date_is_printed(park: Park, baseline_ds: xr.Dataset) -> None:
    target = _targets(park, baseline_ds, "en")[0]
    known = date(2025, 1, 1)
    assert "2025-01-01" in _visible_text(_brief(park.as_known_on(known), target, "en", known))
    assert "All records" in _visible_text(_brief(park, target, "en"))


def test_the_file_name_keeps_to_ids() -> None:
    name = brief_filename({"stage": "../../etc/passwd", "rank": 2, "quarter": "2030Q4"}, "zh")
    assert name == "brief-2-etcpasswd-2030Q4-zh.html"
