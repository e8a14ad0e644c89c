"""Every page, in Chinese and English, on a 1440 px screen and a 390 px phone.

Checks, each precise enough to name the page and what failed:

overflow
    The page never scrolls sideways: ``document.documentElement.scrollWidth`` is at most
    ``window.innerWidth + 1`` (wide tables and grids scroll inside their own box).
slider names
    Every ``[role=slider]`` has an accessible name: a non-empty ``aria-label``, or an
    ``aria-labelledby`` whose elements hold text.
control names
    Every visible ``input``, ``select`` and ``textarea`` has a name: ``aria-label``,
    ``aria-labelledby`` with text, or a ``<label>`` with text (radio buttons and tick
    boxes included).
no English in Chinese
    In the Chinese UI, the texts people read as the app's own words (:data:`CHROME`:
    headings, labels, hints, buttons, alerts, status lines, navigation, table and grid
    headers) hold no English word. A word is a run of two or more Latin letters with a
    lower-case letter; not counted: identifiers (holding ``_``, ``-``, ``.``, ``/`` or a
    digit), units (:data:`UNITS`), all-capital acronyms (LFP, PCS, CSV, P50), the names
    of the shipped scenario files, and :data:`NAMES` (the other language's own name,
    format names).
no Chinese in English
    In the English UI the same texts hold no CJK character, except inside an element
    marked ``lang="zh"`` (names that exist only in Chinese) and the language button,
    which offers 中文.
tab title
    ``document.title`` is in the page's language: Chinese holds CJK; English holds
    none and names the page as the English navigation does.

Screenshots: ``build/screenshots/{page}-{lang}-{width}.png``.
"""

from __future__ import annotations

import re
import time
from typing import Any

import dash
import pytest

from model.catalogue import t
from model.scenario import DEFAULT_SCENARIOS_DIR
from tests.dashboard.browser import PAGES, SHOTS, Session

pytestmark = pytest.mark.browser

WIDTHS = (1440, 390)
#: what counts as the app's own words (not data: cells of tables and grids are data)
CHROME = ", ".join(
    (
        "h1",
        "h2",
        "h3",
        "h4",
        "label",
        ".pc-label",
        ".pc-hint",
        ".pc-intro",
        "button",
        "[role=alert]",
        "[role=status]",
        ".pc-alert",
        ".pc-ok",
        ".pc-navlink",
        ".pc-brand",
        ".pc-footer",
        "th",
        ".ag-header-cell-text",
        "legend",
        "summary",
    )
)
UNITS = {"GWh", "MWh", "kWh", "GW", "MW", "kW", "t", "a", "m²", "set", "kg", "yr"}
NAMES = {"English", "NetCDF", "Excel", "Sobol"}
SCENARIOS = {p.stem for p in DEFAULT_SCENARIOS_DIR.glob("*.toml")}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.\-/²]*")
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")

#: every text of CHROME, the element's own language, and whether it is the language button
TEXTS_JS = """
const out = [];
document.querySelectorAll(arguments[0]).forEach(function(el) {
    if (!el.offsetParent && el.tagName !== 'BODY') { return; }
    const text = (el.innerText || '').trim();
    if (!text) { return; }
    const zhOnly = el.closest('[lang=zh], [lang=zh-CN]') !== null && el.closest('html') !== el.closest('[lang]');
    out.push([text, zhOnly, el.id === 'lang-toggle' || el.closest('#lang-toggle') !== null]);
});
return out;
"""
NAMES_JS = """
function named(el) {
    const label = (el.getAttribute('aria-label') || '').trim();
    if (label) { return true; }
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    if (ids.some(function(i) { const r = document.getElementById(i); return r && r.textContent.trim(); })) {
        return true;
    }
    return !!(el.labels && Array.from(el.labels).some(function(l) { return l.textContent.trim(); }));
}
const sliders = Array.from(document.querySelectorAll('[role=slider]'));
const controls = Array.from(document.querySelectorAll('input, select, textarea')).filter(function(el) {
    return el.type !== 'hidden' && el.offsetParent !== null;
});
function describe(el) {
    const box = el.closest('[id]');
    return el.tagName.toLowerCase() + (el.type ? '[' + el.type + ']' : '') + ' in #' + (box ? box.id : '?');
}
return [
    sliders.length,
    sliders.filter(function(el) { return !named(el); }).map(describe),
    controls.filter(function(el) { return !named(el); }).map(describe),
];
"""


def english_words(text: str) -> set[str]:
    """The English words of ``text``, as defined in the module docstring."""
    found = set()
    for word in WORD.findall(text):
        if re.search(r"[_\-/0-9²]", word) or "." in word.rstrip("."):
            continue  # an identifier, a folder or file name, a unit with a power
        bare = word.rstrip(".")
        if len(bare) < 2 or not re.search(r"[a-z]", bare):
            continue  # one letter, or an acronym
        if bare in UNITS or bare in NAMES or bare in SCENARIOS:
            continue
        found.add(bare)
    return found


def settle(session: Session) -> None:
    """Wait until Dash has no callback in flight (the page's texts are final)."""
    session.until(
        lambda: session.dc.driver.execute_script(
            "return !document.querySelector('[data-dash-is-loading=\"true\"]');"
        ),
        timeout=60,
        what="callbacks done",
    )
    time.sleep(0.6)


def check_page(session: Session, name: str, lang: str, width: int) -> list[str]:
    """Every failed check of one page, language and width, as ``"page lang width: what"``."""
    driver = session.dc.driver
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    )
    path, ready = PAGES[name]
    session.open(f"{path}?lang={lang}", ready)
    session.until(
        lambda: (
            driver.execute_script("return document.documentElement.lang")
            == ("en" if lang == "en" else "zh-CN")
        ),
        what=f"<html lang> {lang}",
    )
    settle(session)
    where = f"{name} {lang} {width}"
    failures: list[str] = []

    scroll, inner = driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth];"
    )
    if scroll > inner + 1:
        wide = driver.execute_script(
            "const w = window.innerWidth; return Array.from(document.querySelectorAll('body *'))"
            ".filter(e => e.getBoundingClientRect().right > w + 1 && e.offsetParent)"
            ".slice(0, 4).map(e => e.tagName + '#' + e.id + '.' + e.className);"
        )
        failures.append(f"{where}: page {scroll} px wide in a {inner} px window ({wide})")

    n_sliders, unnamed_sliders, unnamed_controls = driver.execute_script(NAMES_JS)
    if unnamed_sliders:
        failures.append(
            f"{where}: {len(unnamed_sliders)}/{n_sliders} sliders unnamed {unnamed_sliders[:4]}"
        )
    if unnamed_controls:
        failures.append(f"{where}: controls unnamed {unnamed_controls[:6]}")

    texts: list[tuple[str, bool, bool]] = driver.execute_script(TEXTS_JS, CHROME)
    if lang == "zh":
        words = sorted(
            {w for text, _, is_toggle in texts if not is_toggle for w in english_words(text)}
        )
        if words:
            failures.append(f"{where}: English in the Chinese UI {words[:12]}")
    else:
        cjk = sorted(
            {
                text[:30]
                for text, zh_only, is_toggle in texts
                if not (zh_only or is_toggle) and CJK.search(text)
            }
        )
        if cjk:
            failures.append(f"{where}: Chinese in the English UI {cjk[:6]}")

    title = driver.title
    page = next(p for p in dash.page_registry.values() if p["path"] == path)
    page_title = t(page.get("title_key", page["name"]), lang)
    if lang == "zh" and not CJK.search(title):
        failures.append(f"{where}: tab title {title!r} not Chinese")
    if lang == "en" and (CJK.search(title) or page_title not in title):
        failures.append(f"{where}: tab title {title!r} not English naming {page_title!r}")

    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}-{lang}-{width}.png"))
    return failures


@pytest.fixture(autouse=True)
def _full_size(session: Session) -> Any:
    yield
    session.dc.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_is_named_and_speaks_one_language(session: Session, name: str) -> None:
    failures = [
        failure
        for lang in ("zh", "en")
        for width in WIDTHS
        for failure in check_page(session, name, lang, width)
    ]
    assert not failures, "\n".join(failures)


def test_menu_button_folds_the_links_on_a_phone(session: Session) -> None:
    driver = session.dc.driver
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    )
    session.open("/export?lang=zh", PAGES["export"][1])
    links = session.dc.find_element("#nav-links")
    menu = session.dc.find_element("#nav-toggle")
    assert menu.is_displayed()
    assert not links.is_displayed()
    menu.click()
    session.until(links.is_displayed, what="links shown")
    assert menu.get_attribute("aria-expanded") == "true"
    # each link on its own line, never a character per line
    heights = [e.size["height"] for e in driver.find_elements("css selector", ".pc-navlink")]
    assert max(heights) < 48, heights
    driver.find_elements("css selector", ".pc-navlink")[0].click()  # to the overview
    session.until(lambda: not links.is_displayed(), what="links folded after a choice")
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1440, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    )
    session.until(links.is_displayed, what="links always shown on a wide screen")
    assert not menu.is_displayed()


def test_known_date_from_the_url_shows_a_badge_and_clears(session: Session) -> None:
    session.open("/pipeline?lang=zh&known=2024-07-01", PAGES["pipeline"][1])
    badge = session.until(
        lambda: (e := session.dc.find_element("#known-badge")).is_displayed() and e, what="badge"
    )
    assert badge.text == "数据截至认知日 2024-07-01"
    session.set_lang("en")
    session.until(lambda: badge.text == "as known on 2024-07-01", what="English badge")
    session.dc.find_element("#known-clear").click()
    session.until(lambda: not badge.is_displayed(), what="badge cleared")
    session.open("/pipeline?lang=zh&known=2024-02-31", PAGES["pipeline"][1])
    alert = session.until(lambda: session.text("#known-message"), what="refusal")
    assert "2024-02-31" in alert
    assert "无效" in alert
    assert not session.dc.find_element("#known-badge").is_displayed()


def test_pipeline_grid_fits_and_sorts_capacity_by_number(session: Session) -> None:
    from dashboard.views import pipeline_grid_rows
    from model.park import load_park

    driver = session.dc.driver
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1440, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    )
    session.open("/pipeline?lang=en", PAGES["pipeline"][1])
    session.until(lambda: "Status" in session.text("#pipeline-grid"), what="English headers")
    edges = driver.execute_script(
        "return ['status', 'expected_start', 'source_id', 'capacity'].map(function(c) {"
        "  const h = document.querySelector('#pipeline-grid .ag-header-cell[col-id=' + c + ']');"
        "  return h ? [c, h.getBoundingClientRect().right, window.innerWidth] : [c, null, 0]; });"
    )
    for col, right, inner in edges:
        assert right is not None, col
        assert right <= inner, (col, right, inner)
    # a text cell of these columns is never cut with an ellipsis
    cut = driver.execute_script(
        "return Array.from(document.querySelectorAll('#pipeline-grid .ag-cell[col-id=status],"
        " #pipeline-grid .ag-cell[col-id=expected_start]'))"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText);"
    )
    assert not cut, cut
    header = driver.find_element(
        "css selector", "#pipeline-grid .ag-header-cell[col-id=capacity] .ag-header-cell-label"
    )
    header.click()  # ascending

    def shown() -> list[str]:
        return driver.execute_script(
            "return Array.from(document.querySelectorAll('#pipeline-grid .ag-center-cols-container"
            " .ag-row')).sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)"
            ".map(r => r.querySelector('[col-id=capacity]').innerText.trim());"
        )

    rows = sorted(pipeline_grid_rows(load_park(), "en"), key=lambda r: r["capacity_sort"])
    expected = [r["capacity"] for r in rows]
    session.until(lambda: shown() == expected, what=f"ascending {expected}")
    assert shown()[0] == "0.2 GWh/a"  # numerically, not "0.2" < "1" < "10" < "100,000" as text
    header.click()  # descending
    session.until(lambda: shown() == expected[::-1], what="descending")
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / "pipeline-sorted-en-1440.png"))
