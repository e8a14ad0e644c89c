"""The start-up warm-up computes what each page's first view asks for, under the keys the
page's callbacks use: after it, the first visit is answered without a simulation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from dash import Dash

from dashboard.controls import defaults
from dashboard.protocol import UPDATE_PATH, update_body
from dashboard.state import AppState
from dashboard.warmup import warm_pages
from tests.dashboard.conftest import copy_scenarios


@pytest.fixture(scope="module")
def cold_app(tmp_path_factory: pytest.TempPathFactory) -> Dash:
    """An app of its own: its caches hold only what this module puts there."""
    from dashboard import create_app

    return create_app(scenarios_dir=copy_scenarios(tmp_path_factory.mktemp("warm")))


def _misses(state: AppState) -> int:
    return state.datasets.misses + state.derived.misses


def _first_views(app: Dash, state: AppState, lang: str) -> dict[str, dict[str, Any]]:
    """The bodies of each page's main callback as the browser sends them on first load."""
    from dashboard.pages.scenarios import AUTO, default_names
    from dashboard.pages.whatif import CONTROL_IDS, DEFAULT_STAGE, args_from_values

    base = state.scenario("baseline")
    last = state.quarter_labels(base)[-1]
    levers = dict(zip(CONTROL_IDS, args_from_values(defaults(state.park, base)), strict=True))
    whatif = {f"{k}.value": v for k, v in levers.items()}
    whatif.update(
        {
            "wi-stage.value": DEFAULT_STAGE,
            "wi-cap-var.value": "nameplate",
            "lang.data": lang,
            "wi-base.value": "baseline",
        }
    )
    return {
        "overview": update_body(app, "ov-content.children", {"lang.data": lang}),
        "chain": update_body(
            app,
            "chain-view.figure",
            {
                "chain-scenario.value": "baseline",
                "chain-quarter.value": last,
                "chain-basis.value": "nameplate",
                "lang.data": lang,
                "chain-rank.value": "cell-eq",
                "chain-boundary.value": "park",
                "chain-targets.children": None,
            },
        ),
        "scenarios": update_body(
            app,
            "scen-fan-cap.figure",
            {
                "scen-names.value": default_names(state),
                "scen-stage.value": AUTO,
                "lang.data": lang,
                "scen-wf-base.value": None,
                "scen-wf-other.value": None,
                "scen-wf-quarter.value": None,
            },
        ),
        "what-if": update_body(app, "wi-fan-cap.figure", whatif),
    }


def test_after_the_warm_up_every_first_view_is_a_cache_hit(cold_app: Dash, tmp_path: Path) -> None:
    state: AppState = cold_app.server.extensions["parkcap"]
    client = cold_app.server.test_client()
    before = _misses(state)
    spent = warm_pages(state)
    assert {k.rsplit(".", 1)[-1] for k in spent} == {"overview", "chain", "scenarios", "whatif"}
    warmed = _misses(state)
    assert warmed > before  # it did compute
    for lang in ("zh", "en"):
        for page, body in _first_views(cold_app, state, lang).items():
            resp = client.post(UPDATE_PATH, data=json.dumps(body), content_type="application/json")
            assert resp.status_code == 200, page
            assert "response" in resp.get_json(), page
            assert _misses(state) == warmed, f"{page} ({lang}) computed after the warm-up"


def test_a_failing_page_is_left_out_and_the_others_warm(
    cold_app: Dash, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.pages import chain

    def broken(_state: AppState, _lang: str) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(chain, "warm", broken)
    spent = warm_pages(cold_app.server.extensions["parkcap"], ("zh",))
    names = {k.rsplit(".", 1)[-1] for k in spent}
    assert "chain" not in names
    assert {"overview", "scenarios", "whatif"} <= names
