"""The shell and the shared layout pieces, without a browser.

* contrast: every text colour of ``assets/style.css`` against the background it is read
  on, WCAG AA (4.5:1 or more);
* accessible names: every control of every page sits in a labelled field, the shell's
  own controls name themselves;
* the "as known on" date: from the picker and the URL, refused with one sentence naming
  the value when it is not a date up to today, its badge and its clear button;
* messages: problem lists are written in the user's language;
* the pipeline grid: fits (seven columns, details on click), its capacity column sorts
  by a number on one yardstick;
* the tab titles, and plotly's toolbar only on hover.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import dash
import pytest
from dash import Dash, dcc, html

from dashboard import shell as shell_module
from dashboard import whatif_widgets
from dashboard.components import DROPDOWN_TEXTS, dropdown_labels, error_message, field, problems_box
from dashboard.controls import defaults
from dashboard.figures import GRAPH_CONFIG
from dashboard.i18n import Texts
from dashboard.protocol import update_body
from dashboard.views import PV_SORT, pipeline_grid_rows
from model.catalogue import t
from model.errors import DataError, Problem
from model.park import Park
from model.scenario import DEFAULT_SCENARIOS_DIR

CSS = Path(shell_module.__file__).parent / "assets" / "style.css"
CJK = re.compile(r"[\u4e00-\u9fff]")
HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")
#: controls a person sets: each needs a name
CONTROLS = (
    dcc.Slider,
    dcc.RangeSlider,
    dcc.Input,
    dcc.Dropdown,
    dcc.Checklist,
    dcc.RadioItems,
    dcc.DatePickerSingle,
    dcc.Textarea,
)


# ---------------------------------------------------------------------------
# contrast
# ---------------------------------------------------------------------------
def luminance(hex_colour: str) -> float:
    """Relative luminance of an sRGB colour (WCAG 2.x)."""
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def css_rules(text: str) -> Iterator[tuple[str, dict[str, str]]]:
    """(selector, declarations) of every rule, those inside ``@media`` blocks included."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    text = re.sub(r"@media[^{]*\{", "", text)  # the blocks' rules read as top-level ones
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        decls = {}
        for part in body.split(";"):
            if ":" in part:
                key, value = part.split(":", 1)
                decls[key.strip()] = value.strip()
        yield selector.strip(), decls


def colour(value: str | None) -> str | None:
    found = HEX.search(value or "")
    return found.group(0) if found else None


def test_contrast_helpers_match_known_ratios() -> None:
    assert contrast("#000", "#fff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the testers' hint


def test_every_text_colour_meets_wcag_aa() -> None:
    pairs = []
    for selector, decls in css_rules(CSS.read_text(encoding="utf-8")):
        fg = colour(decls.get("color"))
        bg = colour(decls.get("background") or decls.get("background-color"))
        if fg is None and bg is None:
            continue
        # a rule that sets one of the two sets both: the pair is checked, not guessed
        assert fg is not None, f"{selector}: a background without its text colour"
        assert bg is not None, f"{selector}: a text colour without its background"
        pairs.append((selector, fg, bg, contrast(fg, bg)))
    assert len(pairs) >= 25
    low = [(s, fg, bg, round(r, 2)) for s, fg, bg, r in pairs if r < 4.5]
    assert not low, low
    hint = next(r for s, _, _, r in pairs if s == ".pc-hint")
    assert hint >= 6.5  # was 4.48:1


# ---------------------------------------------------------------------------
# accessible names
# ---------------------------------------------------------------------------
def walk(node: Any, parents: tuple[Any, ...] = ()) -> Iterator[tuple[Any, tuple[Any, ...]]]:
    """Every component of a layout with its ancestors."""
    yield node, parents
    children = getattr(node, "children", None)
    if children is None:
        return
    for child in children if isinstance(children, list | tuple) else [children]:
        if isinstance(child, dash.development.base_component.Component):
            yield from walk(child, (*parents, node))


def labelled(node: Any, parents: tuple[Any, ...]) -> bool:
    """The control sits in a ``pc-field`` holding a ``pc-label``, or names itself.

    Tick boxes and radio buttons are named by their options' labels (each a ``<label>``
    around its input).
    """
    own = node.to_plotly_json()["props"]
    if own.get("aria-label") or own.get("aria-labelledby"):
        return True
    if own.get("type") == "hidden":  # a value the page keeps, not a control anyone sees
        return True
    options = own.get("options")
    if isinstance(node, dcc.Checklist | dcc.RadioItems) and isinstance(options, list):
        return bool(options) and all(isinstance(o, dict) and o.get("label") for o in options)
    for parent in reversed(parents):
        if "pc-field" in (getattr(parent, "className", "") or ""):
            return any(
                isinstance(c, html.Label) and "pc-label" in (c.className or "")
                for c in parent.children
            )
    return False


def test_field_names_its_control_and_group() -> None:
    box = field("增长率", dcc.Slider(id="g", min=0, max=1))
    label = box.children[0]
    assert label.htmlFor == "g"
    assert label.id == "g-label"
    props = box.to_plotly_json()["props"]
    assert props["role"] == "group"
    assert props["aria-labelledby"] == "g-label"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_control_of_every_page_is_labelled(app: Dash, lang: str) -> None:
    unlabelled = []
    with app.server.test_request_context("/"):
        for page in dash.page_registry.values():
            layout = page["layout"](lang=lang) if callable(page["layout"]) else page["layout"]
            for node, parents in walk(layout):
                if isinstance(node, CONTROLS) and not labelled(node, parents):
                    unlabelled.append(f"{page['name']}: {type(node).__name__} #{node.id}")
        # the what-if page's folded status table, as it is built when opened
        state = app.server.extensions["parkcap"]
        values = defaults(state.park, state.scenario("baseline"))
        table = whatif_widgets.status_levers(state.park, values, Texts("wi-st", lang))
        shown = 0
        for node, parents in walk(table):
            if isinstance(node, CONTROLS):
                shown += 1
                if not labelled(node, parents):
                    unlabelled.append(f"status table: {type(node).__name__} #{node.id}")
        assert shown == 18  # a number box per status lever
    assert not unlabelled, unlabelled


def test_shell_controls_name_themselves(app: Dash) -> None:
    with app.server.test_request_context("/"):
        frame = shell_module.shell()
    nodes = {
        getattr(n, "id", None): n for n, _ in walk(frame) if isinstance(getattr(n, "id", None), str)
    }
    toggle = nodes["nav-toggle"].to_plotly_json()["props"]
    assert toggle["aria-controls"] == "nav-links"
    assert "nav-links" in nodes
    assert nodes["known-label"].htmlFor == "known-input"
    assert isinstance(nodes["known-input"], dcc.DatePickerSingle)
    assert nodes["known-input"].max_date_allowed == date.today()


# ---------------------------------------------------------------------------
# the "as known on" date
# ---------------------------------------------------------------------------
def call_known(app: Dash, changed: str, **values: Any) -> dict[str, Any]:
    inputs = {
        "url.search": "",
        "known-input.date": None,
        "known-clear.n_clicks": 0,
        "lang.data": "zh",
        "known-as-of.data": None,
        "known-url.data": None,
    }
    inputs.update({k.replace("__", "."): v for k, v in values.items()})
    body = update_body(app, "known-as-of.data", inputs, [changed])
    response = app.server.test_client().post("/_dash-update-component", json=body)
    assert response.status_code in (200, 204)
    return response.get_json()["response"] if response.status_code == 200 else {}


def message_text(out: dict[str, Any]) -> str:
    children = out.get("known-message", {}).get("children")
    if isinstance(children, dict):
        return str(children["props"]["children"])
    return str(children or "")


def test_known_date_from_the_url_and_the_picker(app: Dash) -> None:
    out = call_known(app, "url.search", url__search="?known=2024-07-01&lang=en")
    assert out["known-as-of"]["data"] == "2024-07-01"
    assert out["known-input"]["date"] == "2024-07-01"
    out = call_known(app, "known-input.date", **{"known-input__date": "2025-03-31"})
    assert out["known-as-of"]["data"] == "2025-03-31"
    out = call_known(
        app,
        "known-clear.n_clicks",
        **{"known-clear__n_clicks": 1, "known-as-of__data": "2025-03-31"},
    )
    assert out["known-as-of"]["data"] is None


def test_a_url_date_is_applied_once_so_a_later_pick_stays(app: Dash) -> None:
    search = "?known=2024-07-01"
    out = call_known(app, "url.search", url__search=search)
    assert out["known-url"]["data"] == search
    # the language switches after the user picked another date: the URL is not re-applied
    out = call_known(
        app,
        "lang.data",
        url__search=search,
        lang__data="en",
        **{"known-as-of__data": "2025-03-31", "known-url__data": search},
    )
    assert "known-as-of" not in out
    assert out.get("known-input", {}).get("date") == "2025-03-31"
    # a new URL is applied
    out = call_known(
        app, "url.search", url__search="?known=2024-01-02", **{"known-url__data": search}
    )
    assert out["known-as-of"]["data"] == "2024-01-02"


@pytest.mark.parametrize(
    "bad",
    [
        "2024-02-31",
        "yesterday",
        "../../etc/passwd",
        (date.today() + timedelta(days=2)).isoformat(),
        "1999-12-31",
    ],
)
def test_bad_known_dates_are_refused_in_one_sentence(app: Dash, bad: str) -> None:
    for lang, word in (("zh", "无效"), ("en", "not valid")):
        out = call_known(app, "url.search", url__search=f"?known={bad}", lang__data=lang)
        assert "known-as-of" not in out  # the date in force is kept
        text = message_text(out)
        assert word in text
        assert bad[:40] in text
        assert text.count("。" if lang == "zh" else ". ") <= 1
        assert "Traceback" not in text
        assert "/etc" not in text or bad.startswith("..")  # only the value, no server path


def test_badge_says_the_date_in_both_languages(app: Dash) -> None:
    from dashboard.known_row import known_badge

    assert known_badge("2024-07-01", "zh") == ("数据截至认知日 2024-07-01", False, False)
    assert known_badge("2024-07-01", "en") == ("as known on 2024-07-01", False, False)
    assert known_badge(None, "zh") == ("", True, True)
    assert known_badge("not a date", "en") == ("", True, True)
    # the date callback shows it: for a date given, for the date kept on a switch of
    # language, and hides it when the date is cleared
    out = call_known(app, "url.search", url__search="?known=2024-07-01")
    assert out["known-badge"] == {"children": "数据截至认知日 2024-07-01", "hidden": False}
    assert out["known-clear"] == {"hidden": False}
    out = call_known(app, "lang.data", lang__data="en", **{"known-as-of__data": "2025-03-31"})
    assert out["known-badge"]["children"] == "as known on 2025-03-31"
    # a switch of language wins over the link's ``?lang=`` (which set the first language)
    search = "?lang=zh&known=2025-03-31"
    switched = {"known-as-of__data": "2025-03-31", "known-url__data": search}
    out = call_known(app, "lang.data", url__search=search, lang__data="en", **switched)
    assert out["known-badge"]["children"] == "as known on 2025-03-31"
    out = call_known(
        app,
        "known-clear.n_clicks",
        **{"known-clear__n_clicks": 1, "known-as-of__data": "2025-03-31"},
    )
    assert out["known-badge"]["hidden"] is True


# ---------------------------------------------------------------------------
# messages
# ---------------------------------------------------------------------------
def items(box: html.Div) -> list[str]:
    return [li.children for li in box.children[1].children]


def test_scenarios_are_listed_in_one_language(app: Dash, state: Any) -> None:
    zh = {o["value"]: o["label"] for o in state.scenario_options("zh")}
    en = {o["value"]: o["label"] for o in state.scenario_options("en")}
    assert zh["baseline"] == "基准情景（baseline）"
    assert en["baseline"] == "Baseline (baseline)"
    assert not any(CJK.search(label) for label in en.values())
    shipped = {f.stem for f in DEFAULT_SCENARIOS_DIR.glob("*.toml")}  # others saved by tests
    assert all(CJK.search(zh[name]) for name in shipped)


def test_dropdown_texts_follow_the_language() -> None:
    zh, en = dropdown_labels("zh"), dropdown_labels("en")
    assert set(zh) == set(en) == set(DROPDOWN_TEXTS)
    assert zh["selected_count"] == "已选 {num_selected} 项"  # Dash fills the number in
    assert en["selected_count"] == "{num_selected} selected"
    assert all(CJK.search(v) for v in zh.values())
    assert not any(CJK.search(v) for v in en.values())


def test_problem_lists_are_in_the_users_language() -> None:
    p = Problem("情景名称", None, "name", "", "请填写情景名称")
    assert items(problems_box([p], "zh")) == ["情景名称，“名称”，内容为空：请填写情景名称"]
    q = Problem("scenario 'x'", None, "demand.growth", 5, "Input should be less than or equal to 3")
    assert items(problems_box([q], "zh")) == [
        "情景“x”，“需求年增长率”，填写的是“5”：应小于或等于 3"
    ]
    assert items(problems_box([q], "en")) == [
        "scenario 'x', field 'demand.growth': value '5': Input should be less than or equal to 3"
    ]


def test_error_message_translates_the_quarter_range_error() -> None:
    box = error_message(ValueError("'2031Q1:2020Q1': the range ends before it starts"), "zh")
    assert items(box) == ["“2031Q1:2020Q1”：区间的结束早于开始"]
    box = error_message(DataError([Problem("x", 2, "stage", "q", "unknown stage id")]), "zh")
    assert items(box) == ["x，第 2 行，“环节”，填写的是“q”：未知的环节编号"]


# ---------------------------------------------------------------------------
# the pipeline grid
# ---------------------------------------------------------------------------
@pytest.fixture
def pipeline(app: Dash) -> Any:
    """The pipeline page's module (pages import once the app exists)."""
    from dashboard.pages import pipeline

    return pipeline


def test_grid_shows_seven_columns_that_share_the_width(pipeline: Any) -> None:
    cols = pipeline.column_defs("en")
    assert [c["colId"] for c in cols] == [
        "name",
        "company",
        "stage",
        "capacity",
        "status",
        "expected_start",
        "source_id",
    ]
    assert all(c["flex"] > 0 for c in cols)
    # the minimum widths fit the page's 1,398 px area at 1440 px (grid borders aside)
    assert sum(c["minWidth"] for c in cols) <= 1398 - 40
    headers = [c["headerName"] for c in cols]
    assert headers[4:] == ["Status", "Expected start", "Source"]


def test_capacity_sorts_by_a_number_and_shows_the_text(pipeline: Any, park: Park) -> None:
    cap = next(c for c in pipeline.column_defs("zh") if c["colId"] == "capacity")
    assert cap["field"] == "capacity_sort"
    assert cap["valueFormatter"] == {"function": "params.data.capacity"}
    rows = pipeline_grid_rows(park, "zh")
    assert all(isinstance(r["capacity_sort"], float) for r in rows)
    ordered = sorted(rows, key=lambda r: r["capacity_sort"])
    # within one unit, ascending by the number (not as text: "10万吨" < "5万吨" alphabetically)
    for unit in {r["unit"] for r in rows}:
        values = [r["capacity_value"] for r in ordered if r["unit"] == unit]
        assert values == sorted(values), unit
    # storage projects on cell-GWh-eq first, then photovoltaic ones on GW-of-wafers-eq
    kinds = ["pv" if r["capacity_sort"] >= PV_SORT else "storage" for r in ordered]
    assert kinds == sorted(kinds, key=lambda k: k == "pv")
    assert "storage" in kinds
    assert "pv" in kinds


def test_capacity_sort_key_moves_with_the_capacity(park: Park) -> None:
    rows = {r["id"]: r for r in pipeline_grid_rows(park, "en")}
    poly = [p for p in park.projects if p.stage == "polysilicon"]
    assert poly
    for p in poly:
        wafer = rows[p.id]["capacity_sort"] - PV_SORT
        # 2,200 t of polysilicon per GW of wafers (model.chain): 5万吨 -> 22.7 GW
        assert wafer == pytest.approx(p.value / park.chain.wafer_yardstick("polysilicon"))
        assert 15 < wafer / (p.value / 50_000) < 30
    cells = [p for p in park.projects if park.chain.reference_product(p.stage) == p.stage]
    assert cells
    for p in cells:
        assert rows[p.id]["capacity_sort"] == pytest.approx(p.value)  # GWh of itself


def test_clicking_a_row_shows_every_detail(app: Dash, pipeline: Any, park: Park) -> None:
    project = park.projects[0]
    with app.server.test_request_context("/"):
        children, hidden = pipeline.show_details({"rowId": project.id}, "en", None)
        assert not hidden
        text = str(children)
        for _, label in pipeline.DETAILS:
            assert t(label, "en") in text
        assert project.name("en") in text
        assert pipeline.show_details({"rowId": "no-such"}, "en", None) == ([], True)
        assert pipeline.show_details({"rowId": ["x"]}, "en", None) == ([], True)
        assert pipeline.show_details(None, "zh", None) == ([], True)


# ---------------------------------------------------------------------------
# titles and the plotly toolbar
# ---------------------------------------------------------------------------
def test_tab_titles_in_each_language(app: Dash) -> None:
    with app.server.test_request_context("/"):
        text = shell_module.shell_text()
    assert set(text["titles"]) == {p["path"] for p in dash.page_registry.values()}
    for titles in text["titles"].values():
        assert CJK.search(titles["zh"])
        assert not CJK.search(titles["en"])
    assert text["titles"]["/pipeline"]["en"].startswith("Pipeline")
    assert text["words"]["en"]["lower"] == "lower bound"


def test_plotly_toolbar_shows_on_hover_only() -> None:
    assert GRAPH_CONFIG["displayModeBar"] == "hover"
    assert GRAPH_CONFIG["displaylogo"] is False
