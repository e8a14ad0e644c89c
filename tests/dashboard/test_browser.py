"""The app in headless Chromium (dash[testing]; run pytest with --headless, set in
pyproject). One server and one browser are shared by the module's tests.

Screenshots of every page in Chinese and English go to ``build/screenshots/``.
"""

from __future__ import annotations

import csv
import io
import time

import pytest
from selenium.webdriver.common.keys import Keys

from tests.dashboard.browser import PAGES, Session

pytestmark = pytest.mark.browser


def test_every_page_in_both_languages(session: Session) -> None:
    session.open("/", PAGES["overview"][1])
    session.set_lang("zh")
    for name, (path, ready) in PAGES.items():
        session.open(path, ready)
        assert "西宁经开区" in session.text(".pc-brand")
        session.shot(f"{name}-zh")
    session.set_lang("en")
    for name, (path, ready) in PAGES.items():
        session.open(path, ready)  # the choice is remembered across pages and reloads
        session.until(lambda: "Xining" in session.text(".pc-brand"), what="English title")
        session.shot(f"{name}-en")
    session.open("/", PAGES["overview"][1])
    session.until(lambda: "The park has" in session.text("#ov-finding"), what="English overview")
    session.set_lang("zh")
    session.until(lambda: "园区现有" in session.text("#ov-finding"), what="Chinese overview")
    assert "万吨" in session.text("#ov-strip")


def test_url_parameter_sets_the_language(session: Session) -> None:
    session.open("/pipeline?lang=en", PAGES["pipeline"][1])
    session.until(lambda: "Pipeline" in session.text("h2"), what="English heading")
    session.set_lang("zh")


def test_a_page_built_in_another_language_is_relabelled(session: Session) -> None:
    """Pages are built in the language the browser keeps, so their relabelling callbacks
    wait for a switch. Should the store change while a page is on its way, the page's
    ``page-lang`` store differs from it, and the shell relabels the page as on a switch."""
    session.open("/what-if?lang=zh", PAGES["what-if"][1])
    session.whatif_settled()
    said = session.text("#wi-base")
    assert "基准情景" in said
    session.dc.driver.execute_script(
        "const set = window.dash_clientside.set_props;"
        "set('wi-base', {options: [{label: 'stale', value: 'baseline'}]});"
        "set('page-lang', {data: 'en'});"  # as if built in English
    )
    session.until(lambda: session.text("#wi-base") == said, what="start scenario relabelled")
    assert session.text("#lang-toggle") == "English"  # still Chinese


def test_moving_a_whatif_control_changes_the_figure(session: Session) -> None:
    session.open("/what-if", PAGES["what-if"][1])
    session.set_lang("en")
    # the chart redrawn in English (the switch re-runs the update)
    before = session.until(
        lambda: (d := session.graph_data("wi-tech")) and "Sodium-ion" in dict(d) and d,
        what="technology chart in English",
    )
    box = session.dc.find_element("#wi-mix-sodium_ion-num")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("60", Keys.TAB)  # the typed value is taken when the box loses focus
    after = session.until(
        lambda: (d := session.graph_data("wi-tech")) != before and d, what="figure change"
    )
    sodium_before = sum(dict(before)["Sodium-ion"])
    sodium_after = sum(dict(after)["Sodium-ion"])
    assert sodium_after > sodium_before

    # an out-of-range typed value never breaks the page: refused under its field, not clamped
    session.unfold("wi-status-fold", "#wi-d-signed-num")
    box = session.dc.find_element("#wi-d-signed-num")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("500", Keys.TAB)
    msg = session.until(lambda: session.text("#wi-d-signed-msg"), what="message")
    assert "80" in msg
    assert "500" in msg
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("3", Keys.TAB)
    session.until(lambda: not session.text("#wi-d-signed-msg"), what="message cleared")
    assert not session.text("#wi-message")
    session.shot("what-if-moved-en")


def test_start_demand_and_ramp_up_controls(session: Session) -> None:
    session.open("/what-if", PAGES["what-if"][1])
    session.set_lang("en")
    session.until(lambda: session.graph_data("wi-tech"), what="technology chart")
    session.unfold("wi-status-fold", "#wi-p-signed-num")
    for ident in ("#wi-ramp", "#wi-shape", "#wi-sd-signed-num", "#wi-p-signed-num", "#wi-cap-var"):
        assert session.dc.find_element(ident).is_displayed(), ident
    assert "all stages" in session.text("#_pages_content")
    session.dc.driver.execute_script("window.scrollTo(0, 0)")  # clear of the pinned cards
    box = session.dc.find_element("#wi-base-gwh")
    session.until(lambda: "auto ≈" in (box.get_attribute("placeholder") or ""), what="auto value")
    assert not box.is_enabled()
    before = session.graph_data("wi-tech")
    session.dc.find_element("#wi-base-auto input").click()  # untick 'auto'
    session.until(lambda: box.is_enabled() and box.get_attribute("value"), what="box filled")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("60", Keys.TAB)
    after = session.until(
        lambda: (d := session.graph_data("wi-tech")) != before and d, what="figure change"
    )
    assert sum(dict(after)["LFP"]) > sum(dict(before)["LFP"])
    assert not session.text("#wi-message")
    session.set_lang("zh")
    session.dc.driver.execute_script("document.querySelector('#wi-util').scrollIntoView()")
    session.shot("what-if-levers-zh")


def test_save_a_whatif_scenario(session: Session) -> None:
    session.open("/what-if", PAGES["what-if"][1])
    session.until(lambda: session.graph_data("wi-fan-cap"), what="fan chart")
    session.unfold("wi-save-fold", "#wi-name")  # folded until opened
    name = session.dc.find_element("#wi-name")  # the title: Chinese or English
    name.send_keys("=evil")
    session.dc.find_element("#wi-save").click()
    session.until(lambda: session.dc.find_element("#wi-save-message .pc-alert"), what="refusal")
    name.send_keys(Keys.CONTROL, "a")
    name.send_keys("../evil")  # a title, never a path: slugged inside the folder
    session.until(lambda: "evil.toml" in session.text("#wi-file-name"), what="file name")
    assert not (session.scenarios.parent / "evil.toml").exists()
    name.send_keys(Keys.CONTROL, "a")
    name.send_keys("Browser case")
    session.dc.find_element("#wi-note").send_keys("招商会 note")  # the note box's text is saved
    session.until(lambda: "browser-case.toml" in session.text("#wi-file-name"), what="name")
    session.dc.find_element("#wi-save").click()
    session.until(lambda: session.dc.find_element("#wi-save-message .pc-ok"), what="saved")
    assert (session.scenarios / "browser-case.toml").exists()
    assert "招商会 note" in (session.scenarios / "browser-case.toml").read_text(encoding="utf-8")
    session.dc.find_element("#wi-save").click()  # again: exists, not overwritten silently
    session.until(lambda: session.dc.find_element("#wi-save-message .pc-alert"), what="exists")
    session.dc.find_element("#wi-download-btn").click()
    toml = session.until(
        lambda: next(iter(session.downloads.glob("browser-case.toml")), None), what="toml download"
    )
    assert "[demand]" in toml.read_text(encoding="utf-8")
    assert "招商会 note" in toml.read_text(encoding="utf-8")
    # a switch of language builds the open boxes anew in English, with what was typed
    session.set_lang("en")
    session.until(
        lambda: "e.g." in session.dc.find_element("#wi-name").get_attribute("placeholder"),
        what="save boxes in English",
    )
    assert session.dc.find_element("#wi-name").get_attribute("value") == "Browser case"
    assert session.dc.find_element("#wi-note").get_attribute("value") == "招商会 note"
    assert "browser-case.toml" in session.text("#wi-file-name")
    session.set_lang("zh")


def test_export_downloads_a_tidy_csv(session: Session) -> None:
    session.open("/export", PAGES["export"][1])
    assert not session.dc.find_element("#exp-summary-field").is_displayed()
    session.dc.find_element("#exp-button").click()
    path = session.until(
        lambda: next(iter(session.downloads.glob("parkcap-baseline-*[0-9].csv")), None),
        what="csv download",
    )
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows
    assert {
        "scenario",
        "stage",
        "quarter",
        "variable",
        "unit",
        "p10",
        "p50",
        "p90",
        "mean",
    } <= set(rows[0])
    assert {r["scenario"] for r in rows} == {"baseline"}
    assert all(r["unit"] for r in rows)


def test_export_quarter_range_and_xlsx(session: Session) -> None:
    import openpyxl

    session.open("/export", PAGES["export"][1])
    session.set_lang("en")
    session.dc.find_element("#exp-format input[value='netcdf']").click()
    session.until(
        lambda: session.dc.find_element("#exp-summary-field").is_displayed(), what="checkbox"
    )
    session.dc.find_element("#exp-format input[value='xlsx']").click()
    box = session.dc.find_element("#exp-quarters")
    box.send_keys("2031Q1:2032Q4")  # after the projection: a message, not a file
    session.dc.find_element("#exp-button").click()
    session.until(lambda: session.dc.find_element("#exp-message .pc-alert"), what="message")
    assert "2031Q1:2032Q4" in session.text("#exp-message")
    assert not list(session.downloads.glob("*.xlsx"))
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("2026Q1:2027Q4")
    session.dc.find_element("#exp-button").click()
    path = session.until(
        lambda: next(iter(session.downloads.glob("parkcap-baseline-*.xlsx")), None),
        what="xlsx download",
    )
    session.until(lambda: session.dc.find_element("#exp-message .pc-ok"), what="done")
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        assert wb.sheetnames[0] == "Cover"
        cells = [row for row in wb["Cover"].iter_rows(values_only=True) if row and row[0]]
        assert ("Quarters", "2026Q1 – 2027Q4") in [tuple(r[:2]) for r in cells]
    finally:
        wb.close()
    session.set_lang("zh")


def _csp_violations(session: Session) -> list[str]:
    """Console errors of the browser since the last look that a CSP refusal wrote."""
    return [
        e["message"]
        for e in session.dc.get_logs()
        if "Content Security Policy" in e["message"] or "Refused to" in e["message"]
    ]


def test_pages_render_under_the_content_security_policy(session: Session) -> None:
    import urllib.request

    # kept last in the module: the browser's log holds every earlier test's pages too
    assert _csp_violations(session) == []
    with urllib.request.urlopen(session.base + "/", timeout=30) as r:  # noqa: S310 (local)
        csp = r.headers["Content-Security-Policy"]
        assert r.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self' 'sha256-" in csp
    assert "'unsafe-eval'" not in csp
    for lang in ("zh", "en"):
        for name, (path, ready) in PAGES.items():
            session.open(f"{path}?lang={lang}", ready)
            time.sleep(0.3)
            assert _csp_violations(session) == [], name
    # the policy is in force: a script put into the page by someone else does not run
    session.dc.driver.execute_script(
        "var s = document.createElement('script');"
        "s.textContent = 'window.__injected = 1;';"
        "document.body.appendChild(s);"
    )
    time.sleep(0.3)
    assert session.dc.driver.execute_script("return window.__injected || null") is None
    assert _csp_violations(session)
    session.set_lang("zh")
