"""The dashboard benchmark drives the what-if callback with the body a browser sends;
this keeps that body in step with the page's controls (a new control must be in it)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

from dash import Dash

from dashboard.protocol import UPDATE_PATH

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_dashboard.py"


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_dashboard", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_bodies_answer_with_a_changing_figure(app: Dash) -> None:
    bodies = _bench().whatif_bodies(2)
    client = app.server.test_client()
    answers = []
    for body in bodies:
        resp = client.post(UPDATE_PATH, data=json.dumps(body), content_type="application/json")
        assert resp.status_code == 200
        response = resp.get_json()["response"]
        assert response["wi-fan-cap"]["figure"]["data"]
        answers.append(json.dumps(response, sort_keys=True))
    assert answers[0] != answers[1]  # the growth lever moved what the page shows
