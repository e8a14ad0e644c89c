"""The one-page brief of an investment target (model/target_brief.py)."""

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
from model.scenario import load_scenario
from model.simulate import simulate
from model.target_brief import (
    brief_filename,
    plant_basis_text,
    plant_count,
    plant_text,
    plants_needed,
    rate,
    target_brief,
    target_sources,
    typical_plant,
)

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
    # the plant-sized units: the park's 1.5亿 m² line, taken as one line (said so)
    ratio = target["to_close"] / 1.5e8
    assert f"{ratio:.3g}" in text
    assert "cap-0003" in text
    assert "xnetdz-2024-06" in text  # the capacity record's source
    if lang == "zh":
        assert "亿平方米/年" in text
        assert "假设" in text
    else:
        assert "m²/a" in text
        assert "Assumption" in text


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


def test_typical_plant_comes_from_a_project_else_the_existing_line(park: Park) -> None:
    cabinet = typical_plant(park, "storage_cabinet")
    assert cabinet is not None
    assert cabinet.basis == "project"
    assert cabinet.ref == "haide-cabinet"  # 20 and 10 GWh: the larger of the two middle ones
    assert cabinet.value == pytest.approx(20.0)
    separator = typical_plant(park, "separator")
    assert separator is not None
    assert (separator.basis, separator.ref, separator.value) == ("existing", "cap-0003", 1.5e8)
    assert typical_plant(park, "pcs") is None  # neither: none invented
    assert "cap-0003" in plant_basis_text(separator, "en")
    assert "Assumption" in plant_basis_text(separator, "en")


def test_plant_units_follow_the_gap(park: Park) -> None:
    separator = typical_plant(park, "separator")
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
