"""Benchmark of the web app: what a planner waits for, over HTTP and in a browser.

Starts ``parkcap serve`` on 127.0.0.1 on a free port in a subprocess, then

* what-if, server side: N POSTs to ``/_dash-update-component`` with the body the browser
  sends when the demand-growth lever moves (built from the app's ``callback_map``), each
  with a new growth value, so every request simulates 1,000 draws (cold cache; the start
  scenario's own run is warmed first, as a page visit does);
* what-if (revisit): the same N bodies again, now answered from the cache;
* what-if in a browser: headless Chromium on the what-if page types N new growth values
  into the lever's number box (Enter), each timed inside the page from the key press until
  the last of the page's four figures is drawn again (plotly's ``plotly_afterplot``) and
  nothing is loading;
* cold page loads in a browser: every page, N times each with the browser's cache
  cleared, from navigation until the page's content is on screen and no callback is
  loading (in a browser that has visited the app once, so has compiled its scripts once);
* first visits: every page once as a new browser's very first visit (nothing cached,
  nothing compiled: a page with charts compiles plotly.js);
* first page load over HTTP: N times, GET ``/`` and every script and stylesheet the page
  names, plus ``/_dash-layout`` and ``/_dash-dependencies``;

prints p50/p95 of each against its target (what-if p95 < 150 ms server side, < 400 ms in
the browser; page loads p95 < 1.5 s) and stops the server. A first line says how busy
the machine was: its load average and one 1,000-draw simulation timed in this process, at
the start and at the end. The figures are printed, never
asserted (machines are shared and noisy). Loopback only, bounded loops.

Usage: ``.venv/bin/python benchmarks/bench_dashboard.py [--n 30] [--browser-n 10]``
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
WHATIF_TARGET_S = 0.150
BROWSER_WHATIF_TARGET_S = 0.400
LOAD_TARGET_S = 1.5
#: every page: path and what is on screen once it has loaded
PAGES = {
    "overview": ("/", "#_pages_content h2"),
    "chain": ("/chain", "#chain-view .js-plotly-plot .main-svg"),
    "scenarios": ("/scenarios", "#scen-fan-cap .js-plotly-plot .main-svg"),
    "what-if": ("/what-if", "#wi-gaps .js-plotly-plot .main-svg"),
    "pipeline": ("/pipeline", "#pipeline-grid .ag-row"),
    "sensitivity": ("/sensitivity", "#sp-run"),
    "export": ("/export", "#exp-button"),
}
logger = logging.getLogger("bench_dashboard")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read()


def post(url: str, body: dict[str, Any]) -> dict[str, Any]:
    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def wait_up(base: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            msg = f"server exited with {proc.returncode}"
            raise RuntimeError(msg)
        try:
            get(base + "/_dash-layout")
            return
        except OSError:
            time.sleep(0.2)
    msg = "server did not start"
    raise RuntimeError(msg)


def whatif_bodies(n: int) -> list[dict[str, Any]]:
    """N request bodies of the what-if update, growth from 1 % to N %."""
    from dashboard import create_app
    from dashboard.controls import defaults
    from dashboard.protocol import update_body

    app = create_app()
    from dashboard.pages.whatif import CONTROL_IDS, args_from_values

    state = app.server.extensions["parkcap"]
    v = defaults(state.park, state.scenario("baseline"))
    values = {f"{i}.value": a for i, a in zip(CONTROL_IDS, args_from_values(v), strict=True)}
    values.update(
        {
            "wi-stage.value": "storage_cabinet",
            "wi-cap-var.value": "nameplate",
            "lang.data": "zh",
            "wi-base.value": "baseline",
            "known-as-of.data": None,
        }
    )
    bodies = []
    for k in range(n):
        values["wi-growth.value"] = 1 + k * (60 / max(n - 1, 1))
        bodies.append(update_body(app, "wi-fan-cap.figure", values, ["wi-growth.value"]))
    return bodies


def page_assets(base: str) -> list[str]:
    html = get(base + "/").decode()
    refs = re.findall(r'(?:src|href)="(/[^"]+)"', html)
    return [base + r for r in refs] + [base + "/_dash-layout", base + "/_dash-dependencies"]


# measured inside the page, from navigation start: polling through the driver would
# itself slow the page down. Loaded: the selector is there, nothing is loading, twice in a row.
_WAIT_FOR_PAGE = """
var selector = arguments[0], done = arguments[arguments.length - 1];
var start = performance.timing.navigationStart, calm = 0;
(function poll() {
  var busy = document.querySelector('[data-dash-is-loading="true"]');
  if (document.querySelector(selector) && !busy) { calm += 1; } else { calm = 0; }
  if (calm >= 2) { done(Date.now() - start - 10); } else { setTimeout(poll, 10); }
})();
"""

# the what-if page: note each figure's redraw after the Enter key that applies a value
_WATCH_FIGURES = """
var ids = ['wi-fan-cap', 'wi-fan-gap', 'wi-tech', 'wi-gaps'];
window.__wi = {t0: null, drawn: {}, last: 0};
document.addEventListener('keydown', function (e) {
  if (e.key === 'Enter') { window.__wi.t0 = performance.now(); window.__wi.drawn = {}; }
}, true);
ids.forEach(function (id) {
  var g = document.querySelector('#' + id + ' .js-plotly-plot');
  g.on('plotly_afterplot', function () {
    if (window.__wi.t0 !== null) { window.__wi.drawn[id] = true; window.__wi.last = performance.now(); }
  });
});
return ids.length;
"""

_WAIT_FOR_FIGURES = """
var done = arguments[arguments.length - 1];
(function poll() {
  var w = window.__wi, busy = document.querySelector('[data-dash-is-loading="true"]');
  if (w.t0 !== null && Object.keys(w.drawn).length === 4 && !busy) { done(w.last - w.t0); }
  else { setTimeout(poll, 5); }
})();
"""


def _driver() -> Any:
    """A headless Chromium (Debian's chromium and chromedriver through selenium), or None."""
    try:
        from selenium import webdriver
    except ImportError:
        return None
    opts = webdriver.ChromeOptions()
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--window-size=1440,1000",
    ):
        opts.add_argument(arg)
    try:
        driver = webdriver.Chrome(options=opts)
    except Exception as exc:  # no browser on this machine: say so, measure the rest
        logger.warning("no headless Chromium: %s", exc)
        return None
    driver.set_script_timeout(60)
    return driver


def page_loads(base: str, n: int) -> dict[str, list[float]]:
    """Seconds from navigation to each page's content on screen, cache cleared each time.

    In one browser, after one visit of every page that is not counted (the browser has
    then compiled the app's scripts once, as any browser that opened the app before has);
    see :func:`first_visits` for a browser's very first visit. Returns page -> N times
    (``{}`` without a browser).
    """
    driver = _driver()
    if driver is None:
        return {}
    out: dict[str, list[float]] = {}
    try:
        for path, ready in PAGES.values():
            driver.get(base + path)
            driver.execute_async_script(_WAIT_FOR_PAGE, ready)
        for name, (path, ready) in PAGES.items():
            times = []
            for _ in range(n):
                driver.execute_cdp_cmd("Network.clearBrowserCache", {})
                driver.get(base + path)
                times.append(driver.execute_async_script(_WAIT_FOR_PAGE, ready) / 1000.0)
            out[name] = times
    finally:
        driver.quit()
    return out


def first_visits(base: str) -> dict[str, float]:
    """Seconds of each page's load as a new browser's very first visit of the app.

    A new headless Chromium per page: nothing cached, no script compiled before (a page
    with charts compiles plotly.js, 4.8 MB, here). Returns page -> seconds (``{}``
    without a browser).
    """
    out: dict[str, float] = {}
    for name, (path, ready) in PAGES.items():
        driver = _driver()
        if driver is None:
            return {}
        try:
            driver.get(base + path)
            out[name] = driver.execute_async_script(_WAIT_FOR_PAGE, ready) / 1000.0
        finally:
            driver.quit()
    return out


def browser_whatif(base: str, n: int) -> list[float]:
    """Seconds from Enter in the growth lever's box to the last figure redrawn, N times.

    Each value is new (a cold cache: a simulation of 1,000 draws each). ``[]`` without a
    browser.
    """
    driver = _driver()
    if driver is None:
        return []
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    times = []
    try:
        driver.get(base + "/what-if")
        driver.execute_async_script(_WAIT_FOR_PAGE, PAGES["what-if"][1])
        driver.execute_script(_WATCH_FIGURES)
        box = driver.find_element(By.CSS_SELECTOR, "#wi-growth-num")
        for k in range(n):
            box.send_keys(Keys.CONTROL, "a")
            box.send_keys(Keys.BACKSPACE)
            box.send_keys(f"{61 + k * 0.5:g}", Keys.ENTER)
            times.append(driver.execute_async_script(_WAIT_FOR_FIGURES) / 1000.0)
    finally:
        driver.quit()
    return times


def reference(n: int = 5) -> float:
    """Median seconds of one 1,000-draw simulation of the baseline here: the machine's pace.

    Measured at the start and at the end of the run, beside the load average, so that
    figures from a shared machine can be read against how busy it was.
    """
    from model import load_park, load_scenario, simulate

    park, scenario = load_park(), load_scenario("baseline")
    simulate(park, scenario)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        simulate(park, scenario)
        times.append(time.perf_counter() - t)
    return float(np.median(times))


def stats(times: list[float]) -> tuple[float, float]:
    return float(np.percentile(times, 50)), float(np.percentile(times, 95))


def _line(what: str, times: list[float], target: float, unit: str = "ms") -> str:
    p50, p95 = stats(times)
    scale = 1000 if unit == "ms" else 1
    digits = 0 if unit == "ms" else 2
    verdict = "OK" if p95 < target else "MISSED"
    return (
        f"{what:<58} n={len(times):<3} p50 {scale * p50:.{digits}f} {unit}  "
        f"p95 {scale * p95:.{digits}f} {unit}  (target p95 < {scale * target:.{digits}f} {unit}) "
        f"{verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30, help="requests per measurement (default 30)")
    parser.add_argument(
        "--browser-n", type=int, default=10, help="browser measurements each (default 10)"
    )
    args = parser.parse_args(argv)
    n = max(1, min(args.n, 1000))
    bn = max(1, min(args.browser_n, 200))
    logging.basicConfig(level=logging.WARNING)
    pace = [reference()]
    busy = [os.getloadavg()[0]]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    exe = [sys.executable, "-m", "model.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(
        exe, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ}
    )
    try:
        t0 = time.perf_counter()
        wait_up(base, proc)
        startup = time.perf_counter() - t0
        bodies = whatif_bodies(n)
        url = base + "/_dash-update-component"
        post(url, bodies[-1])  # warm the base scenario's run (as a page visit does)

        cold = []
        for body in bodies[:-1] + [bodies[0]]:
            t = time.perf_counter()
            resp = post(url, body)
            cold.append(time.perf_counter() - t)
            assert resp["response"]["wi-fan-cap"]["figure"]["data"], "no figure in the response"
        warm = []
        for body in bodies:
            t = time.perf_counter()
            post(url, body)
            warm.append(time.perf_counter() - t)

        in_browser = browser_whatif(base, bn)
        loads_by_page = page_loads(base, max(1, bn // 2))
        firsts = first_visits(base)
        assets = page_assets(base)
        loads, size = [], 0
        for _ in range(n):
            t = time.perf_counter()
            size = len(get(base + "/")) + sum(len(get(u)) for u in assets)
            loads.append(time.perf_counter() - t)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    pace.append(reference())
    busy.append(os.getloadavg()[0])

    print(
        f"machine: {os.cpu_count()} cores; 1-minute load average {busy[0]:.1f} at the start, "
        f"{busy[1]:.1f} at the end; one 1,000-draw simulation here "
        f"{1000 * pace[0]:.0f} ms at the start, {1000 * pace[1]:.0f} ms at the end"
    )
    print(f"server start-up (process to first response): {startup:.2f} s")
    print(_line("what-if update, server side, 1,000 draws, cold cache", cold, WHATIF_TARGET_S))
    w50, w95 = stats(warm)
    print(
        f"{'what-if update, server side, revisited (cached)':<58} n={n:<3} "
        f"p50 {1000 * w50:.0f} ms  p95 {1000 * w95:.0f} ms"
    )
    ok = stats(cold)[1] < WHATIF_TARGET_S
    if in_browser:
        print(
            _line(
                "what-if in Chromium, Enter to last figure drawn",
                in_browser,
                BROWSER_WHATIF_TARGET_S,
            )
        )
        ok = ok and stats(in_browser)[1] < BROWSER_WHATIF_TARGET_S
    else:
        print("what-if in Chromium: skipped (no chromium/chromedriver)")
    for name, times in loads_by_page.items():
        print(_line(f"cold page load in Chromium: {name}", times, LOAD_TARGET_S, "s"))
        ok = ok and stats(times)[1] < LOAD_TARGET_S
    if not loads_by_page:
        print("cold page loads in Chromium: skipped (no chromium/chromedriver)")
    for name, seconds in firsts.items():
        verdict = "OK" if seconds < LOAD_TARGET_S else "MISSED"
        print(
            f"{f'first visit in a new Chromium: {name}':<58} n=1   {seconds:.2f} s  "
            f"(target < {LOAD_TARGET_S:.2f} s) {verdict}"
        )
    l50, l95 = stats(loads)
    print(
        f"{f'first page load over HTTP ({len(assets) + 1} requests, {size / 1e6:.1f} MB)':<58} "
        f"n={n:<3} p50 {l50:.2f} s  p95 {l95:.2f} s"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
