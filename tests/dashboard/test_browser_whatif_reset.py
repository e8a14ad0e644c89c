"""The what-if page's new resets and translated messages in headless Chromium: a choice
lever moved and reset comes back to the start scenario's value (and its figures), and a
message under a field follows the language switch; screenshots in build/screenshots/
(``whatif-reset-<lang>-<width>*.png``) at 1440 and 390 px in both languages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from selenium.webdriver.common.keys import Keys

from tests.dashboard.browser import Session

pytestmark = pytest.mark.browser

READY = "#wi-fan-cap .js-plotly-plot"
CJK = re.compile(r"[\u3400-\u9fff]")


def _checked(session: Session, ident: str) -> list[str]:
    """The values of the ticked inputs of a radio or tick-box group."""
    return session.dc.driver.execute_script(
        "return Array.from(document.querySelectorAll('#' + arguments[0] + ' input:checked'))"
        ".map(function(x) { return x.value; });",
        ident,
    )


def _click(session: Session, selector: str) -> None:
    """Click an element once scrolled to the middle (clear of the pinned result cards)."""
    el = session.dc.find_element(selector)
    session.dc.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", el)
    el.click()


def _click_option(session: Session, ident: str, value: str) -> None:
    _click(session, f"#{ident} input[value='{value}']")


def _scroll_to(session: Session, ident: str) -> None:
    session.dc.driver.execute_script(
        "document.getElementById(arguments[0]).scrollIntoView({block: 'center'});", ident
    )


def test_a_choice_lever_reset_restores_the_start_scenario(session: Session) -> None:
    session.open("/what-if", READY)
    session.set_lang("en")
    # opened again without ?lang: drawn in Chinese, then put in the stored language
    session.open("/what-if", READY)
    session.until(
        lambda: (
            session.dc.find_element("#wi-shape-reset").get_attribute("title")
            == "restore the start scenario's value"
        ),
        what="tooltip in English",
    )
    start = session.whatif_settled()
    assert _checked(session, "wi-shape") == ["s_curve"]
    # the ramp-up shape moved: the figures move
    _click_option(session, "wi-shape", "instant")
    moved = session.whatif_settled(start)
    assert moved != start
    assert "shape=instant" in session.dc.driver.current_url
    # its reset: the start scenario's shape, and its figures again
    _click(session, "#wi-shape-reset")
    session.until(lambda: _checked(session, "wi-shape") == ["s_curve"], what="shape reset")
    assert (
        session.until(lambda: (f := session.whatif_settled()) == start and f, what="figures")
        == start
    )
    assert "shape=" not in session.dc.driver.current_url
    # the project checklist: one project unticked, then all the start scenario's again
    listed = _checked(session, "wi-projects")
    assert len(listed) >= 5
    _click_option(session, "wi-projects", listed[0])
    session.until(lambda: _checked(session, "wi-projects") == listed[1:], what="unticked")
    _click(session, "#wi-projects-reset")
    session.until(lambda: _checked(session, "wi-projects") == listed, what="projects reset")
    # the start demand: 'auto' unticked opens the box; the reset ticks it again
    _click(session, "#wi-base-auto input")
    box = session.dc.find_element("#wi-base-gwh")
    session.until(lambda: box.is_enabled() and box.get_attribute("value"), what="box opened")
    _click(session, "#wi-base-gwh-reset")
    session.until(lambda: _checked(session, "wi-base-auto") == ["auto"], what="auto again")
    session.until(lambda: not box.is_enabled(), what="box off")
    # the reset names itself with its field, in English
    name = session.dc.find_element("#wi-shape-reset").accessible_name
    assert "restore the start scenario's value" in name
    assert "Ramp-up" in name or "ramp-up" in name


@pytest.mark.parametrize("width", [1440, 390])
def test_a_message_under_a_field_follows_the_language(session: Session, width: int) -> None:
    driver = session.dc.driver
    driver.set_window_size(width, 1000)
    try:
        session.open("/what-if", READY)
        session.set_lang("zh")
        session.whatif_settled()
        box = session.dc.find_element("#wi-growth-num")
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(Keys.BACKSPACE)
        box.send_keys("500", Keys.ENTER)
        zh = session.until(lambda: session.text("#wi-growth-msg"), what="message in Chinese")
        assert "超出范围" in zh
        assert "500" in zh
        _scroll_to(session, "wi-growth-msg")
        session.shot(f"whatif-reset-zh-{width}")
        # the language switches: the same message, in English, nothing Chinese left
        session.set_lang("en")
        en = session.until(
            lambda: (m := session.text("#wi-growth-msg")) and not CJK.search(m) and m,
            what="message in English",
        )
        assert "out of range" in en
        assert "500" in en
        assert "300" in en
        reset = driver.find_element("css selector", "#wi-shape-reset")
        assert reset.get_attribute("title") == "restore the start scenario's value"
        _scroll_to(session, "wi-growth-msg")
        session.shot(f"whatif-reset-en-{width}")
        _scroll_to(session, "wi-shape-reset")
        session.shot(f"whatif-reset-en-{width}-choices")
        _scroll_to(session, "wi-projects-reset")
        session.shot(f"whatif-reset-en-{width}-projects")
        # and back
        session.set_lang("zh")
        session.until(lambda: "超出范围" in session.text("#wi-growth-msg"), what="Chinese again")
        assert driver.find_element("css selector", "#wi-shape-reset").get_attribute("title") == (
            "恢复起始情景的值"
        )
        _scroll_to(session, "wi-shape-reset")
        session.shot(f"whatif-reset-zh-{width}-choices")
        _scroll_to(session, "wi-projects-reset")
        session.shot(f"whatif-reset-zh-{width}-projects")
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page is {overflow} px wider than the window"
        # the reset clears the message
        _click(session, "#wi-growth-reset")
        session.until(lambda: not session.text("#wi-growth-msg"), what="message cleared")
    finally:
        driver.set_window_size(1400, 1000)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_status_box_is_named_by_its_status_and_column(session: Session, lang: str) -> None:
    """Eighteen number boxes in a table: each says which status and which lever it is."""
    session.open("/what-if", READY)
    session.set_lang(lang)
    session.whatif_settled()
    session.unfold("wi-status-fold", "#wi-p-signed-num")

    def names() -> Any:
        """The boxes' names, once the signed row's name is in ``lang`` and leads its boxes'."""
        status = session.text("#wi-status-name-signed")
        if not status or bool(CJK.search(status)) != (lang == "zh"):
            return None
        found = dict(
            session.dc.driver.execute_script(
                "return Array.from(document.querySelectorAll('.wi-status-cell input[id$=-num]'))"
                ".map(function(x) { return [x.id, x.getAttribute('aria-label') || '']; });"
            )
        )
        return (found, status) if found["wi-p-signed-num"].startswith(status + " · ") else None

    found, status = session.until(names, what=f"status box names in {lang}")
    assert len(found) == 18
    assert all(found.values())
    assert len(set(found.values())) == 18  # no two boxes share a name
    assert found["wi-d-signed-num"].startswith(status + " · ")
    assert found["wi-p-signed-num"] != found["wi-d-signed-num"]
    reset = session.dc.find_element("#wi-d-signed-reset").accessible_name
    assert status in reset


def _pick_base(session: Session, name: str) -> None:
    """Choose the start scenario ``name`` in the page's dropdown."""
    session.dc.driver.execute_script("window.scrollTo(0, 0)")
    session.dc.find_element("#wi-base").click()
    option = session.until(
        lambda: [
            o
            for o in session.dc.find_elements("[role=option]")
            if f"{name})" in o.text or f"{name}）" in o.text
        ],
        what=f"option {name}",
    )
    option[0].click()


def test_the_folded_status_levers_follow_a_new_start_scenario(session: Session) -> None:
    """Closed or open, the status table shows the start scenario's values; no browser error."""
    (session.scenarios / "slow-status.toml").write_text(
        'extends = "baseline"\ntitle_zh = "慢签约"\ntitle_en = "Slow signing"\n\n'
        "[status.signed]\np_complete = 0.2\n",
        encoding="utf-8",
    )
    try:
        session.open("/what-if", READY)
        before = session.whatif_settled()
        session.dc.get_logs()  # what the browser said so far
        value = "return document.getElementById(arguments[0]).value"
        driver = session.dc.driver
        _pick_base(session, "slow-status")  # the table folded: only the value changes
        session.until(lambda: driver.execute_script(value, "wi-p-signed") == "20", what="value")
        assert session.whatif_settled(before) != before  # fewer signed projects: other figures
        session.unfold("wi-status-fold", "#wi-p-signed-num")
        assert driver.execute_script(value, "wi-p-signed-num") == "20"
        _pick_base(session, "baseline")  # the table open: its box follows
        session.until(lambda: driver.execute_script(value, "wi-p-signed-num") == "50", what="box")
        errors = [e["message"] for e in session.dc.get_logs() if e.get("level") == "SEVERE"]
        assert not [m for m in errors if "nonexistent object" in m], errors
    finally:
        (session.scenarios / "slow-status.toml").unlink()
