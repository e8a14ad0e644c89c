"""A page opens in the chosen language: its layout is built in the link's ``?lang=`` or else
the language the browser keeps, so the callbacks that relabel its texts and data-made
options run on a switch of language only, never when the page opens (each first call cost
the browser an update of the whole page)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from dash import Dash, html
from dash.exceptions import PreventUpdate

from dashboard.i18n import PAGE_LANG, Texts, page_lang, retranslate, translate
from dashboard.protocol import UPDATE_PATH, update_body
from model.catalogue import t

#: each page's path and its heading's catalogue key
PAGES = {
    "/": "page_overview",
    "/chain": "page_chain",
    "/scenarios": "page_scenarios",
    "/what-if": "page_whatif",
    "/pipeline": "page_pipeline",
    "/sensitivity": "sp_page_title",
    "/export": "page_export",
}


def test_the_link_chooses_the_language_else_the_browser() -> None:
    assert page_lang("en", "zh") == "en"
    assert page_lang(None, "en") == "en"
    assert page_lang("fr", "en") == "en"  # a typo in the link: the kept language
    assert page_lang(None, None) == "zh"
    assert page_lang(None, "../../etc/passwd") == "zh"


def test_texts_already_in_the_language_get_no_answer() -> None:
    spans = [Texts("x", "zh")("ui_growth"), Texts("x", "zh")("p_short")]
    ids = [s.id for s in spans]
    shown = [s.children for s in spans]
    with pytest.raises(PreventUpdate):
        retranslate(ids, "zh", shown)
    english = retranslate(ids, "en", shown)
    assert english == translate(ids, "en")
    assert english != shown
    assert retranslate(ids, "zh", None) == shown  # nothing known of the page: answered


def test_an_element_holds_its_text_and_is_retranslated_as_a_span_is() -> None:
    tx = Texts("x", "zh")
    heading = tx.element(html.H2, "page_whatif", className="pc-intro")
    assert isinstance(heading, html.H2)
    assert heading.children == t("page_whatif", "zh")  # one component: no span inside
    assert heading.className == "pc-intro"
    assert heading.id != tx("page_whatif").id  # each its own id on the page
    assert retranslate([heading.id], "en", [heading.children]) == [t("page_whatif", "en")]


def _open(app: Dash, path: str, search: str, stored: Any) -> str:
    """The page content Dash's router answers for ``path`` (its layout, as JSON text)."""
    body = update_body(
        app,
        "_pages_content.children",
        {
            "_pages_location.pathname": path,
            "_pages_location.search": search,
            "lang.data": stored,
        },
    )
    resp = app.server.test_client().post(UPDATE_PATH, json=body)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    content = resp.get_json()["response"]["_pages_content"]["children"]
    return json.dumps(content, ensure_ascii=False)


def _built_in(text: str) -> Any:
    """The language the page's layout says it was built in (its ``page-lang`` store)."""

    def find(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == PAGE_LANG:
                return node["props"]["data"]
            return next((f for v in node.values() if (f := find(v)) is not None), None)
        if isinstance(node, list):
            return next((f for v in node if (f := find(v)) is not None), None)
        return None

    return find(json.loads(text))


@pytest.mark.parametrize(("path", "heading"), PAGES.items())
def test_a_page_is_built_in_the_language_the_browser_keeps(
    app: Dash, path: str, heading: str
) -> None:
    english = _open(app, path, "", "en")
    assert t(heading, "en") in english
    assert t(heading, "zh") not in english
    chinese = _open(app, path, "", None)  # nothing kept yet: Chinese
    assert t(heading, "zh") in chinese
    assert _open(app, path, "?lang=zh", "en") == chinese  # the link's language wins
    if path in ("/chain", "/scenarios", "/what-if", "/sensitivity", "/export"):
        assert _built_in(english) == "en"
        assert _built_in(chinese) == "zh"


def test_relabelling_callbacks_do_not_run_when_a_page_opens(app: Dash) -> None:
    """Every callback that only follows the language waits for a switch, but the shell's
    texts (the shell is built before the browser says its language)."""
    first_call = set()
    for cb in app._callback_list:
        inputs = [(i["id"], i["property"]) for i in cb["inputs"]]
        if inputs == [("lang", "data")] and not cb.get("prevent_initial_call"):
            first_call.add(cb["output"].split("@")[0])
    assert first_call == {'{"fmt":["ALL"],"key":["ALL"],"n":["ALL"],"type":"i18n"}.children'}
    relabelling = [
        cb
        for cb in app._callback_list
        if [(i["id"], i["property"]) for i in cb["inputs"]][:1] == [("lang", "data")]
        and cb.get("prevent_initial_call")
    ]
    assert len(relabelling) >= 10  # the pages' options, messages, names and placeholders


def test_a_switch_still_relabels_a_page(app: Dash) -> None:
    client = app.server.test_client()
    body = update_body(
        app, "wi-projects.options", {"wi-base.value": "baseline", "lang.data": "en"}, ["lang.data"]
    )
    resp = client.post(UPDATE_PATH, json=body)
    assert resp.status_code == 200
    assert "Storage battery cabinets" in resp.get_data(as_text=True)
