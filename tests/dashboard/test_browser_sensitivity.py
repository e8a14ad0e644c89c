"""The sensitivity page in headless Chromium: a run as a background job with a progress bar,
then the chart; the page in Chinese and English at desktop and phone widths.

Screenshots go to ``build/screenshots/sensitivity-{lang}-{width}.png`` (and
``sensitivity-running-en.png``, the progress bar during a run).
"""

from __future__ import annotations

import time

import pytest

from tests.dashboard.browser import PAGES, Session

pytestmark = pytest.mark.browser

PATH, READY = PAGES["sensitivity"]
WIDTHS = (1440, 390)


def shown(session: Session, selector: str) -> bool:
    return bool(session.dc.find_element(selector).is_displayed())


def page_overflow(session: Session) -> int:
    """How many pixels the page is wider than the window (0: no horizontal scrolling)."""
    return int(
        session.dc.driver.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth;"
        )
    )


def test_a_run_can_be_cancelled(session: Session) -> None:
    session.open(PATH, READY)
    session.set_lang("zh")
    session.until(lambda: "开始分析" in session.text("#sp-message"), what="hint")
    session.dc.find_element("#sp-run").click()
    session.until(lambda: shown(session, "#sp-progress-box"), what="progress bar")
    session.dc.find_element("#sp-cancel").click()
    session.until(lambda: not shown(session, "#sp-progress-box"), what="bar gone")
    assert session.dc.find_element("#sp-run").is_enabled()
    assert not session.dc.find_element("#sp-cancel").is_enabled()
    time.sleep(2)  # nothing arrives later: the job was stopped
    assert not shown(session, "#sp-graph-box")


def test_a_run_shows_the_progress_bar_then_the_chart(session: Session) -> None:
    session.open(PATH, READY)
    session.set_lang("en")
    session.until(lambda: "Run the analysis" in session.text("#sp-message"), what="hint")
    assert not shown(session, "#sp-progress-box")
    assert not shown(session, "#sp-graph-box")
    session.dc.find_element("#sp-run").click()
    session.until(lambda: shown(session, "#sp-progress-box"), what="progress bar")
    assert not session.dc.find_element("#sp-run").is_enabled()  # one run at a time
    assert session.dc.find_element("#sp-cancel").is_enabled()
    values: list[float] = []

    def progress_then_chart() -> bool:
        bar = session.dc.find_element("#sp-progress")
        if bar.is_displayed():
            values.append(float(bar.get_attribute("value")) / float(bar.get_attribute("max")))
            if 0 < values[-1] < 1 and not any(0 < v < 1 for v in values[:-1]):
                session.shot("sensitivity-running-en")
        return shown(session, "#sp-graph-box")

    session.until(progress_then_chart, timeout=240, what="chart after the run")
    assert any(0 < v < 1 for v in values), values  # the bar moved during the run
    assert not shown(session, "#sp-progress-box")
    assert session.dc.find_element("#sp-run").is_enabled()
    sentence = session.text("#sp-sentence")
    assert sentence.startswith("The supply-chain gap of Separator in 2030Q4 is driven mostly by")
    traces = session.graph_data("sp-graph")
    assert [name for name, _ in traces] == ["First-order S1", "Total ST"]
    assert len(traces[1][1]) >= 2  # a bar per factor
    assert "base samples" in session.text("#sp-details")

    # a revisit shows the kept result at once, without a run
    start = time.monotonic()
    session.open(PATH, READY)
    session.until(lambda: shown(session, "#sp-graph-box"), timeout=15, what="kept result")
    assert time.monotonic() - start < 15
    assert not shown(session, "#sp-progress-box")
    assert session.text("#sp-sentence") == sentence


def test_the_page_fits_phone_and_desktop_in_both_languages(session: Session) -> None:
    try:
        for width in WIDTHS:
            session.dc.driver.set_window_size(width, 1000)
            for lang in ("zh", "en"):
                session.open(PATH, READY)
                session.set_lang(lang)
                chart_or_hint = session.until(
                    lambda: shown(session, "#sp-graph-box") or session.text("#sp-message"),
                    what="chart or hint",
                )
                if chart_or_hint is not True:  # run alone: nothing kept yet
                    session.dc.find_element("#sp-run").click()
                session.until(lambda: shown(session, "#sp-graph-box"), timeout=240, what="chart")
                want = "主要驱动因素" if lang == "zh" else "driven mostly by"
                session.until(lambda w=want: w in session.text("#sp-sentence"), what=lang)
                inner = session.dc.driver.execute_script("return window.innerWidth;")
                assert inner <= width
                assert page_overflow(session) <= 0, (lang, width)
                session.shot(f"sensitivity-{lang}-{width}")
                session.dc.driver.execute_script(
                    "document.querySelector('#sp-sentence').scrollIntoView()"
                )
                session.shot(f"sensitivity-{lang}-{width}-chart")
    finally:
        session.dc.driver.set_window_size(1400, 1000)
