"""The scenarios page (情景对比) in headless Chromium: both languages, desktop and phone widths.

The page opens on a stage where the chosen scenarios differ, every line named at its end,
the differing inputs in words. Screenshots go to
``build/screenshots/scenarios-{lang}-{width}.png``.
"""

from __future__ import annotations

import re

import pytest

from tests.dashboard.browser import PAGES, Session

pytestmark = pytest.mark.browser

PATH, READY = PAGES["scenarios"]
#: the shipped scenarios' titles, as the line labels write them
TITLES = {
    "zh": ("基准情景", "锂电主导", "钠电/液流多元化"),
    "en": ("Baseline", "Lithium-led", "Sodium-ion / flow diversification"),
}


def _figure(session: Session, ident: str) -> dict | None:
    """Data (name, y) of the traces and the annotation texts of a drawn graph."""
    return session.dc.driver.execute_script(
        "const g = document.querySelector(arguments[0] + ' .js-plotly-plot');"
        "if (!g || !g.data || !g.layout) return null;"
        "return {data: g.data.map(t => [t.name, t.y]),"
        " notes: (g.layout.annotations || []).map(a => a.text),"
        " ticks: (g.layout.yaxis || {}).ticktext || []};",
        f"#{ident}",
    )


@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scenarios_page_shows_the_difference_in_both_languages_and_widths(
    session: Session, lang: str, width: int
) -> None:
    session.dc.driver.set_window_size(width, 1000)
    try:
        session.open(PATH, READY)
        session.set_lang(lang)
        session.open(PATH, READY)
        titles = TITLES[lang]
        fig = session.until(
            lambda: (
                (f := _figure(session, "scen-fan-cap"))
                and all(any(t in n for n in f["notes"]) for t in titles)
                and f
            ),
            timeout=60,
            what="fan chart with its line labels",
        )
        # the default stage shows P50 lines that end apart
        ends = [y[-1] for name, y in fig["data"] if name in titles]
        assert len(ends) == 3
        assert max(ends) > min(ends)
        # the axis is in 万/亿 (zh) or k/M/bn (en), without float noise
        assert fig["ticks"]
        assert not any(re.search(r"\d\.\d*0000\d|e[+-]\d", t) for t in fig["ticks"])
        note = session.text("#scen-stage-note")
        assert ("差异最大" in note) if lang == "zh" else ("differ most" in note)
        table = session.until(lambda: session.text("#scen-diff-table"), what="differing inputs")
        if lang == "zh":
            assert "项目：" in table
            assert "移除" in table
            assert not re.search(r"technology_mix|projects\.|permitted", table)
        else:
            assert "Project: " in table
            assert "removed" in table
        wf = session.until(
            lambda: (f := _figure(session, "scen-waterfall")) and f["data"] and f,
            timeout=60,
            what="waterfall",
        )
        assert wf["data"][0][1][0] != wf["data"][0][1][-1]  # start and end differ
        assert session.overflow() <= 1
        session.shot_page(f"scenarios-{lang}-{width}", width)
    finally:
        session.dc.driver.set_window_size(1400, 1000)


def test_picking_a_stage_redraws_both_charts(session: Session) -> None:
    session.open(PATH, READY)
    session.set_lang("en")
    session.open(PATH, READY)
    session.until(lambda: _figure(session, "scen-waterfall"), timeout=60, what="waterfall")
    before = session.text("#scen-fan-cap .gtitle")
    session.dc.select_dcc_dropdown("#scen-stage", value="Separator (m²/a)")
    session.until(
        lambda: "Separator" in session.text("#scen-fan-cap .gtitle"), what="separator fan chart"
    )
    assert session.text("#scen-fan-cap .gtitle") != before
    session.until(
        lambda: "Separator" in session.text("#scen-waterfall .gtitle"), what="separator waterfall"
    )
    assert session.text("#scen-stage-note") == ""
