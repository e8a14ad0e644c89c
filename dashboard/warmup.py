"""Start-up warm-up: what each page shows first, computed before the first visitor asks.

A freshly started server has an empty result cache, so the first visit to a page would
wait for its simulations (the value chain's shortfall probabilities in every quarter take
seconds). ``parkcap serve`` therefore calls :func:`start`, which, in one background thread,
calls ``warm(state, lang)`` of every page module that defines one, for both languages.
Each page's ``warm`` computes exactly what its callbacks compute for the page's default
view (same functions, same cache keys), so the first visit is a cache hit. A visitor who
arrives during the warm-up waits for the same computation, not for a second one (the cache
shares computations in flight). Failures are logged and never stop the server.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Sequence

import dash

from dashboard.state import AppState

logger = logging.getLogger(__name__)

#: the languages warmed, the default one first
LANGS = ("zh", "en")


def warm_pages(state: AppState, langs: Sequence[str] = LANGS) -> dict[str, float]:
    """Compute every page's default view into the caches of ``state``.

    Parameters
    ----------
    state
        The app's state (its park as recorded, no "as known on" date).
    langs
        The languages to warm, in order.

    Returns
    -------
    dict
        Page module name -> seconds spent warming it (all languages); a page whose
        warm-up failed is logged and left out.
    """
    spent: dict[str, float] = {}
    for page in list(dash.page_registry.values()):
        module = sys.modules.get(page["module"])
        warm = getattr(module, "warm", None)
        if warm is None:
            continue
        t0 = time.perf_counter()
        try:
            for lang in langs:
                warm(state, lang)
        except Exception:  # a page that cannot warm still serves: it computes on demand
            logger.exception("warming %s failed", page["module"])
            continue
        spent[page["module"]] = time.perf_counter() - t0
    return spent


def start(state: AppState) -> threading.Thread:
    """Warm the pages in a background (daemon) thread; returns the thread, started."""

    def run() -> None:
        t0 = time.perf_counter()
        spent = warm_pages(state)
        logger.info(
            "warmed %d pages in %.1f s (%s)",
            len(spent),
            time.perf_counter() - t0,
            ", ".join(f"{k.rsplit('.', 1)[-1]} {v:.1f} s" for k, v in spent.items()),
        )

    thread = threading.Thread(target=run, name="parkcap-warmup", daemon=True)
    thread.start()
    return thread
