"""Per-app state of the web app: the park, the scenarios folder and a bounded result cache.

One :class:`AppState` is made by :func:`dashboard.create_app` and kept in the Flask app's
``extensions``; callbacks reach it through :func:`get_state`. Nothing here is a module
global, so two apps in one process (tests) never share results.

Results are keyed by the scenario's content hash, the park's ``data_version`` and what is
asked for, so a scenario that is changed, saved under another name or revisited is
simulated once. The caches are bounded in bytes (:data:`DEFAULT_CACHE_BYTES`, or
``$PARKCAP_CACHE_MB``, or ``parkcap serve --cache-mb``): three quarters for full Monte
Carlo datasets (tens of MB each for 1,000 draws), a quarter for the small results derived
from them (summaries, gap tables, figures, waterfalls); the least recently used go first.

A key asked for by several requests at once is computed once, the others wait for it
(a cold cache under load would otherwise simulate the same scenario once per request).
Simulations run one at a time, and so do waterfalls (several simulations each), in a lane
of their own (:meth:`AppState.running`): on a small server, parallel runs only share the
same cores and multiply the memory in use, and a waterfall never holds up a what-if.

Scenarios are taken by name from the folder's list only (:meth:`AppState.scenario`): a
path or an unknown name is refused before any file is opened.
"""

from __future__ import annotations

import copy
import logging
import os
import sys
import threading
import time
import tomllib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, is_dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import xarray as xr

from dashboard.guards import BAD_EXTENDS, BUSY, Rejected, UnknownScenarioError, scenario_name
from dashboard.workers import Workers
from model import quarters
from model.catalogue import t
from model.errors import DataError, Problem
from model.park import Park
from model.scenario import NAME_RE, Scenario, list_scenarios, load_scenario, scenarios_dir_from
from model.simulate import simulate, summarize

logger = logging.getLogger(__name__)

EXTENSION_KEY = "parkcap"
T = TypeVar("T")
_MB = 2**20
#: result cache of one app when neither ``cache_bytes`` nor ``$PARKCAP_CACHE_MB`` says
DEFAULT_CACHE_BYTES = 512 * _MB
#: the environment variable that sets the cache size, in MB
CACHE_ENV = "PARKCAP_CACHE_MB"
#: share of the cache for full datasets; the rest is for derived results
DATASET_SHARE = 0.75
#: scenarios kept as read and checked (by name, data version and the folder's files)
LOADED_SCENARIOS = 64
#: a scenario file changed less than this long ago (seconds) is read again at every call
RECENT_S = 2.0
#: simulations run at once by one app, per lane (see :meth:`AppState.running`)
PARALLEL_RUNS = 1
#: the lanes of :meth:`AppState.running`: single simulations, and waterfalls
LANES = ("simulate", "waterfall")
#: requests that may wait for (or run in) each lane; more are told the server is busy, so
#: that slow work never holds all of the server's threads (waterfalls take longer, so
#: more of them may wait)
MAX_QUEUED = {"simulate": 16, "waterfall": 24}


def cache_bytes_from(value: int | None = None, env: Mapping[str, str] | None = None) -> int:
    """The result cache's size in bytes.

    Parameters
    ----------
    value
        Bytes, if given.
    env
        Environment (default ``os.environ``): ``PARKCAP_CACHE_MB`` is read if ``value`` is
        ``None``.

    Returns
    -------
    int
        ``value``, else the environment's MB, else :data:`DEFAULT_CACHE_BYTES`.

    Raises
    ------
    ValueError
        A negative size, or an environment value that is not a whole number of MB.
    """
    if value is None:
        text = (os.environ if env is None else env).get(CACHE_ENV, "").strip()
        if not text:
            return DEFAULT_CACHE_BYTES
        try:
            value = int(text) * _MB
        except ValueError:
            msg = f"{CACHE_ENV} must be a whole number of MB, not {text!r}"
            raise ValueError(msg) from None
    if value < 0:
        msg = f"the result cache cannot have a negative size ({value} bytes)"
        raise ValueError(msg)
    return int(value)


#: how many items of a long container :func:`rough_size` looks at
SAMPLED = 16


def rough_size(obj: Any, _seen: set[int] | None = None, _depth: int = 0) -> int:
    """Bytes ``obj`` holds, roughly: exact for arrays and datasets, an estimate otherwise.

    Datasets and arrays count their ``nbytes``; pandas objects their memory use; figures,
    Dash components, pydantic models, dataclasses and containers the sum of their parts
    (each object once; of a container of more than ``2 * SAMPLED`` parts, ``SAMPLED`` of
    them spread over it, scaled up); anything else ``sys.getsizeof``.
    """
    seen = set() if _seen is None else _seen
    if id(obj) in seen or _depth > 60:
        return 0
    seen.add(id(obj))
    if isinstance(obj, xr.Dataset | xr.DataArray):
        return int(obj.nbytes)
    if isinstance(obj, np.ndarray):
        return int(obj.nbytes)
    if isinstance(obj, str | bytes | bytearray | int | float | bool) or obj is None:
        return sys.getsizeof(obj)
    usage = getattr(obj, "memory_usage", None)  # pandas DataFrame, Series, Index
    if callable(usage) and hasattr(obj, "dtypes"):
        try:
            total = usage(deep=True)
            return int(total.sum()) if hasattr(total, "sum") else int(total)
        except (TypeError, ValueError):
            pass
    parts: Any = None
    if isinstance(obj, Mapping):
        parts = list(obj.items())  # key and value counted together (a sample keeps pairs)
    elif isinstance(obj, list | tuple | set | frozenset):
        parts = list(obj)
    elif hasattr(obj, "_data") and hasattr(obj, "_layout"):  # a plotly figure
        parts = [obj._data, obj._layout]
    elif hasattr(obj, "to_plotly_json"):  # a Dash component
        parts = [obj.to_plotly_json()]
    elif hasattr(obj, "model_dump"):  # a pydantic model (a Scenario)
        parts = [obj.model_dump()]
    elif is_dataclass(obj) and not isinstance(obj, type):
        parts = [vars(obj)] if hasattr(obj, "__dict__") else []
    size = sys.getsizeof(obj)
    if parts is None:
        return size
    scale = 1.0
    if len(parts) > 2 * SAMPLED:
        # a long container of like items (table rows, per-stage figures): a sample of
        # them, scaled up, is as good a guess for a byte budget and costs far less
        scale = len(parts) / SAMPLED
        parts = [parts[int(k * scale)] for k in range(SAMPLED)]
    if isinstance(obj, Mapping):
        found = sum(
            rough_size(k, seen, _depth + 1) + rough_size(v, seen, _depth + 1) for k, v in parts
        )
    else:
        found = sum(rough_size(p, seen, _depth + 1) for p in parts)
    return size + round(found * scale)


class _Flight:
    """A computation under way: the threads that want the same key wait for it."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.ok = False
        self.value: Any = None


class LRU:
    """A thread-safe least-recently-used cache bounded in bytes.

    Parameters
    ----------
    max_bytes
        Bytes kept (by ``sizeof`` of the values); the least recently used go first. A
        value larger than this is returned but not kept.
    sizeof
        Size of a value in bytes (default :func:`rough_size`).

    Notes
    -----
    A key asked for while another thread computes it waits for that result instead of
    computing it again (if that computation fails, the waiting thread tries itself).
    """

    def __init__(self, max_bytes: int, sizeof: Callable[[Any], int] = rough_size) -> None:
        self.max_bytes = int(max_bytes)
        self.sizeof = sizeof
        self._data: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._flights: dict[Hashable, _Flight] = {}
        self._lock = threading.Lock()
        self.nbytes = 0
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], T], store: bool = True) -> T:
        """The value under ``key``, computing it on a miss (and keeping it if ``store``)."""
        while True:
            with self._lock:
                if key in self._data:
                    self._data.move_to_end(key)
                    self.hits += 1
                    return self._data[key][0]
                flight = self._flights.get(key)
                if flight is None:
                    flight = self._flights[key] = _Flight()
                    self.misses += 1
                    break
            flight.done.wait()
            if flight.ok:
                with self._lock:
                    self.hits += 1
                return flight.value
            # the other computation failed: try again (and see its error ourselves)
        try:
            value = compute()
            size = int(self.sizeof(value)) if store else 0
        except BaseException:
            with self._lock:
                del self._flights[key]
            flight.done.set()
            raise
        with self._lock:
            if store and size <= self.max_bytes:
                self._data[key] = (value, size)
                self.nbytes += size
                while self.nbytes > self.max_bytes:
                    _, (_, dropped) = self._data.popitem(last=False)
                    self.nbytes -= dropped
            flight.value, flight.ok = value, True
            del self._flights[key]
        flight.done.set()
        return value

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._data.clear()
            self.nbytes = 0


@dataclass
class AppState:
    """What the callbacks of one app share: read-only data and a result cache.

    Attributes
    ----------
    park
        The loaded park (frozen).
    scenarios_dir
        Folder of the scenario TOML files; saved what-if scenarios go here.
    cache_bytes
        Bytes of the result cache (datasets and derived results together).
    parallel_runs
        Simulations run at once per lane (single runs; waterfalls); more wait their turn.
    datasets
        Full simulation results (draw, quarter, stage): :data:`DATASET_SHARE` of the cache.
    derived
        Small results computed from them (summaries, gap tables, figures, waterfalls).
    save_lock
        Held while a scenario file is checked and written (one save at a time).
    workers
        Worker processes for the long computations (:mod:`dashboard.workers`), or
        ``None``: computed in the calling thread.
    """

    park: Park
    scenarios_dir: Path
    cache_bytes: int = DEFAULT_CACHE_BYTES
    parallel_runs: int = PARALLEL_RUNS
    datasets: LRU = field(init=False)
    derived: LRU = field(init=False)
    save_lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    workers: Workers | None = None
    _lanes: dict[str, threading.BoundedSemaphore] = field(init=False, repr=False)
    _queued: dict[str, int] = field(init=False, repr=False)
    _queue_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _loaded: OrderedDict[tuple[Hashable, ...], Scenario] = field(
        default_factory=OrderedDict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        for_datasets = int(self.cache_bytes * DATASET_SHARE)
        self.datasets = LRU(for_datasets)
        self.derived = LRU(self.cache_bytes - for_datasets)
        self._lanes = {
            lane: threading.BoundedSemaphore(max(1, self.parallel_runs)) for lane in LANES
        }
        self._queued = dict.fromkeys(LANES, 0)

    def known_on(self, known_as_of: date | None) -> AppState:
        """The state with the park as it was known on ``known_as_of`` (``None``: self).

        The copy shares the caches, locks and workers; its keys differ by the data
        version, which names the date (:meth:`model.park.Park.as_known_on`).
        """
        if known_as_of is None:
            return self
        view = copy.copy(self)
        view.park = self.park.as_known_on(known_as_of)
        return view

    # -- scenarios ------------------------------------------------------------
    def scenario_names(self) -> list[str]:
        """Names of the scenario files, shipped ones first."""
        return list_scenarios(self.scenarios_dir)

    def scenario_options(self, lang: str = "zh") -> list[dict[str, str]]:
        """Dropdown options: each scenario labelled by its title in ``lang`` and file name.

        ``"基准情景（baseline）"`` / ``"Baseline (baseline)"``; a file that does not validate
        keeps its bare name, so the page can show the problem.
        """
        options = []
        for name in self.scenario_names():
            try:
                title = self.scenario(name).title(lang)
            except (DataError, Rejected):
                title = name
            label = name if title == name else t("ui_export_scenario", lang, title=title, name=name)
            options.append({"label": label, "value": name})
        return options

    def scenario(self, name: Any) -> Scenario:
        """Load and check a scenario of the folder, by its name in the folder's list.

        Raises
        ------
        UnknownScenarioError
            ``name`` is not in the list (a path, a file name, anything else): no file is
            opened.
        Rejected
            The file (or a file it extends) lies outside the folder, or it extends
            something that is not a scenario of the folder.
        DataError
            The scenario does not validate; the problems name files by their name in the
            folder, not by their path on the server.
        """
        names = self.scenario_names()
        name = scenario_name(name, names)
        # a scenario read before, if no file of the folder changed since (any file: one may
        # extend another) and the park is the same: reading and checking it again costs a
        # page several milliseconds per call
        signature = self._folder_signature(names)
        key = (name, self.park.data_version, signature)
        with self._queue_lock:
            found = self._loaded.get(key) if signature is not None else None
        if found is not None:
            return found
        self._check_chain(name, names)
        try:
            scenario = load_scenario(self._path(name), self.scenarios_dir, park=self.park)
        except DataError as exc:
            raise self._in_folder(exc) from None
        if signature is not None:
            with self._queue_lock:
                self._loaded[key] = scenario
                while len(self._loaded) > LOADED_SCENARIOS:
                    self._loaded.popitem(last=False)
        return scenario

    def _folder_signature(self, names: list[str]) -> tuple[Hashable, ...] | None:
        """Each scenario file's name, size, change time and inode (changes when rewritten).

        ``None`` (read the files, keep nothing) while a file was changed in the last
        :data:`RECENT_S` seconds: the file system's clock is coarse, so a file written again
        within the same tick would keep its times and, at the same size, look unchanged.
        """
        out = []
        recent = time.time_ns() - int(RECENT_S * 1e9)
        for n in names:
            try:
                st = self._path(n).stat()
            except OSError:
                out.append((n, None))
                continue
            if st.st_mtime_ns > recent:
                return None
            out.append((n, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
        return tuple(out)

    def _path(self, name: str) -> Path:
        return self.scenarios_dir / f"{name}.toml"

    def _check_chain(self, name: str, names: list[str]) -> None:
        """Refuse a file outside the folder (a link) or an ``extends`` that is not a name."""
        folder = self.scenarios_dir.resolve()
        seen: set[str] = set()
        current: Any = name
        while current is not None and current not in seen:
            seen.add(current)
            path = self._path(current)
            if path.resolve().parent != folder:
                raise UnknownScenarioError
            try:
                parent = tomllib.loads(path.read_bytes().decode("utf-8-sig")).get("extends")
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                return  # the loader reports it, naming the file of the folder
            if parent is not None and not (
                isinstance(parent, str) and NAME_RE.fullmatch(parent) and parent in names
            ):
                raise Rejected(BAD_EXTENDS, name=current)
            current = parent

    def _in_folder(self, exc: DataError) -> DataError:
        """``exc`` with the folder's path taken out of its problems (file names stay)."""
        prefixes = {str(self.scenarios_dir) + os.sep, str(self.scenarios_dir.resolve()) + os.sep}

        def strip(text: str) -> str:
            for prefix in prefixes:
                text = text.replace(prefix, "")
            return text

        return DataError(
            [
                Problem(strip(p.file), p.row, p.field, p.value, strip(p.expected))
                for p in exc.problems
            ]
        )

    # -- results --------------------------------------------------------------
    @contextmanager
    def running(self, lane: str = "simulate") -> Iterator[None]:
        """Hold a slot of ``lane`` (one of :data:`LANES`) while simulating here.

        Raises :class:`~dashboard.guards.Rejected` ("busy") if :data:`MAX_QUEUED` requests
        already wait for the lane.
        """
        with self.queued(lane), self._lanes[lane]:
            yield

    @contextmanager
    def queued(self, lane: str) -> Iterator[None]:
        """Count a request waiting for ``lane`` (here or in a worker); refuse one too many."""
        with self._queue_lock:
            if self._queued[lane] >= MAX_QUEUED[lane]:
                raise Rejected(BUSY)
            self._queued[lane] += 1
        try:
            yield
        finally:
            with self._queue_lock:
                self._queued[lane] -= 1

    def key(self, scenario: Scenario, *extra: Hashable) -> tuple[Hashable, ...]:
        """Cache key: content hash + data version + what is asked for."""
        return (scenario.content_hash(), self.park.data_version, *extra)

    def _simulate(self, scenario: Scenario) -> xr.Dataset:
        with self.running():
            return simulate(self.park, scenario)

    def dataset(self, scenario: Scenario, keep: bool = True) -> xr.Dataset:
        """The Monte Carlo result of ``scenario`` (its own draws and seed).

        ``keep=False``: taken from the cache if it is there, else simulated without keeping
        it (a what-if's result, from which the page keeps only small derived results:
        kept, such one-off datasets would push out the ones the other pages use).
        """
        return self.datasets.get_or_compute(
            self.key(scenario, "ds"), lambda: self._simulate(scenario), store=keep
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

    def view(self, key: Hashable, compute: Callable[[], T]) -> T:
        """What a page shows for ``key`` (its inputs, scenario hashes included), cached.

        Figures and tables that every visitor of a page asks for alike are built once per
        data version, not at every visit.
        """
        return self.derived.get_or_compute(("view", self.park.data_version, key), compute)


def make_state(
    data_dir: str | Path | None = None,
    scenarios_dir: str | Path | None = None,
    cache_bytes: int | None = None,
) -> AppState:
    """Load the park and resolve the scenarios folder (raises ``DataError`` on bad data).

    ``cache_bytes`` is the result cache's size (see :func:`cache_bytes_from`).
    """
    from model.park import load_park

    park = load_park(data_dir)
    folder = scenarios_dir_from(scenarios_dir)
    size = cache_bytes_from(cache_bytes)
    logger.info(
        "park %s loaded; scenarios in %s; result cache %d MB",
        park.data_version,
        folder,
        size // _MB,
    )
    return AppState(park=park, scenarios_dir=Path(folder), cache_bytes=size)


def get_state() -> AppState:
    """The :class:`AppState` of the app serving the current request."""
    from flask import current_app

    return current_app.extensions[EXTENSION_KEY]
