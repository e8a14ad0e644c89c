"""The project pipeline: seeded projects, start quarters from status times, validation."""

from __future__ import annotations

import pytest

from model import quarters
from model.pipeline import ACTIVE, STATUSES


def test_seeded_projects_are_the_articles(park) -> None:
    by_id = {p.id: p for p in park.projects}
    assert by_id["haide-cabinet"].value == 20.0
    assert by_id["powerchina-cabinet"].value == 10.0
    assert by_id["gravity-200mwh"].value == pytest.approx(0.2)  # 200兆瓦时 in GWh
    assert by_id["mono-si-20gw"].unit == "GW"
    assert {"sodium-ion-line", "vrfb-line", "gravity-200mwh"} <= {
        p.id for p in park.projects if p.status == "reserve"
    }
    # capacities the article does not give are marked as assumptions
    assert by_id["sodium-ion-line"].assumption
    assert by_id["hp-polysilicon"].assumption


def test_every_status_has_parameters(park) -> None:
    assert set(park.status_params) == set(STATUSES)
    assert park.status_params["cancelled"].p_complete == 0
    assert park.status_params["permitted"].p_complete == pytest.approx(0.7)  # IEA: ~70 % built
    assert set(ACTIVE) < set(STATUSES)


def test_start_quarter_sums_the_remaining_status_times(park) -> None:
    haide = next(p for p in park.projects if p.id == "haide-cabinet").with_changes(status="signed")
    params = park.status_params
    q0 = quarters.parse_quarter("2024Q2")  # the quarter of its status date (announced)
    expected = q0 + sum(
        params[s].for_class("assembly").quarters_in_status
        for s in ("signed", "permitted", "construction")
    )
    assert haide.start_quarter(params, q0) == expected
    assert haide.with_changes(expected_start=q0 + 3).start_quarter(params, q0) == q0 + 3


def test_status_order_shortens_the_wait(park) -> None:
    haide = next(p for p in park.projects if p.id == "haide-cabinet")
    q0 = quarters.parse_quarter("2024Q2")
    waits = [
        haide.with_changes(status=s).start_quarter(park.status_params, q0)
        for s in ("reserve", "signed", "permitted", "construction", "trial")
    ]
    assert waits == sorted(waits, reverse=True)
