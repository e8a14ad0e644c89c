"""The browser harness of the dashboard tests: one Dash server and one headless Chromium
per test module (fixture ``session``, in ``conftest.py``), with helpers to open pages,
wait for content, read figures and write screenshots to ``build/screenshots/``.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from dash.testing.application_runners import ThreadedRunner
from dash.testing.composite import DashComposite

from model.scenario import DEFAULT_SCENARIOS_DIR

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
PAGES = {
    "overview": ("/", "#ov-headline .pc-ov-card"),
    "chain": ("/chain", "#chain-view .js-plotly-plot"),
    "scenarios": ("/scenarios", "#scen-fan-cap .js-plotly-plot"),
    "what-if": ("/what-if", "#wi-fan-cap .js-plotly-plot"),
    "pipeline": ("/pipeline", "#pipeline-grid .ag-row"),
    "sensitivity": ("/sensitivity", "#sp-run"),
    "export": ("/export", "#exp-button"),
}


#: the what-if page's figures (graph ids)
WHATIF_FIGURES = ("wi-fan-cap", "wi-fan-gap", "wi-tech", "wi-gaps")


class Session:
    """The shared browser, server and folders."""

    def __init__(self, dc: DashComposite, scenarios: Path, downloads: Path) -> None:
        self.dc = dc
        self.scenarios = scenarios
        self.downloads = downloads
        self.base = dc.server_url

    def open(self, path: str, ready: str) -> None:
        self.dc.driver.get(self.base + path)
        self.dc.wait_for_element(ready, timeout=30)

    def until(self, check: Callable[[], Any], timeout: float = 45, what: str = "") -> Any:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                value = check()
            except Exception:  # element not there yet, stale, ...
                value = None
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what or check}")

    def unfold(self, ident: str, inside: str) -> None:
        """Open the folded part ``ident`` (a ``<details>``) and wait for ``inside`` in it."""
        driver = self.dc.driver
        fold = self.dc.find_element(f"#{ident}")
        if not fold.get_attribute("open"):
            summary = self.dc.find_element(f"#{ident} > summary")
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", summary)
            summary.click()
        self.until(lambda: driver.find_elements("css selector", inside), what=f"{ident} opened")

    def whatif_figures(self) -> dict[str, Any]:
        """The data of the what-if page's four figures, by graph id."""
        return {f: self.graph_data(f) for f in WHATIF_FIGURES}

    def whatif_settled(self, before: Any = None) -> dict[str, Any]:
        """The what-if figures once drawn (different from ``before`` if given), nothing loading."""

        def ready() -> Any:
            figs = self.whatif_figures()
            if not all(figs.values()) or (before is not None and figs == before):
                return None
            busy = self.dc.driver.execute_script(
                "return document.querySelector('[data-dash-is-loading=\"true\"]') !== null"
            )
            return None if busy else figs

        first = self.until(ready, timeout=40, what="figures drawn")
        again = self.until(ready, timeout=40, what="figures drawn")  # nothing still moving
        return again if again == first else self.until(ready, timeout=40, what="figures")

    def graph_data(self, ident: str) -> Any:
        return self.dc.driver.execute_script(
            "const g = document.querySelector(arguments[0] + ' .js-plotly-plot');"
            "return g && g.data ? g.data.map(t => [t.name, t.y || t.x]) : null;",
            f"#{ident}",
        )

    def text(self, selector: str) -> str:
        return self.dc.find_element(selector).text

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        time.sleep(0.8)  # let plotly finish its transitions
        self.dc.driver.save_screenshot(str(SHOTS / f"{name}.png"))

    def overflow(self) -> int:
        """How far the page is wider than the window (px): 0 when nothing scrolls sideways."""
        return int(
            self.dc.driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;"
            )
        )

    def shot_page(self, name: str, width: int) -> None:
        """The whole page in one picture: the window made as tall as the document."""
        height = self.dc.driver.execute_script("return document.body.scrollHeight;")
        self.dc.driver.set_window_size(width, min(int(height) + 120, 6000))
        self.shot(name)

    def set_lang(self, lang: str) -> None:
        want = "English" if lang == "zh" else "中文"  # the button offers the other language
        if self.text("#lang-toggle") != want:
            self.dc.find_element("#lang-toggle").click()
        self.until(lambda: self.text("#lang-toggle") == want, what=f"language {lang}")


def browser_session(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Session]:
    """A server of the app (on a copy of the shipped scenarios) and a browser driving it."""
    from dashboard import create_app

    scenarios = tmp_path_factory.mktemp("browser-scenarios")
    for f in DEFAULT_SCENARIOS_DIR.glob("*.toml"):
        shutil.copy(f, scenarios / f.name)
    downloads = tmp_path_factory.mktemp("downloads")
    app = create_app(scenarios_dir=scenarios)
    with (
        ThreadedRunner() as server,
        DashComposite(
            server=server,
            browser=request.config.getoption("webdriver"),
            headless=request.config.getoption("headless"),
            options=request.config.hook.pytest_setup_options(),
            download_path=str(downloads),
        ) as dc,
    ):
        dc.driver.set_window_size(1400, 1000)
        dc.start_server(app, port=_free_port())
        yield Session(dc, scenarios, downloads)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
