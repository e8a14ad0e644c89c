"""The app factory and the shell: navbar, language switch, page container, shared stores.

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
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import parse_qs

import dash
from dash import ALL, Dash, Input, Output, State, callback_context, dcc, html, no_update

from dashboard.i18n import I18N, Texts, norm_lang, translate
from dashboard.security import inline_script_hashes, install, make_access
from dashboard.state import EXTENSION_KEY, make_state
from dashboard.workers import Workers
from model.catalogue import t

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
#: where the app's :class:`~dashboard.security.Access` is kept in ``server.extensions``
ACCESS_KEY = "parkcap_access"
#: the address served by default: this machine only
DEFAULT_BIND = "127.0.0.1"
I18N_ID = {"type": I18N, "key": ALL, "n": ALL, "fmt": ALL}


def _navbar(tx: Texts) -> html.Nav:
    pages = sorted(dash.page_registry.values(), key=lambda p: p.get("order", 99))
    links = [
        dcc.Link(
            tx(page.get("title_key", page["name"])),
            href=page["relative_path"],
            id={"type": "navlink", "path": page["path"]},
            className="pc-navlink",
        )
        for page in pages
    ]
    return html.Nav(
        [
            html.Span(tx("app_title"), className="pc-brand"),
            html.Div(links, className="pc-links"),
            html.Button(tx("ui_switch_lang"), id="lang-toggle", n_clicks=0, className="pc-lang"),
        ],
        className="pc-nav",
    )


def shell() -> html.Div:
    """The page frame: location, language store, navbar and the page container."""
    tx = Texts("shell")
    return html.Div(
        [
            dcc.Location(id="url", refresh=False),
            dcc.Store(id="lang", storage_type="local"),
            # the "as known on" date (ISO string, or None: everything recorded); pages read
            # it and ask ``AppState.known_on`` for the park as known then
            dcc.Store(id="known-as-of", storage_type="session"),
            _navbar(tx),
            html.Main(dash.page_container, className="pc-main"),
            html.Footer(tx("ui_footer"), className="pc-footer"),
        ]
    )


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
    )
    app.server.extensions[EXTENSION_KEY] = state
    app.layout = shell

    @app.callback(
        Output("lang", "data"),
        Input("url", "search"),
        Input("lang-toggle", "n_clicks"),
        State("lang", "data"),
    )
    def set_lang(search: str | None, _clicks: int | None, current: str | None) -> str:
        """The language: the toggle flips it; ``?lang=en`` in the URL sets it; else kept."""
        if callback_context.triggered_id == "lang-toggle":
            return "en" if norm_lang(current) == "zh" else "zh"
        text = search if isinstance(search, str) else ""
        asked = parse_qs(text.lstrip("?")).get("lang", [None])[0]
        if asked in ("zh", "en"):
            return asked if asked != current else no_update
        return norm_lang(current) if current != norm_lang(current) else no_update

    @app.callback(Output(I18N_ID, "children"), Input("lang", "data"), State(I18N_ID, "id"))
    def retranslate(lang: str | None, ids: list[dict[str, str]]) -> list[str]:
        """Rewrite every static text of the page in the chosen language."""
        return translate(ids, norm_lang(lang))

    @app.callback(
        Output({"type": "navlink", "path": ALL}, "className"),
        Input("url", "pathname"),
        State({"type": "navlink", "path": ALL}, "id"),
    )
    def highlight(pathname: str | None, ids: list[dict[str, str]]) -> list[str]:
        """Mark the link of the page shown."""
        path = app.strip_relative_path(pathname or "/") or ""
        return [
            "pc-navlink active" if (i["path"].strip("/") == path.strip("/")) else "pc-navlink"
            for i in ids
        ]

    app.clientside_callback(
        """function(lang) {
            document.documentElement.lang = (lang === 'en') ? 'en' : 'zh-CN';
            return window.dash_clientside.no_update;
        }""",
        Output("lang-toggle", "title"),
        Input("lang", "data"),
    )

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
