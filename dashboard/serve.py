"""``parkcap serve``: run the web app on this machine.

Registered through the ``parkcap.commands`` entry point (``model`` never imports
``dashboard``). The app is served by waitress, a pure-Python multi-threaded WSGI server
that runs the same on Linux and Windows intranet PCs and, unlike Flask's development
server, is meant for real use; ``--debug`` uses Dash's development server instead
(hot reload, error pages and dev tools, for developers only).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, MutableMapping
from typing import Any

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050
THREADS = 8


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
        help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 for the intranet)",
    )
    p.add_argument("--port", type=_port, default=DEFAULT_PORT, help="port (default 8050)")
    p.add_argument(
        "--debug", action="store_true", help="Dash development server with reload and dev tools"
    )
    commands["serve"] = cmd_serve


def cmd_serve(args: argparse.Namespace) -> int:
    """Build the app and serve it until interrupted; returns the exit status."""
    from dashboard.app import create_app

    app = create_app(data_dir=args.data, scenarios_dir=args.scenarios)
    url = f"http://{args.host}:{args.port}/"
    sys.stdout.write(f"parkcap web app: {url}  (Ctrl+C to stop)\n")
    sys.stdout.flush()
    if args.debug:
        app.run(host=args.host, port=args.port, debug=True)
        return 0
    from waitress import serve

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    serve(app.server, host=args.host, port=args.port, threads=THREADS, ident="parkcap")
    return 0
