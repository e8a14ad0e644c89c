"""Fixtures of the dashboard tests: one app per session for the plain-function tests, and a
writable copy of the shipped scenarios for anything that saves."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from dash import Dash

from dashboard import figure_frame
from dashboard.state import AppState, make_state
from model.scenario import DEFAULT_SCENARIOS_DIR
from tests.dashboard.browser import Session, browser_session

# plotly checks every property of the figures the tests build (the app skips the checks)
figure_frame.VALIDATE = True


def copy_scenarios(target: Path) -> Path:
    """A copy of the shipped scenarios folder at ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for f in DEFAULT_SCENARIOS_DIR.glob("*.toml"):
        shutil.copy(f, target / f.name)
    return target


@pytest.fixture(scope="session")
def scenarios_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A session-wide writable copy of ``scenarios/``."""
    return copy_scenarios(tmp_path_factory.mktemp("scenarios"))


@pytest.fixture(scope="session")
def app(scenarios_copy: Path) -> Dash:
    """The app (its page modules must exist before the pages can be imported in tests)."""
    from dashboard import create_app

    return create_app(scenarios_dir=scenarios_copy)


@pytest.fixture(scope="session")
def state(app: Dash) -> AppState:
    """The app's state: park, scenarios folder, result cache."""
    return app.server.extensions["parkcap"]


@pytest.fixture
def fresh_state(tmp_path: Path) -> AppState:
    """A new state with its own empty cache and scenarios folder."""
    return make_state(scenarios_dir=copy_scenarios(tmp_path / "scenarios"))


@pytest.fixture(scope="module")
def session(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Session]:
    """A Dash server and a headless Chromium shared by one test module's browser tests."""
    yield from browser_session(request, tmp_path_factory)
