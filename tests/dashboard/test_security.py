"""The web app's defences, through the Flask test client and the callback functions.

* no callback that takes a scenario reads a file by path, and none echoes what a file
  holds: the attacker's probe (a path to a TOML file with a secret, /etc/passwd, the
  project's pyproject.toml) gets a short "unknown scenario" message;
* list inputs are capped and unknown ids refused before any simulation;
* every response carries the security headers; only this machine's Host names are
  answered; beyond loopback every request needs the token;
* the result cache is bounded in bytes; saving from the web is limited.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from dash import Dash

from dashboard.controls import defaults, scenario_from_controls
from dashboard.guards import Rejected, UnknownScenarioError, choices, one_of
from dashboard.protocol import UPDATE_PATH, update_body
from dashboard.scenario_save import check_cost, save_scenario
from dashboard.security import (
    COOKIE_NAME,
    TOKEN_ENV,
    content_security_policy,
    host_of,
    inline_script_hashes,
    is_loopback,
    make_access,
    public_urls,
)
from dashboard.state import LRU, AppState, rough_size
from model.catalogue import t
from model.errors import DataError
from model.scenario import DEFAULT_SCENARIOS_DIR

SECRET_KEY = "db_password"
SECRET_VALUE = "hunter2-secret-value-7f3a"
TOKEN = "test-token-0123456789abcdef"
PROXY = "parkcap.example.org"
UNKNOWN = {t("ui_unknown_scenario", lang) for lang in ("zh", "en")}


# ---------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------
def copy_scenarios(target: Path) -> Path:
    """A copy of the shipped scenarios folder at ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for f in DEFAULT_SCENARIOS_DIR.glob("*.toml"):
        (target / f.name).write_bytes(f.read_bytes())
    return target


@pytest.fixture(scope="module")
def secret(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A TOML file outside the scenarios folder that holds a secret."""
    path = tmp_path_factory.mktemp("private") / "secret.toml"
    path.write_text(f'{SECRET_KEY} = "{SECRET_VALUE}"\nname = "x"\n', encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def probes(secret: Path) -> list[str]:
    """What the attacker posts instead of a scenario name."""
    return [
        str(secret),
        str(secret.with_suffix("")),
        "/etc/passwd",
        "/etc/shadow",
        "../../../../etc/passwd",
        "pyproject.toml",
        "secret.toml",
        "..\\..\\secret",
    ]


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Dash:
    """An app bound 'beyond loopback' (nothing is opened), with a token and a proxy name."""
    from dashboard import create_app

    folder = copy_scenarios(tmp_path_factory.mktemp("remote-scenarios"))
    return create_app(scenarios_dir=folder, host="0.0.0.0", token=TOKEN, allow_hosts=[PROXY])  # noqa: S104


class Reads:
    """Every path the scenario loader checks or reads during a test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[Path] = []
        real_read, real_is_file = Path.read_bytes, Path.is_file

        def read_bytes(p: Path) -> bytes:
            self.paths.append(p)
            return real_read(p)

        def is_file(p: Path) -> bool:
            self.paths.append(p)
            return real_is_file(p)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
        monkeypatch.setattr(Path, "is_file", is_file)

    def outside(self, folder: Path) -> list[Path]:
        inside = folder.resolve()
        return [
            p
            for p in self.paths
            if p.suffix == ".toml"
            and inside not in p.resolve().parents
            or "etc" in p.parts
            or p.name in ("secret", "passwd", "shadow", "pyproject.toml")
        ]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Reads:
    return Reads(monkeypatch)


def _post(app: Dash, output: str, values: dict[str, Any], changed: list[str]) -> Any:
    body = update_body(app, output, values, changed)
    return app.server.test_client().post(UPDATE_PATH, json=body)


def _whatif_values(state: AppState, **over: Any) -> dict[str, Any]:
    from dashboard.whatif_levers import CONTROL_IDS, args_from_values

    v = defaults(state.park, state.scenario("baseline"))
    values = {f"{i}.value": a for i, a in zip(CONTROL_IDS, args_from_values(v), strict=True)}
    values.update(
        {
            "wi-stage.value": "storage_cabinet",
            "wi-cap-var.value": "nameplate",
            "lang.data": "en",
            "wi-base.value": "baseline",
        }
    )
    values.update(over)
    return values


def _calls(state: AppState, probe: Any) -> list[tuple[str, dict[str, Any], list[str]]]:
    """(output, values, changed) of every callback that takes a scenario, fed ``probe``."""
    store = state.scenario("baseline").with_changes(name="what-if").model_dump_json()
    many = [probe, "baseline"]
    return [
        ("wi-projects.options", {"lang.data": "en", "wi-base.value": probe}, ["lang.data"]),
        ("wi-ramp.max", {"wi-base.value": probe, "lang.data": "en"}, ["wi-base.value"]),
        ("wi-fan-cap.figure", _whatif_values(state, **{"wi-base.value": probe}), []),
        (
            "wi-save-message.children",
            {
                "wi-save.n_clicks": 1,
                "wi-name.value": "probe-save",
                "wi-overwrite.value": [],
                "wi-scenario.data": store,
                "wi-base.value": probe,
                "lang.data": "en",
            },
            ["wi-save.n_clicks"],
        ),
        (
            "chain-quarter.options",
            {"chain-scenario.value": probe, "chain-quarter.value": None, "lang.data": "en"},
            ["chain-scenario.value"],
        ),
        (
            "chain-view.figure",
            {
                "chain-scenario.value": probe,
                "chain-quarter.value": "2030Q4",
                "chain-basis.value": "nameplate",
                "chain-rank.value": "cell-eq",
                "chain-boundary.value": "park",
                "lang.data": "en",
                "chain-targets.children": None,
            },
            ["chain-scenario.value"],
        ),
        (
            "scen-fan-cap.figure",
            {
                "scen-names.value": many,
                "scen-stage.value": "lfp_cell",
                "lang.data": "en",
                "scen-wf-base.value": None,
                "scen-wf-other.value": None,
                "scen-wf-quarter.value": None,
            },
            ["scen-names.value"],
        ),
        (
            "scen-waterfall.figure",
            {
                "scen-wf-base.value": "baseline",
                "scen-wf-other.value": probe,
                "scen-wf-quarter.value": "2030Q4",
                "scen-wf-variable.value": "gap",
                "scen-stage.value": "lfp_cell",
                "lang.data": "en",
            },
            ["scen-wf-other.value"],
        ),
        (
            "scen-waterfall.figure",
            {
                "scen-wf-base.value": probe,
                "scen-wf-other.value": "baseline",
                "scen-wf-quarter.value": "2030Q4",
                "scen-wf-variable.value": "gap",
                "scen-stage.value": "lfp_cell",
                "lang.data": "en",
            },
            ["scen-wf-base.value"],
        ),
        (
            "exp-download.data",
            {
                "exp-button.n_clicks": 1,
                "exp-names.value": many,
                "exp-format.value": "csv",
                "exp-quarters.value": "",
                "exp-summary.value": ["summary"],
                "lang.data": "en",
            },
            ["exp-button.n_clicks"],
        ),
        (
            "_pages_content.children",
            {"_pages_location.pathname": "/what-if", "_pages_location.search": f"?base={probe}"},
            ["_pages_location.search"],
        ),
        (
            "_pages_content.children",
            {"_pages_location.pathname": "/chain", "_pages_location.search": f"?scenario={probe}"},
            ["_pages_location.search"],
        ),
    ]


# ---------------------------------------------------------------------------
# 1. no file is read by path, no file content comes back
# ---------------------------------------------------------------------------
def test_the_file_read_probe_gets_nothing_from_any_callback(
    app: Dash, state: AppState, probes: list[str], reads: Reads, scenarios_copy: Path
) -> None:
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text("utf-8")
    leaks = [SECRET_KEY, SECRET_VALUE, "/etc/", "passwd", "shadow", "root:", "build-backend"]
    assert "build-backend" in pyproject
    for probe in probes:
        for output, values, changed in _calls(state, probe):
            r = _post(app, output, values, changed)
            text = r.get_data(as_text=True)
            assert r.status_code in (200, 204), (output, probe, r.status_code)
            for leak in [*leaks, probe]:
                assert leak not in text, (output, probe, leak)
            assert "Traceback" not in text
            if r.status_code == 200 and '"pc-alert"' in text:
                shown = json.dumps(r.get_json(), ensure_ascii=False)
                assert any(m in shown for m in UNKNOWN), (output, probe, shown[:500])
    assert reads.outside(scenarios_copy) == []
    assert not (scenarios_copy / "probe-save.toml").exists()


@pytest.mark.parametrize("probe", [{"a": 1}, ["baseline"], 7, None, "", "BASELINE"])
def test_odd_values_for_a_scenario_are_unknown(state: AppState, probe: Any) -> None:
    with pytest.raises(UnknownScenarioError):
        state.scenario(probe)


def test_the_message_for_an_unknown_scenario_is_short_and_translated(app: Dash) -> None:
    from dashboard.pages import chain

    with app.server.test_request_context():
        for lang in ("zh", "en"):
            _, _, message = chain.quarters_of("/etc/passwd", None, lang)
            text = json.dumps(message.to_plotly_json(), default=str, ensure_ascii=False)
            assert t("ui_unknown_scenario", lang) in text
            assert "/etc" not in text


def test_a_scenario_that_extends_a_file_outside_the_folder_is_refused(
    fresh_state: AppState, secret: Path, reads: Reads
) -> None:
    folder = fresh_state.scenarios_dir
    (folder / "sneaky.toml").write_text(f'extends = "{secret}"\n', encoding="utf-8")
    (folder / "sneaky2.toml").write_text('extends = "sneaky"\n', encoding="utf-8")
    for name in ("sneaky", "sneaky2"):
        with pytest.raises(Rejected) as err:
            fresh_state.scenario(name)
        assert SECRET_VALUE not in err.value.message("en")
        assert str(secret) not in err.value.message("en")
    assert secret not in reads.paths
    options = {o["value"] for o in fresh_state.scenario_options()}
    assert {"sneaky", "sneaky2"} <= options  # listed by name, so the page can say why


def test_a_link_to_a_file_outside_the_folder_is_refused(
    fresh_state: AppState, secret: Path
) -> None:
    link = fresh_state.scenarios_dir / "linked.toml"
    link.symlink_to(secret)
    with pytest.raises(UnknownScenarioError):
        fresh_state.scenario("linked")


def test_a_scenario_is_read_once_until_a_file_of_the_folder_changes(
    fresh_state: AppState, reads: Reads
) -> None:
    folder = fresh_state.scenarios_dir

    def age() -> None:
        """The folder's files as if written a minute ago: a file just written is read at
        every call (its times' clock is coarse: a second write in the same tick would look
        unchanged), so the cache is only seen with older files."""
        past = time.time() - 60
        for path in folder.glob("*.toml"):
            os.utime(path, (past, past))

    def read_again(name: str) -> bool:
        reads.paths.clear()
        fresh_state.scenario(name)
        return bool(reads.paths)

    mine = folder / "mine.toml"
    mine.write_text('extends = "baseline"\nseed = 11\n', encoding="utf-8")
    assert fresh_state.scenario("mine").seed == 11
    assert read_again("mine")  # just written: read again
    age()
    assert fresh_state.scenario("mine").seed == 11
    assert not read_again("mine")  # kept: nothing opened again
    mine.write_text('extends = "baseline"\nseed = 12\n', encoding="utf-8")  # same size
    age()
    assert fresh_state.scenario("mine").seed == 12  # the file changed: read again
    # a change to the file it extends is a change to it
    base = (folder / "baseline.toml").read_text(encoding="utf-8")
    assert "\ndraws = 1000\n" in base
    changed = base.replace("\ndraws = 1000\n", "\ndraws = 321\n")
    (folder / "baseline.toml").write_text(changed, encoding="utf-8")
    age()
    assert fresh_state.scenario("mine").draws == 321


def test_a_file_read_once_then_replaced_by_a_link_outside_is_refused(
    fresh_state: AppState, secret: Path
) -> None:
    folder = fresh_state.scenarios_dir
    mine = folder / "mine.toml"
    mine.write_text('extends = "baseline"\n', encoding="utf-8")
    fresh_state.scenario("mine")
    mine.unlink()
    mine.symlink_to(secret)
    with pytest.raises(UnknownScenarioError):
        fresh_state.scenario("mine")


def test_problems_of_a_listed_scenario_name_the_file_not_the_servers_path(
    fresh_state: AppState,
) -> None:
    folder = fresh_state.scenarios_dir
    (folder / "broken.toml").write_text('extends = "baseline"\nnot_a_key = 1\n', "utf-8")
    with pytest.raises(DataError) as err:
        fresh_state.scenario("broken")
    text = "\n".join(str(p) for p in err.value.problems)
    assert "broken.toml" in text
    assert str(folder) not in text
    assert str(folder.resolve()) not in text


# ---------------------------------------------------------------------------
# 2. list inputs are capped; unknown ids refused before any work
# ---------------------------------------------------------------------------
def test_guards_cap_lists_and_refuse_unknown_values() -> None:
    known = ["a", "b", "c"]
    assert choices(["b", "a", "b"], known) == ["b", "a"]
    assert choices(None, known) == []
    for bad in (["a"] * 4, ["x"], "a", [["a"]], [{"a": 1}], {"a": 1}):
        with pytest.raises(Rejected):
            choices(bad, known)
    assert one_of(["x"], {"a"}, "a") == "a"
    assert one_of({"x": 1}, {"a": 1}, "a") == "a"
    assert one_of("a", {"a": 1}, "z") == "a"


def test_whatif_with_many_bogus_project_ids_is_refused_before_simulating(
    app: Dash, state: AppState, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_a: Any, **_k: Any) -> None:
        raise AssertionError("nothing may be simulated for refused input")

    monkeypatch.setattr(AppState, "dataset", boom)
    monkeypatch.setattr(AppState, "summary", boom)
    listed = defaults(state.park, state.scenario("baseline"))["included"]
    for ids in ([f"bogus-{k}" for k in range(5000)], listed * 3, ["bogus"]):
        t0 = time.perf_counter()
        r = _post(app, "wi-fan-cap.figure", _whatif_values(state, **{"wi-projects.value": ids}), [])
        elapsed = time.perf_counter() - t0
        assert r.status_code == 200
        assert elapsed < 2
        assert len(r.get_data()) < 5000  # one short message, not one line per id
        assert "pc-alert" in r.get_data(as_text=True)
        assert "bogus-1" not in r.get_data(as_text=True)


def test_a_huge_request_body_is_refused(app: Dash, state: AppState) -> None:
    ids = [f"bogus-project-id-{k}" for k in range(100_000)]
    t0 = time.perf_counter()
    r = _post(app, "wi-fan-cap.figure", _whatif_values(state, **{"wi-projects.value": ids}), [])
    assert r.status_code == 413
    assert time.perf_counter() - t0 < 2
    assert len(r.get_data()) < 5000


def test_scenario_lists_are_capped(app: Dash, state: AppState) -> None:
    names = state.scenario_names() * 2 + ["baseline"]
    for output, key, extra in (
        (
            "scen-fan-cap.figure",
            "scen-names.value",
            {
                "scen-stage.value": "lfp_cell",
                "scen-wf-base.value": None,
                "scen-wf-other.value": None,
                "scen-wf-quarter.value": None,
            },
        ),
        (
            "exp-download.data",
            "exp-names.value",
            {
                "exp-button.n_clicks": 1,
                "exp-format.value": "csv",
                "exp-quarters.value": "",
                "exp-summary.value": [],
            },
        ),
    ):
        r = _post(app, output, {key: names, "lang.data": "en", **extra}, [key])
        text = r.get_data(as_text=True)
        assert r.status_code == 200
        assert t("ui_too_many_choices", "en", n=len(state.scenario_names())) in text


@pytest.mark.parametrize(
    ("output", "values"),
    [
        (
            "chain-view.figure",
            {
                "chain-scenario.value": "baseline",
                "chain-quarter.value": "1999Q1",
                "chain-basis.value": ["x"],
                "chain-rank.value": "cell-eq",
                "chain-boundary.value": "park",
                "lang.data": "en",
                "chain-targets.children": None,
            },
        ),
        (
            "scen-waterfall.figure",
            {
                "scen-wf-base.value": "baseline",
                "scen-wf-other.value": "sodium-flow",
                "scen-wf-quarter.value": {"x": 1},
                "scen-wf-variable.value": ["gap"],
                "scen-stage.value": {"x": 1},
                "lang.data": "en",
            },
        ),
        (
            "wi-fan-cap.figure",
            {"wi-stage.value": {"x": 1}, "wi-cap-var.value": [1]},
        ),
    ],
)
def test_odd_picker_values_give_a_message_or_the_default(
    app: Dash, state: AppState, output: str, values: dict[str, Any]
) -> None:
    if output.startswith("wi-"):
        values = _whatif_values(state, **values)
    r = _post(app, output, values, [])
    assert r.status_code == 200
    assert "Traceback" not in r.get_data(as_text=True)


# ---------------------------------------------------------------------------
# 3. headers, Host allow-list, token
# ---------------------------------------------------------------------------
def _assert_headers(resp: Any, debug: bool = False) -> None:
    csp = resp.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert ("'unsafe-eval'" in csp) is debug
    assert "http:" not in csp
    assert "https:" not in csp
    assert "*" not in csp
    assert resp.headers.get("X-Frame-Options") == "DENY"
    assert resp.headers.get("X-Content-Type-Options") == "nosniff"
    assert resp.headers.get("Referrer-Policy") == "no-referrer"


def test_every_response_carries_the_security_headers(app: Dash, state: AppState) -> None:
    client = app.server.test_client()
    page = client.get("/")
    assert page.status_code == 200
    _assert_headers(page)
    scripts = re.findall(r'<script src="([^"]+)"', page.get_data(as_text=True))
    assert scripts
    for url in (scripts[0], "/assets/style.css", "/_dash-layout", "/_dash-dependencies", "/nope"):
        _assert_headers(client.get(url))
    r = _post(app, "wi-fan-cap.figure", _whatif_values(state), [])
    assert r.status_code == 200
    _assert_headers(r)
    _assert_headers(client.get("/", headers={"Host": "evil.example"}))  # refusals too


def test_the_csp_allows_exactly_the_pages_inline_scripts(app: Dash) -> None:
    page = app.server.test_client().get("/")
    html = page.get_data(as_text=True)
    csp = page.headers["Content-Security-Policy"]
    inline = inline_script_hashes(html)
    assert inline  # the renderer's start and the clientside callbacks
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    for h in inline:
        assert h in script_src
    assert "'unsafe-inline'" not in script_src
    assert set(app.csp_hashes()) <= set(script_src.split())
    assert inline_script_hashes('<script type="application/json">{"a": 1}</script>') == []
    assert inline_script_hashes('<script src="/x.js"></script>') == []
    assert "'unsafe-eval'" in content_security_policy([], debug=True)


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("localhost", 200),
        ("localhost:8050", 200),
        ("127.0.0.1:8050", 200),
        ("[::1]:8050", 200),
        ("LOCALHOST:8050", 200),
        ("evil.example", 400),
        ("evil.example:8050", 400),
        ("localhost.evil.example", 400),
        ("127.0.0.1.nip.io", 400),
        ("localhost:80:80", 400),
        ("localhost:abc", 400),
        ("[::1", 400),
        ("", 400),
    ],
)
def test_host_allow_list_on_loopback(app: Dash, host: str, status: int) -> None:
    r = app.server.test_client().get("/_dash-layout", headers={"Host": host})
    assert r.status_code == status
    if status == 400:
        assert host not in r.get_data(as_text=True) or not host  # no echo
        assert "Host" in r.get_data(as_text=True)


def test_host_allow_list_beyond_loopback(remote: Dash) -> None:
    client = remote.server.test_client()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for host in (PROXY, f"{PROXY}:443", "localhost:8050", "127.0.0.1"):
        assert client.get("/_dash-layout", headers={"Host": host, **auth}).status_code == 200
    import socket

    assert (
        client.get("/_dash-layout", headers={"Host": socket.gethostname(), **auth}).status_code
        == 200
    )
    for host in ("evil.example", "0.0.0.0", f"{PROXY}.evil.example"):  # noqa: S104
        r = client.get("/_dash-layout", headers={"Host": host, **auth})
        assert r.status_code == 400, host


def test_token_flow(remote: Dash) -> None:
    client = remote.server.test_client(use_cookies=False)
    host = {"Host": PROXY}

    r = client.get("/chain?lang=en", headers=host)  # no token
    assert r.status_code == 401
    text = r.get_data(as_text=True)
    assert t("web_token_title", "zh") in text
    assert t("web_token_title", "en") in text
    assert "<script" not in text
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert TOKEN not in text
    _assert_headers(r)

    r = client.get(f"/chain?lang=en&token={TOKEN}", headers=host)  # the link printed
    assert r.status_code == 303
    assert r.headers["Location"] == "/chain?lang=en"
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}={TOKEN};")
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    _assert_headers(r)

    with_cookie = {**host, "Cookie": f"{COOKIE_NAME}={TOKEN}"}
    assert client.get("/chain?lang=en", headers=with_cookie).status_code == 200
    assert client.get("/_dash-layout", headers=with_cookie).status_code == 200
    body = update_body(
        remote,
        "lang.data",
        {"url.search": "?lang=en", "lang-toggle.n_clicks": 0, "lang.data": None},
        ["url.search"],
    )
    assert client.post(UPDATE_PATH, json=body, headers=with_cookie).status_code == 200
    assert client.post(UPDATE_PATH, json=body, headers=host).status_code == 401

    r = client.get("/chain?token=wrong-token-0123456789", headers=host)
    assert r.status_code == 401
    assert "Set-Cookie" not in r.headers
    wrong = {**host, "Cookie": f"{COOKIE_NAME}=wrong-token-0123456789"}
    assert client.get("/", headers=wrong).status_code == 401
    assert client.get("/", headers={**host, "Cookie": f"{COOKIE_NAME}="}).status_code == 401
    bearer = {**host, "Authorization": f"Bearer {TOKEN}"}
    assert client.get("/", headers=bearer).status_code == 200
    assert client.get("/", headers={**host, "Authorization": "Bearer nope"}).status_code == 401
    # a loopback Host needs the token too (behind a reverse proxy every request is local)
    assert client.get("/", headers={"Host": "127.0.0.1:8050"}).status_code == 401


def test_the_token_redirect_stays_on_the_site(remote: Dash) -> None:
    client = remote.server.test_client(use_cookies=False)
    r = client.get(
        "/x",
        headers={"Host": PROXY},
        query_string={"token": TOKEN, "a": "1"},
        environ_overrides={"PATH_INFO": "//evil.example/x"},
    )
    assert r.status_code == 303
    location = r.headers["Location"]
    assert location.startswith("/")
    assert not location.startswith("//")
    assert "token" not in location
    assert "a=1" in location


def test_the_token_comes_from_the_environment_or_is_generated() -> None:
    env_token = "from-the-environment-0123"
    assert make_access("0.0.0.0", env={TOKEN_ENV: env_token}).token == env_token  # noqa: S104
    generated = make_access("10.0.0.5", env={}).token
    assert generated is not None
    assert len(generated) >= 32
    assert make_access("10.0.0.5", env={}).token != generated
    assert make_access("127.0.0.1", env={TOKEN_ENV: env_token}).token is None
    assert make_access("localhost", env={}).token is None
    assert make_access("::1", env={}).token is None
    assert make_access("127.0.0.1", allow_hosts=[PROXY], env={}).token is not None
    with pytest.raises(ValueError, match="at least"):
        make_access("0.0.0.0", token="short", env={})  # noqa: S104
    for bad in ("*", "http://x.example", "a b", "x.example:80", ""):
        with pytest.raises(ValueError, match="host"):
            make_access("0.0.0.0", allow_hosts=[bad], env={})  # noqa: S104


def test_host_parsing_and_loopback() -> None:
    assert host_of("Example.ORG:8050") == "example.org"
    assert host_of("[::1]:8050") == "::1"
    assert host_of("localhost.") == "localhost"
    assert host_of("a:b:c") is None
    assert host_of("") is None
    assert host_of(None) is None
    for h in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST"):
        assert is_loopback(h), h
    for h in ("0.0.0.0", "::", "10.0.0.5", "example.org", ""):  # noqa: S104
        assert not is_loopback(h), h


def test_urls_printed_at_start_use_real_addresses() -> None:
    for bind in ("0.0.0.0", "::"):  # noqa: S104
        urls = public_urls(bind, 8050, TOKEN)
        assert urls
        assert all(u.endswith(f":8050/?token={TOKEN}") for u in urls)
        assert not [u for u in urls if "0.0.0.0" in u or "[::]" in u]
    assert public_urls("10.0.0.5", 8080) == ["http://10.0.0.5:8080/"]


def test_serve_prints_the_token_urls_and_never_the_wildcard(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], scenarios_copy: Path
) -> None:
    import waitress

    from model.cli import build_parser

    served: list[dict[str, Any]] = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: served.append(kw))
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    args = build_parser().parse_args(
        [
            "serve",
            "--host",
            "0.0.0.0",  # noqa: S104
            "--port",
            "8123",
            "--scenarios",
            str(scenarios_copy),
            "--allow-host",
            PROXY,
            "--cache-mb",
            "64",
            "--lang",
            "en",
        ]
    )
    assert args.allow_host == [PROXY]
    from dashboard.serve import cmd_serve

    assert cmd_serve(args) == 0
    out = capsys.readouterr().out
    assert f"?token={TOKEN}" in out
    assert "0.0.0.0" not in out
    assert t("serve_beyond_loopback", "en") in out
    assert served[-1]["host"] == "0.0.0.0"  # noqa: S104
    assert served[-1]["port"] == 8123


def test_serve_on_loopback_needs_no_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], scenarios_copy: Path
) -> None:
    import waitress

    from dashboard.serve import cmd_serve
    from model.cli import build_parser

    monkeypatch.setattr(waitress, "serve", lambda app, **kw: None)
    args = build_parser().parse_args(["serve", "--scenarios", str(scenarios_copy)])
    assert cmd_serve(args) == 0
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8050/" in out
    assert "token" not in out


# ---------------------------------------------------------------------------
# 4. the result cache is bounded in bytes
# ---------------------------------------------------------------------------
def test_cache_evicts_least_recently_used_by_bytes() -> None:
    cache = LRU(100, sizeof=len)
    cache.get_or_compute("a", lambda: b"x" * 40)
    cache.get_or_compute("b", lambda: b"x" * 40)
    cache.get_or_compute("a", lambda: b"never")  # a is now the most recent
    cache.get_or_compute("c", lambda: b"x" * 40)  # 120 bytes: b goes
    assert "a" in cache
    assert "b" not in cache
    assert "c" in cache
    assert cache.nbytes == 80
    big = cache.get_or_compute("big", lambda: b"x" * 500)  # larger than the cache: not kept
    assert len(big) == 500
    assert "big" not in cache
    assert cache.nbytes == 80


def test_cache_counts_dataset_bytes(fresh_state: AppState) -> None:
    ds = fresh_state.dataset(fresh_state.scenario("baseline"))
    assert rough_size(ds) == ds.nbytes
    cache = LRU(int(1.5 * ds.nbytes))
    cache.get_or_compute(1, lambda: ds)
    cache.get_or_compute(2, lambda: ds.copy(deep=True))
    assert len(cache) == 1
    assert cache.nbytes == ds.nbytes


def test_rough_size_of_figures_and_components(app: Dash, state: AppState) -> None:
    from dashboard.pages import whatif

    out = whatif.compute(
        state, "baseline", defaults(state.park, state.scenario("baseline")), "lfp_cell", "en"
    )
    size = rough_size(out)
    assert 10_000 < size < 50_000_000
    assert rough_size(out["fan_cap"]) > rough_size(out["fan_cap"]["layout"]["title"]["text"])


def test_cache_size_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard.state import DEFAULT_CACHE_BYTES, cache_bytes_from, make_state

    assert cache_bytes_from(None, env={}) == DEFAULT_CACHE_BYTES == 512 * 2**20
    assert cache_bytes_from(None, env={"PARKCAP_CACHE_MB": "64"}) == 64 * 2**20
    assert cache_bytes_from(1234, env={"PARKCAP_CACHE_MB": "64"}) == 1234
    with pytest.raises(ValueError, match="MB"):
        cache_bytes_from(None, env={"PARKCAP_CACHE_MB": "lots"})
    monkeypatch.setenv("PARKCAP_CACHE_MB", "8")
    st = make_state(scenarios_dir=copy_scenarios(tmp_path / "s"))
    assert st.datasets.max_bytes + st.derived.max_bytes == 8 * 2**20
    ds = st.dataset(st.scenario("baseline"))  # 35 MB: returned, not kept
    assert ds.sizes["draw"] > 0
    assert len(st.datasets) == 0


def test_one_computation_per_key_under_concurrency() -> None:
    cache = LRU(10_000)
    calls: list[int] = []
    gate = threading.Event()

    def slow() -> str:
        calls.append(1)
        gate.wait(5)
        return "value"

    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get_or_compute("k", slow)))
        for _ in range(8)
    ]
    for th in threads:
        th.start()
    time.sleep(0.2)
    gate.set()
    for th in threads:
        th.join(5)
    assert results == ["value"] * 8
    assert len(calls) == 1


def test_a_failed_computation_is_not_cached_and_waiters_retry() -> None:
    cache = LRU(10_000)
    attempts: list[int] = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("first try fails")
        return "ok"

    with pytest.raises(RuntimeError):
        cache.get_or_compute("k", flaky)
    assert cache.get_or_compute("k", flaky) == "ok"
    assert len(attempts) == 2


# ---------------------------------------------------------------------------
# 5. saving from the web is limited
# ---------------------------------------------------------------------------
def test_save_is_limited_in_count_and_size(state: AppState, tmp_path: Path) -> None:
    s = state.scenario("baseline")
    copy_scenarios(tmp_path)
    save_scenario(tmp_path, "one", s, park=state.park, max_saved=2)
    save_scenario(tmp_path, "two", s, park=state.park, max_saved=2)
    with pytest.raises(DataError) as err:
        save_scenario(tmp_path, "three", s, park=state.park, max_saved=2, lang="en")
    assert "2 saved scenarios" in str(err.value)
    assert not (tmp_path / "three.toml").exists()
    # replacing one of them is still allowed, with the box ticked
    save_scenario(tmp_path, "two", s, overwrite=True, park=state.park, max_saved=2)
    with pytest.raises(DataError) as err:
        save_scenario(tmp_path, "small", s, park=state.park, max_bytes=100, lang="en")
    assert "too large" in str(err.value)
    assert not (tmp_path / "small.toml").exists()


def test_save_refuses_overwrite_without_the_box_and_shipped_names_in_any_case(
    state: AppState, tmp_path: Path
) -> None:
    s = state.scenario("baseline")
    save_scenario(tmp_path, "mine", s, park=state.park)
    before = (tmp_path / "mine.toml").read_bytes()
    for name in ("mine", "MINE"):
        with pytest.raises(DataError, match="tick"):
            save_scenario(tmp_path, name, s.with_changes(seed=7), park=state.park, lang="en")
    assert (tmp_path / "mine.toml").read_bytes() == before
    for name in ("Baseline", "SODIUM-FLOW"):
        with pytest.raises(DataError):
            save_scenario(tmp_path, name, s, overwrite=True, park=state.park)


def test_save_refuses_a_scenario_the_page_cannot_make(app: Dash, state: AppState) -> None:
    base = state.scenario("baseline")
    made = scenario_from_controls(state.park, base, defaults(state.park, base))
    check_cost(made, base)
    for change in ({"draws": 100_000}, {"horizon": "2060Q4"}):
        with pytest.raises(DataError):
            check_cost(made.with_changes(**change), base, "en")
    values = {
        "wi-save.n_clicks": 1,
        "wi-name.value": "heavy",
        "wi-overwrite.value": [],
        "wi-scenario.data": made.with_changes(draws=100_000).model_dump_json(),
        "wi-base.value": "baseline",
        "lang.data": "en",
    }
    r = _post(app, "wi-save-message.children", values, ["wi-save.n_clicks"])
    assert "pc-alert" in r.get_data(as_text=True)
    assert t("ui_save_not_from_page", "en") in r.get_data(as_text=True)
    assert not (state.scenarios_dir / "heavy.toml").exists()


# ---------------------------------------------------------------------------
# 6. slow work never holds all of the server's threads; worker processes agree
# ---------------------------------------------------------------------------
def test_a_lane_refuses_requests_beyond_its_queue(fresh_state: AppState) -> None:
    from dashboard.state import MAX_QUEUED

    with contextlib.ExitStack() as stack:
        for _ in range(MAX_QUEUED["waterfall"]):
            stack.enter_context(fresh_state.queued("waterfall"))
        with pytest.raises(Rejected) as err:
            stack.enter_context(fresh_state.queued("waterfall"))
        assert err.value.message("en") == t("ui_busy", "en")
        with fresh_state.queued("simulate"):  # the other lane is not affected
            pass
    with fresh_state.queued("waterfall"):  # all released
        pass


@pytest.fixture(scope="module")
def still_state(tmp_path_factory: pytest.TempPathFactory) -> AppState:
    """A state on a copy of the data that nothing edits (a worker loads the data again)."""
    import shutil

    from dashboard.state import make_state
    from model.park import data_dir_from

    data = tmp_path_factory.mktemp("still") / "data"
    shutil.copytree(data_dir_from(None), data)
    folder = copy_scenarios(tmp_path_factory.mktemp("still-scenarios"))
    return make_state(data_dir=data, scenarios_dir=folder)


def test_worker_processes_give_the_results_of_the_calling_thread(
    still_state: AppState,
) -> None:
    from dashboard import workers
    from model.attribution import waterfall

    base = still_state.scenario("baseline")
    other = still_state.scenario("sodium-flow")
    values = defaults(still_state.park, base)
    values["growth"] = 33
    scenario = scenario_from_controls(still_state.park, base, values)
    pool = workers.Workers(still_state.park)
    try:
        assert pool.start()
        got = pool.run(
            "simulate", workers.whatif_results, scenario.model_dump(mode="json"), "separator", "zh"
        )
        wf = pool.run(
            "waterfall",
            workers.waterfall,
            base.model_dump(mode="json"),
            other.model_dump(mode="json"),
            "lfp_cell",
            "2030Q4",
            "nameplate",
            200,
        )
    finally:
        pool.close()
    here = workers.results_of(
        still_state.park, scenario, still_state.dataset(scenario), "separator", "zh"
    )
    assert got["quarter"] == here["quarter"]
    assert got["auto_gwh"] == pytest.approx(here["auto_gwh"], rel=1e-12)
    assert got["summary"].equals(here["summary"])
    assert got["table"] == here["table"]
    assert list(got["summary"]["stage"].values) == ["separator"]
    expected = waterfall(still_state.park, base, other, "lfp_cell", "2030Q4", "nameplate", 200)
    assert wf["start"] == pytest.approx(expected["start"], rel=1e-12)
    assert [s["delta"] for s in wf["steps"]] == pytest.approx(
        [s["delta"] for s in expected["steps"]], rel=1e-9, abs=1e-9
    )
    with pytest.raises(workers.WorkerUnavailableError):  # closed: compute in the thread
        pool.run("simulate", workers.ready)


def test_a_worker_with_other_data_is_not_used(still_state: AppState) -> None:
    from dashboard import workers

    pool = workers.Workers(still_state.park)
    pool.data_version = "not-the-server-data"
    try:
        assert not pool.start(("simulate",))
        assert pool.disabled
    finally:
        pool.close()


def test_a_worker_that_died_is_started_again(still_state: AppState) -> None:
    import os
    import signal

    from dashboard import workers

    pool = workers.Workers(still_state.park)
    try:
        assert pool.start(("simulate",))
        for pid in list(pool._pools["simulate"]._processes):  # noqa: SLF001 (the test kills it)
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        with pytest.raises(workers.WorkerUnavailableError):
            pool.run("simulate", workers.ready)
        assert not pool.disabled
        assert pool.run("simulate", workers.ready) is True  # a new child
    finally:
        pool.close()
