"""Load test of the web app: many users at once against a fresh server (cold cache).

Starts ``parkcap serve`` (waitress) on 127.0.0.1 on a free port in a subprocess, so its
result cache starts empty, then runs ``--users`` simulated users (threads) for
``--seconds``. Each user goes round the pages as a person would, with no pause:

* **page**: GET of the page (``/``, ``/chain``, ...), ``/_dash-layout`` and
  ``/_dash-dependencies``; on a user's first round also every script and stylesheet the
  page names (a browser caches them afterwards);
* **callback**: the POSTs to ``/_dash-update-component`` that the page makes: its content
  (Dash pages' routing callback), its own callbacks with the page's default choices as it
  loads, then one change a user makes (another scenario, quarter, basis, stage or
  waterfall pair), and now and then a CSV, IAMC or NetCDF export; the language is drawn
  per round; the bodies are built from the app's ``callback_map``
  (:func:`dashboard.protocol.update_body`), as the browser builds them;
* **what-if**: on the what-if page, ``--whatif`` updates in a row, each moving one lever
  at random (growth, spread, a technology share, utilisation, ramp-up, a completion
  probability or delay, a project, the intensities), so each simulates 1,000 draws.

Prints p50/p95/max latency per kind and over all requests, the errors (HTTP status other
than 200/204, no answer, or a callback answer that shows a message box, a problem or
"busy", instead of its figures) and
the server's resident memory (RSS: psutil if installed, else ``/proc/PID/status``) at the
start, at the end and at its peak; ``--json`` prints the same as JSON. Targets: p95 < 1 s
over all requests, no error, server memory < 1.5 GB; the exit status is 1 if one is
missed.

Loopback only; bounded (at most 100 users, 600 s); stops by itself.

Usage: ``.venv/bin/python benchmarks/bench_load.py [--users 20] [--seconds 60] [--json]``
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
TARGET_P95_S = 1.0
TARGET_MEMORY_BYTES = 1.5e9
MAX_USERS = 100
MAX_SECONDS = 600
KINDS = ("page", "callback", "what-if")
logger = logging.getLogger("bench_load")


# ---------------------------------------------------------------------------
# the server
# ---------------------------------------------------------------------------
def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def rss_bytes(pid: int) -> int | None:
    """Resident memory of process ``pid`` and its children (the server's worker processes).

    From psutil, else ``/proc/PID/status`` (``VmRSS``, of that process alone); ``None`` if
    the process is gone.
    """
    try:
        import psutil

        proc = psutil.Process(pid)
        family = [proc, *proc.children(recursive=True)]
        return int(sum(p.memory_info().rss for p in family))
    except ImportError:
        pass
    except Exception:  # noqa: BLE001 (the process is gone)
        return None
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    m = re.search(r"^VmRSS:\s+(\d+)\s+kB", text, re.M)
    return int(m.group(1)) * 1024 if m else None


def cpu_seconds(pid: int, children: bool = True) -> float | None:
    """User + system CPU time so far of process ``pid`` (and its children).

    From psutil, else ``/proc/PID/stat`` (that process alone).
    """
    try:
        import psutil

        proc = psutil.Process(pid)
        total = 0.0
        for p in [proc, *(proc.children(recursive=True) if children else [])]:
            times = p.cpu_times()
            total += times.user + times.system
        return total
    except ImportError:
        pass
    except Exception:  # noqa: BLE001 (the process is gone)
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(port: int, cache_mb: int | None, log: Any) -> subprocess.Popen[bytes]:
    """``parkcap serve`` on loopback, as a child process."""
    cmd = [sys.executable, "-m", "model.cli", "serve", "--host", HOST, "--port", str(port)]
    if cache_mb is not None:
        cmd += ["--cache-mb", str(cache_mb)]
    env = {k: v for k, v in os.environ.items() if k != "PARKCAP_TOKEN"}
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log, env=env)


def wait_up(port: int, proc: subprocess.Popen[bytes], timeout: float = 90) -> None:
    """Return once the server answers ``/_dash-layout``."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            msg = f"server exited with status {proc.returncode}"
            raise RuntimeError(msg)
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/_dash-layout")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    msg = "server did not start"
    raise RuntimeError(msg)


# ---------------------------------------------------------------------------
# what a user sends
# ---------------------------------------------------------------------------
@dataclass
class Workload:
    """Everything the users need to build their requests (made once, read-only)."""

    app: Any
    scenarios: list[str]
    quarters: dict[str, list[str]]
    stages: list[str]
    whatif_defaults: dict[str, Any]
    projects: list[str]
    control_ids: list[str]
    args_from_values: Any
    assets: list[str] = field(default_factory=list)


def make_workload() -> Workload:
    """An app like the server's, to build request bodies from its ``callback_map``."""
    from dashboard import create_app
    from dashboard.controls import defaults

    app = create_app()
    from dashboard.whatif_levers import CONTROL_IDS, args_from_values

    state = app.server.extensions["parkcap"]
    names = [n for n in state.scenario_names() if n in ("baseline", "lithium-led", "sodium-flow")]
    v = defaults(state.park, state.scenario("baseline"))
    return Workload(
        app=app,
        scenarios=names,
        quarters={n: state.quarter_labels(state.scenario(n)) for n in names},
        stages=list(state.park.stages),
        whatif_defaults=v,
        projects=list(v["included"]),
        control_ids=list(CONTROL_IDS),
        args_from_values=args_from_values,
    )


def move_a_lever(values: dict[str, Any], projects: list[str], rng: random.Random) -> None:
    """Move one what-if lever of ``values`` at random (in place), within the page's ranges."""
    lever = rng.choice(
        ["growth", "spread", "mix", "util", "ramp", "shape", "p", "delay", "project", "intensity"]
    )
    status = rng.choice(list(values["p_complete"]))
    if lever == "growth":
        values["growth"] = rng.randint(-50, 150)
    elif lever == "spread":
        values["spread"] = rng.randint(0, 50)
    elif lever == "mix":
        values["mix"][rng.choice(list(values["mix"]))] = 5 * rng.randint(0, 20)
        if not any(values["mix"].values()):
            values["mix"]["lfp"] = 100
    elif lever == "util":
        lo = rng.randint(20, 90)
        values["util"] = [lo, rng.randint(lo, 100)]
    elif lever == "ramp":
        lo = rng.randint(1, 8)
        values["ramp"] = [lo, rng.randint(lo, 12)]
    elif lever == "shape":
        values["shape"] = rng.choice(["s_curve", "linear", "instant"])
    elif lever == "p":
        values["p_complete"][status] = 5 * rng.randint(0, 20)
    elif lever == "delay":
        values["delay"][status] = rng.randint(0, 40) / 2
    elif lever == "project":
        pid = rng.choice(projects)
        inc = values["included"]
        values["included"] = [p for p in inc if p != pid] if pid in inc else [*inc, pid]
    else:
        values["intensity"] = rng.choice(["sampled", "central", "low", "high"])


@dataclass
class Result:
    """One request: its kind, what it was, how long it took and whether it failed."""

    kind: str
    name: str
    seconds: float
    error: str | None = None


@dataclass
class User:
    """One simulated user: a keep-alive connection and a random walk over the pages."""

    port: int
    work: Workload
    deadline: float
    seed: int
    whatif_per_visit: int
    results: list[Result] = field(default_factory=list)
    conn: http.client.HTTPConnection | None = None

    def request(self, kind: str, name: str, method: str, path: str, body: Any = None) -> Any:
        """Send one request, record it; the decoded JSON answer of a callback, or ``None``."""
        if time.monotonic() >= self.deadline:
            raise TimeoutError
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if data is not None else {}
        t0 = time.perf_counter()
        error = None
        payload = None
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
            self.conn.request(method, path, body=data, headers=headers)
            resp = self.conn.getresponse()
            raw = resp.read()
            if resp.status not in (200, 204):
                error = f"HTTP {resp.status}"
            elif data is not None and resp.status == 200:
                payload = json.loads(raw)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            error = type(exc).__name__
            if self.conn is not None:
                self.conn.close()
            self.conn = None
        self.results.append(Result(kind, name, time.perf_counter() - t0, error))
        return payload

    def callback(self, kind: str, output: str, values: dict[str, Any], changed: list[str]) -> Any:
        """POST one callback with the body the browser would send."""
        from dashboard.protocol import UPDATE_PATH, update_body

        body = update_body(self.work.app, output, values, changed)
        answer = self.request(kind, output, "POST", UPDATE_PATH, body)
        # every input here is valid: a message box (a problem, "busy") is a failure too
        if answer is not None and '"pc-alert"' in json.dumps(answer.get("response")):
            self.results[-1].error = "problem shown"
        return answer

    def run(self) -> None:
        """Go round the pages until the deadline."""
        rng = random.Random(self.seed)
        first = True
        try:
            while True:
                self.round(rng, first)
                first = False
        except TimeoutError:
            pass
        finally:
            if self.conn is not None:
                self.conn.close()

    def page(self, path: str, lang: str, assets: bool) -> None:
        """Load a page: its HTML, the layout and dependencies, its content callback."""
        self.request("page", path, "GET", f"{path}?lang={lang}")
        self.request("page", "/_dash-layout", "GET", "/_dash-layout")
        self.request("page", "/_dash-dependencies", "GET", "/_dash-dependencies")
        if assets:
            for url in self.work.assets:
                self.request("page", "asset", "GET", url)
        self.callback(
            "callback",
            "_pages_content.children",
            {"_pages_location.pathname": path, "_pages_location.search": f"?lang={lang}"},
            ["_pages_location.pathname"],
        )

    def round(self, rng: random.Random, first: bool) -> None:
        """One visit of every page, in the navigation bar's order.

        On each page, first the callbacks the page fires when it loads (with its default
        choices), then one change a user makes (a random picker); on the what-if page,
        ``whatif_per_visit`` lever moves.
        """
        w = self.work
        lang = rng.choice(["zh", "en"])
        stage = rng.choice(w.stages)

        self.page("/", lang, assets=first)
        self.callback("callback", "ov-content.children", {"lang.data": lang}, ["lang.data"])

        self.page("/chain", lang, assets=False)
        scen = w.scenarios[0]
        self.callback(
            "callback",
            "chain-quarter.options",
            {"chain-scenario.value": scen, "chain-quarter.value": None, "lang.data": lang},
            ["chain-scenario.value"],
        )
        chain = {
            "chain-scenario.value": scen,
            "chain-quarter.value": w.quarters[scen][-1],
            "chain-basis.value": "nameplate",
            "chain-rank.value": "cell-eq",
            "chain-boundary.value": "park",
            "lang.data": lang,
        }
        self.callback("callback", "chain-sankey.figure", chain, ["chain-quarter.value"])
        pick = rng.choice(["chain-scenario.value", "chain-quarter.value", "chain-basis.value"])
        if pick == "chain-scenario.value":
            chain[pick] = rng.choice(w.scenarios)
            chain["chain-quarter.value"] = w.quarters[chain[pick]][-1]
        elif pick == "chain-quarter.value":
            chain[pick] = rng.choice(w.quarters[scen])
        else:
            chain[pick] = "effective"
        self.callback("callback", "chain-sankey.figure", chain, [pick])

        self.page("/scenarios", lang, assets=False)
        names = list(w.scenarios)
        wf = {
            "scen-wf-base.value": names[0],
            "scen-wf-other.value": names[1],
            "scen-wf-quarter.value": w.quarters[names[0]][-1],
            "scen-wf-variable.value": "gap",
            "scen-stage.value": "lfp_cell",
            "lang.data": lang,
        }
        fans = {
            "scen-names.value": names,
            "scen-stage.value": "lfp_cell",
            "lang.data": lang,
            "scen-wf-base.value": None,
            "scen-wf-other.value": None,
            "scen-wf-quarter.value": None,
        }
        self.callback("callback", "scen-fan-cap.figure", fans, ["scen-names.value"])
        self.callback("callback", "scen-waterfall.figure", wf, ["scen-wf-base.value"])
        pick = rng.choice(["stage", "quarter", "variable", "pair"])
        if pick == "stage":
            fans["scen-stage.value"] = wf["scen-stage.value"] = stage
            self.callback("callback", "scen-fan-cap.figure", fans, ["scen-stage.value"])
        elif pick == "quarter":
            wf["scen-wf-quarter.value"] = rng.choice(w.quarters[names[0]])
        elif pick == "variable":
            wf["scen-wf-variable.value"] = "nameplate"
        else:
            base, other = rng.sample(names, 2)
            wf["scen-wf-base.value"], wf["scen-wf-other.value"] = base, other
        self.callback("callback", "scen-waterfall.figure", wf, ["scen-wf-base.value"])

        self.page("/what-if", lang, assets=False)
        self.callback(
            "callback",
            "wi-projects.options",
            {"lang.data": lang, "wi-base.value": "baseline"},
            ["lang.data"],
        )
        values = json.loads(json.dumps(w.whatif_defaults))
        for k in range(self.whatif_per_visit + 1):
            if k:
                move_a_lever(values, w.projects, rng)
            args = w.args_from_values(values)
            body = {f"{i}.value": a for i, a in zip(w.control_ids, args, strict=True)}
            body.update(
                {
                    "wi-stage.value": "storage_cabinet",
                    "wi-cap-var.value": "nameplate",
                    "lang.data": lang,
                    "wi-base.value": "baseline",
                }
            )
            self.callback("what-if" if k else "callback", "wi-fan-cap.figure", body, [])

        self.page("/pipeline", lang, assets=False)
        self.callback("callback", "pipeline-grid.columnDefs", {"lang.data": lang}, ["lang.data"])

        self.page("/export", lang, assets=False)
        if rng.random() < 0.25:
            self.callback(
                "callback",
                "exp-download.data",
                {
                    "exp-button.n_clicks": 1,
                    "exp-names.value": [rng.choice(w.scenarios)],
                    "exp-format.value": rng.choice(["csv", "iamc", "netcdf"]),
                    "exp-quarters.value": "",
                    "exp-summary.value": ["summary"],
                    "lang.data": lang,
                },
                ["exp-button.n_clicks"],
            )


def page_assets(port: int) -> list[str]:
    """The scripts and stylesheets the page names."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/")
    html = conn.getresponse().read().decode()
    conn.close()
    return re.findall(r'(?:src|href)="(/[^"]+)"', html)


# ---------------------------------------------------------------------------
# running and reporting
# ---------------------------------------------------------------------------
def percentiles(times: list[float]) -> dict[str, float]:
    """n, p50, p95 and max in milliseconds."""
    if not times:
        return {"n": 0, "p50_ms": float("nan"), "p95_ms": float("nan"), "max_ms": float("nan")}
    a = np.asarray(times) * 1000
    return {
        "n": len(times),
        "p50_ms": round(float(np.percentile(a, 50)), 1),
        "p95_ms": round(float(np.percentile(a, 95)), 1),
        "max_ms": round(float(a.max()), 1),
    }


def monitor(pid: int, stop: threading.Event, peak: list[int]) -> None:
    """Record the server's peak RSS every 0.25 s until ``stop``."""
    while not stop.wait(0.25):
        rss = rss_bytes(pid)
        if rss is not None:
            peak[0] = max(peak[0], rss)


def run(users: int, seconds: float, seed: int, whatif: int, cache_mb: int | None) -> dict[str, Any]:
    """Start the server, run the users, stop the server; the figures as a dict."""
    work = make_workload()
    port = free_port()
    with tempfile.TemporaryFile() as log:
        proc = start_server(port, cache_mb, log)
        try:
            wait_up(port, proc)
            work.assets = page_assets(port)
            rss_start = rss_bytes(proc.pid) or 0
            cpu_start = cpu_seconds(proc.pid) or 0.0
            main_start = cpu_seconds(proc.pid, children=False) or 0.0
            load_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
            peak = [rss_start]
            stop = threading.Event()
            watcher = threading.Thread(target=monitor, args=(proc.pid, stop, peak), daemon=True)
            watcher.start()
            t0 = time.monotonic()
            deadline = t0 + seconds
            team = [User(port, work, deadline, seed + k, whatif) for k in range(users)]
            threads = [threading.Thread(target=u.run, daemon=True) for u in team]
            for th in threads:
                th.start()
            for th in threads:
                th.join(timeout=max(0.0, deadline - time.monotonic()) + 180)
            elapsed = time.monotonic() - t0
            stop.set()
            watcher.join(2)
            rss_end = rss_bytes(proc.pid) or 0
            cpu_used = (cpu_seconds(proc.pid) or 0.0) - cpu_start
            main_used = (cpu_seconds(proc.pid, children=False) or 0.0) - main_start
            load_end = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
            peak[0] = max(peak[0], rss_end)
            alive = proc.poll() is None
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.seek(0)
            server_log = log.read().decode(errors="replace")
    results = [r for u in team for r in u.results]
    errors: dict[str, int] = defaultdict(int)
    for r in results:
        if r.error:
            errors[f"{r.kind} {r.name}: {r.error}"] += 1
    kinds = {k: percentiles([r.seconds for r in results if r.kind == k]) for k in KINDS}
    kinds["all"] = percentiles([r.seconds for r in results])
    by_name: dict[str, list[float]] = defaultdict(list)
    for r in results:
        if r.kind != "page":
            by_name[f"{r.kind} {r.name}"].append(r.seconds)
    n_errors = sum(errors.values()) + (0 if alive else 1)
    out = {
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": len(results),
        "requests_per_s": round(len(results) / elapsed, 1) if elapsed else None,
        "kinds": kinds,
        "callbacks": {name: percentiles(times) for name, times in sorted(by_name.items())},
        "errors": n_errors,
        "error_reasons": dict(errors),
        "server_alive_at_end": alive,
        "server_cpu_s": round(cpu_used, 1),
        "server_cpu_main_process_s": round(main_used, 1),
        "cores": os.cpu_count(),
        "load_average_1min": {"start": load_start, "end": load_end},
        "memory_mb": {
            "start": round(rss_start / 2**20),
            "end": round(rss_end / 2**20),
            "peak": round(peak[0] / 2**20),
        },
        "targets": {
            "p95_all_ms": TARGET_P95_S * 1000,
            "errors": 0,
            "memory_mb": round(TARGET_MEMORY_BYTES / 2**20),
        },
    }
    out["ok"] = bool(
        kinds["all"]["p95_ms"] < TARGET_P95_S * 1000
        and n_errors == 0
        and peak[0] < TARGET_MEMORY_BYTES
    )
    if n_errors and server_log.strip():
        out["server_log_tail"] = server_log.strip().splitlines()[-20:]
    return out


def report(out: dict[str, Any], detail: bool = False) -> str:
    """The figures as text (``detail``: each callback's too)."""
    lines = [
        f"{out['users']} users for {out['seconds']} s, cold cache: "
        f"{out['requests']} requests ({out['requests_per_s']}/s)",
        f"{'kind':<10} {'n':>6} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}",
    ]
    for kind, s in out["kinds"].items():
        lines.append(
            f"{kind:<10} {s['n']:>6} {s['p50_ms']:>9.0f} {s['p95_ms']:>9.0f} {s['max_ms']:>9.0f}"
        )
    m = out["memory_mb"]
    p95 = out["kinds"]["all"]["p95_ms"]
    lines += [
        f"errors: {out['errors']}" + (f"  {out['error_reasons']}" if out["error_reasons"] else ""),
        f"server memory (RSS): start {m['start']} MB, end {m['end']} MB, peak {m['peak']} MB",
        f"server CPU: {out['server_cpu_s']} s ({out['server_cpu_main_process_s']} s in its main "
        f"process) in {out['seconds']} s on {out['cores']} cores; "
        f"machine load average {out['load_average_1min']['start']} -> "
        f"{out['load_average_1min']['end']}",
        f"targets: p95 < {TARGET_P95_S * 1000:.0f} ms "
        f"({'OK' if p95 < TARGET_P95_S * 1000 else 'MISSED'}), "
        f"0 errors ({'OK' if out['errors'] == 0 else 'MISSED'}), "
        f"memory < {TARGET_MEMORY_BYTES / 1e9:.1f} GB "
        f"({'OK' if m['peak'] * 2**20 < TARGET_MEMORY_BYTES else 'MISSED'})",
    ]
    if detail:
        lines.append("per callback:")
        for name, s in out["callbacks"].items():
            lines.append(
                f"  {name:<40} {s['n']:>5} {s['p50_ms']:>8.0f} {s['p95_ms']:>8.0f} {s['max_ms']:>8.0f}"
            )
    lines += [f"  server: {x}" for x in out.get("server_log_tail", [])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the load test; 0 if every target is met."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="concurrent users (default 20)")
    parser.add_argument("--seconds", type=float, default=60, help="duration (default 60)")
    parser.add_argument(
        "--whatif", type=int, default=3, help="what-if updates per visit of the page (default 3)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed of the users")
    parser.add_argument(
        "--cache-mb", type=int, default=None, help="server's result cache (default its own)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--detail", action="store_true", help="also the figures of each callback")
    args = parser.parse_args(argv)
    users = max(1, min(args.users, MAX_USERS))
    seconds = max(1.0, min(args.seconds, MAX_SECONDS))
    whatif = max(1, min(args.whatif, 20))
    logging.basicConfig(level=logging.WARNING)
    out = run(users, seconds, args.seed, whatif, args.cache_mb)
    print(json.dumps(out, indent=2) if args.json else report(out, args.detail))
    return 0 if out["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
