"""The what-if page in headless Chromium: a link with levers reproduces the figures, Enter
applies a typed value, an out-of-range value is refused under its field, and the page fits
1440 and 390 px windows in both languages (screenshots in build/screenshots/)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys

from tests.dashboard.browser import Session

pytestmark = pytest.mark.browser

READY = "#wi-fan-cap .js-plotly-plot"


def _type(session: Session, ident: str, text: str) -> None:
    box = session.dc.find_element(f"#{ident}")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    box.send_keys(text, Keys.ENTER)  # Enter, no blur: the value applies on Enter


def test_a_link_with_levers_reproduces_the_figures(session: Session) -> None:
    session.open("/what-if?base=baseline&growth=45&na=30&p_signed=20", READY)
    session.set_lang("en")
    linked = session.whatif_settled()
    assert session.dc.find_element("#wi-growth-num").get_attribute("value") == "45"
    # the link changed a status lever: its table is open, showing the value
    assert session.dc.find_element("#wi-status-fold").get_attribute("open")
    assert session.dc.find_element("#wi-p-signed-num").get_attribute("value") == "20"
    session.open("/what-if", READY)
    plain = session.whatif_settled()
    assert plain != linked  # the levers in the link moved the figures
    _type(session, "wi-growth-num", "45")
    _type(session, "wi-mix-sodium_ion-num", "30")
    session.unfold("wi-status-fold", "#wi-p-signed-num")  # folded until opened
    _type(session, "wi-p-signed-num", "20")
    by_hand = session.until(
        lambda: (f := session.whatif_settled()) == linked and f, timeout=60, what="same figures"
    )
    assert by_hand == linked
    url = session.dc.driver.current_url
    assert "growth=45" in url
    assert "na=30" in url
    assert "p_signed=20" in url


def test_enter_applies_a_typed_value_and_out_of_range_is_refused(session: Session) -> None:
    session.open("/what-if", READY)
    session.set_lang("zh")
    before = session.whatif_settled()
    box = session.dc.find_element("#wi-spread-num")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("35", Keys.ENTER)
    after = session.whatif_settled(before)
    assert after != before
    assert box == session.dc.driver.switch_to.active_element  # applied without leaving
    _type(session, "wi-growth-num", "500")
    msg = session.until(lambda: session.text("#wi-growth-msg"), what="message under the field")
    assert "500" in msg
    assert "300" in msg
    assert "超出范围" in msg
    assert "field" not in msg
    assert (
        session.whatif_figures() == after
    )  # refused: nothing recomputed, the slider kept its value
    assert "500" not in (session.dc.driver.current_url or "")
    session.dc.find_element("#wi-growth-reset").click()
    session.until(lambda: not session.text("#wi-growth-msg"), what="message cleared")
    assert session.dc.find_element("#wi-growth-num").get_attribute("value") == "20"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [1440, 390])
def test_the_page_fits_the_window(session: Session, lang: str, width: int) -> None:
    driver = session.dc.driver
    driver.set_window_size(width, 1000)
    try:
        session.open("/what-if?growth=35", READY)
        session.set_lang(lang)
        session.whatif_settled()
        session.until(lambda: session.text("#wi-cards"), what="result cards")
        cards = session.text("#wi-cards")
        assert ("较基准" in cards) if lang == "zh" else ("vs base" in cards)
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page is {overflow} px wider than the window"
        session.shot(f"whatif-{lang}-{width}")
    finally:
        driver.set_window_size(1400, 1000)
