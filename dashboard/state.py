"""Per-app state of the web app: the park, the scenarios folder and a bounded result cache.

One :class:`AppState` is made by :func:`dashboard.create_app` and kept in the Flask app's
``extensions``; callbacks reach it through :func:`get_state`. Nothing here is a module
global, so two apps in one process (tests) never share results.

Results are keyed by the scenario's content hash, the park's ``data_version`` and what is
asked for, so a scenario that is changed, saved under another name or revisited is
simulated once; two caches bound memory: a few full Monte Carlo datasets (about 40 MB each
for 1,000 draws) and many small derived results (summaries, gap tables, waterfalls).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import xarray as xr

from model import quarters
from model.errors import DataError
from model.park import Park
from model.scenario import Scenario, list_scenarios, load_scenario, scenarios_dir_from
from model.simulate import simulate, summarize

logger = logging.getLogger(__name__)

EXTENSION_KEY = "parkcap"
T = TypeVar("T")


class LRU:
    """A thread-safe least-recently-used cache with at most ``maxsize`` entries.

    Parameters
    ----------
    maxsize
        Number of entries kept; the least recently used one is dropped first.
    """

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value under ``key``, computing and storing it on a miss."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
            self.misses += 1
        value = compute()  # outside the lock: two threads may compute the same key once each
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._data.clear()


@dataclass
class AppState:
    """What the callbacks of one app share: read-only data and a result cache.

    Attributes
    ----------
    park
        The loaded park (frozen).
    scenarios_dir
        Folder of the scenario TOML files; saved what-if scenarios go here.
    datasets
        Full simulation results (draw, quarter, stage), a few at most.
    derived
        Small results computed from them (summaries, gap tables, waterfalls).
    """

    park: Park
    scenarios_dir: Path
    datasets: LRU = field(default_factory=lambda: LRU(4))
    derived: LRU = field(default_factory=lambda: LRU(512))

    # -- scenarios ------------------------------------------------------------
    def scenario_names(self) -> list[str]:
        """Names of the scenario files, shipped ones first."""
        return list_scenarios(self.scenarios_dir)

    def scenario_options(self) -> list[dict[str, str]]:
        """Dropdown options: each scenario labelled by its zh / en titles and file name.

        A file that does not validate keeps its bare name, so the page can show the problem.
        """
        options = []
        for name in self.scenario_names():
            try:
                s = self.scenario(name)
            except DataError:
                options.append({"label": name, "value": name})
                continue
            titles = " / ".join(dict.fromkeys(x for x in (s.title_zh, s.title_en) if x))
            options.append({"label": f"{titles} ({name})" if titles else name, "value": name})
        return options

    def scenario(self, name: str) -> Scenario:
        """Load and check a scenario of the folder (raises ``DataError``)."""
        return load_scenario(name, self.scenarios_dir, park=self.park)

    # -- results --------------------------------------------------------------
    def key(self, scenario: Scenario, *extra: Hashable) -> tuple[Hashable, ...]:
        """Cache key: content hash + data version + what is asked for."""
        return (scenario.content_hash(), self.park.data_version, *extra)

    def dataset(self, scenario: Scenario) -> xr.Dataset:
        """The Monte Carlo result of ``scenario`` (its own draws and seed)."""
        return self.datasets.get_or_compute(
            self.key(scenario, "ds"), lambda: simulate(self.park, scenario)
        )

    def quarter_labels(self, scenario: Scenario) -> list[str]:
        """The quarters ``scenario`` is projected over, as ``"2026Q4"`` labels.

        Found without simulating: from the quarter of the park's latest capacity record (where
        :func:`model.simulate.simulate` starts) to the scenario's horizon; empty if the
        horizon lies before the start.
        """
        start = quarters.of_date(self.park.latest_date())
        return [quarters.label(q) for q in quarters.span(start, scenario.horizon_quarter)]

    def summary(self, scenario: Scenario, variables: tuple[str, ...] | None = None) -> xr.Dataset:
        """P10/P50/P90/mean over draws of ``scenario``'s result (see ``summarize``).

        Of ``variables`` only if given (cheaper), else of every stage variable.
        """
        if variables is None:
            return self.derived.get_or_compute(
                self.key(scenario, "summary"), lambda: summarize(self.dataset(scenario))
            )
        return self.derived.get_or_compute(
            self.key(scenario, "summary", variables),
            lambda: summarize(self.dataset(scenario), variables=variables),
        )

    def cached(self, scenario: Scenario, kind: Hashable, compute: Callable[[], T]) -> T:
        """Any derived result of ``scenario``, cached under ``kind``."""
        return self.derived.get_or_compute(self.key(scenario, kind), compute)


def make_state(
    data_dir: str | Path | None = None, scenarios_dir: str | Path | None = None
) -> AppState:
    """Load the park and resolve the scenarios folder (raises ``DataError`` on bad data)."""
    from model.park import load_park

    park = load_park(data_dir)
    folder = scenarios_dir_from(scenarios_dir)
    logger.info("park %s loaded; scenarios in %s", park.data_version, folder)
    return AppState(park=park, scenarios_dir=Path(folder))


def get_state() -> AppState:
    """The :class:`AppState` of the app serving the current request."""
    from flask import current_app

    return current_app.extensions[EXTENSION_KEY]
