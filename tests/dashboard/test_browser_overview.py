"""The overview in headless Chromium: both languages, desk and phone widths.

Each run writes ``build/screenshots/overview-{lang}-{width}.png``. The page must never be
wider than the window (390 px phone included), the headline must be in view on opening,
and a card or tile shows its source when clicked.
"""

from __future__ import annotations

import pytest

from tests.dashboard.browser import PAGES, SHOTS, Session

pytestmark = pytest.mark.browser

READY = PAGES["overview"][1]
#: what the finding sentence starts with in each language
OPENING = {"zh": "园区现有", "en": "The park has"}
WIDTHS = (1440, 390)


#: every element of the overview that shows text, with the colours it is drawn in
_COLOURS = """
const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
const out = [];
for (const e of document.querySelectorAll(
    '#ov-content .pc-ov-card div, #ov-content .pc-ov-tile div, #ov-finding, '
    + '#ov-content .pc-ov-key, #ov-content .pc-ov-hint, #ov-content .pc-ov-chain-note')) {
  if (!e.offsetParent || !e.textContent.trim()) continue;
  let b = e, bg = [0, 0, 0, 0];
  while (b) {
    bg = rgb(getComputedStyle(b).backgroundColor);
    if (bg.length === 3 || bg[3] > 0) break;
    b = b.parentElement;
  }
  out.push([e.textContent.slice(0, 30), rgb(getComputedStyle(e).color), b ? bg : [255, 255, 255]]);
}
return out;
"""


def _luminance(rgb: list[float]) -> float:
    """Relative luminance of an sRGB colour (WCAG 2)."""
    c = [v / 255 for v in rgb[:3]]
    lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(fg: list[float], bg: list[float]) -> float:
    """WCAG contrast ratio of two opaque colours."""
    a, b = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _overflow(session: Session) -> tuple[int, int]:
    """(document scroll width, window inner width) in CSS pixels."""
    return tuple(
        session.dc.driver.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth];"
        )
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_fits_every_width_and_shows_sources(session: Session, lang: str) -> None:
    driver = session.dc.driver
    try:
        for width in WIDTHS:
            driver.set_window_size(width, 1000)
            session.open("/", READY)
            session.set_lang(lang)
            finding = session.until(
                lambda: OPENING[lang] in (s := session.text("#ov-finding")) and s,
                what=f"{lang} finding",
            )
            assert "37.5" in finding
            assert "GWh" in finding or "吉瓦时" in finding
            scroll, inner = _overflow(session)
            assert scroll <= inner, f"{lang} at {width}px: page {scroll}px wide, window {inner}px"

            # the headline is the first thing in view: all four cards on a desk, the first
            # on a phone
            cards = driver.find_elements("css selector", "#ov-headline .pc-ov-card")
            assert len(cards) == 4
            top = driver.execute_script(
                "return document.querySelector('#ov-card-cells').getBoundingClientRect().top;"
            )
            assert 0 <= top < driver.execute_script("return window.innerHeight;")
            assert cards[0].is_displayed()
            assert "cap-0001" in cards[0].get_attribute("title")  # hover
            session.shot(f"overview-{lang}-{width}")

            # text is readable: WCAG AA (4.5:1) for every card, tile, legend and hint
            colours = driver.execute_script(_COLOURS)
            assert len(colours) > 60
            low = [(text, round(contrast(fg, bg), 2)) for text, fg, bg in colours]
            assert all(ratio >= 4.5 for _, ratio in low), [x for x in low if x[1] < 4.5]

            # tiles wrap: none sticks out of the window
            rights = driver.execute_script(
                "return [...document.querySelectorAll('.pc-ov-tile')]"
                ".map(e => e.getBoundingClientRect().right);"
            )
            assert len(rights) == 28
            assert max(rights) <= inner

            # click (focus) a tile: its source shows, with record and dates
            sep = driver.find_element("css selector", "#ov-tile-separator")
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", sep)
            sep.click()
            src = session.until(
                lambda: (s := session.text("#ov-tile-separator .pc-ov-src")) and s,
                what="separator source on focus",
            )
            assert "cap-0003" in src
            assert "2024-06-20" in src
            session.shot(f"overview-{lang}-{width}-strip")

            # the full table is folded away until asked for, and does not widen the page
            # (built only when first opened: nothing of it in the page before)
            assert not driver.find_elements("css selector", "#ov-stocks")
            summary = driver.find_element("css selector", "#ov-more > summary")
            driver.execute_script("arguments[0].scrollIntoView();", summary)
            summary.click()
            session.until(
                lambda: driver.find_element("css selector", "#ov-stocks").is_displayed(),
                what="stocks table unfolded",
            )
            assert "万吨" in session.text("#ov-stocks") or "t/a" in session.text("#ov-stocks")
            scroll, inner = _overflow(session)
            assert scroll <= inner, f"unfolded at {width}px: page {scroll}px, window {inner}px"
    finally:
        driver.set_window_size(1400, 1000)
    for width in WIDTHS:
        assert (SHOTS / f"overview-{lang}-{width}.png").stat().st_size > 10_000


def _set_known(session: Session, value: str | None) -> None:
    """Put a date in the shell's ``known-as-of`` store (session storage) and reload.

    Done through the store itself, not the shell's date control, which another page owns.
    """
    driver = session.dc.driver
    if value is None:
        driver.execute_script(
            "sessionStorage.removeItem('known-as-of');"
            "sessionStorage.removeItem('known-as-of-timestamp');"
        )
    else:
        driver.execute_script(
            "sessionStorage.setItem('known-as-of', JSON.stringify(arguments[0]));"
            "sessionStorage.setItem('known-as-of-timestamp', String(Date.now()));",
            value,
        )
    session.open("/", READY)


def test_overview_follows_the_known_as_of_date(session: Session) -> None:
    """Known on 2025-01-01: the banner names the date and records made later drop out."""
    driver = session.dc.driver
    session.open("/", READY)
    session.set_lang("en")

    def poly_title() -> str:
        return driver.find_element("css selector", "#ov-tile-polysilicon").get_attribute("title")

    session.until(lambda: "cap-0008" in poly_title(), what="polysilicon record today")
    try:
        _set_known(session, "2025-01-01")
        banner = session.until(lambda: session.text("#ov-known"), what="as-known-on banner")
        assert "2025-01-01" in banner
        session.until(lambda: "cap-0008" not in poly_title(), what="2026 record left out")
        assert "short" not in session.text("#ov-tile-polysilicon")
        session.shot("overview-en-known-2025-01-01")
    finally:
        _set_known(session, None)
    session.until(lambda: "cap-0008" in poly_title(), what="every record again")
    assert not driver.find_elements("css selector", "#ov-known")
