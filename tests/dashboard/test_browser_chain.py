"""The value-chain page (产业链) in headless Chromium: both languages, desktop and phone widths.

Screenshots go to ``build/screenshots/chain-{lang}-{width}.png``.
"""

from __future__ import annotations

import time

import pytest

from tests.dashboard.browser import PAGES, Session

pytestmark = pytest.mark.browser

PATH, READY = PAGES["chain"]


@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chain_page_reads_in_both_languages_and_widths(
    session: Session, lang: str, width: int
) -> None:
    session.dc.driver.set_window_size(width, 1000)
    try:
        session.open(PATH, READY)
        session.set_lang(lang)
        session.open(PATH, READY)
        session.until(lambda: session.dc.find_elements(".chain-card"), what="investment cards")
        session.until(
            lambda: session.dc.find_elements("#chain-heatmap .js-plotly-plot .heatmaplayer"),
            what="heatmap",
        )
        heading = "产业链" if lang == "zh" else "The chain"
        session.until(lambda: heading in session.text("#chain-view"), what="chain view title")
        cards = session.dc.find_elements(".chain-card")
        assert len(cards) >= 5
        first = cards[0].text
        words = (
            ("第 1 位", "短缺概率", "下载简报")
            if lang == "zh"
            else ("No. 1", "P(short)", "Download brief")
        )
        for word in words:
            assert word in first
        # the legend names the statuses in the page's language
        legend = session.text("#chain-view .legend")
        assert ("缺失" in legend) if lang == "zh" else ("missing" in legend)
        assert session.overflow() <= 1
        session.shot_page(f"chain-{lang}-{width}", width)
    finally:
        session.dc.driver.set_window_size(1400, 1000)


def test_a_card_downloads_its_brief(session: Session) -> None:
    session.open(PATH, READY)
    session.set_lang("en")
    session.open(PATH, READY)
    session.until(lambda: session.dc.find_elements(".chain-card"), what="investment cards")
    before = set(session.downloads.glob("*.html"))
    card = session.dc.find_elements(".chain-card")[0]
    buttons = card.find_elements("css selector", ".chain-brief-button")
    assert len(buttons) == 2
    session.dc.driver.execute_script("arguments[0].scrollIntoView();", buttons[0])
    buttons[0].click()  # the Chinese brief
    new = session.until(
        lambda: [p for p in set(session.downloads.glob("*.html")) - before if p.stat().st_size],
        timeout=30,
        what="downloaded brief",
    )
    time.sleep(0.3)
    page = new[0].read_text("utf-8")
    assert new[0].name.endswith("-zh.html")
    assert "<script" not in page.lower()
    assert "招商目标第 1 位" in page
    assert "短缺概率" in page
    assert session.text("#chain-message") == ""


def test_the_other_cards_come_on_request(session: Session) -> None:
    session.open(PATH, READY)
    session.set_lang("zh")
    session.open(PATH, READY)
    session.until(lambda: session.dc.find_elements(".chain-card"), what="investment cards")
    first = len(session.dc.find_elements(".chain-card"))
    button = session.until(
        lambda: session.dc.find_elements("#chain-more-button"), what="the more button"
    )[0]
    assert "其余" in button.text
    session.dc.driver.execute_script("arguments[0].scrollIntoView();", button)
    button.click()
    session.until(lambda: len(session.dc.find_elements(".chain-card")) > first, what="every card")
    assert not session.dc.find_elements("#chain-more-button")
