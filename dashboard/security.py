"""Who may use the web app, and what every response tells the browser.

:func:`install` puts three guards on the app's Flask server, all in one place:

* **Host allow-list.** A request whose ``Host`` header names anything else than this
  machine gets 400 (DNS rebinding: a page of another site whose name now points at this
  machine would otherwise read the app). Bound to loopback, the names are ``localhost``,
  ``127.0.0.1`` and ``[::1]``; bound beyond loopback, also the machine's host name and
  addresses and every ``--allow-host NAME`` (the name of a reverse proxy, say). Any port.
* **Access token.** Bound beyond loopback (anything but ``127.x``, ``::1``,
  ``localhost``) or given ``--allow-host`` names, every request needs the token, from this
  machine too (behind a reverse proxy every request comes from loopback). It comes from
  ``$PARKCAP_TOKEN`` or is generated, and ``parkcap serve`` prints it in the URLs to open.
  ``?token=...`` sets an HttpOnly, SameSite=Strict cookie and redirects to the same URL
  without it; a script may send ``Authorization: Bearer ...``. Anything else gets 401 with
  a short page in Chinese and English. Tokens are compared with
  :func:`hmac.compare_digest`.
* **Headers** on every response: a Content-Security-Policy that allows only the app's own
  origin (scripts: its own files plus the hashes of the inline scripts Dash writes into
  the page, see :func:`inline_script_hashes`; styles may be inline, which Dash and plotly
  set), ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``,
  ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer`` and
  ``Cross-Origin-Opener-Policy: same-origin``. Request bodies are limited to
  :data:`MAX_REQUEST_BYTES`.

Nothing here imports Dash: :func:`dashboard.app.create_app` passes the hashes in.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import html
import ipaddress
import os
import re
import secrets
import socket
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from model.catalogue import t

#: host names of this machine seen from itself
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
#: bind addresses that mean "every address of this machine"
WILDCARDS = frozenset({"0.0.0.0", "::", ""})  # noqa: S104 (compared with, never bound)
#: the environment variable that sets the access token
TOKEN_ENV = "PARKCAP_TOKEN"
#: query parameter that carries the token once
TOKEN_PARAM = "token"
#: cookie that carries it afterwards
COOKIE_NAME = "parkcap_token"
#: lifetime of that cookie: a working week
COOKIE_MAX_AGE = 7 * 24 * 3600
#: a shorter token is refused (``secrets.token_urlsafe(32)`` makes 43 characters)
MIN_TOKEN_LENGTH = 16
#: largest request body (the browser's callback requests are a few kB)
MAX_REQUEST_BYTES = 1024 * 1024

_NAME_RE = re.compile(
    r"^[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?)*$"
)


# ---------------------------------------------------------------------------
# names and addresses
# ---------------------------------------------------------------------------
def _bare(host: str) -> str:
    """``"[::1]"`` -> ``"::1"``; lower case, no trailing dot, no IPv6 zone."""
    h = host.strip().lower()
    if h.startswith("[") and h.endswith("]"):
        h = h[1:-1]
    return h.split("%", 1)[0].rstrip(".")


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` serves this machine only (``127.x``, ``::1``, ``localhost``)."""
    h = _bare(host)
    if h == "localhost":
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def host_of(header: str | None) -> str | None:
    """The host name of a ``Host`` header without its port, or ``None`` if malformed.

    ``"Example.org:8050"`` -> ``"example.org"``, ``"[::1]:8050"`` -> ``"::1"``.
    """
    h = (header or "").strip().lower()
    if h.startswith("["):
        end = h.find("]")
        if end < 0:
            return None
        name, rest = h[1:end], h[end + 1 :]
    else:
        name, colon, port = h.partition(":")
        rest = colon + port
    if rest and not re.fullmatch(r":\d{1,5}", rest):
        return None
    name = name.rstrip(".")
    return name or None


def check_host_name(name: str) -> str:
    """An ``--allow-host`` value as the allow-list keeps it (lower case, no brackets).

    Raises
    ------
    ValueError
        Not a DNS name or an IP address (a pattern, a URL, a port).
    """
    h = _bare(name)
    try:
        return str(ipaddress.ip_address(h))
    except ValueError:
        pass
    if not _NAME_RE.fullmatch(h):
        msg = f"not a host name or address: {name!r} (e.g. parkcap.example.org or 10.0.0.5)"
        raise ValueError(msg)
    return h


def _addresses() -> list[str]:
    """The IP addresses of this machine's network interfaces (loopback included)."""
    found: list[str] = []
    try:
        import psutil  # optional: exact list of every interface's addresses

        for addrs in psutil.net_if_addrs().values():
            found += [a.address for a in addrs if a.family in (socket.AF_INET, socket.AF_INET6)]
    except Exception:  # noqa: BLE001 (not installed or not permitted: use what sockets say)
        try:
            infos = socket.getaddrinfo(socket.gethostname(), None)
            found += [str(info[4][0]) for info in infos]
        except OSError:
            pass
        for family, probe in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
            try:  # the address a packet out would leave from (connect sends nothing)
                with socket.socket(family, socket.SOCK_DGRAM) as s:
                    s.connect((probe, 9))
                    found.append(str(s.getsockname()[0]))
            except OSError:
                pass
    out = []
    for a in found:
        try:
            out.append(str(ipaddress.ip_address(_bare(a))))
        except ValueError:
            continue
    return list(dict.fromkeys(out))


def machine_names() -> list[str]:
    """Names of this machine: host name, fully qualified name and addresses, lower case."""
    names: list[str] = []
    with contextlib.suppress(OSError):
        names += [socket.gethostname(), socket.getfqdn()]
    names += _addresses()
    return list(dict.fromkeys(_bare(n) for n in names if n))


def public_urls(bind: str, port: int, token: str | None = None) -> list[str]:
    """The URLs to open the app at, with the machine's real addresses (never ``0.0.0.0``).

    Parameters
    ----------
    bind
        The address the server listens on.
    port
        Its port.
    token
        Added as ``?token=...`` if given.

    Returns
    -------
    list of str
        One URL per address: ``bind`` itself, or for a wildcard every address of the
        machine that others can reach (no loopback, no link-local), IPv4 first; the host
        name too. Loopback if nothing else is known.
    """
    if _bare(bind) not in WILDCARDS:
        hosts = [_bare(bind)]
    else:
        want_v6 = _bare(bind) == "::"
        addrs = []
        for a in _addresses():
            ip = ipaddress.ip_address(a)
            if ip.is_loopback or ip.is_link_local or (ip.version == 6 and not want_v6):
                continue
            addrs.append(ip)
        addrs.sort(key=lambda ip: ip.version)
        hosts = [str(ip) for ip in addrs]
        with contextlib.suppress(OSError):
            hosts.append(socket.gethostname().lower())
        hosts = hosts or ["127.0.0.1"]
    query = f"?{TOKEN_PARAM}={token}" if token else ""
    out = []
    for h in dict.fromkeys(hosts):
        shown = f"[{h}]" if ":" in h else h
        out.append(f"http://{shown}:{port}/{query}")
    return out


# ---------------------------------------------------------------------------
# the policy of one app
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Access:
    """Who may use one app: the Host names it answers to and the token it asks for.

    Attributes
    ----------
    bind
        The address the server listens on.
    hosts
        Host names (no port, no brackets) that requests may name.
    token
        The access token, or ``None`` when none is needed (bound to loopback only).
    """

    bind: str
    hosts: frozenset[str]
    token: str | None

    @property
    def loopback(self) -> bool:
        """Whether the server listens on loopback only."""
        return is_loopback(self.bind)

    def host_allowed(self, header: str | None) -> bool:
        """Whether a ``Host`` header names this app."""
        name = host_of(header)
        return name is not None and name in self.hosts

    def token_ok(self, given: str | None) -> bool:
        """Whether ``given`` is the token (constant-time comparison)."""
        if self.token is None:
            return True
        if not isinstance(given, str) or not given:
            return False
        return hmac.compare_digest(given.encode("utf-8"), self.token.encode("utf-8"))


def make_access(
    bind: str = "127.0.0.1",
    allow_hosts: Iterable[str] = (),
    token: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Access:
    """The access policy of an app bound to ``bind``.

    Parameters
    ----------
    bind
        The address the server listens on (``"127.0.0.1"``, ``"0.0.0.0"``, ...).
    allow_hosts
        More names that requests may give as ``Host`` (``--allow-host``).
    token
        The token; default ``$PARKCAP_TOKEN``, else a new random one. Used only when one
        is needed: bound beyond loopback, or with ``allow_hosts``, or given explicitly.
    env
        Environment (default ``os.environ``).

    Returns
    -------
    Access
        The policy.

    Raises
    ------
    ValueError
        A bad ``--allow-host`` name or a token shorter than :data:`MIN_TOKEN_LENGTH`.
    """
    extra = [check_host_name(h) for h in allow_hosts]
    hosts = set(LOOPBACK_NAMES) | set(extra)
    needs_token = not is_loopback(bind) or bool(extra) or token is not None
    if not is_loopback(bind):
        hosts |= set(machine_names())
        if _bare(bind) not in WILDCARDS:
            hosts.add(_bare(bind))
    if needs_token:
        token = token or (os.environ if env is None else env).get(TOKEN_ENV) or None
        token = token.strip() if token else secrets.token_urlsafe(32)
        if len(token) < MIN_TOKEN_LENGTH:
            msg = f"the access token must have at least {MIN_TOKEN_LENGTH} characters"
            raise ValueError(msg)
    else:
        token = None
    return Access(bind=bind, hosts=frozenset(hosts), token=token)


# ---------------------------------------------------------------------------
# headers
# ---------------------------------------------------------------------------
_SCRIPT_RE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.I)
_JS_TYPES = ("", "text/javascript", "application/javascript", "module")


def inline_script_hashes(page: str) -> list[str]:
    """CSP sources (``'sha256-...'``) of the inline scripts a page runs.

    Scripts with a ``src`` and data blocks (``type="application/json"``, Dash's config)
    are not run inline and need none.
    """
    out = []
    for m in _SCRIPT_RE.finditer(page):
        attrs = m.group("attrs")
        if re.search(r"\bsrc\s*=", attrs, re.I):
            continue
        kind = re.search(r"\btype\s*=\s*[\"']?([^\"'\s>]+)", attrs, re.I)
        if kind is not None and kind.group(1).lower() not in _JS_TYPES:
            continue
        digest = hashlib.sha256(m.group("body").encode("utf-8")).digest()
        out.append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return list(dict.fromkeys(out))


def content_security_policy(script_hashes: Sequence[str] = (), debug: bool = False) -> str:
    """The Content-Security-Policy of the app.

    Parameters
    ----------
    script_hashes
        Hashes of the inline scripts Dash writes into the page (the renderer's start and
        the clientside callbacks).
    debug
        Dash's development server: its unminified bundles use ``eval``.

    Returns
    -------
    str
        The header's value: the app's own origin only; inline scripts by hash; inline
        styles allowed (Dash's style props and plotly set them); images and fonts also as
        ``data:``/``blob:`` (plotly's and ag-grid's icons); never framed.
    """
    script = ["'self'", *script_hashes] + (["'unsafe-eval'"] if debug else [])
    directives = {
        "default-src": ["'self'"],
        "script-src": script,
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{k} {' '.join(v)}" for k, v in directives.items())


def security_headers(csp: str) -> dict[str, str]:
    """The headers every response carries (see the module's docstring)."""
    return {
        "Content-Security-Policy": csp,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


# ---------------------------------------------------------------------------
# the Flask hooks
# ---------------------------------------------------------------------------
def _page(status: int, title_key: str, text_key: str, retry: str | None = None) -> Any:
    """A short page in Chinese and English (no script, no style, no echo of the request)."""
    from flask import Response

    parts = [
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{html.escape(t(title_key, 'zh'))} · {html.escape(t(title_key, 'en'))}</title>",
        "</head><body>",
        f"<h1>{html.escape(t(title_key, 'zh'))}</h1><p>{html.escape(t(text_key, 'zh'))}</p>",
        f'<h1 lang="en">{html.escape(t(title_key, "en"))}</h1>',
        f'<p lang="en">{html.escape(t(text_key, "en"))}</p>',
    ]
    if retry is not None:
        label = f"{t('web_retry', 'zh')} · {t('web_retry', 'en')}"
        parts.append(f'<p><a href="{html.escape(retry, quote=True)}">{html.escape(label)}</a></p>')
    parts.append("</body></html>")
    resp = Response("".join(parts), status=status, mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _here(drop_token: bool = True) -> str:
    """The current URL's path and query, without the token, never ``//host`` (off-site)."""
    from flask import request

    path = "/" + (request.script_root + request.path).lstrip("/\\")
    args = [
        (k, v) for k, v in request.args.items(multi=True) if not (drop_token and k == TOKEN_PARAM)
    ]
    return path + (f"?{urlencode(args)}" if args else "")


def install(
    server: Any, access: Access, script_hashes: Sequence[str] = (), debug: bool = False
) -> None:
    """Put the Host check, the token check and the headers on a Flask ``server``.

    The checks run before every other ``before_request`` hook (Dash's included), so no
    request that fails them reaches the app; the headers are added to every response,
    refusals and errors included.

    Parameters
    ----------
    server
        The Flask app (``dash_app.server``).
    access
        Who may use it (:func:`make_access`).
    script_hashes
        CSP hashes of the page's inline scripts (:func:`inline_script_hashes`).
    debug
        Dash's development server (allows ``eval``, which its bundles use).
    """
    from flask import redirect, request

    server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    headers = security_headers(content_security_policy(script_hashes, debug))

    def guard() -> Any:
        if not access.host_allowed(request.headers.get("Host")):
            return _page(400, "web_host_title", "web_host_text")
        if access.token is None:
            return None
        given = request.args.get(TOKEN_PARAM)
        if given is not None:
            if not access.token_ok(given):
                return _page(401, "web_token_title", "web_token_text")
            if request.method in ("GET", "HEAD"):
                resp = redirect(_here(), code=303)
                resp.set_cookie(
                    COOKIE_NAME,
                    access.token,
                    max_age=COOKIE_MAX_AGE,
                    path=request.script_root or "/",
                    secure=request.is_secure,
                    httponly=True,
                    samesite="Strict",
                )
                resp.headers["Cache-Control"] = "no-store"
                return resp
            return None
        if access.token_ok(request.cookies.get(COOKIE_NAME)):
            return None
        auth = request.headers.get("Authorization", "")
        if auth[:7].lower() == "bearer " and access.token_ok(auth[7:].strip()):
            return None
        resp = _page(401, "web_token_title", "web_token_text", retry=_here())
        resp.headers["WWW-Authenticate"] = 'Bearer realm="parkcap"'
        return resp

    def add_headers(resp: Any) -> Any:
        for k, v in headers.items():
            resp.headers[k] = v
        return resp

    # through the hook lists themselves: Flask's decorators refuse once the app has
    # answered a request (create_app's own set-up requests, made through the test client)
    server.before_request_funcs.setdefault(None, []).insert(0, guard)
    server.after_request_funcs.setdefault(None, []).append(add_headers)
