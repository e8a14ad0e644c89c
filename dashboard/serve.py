"""``parkcap serve``: run the web app on this machine.

Registered through the ``parkcap.commands`` entry point (``model`` never imports
``dashboard``). The app is served by waitress, a pure-Python multi-threaded WSGI server
that runs the same on Linux and Windows intranet PCs and, unlike Flask's development
server, is meant for real use; ``--debug`` uses Dash's development server instead
(hot reload, error pages and dev tools, for developers only).

Simulations and waterfalls run in worker processes (:mod:`dashboard.workers`;
``--in-process`` keeps them in the server's threads).

By default it listens on 127.0.0.1: this machine only, no token. Bound beyond loopback
(``--host 0.0.0.0``, an intranet address) or given ``--allow-host`` names, every request
needs the access token (``$PARKCAP_TOKEN``, else a new one each start); the command says
so and prints the URLs to open, with the machine's real addresses and the token (see
:mod:`dashboard.security`).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Callable, MutableMapping
from typing import Any

from model.catalogue import t
from model.errors import DataError, Problem

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050
#: waitress's threads: more than the requests that may wait for slow work
#: (dashboard.state.MAX_QUEUED: 40), so that pages load while simulations run
THREADS = 56


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        msg = f"expected a port number 1-65535, not {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
    if not 1 <= port <= 65535:
        msg = f"expected a port number 1-65535, not {port}"
        raise argparse.ArgumentTypeError(msg)
    return port


def _megabytes(text: str) -> int:
    try:
        mb = int(text)
    except ValueError:
        mb = -1
    if mb < 0:
        msg = f"expected a whole number of MB (0 or more), not {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return mb


def register(
    subparsers: Any,
    commands: MutableMapping[str, Callable[[argparse.Namespace], int]],
    add_common: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Add the ``serve`` sub-command to the ``parkcap`` parser."""
    p = subparsers.add_parser("serve", help="run the web app (http://127.0.0.1:8050/ by default)")
    add_common(p)
    p.add_argument(
        "--scenarios",
        metavar="DIR",
        default=None,
        help="scenarios folder (default: $PARKCAP_SCENARIOS or the project's scenarios/)",
    )
    p.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 for the "
        "intranet, where every request needs the access token)",
    )
    p.add_argument("--port", type=_port, default=DEFAULT_PORT, help="port (default 8050)")
    p.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="another name requests may use as Host, e.g. a reverse proxy's (repeatable; "
        "the machine's own names and addresses are allowed when bound beyond loopback); "
        "makes the access token needed",
    )
    p.add_argument(
        "--cache-mb",
        type=_megabytes,
        default=None,
        metavar="MB",
        help="size of the result cache (default: $PARKCAP_CACHE_MB or 512)",
    )
    p.add_argument(
        "--debug", action="store_true", help="Dash development server with reload and dev tools"
    )
    p.add_argument(
        "--in-process",
        action="store_true",
        help="simulate in the server's own threads, without worker processes",
    )
    p.add_argument(
        "--no-warm",
        action="store_true",
        help="do not compute every page's first view at start-up (then the first visit waits)",
    )
    commands["serve"] = cmd_serve


def cmd_serve(args: argparse.Namespace) -> int:
    """Build the app and serve it until interrupted; returns the exit status."""
    from dashboard.app import ACCESS_KEY, create_app
    from dashboard.security import TOKEN_ENV, public_urls
    from dashboard.state import EXTENSION_KEY

    try:
        app = create_app(
            data_dir=args.data,
            scenarios_dir=args.scenarios,
            host=args.host,
            allow_hosts=args.allow_host,
            cache_bytes=None if args.cache_mb is None else args.cache_mb * 2**20,
            debug=args.debug,
            workers=not (args.debug or args.in_process),
        )
    except DataError:
        raise
    except ValueError as exc:  # a bad --allow-host name, a short token, a bad cache size
        raise DataError([Problem("command line", None, None, None, str(exc))]) from None
    access = app.server.extensions[ACCESS_KEY]
    lang = args.lang
    out = sys.stdout
    if access.token is None:
        url = public_urls(args.host, args.port)[0]
        out.write(t("serve_listening", lang, url=url) + "\n")
    else:
        if not access.loopback:
            out.write(t("serve_beyond_loopback", lang) + "\n")
        key = "serve_token_from_env" if os.environ.get(TOKEN_ENV) else "serve_token_generated"
        out.write(t(key, lang, env=TOKEN_ENV) + "\n")
        out.write(t("serve_open_with", lang) + "\n")
        for url in public_urls(args.host, args.port, access.token):
            out.write(f"  {url}\n")
        out.write(t("serve_stop", lang) + "\n")
    out.flush()
    if args.debug:
        if access.token is not None:  # the reloader's child serves: same token as printed
            os.environ.setdefault(TOKEN_ENV, access.token)
        app.run(host=args.host, port=args.port, debug=True)
        return 0
    from waitress import serve

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    state = app.server.extensions[EXTENSION_KEY]
    if state.workers is not None and not state.workers.start():
        state.workers = None  # the data changed under us: simulate in the server
    if not args.no_warm:  # every page's first view computed while the server starts
        from dashboard.warmup import start as warm_up

        warm_up(state)
    # a plain `kill` stops the server like Ctrl+C, so that the worker processes stop too
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        serve(app.server, host=args.host, port=args.port, threads=THREADS, ident="parkcap")
    except KeyboardInterrupt:
        pass
    finally:
        if state.workers is not None:
            state.workers.close()
    return 0


def _interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt
