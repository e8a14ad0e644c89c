"""Scenario files: inheritance and merge rules, validation with key paths, round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.errors import DataError
from model.scenario import Scenario, differences, load_scenario, merge, to_toml


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def sdir(tmp_path: Path) -> Path:
    d = tmp_path / "scenarios"
    d.mkdir()
    write(
        d,
        "parent",
        'horizon = "2028Q4"\ndraws = 50\n[demand]\ngrowth = 0.1\ngrowth_spread = 0.02\n[utilisation]\ndefault = [0.5, 0.8]\n[projects]\nremove = ["a"]\n',
    )
    return d


def test_merge_rules_tables_merge_scalars_and_lists_replace() -> None:
    parent = {
        "demand": {"growth": 0.1, "growth_spread": 0.02},
        "projects": {"remove": ["a", "b"]},
        "draws": 5,
    }
    child = {"demand": {"growth": 0.3}, "projects": {"remove": ["c"]}, "draws": 9}
    merged = merge(parent, child)
    assert merged["demand"] == {"growth": 0.3, "growth_spread": 0.02}  # key by key
    assert merged["projects"]["remove"] == ["c"]  # a list replaces the parent's
    assert merged["draws"] == 9


def test_extends_inherits_and_overrides(sdir: Path) -> None:
    write(sdir, "child", 'extends = "parent"\n[demand]\ngrowth = 0.3\n')
    s = load_scenario("child", sdir)
    assert s.demand.growth == 0.3
    assert s.demand.growth_spread == 0.02  # kept from the parent
    assert s.horizon == "2028Q4"
    assert s.utilisation["default"] == (0.5, 0.8)
    assert s.extends == "parent"
    assert s.name == "child"


def test_three_levels_of_inheritance(sdir: Path) -> None:
    write(sdir, "child", 'extends = "parent"\ndraws = 7\n')
    write(sdir, "grandchild", 'extends = "child"\n[technology_mix]\nlfp = 0.5\nsodium_ion = 0.5\n')
    s = load_scenario("grandchild", sdir)
    assert (s.draws, s.horizon, s.technology_mix.shares()["sodium_ion"]) == (7, "2028Q4", 0.5)


def test_unknown_key_is_an_error_with_its_path(sdir: Path) -> None:
    write(sdir, "typo", 'extends = "parent"\n[demand]\ngrowht = 0.3\n')
    with pytest.raises(DataError) as info:
        load_scenario("typo", sdir)
    p = info.value.problems[0]
    assert p.field == "demand.growht"
    assert "unknown key" in p.expected
    assert "typo.toml" in p.file


def test_unknown_key_in_parent_is_not_silently_kept(sdir: Path) -> None:
    write(sdir, "parent", 'colour = "red"\n')
    write(sdir, "child", 'extends = "parent"\n')
    with pytest.raises(DataError) as info:
        load_scenario("child", sdir)
    assert info.value.problems[0].field == "colour"


def test_all_problems_in_one_run(sdir: Path) -> None:
    write(
        sdir,
        "bad",
        'horizon = "2030Q5"\ndraws = 0\n[demand]\ngrowth = 9\n[ramp_up]\nshape = "zigzag"\n',
    )
    with pytest.raises(DataError) as info:
        load_scenario("bad", sdir)
    fields = {p.field for p in info.value.problems}
    assert {"horizon", "draws", "demand.growth", "ramp_up.shape"} <= fields


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ('horizon = "soon"', "horizon", "not a quarter"),
        ("draws = -1", "draws", "greater than or equal to 1"),
        ("seed = -5", "seed", "greater than or equal to 0"),
        ('intensity = "medium"', "intensity", "sampled"),
        ("[utilisation]\ndefault = [0.9, 0.5]", "utilisation", "low <= high"),
        ("[technology_mix]\nlfp = 0.0", "technology_mix", "above zero"),
        ("[ramp_up]\nquarters = [5, 2]", "ramp_up.quarters", "low <= high"),
        (
            "[status.reserve]\np_complete = 1.5",
            "status.reserve.p_complete",
            "less than or equal to 1",
        ),
        (
            '[[projects.add]]\nid = "x"\nstage = "separator"\ntechnology = "lfp"\ncapacity = "1亿平方米"',
            "projects.add.0",
            "assumption",
        ),
    ],
)
def test_bad_value_names_its_key(sdir: Path, body: str, field: str, words: str) -> None:
    write(sdir, "bad", body + "\n")
    with pytest.raises(DataError) as info:
        load_scenario("bad", sdir)
    hits = [p for p in info.value.problems if p.field == field]
    assert hits, [str(p) for p in info.value.problems]
    assert words in hits[0].expected


def test_inheritance_cycle_is_caught(sdir: Path) -> None:
    write(sdir, "a", 'extends = "b"\n')
    write(sdir, "b", 'extends = "a"\n')
    with pytest.raises(DataError) as info:
        load_scenario("a", sdir)
    assert "cycle" in info.value.problems[0].expected


def test_self_extension_is_a_cycle(sdir: Path) -> None:
    write(sdir, "me", 'extends = "me"\n')
    with pytest.raises(DataError, match="cycle"):
        load_scenario("me", sdir)


def test_missing_parent_names_the_known_scenarios(sdir: Path) -> None:
    write(sdir, "orphan", 'extends = "nobody"\n')
    with pytest.raises(DataError) as info:
        load_scenario("orphan", sdir)
    p = info.value.problems[0]
    assert p.field == "extends"
    assert "parent" in p.expected


def test_invalid_toml_names_the_line(sdir: Path) -> None:
    write(sdir, "broken", 'draws = 5\nhorizon = "2030Q4\n')
    with pytest.raises(DataError) as info:
        load_scenario("broken", sdir)
    assert info.value.problems[0].row == 2


def test_ids_are_checked_against_the_park(park, sdir: Path) -> None:
    write(
        sdir,
        "ids",
        '[utilisation]\ngraphene = [0.5, 0.6]\n[projects]\nremove = ["no-such-project"]\n[projects.status]\nhaide-cabinet = "dreaming"\n',
    )
    with pytest.raises(DataError) as info:
        load_scenario("ids", sdir, park=park)
    fields = {p.field for p in info.value.problems}
    assert {"utilisation.graphene", "projects.remove[0]", "projects.status.haide-cabinet"} <= fields


def test_added_project_with_wrong_dimension(park, sdir: Path) -> None:
    write(
        sdir,
        "add",
        '[[projects.add]]\nid = "new-sep"\nstage = "separator"\ntechnology = "lfp"\ncapacity = "5 GWh"\nassumption = "test"\n',
    )
    with pytest.raises(DataError) as info:
        load_scenario("add", sdir, park=park)
    assert info.value.problems[0].field == "projects.add[0].capacity"
    assert "wrong dimension" in info.value.problems[0].expected


def test_shipped_scenarios_load_and_differ(park) -> None:
    names = ["baseline", "lithium-led", "sodium-flow"]
    scenarios = [load_scenario(n, park=park) for n in names]
    assert all(s.rationale for s in scenarios)
    keys = {d["key"] for d in differences(scenarios)}
    assert {"technology_mix.sodium_ion", "projects.remove"} <= keys
    assert scenarios[1].projects.remove == ("sodium-ion-line", "vrfb-line")


def test_toml_round_trip(park, tmp_path: Path) -> None:
    s = load_scenario("sodium-flow", park=park)
    path = tmp_path / "copy.toml"
    path.write_text(to_toml(s), encoding="utf-8")
    back = load_scenario(path)
    assert back.content_hash() == s.content_hash()
    assert back.title_zh == s.title_zh


def test_content_hash_ignores_titles_but_not_levers(park) -> None:
    s = load_scenario("baseline", park=park)
    assert s.with_changes(title_en="Other").content_hash() == s.content_hash()
    assert s.with_changes(**{"demand.growth": 0.3}).content_hash() != s.content_hash()


def test_with_changes_validates() -> None:
    with pytest.raises(DataError) as info:
        Scenario(name="x").with_changes(**{"demand.growth": 99})
    assert info.value.problems[0].field == "demand.growth"


def test_toml_round_trip_with_added_projects_without_a_start(park, tmp_path: Path) -> None:
    s = load_scenario("baseline", park=park).with_changes(
        **{
            "projects.add": [
                {
                    "id": "new-sep",
                    "stage": "separator",
                    "technology": "lfp",
                    "capacity": "2亿平方米",
                    "assumption": "what-if",
                }
            ]
        }
    )
    path = tmp_path / "with-add.toml"
    path.write_text(to_toml(s), encoding="utf-8")
    back = load_scenario(path, park=park)
    assert back.projects.add[0].start is None
    assert back.content_hash() == s.content_hash()
