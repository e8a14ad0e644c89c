"""The app factory: one Dash app with its pages, shell, shared state and security.

The page frame (navbar, language switch, "as known on" date, page container, shared
stores) and its callbacks are in :mod:`dashboard.shell`; :func:`create_app` lays it out
and registers its callbacks on each app it makes.

Pages live in ``dashboard/pages/`` (one module each, registering its layout and callbacks
with ``dash.register_page`` and ``dash.callback``). Everything the app shares is made
here, per app: the :class:`~dashboard.state.AppState` (park, scenarios folder, result
cache) sits in the Flask app's ``extensions``.

Offline: Dash serves its own JavaScript and CSS (``serve_locally=True``), there are no
external stylesheets or scripts, the stylesheet in ``assets/`` names locally installed
CJK fonts, and graphs are configured not to fetch anything.

Security (:mod:`dashboard.security`): a Host allow-list, an access token when served
beyond loopback, and a Content-Security-Policy and other headers on every response.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import weakref
from collections.abc import Sequence
from pathlib import Path

import dash
from dash import Dash, State

from dashboard.security import inline_script_hashes, install, make_access
from dashboard.shell import shell, shell_callbacks
from dashboard.state import EXTENSION_KEY, make_state
from dashboard.workers import Workers
from model.catalogue import t

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
#: where the app's :class:`~dashboard.security.Access` is kept in ``server.extensions``
ACCESS_KEY = "parkcap_access"
#: where the app's background-callback manager is kept in ``server.extensions``
JOBS_KEY = "parkcap_jobs"
#: the environment variable naming the folder of the background jobs' disk cache
CACHE_DIR_ENV = "PARKCAP_CACHE_DIR"
#: the address served by default: this machine only
DEFAULT_BIND = "127.0.0.1"


def job_manager() -> dash.DiskcacheManager:
    """The manager of the app's background callbacks (long runs with a progress bar).

    Each job runs in a process of its own; results, progress and kept analyses go to a
    disk cache: ``$PARKCAP_CACHE_DIR/jobs`` if that is set (shared by the apps and the
    restarts that use it), else a new temporary folder per app, removed at exit (so
    several apps in one process never share one).
    """
    import diskcache

    base = os.environ.get(CACHE_DIR_ENV, "").strip()
    if base:
        folder = Path(base) / "jobs"
        folder.mkdir(parents=True, exist_ok=True)
        manager = dash.DiskcacheManager(diskcache.Cache(str(folder)))
    else:
        folder = Path(tempfile.mkdtemp(prefix="parkcap-jobs-"))
        manager = dash.DiskcacheManager(diskcache.Cache(str(folder)))
        weakref.finalize(manager, shutil.rmtree, folder, ignore_errors=True)
    logger.info("background jobs cached in %s", folder)
    return manager


def create_app(
    data_dir: str | Path | None = None,
    scenarios_dir: str | Path | None = None,
    *,
    host: str = DEFAULT_BIND,
    allow_hosts: Sequence[str] = (),
    token: str | None = None,
    cache_bytes: int | None = None,
    debug: bool = False,
    workers: bool = False,
) -> Dash:
    """Build the web app.

    Parameters
    ----------
    data_dir
        Data folder (default ``$PARKCAP_DATA`` or the project's ``data/``).
    scenarios_dir
        Scenarios folder (default ``$PARKCAP_SCENARIOS`` or the project's ``scenarios/``);
        the what-if page saves scenarios here.
    host
        The address the server will listen on. Beyond loopback, every request needs the
        access token (see :mod:`dashboard.security`); nothing is opened here.
    allow_hosts
        More names that requests may give as ``Host`` (a reverse proxy's); they make the
        token needed too.
    token
        The access token (default ``$PARKCAP_TOKEN`` or a new random one, when needed);
        the app's :class:`~dashboard.security.Access` is in
        ``app.server.extensions["parkcap_access"]``.
    cache_bytes
        Size of the result cache (default ``$PARKCAP_CACHE_MB`` or 512 MB).
    debug
        Served by Dash's development server (its bundles need ``eval``).
    workers
        Run the what-if's simulations and the waterfalls in worker processes
        (:mod:`dashboard.workers`; ``parkcap serve`` does), not in the request's thread.

    Returns
    -------
    dash.Dash
        Serve it with ``app.run(...)`` or any WSGI server (``app.server``).

    Raises
    ------
    model.errors.DataError
        The data folder does not validate.
    ValueError
        A bad ``allow_hosts`` name, too short a token, or a bad cache size.
    """
    access = make_access(host, allow_hosts, token)
    state = make_state(data_dir, scenarios_dir, cache_bytes)
    if workers:
        state.workers = Workers(state.park)
    jobs = job_manager()
    app = Dash(
        "dashboard",
        use_pages=True,
        pages_folder="pages",
        assets_folder=str(HERE / "assets"),
        serve_locally=True,
        external_stylesheets=[],
        external_scripts=[],
        suppress_callback_exceptions=True,
        title=t("app_title", "zh"),
        update_title=None,
        background_callback_manager=jobs,
        # every page's layout is built in the language the browser keeps (when its link
        # has no ``?lang=``): no relabelling round trips when a page opens
        routing_callback_inputs={"stored_lang": State("lang", "data")},
    )
    app.server.extensions[EXTENSION_KEY] = state
    app.server.extensions[JOBS_KEY] = jobs
    app.layout = shell
    shell_callbacks(app)

    # One request sets the server up now (Dash moves the callbacks that the page modules
    # registered with dash.callback into this app), so a second app made in the same
    # process gets its own set and never this one's.
    client = app.server.test_client()
    client.get("/_dash-layout")
    # the inline scripts Dash writes into every page (renderer, clientside callbacks), by
    # hash, so that the Content-Security-Policy lets these run and nothing else inline
    hashes = inline_script_hashes(client.get("/").get_data(as_text=True))
    hashes += [h for h in app.csp_hashes() if h not in hashes]
    install(app.server, access, hashes, debug=debug)
    app.server.extensions[ACCESS_KEY] = access
    logger.info("app ready: %d callbacks", len(app.callback_map))
    return app
